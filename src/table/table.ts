import type { Table as ArrowTable, Data, RecordBatch, Schema, Vector } from 'apache-arrow';
import { checkArrowIpcBytes } from '../core/arrow-ipc-check.js';
import { arrow } from '../core/arrow-module.js';
import { ParamError } from '../core/errors.js';
import type { DenseMatrix } from '../core/matrix.js';
import {
  type ColumnFunction,
  type ColumnValues,
  columnData,
  filterBatch,
  forEachRow,
  type RowFunction,
  type RowObject,
  renameBatch,
  selectBatch,
  withColumnData,
  withRowColumnBatch,
  withVectorisedColumnBatch,
} from './batch-operations.js';
import { columnFromValues, vectorColumnToMatrix } from './columns.js';
import { formatTable } from './print.js';
import {
  type AggregateSpec,
  columnChunks,
  distinctRows,
  equiJoin,
  groupByAggregate,
  type JoinType,
  type SortKey,
  sortOrder,
} from './relational.js';
import { batchFromColumns, columnPosition, TableSchema } from './schema.js';
import { takeRows } from './take.js';
import {
  CATEGORIES_METADATA,
  categoriesMetadata,
  checkTypedColumns,
  type TableColumn,
  type TypedColumnOptions,
  type TypedColumns,
  typedColumnsFromArrow,
  typedColumnToArrow,
} from './typed-columns.js';
import { type RowTypeInfo, type TypeInformation, typeOfArrow } from './types.js';

/** A row as Flink's `Row`: the field values by position (see `getSchema().getFieldNames()`). */
export type Row = unknown[];

/** The join condition: a shared key column, several, or left and right key columns. */
export type JoinOn =
  | string
  | readonly string[]
  | { readonly left: string | readonly string[]; readonly right: string | readonly string[] };

const asList = (value: string | readonly string[]): readonly string[] =>
  typeof value === 'string' ? [value] : value;

/**
 * eddy's one in-memory table: a named, typed schema over Arrow record batches (Flink's `Table`),
 * which every ML stage also reads and writes. Operations are synchronous and return new tables;
 * columns are never copied when an operation keeps them as they are. Dense-vector columns
 * (Arrow FixedSizeList<Float64>) are first-class: rows read them as {@link DenseVector}s,
 * vectorised functions as matrices.
 *
 * A table holds its data as Arrow batches, as typed columns ({@link TableColumn}: what ML
 * stages read, see {@link Table.columns}), or both: each form is made from the other when first
 * asked for, and kept. Numbers and dense vectors convert without a copy when the Arrow column is
 * one chunk of doubles without nulls.
 *
 * Per-batch operations (select, filter, withColumn, limit) work batch by batch; group-by,
 * join, orderBy, distinct and union gather rows across batches.
 */
export class Table {
  private arrowForm?: { readonly schema: Schema; readonly batches: readonly RecordBatch[] };
  private typedForm?: TypedColumns;

  private constructor(
    form: { schema: Schema; batches: readonly RecordBatch[] } | TypedColumns,
    /** Name used in error messages. */
    readonly source: string,
  ) {
    if ('batches' in form) this.arrowForm = form;
    else this.typedForm = form;
  }

  /** A table over the batches of an Arrow table (no copy). */
  static fromArrow(table: ArrowTable, source = '<table>'): Table {
    return new Table({ schema: table.schema, batches: table.batches }, source);
  }

  /** A table over record batches that share one schema (no copy). */
  static fromBatches(batches: readonly RecordBatch[], schema?: Schema, source = '<table>'): Table {
    const resolved = schema ?? batches[0]?.schema;
    if (resolved === undefined)
      throw new ParamError('schema', undefined, 'a schema when there are no batches');
    // One schema object for all batches: Arrow refuses batches whose field flags differ.
    return new Table(
      {
        schema: resolved,
        batches: batches.filter((b) => b.numRows > 0).map((b) => new (arrow().RecordBatch)(resolved, b.data)),
      },
      source,
    );
  }

