import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { StandardScaler } from '../../algorithms/ml/scalers.js';
import { extractFeatures, numericLabels } from '../../src/ml/data.js';
import { readTabularFile } from '../../src/ml/tabular-file.js';
import { runCli } from '../helpers/cli.js';
import { expected, mlFixturePath } from '../helpers/ml-fixtures.js';

const directory = mkdtempSync(join(tmpdir(), 'eddy-ml-cli-'));
const inDirectory = (name: string) => join(directory, name);
const iris = mlFixturePath('iris.csv');

function lines(text: string): string[] {
  return text.trimEnd().split('\n');
}

describe('eddy kmeans / predict', () => {
  it('clusters iris, saves the model, and predict gives the same clusters', async () => {
    const run = await runCli([
      'kmeans',
      iris,
      '--k',
      '3',
      '--seed',
      '1',
      '--ignore',
      'species',
      '--model',
      inDirectory('km.json'),
    ]);
    expect(run.code).toBe(0);
    const clusters = lines(run.stdout);
    expect(clusters[0]).toBe('cluster');
    expect(clusters).toHaveLength(151);
    expect(run.stderr).toMatch(/^k-means: 150 rows x 4 features, k = 3, \d+ iterations, inertia 78\.8/);
    const model = JSON.parse(readFileSync(inDirectory('km.json'), 'utf8'));
    expect(model.type).toBe('kmeans');
    expect(model.centroids).toHaveLength(3);
    const predicted = await runCli(['predict', '--model', inDirectory('km.json'), iris]);
    expect(lines(predicted.stdout)).toEqual(['prediction', ...clusters.slice(1)]);
    // Setosa (the first 50 rows) is one cluster of its own.
    expect(new Set(clusters.slice(1, 51)).size).toBe(1);
  });

  it('reads CSV on stdin and writes Arrow IPC with --output x.arrow', async () => {
    const run = await runCli(['kmeans', '-', '--k', '2', '--output', inDirectory('c.arrow'), '--quiet'], {
      stdin: 'x,y\n0,0\n0,1\n9,9\n9,8\n',
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const table = tableFromIPC(readFileSync(inDirectory('c.arrow')));
    const clusters = Array.from(table.getChild('cluster')!.toArray() as Float64Array);
    expect(clusters[0]).toBe(clusters[1]);
    expect(clusters[2]).toBe(clusters[3]);
    expect(clusters[0]).not.toBe(clusters[2]);
  });
});

describe('eddy linear-regression / logistic-regression train, predict', () => {
  it('linear regression writes scikit-learn coefficients and predicts values', async () => {
    const data = mlFixturePath('diabetes.csv');
    const run = await runCli([
      'linear-regression',
      'train',
      data,
      '--label',
      'progression',
      '--model',
      inDirectory('lr.json'),
    ]);
    expect(run.code).toBe(0);
    const rows = lines(run.stdout)
      .slice(1)
      .map((line) => line.split('\t'));
    expect(rows.map((r) => r[0])).toEqual([
      'age',
      'sex',
      'bmi',
      'bp',
      's1',
      's2',
      's3',
      's4',
      's5',
      's6',
      '(intercept)',
    ]);
    const wanted = [...expected.linearRegression.ols.coefficients, expected.linearRegression.ols.intercept];
    rows.forEach((row, j) => {
      expect(Number(row[1])).toBeCloseTo(wanted[j], 6);
    });
    const predicted = await runCli(['predict', '--model', inDirectory('lr.json'), data]);
    expect(lines(predicted.stdout)).toHaveLength(443);
  });

  it("linear regression --solver sgd reaches scikit-learn's ridge on standardised diabetes", async () => {
    const frame = await readTabularFile(mlFixturePath('diabetes.csv'));
    const features = frame.names.slice(0, 10);
    const scaler = await new StandardScaler({ inputCol: features, outputCol: 'scaled' }).fit(frame);
    const scaled = extractFeatures(scaler.transformTable(frame), 'scaled').matrix;
    const target = numericLabels(frame, 'progression');
    const csv = [[...features, 'progression'].join(',')];
    for (let i = 0; i < scaled.rows; i++) csv.push([...scaled.row(i), target[i]].join(','));
    writeFileSync(inDirectory('scaled.csv'), `${csv.join('\n')}\n`);
    const run = await runCli([
      'linear-regression',
      'train',
      inDirectory('scaled.csv'),
      '--label',
      'progression',
      '--reg',
      '0.01',
      '--solver',
      'sgd',
      '--learning-rate',
      '0.2',
      '--max-iterations',
      '20000',
      '--model',
      inDirectory('sgd.json'),
    ]);
    expect(run.code).toBe(0);
    const { coefficients, intercept } = expected.linearSgd.ridge;
    const scale = Math.max(...coefficients.map(Math.abs));
    const written = lines(run.stdout)
      .slice(1)
      .map((line) => Number(line.split('\t')[1]));
    [...coefficients, intercept].forEach((value: number, j: number) => {
      expect(Math.abs(written[j] - value)).toBeLessThanOrEqual(1e-6 * scale);
    });
    expect(run.stderr).not.toMatch(/warning/);
    // Raw diabetes columns have norm 1, so the default rate of 0.1 is far too small for them.
    const slow = await runCli([
      'linear-regression',
      'train',
      mlFixturePath('diabetes.csv'),
      '--label',
      'progression',
      '--solver',
      'sgd',
      '--max-iterations',
      '50',
      '--model',
      inDirectory('slow.json'),
    ]);
    expect(slow.code).toBe(0);
    expect(slow.stderr).toMatch(/warning: stopped at --max-iterations 50 before converging/);
    const bad = await runCli([
      'linear-regression',
      'train',
      iris,
      '--label',
      'a',
      '--model',
      'm',
      '--solver',
      'newton',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/newton/);
    const rate = await runCli([
      'linear-regression',
      'train',
      inDirectory('scaled.csv'),
      '--label',
      'progression',
      '--solver',
      'sgd',
      '--learning-rate',
      '0',
      '--model',
      inDirectory('bad.json'),
    ]);
    expect(rate.code).toBe(1);
    expect(rate.stderr).toMatch(/parameter 'learningRate': 0; expected a finite number > 0/);
  });

  it('logistic regression predicts labels as written in the training data', async () => {
    const run = await runCli([
      'logistic-regression',
      'train',
      iris,
      '--label',
      'species',
      '--reg',
      '0.01',
      '--model',
      inDirectory('lg.json'),
    ]);
    expect(run.code).toBe(0);
    expect(lines(run.stdout)[0]).toBe('term\tsetosa\tversicolor\tvirginica');
    expect(run.stderr).toMatch(/3 classes, training accuracy 0\.9/);
    const predicted = lines((await runCli(['predict', '--model', inDirectory('lg.json'), iris])).stdout);
    expect(predicted[1]).toBe('setosa');
    expect(predicted[150]).toBe('virginica');
  });
});

describe('errors a new user meets: one line naming the problem', () => {
  const cases: [string, string[], string | undefined, RegExp][] = [
    [
      'a non-numeric feature',
      ['kmeans', iris, '--k', '3'],
      undefined,
      /iris\.csv:2: feature column 'species' is not numeric: got "setosa"/,
    ],
    [
      'a missing label column',
      ['linear-regression', 'train', iris, '--label', 'price', '--model', inDirectory('x.json')],
      undefined,
      /iris\.csv: no label column 'price': expected one of the columns sepal_length_cm, /,
    ],
    [
      'a missing weight column',
      [
        'logistic-regression',
        'train',
        iris,
        '--label',
        'species',
        '--weight',
        'w',
        '--model',
        inDirectory('x.json'),
      ],
      undefined,
      /iris\.csv: no weight column 'w': expected one of the columns sepal_length_cm, /,
    ],
    [
      'k larger than the number of rows',
      ['kmeans', '-', '--k', '5'],
      'a,b\n1,2\n3,4\n',
      /parameter 'k': 5; expected at most the number of rows \(2\) of <stdin>/,
    ],
    [
      'NaN in the data',
      ['kmeans', '-', '--k', '1'],
      'a,b\n1,2\n3,NaN\n',
      /<stdin>:3: missing or non-finite value in feature column 'b'/,
    ],
  ];
  for (const [what, argv, stdin, message] of cases) {
    it(what, async () => {
      const run = await runCli(argv, { stdin });
      expect(run.code).toBe(1);
      expect(lines(run.stderr)).toHaveLength(1);
      expect(run.stderr).toMatch(message);
    });
  }

  it('a model file of the wrong type, or not a model at all', async () => {
    writeFileSync(inDirectory('graph.json'), '{"type": "graph"}');
    const wrong = await runCli(['predict', '--model', inDirectory('graph.json'), iris]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/graph\.json: unknown model type 'graph': expected one of .*kmeans/);
    expect(lines(wrong.stderr)).toHaveLength(1);
    const csv = await runCli(['predict', '--model', iris, iris]);
    expect(csv.stderr).toMatch(/iris\.csv: not a model file: /);
    expect(lines(csv.stderr)).toHaveLength(1);
    const scaler = { type: 'standard-scaler', params: {}, mean: [0], std: [1] };
    writeFileSync(inDirectory('scaler.json'), JSON.stringify(scaler));
    const none = await runCli(['predict', '--model', inDirectory('scaler.json'), iris]);
    expect(none.stderr).toMatch(/a 'standard-scaler' model makes no predictions/);
  });

  it('usage errors exit with 2', async () => {
    expect((await runCli(['kmeans', iris])).code).toBe(2);
    expect((await runCli(['linear-regression', 'fit', iris, '--label', 'a', '--model', 'm'])).stderr).toMatch(
      /unknown action 'fit'/,
    );
    expect((await runCli(['logistic-regression', 'train', iris, '--model', 'm'])).stderr).toMatch(
      /--label is required/,
    );
  });
});

describe('eddy kmeans --parallelism and --n-init', () => {
  // Enough rows for several chunks of the threaded rounds (4096 rows each).
  const rows = Array.from({ length: 9000 }, (_, i) => {
    const centre = (i * 7919) % 3;
    return `${centre * 4 + ((i * 31) % 97) / 50},${centre * -3 + ((i * 17) % 89) / 40}`;
  });
  const points = inDirectory('points.csv');
  writeFileSync(points, `x,y\n${rows.join('\n')}\n`);

  it('writes the same clusters on one thread as on two', async () => {
    const one = await runCli(['kmeans', points, '--k', '3', '--parallelism', '1', '--quiet']);
    const two = await runCli(['kmeans', points, '--k', '3', '--parallelism', '2', '--quiet']);
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    expect(lines(two.stdout)).toHaveLength(9001);
    expect(two.stdout).toBe(one.stdout);
  });

  it('takes --n-init auto (the default) or a count, and rejects anything else with exit 2', async () => {
    const auto = await runCli(['kmeans', iris, '--k', '3', '--ignore', 'species', '--init', 'random']);
    const ten = await runCli([
      'kmeans',
      iris,
      '--k',
      '3',
      '--ignore',
      'species',
      '--init',
      'random',
      '--n-init',
      '10',
    ]);
    expect(auto.code).toBe(0);
    expect(auto.stdout).toBe(ten.stdout);
    const bad = await runCli(['kmeans', iris, '--k', '3', '--n-init', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--n-init must be an integer >= 1 or auto, got '0'/);
  });
});
