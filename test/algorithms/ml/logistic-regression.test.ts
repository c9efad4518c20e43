import { describe, expect, it } from 'vitest';
import { LogisticRegression, LogisticRegressionModel } from '../../../algorithms/ml/logistic-regression.js';
import { DenseMatrix } from '../../../src/core/matrix.js';
import { classLabels, extractFeatures } from '../../../src/ml/data.js';
import { accuracy } from '../../../src/ml/evaluation.js';
import { readTabularFile } from '../../../src/ml/tabular-file.js';
import { expected, mlFixturePath } from '../../helpers/ml-fixtures.js';

/** The fixture's split, standardised with the training rows' mean and population deviation. */
async function split(name: string, labelCol: string) {
  const frame = await readTabularFile(mlFixturePath(`${name}.csv`));
  const { matrix } = extractFeatures(frame, 'features', [labelCol]);
  const { classes, indices } = classLabels(frame, labelCol);
  const testRows = new Set<number>(expected.logisticRegression[name].test);
  const trainRows = [...Array(frame.numRows).keys()].filter((i) => !testRows.has(i));
  const d = matrix.columns;
  const mean = new Float64Array(d);
  const std = new Float64Array(d);
  for (const i of trainRows) for (let j = 0; j < d; j++) mean[j] += matrix.get(i, j) / trainRows.length;
  for (const i of trainRows)
    for (let j = 0; j < d; j++) std[j] += (matrix.get(i, j) - mean[j]) ** 2 / trainRows.length;
  const pick = (rows: number[]) =>
    new DenseMatrix(
      rows.length,
      d,
      Float64Array.from({ length: rows.length * d }, (_, at) => {
        const j = at % d;
        return (matrix.get(rows[(at - j) / d], j) - mean[j]) / Math.sqrt(std[j]);
      }),
    );
  return {
    classes,
    train: { x: pick(trainRows), y: Int32Array.from(trainRows, (i) => indices[i]) },
    test: { x: pick([...testRows]), y: [...testRows].map((i) => classes[indices[i]]) },
  };
}

describe('LogisticRegression against scikit-learn (test/fixtures/ml/make_fixtures.py)', () => {
  for (const [name, labelCol] of [
    ['iris', 'species'],
    ['wine', 'class'],
    ['breast-cancer', 'malignant'],
  ]) {
    it(`${name}: test accuracy within one point, coefficients of the same L2 objective`, async () => {
      const reference = expected.logisticRegression[name];
      const { classes, train, test } = await split(name, labelCol);
      const estimator = new LogisticRegression({ reg: reference.reg, maxIterations: 1000, tolerance: 1e-9 });
      const { coefficients, intercepts } = estimator.fitMatrix(train.x, train.y, classes.length);
      const model = new LogisticRegressionModel(coefficients, intercepts, classes);
      const predicted = Array.from({ length: test.x.rows }, (_, i) => model.predict(test.x.row(i)));
      expect(Math.abs(accuracy(test.y, predicted) - reference.testAccuracy)).toBeLessThanOrEqual(0.01);
      // The objective is strictly convex, so both solvers must reach the same optimum.
      const wanted: number[][] = reference.coefficients;
      const scale = Math.max(...wanted.flat().map(Math.abs));
      wanted.flat().forEach((value, at) => {
        expect(Math.abs(coefficients.data[at] - value)).toBeLessThan(1e-4 * scale);
      });
      reference.intercepts.forEach((value: number, c: number) => {
        expect(intercepts[c]).toBeCloseTo(value, 3);
      });
    });
  }

  it('breast cancer, elastic net: the optimum of scikit-learn saga', async () => {
    const reference = expected.logisticRegression['breast-cancer'].elasticNet;
    const { classes, train } = await split('breast-cancer', 'malignant');
    const estimator = new LogisticRegression({
      reg: reference.reg,
      elasticNet: reference.elasticNet,
      maxIterations: 20_000,
      tolerance: 1e-10,
    });
    const { coefficients } = estimator.fitMatrix(train.x, train.y, classes.length);
    const wanted: number[] = reference.coefficients[0];
    const scale = Math.max(...wanted.map(Math.abs));
    wanted.forEach((value, j) => {
      expect(Math.abs(coefficients.data[j] - value)).toBeLessThan(1e-3 * scale);
    });
    // The L1 part zeroes exactly the coefficients scikit-learn zeroes.
    expect(wanted.map((v) => v === 0)).toEqual(Array.from(coefficients.data, (v) => v === 0));
  });
});

