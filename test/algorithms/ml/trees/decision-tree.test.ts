import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DecisionTreeClassificationModel,
  DecisionTreeClassifier,
  DecisionTreeRegressionModel,
  DecisionTreeRegressor,
} from '../../../../algorithms/ml/trees/decision-tree.js';
import { trainingThreads } from '../../../../algorithms/ml/trees/passes.js';
import type { DecisionTree } from '../../../../algorithms/ml/trees/tree.js';
import { InputError, ParamError } from '../../../../src/core/errors.js';
import { random } from '../../../../src/core/random.js';
import { loadModel } from '../../../../src/ml/persistence.js';
import { toTable } from '../../../../src/ml/table-input.js';
import type { Table } from '../../../../src/table/table.js';

/** Noisy classes from a few features, enough rows and features that training uses threads. */
function synthetic(seed: number, rows: number, features = 12, classes = 3): Table {
  const rng = random(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < rows; i++) {
    const row = Array.from({ length: features }, () => rng.normal());
    const score = row[0] + 0.5 * row[1] * row[2] - row[3] + 0.3 * rng.normal();
    x.push(row);
    y.push(classes === 0 ? score : Math.min(classes - 1, Math.max(0, Math.floor(score + classes / 2))));
  }
  return toTable({ features: x, labels: y });
}

/** Every node of a tree with its depth. */
function nodesWithDepth(tree: DecisionTree): { node: number; depth: number }[] {
  const result: { node: number; depth: number }[] = [];
  const walk = (node: number, depth: number) => {
    result.push({ node, depth });
    const left = tree.nodes.left[node];
    if (left >= 0) {
      walk(left, depth + 1);
      walk(left + 1, depth + 1);
    }
  };
  walk(0, 0);
  return result;
}

