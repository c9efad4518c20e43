import type { DataType, FixedSizeList, List, Struct, Table, Vector } from 'apache-arrow';
import type { Matrix } from 'ml-matrix';
import { arrow } from '../core/arrow-module.js';
import { InputError, ParamError } from '../core/errors.js';
import { DenseMatrix } from '../core/matrix.js';
import { isMlMatrix } from '../core/ml-matrix.js';
import { SparseRows } from '../core/sparse-rows.js';
import { Table as EddyTable } from '../table/table.js';

/**
 * The in-memory table every ML stage reads and writes: named columns of one length. A column
 * holds numbers (`Float64Array`), strings, or vectors (a {@link DenseMatrix}, one row per record:
 * Flink ML's vector column, Arrow's FixedSizeList). It is deliberately the shape of a parsed CSV
 * table, so CSV and Arrow inputs reach the estimators without another copy.
 */
export interface Frame {
  readonly names: readonly string[];
  readonly columns: readonly FrameColumn[];
  readonly rowCount: number;
  /** Where the data came from (a file path, `<table>`), for error messages. */
  readonly source: string;
  /** The 1-based line of each row in the source file, when it is a text file. */
  readonly lines?: Int32Array;
  /**
   * When the first `rowMajor.columns` columns are numeric and were read into one row-major
   * matrix (an all-numeric CSV), that matrix: features taken from those columns need no
   * transposition, and none at all when they are all of them, in order.
   */
  readonly rowMajor?: DenseMatrix;
}

/**
 * One column of a {@link Frame}: numbers, strings, dense vectors (one matrix row per record),
 * sparse vectors (one {@link SparseRows} row per record: Spark ML's SparseVector, what the
 * text stages make), or token lists (Spark ML's array<string>, what tokenizers make).
 *
 * Numeric and vector columns may say which of their values are categories (Spark ML's nominal
 * attributes): `categories` of a number column is how many categories its values 0, 1, 2, ...
 * index (StringIndexer writes it); that of a vector column maps each categorical slot to its
 * count (VectorAssembler carries them over). Tree estimators split such features by subsets of
 * categories without being told. A stage that makes a new column from other values drops it.
 */
export type FrameColumn =
  | { readonly kind: 'number'; readonly values: Float64Array; readonly categories?: number }
  | { readonly kind: 'string'; readonly values: readonly string[] }
  | {
      readonly kind: 'vector';
      readonly values: DenseMatrix;
      readonly categories?: ReadonlyMap<number, number>;
    }
  | { readonly kind: 'sparse'; readonly values: SparseRows }
  | { readonly kind: 'tokens'; readonly values: readonly (readonly string[])[] };

/** Features with optional labels and sample weights, for data that has no column names. */
export interface LabeledData {
  features: DenseMatrix | Matrix | readonly (readonly number[])[];
  labels?: ArrayLike<number> | readonly string[];
  weights?: ArrayLike<number>;
}

/**
 * What estimators and models accept in memory: a {@link Frame}, an Arrow `Table`, an eddy `Table`, a
 * {@link DenseMatrix}, an ml-matrix `Matrix`, `number[][]` (each becomes the vector column
 * `features`), or {@link LabeledData} (columns `features`, `label`, `weight`).
 */
export type InMemoryData =
  | Frame
  | Table
  | EddyTable
  | DenseMatrix
  | Matrix
  | readonly (readonly number[])[]
  | LabeledData;

/** Builds a frame, checking that every column has `rowCount` values. */
export function createFrame(
  names: readonly string[],
  columns: readonly FrameColumn[],
  options: { source?: string; lines?: Int32Array; rowCount?: number; rowMajor?: DenseMatrix } = {},
): Frame {
  const rowCount = options.rowCount ?? (columns.length === 0 ? 0 : columnLength(columns[0]));
  if (names.length !== columns.length) throw new ParamError('names', names, `${columns.length} column names`);
  if (new Set(names).size !== names.length) throw new ParamError('names', names, 'distinct column names');
  columns.forEach((column, j) => {
    if (columnLength(column) !== rowCount) {
      throw new ParamError(names[j], `a column of ${columnLength(column)} rows`, `${rowCount} rows`);
    }
  });
  return {
    names,
    columns,
    rowCount,
    source: options.source ?? '<table>',
    lines: options.lines,
    rowMajor: options.rowMajor,
  };
}

function columnLength(column: FrameColumn): number {
  return column.kind === 'vector' || column.kind === 'sparse' ? column.values.rows : column.values.length;
}

/** The frame with a column added, or replaced when the name exists (input columns stay shared). */
export function withColumn(frame: Frame, name: string, column: FrameColumn): Frame {
  const index = frame.names.indexOf(name);
  const names = index < 0 ? [...frame.names, name] : frame.names;
  const columns = [...frame.columns];
  if (index < 0) columns.push(column);
  else columns[index] = column;
  // Appending keeps the row-major copy of the leading columns valid; replacing one may not.
  const rowMajor = index < 0 ? frame.rowMajor : undefined;
  return createFrame(names, columns, {
    source: frame.source,
    lines: frame.lines,
    rowCount: frame.rowCount,
    rowMajor,
  });
}

