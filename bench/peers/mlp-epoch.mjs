/**
 * Seconds per epoch of eddy's MLPClassifier on the issue-19 network (the rows of
 * bench/peers/mlp_epoch.py, made here with eddy's seeded random source): 200,000 x 64, 10
 * classes, hidden layers 64-128-64, batch 256, Adam at 1e-3, one epoch (standardisation included).
 * Prints the wall-clock and the CPU seconds of the epoch (all threads of the process).
 * Usage: node bench/peers/mlp-epoch.mjs [parallelism] [raw]  (after npm run build; default: the
 * cores; `raw`: without the standardisation, the work of scikit-learn's MLPClassifier alone)
 */
import { availableParallelism } from 'node:os';
import { DenseMatrix, MLPClassifier, random } from 'eddy';

const rows = 200_000;
const width = 64;
const classes = 10;
const rng = random(1);
const rule = Float64Array.from({ length: width * classes }, () => rng.normal());
const features = new DenseMatrix(rows, width);
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
const parallelism = Number(process.argv[2] ?? availableParallelism());
const standardization = process.argv[3] !== 'raw';
const options = {
  hiddenLayers: [64, 128, 64],
  batchSize: 256,
  epochs: 1,
  l2: 0,
  seed: 0,
  parallelism,
  standardization,
};
await new MLPClassifier(options).fit({
  features: features.sliceRows(0, 2560),
  labels: labels.subarray(0, 2560),
});
const start = process.hrtime.bigint();
const cpu = process.cpuUsage();
await new MLPClassifier(options).fit({ features, labels });
const used = process.cpuUsage(cpu);
const wall = Number(process.hrtime.bigint() - start) / 1e9;
console.log(
  `eddy${standardization ? '' : '-raw'}\t${wall.toFixed(2)} s/epoch\tcpu ${((used.user + used.system) / 1e6).toFixed(2)} s\tparallelism=${parallelism}`,
);
