import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { mlFixturePath } from '../helpers/ml-fixtures.js';

/** `--header`, `--no-header` and `--columns` of the ML commands (issue 16). */

const directory = mkdtempSync(join(tmpdir(), 'eddy-feature-columns-'));
const inDirectory = (name: string) => join(directory, name);
const iris = mlFixturePath('iris.csv');
const diabetes = mlFixturePath('diabetes.csv');

/** `path` written again without its header line. */
function withoutHeader(path: string, name: string): string {
  const text = readFileSync(path, 'utf8');
  writeFileSync(inDirectory(name), text.slice(text.indexOf('\n') + 1));
  return inDirectory(name);
}

const irisNoHeader = withoutHeader(iris, 'iris-no-header.csv');
const diabetesNoHeader = withoutHeader(diabetes, 'diabetes-no-header.csv');
const diabetesNames = readFileSync(diabetes, 'utf8').split('\n')[0].split(',');

/** `eddy linear-regression train` quietly, the model saved as `model` in the test's folder; with the terms it printed. */
async function trainRegression(input: string, model: string, ...options: string[]) {
  const run = await runCli([
    'linear-regression',
    'train',
    input,
    ...options,
    '--model',
    inDirectory(model),
    '-q',
  ]);
  const terms = run.stdout
    .trimEnd()
    .split('\n')
    .map((line) => line.split('\t')[0]);
  return { ...run, terms };
}

/** `eddy kmeans INPUT --k 3 --seed 1 -q` with `options` (and `stdin`). */
const clusterIris = (input: string, options: string[], stdin?: string) =>
  runCli(['kmeans', input, '--k', '3', '--seed', '1', ...options, '-q'], { stdin });

describe('--no-header: columns named by position', () => {
  it('kmeans on a file without a header clusters as on the same file with one', async () => {
    const named = await clusterIris(iris, ['--ignore', 'species']);
    const numbered = await clusterIris(irisNoHeader, ['--no-header', '--ignore', '5']);
    expect(numbered.stderr).toBe('');
    expect(numbered.code).toBe(0);
    expect(numbered.stdout).toBe(named.stdout);
    expect(numbered.stdout.split('\n')).toHaveLength(152);
  });

  it('a regression names its features 1, 2, ... and the label by its number', async () => {
    const run = await trainRegression(diabetesNoHeader, 'numbered.json', '--no-header', '--label', '11');
    expect(run.stderr).toBe('');
    expect(run.terms).toEqual(['term', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '(intercept)']);
    // 442 rows: the first line was read as data.
    const predicted = await runCli([
      'predict',
      '--model',
      inDirectory('numbered.json'),
      diabetesNoHeader,
      '--no-header',
    ]);
    expect(predicted.stdout.trimEnd().split('\n')).toHaveLength(443);
  });

  it('reads a headerless file on stdin and through the general reader (a text column)', async () => {
    const text = readFileSync(irisNoHeader, 'utf8');
    const fromStdin = await clusterIris('-', ['--no-header', '--ignore', '5'], text);
    const fromFile = await clusterIris(irisNoHeader, ['--no-header', '--columns', '1,2,3,4']);
    expect(fromStdin.code).toBe(0);
    expect(fromStdin.stdout).toBe(fromFile.stdout);
  });

  it('a header of numbers only is read as a header, with a warning; --header declares it', async () => {
    const firstRow = readFileSync(diabetesNoHeader, 'utf8').split('\n')[0].split(',');
    const warned = await trainRegression(diabetesNoHeader, 'first-row.json', '--label', firstRow[10]);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toMatch(
      /^warning: the header of .*diabetes-no-header\.csv is all numbers \(0\.038075906433423026, 0\.05068011873981862, 0\.061696206518683294, \.\.\.\): if that line is data, add --no-header/,
    );
    const declared = await trainRegression(
      diabetesNoHeader,
      'first-row.json',
      '--label',
      firstRow[10],
      '--header',
    );
    expect(declared.stderr).toBe('');
    expect(declared.stdout).toBe(warned.stdout);
  });
});

