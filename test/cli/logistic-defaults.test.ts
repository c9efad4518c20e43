import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { expected, mlFixturePath } from '../helpers/ml-fixtures.js';

// The references are scikit-learn's StandardScaler + LogisticRegression() with every default, on
// the stratified 70/30 splits that test/fixtures/ml/make_fixtures.py (run with /usr/bin/python3,
// Debian's scikit-learn) wrote to expected.json as `logisticRegressionDefaults`.
const directory = mkdtempSync(join(tmpdir(), 'eddy-logistic-defaults-'));

/** Writes the fixture's training and test rows as two CSV files with the header. */
function split(name: string, test: readonly number[]): { train: string; test: string } {
  const [header, ...rows] = readFileSync(mlFixturePath(`${name}.csv`), 'utf8')
    .trimEnd()
    .split('\n');
  const held = new Set(test);
  const paths = { train: join(directory, `${name}-train.csv`), test: join(directory, `${name}-test.csv`) };
  writeFileSync(paths.train, [header, ...rows.filter((_, i) => !held.has(i))].join('\n'));
  writeFileSync(paths.test, [header, ...rows.filter((_, i) => held.has(i))].join('\n'));
  return paths;
}

describe("eddy logistic-regression train with its defaults reaches scikit-learn's accuracy", () => {
  for (const [name, label] of [
    ['digits', 'digit'],
    ['breast-cancer', 'malignant'],
  ] as const) {
    it(`${name}: test accuracy within one point of StandardScaler + LogisticRegression()`, async () => {
      const reference = expected.logisticRegressionDefaults[name];
      const paths = split(name, reference.test);
      const model = join(directory, `${name}.json`);
      const train = await runCli([
        'logistic-regression',
        'train',
        paths.train,
        '--label',
        label,
        '--model',
        model,
        '-q',
      ]);
      expect(train.code, train.stderr).toBe(0);
      const predicted = await runCli(['predict', '--model', model, paths.test, '-q']);
      expect(predicted.code, predicted.stderr).toBe(0);
      const predictions = predicted.stdout.trimEnd().split('\n').slice(1).map(Number);
      const truth = readFileSync(paths.test, 'utf8')
        .trimEnd()
        .split('\n')
        .slice(1)
        .map((row) => Number(row.slice(row.lastIndexOf(',') + 1)));
      expect(predictions).toHaveLength(reference.test.length);
      const accuracy = predictions.filter((p, i) => p === truth[i]).length / truth.length;
      expect(accuracy).toBeGreaterThanOrEqual(reference.testAccuracy - 0.01);
    });
  }

  it('--reg auto is the default, and is the same model as --reg 1/n', async () => {
    const paths = split('digits', expected.logisticRegressionDefaults.digits.test);
    const rows = readFileSync(paths.train, 'utf8').trimEnd().split('\n').length - 1;
    const fitted: string[] = [];
    for (const reg of [[], ['--reg', 'auto'], ['--reg', String(1 / rows)], ['--reg', '0']]) {
      const run = await runCli([
        'logistic-regression',
        'train',
        paths.train,
        '--label',
        'digit',
        '--model',
        join(directory, 'auto.json'),
        '-q',
        ...reg,
      ]);
      expect(run.code, run.stderr).toBe(0);
      fitted.push(run.stdout);
    }
    expect(fitted[1]).toBe(fitted[0]);
    expect(fitted[2]).toBe(fitted[0]);
    // No penalty is another model.
    expect(fitted[3]).not.toBe(fitted[0]);
  });

  it('--reg takes a number or auto, and says so', async () => {
    const run = await runCli([
      'logistic-regression',
      'train',
      '-',
      '--label',
      'y',
      '--model',
      'm.json',
      '--reg',
      'strong',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--reg expects a number or auto; got 'strong'/);
    const help = await runCli(['logistic-regression', '--help']);
    expect(help.stdout).toMatch(
      /--reg N +regularization strength \(auto: 1 \/ n, scikit-learn's C = 1\) \(N \| auto\) \[default: auto\]/,
    );
  });
});
