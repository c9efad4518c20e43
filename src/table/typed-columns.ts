import type { Table as ArrowTable, Data, DataType, List, Struct, Vector } from 'apache-arrow';
import { arrow } from '../core/arrow-module.js';
import { InputError, ParamError } from '../core/errors.js';
import { DenseMatrix } from '../core/matrix.js';
import { SparseRows } from '../core/sparse-rows.js';
import { denseVectorChunkValues, denseVectorData, utf8Data } from './columns.js';
import { isDenseVectorType } from './types.js';

/**
 * A table's columns in eddy's own typed form, the form every ML stage reads and writes, and
 * their conversion to and from Arrow. Numbers and dense vectors convert without a copy both
 * ways when the Arrow column is one chunk of doubles without nulls: the Float64Array of a
 * number column is the Arrow column's buffer, and the DenseMatrix of a vector column is the
 * flat child buffer of its FixedSizeList<Float64>.
 */

/**
 * One typed column of a {@link Table}: numbers (`Float64Array`), strings, dense vectors (a
 * {@link DenseMatrix}, one row per record: Flink ML's vector column, Arrow's FixedSizeList),
 * sparse vectors (one {@link SparseRows} row per record: Spark ML's SparseVector, what the text
 * stages make), or token lists (Spark ML's array<string>, what tokenizers make).
 *
 * Numeric and vector columns may say which of their values are categories (Spark ML's nominal
 * attributes): `categories` of a number column is how many categories its values 0, 1, 2, ...
 * index (StringIndexer writes it); that of a vector column maps each categorical slot to its
 * count (VectorAssembler carries them over). Tree estimators split such features by subsets of
 * categories without being told. A stage that makes a new column from other values drops it.
 * In Arrow the categories travel as the field's metadata (`eddy.categories`).
 */
export type TableColumn =
  | { readonly kind: 'number'; readonly values: Float64Array; readonly categories?: number }
  | { readonly kind: 'string'; readonly values: readonly string[] }
  | {
      readonly kind: 'vector';
      readonly values: DenseMatrix;
      readonly categories?: ReadonlyMap<number, number>;
    }
  | { readonly kind: 'sparse'; readonly values: SparseRows }
  | { readonly kind: 'tokens'; readonly values: readonly (readonly string[])[] };

/** Where the rows of typed columns came from, beside the columns themselves. */
export interface TypedColumnOptions {
  /** Where the data came from (a file path, `<table>`), for error messages. */
  source?: string;
  /** The 1-based line of each row in the source file, when it is a text file. */
  lines?: Int32Array;
  /** The number of rows (needed when there are no columns). */
  rowCount?: number;
  /**
   * When the first `rowMajor.columns` columns are numeric and were read into one row-major
   * matrix (an all-numeric CSV), that matrix: features taken from those columns need no
   * transposition, and none at all when they are all of them, in order.
   */
  rowMajor?: DenseMatrix;
}

/** Typed columns of one length, checked. */
export interface TypedColumns {
  readonly names: readonly string[];
  readonly columns: readonly TableColumn[];
  readonly rowCount: number;
  readonly lines?: Int32Array;
  readonly rowMajor?: DenseMatrix;
}

/** The number of rows of a typed column. */
export function typedColumnLength(column: TableColumn): number {
  return column.kind === 'vector' || column.kind === 'sparse' ? column.values.rows : column.values.length;
}

/** Checks that names are distinct, one per column, and that every column has the same length. */
export function checkTypedColumns(
  names: readonly string[],
  columns: readonly TableColumn[],
  options: TypedColumnOptions = {},
): TypedColumns {
  const rowCount = options.rowCount ?? (columns.length === 0 ? 0 : typedColumnLength(columns[0]));
  if (names.length !== columns.length) throw new ParamError('names', names, `${columns.length} column names`);
  if (new Set(names).size !== names.length) throw new ParamError('names', names, 'distinct column names');
  columns.forEach((column, j) => {
    if (typedColumnLength(column) !== rowCount) {
      throw new ParamError(names[j], `a column of ${typedColumnLength(column)} rows`, `${rowCount} rows`);
    }
  });
  return { names, columns, rowCount, lines: options.lines, rowMajor: options.rowMajor };
}

/** The Arrow field metadata key of a column's categories (see {@link TableColumn}). */
export const CATEGORIES_METADATA = 'eddy.categories';