describe('--columns: choosing and naming the columns', () => {
  it('reads only the listed columns, in order, by number or by name', async () => {
    const byNumber = await clusterIris(iris, ['--columns', '3,4']);
    const byName = await clusterIris(iris, ['--columns', 'petal_length_cm,petal_width_cm']);
    const byFeatures = await clusterIris(iris, ['--features', 'petal_length_cm,petal_width_cm']);
    expect(byNumber.code).toBe(0);
    expect(new Set(byNumber.stdout.trim().split('\n').slice(1))).toEqual(new Set(['0', '1', '2']));
    expect(byName.stdout).toBe(byNumber.stdout);
    expect(byFeatures.stdout).toBe(byNumber.stdout);
  });

  it('N=NAME and OLD=NAME rename, so that --label and --features use the new names', async () => {
    const run = await trainRegression(
      diabetes,
      'renamed.json',
      '--columns',
      '3=body_mass,bp,progression=y',
      '--label',
      'y',
    );
    expect(run.stderr).toBe('');
    expect(run.terms).toEqual(['term', 'body_mass', 'bp', '(intercept)']);
    const model = JSON.parse(readFileSync(inDirectory('renamed.json'), 'utf8'));
    expect(model.params.featuresCol).toEqual(['body_mass', 'bp']);
  });

  it('names the columns of a file without a header, so that a saved model predicts on it', async () => {
    const model = inDirectory('diabetes.json');
    const trained = await trainRegression(diabetes, 'diabetes.json', '--label', 'progression');
    expect(trained.code).toBe(0);
    const named = await runCli(['predict', '--model', model, diabetes]);
    const unnamed = await runCli([
      'predict',
      '--model',
      model,
      diabetesNoHeader,
      '--no-header',
      '--columns',
      diabetesNames.slice(0, 10).join(','),
    ]);
    expect(unnamed.stderr).toBe('');
    expect(unnamed.stdout).toBe(named.stdout);
  });

  it('chooses columns of an Arrow file', async () => {
    const path = inDirectory('points.arrow');
    const table = tableFromArrays({
      a: Float64Array.from([0, 0.1, 9, 9.1]),
      b: Float64Array.from([0, 0.2, 9, 9.2]),
      noise: Float64Array.from([100, -100, 100, -100]),
    });
    writeFileSync(path, tableToIPC(table, 'file'));
    const run = await runCli(['kmeans', path, '--columns', 'a,2', '--k', '2', '--seed', '1']);
    expect(run.stderr).toMatch(/^k-means: 4 rows x 2 features/);
    const clusters = run.stdout.trim().split('\n').slice(1);
    expect(clusters[0]).toBe(clusters[1]);
    expect(clusters[2]).toBe(clusters[3]);
    expect(clusters[0]).not.toBe(clusters[2]);
  });
});

describe('--header, --no-header and --columns: mistakes', () => {
  const kmeans = (input: string, ...options: string[]) => runCli(['kmeans', input, '--k', '2', ...options]);

  it('values the command line cannot mean are usage errors (exit 2) that say what was expected', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['--columns', '1,,2'],
        /--columns expects a comma-separated list of column numbers \(1-based\), names, or N=NAME; got '1,,2'/,
      ],
      [['--columns', '=x'], /--columns expects a comma-separated list .*; got '=x'/],
      [['--columns', '0,1'], /--columns: column numbers start at 1, got '0,1'/],
      [['--columns', '1,sepal_length_cm'], /--columns: each column name once, got "sepal_length_cm"/],
      [['--header', '--no-header'], /--header and --no-header contradict each other/],
    ];
    for (const [options, message] of cases) {
      const run = await kmeans(iris, ...options);
      expect(run.code, options.join(' ')).toBe(2);
      expect(run.stderr, options.join(' ')).toMatch(message);
    }
    writeFileSync(
      inDirectory('p.arrow'),
      tableToIPC(tableFromArrays({ a: Float64Array.from([1, 2]) }), 'file'),
    );
    const arrow = await kmeans(inDirectory('p.arrow'), '--no-header');
    expect(arrow.code).toBe(2);
    expect(arrow.stderr).toMatch(
      /--no-header applies to CSV input; the Arrow file '.*p\.arrow' names its columns/,
    );
    const stream = await runCli(['kmeans', '--stream', '-', '--k', '2', '--no-header']);
    expect(stream.code).toBe(2);
    expect(stream.stderr).toMatch(/--no-header does not apply with --stream/);
  });

  it('a column that is not in the file is an error naming the file (exit 1)', async () => {
    const missingName = await kmeans(iris, '--columns', 'sepal_length_cm,petals');
    expect(missingName.code).toBe(1);
    expect(missingName.stderr).toContain(
      `${iris}: no column 'petals': expected one of the columns sepal_length_cm, sepal_width_cm, petal_length_cm, petal_width_cm, species`,
    );
    const missingNumber = await kmeans(iris, '--columns', '1,6');
    expect(missingNumber.code).toBe(1);
    expect(missingNumber.stderr).toContain(`${iris}: no column 6: expected a column number from 1 to 5`);
    const tooManyNames = await kmeans(irisNoHeader, '--no-header', '--columns', 'a,b,c,d,e,f');
    expect(tooManyNames.code).toBe(1);
    expect(tooManyNames.stderr).toContain(
      `${irisNoHeader}: no column 6 to name 'f': expected at most 5 names`,
    );
    // Without a header there are no names to look up but the positions.
    const label = await trainRegression(diabetesNoHeader, 'x.json', '--no-header', '--label', 'progression');
    expect(label.code).toBe(1);
    expect(label.stderr).toContain(
      `${diabetesNoHeader}: no label column 'progression': expected one of the columns 1, 2, 3,`,
    );
  });
});

