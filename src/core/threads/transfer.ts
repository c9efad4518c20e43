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
 * The largest buffer that crosses between threads intact. Node 20 clones a SharedArrayBuffer,
 * and transfers an ArrayBuffer, of 4 GiB or more with its length taken modulo 2^32 (a 5 GiB
 * array arrives 0.9 GiB long, a 4 GiB one empty): kernels would then read and write the wrong
 * memory. Larger buffers are refused with an error instead.
 */
export const MAX_BUFFER_BYTES_BETWEEN_THREADS = 2 ** 32 - 1;

/**
 * Throws a RangeError when `value` (a task's arguments or result: typed arrays, buffers, and
 * arrays or plain objects of them, a few levels deep) holds a buffer too large to pass to
 * another thread ({@link MAX_BUFFER_BYTES_BETWEEN_THREADS}).
 */
export function checkBufferSizes(value: unknown, what: string, depth = 0): void {
  if (typeof value !== 'object' || value === null || depth > 4) return;
  const bytes =
    value instanceof ArrayBuffer || value instanceof SharedArrayBuffer
      ? value.byteLength
      : ArrayBuffer.isView(value)
        ? value.buffer.byteLength
        : -1;
  if (bytes > MAX_BUFFER_BYTES_BETWEEN_THREADS) {
    throw new RangeError(
      `${what} holds a buffer of ${bytes} bytes, more than the ${MAX_BUFFER_BYTES_BETWEEN_THREADS} ` +
        'bytes Node passes between threads intact: run with parallelism 1, or on a smaller input',
    );
  }
  if (bytes >= 0) return;
  const items = Array.isArray(value)
    ? value
    : Object.getPrototypeOf(value) === Object.prototype
      ? Object.values(value)
      : [];
  for (const item of items) checkBufferSizes(item, what, depth + 1);
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
