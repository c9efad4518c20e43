/**
 * Seconds per epoch of eddy's MLPClassifier on the issue-19 network (the rows of
 * bench/peers/mlp_epoch.py, made here with eddy's seeded random source): 200,000 x 64, 10
 * classes, hidden layers 64-128-64, batch 256, Adam at 1e-3, one epoch (standardisation included).
 * Prints the wall-clock and the CPU seconds of the epoch (all threads of the process).
 * Usage: node bench/peers/mlp-epoch.mjs [parallelism] [raw]  (after npm run build; default: the
 * cores; `raw`: without the standardisation, the work of scikit-learn's MLPClassifier alone)
 */
import { availableParallelism } from 'node:os';
import * as eddy from 'eddy';
import { mlpBenchOptions, mlpBenchRows, warmUp } from './mlp-rows.mjs';

const data = mlpBenchRows(eddy);
const parallelism = Number(process.argv[2] ?? availableParallelism());
const standardization = process.argv[3] !== 'raw';
const options = mlpBenchOptions(parallelism, standardization);
await warmUp(eddy, data, options);
const start = process.hrtime.bigint();
const cpu = process.cpuUsage();
await new eddy.MLPClassifier(options).fit(data);
const used = process.cpuUsage(cpu);
const wall = Number(process.hrtime.bigint() - start) / 1e9;
console.log(
  `eddy${standardization ? '' : '-raw'}\t${wall.toFixed(2)} s/epoch\tcpu ${((used.user + used.system) / 1e6).toFixed(2)} s\tparallelism=${parallelism}`,
);
