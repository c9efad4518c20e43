import type { Table as ArrowTable, RecordBatch } from 'apache-arrow';
import { ParamError } from '../core/errors.js';
import { DataStream } from '../stream/datastream.js';
import { StreamEnvironment } from '../stream/environment.js';
import { iterableSource } from '../stream/sources.js';
import type { RowObject } from './batch-operations.js';
import { TableSchema } from './schema.js';
import { SqlEngine } from './sql.js';
import { DEFAULT_BATCH_SIZE, StreamingTable } from './streaming-table.js';
import { type Row, Table } from './table.js';
import type { RowTypeInfo } from './types.js';

/**
 * A stream of rows (Flink's `DataStream<Row>`): a {@link DataStream} of arrays in field
 * order, with the row type when it is known. Any async iterable of rows is accepted where a
 * stream is.
 */
export class RowStream extends DataStream<Row> {
  constructor(
    rows: DataStream<Row> | AsyncIterable<Row> | Iterable<Row>,
    readonly typeInfo?: RowTypeInfo,
    environment?: StreamEnvironment,
  ) {
    const stream = rows instanceof DataStream ? rows : DataStream.from(iterableSource(rows), environment);
    super(stream.environment, stream.depth, (job) => stream.events(job));
  }

  /** Runs the stream and yields its rows (Flink's `executeAndCollect`), as an async iterable. */
  executeAndCollect(): AsyncIterable<Row> {
    return this;
  }
}

/** A bounded stream over an in-memory collection (what `env.fromCollection` returns). */
export class CollectionStream extends RowStream {
  constructor(
    readonly collection: readonly (Row | RowObject)[],
    typeInfo?: RowTypeInfo,
    environment?: StreamEnvironment,
  ) {
    super(
      collection.map((row) =>
        Array.isArray(row)
          ? row
          : (typeInfo?.names ?? Object.keys(row)).map((name) => (row as RowObject)[name]),
      ),
      typeInfo,
      environment,
    );
  }
}

/**
 * Flink's `StreamExecutionEnvironment`: where streams start, a {@link StreamEnvironment} of
 * the stream layer. Each call of `getExecutionEnvironment()` returns a new environment (there
 * is no global job graph here: streams run when they are iterated or sunk).
 */
export class StreamExecutionEnvironment extends StreamEnvironment {
  static getExecutionEnvironment(): StreamExecutionEnvironment {
    return new StreamExecutionEnvironment();
  }

  /**
   * A bounded stream of the given rows: tuples in field order (as Flink's `Row`) or objects.
   * `typeInfo` (`Types.ROW_NAMED(...)`) names and types the fields; without it, objects give
   * the names and values the types.
   */
  fromCollection(rows: readonly (Row | RowObject)[], typeInfo?: RowTypeInfo): CollectionStream {
    return new CollectionStream(rows, typeInfo, this);
  }
}

/** Anything with an asynchronous `collect()` of its records, as eddy's DataSet has. */
export interface CollectableDataSet {
  collect(): Promise<readonly (Row | RowObject)[]>;
}

/**
 * Flink's `StreamTableEnvironment`: turns streams into tables and back, and runs SQL over
 * registered tables. Everything is synchronous except SQL (`await tEnv.sqlQuery(...)`,
 * because DuckDB's API is) and `fromDataSet` (a DataSet is collected asynchronously). Call
 * `close()` when done with SQL, to shut the embedded DuckDB down.
 */
export class StreamTableEnvironment {
  private readonly sql = new SqlEngine();

  private constructor(readonly env: StreamExecutionEnvironment) {}

  static create(
    env: StreamExecutionEnvironment = StreamExecutionEnvironment.getExecutionEnvironment(),
  ): StreamTableEnvironment {
    return new StreamTableEnvironment(env);
  }

  /**
   * A table from a stream. A bounded collection stream (`env.fromCollection`) gives a bounded
   * Table at once; any other async iterable of rows (arrays or objects) gives a StreamingTable,
   * batched `batchSize` rows at a time, whose row type must be given here or by the stream. A
   * DataStream (a RowStream) is batched inside its own job; another iterable becomes a source
   * in this environment, so the streaming tables of one environment can be unioned.
   */
  fromDataStream(stream: CollectionStream, typeInfo?: RowTypeInfo): Table;
  fromDataStream(
    stream: AsyncIterable<Row | RowObject>,
    typeInfo?: RowTypeInfo,
    options?: { batchSize?: number },
  ): StreamingTable;
  fromDataStream(
    stream: AsyncIterable<Row | RowObject>,
    typeInfo?: RowTypeInfo,
    options: { batchSize?: number } = {},
  ): Table | StreamingTable {
    const type = typeInfo ?? (stream instanceof RowStream ? stream.typeInfo : undefined);
    if (stream instanceof CollectionStream) return Table.fromRows(stream.collection, type, '<collection>');
    if (type === undefined) {
      throw new ParamError(
        'typeInfo',
        undefined,
        'the row type of the stream (Types.ROW_NAMED(names, types))',
      );
    }
    return StreamingTable.fromRows(
      stream,
      type,
      options.batchSize ?? DEFAULT_BATCH_SIZE,
      '<stream>',
      this.env,
    );
  }

  /** A streaming table over a stream of Arrow record batches (a RecordBatchReader, for one). */
  fromBatchStream(batches: AsyncIterable<RecordBatch>, typeInfo: RowTypeInfo): StreamingTable {
    return StreamingTable.fromBatches(
      batches,
      new TableSchema(typeInfo.names, typeInfo.types),
      '<stream>',
      this.env,
    );
  }

  /** A bounded table from a DataSet (anything with `collect()`), read to its end. */
  async fromDataSet(dataSet: CollectableDataSet, typeInfo?: RowTypeInfo): Promise<Table> {
    return Table.fromRows(await dataSet.collect(), typeInfo, '<dataset>');
  }

  /** The rows of a table as a stream (arrays in column order); `executeAndCollect()` runs it. */
  toDataStream(table: Table | StreamingTable): RowStream {
    const type = table.getSchema().toRowType();
    if (table instanceof Table) return new RowStream(table.collect(), type, this.env);
    return new RowStream(table.toRowStream(), type);
  }

  /** Registers a bounded table (or an Arrow table) under a name for SQL, replacing one of the same name. */
  createTemporaryView(name: string, table: Table | ArrowTable): void {
    this.sql.createTemporaryView(name, table);
  }

  /** Runs a SQL query (DuckDB's dialect) over the registered tables: `await tEnv.sqlQuery(...)`. */
  sqlQuery(query: string): Promise<Table> {
    return this.sql.sqlQuery(query);
  }

  /** The names of the registered views. */
  listTemporaryViews(): string[] {
    return this.sql.listTemporaryViews();
  }

  /** Removes a registered view; returns whether there was one. */
  dropTemporaryView(name: string): boolean {
    return this.sql.dropTemporaryView(name);
  }

  /** Shuts the embedded DuckDB down (it starts again if SQL is used later). */
  close(): Promise<void> {
    return this.sql.close();
  }
}
