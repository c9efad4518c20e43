import { describe, expect, it } from 'vitest';
import {
  OnlineKMeans,
  OnlineKMeansModel,
  type OnlineKMeansVersion,
} from '../../../algorithms/ml/kmeans/online.js';
import { OnlineLogisticRegression } from '../../../algorithms/ml/online-logistic-regression.js';
import { OnlineStandardScaler } from '../../../algorithms/ml/online-standard-scaler.js';
import { DenseMatrix } from '../../../src/core/matrix.js';
import { random } from '../../../src/core/random.js';
import type { ModelVersion } from '../../../src/ml/online.js';

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** A 1-d k-means model version with the given centroids. */
function kmeansVersion(version: number, recordsSeen: number, centroids: number[]): OnlineKMeansVersion {
  const model = new OnlineKMeansModel(
    DenseMatrix.fromRows(centroids.map((c) => [c])),
    new Float64Array(centroids.length),
  );
  return { version, recordsSeen, timestamp: 0, model };
}

/** `count` points in `batch`-row matrices: two blobs in 2-d, seeded. */
function blobs(count: number, batch: number, seed: number): DenseMatrix[] {
  const rng = random(seed);
  const out: DenseMatrix[] = [];
  for (let start = 0; start < count; start += batch) {
    const rows = Math.min(batch, count - start);
    const m = new DenseMatrix(rows, 2);
    for (let i = 0; i < rows; i++) {
      const centre = rng.integer(0, 2) * 6;
      m.set(i, 0, centre + rng.normal());
      m.set(i, 1, centre + rng.normal());
    }
    out.push(m);
  }
  return out;
}

/** The version (of a list sorted by recordsSeen) that scores record `index`: the rule of the join. */
function versionFor<M>(versions: ModelVersion<M>[], index: number): ModelVersion<M> {
  let chosen = versions[0];
  for (const v of versions) if (v.recordsSeen <= index) chosen = v;
  return chosen;
}

