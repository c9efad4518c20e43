/**
 * Decision trees and gradient boosting on 1,000,000 x 20 rows of scikit-learn's
 * make_classification (written once to CSV; the first 800,000 rows train, the rest test):
 * one tree of depth 10 against scikit-learn's DecisionTreeClassifier (exact splitter), and 100
 * boosting rounds of depth 3 against HistGradientBoostingClassifier (255 bins, 20 rows a leaf,
 * no early stopping); and ml-cart's DecisionTreeClassifier (depth 10) on a sample of the training rows
 * it can handle (EDDY_BENCH_CART_ROWS, default 5,000), with eddy's exact-mode tree on the same
 * sample. Fit times only (the data are in memory on both sides), eddy at its
 * default parallelism (every core), runs alternating between eddy and scikit-learn so that both
 * see the same machine load. scikit-learn is Debian's python3-sklearn under /usr/bin/python3
 * (override with EDDY_BENCH_PYTHON); EDDY_BENCH_RUNS sets the runs (default 3),
 * EDDY_BENCH_TREE_ROWS the rows (default 1,000,000; the first 80% train) and
 * EDDY_BENCH_TREE_MODELS the models (`tree,gbt,cart`, the default, or any of them).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DecisionTreeClassifier } from '../../algorithms/ml/trees/decision-tree.js';
import { GBTClassifier } from '../../algorithms/ml/trees/gbt.js';
import type { TreeClassificationModel } from '../../algorithms/ml/trees/models.js';
import { DenseMatrix } from '../../src/core/matrix.js';
import { extractFeatures } from '../../src/ml/data.js';
import { toTable } from '../../src/ml/table-input.js';
import { readTabularFile } from '../../src/ml/tabular-file.js';
import { machineDescription, median } from '../timing.js';

const rows = Number(process.env.EDDY_BENCH_TREE_ROWS ?? 1_000_000);
const features = 20;
const trainRows = Math.floor(rows * 0.8);
const models = (process.env.EDDY_BENCH_TREE_MODELS ?? 'tree,gbt,cart').split(',');
const cartRows = Number(process.env.EDDY_BENCH_CART_ROWS ?? 5_000);
const runs = Number(process.env.EDDY_BENCH_RUNS ?? 3);
const python = process.env.EDDY_BENCH_PYTHON ?? '/usr/bin/python3';
const peers = join(dirname(fileURLToPath(import.meta.url)), '..', 'peers');
const peer = join(peers, 'sklearn_trees.py');

interface Measure {
  fit: number;
  cpu: number;
  accuracy: number;
}

function sklearn(path: string, model: 'tree' | 'hgb'): Measure {
  const out = execFileSync(python, [peer, 'fit', path, String(trainRows), model, '1'], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!);
}

function mlCart(path: string): Measure {
  const out = execFileSync(
    process.execPath,
    [join(peers, 'ml-cart-tree.mjs'), path, String(trainRows), String(cartRows), '10'],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(out.trim().split('\n').pop()!);
}

async function eddy(
  test: { x: DenseMatrix; y: Float64Array },
  train: () => Promise<TreeClassificationModel>,
): Promise<Measure> {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const model = await train();
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  let right = 0;
  for (let i = 0; i < test.x.rows; i++) if (model.predict(test.x.row(i)) === test.y[i]) right++;
  return { fit: seconds, cpu: (cpu.user + cpu.system) / 1e6, accuracy: right / test.x.rows };
}

function line(name: string, measures: Measure[]): string {
  const fit = median(measures.map((m) => m.fit));
  const cpu = median(measures.map((m) => m.cpu));
  return `${name}: fit ${fit.toFixed(2)} s (runs ${measures.map((m) => m.fit.toFixed(2)).join(', ')}), cpu ${cpu.toFixed(2)} s, test accuracy ${measures[0].accuracy.toFixed(4)}`;
}

export async function run(): Promise<void> {
  const path = join(tmpdir(), `eddy-bench-trees-${rows}x${features}.csv`);
  if (!existsSync(path)) execFileSync(python, [peer, 'write', path, String(rows), String(features)]);
  console.log(
    `${machineDescription()}, load average ${loadavg()
      .map((v) => v.toFixed(1))
      .join(' ')}`,
  );
  const frame = await readTabularFile(path);
  const { matrix } = extractFeatures(frame, 'features', ['label']);
  const labels = frame.columns[frame.names.indexOf('label')].values as Float64Array;
  const train = toTable({
    features: new DenseMatrix(trainRows, features, matrix.data.slice(0, trainRows * features)),
    labels: labels.slice(0, trainRows),
  });
  const test = {
    x: new DenseMatrix(rows - trainRows, features, matrix.data.slice(trainRows * features)),
    y: labels.slice(trainRows),
  };
  const parallelism = new DecisionTreeClassifier().get('parallelism');
  console.log(
    `data: ${path}; ${trainRows} rows train, ${rows - trainRows} test; eddy on ${parallelism} threads`,
  );
  const cartTrain = toTable({
    features: new DenseMatrix(cartRows, features, matrix.data.slice(0, cartRows * features)),
    labels: labels.slice(0, cartRows),
  });
  const results: Record<string, Measure[]> = {
    eddyTree: [],
    sklearnTree: [],
    eddyGbt: [],
    sklearnHgb: [],
    eddyCart: [],
    mlCart: [],
  };
  for (let run = 0; run < runs; run++) {
    if (models.includes('tree')) {
      results.eddyTree.push(
        await eddy(test, () => new DecisionTreeClassifier({ maxDepth: 10, maxBins: 256 }).fit(train)),
      );
      results.sklearnTree.push(sklearn(path, 'tree'));
    }
    if (models.includes('gbt')) {
      results.eddyGbt.push(
        await eddy(test, () =>
          new GBTClassifier({ maxIter: 100, maxDepth: 3, maxBins: 255, minInstancesPerNode: 20 }).fit(train),
        ),
      );
      results.sklearnHgb.push(sklearn(path, 'hgb'));
    }
    if (models.includes('cart')) {
      results.eddyCart.push(
        await eddy(test, () => new DecisionTreeClassifier({ maxDepth: 10, binning: 'exact' }).fit(cartTrain)),
      );
      results.mlCart.push(mlCart(path));
    }
  }
  const ratio = (a: Measure[], b: Measure[]) => median(a.map((m) => m.fit)) / median(b.map((m) => m.fit));
  if (models.includes('tree')) {
    console.log(line('eddy DecisionTreeClassifier depth 10, 256 bins', results.eddyTree));
    console.log(line('scikit-learn DecisionTreeClassifier depth 10 (exact)', results.sklearnTree));
    console.log(
      `tree: eddy / scikit-learn fit time ${ratio(results.eddyTree, results.sklearnTree).toFixed(3)}`,
    );
  }
  if (models.includes('gbt')) {
    console.log(line('eddy GBTClassifier 100 x depth 3, 255 bins', results.eddyGbt));
    console.log(
      line('scikit-learn HistGradientBoostingClassifier 100 x depth 3, 255 bins', results.sklearnHgb),
    );
    console.log(`gbt: eddy / scikit-learn fit time ${ratio(results.eddyGbt, results.sklearnHgb).toFixed(3)}`);
  }
  if (models.includes('cart')) {
    console.log(line(`eddy DecisionTreeClassifier depth 10, exact, ${cartRows} rows`, results.eddyCart));
    console.log(line(`ml-cart DecisionTreeClassifier depth 10, ${cartRows} rows`, results.mlCart));
    console.log(`cart: ml-cart / eddy fit time ${ratio(results.mlCart, results.eddyCart).toFixed(1)}`);
  }
}
