import { describe, expect, it } from 'vitest';
import { OnlineKMeans } from '../../../algorithms/ml/kmeans/online.js';
import { OnlineStandardScaler } from '../../../algorithms/ml/online-standard-scaler.js';
import { DenseMatrix } from '../../../src/core/matrix.js';
import { random } from '../../../src/core/random.js';

function data(rows: number, seed: number): DenseMatrix {
  const rng = random(seed);
  const m = new DenseMatrix(rows, 3);
  for (let i = 0; i < rows; i++) {
    m.set(i, 0, rng.normal(1e6, 3)); // a large mean: the naive sum-of-squares formula loses digits here
    m.set(i, 1, rng.uniformIn(-1, 1));
    m.set(i, 2, 7);
  }
  return m;
}

/** Two-pass mean and population standard deviation, the reference. */
function reference(m: DenseMatrix): { mean: number[]; std: number[] } {
  const mean = [0, 1, 2].map((j) => m.toRows().reduce((sum, row) => sum + row[j], 0) / m.rows);
  const std = [0, 1, 2].map((j) =>
    Math.sqrt(m.toRows().reduce((sum, row) => sum + (row[j] - mean[j]) ** 2, 0) / m.rows),
  );
  return { mean, std };
}

describe('OnlineStandardScaler', () => {
  it('matches the two-pass mean and standard deviation whatever the batching', async () => {
    const all = data(1000, 3);
    const { mean, std } = reference(all);
    for (const sizes of [[1000], [1, 999], [7, 93, 400, 500], Array(10).fill(100)]) {
      const scaler = new OnlineStandardScaler();
      let start = 0;
      for (const size of sizes) {
        scaler.partialFit(all.sliceRows(start, start + size));
        start += size;
      }
      expect(scaler.recordsSeen).toBe(1000);
      const runningMean = scaler.getMean();
      const runningStd = scaler.getStd();
      for (let j = 0; j < 3; j++) {
        expect(runningMean[j]).toBeCloseTo(mean[j], 8);
        expect(Math.abs(runningStd[j] - std[j])).toBeLessThan(1e-9 * Math.max(1, std[j]));
      }
    }
  });

  it('scales to zero mean and unit variance, leaving constant features unscaled', () => {
    const all = data(500, 4);
    const scaled = new OnlineStandardScaler().partialFit(all).transform(all);
    const { mean, std } = reference(scaled);
    expect(Math.abs(mean[0])).toBeLessThan(1e-9);
    expect(std[0]).toBeCloseTo(1, 9);
    expect(std[1]).toBeCloseTo(1, 9);
    expect(scaled.get(0, 2)).toBe(0);
    const noMean = new OnlineStandardScaler({ withMean: false, withStd: false })
      .partialFit(all)
      .transform(all);
    expect(noMean.data).toEqual(all.data);
  });

  it('restores its state exactly and feeds k-means in a streaming pipeline', async () => {
    const all = data(600, 5);
    const first = new OnlineStandardScaler().partialFit(all.sliceRows(0, 300));
    const second = new OnlineStandardScaler();
    second.restoreState(JSON.parse(JSON.stringify(first.snapshotState())));
    first.partialFit(all.sliceRows(300, 600));
    second.partialFit(all.sliceRows(300, 600));
    expect(second.toJSON()).toEqual(first.toJSON());

    const scaler = new OnlineStandardScaler();
    const kmeans = new OnlineKMeans({ k: 2, seed: 1 });
    for (let start = 0; start < 600; start += 100) {
      const batch = all.sliceRows(start, start + 100);
      kmeans.partialFit(scaler.partialFit(batch).transform(batch));
    }
    expect(kmeans.model!.recordsSeen).toBe(600);
    // Scaled features are O(1): the centroids are too, whatever the raw mean of 1e6.
    for (const value of kmeans.model!.centroids) expect(Math.abs(value)).toBeLessThan(3);
  });
});
