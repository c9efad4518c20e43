import type { RecordBatch } from 'apache-arrow';
import { ParamError } from '../core/errors.js';
import { DataStream, type Operator } from '../stream/datastream.js';
import type { StreamEnvironment } from '../stream/environment.js';
import { iterableSource } from '../stream/sources.js';
import {
  type ColumnFunction,
  filterBatch,
  forEachRow,
  headBatch,
  type RowFunction,
  type RowObject,
  renameBatch,
  selectBatch,
  withRowColumnBatch,
  withVectorisedColumnBatch,
} from './batch-operations.js';
import { equiJoin, type JoinType } from './relational.js';
import { columnPosition, TableSchema } from './schema.js';
import { type JoinOn, type Row, Table } from './table.js';
import type { RowTypeInfo, TypeInformation } from './types.js';

/** How many rows of a row stream go into one record batch by default. */
export const DEFAULT_BATCH_SIZE = 1024;

function checkBatchSize(batchSize: number): void {
  if (!(Number.isInteger(batchSize) && batchSize > 0))
    throw new ParamError('batchSize', batchSize, 'a positive integer');
}

/**
 * The operator that turns each record event of a row stream into record batches of at most
 * `batchSize` rows. Nothing is held across events, so a checkpoint barrier never finds rows
 * waiting; a batch's event time is that of its latest row.
 */
function rowEventsToBatches(
  type: RowTypeInfo,
  batchSize: number,
  source: string,
): Operator<Row | RowObject, RecordBatch> {
  return batchesPerEvent((rows, timestamps, emit) => {
    for (let start = 0; start < rows.length; start += batchSize) {
      const end = Math.min(start + batchSize, rows.length);
      let latest = Number.NaN;
      if (timestamps) {
        latest = Number.NEGATIVE_INFINITY;
        for (let i = start; i < end; i++) latest = Math.max(latest, timestamps[i]);
      }
      for (const batch of Table.fromRows(rows.slice(start, end), type, source).getBatches())
        emit(batch, latest);
    }
  });
}

/**
 * An operator over record events: `rewrite` sees each event's records (with their event times,
 * when the stream has them) and emits batches, each with its event time; watermarks and
 * barriers pass as they are, and an event that emits nothing is dropped.
 */
function batchesPerEvent<I>(
  rewrite: (
    records: readonly I[],
    timestamps: Float64Array | undefined,
    emit: (batch: RecordBatch, time: number) => void,
  ) => void,
): Operator<I, RecordBatch> {
  return async function* (input) {
    for await (const event of input) {
      if (event.kind !== 'records') {
        yield event;
        continue;
      }
      const records: RecordBatch[] = [];
      const times: number[] = [];
      rewrite(event.records, event.timestamps, (batch, time) => {
        records.push(batch);
        times.push(time);
      });
      const timestamps = event.timestamps ? Float64Array.from(times) : undefined;
      if (records.length > 0) yield { kind: 'records', records, timestamps };
    }
  };
}

/**
 * Groups a stream of rows (arrays in field order, or objects) into record batches of
 * `batchSize` rows; the last batch holds what is left when the stream ends.
 */
export async function* rowsToBatches(
  rows: AsyncIterable<Row | RowObject> | Iterable<Row | RowObject>,
  type: RowTypeInfo,
  batchSize = DEFAULT_BATCH_SIZE,
  source = '<stream>',
): AsyncGenerator<RecordBatch> {
  checkBatchSize(batchSize);
  let pending: (Row | RowObject)[] = [];
  for await (const row of rows) {
    pending.push(row);
    if (pending.length === batchSize) {
      yield* Table.fromRows(pending, type, source).getBatches();
      pending = [];
    }
  }
  if (pending.length > 0) yield* Table.fromRows(pending, type, source).getBatches();
}

/**
 * An unbounded (or not yet finished) table: a schema over a {@link DataStream} of Arrow record
 * batches, so it runs on the stream layer like any other stream (`toDataStream()` gives the
 * stream; `StreamingTable.fromDataStream` wraps one). Operations that make sense one batch at
 * a time apply per batch as batches arrive: select, dropColumns, as, renameColumns,
 * filter/where, withColumn, withVectorisedColumn, a lookup join against a bounded Table,
 * unionAll and limit. groupBy, orderBy, distinct, union and joins of two streams need the
 * whole input: `await collect()` first (once the stream has ended) and use the bounded Table.
 * Each iteration runs the stream again, which reads the source again only if the source
 * itself can be read again.
 */
