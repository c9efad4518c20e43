/**
 * k-means on 200,000 x 16 points, k = 16, at most 30 iterations with tolerance 0, one k-means++
 * initialisation, end to end from a CSV file: eddy (CSV reader + KMeans) against scikit-learn
 * (pandas.read_csv + KMeans, Lloyd), and eddy's Lloyd iterations against ml-kmeans on the same
 * points from the same initial centres. eddy runs at its default parallelism (the number of
 * cores: the CSV halves are read by the main thread and workers, every k-means round is a superstep of a DataSet bulk iteration on the workers). scikit-learn is Debian's python3-sklearn, run with
 * /usr/bin/python3 (override with EDDY_BENCH_PYTHON).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kmeans as mlKMeans } from 'ml-kmeans';
import { KMeans } from '../../algorithms/ml/kmeans/batch.js';
import { kMeansPlusPlusCentres } from '../../algorithms/ml/kmeans/init.js';
import { lloydRun } from '../../algorithms/ml/kmeans/lloyd.js';
import { DenseMatrix } from '../../src/core/matrix.js';
import { random } from '../../src/core/random.js';
import { shared, sharedArrays } from '../../src/core/shared-memory.js';
import { env } from '../../src/dataset/environment.js';
import { modelIterationPlan } from '../../src/dataset/model-iteration.js';
import { extractFeatures } from '../../src/ml/data.js';
import { readTabularFile } from '../../src/ml/tabular-file.js';
import { machineDescription, median } from '../timing.js';

const rows = 200_000;
const dimensions = 16;
const k = 16;
const maxIterations = 30;
const runs = 5;
const python = process.env.EDDY_BENCH_PYTHON ?? '/usr/bin/python3';
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** 16 overlapping Gaussian blobs (centres uniform in [-10, 10]^16, deviation 6), 6 decimals. */
function writePoints(path: string): void {
  const rng = random('kmeans-bench');
  const centres = Array.from({ length: k }, () =>
    Array.from({ length: dimensions }, () => rng.uniformIn(-10, 10)),
  );
  const lines = [Array.from({ length: dimensions }, (_, j) => `x${j}`).join(',')];
  for (let i = 0; i < rows; i++) {
    const centre = centres[rng.integer(0, k)];
    lines.push(centre.map((value) => (value + rng.normal(0, 6)).toFixed(6)).join(','));
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(3)} s`;
}

export async function run(): Promise<void> {
  const path = join(tmpdir(), `eddy-bench-kmeans-${rows}x${dimensions}.csv`);
  if (!existsSync(path)) writePoints(path);
  console.log(
    `${machineDescription()}, load average ${loadavg()
      .map((v) => v.toFixed(1))
      .join(' ')}`,
  );
  const parallelism = new KMeans().get('parallelism');
  console.log(
    `data: ${path} (${rows} x ${dimensions}), k = ${k}, max ${maxIterations} iterations, tolerance 0; ` +
      `eddy on ${parallelism} threads (CSV halves and k-means rounds)`,
  );
  // In-process, end to end: read the CSV, take the features, fit. The runs alternate between
  // eddy and scikit-learn so that both see the same machine load; eddy gets one warm-up run.
  const eddyTimes: number[] = [];
  const eddyCpu: number[] = [];
  const peer: { read: number; fit: number; cpu: number; inertia: number; iterations: number }[] = [];
  let eddyIterations = 0;
  let eddyInertia = 0;
  for (let run = -1; run < runs; run++) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const frame = await readTabularFile(path);
    const { matrix } = extractFeatures(frame, 'features');
    const result = await new KMeans({ k, maxIterations, tolerance: 0, seed: run }).fitMatrixParallel(matrix);
    if (run < 0) continue;
    eddyTimes.push(performance.now() - start);
    const cpu = process.cpuUsage(cpuStart);
    eddyCpu.push((cpu.user + cpu.system) / 1000);
    eddyIterations = result.iterations;
    eddyInertia = result.inertia;
    const output = execFileSync(
      python,
      [join(root, 'bench/peers/sklearn_kmeans.py'), path, String(k), String(maxIterations), '1', String(run)],
      { encoding: 'utf8' },
    );
    peer.push(JSON.parse(output));
  }
  const sklearnTimes = peer.map((r) => (r.read + r.fit) * 1000);
  const eddy = median(eddyTimes);
  const sklearn = median(sklearnTimes);
  console.log(
    `end to end in one process (CSV read + fit), median of ${runs}: eddy ${seconds(eddy)} ` +
      `(last run ${eddyIterations} iterations, inertia ${eddyInertia.toExponential(4)}), scikit-learn ${seconds(sklearn)} ` +
      `(read ${seconds(median(peer.map((r) => r.read * 1000)))}, fit ${seconds(median(peer.map((r) => r.fit * 1000)))}, ` +
      `last run ${peer[peer.length - 1].iterations} iterations, inertia ${peer[peer.length - 1].inertia.toExponential(4)}); ` +
      `scikit-learn / eddy = ${(sklearn / eddy).toFixed(2)}x`,
  );
  const sklearnCpu = median(peer.map((r) => r.cpu * 1000));
  console.log(
    `  CPU time of the same runs (all threads): eddy ${seconds(median(eddyCpu))}, scikit-learn ${seconds(sklearnCpu)}; ` +
      `ratio ${(sklearnCpu / median(eddyCpu)).toFixed(2)}x`,
  );

  // Whole commands, as a user runs them: process start, imports, read, fit, output; alternating.
  const wall = (command: string, args: string[]) => {
    const start = performance.now();
    const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
    return performance.now() - start;
  };
  const eddyCommands: number[] = [];
  const sklearnCommands: number[] = [];
  for (let run = 0; run < 3; run++) {
    const common = ['--k', String(k), '--max-iterations', String(maxIterations), '--tolerance', '0'];
    eddyCommands.push(
      wall(process.execPath, [
        join(root, 'dist/src/cli/bin.js'),
        'kmeans',
        path,
        ...common,
        '--seed',
        String(run),
        '--quiet',
      ]),
    );
    sklearnCommands.push(
      wall(python, [
        join(root, 'bench/peers/sklearn_kmeans.py'),
        path,
        String(k),
        String(maxIterations),
        '1',
        String(run),
      ]),
    );
  }
  const eddyCommand = median(eddyCommands);
  const sklearnCommand = median(sklearnCommands);
  console.log(
    `whole command, median of 3: eddy kmeans ${seconds(eddyCommand)} (writes 200,000 clusters), python3 + pandas + scikit-learn ${seconds(sklearnCommand)}; ratio ${(sklearnCommand / eddyCommand).toFixed(2)}x`,
  );

  // Against ml-kmeans on the same points in memory: whole fits (each with its own k-means++),
  // then the Lloyd iterations alone from the same initial centres.
  const frame = await readTabularFile(path);
  const { matrix } = extractFeatures(frame, 'features');
  const points = matrix.toRows();
  const fitTimes: number[] = [];
  const oneThreadTimes: number[] = [];
  const peerFitTimes: number[] = [];
  for (let run = 0; run < 3; run++) {
    let start = performance.now();
    await new KMeans({ k, maxIterations, tolerance: 0, seed: run }).fitMatrixParallel(matrix);
    fitTimes.push(performance.now() - start);
    start = performance.now();
    new KMeans({ k, maxIterations, tolerance: 0, seed: run }).fitMatrix(matrix);
    oneThreadTimes.push(performance.now() - start);
    start = performance.now();
    mlKMeans(points, k, { initialization: 'kmeans++', maxIterations, tolerance: 0, seed: run });
    peerFitTimes.push(performance.now() - start);
  }
  console.log(
    `whole fit on the points in memory, median of 3: eddy ${seconds(median(fitTimes))} (${parallelism} threads; ${seconds(median(oneThreadTimes))} on one), ml-kmeans ${seconds(median(peerFitTimes))}; ` +
      `ml-kmeans / eddy = ${(median(peerFitTimes) / median(fitTimes)).toFixed(1)}x`,
  );
  const initial = kMeansPlusPlusCentres(matrix, k, random(1));
  const initialRows = Array.from({ length: k }, (_, c) =>
    Array.from(initial.subarray(c * dimensions, (c + 1) * dimensions)),
  );
  const lloyd: number[] = [];
  const peerLloyd: number[] = [];
  let eddyRun = 0;
  let peerRun = 0;
  const sharedPoints = new DenseMatrix(matrix.rows, matrix.columns, shared(matrix.data));
  for (let run = 0; run < 3; run++) {
    let start = performance.now();
    const lloydFit = lloydRun(
      sharedPoints,
      initial,
      { maxIterations, tolerance: 0, distanceMeasure: 'euclidean' },
      sharedArrays,
    );
    const [last] = await modelIterationPlan(env({ parallelism }), lloydFit.iteration).collect();
    eddyRun = lloydFit.result(last).iterations;
    lloyd.push(performance.now() - start);
    start = performance.now();
    peerRun = mlKMeans(points, k, { initialization: initialRows, maxIterations, tolerance: 0 }).iterations;
    peerLloyd.push(performance.now() - start);
  }
  console.log(
    `Lloyd iterations from the same centres, median of 3: eddy ${seconds(median(lloyd))} (${eddyRun} iterations, ${parallelism} threads), ` +
      `ml-kmeans ${seconds(median(peerLloyd))} (${peerRun} iterations); ml-kmeans / eddy = ${(median(peerLloyd) / median(lloyd)).toFixed(1)}x`,
  );
}
