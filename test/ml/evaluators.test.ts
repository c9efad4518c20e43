import { describe, expect, it } from 'vitest';
import { LinearRegression } from '../../algorithms/ml/linear-regression.js';
import { DenseMatrix } from '../../src/core/matrix.js';
import {
  BinaryClassificationEvaluator,
  ClusteringEvaluator,
  MulticlassClassificationEvaluator,
  type MulticlassClassificationMetric,
  RegressionEvaluator,
} from '../../src/ml/evaluators.js';
import { readTabularFile } from '../../src/ml/tabular-file.js';
import { Table } from '../../src/table/table.js';
import { expected, mlFixturePath } from '../helpers/ml-fixtures.js';

/** Evaluators against scikit-learn's metrics (test/fixtures/ml/make_fixtures.py, key evaluators). */
const reference = expected.evaluators;

function closeTo(values: Record<string, number>, digits = 12) {
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => [name, expect.closeTo(value, digits)]),
  );
}

describe('BinaryClassificationEvaluator (breast-cancer logistic-regression margins)', () => {
  const { labels, margins, areaUnderROC, areaUnderPR, ks } = reference.binary;
  // The shape LogisticRegressionModel.transform writes: rawPrediction is [-margin, margin].
  const raw = DenseMatrix.fromRows(margins.map((m: number) => [-m, m]));
  const frame = Table.fromTypedColumns(
    ['malignant', 'rawPrediction'],
    [
      { kind: 'number', values: Float64Array.from(labels) },
      { kind: 'vector', values: raw },
    ],
  );

  it('computes areaUnderROC, areaUnderPR (average precision) and ks as scikit-learn, from an Arrow table', async () => {
    const evaluator = new BinaryClassificationEvaluator({
      labelCol: 'malignant',
      metricsNames: ['areaUnderROC', 'areaUnderPR', 'ks'],
    });
    const result = await evaluator.evaluate(frame.toArrow());
    expect(result).toEqual(closeTo({ areaUnderROC, areaUnderPR, ks }));
    expect(Object.keys(result)).toEqual(['areaUnderROC', 'areaUnderPR', 'ks']);
  });

  it('defaults to areaUnderROC and areaUnderPR; takes a numeric score column too', () => {
    const scored = frame.withTypedColumn('margin', { kind: 'number', values: Float64Array.from(margins) });
    const result = new BinaryClassificationEvaluator()
      .setLabelCol('malignant')
      .setRawPredictionCol('margin')
      .evaluateFrame(scored);
    expect(result).toEqual(closeTo({ areaUnderROC, areaUnderPR }));
  });

  it('names the row of a label that is not 0/1, and a score vector it cannot read', () => {
    const bad = Table.fromTypedColumns(
      ['label', 'rawPrediction'],
      [
        { kind: 'number', values: Float64Array.of(0, 1, 2) },
        { kind: 'number', values: Float64Array.of(0.1, 0.2, 0.3) },
      ],
    );
    expect(() => new BinaryClassificationEvaluator().evaluateFrame(bad)).toThrow(
      '<table> row 2: label column \'label\' is not binary: got "2", expected 0 or 1',
    );
    const wide = Table.fromTypedColumns(
      ['label', 'rawPrediction'],
      [
        { kind: 'number', values: Float64Array.of(0, 1) },
        {
          kind: 'vector',
          values: DenseMatrix.fromRows([
            [1, 2, 3],
            [3, 2, 1],
          ]),
        },
      ],
    );
    expect(() => new BinaryClassificationEvaluator().evaluateFrame(wide)).toThrow(
      "raw prediction column 'rawPrediction' has 3 values per row",
    );
  });
});

describe('MulticlassClassificationEvaluator (wine classes from two features)', () => {
  const { actual, predicted, ...metrics } = reference.multiclass;

  it('computes accuracy and macro and support-weighted precision, recall, F1 as scikit-learn', () => {
    const frame = Table.fromTypedColumns(
      ['class', 'prediction'],
      [
        { kind: 'string', values: actual },
        { kind: 'string', values: predicted },
      ],
    );
    const names = Object.keys(metrics) as MulticlassClassificationMetric[];
    const result = new MulticlassClassificationEvaluator({
      labelCol: 'class',
      metricsNames: names,
    }).evaluateFrame(frame);
    expect(result).toEqual(closeTo(metrics));
    // Wine's classes are unbalanced, so the weighted means differ from the macro ones.
    expect(result.weightedF1).not.toBeCloseTo(result.macroF1!, 3);
  });

  it('defaults to accuracy and macroF1 on numeric labels', () => {
    const m = expected.metrics;
    const frame = Table.fromTypedColumns(
      ['label', 'prediction'],
      [
        { kind: 'number', values: Float64Array.from(m.actual) },
        { kind: 'number', values: Float64Array.from(m.predicted) },
      ],
    );
    expect(new MulticlassClassificationEvaluator().evaluateFrame(frame)).toEqual(
      closeTo({ accuracy: m.accuracy, macroF1: m.macroF1 }),
    );
  });

  it('refuses labels and predictions of different kinds, and missing labels', () => {
    const mixed = Table.fromTypedColumns(
      ['label', 'prediction'],
      [
        { kind: 'string', values: ['1', '0'] },
        { kind: 'number', values: Float64Array.of(1, 0) },
      ],
    );
    expect(() => new MulticlassClassificationEvaluator().evaluateFrame(mixed)).toThrow(
      "label column 'label' holds text but prediction column 'prediction' holds numbers",
    );
    const missing = Table.fromTypedColumns(
      ['label', 'prediction'],
      [
        { kind: 'string', values: ['a', ''] },
        { kind: 'string', values: ['a', 'b'] },
      ],
    );
    expect(() => new MulticlassClassificationEvaluator().evaluateFrame(missing)).toThrow(
      "<table> row 1: missing value in label column 'label'",
    );
  });
});

