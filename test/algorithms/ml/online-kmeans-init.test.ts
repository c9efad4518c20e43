import { describe, expect, it } from 'vitest';
import { kMeansPlusPlusCentres, randomCentres } from '../../../algorithms/ml/kmeans/init.js';
import { OnlineKMeans, type OnlineKMeansFitVersion } from '../../../algorithms/ml/kmeans/online.js';
import { ParamError } from '../../../src/core/errors.js';
import { DenseMatrix } from '../../../src/core/matrix.js';
import { random } from '../../../src/core/random.js';

const CENTRES = [
  [-20, 0],
  [0, 20],
  [20, 0],
];

/** `count` points around CENTRES (noise 1), the blob of each drawn at random, in chunks of 250. */
function blobPoints(count: number, seed: number): DenseMatrix[] {
  const rng = random(seed);
  const chunks: DenseMatrix[] = [];
  for (let start = 0; start < count; start += 250) {
    const rows = Math.min(250, count - start);
    const data = new Float64Array(rows * 2);
    for (let i = 0; i < rows; i++) {
      const centre = CENTRES[rng.integer(0, CENTRES.length)];
      data[2 * i] = centre[0] + rng.normal();
      data[2 * i + 1] = centre[1] + rng.normal();
    }
    chunks.push(new DenseMatrix(rows, 2, data));
  }
  return chunks;
}

/** Distance from each true centre to the nearest fitted centroid. */
function misses(centroids: number[][]): number[] {
  return CENTRES.map((centre) =>
    Math.min(...centroids.map((c) => Math.hypot(c[0] - centre[0], c[1] - centre[1]))),
  );
}

async function collect(
  kmeans: OnlineKMeans,
  stream: Iterable<DenseMatrix>,
): Promise<OnlineKMeansFitVersion[]> {
  const versions: OnlineKMeansFitVersion[] = [];
  for await (const version of kmeans.fit(stream)) versions.push(version);
  return versions;
}

describe('OnlineKMeans initialisation from the first initSize points', () => {
  const points = blobPoints(30_000, 7);

  it('finds three well-separated blobs (30,000 points, d = 2) for each of 10 seeds', async () => {
    for (let seed = 1; seed <= 10; seed++) {
      const kmeans = new OnlineKMeans({ k: 3, seed });
      await collect(kmeans, points);
      for (const distance of misses(kmeans.model!.centroidRows()))
        expect(distance, `seed ${seed}`).toBeLessThan(0.1);
    }
  });

  /** The first `count` rows of the stream as one matrix. */
  const firstRows = (count: number) =>
    new DenseMatrix(
      count,
      2,
      Float64Array.from(points.flatMap((m) => Array.from(m.data))).subarray(0, 2 * count),
    );

  for (const init of ['k-means++', 'random'] as const) {
    it(`${init}: the first centroids are chosen among the first initSize points, which are then counted once`, async () => {
      // A huge initial weight keeps the centroids where the initialisation put them.
      const kmeans = new OnlineKMeans({
        k: 3,
        batchSize: 100,
        initSize: 250,
        init,
        seed: 5,
        initialWeight: 1e15,
      });
      const stream = points.slice(0, 4); // 1,000 points
      const versions = await collect(kmeans, stream);
      const chosen = init === 'random' ? randomCentres : kMeansPlusPlusCentres;
      const expected = chosen(firstRows(250), 3, random(5));
      const first = versions[0].model.centroids;
      for (let i = 0; i < expected.length; i++) expect(first[i]).toBeCloseTo(expected[i], 9);
      expect(versions.map((v) => v.assignments.indices.length)).toEqual(Array(10).fill(100));
      const indices = versions.flatMap((v) => Array.from(v.assignments.indices));
      expect(indices).toEqual(Array.from({ length: 1000 }, (_, i) => i));
      expect(kmeans.model!.recordsSeen).toBe(1000);
    });
  }

  it('is deterministic for a seed, whatever the input batches, and initSize defaults to 3 * batchSize', async () => {
    const whole = new OnlineKMeans({ k: 3, batchSize: 100, seed: 3 });
    expect(whole.initSize).toBe(300);
    expect(new OnlineKMeans({ k: 200, batchSize: 10 }).initSize).toBe(600);
    await collect(whole, [firstRows(2000)]);
    const rows = firstRows(2000);
    const single = new OnlineKMeans({ k: 3, batchSize: 100, seed: 3 });
    await collect(
      single,
      Array.from({ length: 2000 }, (_, i) => rows.sliceRows(i, i + 1)),
    );
    expect(single.model!.toJSON()).toEqual(whole.model!.toJSON());
  });

  it('a stream shorter than initSize still initialises and counts every point; one with fewer points than k is refused', async () => {
    const short = new OnlineKMeans({ k: 3, batchSize: 20, seed: 1 });
    const versions = await collect(short, [firstRows(50)]);
    expect(versions.map((v) => v.assignments.indices.length)).toEqual([20, 20, 10]);
    expect(short.model!.recordsSeen).toBe(50);
    // fit(stream) with fewer points than k (issue 16: k = 10^7 on 3,000 points ran for minutes,
    // every update searching 10^7 coinciding centroids): refused, as batch KMeans refuses it.
    await expect(collect(new OnlineKMeans({ k: 5, seed: 1 }), [firstRows(3)])).rejects.toThrow(
      /parameter 'k': 5; expected at most the 3 points that choose the first centroids/,
    );
    // partialFit keeps taking a first batch smaller than k: the three points are centroids of their own.
    const tiny = new OnlineKMeans({ k: 5, seed: 1 });
    tiny.partialFit(firstRows(3));
    expect(tiny.model!.k).toBe(5);
    expect(tiny.model!.recordsSeen).toBe(3);
    expect(new Set(Array.from(tiny.model!.predictBatch(firstRows(3)))).size).toBe(3);
  });

  it('partialFit without a model chooses the centroids among its batch', () => {
    const kmeans = new OnlineKMeans({ k: 3, seed: 2, initialWeight: 1e15 });
    const rows = firstRows(300);
    const model = kmeans.partialFit(rows);
    const expected = kMeansPlusPlusCentres(rows, 3, random(2));
    for (let i = 0; i < expected.length; i++) expect(model.centroids[i]).toBeCloseTo(expected[i], 9);
    expect(() => new OnlineKMeans({ k: 2 }).partialFit(new DenseMatrix(0, 2))).toThrow(ParamError);
    expect(() => new OnlineKMeans({ k: 1 }).partialFit(DenseMatrix.fromRows([[Number.NaN, 1]]))).toThrow(
      ParamError,
    );
  });

  it('validates init and initSize', () => {
    expect(() => new OnlineKMeans({ initSize: 0 })).toThrow(ParamError);
    expect(() => new OnlineKMeans({ initSize: 2.5 })).toThrow(ParamError);
    expect(() => new OnlineKMeans({ init: 'kmeans' as 'random' })).toThrow(ParamError);
    expect(new OnlineKMeans({ initSize: 7 }).initSize).toBe(7);
  });
});