/** The named column, or an error listing the columns there are. */
export function getColumn(frame: Frame, name: string, role = 'column'): FrameColumn {
  const index = frame.names.indexOf(name);
  if (index < 0) {
    throw new InputError(`no ${role} '${name}'`, {
      file: frame.source,
      expected: `one of the columns ${frame.names.join(', ') || '(none)'}`,
    });
  }
  return frame.columns[index];
}

/** Where row `row` of a frame came from, for error messages: its file line when known. */
export function rowLocation(frame: Frame, row: number): { file: string; line?: number } {
  return frame.lines
    ? { file: frame.source, line: frame.lines[row] }
    : { file: `${frame.source} row ${row}` };
}

function isFrame(data: unknown): data is Frame {
  return (
    typeof data === 'object' && data !== null && 'names' in data && 'columns' in data && 'rowCount' in data
  );
}

function isLabeledData(data: unknown): data is LabeledData {
  return typeof data === 'object' && data !== null && !Array.isArray(data) && 'features' in data;
}

function toDenseMatrix(
  features: DenseMatrix | Matrix | readonly (readonly number[])[],
  what: string,
): DenseMatrix {
  if (features instanceof DenseMatrix) return features;
  if (isMlMatrix(features)) return DenseMatrix.fromMlMatrix(features);
  if (Array.isArray(features)) return DenseMatrix.fromRows(features);
  throw new ParamError(what, features, 'a DenseMatrix, an ml-matrix Matrix or number[][]');
}

/** Converts any {@link InMemoryData} to a frame (no copy for frames, matrices and Float64 columns). */
export function toFrame(data: InMemoryData): Frame {
  if (isFrame(data)) return data;
  if (data instanceof arrow().Table) return frameFromArrow(data);
  if (data instanceof EddyTable) return frameFromArrow(data.toArrow(), data.source);
  if (data instanceof DenseMatrix || Array.isArray(data) || isMlMatrix(data)) {
    return createFrame(
      ['features'],
      [{ kind: 'vector', values: toDenseMatrix(data as DenseMatrix, 'data') }],
    );
  }
  if (isLabeledData(data)) {
    const features = toDenseMatrix(data.features, 'features');
    const names = ['features'];
    const columns: FrameColumn[] = [{ kind: 'vector', values: features }];
    if (data.labels !== undefined) {
      names.push('label');
      const labels = data.labels;
      const strings = labels.length > 0 && typeof labels[0] === 'string';
      columns.push(
        strings
          ? { kind: 'string', values: Array.from(labels as readonly string[]) }
          : { kind: 'number', values: Float64Array.from(labels as ArrayLike<number>) },
      );
    }
    if (data.weights !== undefined) {
      names.push('weight');
      columns.push({ kind: 'number', values: Float64Array.from(data.weights) });
    }
    return createFrame(names, columns);
  }
  throw new ParamError(
    'data',
    data,
    'a Frame, an Arrow Table, an eddy Table, a DenseMatrix, an ml-matrix Matrix, number[][] or { features, labels }',
  );
}

function arrowColumn(vector: Vector, name: string, source: string): FrameColumn {
  const type = vector.type as DataType;
  if (isSparseVectorType(type)) return { kind: 'sparse', values: sparseFromArrow(vector, name, source) };
  if (arrow().DataType.isList(type) && arrow().DataType.isUtf8((type as List).valueType)) {
    const values: string[][] = new Array(vector.length);
    for (let i = 0; i < vector.length; i++) {
      const tokens = vector.get(i) as Iterable<string> | null;
      values[i] = tokens === null ? [] : Array.from(tokens, String);
    }
    return { kind: 'tokens', values };
  }
  if (arrow().DataType.isFixedSizeList(type)) {
    const size = (type as FixedSizeList).listSize;
    const values = new Float64Array(vector.length * size);
    let offset = 0;
    for (const chunk of vector.data) {
      const child = chunk.children[0];
      const childValues = child.values as ArrayLike<number>;
      // Arrow JS slices the child's values with the chunk: they start at the chunk's first row
      // (child.offset only positions the validity bitmap), so a sliced table reads right.
      for (let i = 0; i < chunk.length * size; i++) values[offset + i] = Number(childValues[i]);
      offset += chunk.length * size;
    }
    if (vector.nullCount > 0) {
      throw new InputError(`vector column '${name}' has ${vector.nullCount} nulls`, {
        file: source,
        expected: 'a vector in every row',
      });
    }
    return { kind: 'vector', values: new DenseMatrix(vector.length, size, values) };
  }
  if (arrow().DataType.isFloat(type) || arrow().DataType.isInt(type)) {
    const array = vector.toArray() as ArrayLike<number | bigint>;
    const values = array instanceof Float64Array ? array : Float64Array.from(array, (v) => Number(v));
    // Nulls in a numeric column read as NaN; feature extraction reports them with the row.
    if (vector.nullCount > 0)
      for (let i = 0; i < values.length; i++) if (!vector.isValid(i)) values[i] = Number.NaN;
    return { kind: 'number', values };
  }
  if (
    arrow().DataType.isUtf8(type) ||
    arrow().DataType.isDictionary(type) ||
    arrow().DataType.isLargeUtf8(type)
  ) {
    const values: string[] = new Array(vector.length);
    for (let i = 0; i < vector.length; i++) {
      const value = vector.get(i);
      values[i] = value === null ? '' : String(value);
    }
    return { kind: 'string', values };
  }
  if (arrow().DataType.isBool(type)) {
    return {
      kind: 'number',
      values: Float64Array.from({ length: vector.length }, (_, i) => (vector.get(i) ? 1 : 0)),
    };
  }
  throw new InputError(`column '${name}' has Arrow type ${String(type)}`, {
    file: source,
    expected: 'numbers, strings, booleans or fixed-size lists of numbers',
  });
}

