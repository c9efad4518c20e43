/**
 * The per-record operators, shared by the calling thread and worker threads so that both
 * run exactly the same loops. A failure is reported with the index of the record that
 * caused it, so the caller can name the record.
 */
import type { RuntimeContext } from '../context.js';
import type { RecordOperatorKind } from '../plan.js';

/** A user function threw on record `index` of a partition (-1: not on one record). */
export class RecordFailure extends Error {
  constructor(
    readonly index: number,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

type AnyFunction = (...args: never[]) => unknown;

/** Applies `fn` as the given operator to one partition's records. */
export function applyRecordOperator(
  kind: RecordOperatorKind,
  fn: AnyFunction,
  records: readonly unknown[],
  context: RuntimeContext,
): unknown[] {
  const call = fn as unknown as (...args: unknown[]) => unknown;
  const count = records.length;
  let index = -1;
  try {
    switch (kind) {
      case 'map': {
        const out = new Array<unknown>(count);
        for (index = 0; index < count; index++) out[index] = call(records[index], context);
        return out;
      }
      case 'flatMap': {
        const out: unknown[] = [];
        for (index = 0; index < count; index++) {
          for (const produced of call(records[index], context) as Iterable<unknown>) out.push(produced);
        }
        return out;
      }
      case 'filter': {
        const out: unknown[] = [];
        for (index = 0; index < count; index++) if (call(records[index], context)) out.push(records[index]);
        return out;
      }
      case 'mapPartition': {
        const produced = call(records, context) as Iterable<unknown>;
        return Array.isArray(produced) ? produced : Array.from(produced);
      }
      case 'reduce': {
        if (count === 0) return [];
        let accumulated = records[0];
        for (index = 1; index < count; index++) accumulated = call(accumulated, records[index], context);
        return [accumulated];
      }
    }
  } catch (error) {
    throw new RecordFailure(index, error);
  }
}