  /**
   * A table over typed columns (not copied), as ML stages make them; `options` may say which
   * file lines the rows came from, for error messages.
   */
  static fromTypedColumns(
    names: readonly string[],
    columns: readonly TableColumn[],
    options: TypedColumnOptions = {},
  ): Table {
    return new Table(checkTypedColumns(names, columns, options), options.source ?? '<table>');
  }

  /**
   * A table over typed columns whose lengths the caller vouches for (a parser that checked
   * every row): their values are not read, so columns that are made when first read stay unmade.
   * @internal
   */
  static fromCheckedColumns(columns: TypedColumns, source: string): Table {
    return new Table(columns, source);
  }

  private get schema(): Schema {
    return this.arrow().schema;
  }

  private get batches(): readonly RecordBatch[] {
    return this.arrow().batches;
  }

  /** The Arrow form, made from the typed columns (one batch, no copy of numbers and vectors) once. */
  private arrow(): { readonly schema: Schema; readonly batches: readonly RecordBatch[] } {
    if (this.arrowForm === undefined) {
      const { names, columns, rowCount } = this.typedForm!;
      const batch = batchFromColumns(names, columns.map(typedColumnToArrow), rowCount);
      const metadata = columns.map(categoriesMetadata);
      // The categories travel as field metadata.
      const schema = metadata.every((text) => text === undefined)
        ? batch.schema
        : new (arrow().Schema)(
            batch.schema.fields.map((field, j) =>
              metadata[j] === undefined
                ? field
                : field.clone({ metadata: new Map([[CATEGORIES_METADATA, metadata[j]!]]) }),
            ),
          );
      this.arrowForm = {
        schema,
        batches: rowCount === 0 ? [] : [new (arrow().RecordBatch)(schema, batch.data)],
      };
    }
    return this.arrowForm;
  }

  /** The typed form, made from the Arrow batches once. */
  private typed(): TypedColumns {
    this.typedForm ??= typedColumnsFromArrow(this.toArrow(), this.source);
    return this.typedForm;
  }

  /** The column names, in order. */
  get names(): readonly string[] {
    return this.typedForm?.names ?? this.getFieldNames();
  }

  /**
   * The columns in eddy's typed form (Float64Array numbers, strings, DenseMatrix vectors,
   * sparse rows, token lists), what ML stages read. Made from the Arrow batches on first use:
   * an Arrow type with no typed form (dates, structs other than sparse vectors) is an error
   * naming the column.
   */
  get columns(): readonly TableColumn[] {
    return this.typed().columns;
  }

  /** The 1-based line of each row in the source file, when the table was read from a text file. */
  get lines(): Int32Array | undefined {
    return this.typedForm?.lines;
  }

  /**
   * When the first `rowMajor.columns` columns are numeric and were read into one row-major
   * matrix (an all-numeric CSV), that matrix.
   */
  get rowMajor(): DenseMatrix | undefined {
    return this.typedForm?.rowMajor;
  }

  /** A table from Arrow IPC bytes (stream or file format). */
  static fromIPC(bytes: Uint8Array, source = '<ipc>'): Table {
    checkArrowIpcBytes(bytes, source);
    return Table.fromArrow(arrow().tableFromIPC(bytes), source);
  }

  /**
   * A table from rows: arrays (positional, as Flink's `Row`) or objects (by field name).
   * Without a row type, names come from the first object and types from the values.
   */
  static fromRows(
    rows: readonly (RowObject | readonly unknown[])[],
    type?: RowTypeInfo,
    source = '<rows>',
  ): Table {
    const names =
      type?.names ?? (rows.length > 0 && !Array.isArray(rows[0]) ? Object.keys(rows[0]) : undefined);
    if (names === undefined)
      throw new ParamError('type', undefined, 'a row type (Types.ROW_NAMED) for positional rows');
    const columns = names.map((name, j) => {
      const values = rows.map((row) => (Array.isArray(row) ? row[j] : (row as RowObject)[name]));
      return columnFromValues(name, values, type?.types[j], source).data[0];
    });
    return Table.fromBatches([batchFromColumns(names, columns, rows.length)], undefined, source);
  }

