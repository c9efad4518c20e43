/**
 * Interleaved MLP epochs of two builds of eddy in one process, for changes smaller than this
 * VM's run-to-run swings (epochs of one build range over 0.6-1.1 s between processes): each
 * build's `MLPClassifier` fits the bench's rows (bench/peers/mlp-epoch.mjs: 200,000 x 64, 10
 * classes, 64-128-64, batch 256, one epoch, standardised unless RAW=1) alternately, after a
 * warm-up fit each. Prints the medians, how many pairs the second build won, and the first
 * weights of each (the same when a change keeps the bits).
 *
 *   node bench/mlp-epoch-pairs.mjs BUILD_A BUILD_B [pairs]   (BUILD: a folder with dist/, after npm run build)
 *   P=1 node bench/mlp-epoch-pairs.mjs ...                   (parallelism; default 2)
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { mlpBenchOptions, mlpBenchRows, warmUp } from './peers/mlp-rows.mjs';

const [first, second] = process.argv.slice(2, 4).map((folder) => resolve(folder));
if (second === undefined) throw new Error('usage: node bench/mlp-epoch-pairs.mjs BUILD_A BUILD_B [pairs]');
const pairs = Number(process.argv[4] ?? 8);
const builds = [
  await import(pathToFileURL(`${first}/dist/src/index.js`).href),
  await import(pathToFileURL(`${second}/dist/src/index.js`).href),
];
const options = mlpBenchOptions(Number(process.env.P ?? 2), process.env.RAW !== '1');
const data = builds.map(mlpBenchRows);
for (const [b, eddy] of builds.entries()) await warmUp(eddy, data[b], options);
const walls = [[], []];
const cpus = [[], []];
const firstWeights = [];
for (let p = 0; p < pairs; p++) {
  for (const b of p % 2 === 0 ? [0, 1] : [1, 0]) {
    const start = performance.now();
    const cpu = process.cpuUsage();
    const model = await new builds[b].MLPClassifier(options).fit(data[b]);
    const used = process.cpuUsage(cpu);
    walls[b].push((performance.now() - start) / 1000);
    cpus[b].push((used.user + used.system) / 1e6);
    firstWeights[b] ??= Array.from(model.weights[0].values.subarray(0, 4));
  }
}
const median = (values) => [...values].sort((x, y) => x - y)[values.length >> 1];
const won = walls[1].filter((wall, p) => wall < walls[0][p]).length;
for (const [b, folder] of [first, second].entries()) {
  console.log(
    `${folder}\twall ${median(walls[b]).toFixed(3)} s\tcpu ${median(cpus[b]).toFixed(3)} s\t${walls[b].map((w) => w.toFixed(2)).join(' ')}`,
  );
}
console.log(`second build faster in ${won} of ${pairs} pairs; first weights ${JSON.stringify(firstWeights)}`);
process.exit(0);
