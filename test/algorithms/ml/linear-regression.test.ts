import { describe, expect, it } from 'vitest';
import { LinearRegression, LinearRegressionModel } from '../../../algorithms/ml/linear-regression.js';
import { DenseMatrix } from '../../../src/core/matrix.js';
import { extractFeatures, numericLabels } from '../../../src/ml/data.js';
import { readTabularFile } from '../../../src/ml/tabular-file.js';
import { expected, mlFixturePath } from '../../helpers/ml-fixtures.js';

const reference = expected.linearRegression;

async function diabetes() {
  const frame = await readTabularFile(mlFixturePath('diabetes.csv'));
  return {
    frame,
    x: extractFeatures(frame, 'features', ['progression']).matrix,
    y: numericLabels(frame, 'progression'),
  };
}

function expectRelative(actual: ArrayLike<number>, wanted: number[], tolerance: number): void {
  const scale = Math.max(...wanted.map(Math.abs));
  expect(actual.length).toBe(wanted.length);
  wanted.forEach((value, j) => {
    expect(Math.abs(actual[j] - value)).toBeLessThanOrEqual(tolerance * scale);
  });
}

describe('LinearRegression against scikit-learn on diabetes (test/fixtures/ml/make_fixtures.py)', () => {
  it('ordinary least squares: coefficients equal to 1e-6 relative', async () => {
    const { frame } = await diabetes();
    const model = await new LinearRegression({ labelCol: 'progression' }).fit(frame);
    expectRelative(model.coefficients, reference.ols.coefficients, 1e-6);
    expect(model.intercept).toBeCloseTo(reference.ols.intercept, 6);
    expect(model.get('featuresCol')).toEqual(frame.names.slice(0, 10));
  });

  it('weighted least squares (weights 1 + row mod 3)', async () => {
    const { frame } = await diabetes();
    const weights = Float64Array.from({ length: frame.numRows }, (_, i) => 1 + (i % 3));
    const weighted = frame.withTypedColumn('w', { kind: 'number', values: weights });
    const model = await new LinearRegression({ labelCol: 'progression', weightCol: 'w' }).fit(weighted);
    expectRelative(model.coefficients, reference.weighted.coefficients, 1e-6);
    expect(model.intercept).toBeCloseTo(reference.weighted.intercept, 6);
  });

  for (const name of ['ridge', 'elasticNet', 'lasso']) {
    it(`${name} by coordinate descent`, async () => {
      const { x, y } = await diabetes();
      const { reg, elasticNet, coefficients, intercept } = reference[name];
      // scikit-learn's ElasticNet penalises the coefficients of the features as given.
      const fitted = new LinearRegression({
        reg,
        elasticNet,
        maxIterations: 100_000,
        standardization: false,
      }).fitMatrix(x, y);
      expectRelative(fitted.coefficients, coefficients, 1e-6);
      expect(fitted.intercept).toBeCloseTo(intercept, 5);
    });
  }

  it('lasso sets some coefficients exactly to zero', async () => {
    const { x, y } = await diabetes();
    const fitted = new LinearRegression({ reg: 1, elasticNet: 1 }).fitMatrix(x, y);
    expect(Array.from(fitted.coefficients).filter((c) => c === 0).length).toBeGreaterThan(0);
  });
});

describe('LinearRegression', () => {
  it('recovers an exact linear relation, with and without intercept', () => {
    const x = DenseMatrix.fromRows([
      [1, 2],
      [2, 0],
      [3, 5],
      [4, 1],
      [0, 3],
    ]);
    const y = Float64Array.from(x.toRows(), ([a, b]) => 2 * a - 3 * b + 4);
    const fitted = new LinearRegression().fitMatrix(x, y);
    expectRelative(fitted.coefficients, [2, -3], 1e-12);
    expect(fitted.intercept).toBeCloseTo(4, 10);
    const origin = new LinearRegression({ fitIntercept: false }).fitMatrix(
      x,
      Float64Array.from(y, (v) => v - 4),
    );
    expectRelative(origin.coefficients, [2, -3], 1e-12);
    expect(origin.intercept).toBe(0);
  });

  it('gives the minimum-norm solution for a rank-deficient design', () => {
    // The second column repeats the first: QR cannot solve it, SVD splits the weight evenly.
    const x = DenseMatrix.fromRows([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    const fitted = new LinearRegression({ fitIntercept: false }).fitMatrix(x, Float64Array.of(2, 4, 6));
    expectRelative(fitted.coefficients, [1, 1], 1e-9);
  });

  it('saves, loads and predicts; rejects reg with the qr solver', async () => {
    const model = await new LinearRegression().fit({ features: [[0], [1], [2]], labels: [1, 3, 5] });
    expect(model.predict([10])).toBeCloseTo(21, 10);
    const loaded = LinearRegressionModel.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    expect(loaded.predict([10])).toBeCloseTo(21, 10);
    const table = await loaded.transform([[3], [4]]);
    expect(Array.from(table.column('prediction')!.toArray() as Float64Array)).toEqual(
      [7, 9].map((v) => expect.closeTo(v, 9)),
    );
    expect(() =>
      new LinearRegression({ reg: 1, solver: 'qr' }).fitMatrix(
        DenseMatrix.fromRows([[1]]),
        Float64Array.of(1),
      ),
    ).toThrow("parameter 'solver'");
  });
});

describe('LinearRegression standardization (default true)', () => {
  it('penalises standardised coefficients and reports them on the original scale', async () => {
    const { x, y } = await diabetes();
    // Column j scaled by 10^j: the penalty would fall unevenly on the raw scale.
    const scaled = new DenseMatrix(
      x.rows,
      x.columns,
      x.data.map((value, at) => value * 10 ** (at % x.columns)),
    );
    const options = { reg: 0.01, elasticNet: 0.5, maxIterations: 100_000 };
    const fitted = new LinearRegression(options).fitMatrix(scaled, y);
    const asGiven = new LinearRegression({ ...options, standardization: false }).fitMatrix(x, y);
    // Standardised, both matrices are the same data: the same model on the original scales.
    const base = new LinearRegression(options).fitMatrix(x, y);
    fitted.coefficients.forEach((value, j) => {
      expect(value * 10 ** j).toBeCloseTo(base.coefficients[j], 6);
    });
    expect(fitted.intercept).toBeCloseTo(base.intercept, 6);
    expect(Array.from(base.coefficients)).not.toEqual(Array.from(asGiven.coefficients));
    // Without a penalty, scaling changes nothing: least squares is scale invariant.
    const ols = new LinearRegression().fitMatrix(x, y);
    const olsAsGiven = new LinearRegression({ standardization: false }).fitMatrix(x, y);
    expectRelative(ols.coefficients, Array.from(olsAsGiven.coefficients), 1e-10);
  });
});
