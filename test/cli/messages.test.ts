/**
 * What a user reads when a command line is wrong (issue 16, "Messages"): negative numbers reach
 * the option's own bounds check, typos get the closest command or option, a missing action is
 * named as such.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closest, editDistance } from '../../src/cli/suggest.js';
import { runCli } from '../helpers/cli.js';
import { mlFixturePath } from '../helpers/ml-fixtures.js';

const iris = mlFixturePath('iris.csv');
const lesmis = 'data/lesmis.tsv';
const directory = mkdtempSync(join(tmpdir(), 'eddy-messages-'));

async function usageError(argv: string[]): Promise<string> {
  const run = await runCli(argv);
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  return run.stderr;
}

describe('negative numbers as option values', () => {
  it('are parsed and then refused by the option bounds, not as ambiguous arguments', async () => {
    expect(await usageError(['kmeans', iris, '--k', '-1'])).toContain('--k must be at least 1; got -1');
    expect(await usageError(['kmeans', iris, '--k', '-1e3'])).toContain('--k must be at least 1; got -1e3');
    expect(await usageError(['pagerank', lesmis, '--damping-factor', '-.5'])).toContain(
      '--damping-factor must be at least 0; got -.5',
    );
  });

  it('are accepted where the option allows them', async () => {
    const run = await runCli(['generate', 'cycle', '--vertex-count', '4', '--seed', '-3']);
    expect(run.stderr).not.toContain('ambiguous');
  });
});

describe('typos', () => {
  it('suggest the closest command', async () => {
    const run = await runCli(['pagrank', lesmis]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown command 'pagrank' (did you mean 'pagerank'?)");
    expect((await runCli(['zzzzzz'])).stderr).not.toContain('did you mean');
  });

  it('suggest the closest option', async () => {
    expect(await usageError(['pagerank', lesmis, '--max-iteration', '3'])).toContain(
      "unknown option '--max-iteration' (did you mean '--max-iterations'?)",
    );
    expect(await usageError(['pagerank', lesmis, '--max-iteration=3'])).toContain(
      "(did you mean '--max-iterations'?)",
    );
    expect(await usageError(['pagerank', lesmis, '--frobnicate'])).not.toContain('did you mean');
  });

  it('edit distance is a metric and closest stays within a third of the word', () => {
    const word = fc.string({ maxLength: 8 });
    fc.assert(
      fc.property(word, word, word, (a, b, c) => {
        expect(editDistance(a, a)).toBe(0);
        expect(editDistance(a, b)).toBe(editDistance(b, a));
        expect(editDistance(a, c)).toBeLessThanOrEqual(editDistance(a, b) + editDistance(b, c));
        expect(editDistance(a, b)).toBeLessThanOrEqual(Math.max(a.length, b.length));
        const match = closest(a, [b, c]);
        if (match !== undefined)
          expect(editDistance(a, match)).toBeLessThanOrEqual(Math.max(1, a.length / 3));
      }),
    );
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});

describe('a missing action', () => {
  it('is named instead of the data argument', async () => {
    const stderr = await usageError(['linear-regression', iris, '--label', 'species']);
    expect(stderr).toContain(
      `missing <action> 'train' before '${iris}' (usage: eddy linear-regression train <data>)`,
    );
    expect(stderr).not.toContain('<data>>');
    expect(await usageError(['logistic-regression', 'fit', iris, '--label', 'species'])).toContain(
      "unknown action 'fit'; expected 'train'",
    );
  });
});

describe('values that would be accepted silently', () => {
  it('--top 0 is a usage error', async () => {
    expect(await usageError(['pagerank', lesmis, '--top', '0'])).toContain('--top must be at least 1; got 0');
  });

  it('an output ending eddy does not write is refused, naming the endings it writes', async () => {
    const parquet = join(directory, 'x.parquet');
    for (const argv of [
      ['pagerank', lesmis, '--output', parquet],
      [
        'linear-regression',
        'train',
        iris,
        '--label',
        'petal_width_cm',
        '--features',
        'sepal_length_cm',
        '--model',
        join(directory, 'm.json'),
        '--output',
        parquet,
      ],
    ]) {
      expect(await usageError(argv)).toContain(
        `--output '${parquet}': eddy does not write '.parquet' files; use one of .tsv, .txt, .csv, .arrow, .feather`,
      );
      expect(existsSync(parquet)).toBe(false);
    }
    // --format says how to write it.
    expect((await runCli(['pagerank', lesmis, '--output', parquet, '--format', 'tsv'])).code).toBe(0);
    expect(readFileSync(parquet, 'utf8')).toMatch(/^Myriel\t/m);
  });

  it('an ML output ending in .csv is CSV, not TSV', async () => {
    const csv = join(directory, 'coefficients.csv');
    const run = await runCli([
      'linear-regression',
      'train',
      iris,
      '--label',
      'petal_width_cm',
      '--features',
      'sepal_length_cm,petal_length_cm',
      '--model',
      join(directory, 'model.json'),
      '--output',
      csv,
      '--quiet',
    ]);
    expect(run.code).toBe(0);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('term,coefficient');
    expect(lines.map((line) => line.split(',')[0])).toEqual([
      'term',
      'sepal_length_cm',
      'petal_length_cm',
      '(intercept)',
    ]);
  });
});

describe('--quiet', () => {
  it('hides the summary note but not a warning', async () => {
    const run = await runCli([
      'linear-regression',
      'train',
      mlFixturePath('diabetes.csv'),
      '--label',
      'progression',
      '--solver',
      'sgd',
      '--max-iterations',
      '2',
      '--model',
      join(directory, 'slow.json'),
      '--quiet',
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      'warning: stopped at --max-iterations 2 before converging; raise it (or, for sgd, the learning rate, or standardise the features)\n',
    );
  });
});
