import type { Data, DataType, Vector } from 'apache-arrow';
import { arrow } from '../core/arrow-module.js';
import { InputError } from '../core/errors.js';
import { DenseMatrix } from '../core/matrix.js';
import { DenseVector } from './dense-vector.js';
import {
  DenseVectorTypeInfo,
  denseVectorArrowType,
  isDenseVectorType,
  type TypeInformation,
  Types,
} from './types.js';

/**
 * Conversions between JS values and Arrow columns. Columns are built in one pass into typed
 * arrays (never one Arrow builder call per value for numbers and vectors), and read back
 * per record batch, where each column is a single contiguous Data.
 */

/** Where a value came from, for error messages: `<rows> row 3, column 'x'`. */
function location(source: string, row: number, name: string): { file: string } {
  return { file: `${source} row ${row}, column '${name}'` };
}

/** The column type of a JS value, or undefined for null. */
export function typeOfValue(value: unknown): TypeInformation | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return Types.DOUBLE;
  if (typeof value === 'bigint') return Types.LONG;
  if (typeof value === 'string') return Types.STRING;
  if (typeof value === 'boolean') return Types.BOOLEAN;
  if (value instanceof DenseVector || value instanceof Float64Array) return new DenseVectorTypeInfo();
  return undefined;
}

/** The type of a column of values: the type of its first non-null value. */
export function inferColumnType(name: string, values: readonly unknown[], source: string): TypeInformation {
  for (let i = 0; i < values.length; i++) {
    if (values[i] === null || values[i] === undefined) continue;
    const type = typeOfValue(values[i]);
    if (type === undefined) {
      throw new InputError('cannot infer a column type', {
        ...location(source, i, name),
        text: String(values[i]),
        expected: 'a number, bigint, string, boolean or dense vector (or give the types)',
      });
    }
    return type;
  }
  throw new InputError('cannot infer the type of a column with no values', {
    file: `${source} column '${name}'`,
    expected: 'the column types (Types.ROW_NAMED)',
  });
}

/** A validity bitmap for the given nulls, or undefined when there are none. */
function validityBitmap(
  length: number,
  isNull: (i: number) => boolean,
): { bitmap?: Uint8Array; nulls: number } {
  let nulls = 0;
  let bitmap: Uint8Array | undefined;
  for (let i = 0; i < length; i++) {
    if (!isNull(i)) continue;
    if (bitmap === undefined) bitmap = new Uint8Array((length + 7) >> 3).fill(0xff);
    bitmap[i >> 3] &= ~(1 << (i & 7));
    nulls++;
  }
  return { bitmap, nulls };
}

const isMissing = (value: unknown): boolean => value === null || value === undefined;

/**
 * Builds one Arrow column of `type` from JS values (null or undefined become nulls). Numbers,
 * bigints and vectors are checked and written into one typed array; a value of the wrong
 * kind is an InputError naming its row and column.
 */
export function columnFromValues(
  name: string,
  values: readonly unknown[],
  type: TypeInformation | undefined,
  source = '<rows>',
): Vector {
  const info = type ?? inferColumnType(name, values, source);
  const length = values.length;
  const { bitmap, nulls } = validityBitmap(length, (i) => isMissing(values[i]));
  const wrong = (i: number, expected: string): InputError =>
    new InputError(`a value of the wrong type`, {
      ...location(source, i, name),
      text: String(values[i]),
      expected,
    });
  switch (info.kind) {
    case 'DOUBLE':
    case 'FLOAT': {
      const data = info.kind === 'DOUBLE' ? new Float64Array(length) : new Float32Array(length);
      for (let i = 0; i < length; i++) {
        const value = values[i];
        if (typeof value === 'number') data[i] = value;
        else if (!isMissing(value)) throw wrong(i, 'a number');
      }
      const arrowType = info.kind === 'DOUBLE' ? new (arrow().Float64)() : new (arrow().Float32)();
      return arrow().makeVector(
        arrow().makeData({ type: arrowType, length, nullCount: nulls, nullBitmap: bitmap, data }),
      );
    }
    case 'LONG':
    case 'INT': {
      const data = info.kind === 'LONG' ? new BigInt64Array(length) : new Int32Array(length);
      for (let i = 0; i < length; i++) {
        const value = values[i];
        if (isMissing(value)) continue;
        const integral =
          typeof value === 'bigint'
            ? value
            : typeof value === 'number' && Number.isInteger(value)
              ? value
              : undefined;
        if (integral === undefined) throw wrong(i, 'an integer');
        if (data instanceof BigInt64Array) data[i] = BigInt(integral);
        else if (Number(integral) >= -(2 ** 31) && Number(integral) < 2 ** 31) data[i] = Number(integral);
        else throw wrong(i, 'a 32-bit integer');
      }
      const arrowType = info.kind === 'LONG' ? new (arrow().Int64)() : new (arrow().Int32)();
      return arrow().makeVector(
        arrow().makeData({ type: arrowType, length, nullCount: nulls, nullBitmap: bitmap, data }),
      );
    }
    case 'BOOLEAN':
      for (let i = 0; i < length; i++) {
        if (!isMissing(values[i]) && typeof values[i] !== 'boolean') throw wrong(i, 'a boolean');
      }
      return arrow().vectorFromArray(
        values.map((value) => value ?? null),
        new (arrow().Bool)(),
      ) as Vector;
    case 'STRING':
      for (let i = 0; i < length; i++) {
        if (!isMissing(values[i]) && typeof values[i] !== 'string') throw wrong(i, 'a string');
      }
      return arrow().makeVector(utf8Data(values as readonly (string | null | undefined)[]));
    case 'DENSE_VECTOR':
      return denseVectorColumn(name, values, (info as DenseVectorTypeInfo).dimension, source, bitmap, nulls);
    case 'ARROW':
      return arrow().vectorFromArray(values as unknown[], info.arrowType as DataType) as Vector;
  }
}

