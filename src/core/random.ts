import type seedrandomModule from 'seedrandom';
import { ParamError } from './errors.js';
import { loadOnFirstUse } from './lazy-module.js';

/** seedrandom (CommonJS), loaded with the first random stream: a command that draws none skips it. */
const seedrandom = loadOnFirstUse<typeof seedrandomModule>('seedrandom');

/** A seed: any number or string. The same seed always gives the same stream. */
export type Seed = number | string;

/**
 * A seeded stream of random numbers. Built on seedrandom's Alea generator, which is fast
 * and has a 2^116 period; every random choice in eddy takes one of these.
 */
export interface RandomSource {
  /** The seed this stream was made from. */
  readonly seed: string;
  /** A uniform double in [0, 1). */
  uniform(): number;
  /** A uniform double in [min, max). */
  uniformIn(min: number, max: number): number;
  /** A normally distributed double (Box-Muller). */
  normal(mean?: number, standardDeviation?: number): number;
  /** A uniform integer in [min, maxExclusive). */
  integer(min: number, maxExclusive: number): number;
  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T, A extends { length: number; [index: number]: T }>(items: A): A;
  /** `count` distinct elements of `items`, in random order (no replacement). */
  sample<T>(items: ArrayLike<T>, count: number): T[];
  /**
   * An independent stream derived from this one's seed and `key` (a partition index, a
   * restart number). Derived streams do not depend on how much of this stream was used,
   * which is what keeps results identical at every parallelism.
   */
  derive(key: Seed): RandomSource;
}

class AleaSource implements RandomSource {
  readonly seed: string;
  private readonly next: () => number;
  private spareNormal: number | undefined;

  constructor(seed: string) {
    this.seed = seed;
    this.next = seedrandom().alea(seed);
  }

  uniform(): number {
    return this.next();
  }

  uniformIn(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  normal(mean = 0, standardDeviation = 1): number {
    if (this.spareNormal !== undefined) {
      const spare = this.spareNormal;
      this.spareNormal = undefined;
      return mean + standardDeviation * spare;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = radius * Math.sin(2 * Math.PI * v);
    return mean + standardDeviation * radius * Math.cos(2 * Math.PI * v);
  }

  integer(min: number, maxExclusive: number): number {
    if (!Number.isInteger(min) || !Number.isInteger(maxExclusive) || maxExclusive <= min) {
      throw new ParamError('range', [min, maxExclusive], 'integers min < maxExclusive');
    }
    return min + Math.floor(this.next() * (maxExclusive - min));
  }

  shuffle<T, A extends { length: number; [index: number]: T }>(items: A): A {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const held = items[i];
      items[i] = items[j];
      items[j] = held;
    }
    return items;
  }

  sample<T>(items: ArrayLike<T>, count: number): T[] {
    if (!Number.isInteger(count) || count < 0 || count > items.length) {
      throw new ParamError('count', count, `an integer from 0 to ${items.length}`);
    }
    // Partial Fisher-Yates over an index array: O(n) memory, O(count) swaps.
    const indices = new Int32Array(items.length);
    for (let i = 0; i < indices.length; i++) indices[i] = i;
    const chosen: T[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(this.next() * (items.length - i));
      const held = indices[i];
      indices[i] = indices[j];
      indices[j] = held;
      chosen[i] = items[indices[i]];
    }
    return chosen;
  }

  derive(key: Seed): RandomSource {
    return new AleaSource(`${this.seed}\u0000${String(key)}`);
  }
}

/**
 * A seeded random source. `random(42)` and `random('42')` are the same stream.
 * @example
 * const rng = random(7);
 * rng.uniform(); rng.normal(); rng.integer(0, 10); rng.shuffle([1, 2, 3]);
 */
export function random(seed: Seed): RandomSource {
  if (typeof seed === 'number' && !Number.isFinite(seed)) {
    throw new ParamError('seed', seed, 'a finite number or a string');
  }
  if (typeof seed !== 'number' && typeof seed !== 'string') {
    throw new ParamError('seed', seed, 'a finite number or a string');
  }
  return new AleaSource(String(seed));
}