describe('RegressionEvaluator', () => {
  it('computes rmse, mse, mae and r2 as scikit-learn', () => {
    const { y, yHat, rmse, mse, mae, r2 } = reference.regression;
    const frame = Table.fromTypedColumns(
      ['label', 'prediction'],
      [
        { kind: 'number', values: Float64Array.from(y) },
        { kind: 'number', values: Float64Array.from(yHat) },
      ],
    );
    const evaluator = new RegressionEvaluator().setMetricsNames(['rmse', 'mse', 'mae', 'r2']);
    expect(evaluator.getMetricsNames()).toEqual(['rmse', 'mse', 'mae', 'r2']);
    expect(evaluator.evaluateFrame(frame)).toEqual(closeTo({ rmse, mse, mae, r2 }));
    expect(new RegressionEvaluator().evaluateFrame(frame)).toEqual(closeTo({ rmse }));
  });

  it("reads a model's transform output: least squares on diabetes, as scikit-learn's fit scores", async () => {
    const model = await new LinearRegression({ labelCol: 'progression' }).fit(mlFixturePath('diabetes.csv'));
    const scored = await model.transform(mlFixturePath('diabetes.csv'));
    const result = await new RegressionEvaluator({
      labelCol: 'progression',
      metricsNames: ['rmse', 'mse', 'mae', 'r2'],
    }).evaluate(scored);
    // The coefficients equal scikit-learn's to 1e-6 relative; the metrics then agree to ~1e-9.
    for (const [name, value] of Object.entries(reference.regression.diabetesOls) as [string, number][]) {
      expect(Math.abs(result[name as 'rmse']! - value)).toBeLessThanOrEqual(1e-8 * Math.abs(value));
    }
  });

  it('names a non-finite prediction and a missing column', () => {
    const frame = Table.fromTypedColumns(
      ['label', 'prediction'],
      [
        { kind: 'number', values: Float64Array.of(1, 2) },
        { kind: 'number', values: Float64Array.of(1, Number.NaN) },
      ],
    );
    expect(() => new RegressionEvaluator().evaluateFrame(frame)).toThrow(
      "<table> row 1: missing or non-finite value in prediction column 'prediction'",
    );
    expect(() => new RegressionEvaluator({ labelCol: 'y' }).evaluateFrame(frame)).toThrow(
      "no label column 'y'",
    );
  });
});

describe('ClusteringEvaluator (the best iris k-means of scikit-learn)', () => {
  it("computes silhouette and inertia (around the clusters' means) as scikit-learn", async () => {
    const iris = await readTabularFile(mlFixturePath('iris.csv'));
    const { labels, silhouette, inertia } = reference.clustering;
    const clustered = iris.withTypedColumn('prediction', {
      kind: 'number',
      values: Float64Array.from(labels),
    });
    const features = iris.names.slice(0, 4);
    const result = await new ClusteringEvaluator({
      featuresCol: features,
      metricsNames: ['silhouette', 'inertia'],
    }).evaluate(clustered.toArrow());
    expect(result.silhouette).toBeCloseTo(silhouette, 10);
    expect(Math.abs(result.inertia! - inertia)).toBeLessThanOrEqual(1e-10 * inertia);
  });

  it('a text feature column is named', async () => {
    const iris = await readTabularFile(mlFixturePath('iris.csv'));
    const clustered = iris.withTypedColumn('prediction', {
      kind: 'number',
      values: Float64Array.from(reference.clustering.labels),
    });
    await expect(new ClusteringEvaluator().evaluate(clustered)).rejects.toThrow(
      "feature column 'species' is not numeric",
    );
  });
});

describe('evaluator parameters', () => {
  it('validate metricsNames: known names, none twice, at least one', () => {
    expect(() => new RegressionEvaluator({ metricsNames: ['auc' as 'rmse'] })).toThrow(
      "invalid value for parameter 'metricsNames': [\"auc\"]; expected a non-empty array of distinct names from 'rmse', 'mse', 'mae', 'r2'",
    );
    expect(() => new RegressionEvaluator({ metricsNames: [] })).toThrow("parameter 'metricsNames'");
    expect(() => new ClusteringEvaluator({ metricsNames: ['inertia', 'inertia'] })).toThrow(
      "parameter 'metricsNames'",
    );
    expect(() => new BinaryClassificationEvaluator({ labelCol: '' })).toThrow("parameter 'labelCol'");
  });

  it('getParams shows every default', () => {
    expect(new BinaryClassificationEvaluator().getParams()).toEqual({
      labelCol: 'label',
      rawPredictionCol: 'rawPrediction',
      metricsNames: ['areaUnderROC', 'areaUnderPR'],
    });
  });
});