  /** A table from named columns: typed arrays, matrices (vector columns), Arrow vectors or value arrays. */
  static fromColumns(columns: Readonly<Record<string, ColumnValues>>, source = '<columns>'): Table {
    const names = Object.keys(columns);
    const first = names.length === 0 ? undefined : columns[names[0]];
    const length = first === undefined ? 0 : 'rows' in first ? first.rows : first.length;
    const data = names.map((name) => columnData(name, columns[name], length, undefined, source));
    return Table.fromBatches([batchFromColumns(names, data, length)], undefined, source);
  }

  private derive(batches: readonly RecordBatch[], schema?: Schema): Table {
    const resolved = schema ?? batches[0]?.schema ?? this.schema;
    return Table.fromBatches(batches, resolved, this.source);
  }

  private mapBatches(map: (batch: RecordBatch) => RecordBatch): Table {
    const batches = this.batches.map(map);
    // An empty table still needs the schema of the result: map an empty batch to get it.
    const schema = batches[0]?.schema ?? map(this.emptyBatch()).schema;
    return this.derive(batches, schema);
  }

  private emptyBatch(): RecordBatch {
    const columns = this.schema.fields.map(
      (field) => columnFromValues(field.name, [], typeOfArrow(field.type)).data[0],
    );
    return batchFromColumns(this.getFieldNames(), columns, 0);
  }

  /** The whole table as one Arrow table. */
  toArrow(): ArrowTable {
    return new (arrow().Table)(this.schema, this.batches as RecordBatch[]);
  }

  /** The record batches. */
  getBatches(): readonly RecordBatch[] {
    return this.batches;
  }

  /** The table as Arrow IPC bytes (stream format). */
  toIPC(): Uint8Array {
    return arrow().tableToIPC(this.toArrow(), 'stream');
  }

  getSchema(): TableSchema {
    return new TableSchema(
      this.getFieldNames(),
      this.schema.fields.map((field) => typeOfArrow(field.type)),
    );
  }

  private getFieldNames(): string[] {
    if (this.typedForm !== undefined) return [...this.typedForm.names];
    return this.schema.fields.map((field) => field.name);
  }

  /** The number of rows. */
  get numRows(): number {
    if (this.typedForm !== undefined) return this.typedForm.rowCount;
    return this.batches.reduce((total, batch) => total + batch.numRows, 0);
  }

  /**
   * The table with a typed column added, or replaced when the name exists; it stays in typed
   * form (the other columns are shared, nothing is converted to Arrow).
   */
  withTypedColumn(name: string, column: TableColumn): Table {
    const typed = this.typed();
    const index = typed.names.indexOf(name);
    const names = index < 0 ? [...typed.names, name] : typed.names;
    const columns = [...typed.columns];
    if (index < 0) columns.push(column);
    else columns[index] = column;
    // Appending keeps the row-major copy of the leading columns valid; replacing one may not.
    return Table.fromTypedColumns(names, columns, {
      source: this.source,
      lines: typed.lines,
      rowCount: typed.rowCount,
      rowMajor: index < 0 ? typed.rowMajor : undefined,
    });
  }

  /**
   * One column as an Arrow vector. A typed table converts that column alone (numbers and dense
   * vectors without a copy).
   */
  column(name: string): Vector {
    const position = columnPosition(this.getFieldNames(), name, this.source);
    if (this.arrowForm === undefined) {
      return arrow().makeVector(typedColumnToArrow(this.typedForm!.columns[position]));
    }
    return this.toArrow().getChildAt(position)!;
  }

  /** The named columns, in that order. */
  select(...names: string[]): Table {
    return this.mapBatches((batch) => selectBatch(batch, names, this.source));
  }

