import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParamError } from '../../src/core/errors.js';
import { random } from '../../src/core/random.js';

const draw = (seed: number | string, count = 20) => {
  const rng = random(seed);
  return Array.from({ length: count }, () => rng.uniform());
};

describe('random', () => {
  it('repeats the same stream for the same seed, number or string', () => {
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).toEqual(draw('42'));
  });

  it('gives different streams for different seeds', () => {
    expect(draw(1)).not.toEqual(draw(2));
  });

  it('draws uniforms in [0, 1) with the right mean', () => {
    const values = draw(3, 20000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean).toBeCloseTo(0.5, 1);
  });

  it('draws normals with the requested mean and standard deviation', () => {
    const rng = random(5);
    const values = Array.from({ length: 40000 }, () => rng.normal(3, 2));
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
    expect(mean).toBeCloseTo(3, 1);
    expect(Math.sqrt(variance)).toBeCloseTo(2, 1);
  });

  it('draws integers inside [min, max) and covers the range', () => {
    const rng = random(9);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const value = rng.integer(-3, 4);
      expect(Number.isInteger(value)).toBe(true);
      expect(value).toBeGreaterThanOrEqual(-3);
      expect(value).toBeLessThan(4);
      seen.add(value);
    }
    expect(seen.size).toBe(7);
    expect(() => rng.integer(5, 5)).toThrow(ParamError);
  });

  it('shuffles to a permutation, reproducibly', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.integer(), (items, seed) => {
        const shuffled = random(seed).shuffle([...items]);
        expect([...shuffled].sort((a, b) => a - b)).toEqual([...items].sort((a, b) => a - b));
        expect(random(seed).shuffle([...items])).toEqual(shuffled);
      }),
    );
  });

  it('samples distinct elements without replacement', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer(), { minLength: 1 }),
        fc.nat(),
        fc.integer(),
        (items, k, seed) => {
          const count = k % (items.length + 1);
          const sample = random(seed).sample(items, count);
          expect(sample).toHaveLength(count);
          expect(new Set(sample).size).toBe(count);
          for (const value of sample) expect(items).toContain(value);
        },
      ),
    );
    expect(() => random(1).sample([1, 2], 3)).toThrow(/count/);
  });

  it('derives streams that do not depend on how much of the parent was used', () => {
    const fresh = random(11).derive(3);
    const used = random(11);
    used.uniform();
    used.normal();
    const derived = used.derive(3);
    expect(derived.uniform()).toBe(fresh.uniform());
    expect(random(11).derive(3).uniform()).not.toBe(random(11).derive(4).uniform());
  });

  it('rejects seeds that are not numbers or strings', () => {
    expect(() => random(Number.NaN)).toThrow(ParamError);
    expect(() => random({} as unknown as number)).toThrow(/seed/);
  });
});