/** Numbers as a CSV writes them: every double's shortest text reads back as the same double. */
const cell = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });
const columnName = fc.stringMatching(/^[a-z][a-z0-9_]{0,5}$/);

describe('a file read with its header and without it (--columns giving the names) gives the same results', () => {
  it('linear regression models and predictions, k-means clusters (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }).chain((width) =>
          fc.record({
            names: fc.uniqueArray(columnName, { minLength: width + 2, maxLength: width + 2 }),
            rows: fc.array(fc.array(cell, { minLength: width + 1, maxLength: width + 1 }), {
              minLength: 4,
              maxLength: 25,
            }),
            // A text column sends the file through the general CSV reader instead of the numeric one.
            text: fc.boolean(),
            delimiter: fc.constantFrom(',', '\t'),
          }),
        ),
        async ({ names, rows, text, delimiter }) => {
          // The last name is the text column's (when there is one), the one before it the label's.
          const columns = text ? names : names.slice(0, -1);
          const lines = rows.map((row, i) => [...row, ...(text ? [`t${i % 3}`] : [])].join(delimiter));
          const headed = inDirectory('headed.csv');
          const bare = inDirectory('bare.csv');
          writeFileSync(headed, `${[columns.join(delimiter), ...lines].join('\n')}\n`);
          writeFileSync(bare, `${lines.join('\n')}\n`);
          const label = names[rows[0].length - 1];
          const ignore = text ? ['--ignore', names[names.length - 1]] : [];
          const train = (input: string, model: string, ...how: string[]) =>
            trainRegression(input, model, ...how, '--label', label, ...ignore);
          const naming = ['--no-header', '--columns', columns.join(',')];
          const fromHeaded = await train(headed, 'headed.json');
          const fromBare = await train(bare, 'bare.json', ...naming);
          expect(fromBare.code).toBe(fromHeaded.code);
          expect(fromBare.stdout).toBe(fromHeaded.stdout);
          expect(fromBare.stderr.replaceAll(bare, headed)).toBe(fromHeaded.stderr);
          if (fromHeaded.code === 0) {
            expect(readFileSync(inDirectory('bare.json'), 'utf8')).toBe(
              readFileSync(inDirectory('headed.json'), 'utf8'),
            );
            const predictHeaded = await runCli(['predict', '--model', inDirectory('headed.json'), headed]);
            const predictBare = await runCli([
              'predict',
              '--model',
              inDirectory('headed.json'),
              bare,
              ...naming,
            ]);
            expect(predictBare.code).toBe(0);
            expect(predictBare.stdout).toBe(predictHeaded.stdout);
          }
          const cluster = (input: string, ...how: string[]) =>
            runCli(['kmeans', input, ...how, '--k', '2', '--seed', '3', ...ignore, '-q']);
          const clustersHeaded = await cluster(headed);
          const clustersBare = await cluster(bare, ...naming);
          expect(clustersBare.code).toBe(clustersHeaded.code);
          expect(clustersBare.stdout).toBe(clustersHeaded.stdout);
        },
      ),
      { numRuns: 12 },
    );
  });
});

describe('--no-header on edge lists, as on feature files', () => {
  it('reads a first line that auto-detection takes for a header as an edge; --header with it is a usage error', async () => {
    const edges = inDirectory('edges.tsv');
    writeFileSync(edges, 'a\tb\n1\t2\n2\t3\n');
    const detected = await runCli(['components', edges]);
    expect(detected.stdout.trim().split('\n')).toEqual(['1\t1', '2\t1', '3\t1']);
    const edge = await runCli(['components', edges, '--no-header']);
    expect(edge.code, edge.stderr).toBe(0);
    expect(edge.stdout.trim().split('\n').sort()).toEqual(['1\t1', '2\t1', '3\t1', 'a\ta', 'b\ta']);
    const both = await runCli(['components', edges, '--header', '--no-header']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--header and --no-header contradict each other/);
  });
});
