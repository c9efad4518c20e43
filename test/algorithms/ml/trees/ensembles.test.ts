import { describe, expect, it } from 'vitest';
import {
  GBTClassificationModel,
  GBTClassifier,
  GBTRegressionModel,
  GBTRegressor,
} from '../../../../algorithms/ml/trees/gbt.js';
import { featuresPerNode } from '../../../../algorithms/ml/trees/params.js';
import {
  RandomForestClassificationModel,
  RandomForestClassifier,
  RandomForestRegressor,
  rowDraws,
} from '../../../../algorithms/ml/trees/random-forest.js';
import { InputError, ParamError } from '../../../../src/core/errors.js';
import { random } from '../../../../src/core/random.js';
import { accuracy, r2 } from '../../../../src/ml/evaluation.js';
import { modelFromJSON } from '../../../../src/ml/persistence.js';
import { toTable } from '../../../../src/ml/table-input.js';
import type { Table } from '../../../../src/table/table.js';
import { fixtureSplit, treeExpected } from './sklearn-split.js';

/** Two noisy classes (or a noisy target when `regression`) from a few of `features` features. */
function synthetic(seed: number, rows: number, features: number, regression = false): Table {
  const rng = random(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < rows; i++) {
    const row = Array.from({ length: features }, () => rng.normal());
    const score = row[0] - row[1] + 0.5 * row[2] * row[3] + 0.5 * rng.normal();
    x.push(row);
    y.push(regression ? score : score > 0 ? 1 : 0);
  }
  return toTable({ features: x, labels: y });
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

describe('random forests and boosted trees against scikit-learn (make_tree_fixtures.py)', () => {
  for (const name of ['breast-cancer', 'wine', 'digits']) {
    // Digits (1257 training rows, 64 features) takes one seed: its 540 test rows vary less between seeds.
    const seeds = name === 'digits' ? [0] : [0, 1, 2];
    it(`${name}: 100 trees, mean test accuracy of ${seeds.length} seed(s) within 1 point of RandomForestClassifier's`, async () => {
      const { train, test } = await fixtureSplit(name);
      const scores = seeds.map((seed) => {
        const forest = new RandomForestClassifier({ numTrees: 100, maxDepth: 30, seed }).fitTable(train);
        return accuracy(
          test.labels,
          test.rows.map((row) => forest.predict(row)),
        );
      });
      expect(Math.abs(mean(scores) - treeExpected[name].forest.mean)).toBeLessThanOrEqual(0.01);
    });
  }

  it('diabetes: a forest of 100 regression trees reaches RandomForestRegressor R2 (within 0.03)', async () => {
    const { train, test } = await fixtureSplit('diabetes');
    const forest = new RandomForestRegressor({ numTrees: 100, maxDepth: 30, seed: 0 }).fitTable(train);
    const score = r2(
      test.labels,
      test.rows.map((row) => forest.predict(row)),
    );
    expect(score).toBeGreaterThanOrEqual(treeExpected.diabetes.forest.mean - 0.03);
  });

  it('breast cancer: 100 rounds of depth 3 within 1 point of GradientBoosting and HistGradientBoosting', async () => {
    const { train, test } = await fixtureSplit('breast-cancer');
    const { gradientBoosting, histGradientBoosting } = treeExpected['breast-cancer'].gbt;
    const score = (model: GBTClassificationModel) =>
      accuracy(
        test.labels,
        test.rows.map((row) => model.predict(row)),
      );
    const options = { maxIter: 100, maxDepth: 3, stepSize: 0.1 };
    // GradientBoostingClassifier splits exactly; HistGradientBoosting bins to 255 and keeps 20 rows a leaf.
    const exact = new GBTClassifier({ ...options, binning: 'exact' }).fitTable(train);
    expect(Math.abs(score(exact) - gradientBoosting.mean)).toBeLessThanOrEqual(0.01);
    const binned = new GBTClassifier({ ...options, maxBins: 255, minInstancesPerNode: 20 }).fitTable(train);
    expect(Math.abs(score(binned) - histGradientBoosting.mean)).toBeLessThanOrEqual(0.01);
  });

  it('diabetes: 100 rounds of squared error within 0.03 R2 of GradientBoostingRegressor', async () => {
    const { train, test } = await fixtureSplit('diabetes');
    const model = new GBTRegressor({ maxIter: 100, maxDepth: 3, binning: 'exact' }).fitTable(train);
    const score = r2(
      test.labels,
      test.rows.map((row) => model.predict(row)),
    );
    expect(Math.abs(score - treeExpected.diabetes.gbt.gradientBoosting.mean)).toBeLessThanOrEqual(0.03);
  });
});

describe('random forests', () => {
  const data = synthetic(1, 6000, 12);

  it('the same seed gives the same forest, at parallelism 1 and 2; another seed another forest', async () => {
    const options = { numTrees: 4, maxDepth: 6, seed: 7 };
    const one = await new RandomForestClassifier({ ...options, parallelism: 1 }).fit(data);
    const two = await new RandomForestClassifier({ ...options, parallelism: 2 }).fit(data);
    expect(two.toJSON()).toEqual(one.toJSON());
    expect(new RandomForestClassifier(options).fitTable(data).toJSON()).toEqual(one.toJSON());
    expect(new RandomForestClassifier({ ...options, seed: 8 }).fitTable(data).toJSON()).not.toEqual(
      one.toJSON(),
    );
    expect(one.trees.length).toBe(4);
    expect(one.depth).toBeLessThanOrEqual(6);
  });

  it('draws rows with and without replacement, and features by strategy', () => {
    const bootstrap = rowDraws(1000, 1, true, random(1));
    expect(bootstrap.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(bootstrap.some((count) => count > 1)).toBe(true);
    const without = rowDraws(1000, 0.5, false, random(1));
    expect(without.reduce((a, b) => a + b, 0)).toBe(500);
    expect(without.every((count) => count === 0 || count === 1)).toBe(true);
    expect([
      featuresPerNode('auto', 64, 'sqrt'),
      featuresPerNode('auto', 30, 'onethird'),
      featuresPerNode('all', 30, 'sqrt'),
      featuresPerNode('log2', 64, 'sqrt'),
      featuresPerNode(0.25, 20, 'sqrt'),
      featuresPerNode(7, 5, 'sqrt'),
    ]).toEqual([8, 10, 30, 6, 5, 5]);
    expect(() => new RandomForestClassifier({ featureSubsetStrategy: 'half' as never })).toThrow(ParamError);
    expect(() => new RandomForestClassifier({ subsamplingRate: 0 })).toThrow(ParamError);
  });

  it('averages its trees: probabilities sum to 1; the model round-trips through JSON', () => {
    const forest = new RandomForestClassifier({ numTrees: 5, maxDepth: 4, seed: 1 }).fitTable(
      synthetic(2, 500, 6),
    );
    const row = [0.5, -0.5, 0, 0, 0, 0];
    const p = forest.predictProbabilities(row);
    expect(p[0] + p[1]).toBeCloseTo(1, 12);
    const averaged = forest.trees.reduce((sum, tree) => sum + tree.predictValue(row)[1], 0) / 5;
    expect(p[1]).toBeCloseTo(averaged, 12);
    const copy = modelFromJSON(JSON.parse(JSON.stringify(forest.toJSON())));
    expect(copy).toBeInstanceOf(RandomForestClassificationModel);
    expect((copy as RandomForestClassificationModel).predictProbabilities(row)).toEqual(p);
    expect(forest.toDebugString()).toMatch(/^tree 0:\n {2}if \(f\d+ <= /);
  });
});

describe('gradient-boosted trees', () => {
  it('the same model at parallelism 1 and 2, with subsampling by seed', async () => {
    const data = synthetic(3, 6000, 12);
    const options = { maxIter: 5, maxDepth: 3, subsamplingRate: 0.7, seed: 2 };
    const one = await new GBTClassifier({ ...options, parallelism: 1 }).fit(data);
    const two = await new GBTClassifier({ ...options, parallelism: 2 }).fit(data);
    expect(two.toJSON()).toEqual(one.toJSON());
    expect(new GBTClassifier({ ...options, seed: 3 }).fitTable(data).toJSON()).not.toEqual(one.toJSON());
  });

  it('each round lowers the training loss; the score is init + stepSize x leaves', () => {
    const data = synthetic(4, 2000, 5, true);
    const y = data.columns[1].values as Float64Array;
    const x = data.columns[0].values as import('../../../../src/core/matrix.js').DenseMatrix;
    let previous = Number.POSITIVE_INFINITY;
    for (const maxIter of [1, 5, 20]) {
      const model = new GBTRegressor({ maxIter, stepSize: 0.3 }).fitTable(data);
      let loss = 0;
      for (let i = 0; i < x.rows; i++) loss += (y[i] - model.predict(x.row(i))) ** 2;
      expect(loss).toBeLessThan(previous);
      previous = loss;
      const row = x.row(0);
      const expected = model.trees.reduce(
        (sum, tree) => sum + 0.3 * tree.predictValue(row)[0],
        model.boosting!.init,
      );
      expect(model.predict(row)).toBeCloseTo(expected, 10);
    }
  });

  it('a node of equal residuals is a leaf; nodes carry the variance of their residuals', () => {
    // Two levels of the target: one split leaves two nodes whose residuals are all equal.
    const x = Array.from({ length: 200 }, (_, i) => [i, (i * 37) % 11]);
    const labels = x.map(([v]) => (v < 80 ? 1.25 : 3.5));
    const model = new GBTRegressor({ maxIter: 3, maxDepth: 3, binning: 'exact' }).fitTable(
      toTable({ features: x, labels }),
    );
    for (const tree of model.trees) {
      expect(tree.nodes.feature.length).toBe(3);
      expect(tree.nodes.feature[0]).toBe(0);
      expect(tree.nodes.threshold[0]).toBe(79.5);
      expect(tree.nodes.impurity[1]).toBeCloseTo(0, 12);
      expect(tree.nodes.impurity[2]).toBeCloseTo(0, 12);
    }
    // The root's residuals at the start: 1.25 or 3.5 around their mean 2.6.
    expect(model.trees[0].nodes.impurity[0]).toBeCloseTo(0.4 * 0.6 * 2.25 ** 2, 10);
    expect(model.trees[0].nodes.value[1]).toBeCloseTo(1.25 - 2.6, 10);
  });

  it('stops early on a validation fraction and keeps the best round', () => {
    // Pure noise: the validation loss stops improving after a few rounds.
    const rng = random(5);
    const x = Array.from({ length: 600 }, () => [rng.normal(), rng.normal()]);
    const labels = x.map(() => rng.normal());
    const model = new GBTRegressor({
      maxIter: 200,
      maxDepth: 4,
      stepSize: 0.5,
      validationFraction: 0.3,
      earlyStoppingRounds: 5,
      seed: 1,
    }).fitTable(toTable({ features: x, labels }));
    expect(model.trees.length).toBeLessThan(50);
    expect(model.trees.length).toBeGreaterThanOrEqual(1);
  });

  it('is binary; reports bad data and round-trips through JSON', () => {
    const three = toTable({ features: [[1], [2], [3]], labels: [0, 1, 2] });
    expect(() => new GBTClassifier().fitTable(three)).toThrow(InputError);
    expect(() => new GBTClassifier({ stepSize: 0 })).toThrow(ParamError);
    const model = new GBTClassifier({ maxIter: 3 }).fitTable(synthetic(6, 300, 4));
    const copy = modelFromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    expect(copy).toBeInstanceOf(GBTClassificationModel);
    expect((copy as GBTClassificationModel).predictProbabilities([1, 0, 0, 0])).toEqual(
      model.predictProbabilities([1, 0, 0, 0]),
    );
    const regression = new GBTRegressor({ maxIter: 2 }).fitTable(synthetic(6, 100, 4, true));
    expect(GBTRegressionModel.fromJSON(regression.toJSON()).predict([0, 1, 0, 1])).toBe(
      regression.predict([0, 1, 0, 1]),
    );
    expect(() => GBTRegressionModel.fromJSON({ ...regression.toJSON(), treeWeights: [1] })).toThrow(
      InputError,
    );
  });
});