describe('DecisionTreeClassifier invariants', () => {
  const data = synthetic(1, 3000);

  it('no leaf below minInstancesPerNode, depth never above maxDepth, every node reached', () => {
    for (const [maxDepth, minInstancesPerNode] of [
      [4, 1],
      [8, 25],
      [12, 100],
    ]) {
      const model = new DecisionTreeClassifier({ maxDepth, minInstancesPerNode }).fitTable(data);
      const { tree } = model;
      expect(model.depth).toBeLessThanOrEqual(maxDepth);
      const all = nodesWithDepth(tree);
      expect(all.length).toBe(tree.numNodes);
      for (const { node, depth } of all) {
        expect(depth).toBeLessThanOrEqual(maxDepth);
        expect(tree.nodes.count[node]).toBeGreaterThanOrEqual(minInstancesPerNode);
        const left = tree.nodes.left[node];
        if (left >= 0)
          expect(tree.nodes.count[left] + tree.nodes.count[left + 1]).toBe(tree.nodes.count[node]);
      }
    }
  });

  it('a pure node is a leaf, and a deep tree fits separable training data exactly', () => {
    const model = new DecisionTreeClassifier({ maxDepth: 30, binning: 'exact' }).fitTable(data);
    const { nodes } = model.tree;
    for (let node = 0; node < model.numNodes; node++) {
      const probabilities = nodes.value.subarray(node * 3, node * 3 + 3);
      if (Math.max(...probabilities) === 1) expect(nodes.left[node]).toBe(-1);
      if (nodes.left[node] < 0) continue;
      expect(nodes.impurity[node]).toBeGreaterThan(0);
    }
    const x = data.columns[0].values as import('../../../../src/core/matrix.js').DenseMatrix;
    const y = data.columns[1].values as Float64Array;
    for (let i = 0; i < 200; i++) expect(model.predict(x.row(i))).toBe(y[i]);
  });

  it('the same tree at parallelism 1 and 2 (worker threads), and in fitTable', async () => {
    const data = synthetic(1, 6000);
    // Large enough to train on two threads (smaller data trains on the calling thread alone).
    expect(trainingThreads(6000, 12, 2)).toBe(2);
    expect(trainingThreads(5000, 16, 2)).toBe(2);
    const options = { maxDepth: 8, maxFeatures: 'sqrt' as const, seed: 3 };
    const one = await new DecisionTreeClassifier({ ...options, parallelism: 1 }).fit(data);
    const two = await new DecisionTreeClassifier({ ...options, parallelism: 2 }).fit(data);
    const here = new DecisionTreeClassifier(options).fitTable(data);
    expect(two.toJSON()).toEqual(one.toJSON());
    expect(here.toJSON()).toEqual(one.toJSON());
    const regression = synthetic(2, 5000, 16, 0);
    const r1 = await new DecisionTreeRegressor({ maxDepth: 7, parallelism: 1 }).fit(regression);
    const r2 = await new DecisionTreeRegressor({ maxDepth: 7, parallelism: 2 }).fit(regression);
    expect(r2.toJSON()).toEqual(r1.toJSON());
  });

  it('the same seed gives the same tree; maxFeatures draws differ between seeds', () => {
    const grow = (seed: number) =>
      new DecisionTreeClassifier({ maxDepth: 6, maxFeatures: 3, seed }).fitTable(data);
    expect(grow(5).toJSON()).toEqual(grow(5).toJSON());
    expect(grow(5).toJSON()).not.toEqual(grow(6).toJSON());
  });

  it('sample weights of 2 grow the tree that duplicated rows grow', () => {
    const rng = random(9);
    const x = Array.from({ length: 300 }, () => [rng.normal(), rng.normal()]);
    const y = x.map(([a, b]) => (a + b > 0.2 ? 1 : 0));
    const weights = x.map((_, i) => (i % 3 === 0 ? 2 : 1));
    const weighted = new DecisionTreeClassifier({
      maxDepth: 4,
      binning: 'exact',
      weightCol: 'weight',
    }).fitTable(toTable({ features: x, labels: y, weights }));
    const duplicated = new DecisionTreeClassifier({ maxDepth: 4, binning: 'exact' }).fitTable(
      toTable({
        features: x.flatMap((row, i) => (i % 3 === 0 ? [row, row] : [row])),
        labels: y.flatMap((c, i) => (i % 3 === 0 ? [c, c] : [c])),
      }),
    );
    expect(Array.from(weighted.tree.nodes.feature)).toEqual(Array.from(duplicated.tree.nodes.feature));
    expect(Array.from(weighted.tree.nodes.threshold)).toEqual(Array.from(duplicated.tree.nodes.threshold));
    expect(Array.from(weighted.tree.nodes.value)).toEqual(Array.from(duplicated.tree.nodes.value));
  });

  it('splits a categorical feature by a subset of categories', () => {
    // Categories 1 and 3 are class 1; the order by class share puts them together.
    const x = Array.from({ length: 400 }, (_, i) => [i % 5, (i * 7) % 11]);
    const y = x.map(([category]) => (category === 1 || category === 3 ? 1 : 0));
    const model = new DecisionTreeClassifier({ maxDepth: 1, categoricalFeatures: [0] }).fitTable(
      toTable({ features: x, labels: y }),
    );
    expect(model.tree.nodes.feature[0]).toBe(0);
    expect(model.tree.nodes.categories[0]).toEqual([0, 2, 4]);
    expect(model.predict([3, 0])).toBe(1);
    expect(model.predict([4, 0])).toBe(0);
    expect(model.toDebugString()).toContain('if (f0 in {0, 2, 4})');
    const bad = toTable({
      features: [
        [0.5, 1],
        [1, 2],
      ],
      labels: [0, 1],
    });
    expect(() => new DecisionTreeClassifier({ categoricalFeatures: [0] }).fitTable(bad)).toThrow(InputError);
    expect(() => new DecisionTreeClassifier({ categoricalFeatures: [5] }).fitTable(bad)).toThrow(
      /out of range/,
    );
  });

  it('quantile binning keeps at most maxBins bins; minInfoGain stops weak splits', () => {
    const model = new DecisionTreeClassifier({ maxDepth: 10, maxBins: 4 }).fitTable(data);
    const thresholds = new Set<number>();
    for (let node = 0; node < model.numNodes; node++) {
      if (model.tree.nodes.feature[node] === 0) thresholds.add(model.tree.nodes.threshold[node]);
    }
    expect(thresholds.size).toBeLessThanOrEqual(3);
    const strict = new DecisionTreeClassifier({ maxDepth: 10, minInfoGain: 0.05 }).fitTable(data);
    for (let node = 0; node < strict.numNodes; node++) {
      if (strict.tree.nodes.left[node] >= 0)
        expect(strict.tree.nodes.gain[node]).toBeGreaterThanOrEqual(0.05);
    }
  });

  it('feature importances sum to 1 and fall on the features that decide the class', () => {
    const importances = new DecisionTreeClassifier({ maxDepth: 6 }).fitTable(data).featureImportances();
    expect(importances.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const top = [...importances.keys()].sort((a, b) => importances[b] - importances[a]).slice(0, 2);
    expect(top.sort()).toEqual([0, 3]);
  });
});

describe('decision tree models', () => {
  it('round-trip through JSON, save and load (loadModel too), with the same predictions', async () => {
    const data = synthetic(4, 500);
    const model = new DecisionTreeClassifier({ maxDepth: 5 }).fitTable(data);
    const copy = DecisionTreeClassificationModel.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    expect(copy.toJSON()).toEqual(model.toJSON());
    const dir = await mkdtemp(join(tmpdir(), 'eddy-tree-'));
    try {
      await model.save(join(dir, 'tree.json'));
      const loaded = await loadModel(join(dir, 'tree.json'));
      expect(loaded).toBeInstanceOf(DecisionTreeClassificationModel);
      const row = [0.1, -0.2, 0.3, 0.4, 0, 0, 0, 0, 0, 0, 0, 0];
      expect((loaded as DecisionTreeClassificationModel).predictProbabilities(row)).toEqual(
        model.predictProbabilities(row),
      );
      const regression = new DecisionTreeRegressor({ maxDepth: 3 }).fitTable(synthetic(5, 300, 4, 0));
      await regression.save(join(dir, 'regression.json'));
      const back = await DecisionTreeRegressionModel.load(join(dir, 'regression.json'));
      expect(back.predict([1, 2, 3, 4])).toBe(regression.predict([1, 2, 3, 4]));
      await writeFile(
        join(dir, 'bad.json'),
        JSON.stringify({ ...model.toJSON(), trees: [{ feature: [0] }] }),
      );
      await expect(loadModel(join(dir, 'bad.json'))).rejects.toThrow(InputError);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('prints the tree as nested if / else with the leaf predictions', () => {
    const model = new DecisionTreeClassifier({ maxDepth: 1 }).fitTable(
      toTable({ features: [[1], [2], [3], [4]], labels: ['a', 'a', 'b', 'b'] }),
    );
    expect(model.toDebugString()).toBe('if (f0 <= 2.5)\n  predict: a (1)\nelse (f0 > 2.5)\n  predict: b (1)');
    expect(model.depth).toBe(1);
    expect(model.numNodes).toBe(3);
    expect(model.predictProbabilities([2])).toEqual(Float64Array.of(1, 0));
  });

  it('reports bad parameters, bad rows and bad training data', () => {
    expect(() => new DecisionTreeClassifier({ maxDepth: -1 })).toThrow(ParamError);
    expect(() => new DecisionTreeClassifier({ maxBins: 1 })).toThrow(ParamError);
    expect(() => new DecisionTreeClassifier({ maxFeatures: 0 })).toThrow(ParamError);
    expect(() => new DecisionTreeClassifier({ impurity: 'variance' as never })).toThrow(ParamError);
    expect(() =>
      new DecisionTreeClassifier().fitTable(toTable({ features: [[1], [2]], labels: [1, 1] })),
    ).toThrow(/only one class/);
    const model = new DecisionTreeRegressor().fitTable(toTable({ features: [[1], [2]], labels: [1, 2] }));
    expect(() => model.predict([1, 2])).toThrow(ParamError);
    expect(() =>
      DecisionTreeRegressionModel.fromJSON({ type: 'decision-tree-classification', params: {} }),
    ).toThrow(InputError);
  });
});
