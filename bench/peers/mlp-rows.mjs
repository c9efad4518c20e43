/**
 * The issue-19 bench's data and network, for bench/peers/mlp-epoch.mjs and
 * bench/mlp-epoch-pairs.mjs (the rows of bench/peers/mlp_epoch.py, made with eddy's seeded random
 * source): 200,000 x 64 Gaussian features, 10 classes from a fixed linear rule.
 */

/** The rows, made with the `eddy` module given (each build its own `DenseMatrix`). */
export function mlpBenchRows(eddy) {
  const rows = 200_000;
  const width = 64;
  const classes = 10;
  const rng = eddy.random(1);
  const rule = Float64Array.from({ length: width * classes }, () => rng.normal());
  const features = new eddy.DenseMatrix(rows, width);
  const labels = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let best = 0;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < width; j++) features.data[i * width + j] = rng.normal();
    for (let c = 0; c < classes; c++) {
      let score = 0;
      for (let j = 0; j < width; j++) score += features.data[i * width + j] * rule[j * classes + c];
      if (score > bestScore) [best, bestScore] = [c, score];
    }
    labels[i] = best;
  }
  return { features, labels };
}

/** The network and its training: layers 64-128-64, batch 256, Adam at 1e-3, one epoch. */
export function mlpBenchOptions(parallelism, standardization) {
  return {
    hiddenLayers: [64, 128, 64],
    batchSize: 256,
    epochs: 1,
    l2: 0,
    seed: 0,
    parallelism,
    standardization,
  };
}

/** One fit on the first 2,560 rows, so that the timed fit does not pay for compiling the code. */
export async function warmUp(eddy, { features, labels }, options) {
  await new eddy.MLPClassifier(options).fit({
    features: features.sliceRows(0, 2560),
    labels: labels.subarray(0, 2560),
  });
}
