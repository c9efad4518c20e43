import { describe, expect, it } from 'vitest';
import {
  DecisionTreeClassifier,
  DecisionTreeRegressor,
} from '../../../../algorithms/ml/trees/decision-tree.js';
import { accuracy, r2 } from '../../../../src/ml/evaluation.js';
import { fixtureSplit, type Reference, treeExpected } from './sklearn-split.js';

/** Seeds of eddy's trees whose mean score is compared with scikit-learn's mean over its seeds. */
const SEEDS = 10;

/** The mean over {@link SEEDS} seeds of `score(seed)`. */
function meanOverSeeds(score: (seed: number) => number): number {
  let sum = 0;
  for (let seed = 0; seed < SEEDS; seed++) sum += score(seed);
  return sum / SEEDS;
}

/**
 * Both libraries break ties between splits of equal gain by a seeded random order of the
 * features, so a single tree's score depends on its seed: the figures compared are means over
 * seeds (scikit-learn's over the fixture's 20, eddy's over 10). The spread is wide on small test
 * sets. On wine (54 test rows, 1.85 points a row), scikit-learn's gini trees of depth 3 score
 * from 46 to 52 rows right over 200 seeds (mean 0.923), and all of them share their first two
 * levels: the seeds differ only in which of several splits of equal gain the third level
 * takes. When eddy always took the lowest feature among them, its tree was one of
 * scikit-learn's own (48 right, 0.889, as for the scikit-learn seeds that happen to take the
 * same features), 3.3 points under that mean, at depths 3, 5 and 10 alike. With the seeded
 * order, eddy's gini means over 10 seeds are 0.928, 0.930 and 0.930 at depths 3, 5 and 10,
 * against scikit-learn's 0.930, 0.914 and 0.914 over its 20.
 */
describe('decision trees against scikit-learn (test/fixtures/ml/trees/make_tree_fixtures.py)', () => {
  for (const name of ['breast-cancer', 'wine', 'digits']) {
    it(`${name}: mean test accuracy within 2 points of DecisionTreeClassifier at depths 3, 5, 10`, async () => {
      const { train, test } = await fixtureSplit(name);
      for (const [depth, byImpurity] of Object.entries<Record<string, Reference>>(treeExpected[name].tree)) {
        for (const [impurity, reference] of Object.entries(byImpurity)) {
          const score = meanOverSeeds((seed) => {
            const model = new DecisionTreeClassifier({
              maxDepth: Number(depth),
              impurity: impurity as 'gini' | 'entropy',
              binning: 'exact',
              seed,
            }).fitTable(train);
            return accuracy(
              test.labels,
              test.rows.map((row) => model.predict(row)),
            );
          });
          expect(
            Math.abs(score - reference.mean),
            `${impurity} depth ${depth}: ${score} vs ${reference.mean}`,
          ).toBeLessThanOrEqual(0.02);
        }
      }
    });
  }

  it('diabetes: mean test R2 within 0.03 of DecisionTreeRegressor at depths 3 and 5', async () => {
    const { train, test } = await fixtureSplit('diabetes');
    for (const [depth, { variance: reference }] of Object.entries<{ variance: Reference }>(
      treeExpected.diabetes.tree,
    )) {
      const score = meanOverSeeds((seed) => {
        const model = new DecisionTreeRegressor({ maxDepth: Number(depth), binning: 'exact', seed }).fitTable(
          train,
        );
        return r2(
          test.labels,
          test.rows.map((row) => model.predict(row)),
        );
      });
      expect(
        Math.abs(score - reference.mean),
        `depth ${depth}: ${score} vs ${reference.mean}`,
      ).toBeLessThanOrEqual(0.03);
    }
  });

  it('quantile bins (32) stay close to the exact splitter on digits and breast cancer', async () => {
    for (const name of ['digits', 'breast-cancer']) {
      const { train, test } = await fixtureSplit(name);
      const model = new DecisionTreeClassifier({ maxDepth: 10 }).fitTable(train);
      const score = accuracy(
        test.labels,
        test.rows.map((row) => model.predict(row)),
      );
      expect(Math.abs(score - treeExpected[name].tree['10'].gini.mean)).toBeLessThanOrEqual(0.04);
    }
  });
});
