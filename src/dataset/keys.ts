/**
 * Keys: how grouping, joining, distinct and hash partitioning find a record's key, compare
 * keys and spread them over partitions. A key is a primitive (number, string, bigint,
 * boolean) or an array / plain object of primitives (a composite key).
 */
import { describeValue, ParamError } from '../core/errors.js';
import { OperatorError } from './errors.js';

/** Selects a record's key: a function, a property name, or a tuple index. */
export type KeySelector<T, K = unknown> = ((value: T) => K) | (keyof T & string) | number;

/** A key selector ready to run, with the words `explain()` uses for it. */
export interface CompiledKey<T = unknown> {
  /** `field 'word'`, `index 0` or `function 'byVertex'`. */
  readonly description: string;
  readonly select: (value: T) => unknown;
}

/** Compiles a key selector, checking its form. */
export function compileKey<T>(selector: KeySelector<T>, parameter = 'key'): CompiledKey<T> {
  if (typeof selector === 'function') {
    return {
      description: `function '${selector.name || 'anonymous'}'`,
      select: selector as (value: T) => unknown,
    };
  }
  if (typeof selector === 'number') {
    if (!Number.isInteger(selector) || selector < 0) {
      throw new ParamError(parameter, selector, 'a key function, a field name or a tuple index >= 0');
    }
    return {
      description: `index ${selector}`,
      select: (value: T) => (value as unknown as unknown[])[selector],
    };
  }
  if (typeof selector === 'string') {
    return {
      description: `field '${selector}'`,
      select: (value: T) => (value as Record<string, unknown>)[selector],
    };
  }
  throw new ParamError(parameter, selector, 'a key function, a field name or a tuple index');
}

/** Runs a key selector on a record; undefined is an error that names the operator. */
export function keyOf<T>(key: CompiledKey<T>, value: T, operator: string): unknown {
  let result: unknown;
  try {
    result = key.select(value);
  } catch (error) {
    throw new OperatorError(
      operator,
      `key selector ${key.description} threw: ${(error as Error).message ?? error}`,
      {
        record: value,
        hasRecord: true,
        cause: error,
      },
    );
  }
  if (result === undefined) {
    throw new OperatorError(operator, `key selector ${key.description} returned undefined`, {
      record: value,
      hasRecord: true,
    });
  }
  return result;
}

/**
 * A value usable as a Map key such that equal keys map to the same value: primitives as
 * they are, composite keys as a tagged JSON text.
 */
export function canonicalKey(key: unknown): unknown {
  if (typeof key !== 'object' || key === null) return key;
  return `\u0000${JSON.stringify(key, (_, value) => (typeof value === 'bigint' ? `${value}n` : value))}`;
}

function mix(hash: number): number {
  // MurmurHash3's finalizer: spreads nearby integers over all partitions.
  let h = hash | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return mix(hash);
}

/** A 32-bit hash of a canonical key; the same on every thread and every run. */
export function hashKey(canonical: unknown): number {
  switch (typeof canonical) {
    case 'number':
      return Number.isInteger(canonical) && Math.abs(canonical) < 2 ** 31
        ? mix(canonical)
        : hashString(String(canonical));
    case 'string':
      return hashString(canonical);
    case 'boolean':
      return canonical ? 1 : 0;
    case 'bigint':
      return hashString(`${canonical}n`);
    default:
      if (canonical === null) return 0;
      throw new ParamError('key', describeValue(canonical), 'a primitive or an array/object of primitives');
  }
}

/** Compares two keys for sorting: numbers and bigints numerically, everything else as strings. */
export function compareKeys(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const order = compareKeys(a[i], b[i]);
      if (order !== 0) return order;
    }
    return a.length - b.length;
  }
  const left = String(a);
  const right = String(b);
  return left < right ? -1 : left > right ? 1 : 0;
}
