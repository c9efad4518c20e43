import { describe, expect, it } from 'vitest';
import {
  DecisionTreeClassifier,
  DecisionTreeRegressor,
} from '../../../../algorithms/ml/trees/decision-tree.js';
import { accuracy, r2 } from '../../../../src/ml/evaluation.js';
import { closeToReference, fixtureSplit, type Reference, treeExpected } from './sklearn-split.js';

describe('decision trees against scikit-learn (test/fixtures/ml/trees/make_tree_fixtures.py)', () => {
  for (const name of ['breast-cancer', 'wine', 'digits']) {
    it(`${name}: test accuracy within 2 points of DecisionTreeClassifier at depths 3, 5, 10`, async () => {
      const { train, test } = await fixtureSplit(name);
      for (const [depth, byImpurity] of Object.entries<Record<string, Reference>>(treeExpected[name].tree)) {
        for (const [impurity, reference] of Object.entries(byImpurity)) {
          const model = new DecisionTreeClassifier({
            maxDepth: Number(depth),
            impurity: impurity as 'gini' | 'entropy',
            binning: 'exact',
          }).fitFrame(train);
          const score = accuracy(
            test.labels,
            test.rows.map((row) => model.predict(row)),
          );
          expect(
            closeToReference(score, reference, 0.02),
            `${impurity} depth ${depth}: ${score} vs ${reference.mean}`,
          ).toBe(true);
        }
      }
    });
  }

  it('diabetes: test R2 within 0.03 of DecisionTreeRegressor at depths 3 and 5', async () => {
    const { train, test } = await fixtureSplit('diabetes');
    for (const [depth, { variance: reference }] of Object.entries<{ variance: Reference }>(
      treeExpected.diabetes.tree,
    )) {
      const model = new DecisionTreeRegressor({ maxDepth: Number(depth), binning: 'exact' }).fitFrame(train);
      const score = r2(
        test.labels,
        test.rows.map((row) => model.predict(row)),
      );
      expect(
        Math.abs(score - reference.mean),
        `depth ${depth}: ${score} vs ${reference.mean}`,
      ).toBeLessThanOrEqual(0.03);
    }
  });

  it('quantile bins (32) stay close to the exact splitter on digits and breast cancer', async () => {
    for (const name of ['digits', 'breast-cancer']) {
      const { train, test } = await fixtureSplit(name);
      const model = new DecisionTreeClassifier({ maxDepth: 10 }).fitFrame(train);
      const score = accuracy(
        test.labels,
        test.rows.map((row) => model.predict(row)),
      );
      expect(Math.abs(score - treeExpected[name].tree['10'].gini.mean)).toBeLessThanOrEqual(0.04);
    }
  });
});
