/**
 * Options that do not apply in the mode a command runs in are usage errors (exit 2), never
 * ignored; option defaults are the library's, not restated; --output naming the --model file
 * is refused before anything is written.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommandSpec } from '../../src/cli/command.js';
import { commands } from '../../src/cli/commands/index.js';
import { parseCommandArguments } from '../../src/cli/parse.js';
import {
  COMMUNITY_DETECTION_DEFAULTS,
  HITS_DEFAULTS,
  kMeansParams,
  LABEL_PROPAGATION_DEFAULTS,
  linearRegressionParams,
  logisticRegressionParams,
  RMAT_DEFAULTS,
} from '../../src/index.js';
import { runCli } from '../helpers/cli.js';
import { mlFixturePath } from '../helpers/ml-fixtures.js';

const iris = mlFixturePath('iris.csv');
const lesmis = 'data/lesmis.tsv';
const directory = mkdtempSync(join(tmpdir(), 'eddy-usage-'));

async function command(name: string): Promise<CommandSpec> {
  const entry = commands.find((c) => c.name === name);
  if (entry === undefined) throw new Error(`no command ${name}`);
  return entry.load();
}

async function expectUsageError(argv: string[], message: string): Promise<void> {
  const run = await runCli(argv);
  expect(run.stderr).toContain(message);
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
}

describe('options that do not apply are usage errors', () => {
  it('kmeans without --stream refuses every stream-only option, defaults included', async () => {
    for (const [flag, value] of [
      ['--batch-size', '1000'],
      ['--time-unit', 'points'],
      ['--checkpoint-interval', '10'],
      ['--half-life', '2'],
    ]) {
      await expectUsageError(
        ['kmeans', iris, '--k', '3', flag, value],
        `${flag} applies to stream mode only: add --stream`,
      );
    }
  });

  it('generate refuses the options of other generators', async () => {
    await expectUsageError(
      ['generate', 'cycle', '--vertex-count', '5', '--scale', '3'],
      "--scale does not apply to the 'cycle' generator",
    );
    await expectUsageError(
      ['generate', 'rmat', '--vertex-count', '5'],
      "--vertex-count does not apply to the 'rmat' generator",
    );
    await expectUsageError(
      ['generate', 'grid', '--dimensions', '2x2', '--offsets', '1'],
      "--offsets does not apply to the 'grid' generator",
    );
    const run = await runCli(['generate', 'grid', '--dimensions', '2x2', '--wrap']);
    expect(run.code).toBe(0);
  });

  it('graph commands refuse options of the other mode', async () => {
    await expectUsageError(
      ['components', lesmis, '--strong', '--algorithm', 'gather-sum-apply'],
      '--algorithm applies to weak components only',
    );
    await expectUsageError(
      ['clustering-coefficient', lesmis, '--average', '--output', join(directory, 'c.tsv')],
      '--output does not apply to --average',
    );
    await expectUsageError(
      ['triangles', lesmis, '--count', '--format', 'csv'],
      '--format does not apply to --count',
    );
  });

  it('linear-regression refuses SGD options without --solver sgd, and iterations with the exact solver', async () => {
    const train = ['linear-regression', 'train', iris, '--label', 'petal_width_cm', '--ignore', 'species'];
    const model = ['--model', join(directory, 'linear.json')];
    await expectUsageError(
      [...train, ...model, '--learning-rate', '0.1'],
      '--learning-rate applies to --solver sgd only',
    );
    await expectUsageError(
      [...train, ...model, '--seed', '3', '--solver', 'qr'],
      '--seed applies to --solver sgd only',
    );
    await expectUsageError(
      [...train, ...model, '--max-iterations', '5'],
      '--max-iterations does not apply to the exact (qr) solver',
    );
    const run = await runCli([...train, ...model, '--reg', '0.01', '--max-iterations', '500', '-q']);
    expect(run.code).toBe(0);
  });
});

describe('--output naming the --model file', () => {
  it('is refused by every command that has both, and the model is left as it was', async () => {
    const model = join(directory, 'same.tsv');
    writeFileSync(model, '{"kept":true}\n');
    for (const argv of [
      ['kmeans', iris, '--k', '3', '--ignore', 'species'],
      ['linear-regression', 'train', iris, '--label', 'petal_width_cm', '--ignore', 'species'],
      ['logistic-regression', 'train', iris, '--label', 'species'],
      ['predict', iris],
    ]) {
      await expectUsageError(
        [...argv, '--model', model, '--output', join(directory, '.', 'same.tsv')],
        `--output and --model name the same file`,
      );
      expect(readFileSync(model, 'utf8')).toBe('{"kept":true}\n');
    }
  });
});

describe('option defaults are the library defaults', () => {
  async function defaults(name: string): Promise<Record<string, unknown>> {
    // --help skips the positional checks; the defaults are filled in all the same.
    return parseCommandArguments(await command(name), ['--help']).options;
  }

  it('kmeans: KMeans param specs', async () => {
    const options = await defaults('kmeans');
    expect(options.seed).toBe(kMeansParams.seed.default);
    expect(options.init).toBe(kMeansParams.init.default);
    expect(options.maxIterations).toBe(kMeansParams.maxIterations.default);
    expect(options.tolerance).toBe(kMeansParams.tolerance.default);
    expect(options.nInit).toBe(String(kMeansParams.nInit.default));
    expect(options.parallelism).toBe(kMeansParams.parallelism.default);
    expect(options.distance).toBe(kMeansParams.distanceMeasure.default);
  });

  it('linear-regression and logistic-regression: their param specs', async () => {
    const linear = await defaults('linear-regression');
    for (const name of [
      'reg',
      'elasticNet',
      'solver',
      'learningRate',
      'batchSize',
      'maxIterations',
      'seed',
    ] as const) {
      expect(linear[name], name).toBe(linearRegressionParams[name].default);
    }
    const logistic = await defaults('logistic-regression');
    for (const name of ['reg', 'elasticNet', 'family', 'maxIterations'] as const) {
      expect(logistic[name], name).toBe(logisticRegressionParams[name].default);
    }
  });

  it('graph commands and generate: the algorithms’ defaults', async () => {
    const rmat = await defaults('generate');
    for (const name of ['scale', 'edgeFactor', 'a', 'b', 'c', 'noise', 'seed'] as const) {
      expect(rmat[name], name).toBe(RMAT_DEFAULTS[name]);
    }
    expect((await defaults('label-propagation')).maxIterations).toBe(
      LABEL_PROPAGATION_DEFAULTS.maxIterations,
    );
    const hits = await defaults('hits');
    expect([hits.maxIterations, hits.tolerance]).toEqual([
      HITS_DEFAULTS.maxIterations,
      HITS_DEFAULTS.tolerance,
    ]);
    const community = await defaults('community-detection');
    expect([community.maxIterations, community.delta]).toEqual([
      COMMUNITY_DETECTION_DEFAULTS.maxIterations,
      COMMUNITY_DETECTION_DEFAULTS.delta,
    ]);
  });
});
