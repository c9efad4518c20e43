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
