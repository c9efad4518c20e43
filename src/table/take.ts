import type { Data, DataType, makeData } from 'apache-arrow';
import { arrow } from '../core/arrow-module.js';
import { denseVectorChunkValues } from './columns.js';
import { isDenseVectorType } from './types.js';

/** Typed arrays whose Arrow columns can be gathered by copying values. */
type GatherableArray = Float64Array | Float32Array | Int32Array | Int16Array | Int8Array | BigInt64Array;

/**
 * Picks rows of a column, given as its chunks and global row indices (a negative index gives a
 * null, as a left join needs). Fixed-width numbers and dense vectors are copied between typed
 * arrays; other types go through Arrow's builder.
 */
export function takeRows(chunks: readonly Data[], indices: Int32Array): Data {
  const type = chunks[0].type;
  const length = indices.length;
  const starts = new Int32Array(chunks.length + 1);
  chunks.forEach((chunk, k) => {
    starts[k + 1] = starts[k] + chunk.length;
  });
  const vectors = chunks.map((chunk) => arrow().makeVector(chunk));
  // Find the chunk of a global row: chunks are few, rows are sorted within each.
  let chunkOf = (row: number): number => {
    let k = 0;
    while (starts[k + 1] <= row) k++;
    return k;
  };
  if (chunks.length === 1) chunkOf = () => 0;

  const mayBeNull = chunks.some((chunk) => chunk.nullCount > 0) || indices.some((index) => index < 0);
  let bitmap: Uint8Array | undefined;
  let nullCount = 0;
  if (mayBeNull) {
    bitmap = new Uint8Array((length + 7) >> 3);
    for (let i = 0; i < length; i++) {
      const row = indices[i];
      const k = row < 0 ? -1 : chunkOf(row);
      if (k >= 0 && vectors[k].isValid(row - starts[k])) bitmap[i >> 3] |= 1 << (i & 7);
      else nullCount++;
    }
  }

  if (isDenseVectorType(type)) {
    const dimension = type.listSize;
    const flat = new Float64Array(length * dimension);
    const sources = chunks.map(denseVectorChunkValues);
    for (let i = 0; i < length; i++) {
      const row = indices[i];
      if (row < 0) continue;
      const k = chunkOf(row);
      const local = row - starts[k];
      flat.set(sources[k].subarray(local * dimension, (local + 1) * dimension), i * dimension);
    }
    const child = arrow().makeData({ type: type.children[0].type, length: flat.length, data: flat });
    return arrow().makeData({ type, length, nullCount, nullBitmap: bitmap, child });
  }

  if (type.typeId === arrow().Type.Int || type.typeId === arrow().Type.Float) {
    const sources = chunks.map((chunk) => chunk.values as GatherableArray);
    const Constructor = sources[0].constructor as new (n: number) => GatherableArray;
    const values = new Constructor(length);
    for (let i = 0; i < length; i++) {
      const row = indices[i];
      if (row < 0) continue;
      const k = chunkOf(row);
      values[i] = sources[k][row - starts[k]];
    }
    return arrow().makeData({ type, length, nullCount, nullBitmap: bitmap, data: values } as Parameters<
      typeof makeData
    >[0]) as Data;
  }

  const values = new Array<unknown>(length);
  for (let i = 0; i < length; i++) {
    const row = indices[i];
    const k = row < 0 ? -1 : chunkOf(row);
    values[i] = k < 0 ? null : plainValue(type, vectors[k].get(row - starts[k]));
  }
  return arrow().vectorFromArray(values, type).data[0];
}

/**
 * A value read from an Arrow column as Arrow's builder takes it back: the elements of a list
 * (which reads as a Vector) as an array, the fields of a struct row as an object, nested.
 */
function plainValue(type: DataType, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  const a = arrow();
  if (a.DataType.isList(type) || a.DataType.isFixedSizeList(type)) {
    const element = type.children[0].type as DataType;
    return Array.from(value as Iterable<unknown>, (item) => plainValue(element, item));
  }
  if (a.DataType.isStruct(type)) {
    const row = value as Record<string, unknown>;
    return Object.fromEntries(
      type.children.map((field) => [field.name, plainValue(field.type, row[field.name])]),
    );
  }
  return value;
}
