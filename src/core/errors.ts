/**
 * Typed errors. Every error eddy raises for bad input or bad parameters says where the
 * problem is and what was expected, so a user can fix it without reading a stack trace.
 */

/** Base class of every error eddy raises on purpose. */
export class EddyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Where in an input a problem was found. All fields are optional but `file`. */
export interface InputLocation {
  /** File path, or `<stdin>` / `<input>` for unnamed sources. */
  file: string;
  /** 1-based line number. */
  line?: number;
  /** 1-based column number (in characters of the line). */
  column?: number;
  /** The offending text, shown quoted and shortened. */
  text?: string;
  /** What was expected instead, in words ("an integer vertex id"). */
  expected?: string;
}

const MAX_SHOWN_TEXT = 60;

function quote(text: string): string {
  const shown = text.length > MAX_SHOWN_TEXT ? `${text.slice(0, MAX_SHOWN_TEXT)}…` : text;
  return JSON.stringify(shown);
}

/** Formats a location as `file:line:column`, leaving out the parts that are unknown. */
export function formatLocation(location: Pick<InputLocation, 'file' | 'line' | 'column'>): string {
  let where = location.file;
  if (location.line !== undefined) {
    where += `:${location.line}`;
    if (location.column !== undefined) where += `:${location.column}`;
  }
  return where;
}

/**
 * Bad input data: a malformed line, a missing column, a value of the wrong kind.
 * The message reads `file:line:column: problem: got "text", expected ...`.
 */
export class InputError extends EddyError implements InputLocation {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly text?: string;
  readonly expected?: string;
  /** The problem alone, without the location. */
  readonly problem: string;

  constructor(problem: string, location: InputLocation) {
    let message = `${formatLocation(location)}: ${problem}`;
    if (location.text !== undefined) message += `: got ${quote(location.text)}`;
    if (location.expected !== undefined)
      message += `${location.text !== undefined ? ',' : ':'} expected ${location.expected}`;
    super(message);
    this.problem = problem;
    this.file = location.file;
    this.line = location.line;
    this.column = location.column;
    this.text = location.text;
    this.expected = location.expected;
  }
}

/** A parameter (an option of an algorithm or estimator) with a value it does not accept. */
export class ParamError extends EddyError {
  readonly param: string;
  readonly value: unknown;
  readonly accepted: string;

  constructor(param: string, value: unknown, accepted: string) {
    super(`invalid value for parameter '${param}': ${describeValue(value)}; expected ${accepted}`);
    this.param = param;
    this.value = value;
    this.accepted = accepted;
  }
}

/** An iterative method that did not converge, raised only when the caller asked for it. */
export class ConvergenceError extends EddyError {
  readonly iterations: number;
  constructor(what: string, iterations: number, detail?: string) {
    super(`${what} did not converge after ${iterations} iterations${detail ? `: ${detail}` : ''}`);
    this.iterations = iterations;
  }
}

/** A file eddy could not write (an output, a model, a checkpoint). Names the path. */
export class OutputError extends EddyError {
  /** The file that could not be written. */
  readonly file: string;
  constructor(file: string, problem: string, options?: { cause?: unknown }) {
    super(`cannot write ${file}: ${problem}`);
    this.file = file;
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** A command line that cannot be understood (unknown option, missing argument). Exit code 2. */
export class UsageError extends EddyError {}

/** Shows a value the way a user typed it: strings quoted, arrays and objects as JSON. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (typeof value === 'function') return 'a function';
  try {
    const json = JSON.stringify(value);
    return json === undefined
      ? String(value)
      : json.length > MAX_SHOWN_TEXT
        ? `${json.slice(0, MAX_SHOWN_TEXT)}…`
        : json;
  } catch {
    return Object.prototype.toString.call(value);
  }
}
