import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { OnlineKMeans } from '../../../algorithms/ml/kmeans/online.js';
import { OnlineLogisticRegression } from '../../../algorithms/ml/online-logistic-regression.js';
import { OnlineStandardScaler } from '../../../algorithms/ml/online-standard-scaler.js';
import { ParamError } from '../../../src/core/errors.js';
import { DenseMatrix } from '../../../src/core/matrix.js';

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('online estimators on typed parameters', () => {
  it('OnlineKMeans: defaults, fluent setters and getters, getParams', () => {
    expect(new OnlineKMeans().getParams()).toEqual({
      k: 2,
      batchSize: 1000,
      decayFactor: 1,
      halfLife: null,
      timeUnit: 'batches',
      init: 'k-means++',
      initSize: null,
      seed: 0,
      featuresCol: 'features',
    });
    const kmeans = new OnlineKMeans().setK(8).setDecayFactor(0.5).setBatchSize(10).setTimeUnit('points');
    expect([kmeans.getK(), kmeans.getDecayFactor(), kmeans.getBatchSize(), kmeans.getTimeUnit()]).toEqual([
      8,
      0.5,
      10,
      'points',
    ]);
    expect(kmeans.k).toBe(8);
    expect(kmeans.decayFactor).toBe(0.5);
    // halfLife overrides decayFactor; setting decayFactor again clears it.
    kmeans.setHalfLife(2);
    expect(kmeans.decayFactor).toBeCloseTo(Math.SQRT1_2, 15);
    expect(kmeans.getHalfLife()).toBe(2);
    kmeans.setDecayFactor(0.25);
    expect([kmeans.getHalfLife(), kmeans.decayFactor]).toEqual([null, 0.25]);
    // The constructor-with-options form is the same parameters.
    expect(new OnlineKMeans({ k: 8, decayFactor: 0.5, seed: 'a' }).getParams()).toMatchObject({
      k: 8,
      decayFactor: 0.5,
      seed: 'a',
    });
  });

  it('OnlineKMeans: a bad value names the parameter, the value and what is accepted', () => {
    expect(() => new OnlineKMeans().setK(0)).toThrow(
      "invalid value for parameter 'k': 0; expected an integer >= 1",
    );
    expect(() => new OnlineKMeans({ decayFactor: 1.5 })).toThrow(
      "invalid value for parameter 'decayFactor': 1.5; expected a finite number >= 0 and <= 1",
    );
    expect(() => new OnlineKMeans().setHalfLife(-1)).toThrow(
      /'halfLife': -1; expected a positive finite number or null/,
    );
    expect(() => new OnlineKMeans().setTimeUnit('days' as 'points')).toThrow(
      /'timeUnit': "days"; expected one of 'batches', 'points'/,
    );
    expect(() => new OnlineKMeans({ decayFactor: 0.5, halfLife: 2 })).toThrow(/one or the other/);
    expect(() => new OnlineKMeans({ kk: 2 } as never)).toThrow(ParamError);
  });

  it('OnlineKMeans: changing k once the model has centroids is refused', () => {
    const kmeans = new OnlineKMeans({ k: 2, initialCentroids: [[0], [1]] });
    kmeans.setK(3);
    expect(() => kmeans.partialFit(DenseMatrix.fromRows([[0.5]]))).toThrow(
      /'k': 3; expected 2, the number of centroids of the model being updated/,
    );
  });

  it('OnlineKMeans: decay set after the model exists is used by the next update', () => {
    const kmeans = new OnlineKMeans({ k: 1, initialCentroids: [[0]], initialWeight: 4 });
    kmeans.setDecayFactor(0.5).partialFit(DenseMatrix.fromRows([[6]]));
    // Weight 4·0.5 = 2, plus 1 point: the centroid moves 1/3 of the way to 6.
    expect(kmeans.model!.centroids[0]).toBeCloseTo(2, 14);
    expect(kmeans.model!.decayFactor).toBe(0.5);
  });

  it('OnlineLogisticRegression: Flink ML names and defaults, fluent, validated', () => {
    expect(new OnlineLogisticRegression().getParams()).toEqual({
      alpha: 0.1,
      beta: 0.1,
      reg: 0,
      elasticNet: 0,
      fitIntercept: true,
      featuresCol: 'features',
      labelCol: 'label',
    });
    const model = new OnlineLogisticRegression().setAlpha(0.5).setBeta(1).setReg(0.2).setElasticNet(1);
    expect([model.getAlpha(), model.getBeta(), model.getReg(), model.getElasticNet()]).toEqual([
      0.5, 1, 0.2, 1,
    ]);
    expect(() => model.setAlpha(0)).toThrow(
      "invalid value for parameter 'alpha': 0; expected a finite number > 0",
    );
    expect(() => model.setElasticNet(2)).toThrow(/'elasticNet': 2; expected a finite number >= 0 and <= 1/);
    model.partialFit(DenseMatrix.fromRows([[1]]), [1]);
    expect(() => model.setFitIntercept(false)).toThrow(
      /'fitIntercept': false; expected true, as the model was trained/,
    );
  });

  it('OnlineStandardScaler: withMean and withStd, fluent and validated', () => {
    expect(new OnlineStandardScaler().getParams()).toEqual({
      withMean: true,
      withStd: true,
      featuresCol: 'features',
    });
    const scaler = new OnlineStandardScaler().setWithMean(false);
    expect([scaler.getWithMean(), scaler.getWithStd()]).toEqual([false, true]);
    const fitted = scaler.partialFit(DenseMatrix.fromRows([[2], [4]]));
    expect(Array.from(fitted.transform(DenseMatrix.fromRows([[4]])).data)).toEqual([4]);
    expect(() => scaler.setWithStd('yes' as unknown as boolean)).toThrow(
      /'withStd': "yes"; expected true or false/,
    );
  });

  it('featuresCol and labelCol read Arrow record batches on a stream, as batch stages do', async () => {
    const table = tableFromArrays({
      id: new Float64Array([0, 1, 2, 3]),
      a: new Float64Array([0, 0.5, 9, 9.5]),
      b: new Float64Array([1, 1, 8, 8]),
      label: new Float64Array([0, 0, 1, 1]),
    });
    const rows = DenseMatrix.fromRows([
      [0, 1],
      [0.5, 1],
      [9, 8],
      [9.5, 8],
    ]);
    const centroids = async (stream: Iterable<unknown>) => {
      const kmeans = new OnlineKMeans({ k: 2, seed: 3 }).setFeaturesCol(['a', 'b']);
      for await (const _ of kmeans.fit(stream as Iterable<DenseMatrix>));
      return kmeans.model!.centroidRows();
    };
    expect(await centroids(table.batches)).toEqual(await centroids([rows]));
    // A column that is not there is an error naming it.
    const missing = new OnlineKMeans().setFeaturesCol(['a', 'z']).fit(table.batches);
    await expect(missing[Symbol.asyncIterator]().next()).rejects.toThrow(/'z'/);
    // Logistic regression: features a and b, labels from labelCol.
    const fromBatches = new OnlineLogisticRegression().setFeaturesCol(['a', 'b']);
    for await (const _ of fromBatches.fit(table.batches));
    const fromRows = new OnlineLogisticRegression().partialFit(rows, [0, 0, 1, 1]);
    expect(fromBatches.toJSON()).toEqual(fromRows.toJSON());
    const [predicted] = await collect(fromBatches.transform(table.batches));
    expect(Array.from(predicted)).toEqual(Array.from(fromRows.predict(rows)));
    // The scaler, on the default 'features' (absent): every column.
    const scaler = new OnlineStandardScaler();
    for await (const _ of scaler.fit(table.batches));
    expect(scaler.dimension).toBe(4);
  });
});
