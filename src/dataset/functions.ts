/**
 * User functions and the ones that may run on worker threads. A plain function (a closure)
 * runs in the calling thread; a function wrapped with {@link exported} is a named export of
 * a module, which a worker thread can import by itself, so its partitions run in parallel.
 */
import { ParamError } from '../core/errors.js';
import type { RuntimeContext } from './context.js';

/** A function together with where a worker thread can load it from. */
export interface ExportedFunction<F> {
  /** The function itself, used when a partition runs in the calling thread. */
  readonly fn: F;
  /** URL of the module that exports it (`import.meta.url` of that module). */
  readonly module: string;
  /** Its export name. */
  readonly exportName: string;
}

/** A user function: plain (calling thread only) or {@link exported} (worker threads too). */
export type UserFunction<F> = F | ExportedFunction<F>;

/** Map function: one record in, one out. */
export type MapFunction<T, R> = (value: T, context: RuntimeContext) => R;
/** FlatMap function: one record in, any number out. */
export type FlatMapFunction<T, R> = (value: T, context: RuntimeContext) => Iterable<R>;
/** Filter predicate: keeps the records for which it returns true. */
export type FilterFunction<T> = (value: T, context: RuntimeContext) => boolean;
/** MapPartition function: sees a whole partition (for numeric data: its typed-array chunks). */
export type MapPartitionFunction<T, R> = (values: readonly T[], context: RuntimeContext) => Iterable<R>;
/** Reduce function: combines two records into one; it must be associative and commutative. */
export type ReduceFunction<T> = (a: T, b: T, context: RuntimeContext) => T;
/** Group reduce function: sees one group (or the whole data set), emits any number of records. */
export type GroupReduceFunction<T, R> = (values: readonly T[], context: RuntimeContext) => Iterable<R>;

/**
 * Marks `fn` as the export `exportName` (default: the function's name) of the module at
 * `moduleUrl`, so that partitions can run it on worker threads. The module is imported by
 * each worker, so it should do nothing but define functions when imported.
 *
 * @example
 * export function tokenize(line: string): string[] { return line.split(' '); }
 * lines.flatMap(exported(tokenize, import.meta.url));
 */
export function exported<F extends (...args: never[]) => unknown>(
  fn: F,
  moduleUrl: string | URL,
  exportName: string = fn.name,
): ExportedFunction<F> {
  if (typeof fn !== 'function') throw new ParamError('fn', fn, 'a function');
  if (!exportName)
    throw new ParamError('exportName', exportName, 'the name the module exports the function as');
  return { fn, module: String(moduleUrl), exportName };
}

/** Whether a user function was given as an {@link exported} function. */
export function isExported<F>(value: UserFunction<F>): value is ExportedFunction<F> {
  return typeof value === 'object' && value !== null && 'exportName' in value && 'module' in value;
}

/** The callable behind a user function. */
export function callable<F>(value: UserFunction<F>): F {
  return isExported(value) ? value.fn : value;
}

/** A readable name for a user function: its export or function name (none for anonymous ones). */
export function functionName(value: UserFunction<unknown>): string | undefined {
  if (isExported(value)) return value.exportName;
  const name = (value as { name?: string }).name;
  return name ? name : undefined;
}

/** The text that identifies a function's behaviour (its source), for plan fingerprints. */
export function functionSource(value: UserFunction<unknown>): string {
  const fn = callable(value) as unknown;
  return typeof fn === 'function' ? fn.toString() : String(fn);
}