/** The Arrow field metadata key of a column's categories (see {@link FrameColumn}). */
export const CATEGORIES_METADATA = 'eddy.categories';

/** A column's categories as Arrow field metadata: the count, or a vector's `[[slot, count], ...]`. */
function categoriesMetadata(column: FrameColumn): string | undefined {
  if (column.kind === 'number' && column.categories !== undefined) return String(column.categories);
  if (column.kind === 'vector' && column.categories !== undefined && column.categories.size > 0)
    return JSON.stringify([...column.categories]);
  return undefined;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

/** A column with the categories its Arrow field metadata gives, checked. */
function withCategories(
  column: FrameColumn,
  text: string | undefined,
  name: string,
  source: string,
): FrameColumn {
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
 * An Arrow table as a frame: numeric columns as Float64, strings, fixed-size lists as vectors;
 * the categories of a column come from its field metadata (`eddy.categories`).
 */
export function frameFromArrow(table: Table, source = '<table>'): Frame {
  const fields = table.schema.fields;
  const names = fields.map((field) => field.name);
  const columns = names.map((name, j) =>
    withCategories(
      arrowColumn(table.getChildAt(j)!, name, source),
      fields[j].metadata.get(CATEGORIES_METADATA),
      name,
      source,
    ),
  );
  return createFrame(names, columns, { source, rowCount: table.numRows });
}

/**
 * A frame as an Arrow table: Float64 columns (zero-copy), Utf8, FixedSizeList<Float64> vectors,
 * sparse vectors as Struct<size, indices, values>, and token lists as List<Utf8>; a column's
 * categories as its field's metadata (`eddy.categories`).
 */
export function frameToArrow(frame: Frame): Table {
  const vectors: Record<string, Vector> = {};
  frame.names.forEach((name, j) => {
    const column = frame.columns[j];
    if (column.kind === 'number') vectors[name] = arrow().makeVector(column.values);
    else if (column.kind === 'string')
      vectors[name] = arrow().vectorFromArray(column.values as string[], new (arrow().Utf8)());
    else if (column.kind === 'sparse') vectors[name] = sparseVector(column.values);
    else if (column.kind === 'tokens') {
      const type = new (arrow().List)(new (arrow().Field)('element', new (arrow().Utf8)(), false));
      vectors[name] = arrow().vectorFromArray(column.values as string[][], type);
    } else {
      const matrix = column.values;
      const type = new (arrow().FixedSizeList)(
        matrix.columns,
        new (arrow().Field)('element', new (arrow().Float64)(), false),
      );
      const child = arrow().makeData({
        type: new (arrow().Float64)(),
        length: matrix.data.length,
        data: matrix.data,
      });
      vectors[name] = arrow().makeVector(
        arrow().makeData({ type, length: matrix.rows, nullCount: 0, child }),
      );
    }
  });
  const table = new (arrow().Table)(vectors);
  const metadata = frame.columns.map(categoriesMetadata);
  if (metadata.every((text) => text === undefined)) return table;
  // The categories travel as field metadata, which a table built from vectors has no room for.
  const schema = new (arrow().Schema)(
    table.schema.fields.map((field, j) =>
      metadata[j] === undefined
        ? field
        : field.clone({ metadata: new Map([[CATEGORIES_METADATA, metadata[j]!]]) }),
    ),
  );
  return new (arrow().Table)(
    schema,
    table.batches.map((batch) => new (arrow().RecordBatch)(schema, batch.data)),
  );
}

/**
 * Sparse rows as Arrow: Struct<size: Int32, indices: List<Int32>, values: List<Float64>>, Spark
 * ML's SparseVector fields, the lists sharing the rows' offsets and arrays (no copy).
 */
function sparseVector(rows: SparseRows): Vector {
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
  return a.makeVector(
    a.makeData({ type, length: rows.rows, nullCount: 0, children: [sizes, indices, values] }),
  );
}

/** An Arrow column of Struct<size, indices, values> rows (see sparseVector) as sparse rows. */
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

function isSparseVectorType(type: DataType): boolean {
  if (!arrow().DataType.isStruct(type)) return false;
  const names = (type as Struct).children.map((child) => child.name);
  return ['size', 'indices', 'values'].every((n) => names.includes(n));
}
