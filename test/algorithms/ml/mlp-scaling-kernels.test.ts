import { describe, expect, it } from 'vitest';
import { SCALING_CHUNK_ROWS, scaledRows } from '../../../algorithms/ml/mlp/scaling-kernels.js';
import { random } from '../../../src/core/random.js';

describe('the MLP standardisation pass (scaledRows)', () => {
  it('writes (x - mean) / deviation as float32, 0 for a column without spread', () => {
    const rng = random(7);
    const columns = 5;
    const rows = SCALING_CHUNK_ROWS + 100;
    const data = Float64Array.from({ length: rows * columns }, () => rng.normal(3, 40));
    const means = Float64Array.from([3, -1, 0.5, 2, 7]);
    const deviations = Float64Array.from([40, 0.3, 7, 0, 1e-3]);
    const out = new Float32Array(rows * columns);
    expect(scaledRows(data, columns, means, deviations, out, 0)).toBe(0);
    expect(scaledRows(data, columns, means, deviations, out, 1)).toBe(0);
    let differ = 0;
    for (let i = 0; i < rows * columns; i++) {
      const j = i % columns;
      const expected = deviations[j] > 0 ? Math.fround((data[i] - means[j]) / deviations[j]) : 0;
      if (out[i] !== expected) differ++;
    }
    expect(differ).toBe(0);
  });

  it('divides where a deviation is too small to invert, and reports values that are not finite', () => {
    const columns = 2;
    const data = Float64Array.from([1, 1, 2, 1]);
    const out = new Float32Array(4);
    // 1 / 5e-324 overflows: the quotient 0 / 5e-324 is still 0, and 1 / 5e-324 is infinite.
    expect(scaledRows(data, columns, Float64Array.from([0, 1]), Float64Array.from([1, 5e-324]), out, 0)).toBe(
      0,
    );
    expect(Array.from(out)).toEqual([1, 0, 2, 0]);
    expect(scaledRows(data, columns, Float64Array.from([0, 0]), Float64Array.from([1, 5e-324]), out, 0)).toBe(
      1,
    );
    data[2] = Number.NaN;
    expect(scaledRows(data, columns, Float64Array.from([0, 0]), Float64Array.from([1, 1]), out, 0)).toBe(1);
  });
});