function vectorValues(value: unknown): Float64Array | number[] | undefined {
  if (value instanceof DenseVector) return value.values;
  if (value instanceof Float64Array) return value;
  if (Array.isArray(value) && value.every((x) => typeof x === 'number')) return value;
  return undefined;
}

function denseVectorColumn(
  name: string,
  values: readonly unknown[],
  declared: number | undefined,
  source: string,
  bitmap: Uint8Array | undefined,
  nulls: number,
): Vector {
  let dimension = declared;
  for (let i = 0; dimension === undefined && i < values.length; i++) {
    dimension = vectorValues(values[i])?.length;
  }
  const size = dimension ?? 1;
  const flat = new Float64Array(values.length * size);
  for (let i = 0; i < values.length; i++) {
    if (isMissing(values[i])) continue;
    const vector = vectorValues(values[i]);
    if (vector === undefined || vector.length !== size) {
      throw new InputError('a value of the wrong type', {
        ...location(source, i, name),
        text: String(values[i]),
        expected: `a dense vector of dimension ${size}`,
      });
    }
    flat.set(vector, i * size);
  }
  return arrow().makeVector(denseVectorData(flat, size, bitmap, nulls));
}

/**
 * A string column: the UTF-8 bytes of all values in one buffer with their offsets (Arrow's
 * builder is an order of magnitude slower for large columns).
 */
export function utf8Data(values: readonly (string | null | undefined)[]): Data {
  const length = values.length;
  const valueOffsets = new Int32Array(length + 1);
  let total = 0;
  for (let i = 0; i < length; i++) {
    const value = values[i];
    if (typeof value === 'string') total += Buffer.byteLength(value, 'utf8');
    valueOffsets[i + 1] = total;
  }
  const bytes = Buffer.allocUnsafe(total);
  for (let i = 0; i < length; i++) {
    const value = values[i];
    if (typeof value === 'string') bytes.write(value, valueOffsets[i], 'utf8');
  }
  const { bitmap, nulls } = validityBitmap(length, (i) => isMissing(values[i]));
  const data = new Uint8Array(bytes.buffer, bytes.byteOffset, total);
  return arrow().makeData({
    type: new (arrow().Utf8)(),
    length,
    nullCount: nulls,
    nullBitmap: bitmap,
    valueOffsets,
    data,
  });
}

/** A dense-vector column over a flat row-major array (no copy). */
export function denseVectorData(
  flat: Float64Array,
  dimension: number,
  nullBitmap?: Uint8Array,
  nullCount = 0,
): Data {
  const length = dimension === 0 ? 0 : flat.length / dimension;
  const child = arrow().makeData({ type: new (arrow().Float64)(), length: flat.length, data: flat });
  return arrow().makeData({ type: denseVectorArrowType(dimension), length, nullCount, nullBitmap, child });
}

/**
 * The flat row-major values of one chunk of a dense-vector column: a view of Arrow's buffer.
 * (A sliced Arrow chunk keeps a child whose values already start at the slice's first row.)
 */
export function denseVectorChunkValues(data: Data): Float64Array {
  const dimension = (data.type as unknown as { listSize: number }).listSize;
  return (data.children[0].values as Float64Array).subarray(0, data.length * dimension);
}

/**
 * A function reading row `i` of one column chunk as a JS value: numbers, bigints (LONG),
 * strings, booleans, DenseVector views for vector columns, arrays for other lists, null.
 */
export function cellReader(data: Data): (row: number) => unknown {
  const vector = arrow().makeVector(data);
  if (isDenseVectorType(data.type)) {
    const dimension = data.type.listSize;
    const flat = denseVectorChunkValues(data);
    return (row) =>
      vector.isValid(row) ? new DenseVector(flat.subarray(row * dimension, (row + 1) * dimension)) : null;
  }
  return (row) => {
    const value = vector.get(row);
    if (value !== null && typeof value === 'object' && 'toArray' in value) return Array.from(value.toArray());
    return value;
  };
}

/**
 * A dense-vector column of an Arrow table as a row-major matrix, one row per record. No
 * per-row objects: a view of Arrow's buffer when the column is one chunk, else one copy.
 */
export function vectorColumnToMatrix(chunks: readonly Data[], name: string, source = '<table>'): DenseMatrix {
  const type = chunks[0]?.type;
  if (type === undefined || !isDenseVectorType(type)) {
    throw new InputError(`column '${name}' is not a dense-vector column`, {
      file: source,
      text: String(type),
      expected: 'FixedSizeList<Float64> (DENSE_VECTOR)',
    });
  }
  for (const chunk of chunks) {
    if (chunk.nullCount > 0) {
      throw new InputError(`column '${name}' has ${chunk.nullCount} null vectors`, {
        file: source,
        expected: 'a vector in every row',
      });
    }
  }
  const dimension = type.listSize;
  const rows = chunks.reduce((total, chunk) => total + chunk.length, 0);
  if (chunks.length === 1) return new DenseMatrix(rows, dimension, denseVectorChunkValues(chunks[0]));
  const matrix = new DenseMatrix(rows, dimension);
  let offset = 0;
  for (const chunk of chunks) {
    const values = denseVectorChunkValues(chunk);
    matrix.data.set(values, offset);
    offset += values.length;
  }
  return matrix;
}