  /** Every column but the named ones. */
  dropColumns(...names: string[]): Table {
    for (const name of names) columnPosition(this.getFieldNames(), name, this.source);
    return this.select(...this.getFieldNames().filter((name) => !names.includes(name)));
  }

  /** Renames every column (Flink's `table.as(...)`). */
  as(...names: string[]): Table {
    if (names.length !== this.schema.fields.length) {
      throw new ParamError('names', names, `${this.schema.fields.length} names, one per column`);
    }
    return this.mapBatches((batch) => renameBatch(batch, names));
  }

  /** Renames some columns: `{ old: 'new' }`. */
  renameColumns(mapping: Readonly<Record<string, string>>): Table {
    const names = this.getFieldNames();
    for (const name of Object.keys(mapping)) columnPosition(names, name, this.source);
    return this.as(...names.map((name) => mapping[name] ?? name));
  }

  /** The rows for which `predicate` holds. */
  filter(predicate: RowFunction<unknown>): Table {
    return this.mapBatches((batch) => filterBatch(batch, predicate));
  }

  /** Same as {@link filter} (Flink's name). */
  where(predicate: RowFunction<unknown>): Table {
    return this.filter(predicate);
  }

  /**
   * Adds (or replaces) a column computed row by row. The type is taken from the values when
   * not given.
   */
  withColumn(name: string, compute: RowFunction<unknown>, type?: TypeInformation): Table {
    return this.mapBatches((batch) => withRowColumnBatch(batch, name, compute, type, this.source));
  }

  /**
   * Adds (or replaces) a column computed a batch at a time: `compute` sees the columns as
   * typed arrays and matrices and returns a typed array, matrix or array of values.
   */
  withVectorisedColumn(name: string, compute: ColumnFunction, type?: TypeInformation): Table {
    return this.mapBatches((batch) => withVectorisedColumnBatch(batch, name, compute, type, this.source));
  }

  /**
   * Adds (or replaces) a column given whole, one value per row of the table (a model's
   * predictions, for example).
   */
  addColumn(name: string, values: ColumnValues, type?: TypeInformation): Table {
    const numRows = this.numRows;
    const data = columnData(name, values, numRows, type, this.source);
    let offset = 0;
    const batches = this.batches.map((batch) => {
      const part = data.slice(offset, batch.numRows);
      offset += batch.numRows;
      return withColumnData(batch, name, part);
    });
    return batches.length > 0
      ? this.derive(batches)
      : this.derive([withColumnData(this.emptyBatch(), name, data)]);
  }

  /** A dense-vector column as a row-major matrix (a view of Arrow's buffer when it is one chunk). */
  toMatrix(name: string): DenseMatrix {
    const names = this.getFieldNames();
    columnPosition(names, name, this.source);
    return vectorColumnToMatrix(columnChunks(this.toArrow(), name, this.source), name, this.source);
  }

  /** Groups rows by key columns; `aggregate` then computes one row per group. */
  groupBy(...keys: string[]): GroupedTable {
    for (const key of keys) columnPosition(this.getFieldNames(), key, this.source);
    return new GroupedTable(this, keys);
  }

  /** Aggregates over the whole table (one row). */
  aggregate(aggregates: Readonly<Record<string, AggregateSpec>>): Table {
    return this.groupBy().aggregate(aggregates);
  }

  /**
   * Equi-join with another table. `on` names a key column both share, several, or
   * `{ left, right }` key columns; a shared key column appears once in the result.
   */
  join(right: Table, on: JoinOn, type: JoinType = 'inner'): Table {
    const [leftKeys, rightKeys] =
      typeof on === 'string' || Array.isArray(on)
        ? [asList(on as string), asList(on as string)]
        : [asList((on as { left: string }).left), asList((on as { right: string }).right)];
    return this.derive([equiJoin(this.toArrow(), right.toArrow(), leftKeys, rightKeys, type, this.source)]);
  }