describe('transform joined with a stream of model versions', () => {
  it('OnlineKMeansModel: each record by the latest version that applies to it, exactly', async () => {
    // Version 1 applies from record 2, version 2 (centroids swapped) from record 4.
    const versions = [kmeansVersion(1, 2, [0, 10]), kmeansVersion(2, 4, [10, 0])];
    const data = [DenseMatrix.fromRows([[1], [9], [1]]), DenseMatrix.fromRows([[9], [1], [9]])];
    // Records 0 and 1 wait for version 1 (OnlineKMeans with random centroids has no model yet).
    const waited = await collect(new OnlineKMeans({ k: 2 }).transform(data, { versions }));
    expect(waited.map((a) => Array.from(a))).toEqual([
      [0, 1, 0],
      [1, 1, 0],
    ]);
    // A model given (here with centroids 9 and 1) scores records 0 and 1 itself.
    const initial = kmeansVersion(0, 0, [9, 1]).model;
    const joined = await collect(initial.transform(data, { versions }));
    expect(joined.map((a) => Array.from(a))).toEqual([
      [1, 0, 0],
      [1, 1, 0],
    ]);
  });

  it('OnlineKMeans: fit(stream) piped into transform of the same data scores test-then-train', async () => {
    // Data in batches of 70, model updates every 100 points: versions change inside batches.
    const data = blobs(1000, 70, 3);
    const kmeans = new OnlineKMeans({ k: 2, batchSize: 100, seed: 5 });
    const predictions = await collect(kmeans.transform(data, { versions: kmeans.fit(data) }));

    const reference = new OnlineKMeans({ k: 2, batchSize: 100, seed: 5 });
    const versions = await collect(reference.fit(data));
    expect(versions.map((v) => v.recordsSeen)).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    let index = 0;
    for (let b = 0; b < data.length; b++) {
      for (let i = 0; i < data[b].rows; i++, index++) {
        expect(predictions[b][i]).toBe(versionFor(versions, index).model.predict(data[b].row(i)));
      }
    }
    expect(index).toBe(1000);
    // The model of the first 100 points already separates the blobs: both clusters are used.
    expect(new Set(predictions.flatMap((p) => Array.from(p))).size).toBe(2);
  });

  it('OnlineKMeans: an error in the data or in the versions stream surfaces', async () => {
    const data = blobs(300, 100, 4);
    async function* broken() {
      yield data[0];
      throw new Error('bad data');
    }
    const kmeans = new OnlineKMeans({ k: 2, batchSize: 100, seed: 1 });
    await expect(collect(kmeans.transform(broken(), { versions: kmeans.fit(data) }))).rejects.toThrow(
      'bad data',
    );
    const other = new OnlineKMeans({ k: 2, batchSize: 100, seed: 1 });
    await expect(collect(other.transform(data, { versions: other.fit(broken()) }))).rejects.toThrow(
      'bad data',
    );
  });

  it('OnlineLogisticRegression: fit(stream) piped into transform, test-then-train', async () => {
    const rng = random(7);
    const batches = Array.from({ length: 8 }, () => {
      const features = new DenseMatrix(50, 2);
      const labels = new Float64Array(50);
      for (let i = 0; i < 50; i++) {
        features.set(i, 0, rng.normal());
        features.set(i, 1, rng.normal());
        labels[i] = features.get(i, 0) - features.get(i, 1) > 0 ? 1 : 0;
      }
      return { features, labels };
    });
    const model = new OnlineLogisticRegression({ alpha: 0.5, beta: 1 });
    const predictions = await collect(
      model.transform(
        batches.map((b) => b.features),
        { versions: model.fit(batches) },
      ),
    );
    const versions = await collect(new OnlineLogisticRegression({ alpha: 0.5, beta: 1 }).fit(batches));
    expect(versions.map((v) => v.recordsSeen)).toEqual([50, 100, 150, 200, 250, 300, 350, 400]);
    for (let b = 0; b < batches.length; b++) {
      // Batch b (records 50b ...) is scored by the version trained on the batches before it
      // (the first batch waits for version 1).
      const expected = versions[Math.max(0, b - 1)].model.predict(batches[b].features);
      expect(Array.from(predictions[b])).toEqual(Array.from(expected));
    }
    let correct = 0;
    for (let i = 0; i < 50; i++) if (predictions[7][i] === batches[7].labels[i]) correct++;
    expect(correct).toBeGreaterThan(40);
  });

  it('OnlineStandardScaler: fit(stream) piped into transform, each record scaled by its version', async () => {
    const data = blobs(300, 40, 9);
    const scaler = new OnlineStandardScaler();
    const scaled = await collect(scaler.transform(data, { versions: scaler.fit(data) }));
    const versions = await collect(new OnlineStandardScaler().fit(data));
    let index = 0;
    for (let b = 0; b < data.length; b++) {
      const expected = versionFor(versions, index).model.transform(data[b]);
      expect(Array.from(scaled[b].data)).toEqual(Array.from(expected.data));
      index += data[b].rows;
    }
    // Once fitted, the scaler itself scores records before the first new version.
    const fitted = new OnlineStandardScaler().partialFit(data[0]);
    const [first] = await collect(fitted.transform([data[1]], { versions: [] }));
    expect(Array.from(first.data)).toEqual(Array.from(fitted.transform(data[1]).data));
  });

  it('a streaming pipeline: scaler then k-means, each fitted online', async () => {
    const data = blobs(2000, 100, 11).map((m) => {
      // Raw features far from unit scale: around (1e6, -3e4).
      for (let i = 0; i < m.rows; i++) {
        m.set(i, 0, 1e6 + 1000 * m.get(i, 0));
        m.set(i, 1, -3e4 + 10 * m.get(i, 1));
      }
      return m;
    });
    const scaler = new OnlineStandardScaler();
    const kmeans = new OnlineKMeans({ k: 2, batchSize: 200, seed: 1 });
    async function* scaled() {
      for (const batch of data) yield scaler.partialFit(batch).transform(batch);
    }
    let last: OnlineKMeansVersion | undefined;
    for await (const version of kmeans.fit(scaled())) last = version;
    expect(last?.recordsSeen).toBe(2000);
    expect(last?.version).toBe(10);
    // Scaled, the two blobs sit near (-1, -1) and (1, 1): one centroid near each.
    const centroids = last!.model.centroidRows().sort((a, b) => a[0] - b[0]);
    for (const [row, target] of [
      [centroids[0], -1],
      [centroids[1], 1],
    ] as const) {
      for (const x of row) expect(Math.abs(x - target)).toBeLessThan(0.2);
    }
  });

  it("the README's pipeline: scaler then k-means, both joined with their own versions", async () => {
    // Two groups 6 apart in x (± 1), noise ± 100 in y: k-means needs the scaler to find them.
    const rng = random(7);
    const batches = Array.from({ length: 40 }, () => {
      const m = new DenseMatrix(100, 2);
      for (let i = 0; i < 100; i++) {
        m.set(i, 0, 1000 + 6 * rng.integer(0, 2) + rng.normal());
        m.set(i, 1, 100 * rng.normal());
      }
      return m;
    });
    const scaled = () => {
      const scaler = new OnlineStandardScaler();
      return scaler.transform(batches, { versions: scaler.fit(batches) });
    };
    const kmeans = new OnlineKMeans().setK(2).setBatchSize(500).setSeed(1);
    const agreement = async (clusters: AsyncIterable<Int32Array>) => {
      let same = 0;
      let b = 0;
      for await (const labels of clusters) {
        labels.forEach((label, i) => {
          if (label === (batches[b].get(i, 0) > 1003 ? 1 : 0)) same++;
        });
        b++;
      }
      expect(b).toBe(40);
      return Math.max(same, 4000 - same) / 4000;
    };
    expect(await agreement(kmeans.transform(scaled(), { versions: kmeans.fit(scaled()) }))).toBeGreaterThan(
      0.95,
    );
    const raw = new OnlineKMeans({ k: 2, batchSize: 500, seed: 1 });
    expect(await agreement(raw.transform(batches, { versions: raw.fit(batches) }))).toBeLessThan(0.7);
  });
});
