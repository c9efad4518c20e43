import { describe, expect, it } from 'vitest';
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
        expect(distance, `seed ${seed}`).toBeLessThan(0.2);
    }
  });
});