  /** Left outer join: every left row, with nulls where no right row matches. */
  leftOuterJoin(right: Table, on: JoinOn): Table {
    return this.join(right, on, 'left');
  }

  /** The rows of both tables (with duplicates; Flink's `unionAll`). Schemas must match. */
  unionAll(other: Table): Table {
    const mine = this.getSchema().toString();
    const theirs = other.getSchema().toString();
    if (mine !== theirs) throw new ParamError('other', theirs, `a table with the schema ${mine}`);
    return this.derive([...this.batches, ...other.batches], this.schema);
  }

  /** The distinct rows of both tables (Flink's `union`, a set union). */
  union(other: Table): Table {
    return this.unionAll(other).distinct();
  }

  /** The distinct rows, each at its first occurrence. */
  distinct(): Table {
    return this.takeRows(distinctRows(this.toArrow()));
  }

  /** The rows sorted by the keys (stable; nulls last). */
  orderBy(...keys: SortKey[]): Table {
    return this.takeRows(sortOrder(this.toArrow(), keys, this.source));
  }

  /** At most `count` rows, after skipping `offset` (Flink's `offset` and `fetch`). */
  limit(count: number, offset = 0): Table {
    if (!Number.isInteger(count) || count < 0) throw new ParamError('count', count, 'a non-negative integer');
    if (!Number.isInteger(offset) || offset < 0)
      throw new ParamError('offset', offset, 'a non-negative integer');
    const batches: RecordBatch[] = [];
    let skip = offset;
    let left = count;
    for (const batch of this.batches) {
      if (left === 0) break;
      if (skip >= batch.numRows) {
        skip -= batch.numRows;
        continue;
      }
      const taken = Math.min(left, batch.numRows - skip);
      batches.push(batch.slice(skip, skip + taken));
      left -= taken;
      skip = 0;
    }
    return this.derive(batches, this.schema);
  }

  private takeRows(indices: Int32Array): Table {
    // Rows already in order (a sorted or distinct table): keep the table as it is.
    if (indices.length === this.numRows && indices.every((row, i) => row === i)) return this;
    const arrow = this.toArrow();
    const columns: Data[] = this.schema.fields.map((_, j) =>
      takeRows(arrow.getChildAt(j)!.data as Data[], indices),
    );
    return this.derive([batchFromColumns(this.getFieldNames(), columns, indices.length)], this.schema);
  }

  /** The rows as objects keyed by column name. */
  toRows(): RowObject[] {
    const rows: RowObject[] = [];
    for (const batch of this.batches) forEachRow(batch, (row) => rows.push(row));
    return rows;
  }

  /** The rows as arrays in column order (Flink's `Row`). */
  collect(): Row[] {
    const names = this.getFieldNames();
    return this.toRows().map((row) => names.map((name) => row[name]));
  }

  /** The table drawn as Flink's `print()` does, as a string. */
  toString(): string {
    return formatTable(this.getSchema(), this.collect());
  }

  /** Prints the table (Flink's `execute().print()`), to stdout unless told otherwise. */
  print(write: (text: string) => void = (text) => process.stdout.write(text)): void {
    write(`${this.toString()}\n`);
  }
}

/** A table grouped by key columns, waiting for its aggregates. */
export class GroupedTable {
  constructor(
    private readonly table: Table,
    private readonly keys: readonly string[],
  ) {}

  /**
   * One row per group: the key columns, then one column per aggregate, e.g.
   * `{ total: { sum: 'amount' }, n: { count: '*' } }`. sum and count of integers are LONG,
   * avg is DOUBLE, min and max keep the column's type.
   */
  aggregate(aggregates: Readonly<Record<string, AggregateSpec>>): Table {
    const batch = groupByAggregate(this.table.toArrow(), this.keys, aggregates, this.table.source);
    return Table.fromBatches([batch], batch.schema, this.table.source);
  }
}
