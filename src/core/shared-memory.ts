/**
 * Typed arrays over SharedArrayBuffers: what worker threads read and write without a copy
 * (the pool's structured clone shares them instead of copying).
 */
import type { NumericArray } from './arrow.js';

type TypedArrayConstructor<A> = new (buffer: ArrayBufferLike) => A;

/** A copy of a typed array in a SharedArrayBuffer (the array itself when it already is shared). */
export function shared<A extends NumericArray>(array: A): A {
  if (array.buffer instanceof SharedArrayBuffer) return array;
  const Constructor = array.constructor as TypedArrayConstructor<A>;
  const copy = new Constructor(new SharedArrayBuffer(array.byteLength));
  (copy as unknown as { set(source: A): void }).set(array);
  return copy;
}

/** A zero-filled Int32Array, in shared memory when `share` is true. */
export function int32Array(length: number, share: boolean): Int32Array {
  return share ? new Int32Array(new SharedArrayBuffer(length * 4)) : new Int32Array(length);
}

/** A zero-filled Float64Array, in shared memory when `share` is true. */
export function float64Array(length: number, share: boolean): Float64Array {
  return share ? new Float64Array(new SharedArrayBuffer(length * 8)) : new Float64Array(length);
}

/** How an algorithm gets its arrays: plain ones for one thread, shared memory for several. */
export interface ArrayAllocator {
  float64(length: number): Float64Array;
  int32(length: number): Int32Array;
}

/** Arrays for a run on the calling thread. */
export const plainArrays: ArrayAllocator = {
  float64: (length) => float64Array(length, false),
  int32: (length) => int32Array(length, false),
};

/** Arrays in SharedArrayBuffers, which worker threads see without a copy. */
export const sharedArrays: ArrayAllocator = {
  float64: (length) => float64Array(length, true),
  int32: (length) => int32Array(length, true),
};
