import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/commands/index.js';
import { parseCommandArguments } from '../../src/cli/parse.js';
import {
  decisionTreeClassifierParams,
  gbtClassifierParams,
  randomForestClassifierParams,
} from '../../src/index.js';
import { runCli } from '../helpers/cli.js';
import { mlFixturePath } from '../helpers/ml-fixtures.js';

const directory = mkdtempSync(join(tmpdir(), 'eddy-tree-cli-'));
const inDirectory = (name: string) => join(directory, name);
const wine = mlFixturePath('wine.csv');
const cancer = mlFixturePath('breast-cancer.csv');
const diabetes = mlFixturePath('diabetes.csv');

function lines(text: string): string[] {
  return text.trimEnd().split('\n');
}

describe('eddy decision-tree train|show, random-forest train, gbt train', () => {
  it('trains a tree, writes feature importances, shows it, and predict gives labels and probabilities', async () => {
    const model = inDirectory('tree.json');
    const run = await runCli([
      'decision-tree',
      'train',
      wine,
      '--label',
      'class',
      '--max-depth',
      '3',
      '--model',
      model,
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      /^decision tree: 178 rows, 13 features, 1 tree\(s\), depth 3, \d+ nodes, training accuracy 0\.9\d+/,
    );
    const importances = lines(run.stdout);
    expect(importances[0]).toBe('feature\timportance');
    expect(importances).toHaveLength(14);
    const total = importances.slice(1).reduce((sum, line) => sum + Number(line.split('\t')[1]), 0);
    expect(total).toBeCloseTo(1, 10);
    expect(JSON.parse(readFileSync(model, 'utf8')).type).toBe('decision-tree-classification');

    const shown = await runCli(['decision-tree', 'show', '--model', model]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^if \([a-z_/0-9]+ <= [\d.]+\)\n {2}if /);
    expect(shown.stdout).toContain('predict: ');

    const predicted = await runCli(['predict', '--model', model, wine]);
    expect(lines(predicted.stdout)).toHaveLength(179);
    const withProbabilities = await runCli(['predict', '--model', model, '--probabilities', wine]);
    expect(withProbabilities.code).toBe(0);
    const rows = lines(withProbabilities.stdout);
    expect(rows[0]).toBe('prediction\tprobability_0\tprobability_1\tprobability_2');
    for (const row of rows.slice(1)) {
      const [label, ...p] = row.split('\t').map(Number);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
      expect(p[label]).toBe(Math.max(...p));
    }
    expect(rows.slice(1).map((row) => row.split('\t')[0])).toEqual(lines(predicted.stdout).slice(1));
  });

  it('regression trees, forests and boosted trees', async () => {
    const tree = await runCli([
      'decision-tree',
      'train',
      diabetes,
      '--label',
      'progression',
      '--task',
      'regression',
      '--max-depth',
      '4',
      '--model',
      inDirectory('rt.json'),
      '--output',
      inDirectory('rt.tsv'),
    ]);
    expect(tree.code).toBe(0);
    expect(tree.stderr).toMatch(/training R2 0\.\d+/);
    expect(lines(readFileSync(inDirectory('rt.tsv'), 'utf8'))).toHaveLength(11);
    const forest = await runCli([
      'random-forest',
      'train',
      wine,
      '--label',
      'class',
      '--trees',
      '10',
      '--seed',
      '3',
      '--model',
      inDirectory('rf.json'),
      '-q',
    ]);
    expect(forest.code).toBe(0);
    expect(JSON.parse(readFileSync(inDirectory('rf.json'), 'utf8')).trees).toHaveLength(10);
    const gbt = await runCli([
      'gbt',
      'train',
      cancer,
      '--label',
      'malignant',
      '--trees',
      '20',
      '--learning-rate',
      '0.2',
      '--model',
      inDirectory('gbt.json'),
    ]);
    expect(gbt.code).toBe(0);
    expect(gbt.stderr).toMatch(
      /^gbt: 569 rows, 30 features, 20 tree\(s\), depth 3, .* training accuracy 0\.9[6-9]/,
    );
    const saved = JSON.parse(readFileSync(inDirectory('gbt.json'), 'utf8'));
    expect(saved.treeWeights).toEqual(new Array(20).fill(0.2));
    const probabilities = await runCli([
      'predict',
      '--model',
      inDirectory('gbt.json'),
      '--probabilities',
      cancer,
    ]);
    expect(lines(probabilities.stdout)[0]).toBe('prediction\tprobability_0\tprobability_1');
    const shown = await runCli(['decision-tree', 'show', '--model', inDirectory('gbt.json')]);
    expect(shown.stdout).toMatch(/^tree 0 \(weight 0\.2\):\n/);
  });

  it('predict --probabilities works for logistic regression and is refused for models without classes', async () => {
    const logistic = inDirectory('logistic.json');
    expect(
      (await runCli(['logistic-regression', 'train', wine, '--label', 'class', '--model', logistic, '-q']))
        .code,
    ).toBe(0);
    const run = await runCli(['predict', '--model', logistic, '--probabilities', wine]);
    expect(run.code).toBe(0);
    expect(lines(run.stdout)[0]).toBe('prediction\tprobability_0\tprobability_1\tprobability_2');
    const regression = await runCli([
      'predict',
      '--model',
      inDirectory('rt.json'),
      '--probabilities',
      diabetes,
    ]);
    expect(regression.code).toBe(1);
    expect(regression.stderr).toContain("a 'decision-tree-regression' model gives no class probabilities");
  });

  it('usage errors: impurity against the task, unknown categorical column, show on a non-tree model', async () => {
    const model = ['--model', inDirectory('x.json')];
    const variance = await runCli([
      'decision-tree',
      'train',
      wine,
      '--label',
      'class',
      '--impurity',
      'variance',
      ...model,
    ]);
    expect(variance.code).toBe(2);
    expect(variance.stderr).toContain('--impurity variance does not apply to --task classification');
    const categorical = await runCli([
      'decision-tree',
      'train',
      wine,
      '--label',
      'class',
      '--categorical',
      'nope',
      ...model,
    ]);
    expect(categorical.code).toBe(2);
    expect((await runCli(['decision-tree', 'train', '--label', 'class', ...model])).code).toBe(2);
    expect(
      (await runCli(['gbt', 'train', cancer, '--label', 'malignant', '--impurity', 'gini', ...model])).code,
    ).toBe(2);
    const shown = await runCli(['decision-tree', 'show', '--model', inDirectory('logistic.json')]);
    expect(shown.code).toBe(1);
    expect(shown.stderr).toContain('is not a tree model');
    const threeClasses = await runCli(['gbt', 'train', wine, '--label', 'class', ...model]);
    expect(threeClasses.code).toBe(1);
  });

  it('option defaults are the estimators’ param defaults', async () => {
    const defaults = async (name: string) =>
      parseCommandArguments(await commands.find((entry) => entry.name === name)!.load(), ['--help']).options;
    const tree = await defaults('decision-tree');
    expect([tree.maxDepth, tree.maxBins, tree.minInstancesPerNode, tree.seed]).toEqual([
      decisionTreeClassifierParams.maxDepth.default,
      decisionTreeClassifierParams.maxBins.default,
      decisionTreeClassifierParams.minInstancesPerNode.default,
      decisionTreeClassifierParams.seed.default,
    ]);
    expect((await defaults('random-forest')).trees).toBe(randomForestClassifierParams.numTrees.default);
    const gbt = await defaults('gbt');
    expect([gbt.trees, gbt.learningRate, gbt.maxDepth]).toEqual([
      gbtClassifierParams.maxIter.default,
      gbtClassifierParams.stepSize.default,
      gbtClassifierParams.maxDepth.default,
    ]);
  });
});