/** A column's categories as Arrow field metadata: the count, or a vector's `[[slot, count], ...]`. */
export function categoriesMetadata(column: TableColumn): string | undefined {
  if (column.kind === 'number' && column.categories !== undefined) return String(column.categories);
  if (column.kind === 'vector' && column.categories !== undefined && column.categories.size > 0)
    return JSON.stringify([...column.categories]);
  return undefined;
}

/**
 * A typed column as one Arrow column: Float64 (zero-copy), Utf8, FixedSizeList<Float64> vectors
 * (zero-copy), sparse vectors as Struct<size, indices, values> (the lists sharing the rows'
 * arrays), token lists as List<Utf8>.
 */
export function typedColumnToArrow(column: TableColumn): Data {
  const a = arrow();
  switch (column.kind) {
    case 'number':
      return a.makeData({ type: new a.Float64(), length: column.values.length, data: column.values });
    case 'string':
      return utf8Data(column.values);
    case 'vector':
      return denseVectorData(column.values.data, column.values.columns);
    case 'sparse':
      return sparseData(column.values);
    case 'tokens': {
      const type = new a.List(new a.Field('element', new a.Utf8(), false));
      return a.vectorFromArray(column.values as string[][], type).data[0] as Data;
    }
  }
}

/**
 * Sparse rows as Arrow: Struct<size: Int32, indices: List<Int32>, values: List<Float64>>, Spark
 * ML's SparseVector fields, the lists sharing the rows' offsets and arrays (no copy).
 */
function sparseData(rows: SparseRows): Data {
  const a = arrow();
  const field = (name: string, type: DataType) => new a.Field(name, type, false);
  const list = (type: DataType, values: Int32Array | Float64Array) =>
    a.makeData({
      type: new a.List(field('element', type)),
      length: rows.rows,
      nullCount: 0,
      valueOffsets: rows.offsets,
      child: a.makeData({ type, length: values.length, data: values } as never),
    });
  const sizes = a.makeData({
    type: new a.Int32(),
    length: rows.rows,
    data: new Int32Array(rows.rows).fill(rows.columns),
  });
  const indices = list(new a.Int32(), rows.indices);
  const values = list(new a.Float64(), rows.values);
  const type = new a.Struct([
    field('size', sizes.type),
    field('indices', indices.type),
    field('values', values.type),
  ]);
  return a.makeData({ type, length: rows.rows, nullCount: 0, children: [sizes, indices, values] });
}

function isSparseVectorType(type: DataType): boolean {
  if (!arrow().DataType.isStruct(type)) return false;
  const names = (type as Struct).children.map((child) => child.name);
  return ['size', 'indices', 'values'].every((n) => names.includes(n));
}

/** An Arrow column of Struct<size, indices, values> rows (see sparseData) as sparse rows. */
function sparseFromArrow(vector: Vector, name: string, source: string): SparseRows {
  const offsets = new Int32Array(vector.length + 1);
  const indices: number[] = [];
  const values: number[] = [];
  let size = 0;
  for (let i = 0; i < vector.length; i++) {
    const row = vector.get(i) as { size: number; indices: Iterable<number>; values: Iterable<number> } | null;
    if (row === null) {
      throw new InputError(`sparse vector column '${name}' has a null in row ${i}`, {
        file: source,
        expected: 'a vector in every row',
      });
    }
    size = Math.max(size, Number(row.size));
    for (const index of row.indices) indices.push(Number(index));
    for (const value of row.values) values.push(Number(value));
    offsets[i + 1] = indices.length;
  }
  return new SparseRows(size, offsets, Int32Array.from(indices), Float64Array.from(values));
}

/** A FixedSizeList column as a matrix: a view of a single Float64 chunk, else one copy. */
function vectorFromArrow(vector: Vector, name: string, source: string): DenseMatrix {
  if (vector.nullCount > 0) {
    throw new InputError(`vector column '${name}' has ${vector.nullCount} nulls`, {
      file: source,
      expected: 'a vector in every row',
    });
  }
  const size = (vector.type as unknown as { listSize: number }).listSize;
  const chunks = vector.data as Data[];
  if (chunks.length === 1 && isDenseVectorType(chunks[0].type)) {
    const values = denseVectorChunkValues(chunks[0]);
    if (values instanceof Float64Array) return new DenseMatrix(vector.length, size, values);
  }
  const values = new Float64Array(vector.length * size);
  let offset = 0;
  for (const chunk of chunks) {
    // Arrow JS slices the child's values with the chunk: they start at the chunk's first row.
    const childValues = chunk.children[0].values as ArrayLike<number>;
    for (let i = 0; i < chunk.length * size; i++) values[offset + i] = Number(childValues[i]);
    offset += chunk.length * size;
  }
  return new DenseMatrix(vector.length, size, values);
}

