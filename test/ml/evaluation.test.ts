import { describe, expect, it } from 'vitest';
import { extractFeatures } from '../../src/ml/data.js';
import {
  accuracy,
  confusionMatrix,
  kolmogorovSmirnov,
  mae,
  prAuc,
  precisionRecallF1,
  r2,
  rmse,
  rocAuc,
  silhouette,
} from '../../src/ml/evaluation.js';
import { readTabularFile } from '../../src/ml/tabular-file.js';
import { expected, mlFixturePath } from '../helpers/ml-fixtures.js';

const m = expected.metrics;

describe('evaluation metrics against scikit-learn (test/fixtures/ml/make_fixtures.py)', () => {
  it('classification: accuracy, confusion matrix, per-class and macro precision / recall / F1', () => {
    expect(accuracy(m.actual, m.predicted)).toBeCloseTo(m.accuracy, 12);
    expect(confusionMatrix(m.actual, m.predicted)).toEqual({ classes: [0, 1, 2], counts: m.confusion });
    const scores = precisionRecallF1(m.actual, m.predicted);
    expect(scores.perClass.map((s) => s.precision)).toEqual(
      m.precision.map((v: number) => expect.closeTo(v, 12)),
    );
    expect(scores.perClass.map((s) => s.recall)).toEqual(m.recall.map((v: number) => expect.closeTo(v, 12)));
    expect(scores.perClass.map((s) => s.f1)).toEqual(m.f1.map((v: number) => expect.closeTo(v, 12)));
    expect(scores.perClass.map((s) => s.support)).toEqual(m.support);
    expect(scores.macro.f1).toBeCloseTo(m.macroF1, 12);
  });

  it('binary ranking: ROC AUC and PR AUC (average precision), with tied scores', () => {
    expect(rocAuc(m.binary, m.scores)).toBeCloseTo(m.rocAuc, 12);
    expect(prAuc(m.binary, m.scores)).toBeCloseTo(m.averagePrecision, 12);
    expect(kolmogorovSmirnov(m.binary, m.scores)).toBeCloseTo(expected.evaluators.binary.tiedScoresKs, 12);
    expect(rocAuc([0, 1], [0.2, 0.9])).toBe(1);
    expect(() => rocAuc([1, 1], [0.2, 0.9])).toThrow('both positive and negative labels');
  });

  it('regression: RMSE, MAE, R2', () => {
    expect(rmse(m.y, m.yHat)).toBeCloseTo(m.rmse, 12);
    expect(mae(m.y, m.yHat)).toBeCloseTo(m.mae, 12);
    expect(r2(m.y, m.yHat)).toBeCloseTo(m.r2, 12);
    expect(() => rmse([1, 2], [1])).toThrow("parameter 'predicted'");
  });

  it('silhouette of the iris k-means clustering', async () => {
    const frame = await readTabularFile(mlFixturePath('iris.csv'));
    const { matrix } = extractFeatures(frame, 'features', ['species']);
    expect(silhouette(matrix, m.irisKMeansLabels)).toBeCloseTo(m.irisSilhouette, 10);
  });
});