describe('LogisticRegression', () => {
  it('predicts string labels as written, with probabilities that sum to one', async () => {
    const model = await new LogisticRegression({ labelCol: 'species', reg: 0.01 }).fit(
      mlFixturePath('iris.csv'),
    );
    expect(model.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(model.predict([5.1, 3.5, 1.4, 0.2])).toBe('setosa');
    expect(model.predict([6.7, 3.0, 5.2, 2.3])).toBe('virginica');
    const p = model.predictProbabilities([6, 3, 4, 1.3]);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(model.rawPrediction([6, 3, 4, 1.3])).toHaveLength(3);
    const table = await model.transform(mlFixturePath('iris.csv'));
    expect(table.column('prediction')!.get(0)).toBe('setosa');
    expect(table.column('probability')!.get(0).length).toBe(3);
    const loaded = LogisticRegressionModel.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    expect(loaded.predict([6.7, 3.0, 5.2, 2.3])).toBe('virginica');
  });

  it('binomial margins are [-m, m] and the probabilities their logistic', async () => {
    const model = await new LogisticRegression({ reg: 0.1 }).fit({
      features: [[0], [1], [2], [3]],
      labels: [0, 0, 1, 1],
    });
    expect(model.coefficients.rows).toBe(1);
    const [minus, plus] = model.rawPrediction([2.5]);
    expect(minus).toBe(-plus);
    expect(model.predictProbabilities([2.5])[1]).toBeCloseTo(1 / (1 + Math.exp(-plus)), 12);
    expect(model.predict([3])).toBe(1);
  });

  it("reg defaults to 'auto', 1 / (total sample weight): scikit-learn's C = 1", async () => {
    const data = { features: [[0], [1], [2], [3], [1.5]], labels: [0, 0, 1, 1, 0], weights: [1, 2, 1, 3, 1] };
    const estimator = new LogisticRegression({ weightCol: 'weight' });
    expect(estimator.get('reg')).toBe('auto');
    const auto = await estimator.fit(data);
    const explicit = await new LogisticRegression({ weightCol: 'weight', reg: 1 / 8 }).fit(data);
    expect(Array.from(auto.coefficients.data)).toEqual(Array.from(explicit.coefficients.data));
    expect(Array.from(auto.intercepts)).toEqual(Array.from(explicit.intercepts));
    expect(() => new LogisticRegression({ reg: 'strong' as 'auto' })).toThrow(
      /'auto' or a finite number >= 0/,
    );
  });

  it('rejects a single class, naming the label column', async () => {
    await expect(new LogisticRegression().fit({ features: [[0], [1]], labels: [1, 1] })).rejects.toThrow(
      "label column 'label' has only one class",
    );
  });
});

describe('LogisticRegression standardization (default true)', () => {
  it("on raw breast cancer features: scikit-learn's StandardScaler + LogisticRegression, coefficients on the original scale", async () => {
    const reference = expected.logisticRegression['breast-cancer'];
    const frame = await readTabularFile(mlFixturePath('breast-cancer.csv'));
    const { matrix } = extractFeatures(frame, 'features', ['malignant']);
    const { classes, indices } = classLabels(frame, 'malignant');
    const testRows: number[] = reference.test;
    const testSet = new Set(testRows);
    const trainRows = [...Array(frame.numRows).keys()].filter((i) => !testSet.has(i));
    const pick = (rows: number[]) => DenseMatrix.fromRows(rows.map((i) => Array.from(matrix.row(i))));
    const train = pick(trainRows);
    const labels = Int32Array.from(trainRows, (i) => indices[i]);
    // scikit-learn's C = 1 is reg = 1 / n on the standardised scale.
    const estimator = new LogisticRegression({ reg: reference.reg, maxIterations: 1000, tolerance: 1e-9 });
    expect(estimator.get('standardization')).toBe(true);
    const { coefficients, intercepts } = estimator.fitMatrix(train, labels, classes.length);
    const model = new LogisticRegressionModel(coefficients, intercepts, classes);
    const test = pick(testRows);
    const predicted = testRows.map((_, r) => model.predict(test.row(r)));
    const truth = testRows.map((i) => classes[indices[i]]);
    expect(Math.abs(accuracy(truth, predicted) - reference.testAccuracy)).toBeLessThanOrEqual(0.01);
    // On the standardised scale (times each feature's population deviation) they are scikit-learn's.
    const wanted: number[] = reference.coefficients[0];
    const scale = Math.max(...wanted.map(Math.abs));
    wanted.forEach((value, j) => {
      let mean = 0;
      for (let i = 0; i < train.rows; i++) mean += train.get(i, j) / train.rows;
      let variance = 0;
      for (let i = 0; i < train.rows; i++) variance += (train.get(i, j) - mean) ** 2 / train.rows;
      expect(Math.abs(coefficients.data[j] * Math.sqrt(variance) - value)).toBeLessThan(1e-4 * scale);
    });
    // Without standardization the same penalty falls on the raw scale: another model.
    const raw = new LogisticRegression({ reg: reference.reg, standardization: false, maxIterations: 1000 });
    expect(Array.from(raw.fitMatrix(train, labels, classes.length).coefficients.data)).not.toEqual(
      Array.from(coefficients.data),
    );
  });
});