/** A numeric column as doubles: the Arrow buffer itself for one Float64 chunk without nulls. */
function numbersFromArrow(vector: Vector): Float64Array {
  const array = vector.toArray() as ArrayLike<number | bigint>;
  // toArray is a view of the buffer for one chunk and a new array for several: NaN for the nulls
  // (feature extraction reports them with the row) is never written into Arrow's own buffer.
  const fresh = vector.data.length !== 1;
  const values =
    array instanceof Float64Array && (fresh || vector.nullCount === 0)
      ? array
      : Float64Array.from(array as ArrayLike<number>, (v) => Number(v));
  if (vector.nullCount > 0)
    for (let i = 0; i < values.length; i++) if (!vector.isValid(i)) values[i] = Number.NaN;
  return values;
}

/** One Arrow column as a typed column, or an error naming the column and its type. */
function typedColumnFromArrow(vector: Vector, name: string, source: string): TableColumn {
  const a = arrow();
  const type = vector.type as DataType;
  if (isSparseVectorType(type)) return { kind: 'sparse', values: sparseFromArrow(vector, name, source) };
  if (a.DataType.isList(type) && a.DataType.isUtf8((type as List).valueType)) {
    const values: string[][] = new Array(vector.length);
    for (let i = 0; i < vector.length; i++) {
      const tokens = vector.get(i) as Iterable<string> | null;
      values[i] = tokens === null ? [] : Array.from(tokens, String);
    }
    return { kind: 'tokens', values };
  }
  if (a.DataType.isFixedSizeList(type))
    return { kind: 'vector', values: vectorFromArrow(vector, name, source) };
  if (a.DataType.isFloat(type) || a.DataType.isInt(type))
    return { kind: 'number', values: numbersFromArrow(vector) };
  if (a.DataType.isUtf8(type) || a.DataType.isDictionary(type) || a.DataType.isLargeUtf8(type)) {
    const values: string[] = new Array(vector.length);
    for (let i = 0; i < vector.length; i++) {
      const value = vector.get(i);
      values[i] = value === null ? '' : String(value);
    }
    return { kind: 'string', values };
  }
  if (a.DataType.isBool(type)) {
    return {
      kind: 'number',
      values: Float64Array.from({ length: vector.length }, (_, i) => (vector.get(i) ? 1 : 0)),
    };
  }
  throw new InputError(`column '${name}' has Arrow type ${String(type)}`, {
    file: source,
    expected: 'numbers, strings, booleans, fixed-size lists of numbers, sparse vectors or lists of strings',
  });
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

/** A column with the categories its Arrow field metadata gives, checked. */
function withCategories(
  column: TableColumn,
  text: string | undefined,
  name: string,
  source: string,
): TableColumn {
  if (text === undefined || (column.kind !== 'number' && column.kind !== 'vector')) return column;
  const bad = () =>
    new InputError(`column '${name}' has malformed '${CATEGORIES_METADATA}' metadata`, {
      file: source,
      text,
      expected:
        column.kind === 'number'
          ? 'the number of categories (an integer >= 1)'
          : 'a JSON list of [slot, count] pairs',
    });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw bad();
  }
  if (column.kind === 'number') {
    if (!isCount(parsed)) throw bad();
    return { ...column, categories: parsed };
  }
  const width = column.values.columns;
  if (
    !Array.isArray(parsed) ||
    !parsed.every(
      (pair) =>
        Array.isArray(pair) &&
        pair.length === 2 &&
        Number.isInteger(pair[0]) &&
        pair[0] >= 0 &&
        pair[0] < width &&
        isCount(pair[1]),
    )
  )
    throw bad();
  return { ...column, categories: new Map(parsed as [number, number][]) };
}

/**
 * An Arrow table as typed columns: numeric columns as Float64, strings, fixed-size lists as
 * vectors, Struct<size, indices, values> as sparse vectors, List<Utf8> as token lists; the
 * categories of a column come from its field metadata (`eddy.categories`).
 */
export function typedColumnsFromArrow(table: ArrowTable, source: string): TypedColumns {
  const fields = table.schema.fields;
  const names = fields.map((field) => field.name);
  const columns = names.map((name, j) =>
    withCategories(
      typedColumnFromArrow(table.getChildAt(j)!, name, source),
      fields[j].metadata.get(CATEGORIES_METADATA),
      name,
      source,
    ),
  );
  return checkTypedColumns(names, columns, { rowCount: table.numRows });
}