export class StreamingTable implements AsyncIterable<RecordBatch> {
  constructor(
    private readonly schema: TableSchema,
    private readonly stream: DataStream<RecordBatch>,
    readonly source = '<stream>',
  ) {}

  /**
   * A streaming table over a stream of rows, grouped into batches of `batchSize` rows. A
   * {@link DataStream} of rows stays in its own job (its checkpoints and watermarks flow through):
   * the rows of each of its record events become batches of at most `batchSize` rows. Another
   * async iterable becomes the source of a new stream in `environment`.
   */
  static fromRows(
    rows: AsyncIterable<Row | RowObject> | Iterable<Row | RowObject>,
    type: RowTypeInfo,
    batchSize = DEFAULT_BATCH_SIZE,
    source = '<stream>',
    environment?: StreamEnvironment,
  ): StreamingTable {
    const schema = new TableSchema(type.names, type.types);
    if (rows instanceof DataStream) {
      checkBatchSize(batchSize);
      const stream = (rows as DataStream<Row | RowObject>).pipe(rowEventsToBatches(type, batchSize, source));
      return new StreamingTable(schema, stream, source);
    }
    return StreamingTable.fromBatches(
      { [Symbol.asyncIterator]: () => rowsToBatches(rows, type, batchSize, source) },
      schema,
      source,
      environment,
    );
  }

  /**
   * A streaming table over a stream of record batches (an Arrow RecordBatchReader, for one),
   * the source of a new stream in `environment` (a new environment when not given).
   */
  static fromBatches(
    batches: AsyncIterable<RecordBatch>,
    schema: TableSchema,
    source = '<stream>',
    environment?: StreamEnvironment,
  ): StreamingTable {
    // One batch per stream event: a batch already holds many rows.
    const stream = DataStream.from(
      iterableSource(() => batches, { batchSize: 1, name: source }),
      environment,
    );
    return new StreamingTable(schema, stream, source);
  }

  /** A streaming table over a DataStream whose records are record batches of `schema`. */
  static fromDataStream(
    stream: DataStream<RecordBatch>,
    schema: TableSchema,
    source = '<stream>',
  ): StreamingTable {
    return new StreamingTable(schema, stream, source);
  }

  /** The stream of record batches this table runs on. */
  toDataStream(): DataStream<RecordBatch> {
    return this.stream;
  }

