/**
 * The nearest-centre kernel of k-means, shared by the batch model (KMeansModel.predict) and
 * the online one (OnlineKMeans: every point of every mini-batch, and its predictions).
 */

/**
 * Index of the centroid nearest to data[offset, offset + dimension) (squared Euclidean; the
 * lowest index on ties). The hot loop of k-means, on Float64Arrays, four coordinates per step.
 * A first pass takes the first four coordinates of every centroid (into `partial`, k long); the
 * centroid smallest there is completed first, and every other one is abandoned as soon as its
 * partial distance exceeds the best so far (sums of squares only grow). Starting from a close
 * centroid is what makes the others cheap: most are dropped after the first pass. Each distance
 * is summed in the same order whatever the pass, so the answer is that of a plain scan.
 */
export function nearestCentre(
  centroids: Float64Array,
  k: number,
  dimension: number,
  data: Float64Array,
  offset: number,
  partial: Float64Array,
): number {
  const blocked = dimension - (dimension % 4);
  const first = blocked > 0 ? 4 : dimension;
  let candidate = 0;
  for (let c = 0, base = 0; c < k; c++, base += dimension) {
    let distance = 0;
    if (blocked > 0) {
      const a = data[offset] - centroids[base];
      const b = data[offset + 1] - centroids[base + 1];
      const e = data[offset + 2] - centroids[base + 2];
      const f = data[offset + 3] - centroids[base + 3];
      distance += a * a + b * b + e * e + f * f;
    } else {
      for (let j = 0; j < dimension; j++) {
        const a = data[offset + j] - centroids[base + j];
        distance += a * a;
      }
    }
    partial[c] = distance;
    if (distance < partial[candidate]) candidate = c;
  }
  let best = candidate;
  let bestDistance = completeDistance(
    centroids,
    candidate * dimension,
    dimension,
    blocked,
    first,
    data,
    offset,
    partial[candidate],
    Number.POSITIVE_INFINITY,
  );
  for (let c = 0; c < k; c++) {
    if (c === candidate || partial[c] > bestDistance) continue;
    const distance = completeDistance(
      centroids,
      c * dimension,
      dimension,
      blocked,
      first,
      data,
      offset,
      partial[c],
      bestDistance,
    );
    if (distance < bestDistance || (distance === bestDistance && c < best)) {
      best = c;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * The squared distance from a point to the centroid at `base`, going on from `distance` over
 * coordinates `from`.. (blocks of four up to `blocked`, then one at a time); stops early, with
 * a value above `bound`, once it exceeds `bound`.
 */
function completeDistance(
  centroids: Float64Array,
  base: number,
  dimension: number,
  blocked: number,
  from: number,
  data: Float64Array,
  offset: number,
  distance: number,
  bound: number,
): number {
  let j = from;
  for (; j < blocked; j += 4) {
    const a = data[offset + j] - centroids[base + j];
    const b = data[offset + j + 1] - centroids[base + j + 1];
    const e = data[offset + j + 2] - centroids[base + j + 2];
    const f = data[offset + j + 3] - centroids[base + j + 3];
    distance += a * a + b * b + e * e + f * f;
    if (distance > bound) return distance;
  }
  for (; j < dimension; j++) {
    const a = data[offset + j] - centroids[base + j];
    distance += a * a;
  }
  return distance;
}
