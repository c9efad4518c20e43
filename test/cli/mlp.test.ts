import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runCli } from '../helpers/cli.js';
import { mlFixturePath } from '../helpers/ml-fixtures.js';

const directory = mkdtempSync(join(tmpdir(), 'eddy-mlp-cli-'));
const iris = mlFixturePath('iris.csv');
const quick = ['--hidden', '6', '--epochs', '5', '--batch-size', '50'];
/** `eddy mlp train` on iris with a small quick network, saving to `model`. */
const trainIris = (model: string, ...more: string[]) =>
  runCli(['mlp', 'train', iris, '--label', 'species', ...quick, ...more, '--model', model]);

describe('eddy mlp train / predict', () => {
  it('trains, writes the loss curve, and predict applies the saved model; the same seed gives the same file', async () => {
    const first = join(directory, 'iris-1.json');
    const second = join(directory, 'iris-2.json');
    const run = await trainIris(first, '--seed', '3');
    expect(run.code).toBe(0);
    const curve = run.stdout.trimEnd().split('\n');
    expect(curve[0]).toBe('epoch\tloss');
    expect(curve).toHaveLength(6);
    expect(run.stderr).toMatch(/^mlp: 150 rows, 3 classes, 5 epochs, training accuracy [\d.]+\n$/);
    await trainIris(second, '--seed', '3', '-q');
    expect(readFileSync(second, 'utf8')).toBe(readFileSync(first, 'utf8'));
    const model = JSON.parse(readFileSync(first, 'utf8'));
    expect(model.type).toBe('mlp-classifier');
    expect(model.hiddenLayers).toEqual([6]);
    const predicted = await runCli(['predict', '--model', first, iris]);
    expect(predicted.code).toBe(0);
    const labels = predicted.stdout.trimEnd().split('\n');
    expect(labels[0]).toBe('prediction');
    expect(labels).toHaveLength(151);
    expect(new Set(labels.slice(1)).size).toBeGreaterThan(1);
  });

  it('shows progress per epoch (loss, validation score) on stderr when it is a terminal', async () => {
    const stderr = Object.assign(new PassThrough(), { isTTY: true });
    const chunks: string[] = [];
    stderr.on('data', (chunk) => chunks.push(String(chunk)));
    const stdout = new PassThrough();
    stdout.resume();
    const args = [
      'mlp',
      'train',
      iris,
      '--label',
      'species',
      ...quick,
      '--early-stopping',
      '--model',
      join(directory, 'p.json'),
    ];
    expect(await main(args, { stdin: new PassThrough(), stdout, stderr })).toBe(0);
    expect(chunks.join('')).toMatch(/mlp: \d\/5 \(\d+%\) epochs.*loss [\d.]+, validation [\d.]+/);
  });

  it('refuses bad usage (exit 2) and reports bad data (exit 1)', async () => {
    const model = join(directory, 'bad.json');
    const usage = [
      ['mlp', 'train', iris, '--label', 'species', '--hidden', '64,x', '--model', model],
      ['mlp', 'train', iris, '--label', 'species', '--validation-fraction', '0.2', '--model', model],
      ['mlp', 'train', iris, '--label', 'species', '--learning-rate', '0', '--model', model],
      ['mlp', 'train', iris, '--model', model],
    ];
    for (const args of usage) expect((await runCli(args)).code, args.join(' ')).toBe(2);
    const text = join(directory, 'text.csv');
    writeFileSync(text, 'x,colour,y\n1,red,a\n2,blue,b\n');
    const notNumeric = await runCli(['mlp', 'train', text, '--label', 'y', '--model', model]);
    expect(notNumeric.code).toBe(1);
    expect(notNumeric.stderr).toMatch(/feature column 'colour' is not numeric/);
    const noLabel = await runCli(['mlp', 'train', iris, '--label', 'kind', '--model', model]);
    expect(noLabel.code).toBe(1);
    expect(noLabel.stderr).toMatch(/label column 'kind'/);
    const regression = await runCli([
      'mlp',
      'train',
      iris,
      '--label',
      'species',
      '--task',
      'regression',
      '--model',
      model,
    ]);
    expect(regression.code).toBe(1);
    expect(regression.stderr).toMatch(/label column 'species' is not numeric/);
    writeFileSync(model, '{"type": "mlp-classifier", "params": {}, "classes": [1, 2]}');
    const broken = await runCli(['predict', '--model', model, iris]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/bad\.json/);
  });
});

describe('eddy mlp quality against scikit-learn (test/fixtures/ml/make_mlp_fixtures.py)', () => {
  // biome-ignore lint/suspicious/noExplicitAny: the JSON is read as written by the script.
  const sklearn: any = JSON.parse(readFileSync(mlFixturePath('mlp.json'), 'utf8'));

  /** The fixture's table split into training and test CSV files. */
  function split(name: string): { train: string; test: string; actual: string[] } {
    const [header, ...rows] = readFileSync(mlFixturePath(`${name}.csv`), 'utf8')
      .trimEnd()
      .split('\n');
    const test = new Set<number>(sklearn[name].test);
    const paths = { train: join(directory, `${name}-train.csv`), test: join(directory, `${name}-test.csv`) };
    const testRows = rows.filter((_, i) => test.has(i));
    writeFileSync(paths.train, [header, ...rows.filter((_, i) => !test.has(i))].join('\n'));
    writeFileSync(paths.test, [header, ...testRows].join('\n'));
    return { ...paths, actual: testRows.map((row) => row.slice(row.lastIndexOf(',') + 1)) };
  }

  // The command's defaults plus --hidden 64, as the fixture's networks; ours may score better.
  for (const [name, margin] of [
    ['digits', 0.01],
    ['breast-cancer', 0.01],
    ['wine', 0.02],
    ['diabetes', 0.05],
  ] as const) {
    it(`${name}: the test score is within ${margin} of scikit-learn's, or better`, async () => {
      const { label, task, score } = sklearn[name];
      const { train, test, actual } = split(name);
      const model = join(directory, `${name}.json`);
      const trained = await runCli([
        'mlp',
        'train',
        train,
        '--label',
        label,
        '--task',
        task,
        '--hidden',
        '64',
        '--model',
        model,
        '-q',
      ]);
      expect(trained.code).toBe(0);
      const predicted = await runCli(['predict', '--model', model, test]);
      const values = predicted.stdout.trimEnd().split('\n').slice(1).map(Number);
      const truth = actual.map(Number);
      let ours: number;
      if (task === 'classification') ours = values.filter((p, i) => p === truth[i]).length / truth.length;
      else {
        const mean = truth.reduce((sum, y) => sum + y, 0) / truth.length;
        const residual = truth.reduce((sum, y, i) => sum + (y - values[i]) ** 2, 0);
        ours = 1 - residual / truth.reduce((sum, y) => sum + (y - mean) ** 2, 0);
      }
      expect(ours).toBeGreaterThanOrEqual(score - margin);
    }, 120_000);
  }
});
