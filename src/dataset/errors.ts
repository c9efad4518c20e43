/** Errors raised while a DataSet job runs, naming the operator and the record that failed. */
import { describeValue, EddyError } from '../core/errors.js';

/** A user function threw, or a key selector returned nothing, while an operator ran. */
export class OperatorError extends EddyError {
  /** The operator, as `explain()` names it (e.g. `#3 map 'parse'`). */
  readonly operator: string;
  /** The record being processed, when there was one. */
  readonly record: unknown;
  /** The error the user function threw, if any. */
  override readonly cause: unknown;

  constructor(
    operator: string,
    problem: string,
    options: { record?: unknown; hasRecord?: boolean; cause?: unknown } = {},
  ) {
    const on = options.hasRecord ? ` on record ${describeValue(options.record)}` : '';
    super(`${operator} failed${on}: ${problem}`);
    this.operator = operator;
    this.record = options.record;
    this.cause = options.cause;
  }
}

/** The message of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
