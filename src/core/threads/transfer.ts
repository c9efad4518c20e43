/**
 * Moving (rather than copying) a worker task's result: a task returns
 * `withTransfer(value, [buffer, ...])` and the listed ArrayBuffers are transferred to the
 * calling thread instead of being cloned.
 */
import type { TransferListItem } from 'node:worker_threads';

const TRANSFER = Symbol.for('eddy.worker.transfer');

interface TransferEnvelope {
  readonly [TRANSFER]: true;
  readonly value: unknown;
  readonly transfer: TransferListItem[];
}

/**
 * Marks a worker task's result so that the buffers in `transfer` are moved to the calling
 * thread instead of copied; the caller receives `value`.
 */
export function withTransfer<T>(value: T, transfer: TransferListItem[]): T {
  return { [TRANSFER]: true, value, transfer } satisfies TransferEnvelope as unknown as T;
}

/** Unwraps a result made by {@link withTransfer}; other values come back with no transfer list. */
export function takeTransferList(result: unknown): { value: unknown; transfer: TransferListItem[] } {
  if (typeof result === 'object' && result !== null && (result as TransferEnvelope)[TRANSFER] === true) {
    const envelope = result as TransferEnvelope;
    return { value: envelope.value, transfer: envelope.transfer };
  }
  return { value: result, transfer: [] };
}

/**
 * The largest shared segment a parallel run hands to a worker (8 GiB less 8 bytes): larger
 * per-edge arrays are split into segments, so that an `Int32Array` segment's positions
 * (below 2^31) stay int32s. Node passes any buffer intact; only typed-array views of 4 GiB and
 * more lose their length on the way, which {@link encodeViews} avoids.
 */
export const MAX_SEGMENT_BYTES = 2 ** 33 - 8;

/** A view that Node would cut short, as it crosses: its buffer, type, offset and length. */
interface EncodedView {
  readonly __eddyView: string;
  readonly buffer: ArrayBufferLike;
  readonly byteOffset: number;
  readonly length: number;
}

const VIEW_TYPES: Readonly<
  Record<string, new (buffer: ArrayBufferLike, byteOffset: number, length: number) => ArrayBufferView>
> = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
  DataView,
};

/** Views of buffers from here on are encoded: Node 20 clones a view's length modulo 2^32. */
const VIEW_BYTES_NODE_KEEPS = 2 ** 32 - 1;

const MAX_DEPTH = 6;

/** Maps the arrays and plain objects of `value` (a few levels deep), copying only what changes. */
function mapLeaves(value: unknown, leaf: (value: object) => unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return value;
  const mapped = leaf(value);
  if (mapped !== value) return mapped;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = mapLeaves(value[i], leaf, depth + 1);
      if (item !== value[i]) (copy ??= value.slice())[i] = item;
    }
    return copy ?? value;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const next = mapLeaves(item, leaf, depth + 1);
    if (next !== item) (copy ??= { ...value })[key] = next;
  }
  return copy ?? value;
}

/**
 * `value` (a task's arguments or result: typed arrays, and arrays or plain objects of them, a
 * few levels deep) ready to post to another thread: each view of a buffer of 4 GiB or more is
 * replaced by its buffer, type, offset and length, which {@link decodeViews} turns back into
 * the view (sharing the memory, for a SharedArrayBuffer). Other values are left as they are.
 */
export function encodeViews(value: unknown): unknown {
  return mapLeaves(
    value,
    (leaf) => {
      if (!ArrayBuffer.isView(leaf) || leaf.buffer.byteLength <= VIEW_BYTES_NODE_KEEPS) return leaf;
      const view = leaf as ArrayBufferView & { length?: number };
      return {
        __eddyView: view.constructor.name,
        buffer: view.buffer,
        byteOffset: view.byteOffset,
        length: view instanceof DataView ? view.byteLength : view.length!,
      } satisfies EncodedView;
    },
    0,
  );
}

/** Undoes {@link encodeViews} on the receiving thread. */
export function decodeViews(value: unknown): unknown {
  return mapLeaves(
    value,
    (leaf) => {
      const encoded = leaf as EncodedView;
      if (typeof encoded.__eddyView !== 'string') return leaf;
      return new VIEW_TYPES[encoded.__eddyView](encoded.buffer, encoded.byteOffset, encoded.length);
    },
    0,
  );
}

/** What of an error crosses to another thread: its name, message and stack. */
export interface ErrorFields {
  name: string;
  message: string;
  stack?: string;
}

/** The fields of a thrown value, to send to another thread. */
export function errorFields(caught: unknown): ErrorFields {
  const error = caught instanceof Error ? caught : new Error(String(caught));
  return { name: error.name, message: error.message, stack: error.stack };
}