  getSchema(): TableSchema {
    return this.schema;
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordBatch> {
    return this.stream[Symbol.asyncIterator]();
  }

  private derive(schema: TableSchema, operator: Operator<RecordBatch, RecordBatch>): StreamingTable {
    return new StreamingTable(schema, this.stream.pipe(operator), this.source);
  }

  private map(schema: TableSchema, transform: (batch: RecordBatch) => RecordBatch): StreamingTable {
    return this.derive(
      schema,
      batchesPerEvent((batches, timestamps, emit) => {
        batches.forEach((batch, i) => {
          const result = transform(batch);
          if (result.numRows > 0) emit(result, timestamps ? timestamps[i] : Number.NaN);
        });
      }),
    );
  }

  private position(name: string): number {
    return columnPosition(this.schema.getFieldNames(), name, this.source);
  }

  select(...names: string[]): StreamingTable {
    const types = this.schema.getFieldTypes();
    const schema = new TableSchema(
      names,
      names.map((name) => types[this.position(name)]),
    );
    return this.map(schema, (batch) => selectBatch(batch, names, this.source));
  }

  dropColumns(...names: string[]): StreamingTable {
    for (const name of names) this.position(name);
    return this.select(...this.schema.getFieldNames().filter((name) => !names.includes(name)));
  }

  as(...names: string[]): StreamingTable {
    if (names.length !== this.schema.getFieldCount()) {
      throw new ParamError('names', names, `${this.schema.getFieldCount()} names, one per column`);
    }
    return this.map(new TableSchema(names, this.schema.getFieldTypes()), (batch) =>
      renameBatch(batch, names),
    );
  }

  renameColumns(mapping: Readonly<Record<string, string>>): StreamingTable {
    for (const name of Object.keys(mapping)) this.position(name);
    return this.as(...this.schema.getFieldNames().map((name) => mapping[name] ?? name));
  }

  filter(predicate: RowFunction<unknown>): StreamingTable {
    return this.map(this.schema, (batch) => filterBatch(batch, predicate));
  }

  where(predicate: RowFunction<unknown>): StreamingTable {
    return this.filter(predicate);
  }

  private withType(name: string, type: TypeInformation): TableSchema {
    const names = this.schema.getFieldNames();
    const types = this.schema.getFieldTypes();
    const position = names.indexOf(name);
    if (position >= 0) types[position] = type;
    else {
      names.push(name);
      types.push(type);
    }
    return new TableSchema(names, types);
  }

  /** Adds a column computed row by row; the type is required, as the schema is known up front. */
  withColumn(name: string, compute: RowFunction<unknown>, type: TypeInformation): StreamingTable {
    return this.map(this.withType(name, type), (batch) =>
      withRowColumnBatch(batch, name, compute, type, this.source),
    );
  }

  /** Adds a column computed a batch at a time; the type is required. */
  withVectorisedColumn(name: string, compute: ColumnFunction, type: TypeInformation): StreamingTable {
    return this.map(this.withType(name, type), (batch) =>
      withVectorisedColumnBatch(batch, name, compute, type, this.source),
    );
  }

  /**
   * Joins each batch with a bounded table (a lookup join: enriching events with a dimension
   * table). Output columns as in {@link Table.join}.
   */
  join(right: Table, on: JoinOn, type: JoinType = 'inner'): StreamingTable {
    const [leftKeys, rightKeys] =
      typeof on === 'string' || Array.isArray(on)
        ? [[on].flat() as string[], [on].flat() as string[]]
        : [[(on as { left: string }).left].flat(), [(on as { right: string }).right].flat()];
    const rightArrow = right.toArrow();
    const rightSchema = right.getSchema();
    const merged = rightSchema
      .getFieldNames()
      .map((name, j) => ({ name, type: rightSchema.getFieldTypes()[j] }))
      .filter(({ name }) => !rightKeys.some((key, i) => key === name && leftKeys[i] === name));
    const schema = new TableSchema(
      [...this.schema.getFieldNames(), ...merged.map((field) => field.name)],
      [...this.schema.getFieldTypes(), ...merged.map((field) => field.type)],
    );
    return this.map(schema, (batch) =>
      equiJoin(Table.fromBatches([batch]).toArrow(), rightArrow, leftKeys, rightKeys, type, this.source),
    );
  }

  /**
   * The batches of both streams as they arrive (Flink's `unionAll`): the stream layer's
   * {@link DataStream.union}, so watermarks and checkpoint barriers are aligned. Schemas must
   * match, and both tables must run in one stream environment.
   */
  unionAll(other: StreamingTable): StreamingTable {
    if (String(this.schema) !== String(other.schema)) {
      throw new ParamError('other', String(other.schema), `a table with the schema ${this.schema}`);
    }
    return new StreamingTable(this.schema, this.stream.union(other.stream), this.source);
  }

  /** The first `count` rows; the source is not read further once they are through. */
  limit(count: number): StreamingTable {
    if (!Number.isInteger(count) || count < 0) throw new ParamError('count', count, 'a non-negative integer');
    return this.derive(this.schema, async function* (input) {
      let left = count;
      if (left === 0) return;
      for await (const event of input) {
        if (event.kind !== 'records') {
          yield event;
          continue;
        }
        const records: RecordBatch[] = [];
        for (const batch of event.records) {
          const head = headBatch(batch, left);
          left -= head.numRows;
          records.push(head);
          if (left === 0) break;
        }
        yield { kind: 'records', records, timestamps: event.timestamps?.subarray(0, records.length) };
        if (left === 0) return;
      }
    });
  }

  /** Reads the stream to its end into a bounded Table. */
  async collect(): Promise<Table> {
    const batches: RecordBatch[] = [];
    for await (const batch of this) batches.push(batch);
    if (batches.length > 0) return Table.fromBatches(batches, undefined, this.source);
    return Table.fromRows([], this.schema.toRowType(), this.source);
  }

  /** The rows as they arrive, as arrays in column order (Flink's `executeAndCollect`). */
  async *executeAndCollect(): AsyncGenerator<Row> {
    for await (const batch of this) yield* batchRows(batch, this.schema);
  }

  /** The rows as a DataStream (arrays in column order). */
  toRowStream(): DataStream<Row> {
    const schema = this.schema;
    return this.stream.flatMap((batch) => batchRows(batch, schema));
  }
}

/** The rows of a batch as arrays in the column order of `schema`. */
function batchRows(batch: RecordBatch, schema: TableSchema): Row[] {
  const names = schema.getFieldNames();
  const rows: Row[] = [];
  forEachRow(batch, (row) => rows.push(names.map((name) => row[name])));
  return rows;
}
