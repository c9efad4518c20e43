import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OnlineKMeansModel } from '../../../algorithms/ml/kmeans/online.js';
import { DenseMatrix } from '../../../src/core/matrix.js';

/**
 * The plain scan the pruned search must agree with: every distance summed in full, four
 * coordinates at a time then one at a time (the order the model sums in), lowest index on ties.
 */
function scan(centroids: number[][], point: number[]): number {
  let best = 0;
  let bestDistance = Number.POSITIVE_INFINITY;
  const d = point.length;
  const blocked = d - (d % 4);
  centroids.forEach((centroid, c) => {
    let distance = 0;
    let j = 0;
    for (; j < blocked; j += 4) {
      const [a, b, e, f] = [0, 1, 2, 3].map((t) => point[j + t] - centroid[j + t]);
      distance += a * a + b * b + e * e + f * f;
    }
    for (; j < d; j++) distance += (point[j] - centroid[j]) ** 2;
    if (distance < bestDistance) {
      bestDistance = distance;
      best = c;
    }
  });
  return best;
}

describe('OnlineKMeansModel nearest-centroid search', () => {
  it('agrees with a plain scan, ties included (property)', () => {
    const coordinate = fc.oneof(
      fc.integer({ min: -3, max: 3 }),
      fc.double({ min: -1e3, max: 1e3, noNaN: true }),
    );
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 9 })
          .chain((d) =>
            fc.tuple(
              fc.array(fc.array(coordinate, { minLength: d, maxLength: d }), { minLength: 1, maxLength: 8 }),
              fc.array(fc.array(coordinate, { minLength: d, maxLength: d }), { minLength: 1, maxLength: 20 }),
            ),
          ),
        ([centroids, points]) => {
          const model = new OnlineKMeansModel(
            DenseMatrix.fromRows(centroids),
            new Float64Array(centroids.length),
          );
          const expected = points.map((point) => scan(centroids, point));
          expect(Array.from(model.predictBatch(DenseMatrix.fromRows(points)))).toEqual(expected);
          expect(points.map((point) => model.predict(point))).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
