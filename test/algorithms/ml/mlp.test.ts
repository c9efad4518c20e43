import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LogisticRegression } from '../../../algorithms/ml/logistic-regression.js';
import { MLPClassifier, MLPClassifierModel } from '../../../algorithms/ml/mlp/classifier.js';
import { GRADIENT_CHUNK_ROWS } from '../../../algorithms/ml/mlp/dense-kernels.js';
import { trainingRowsHere, trainingRowsOnThreads } from '../../../algorithms/ml/mlp/network-rows.js';
import { MLPRegressor, MLPRegressorModel } from '../../../algorithms/ml/mlp/regressor.js';
import { StandardScaler } from '../../../algorithms/ml/scalers.js';
import { featureScaling } from '../../../algorithms/ml/standardization.js';
import { InputError, ParamError } from '../../../src/core/errors.js';
import { DenseMatrix } from '../../../src/core/matrix.js';
import { random } from '../../../src/core/random.js';
import { env } from '../../../src/dataset/environment.js';
import { loadModel } from '../../../src/ml/persistence.js';
import { Pipeline } from '../../../src/ml/pipeline.js';
import type { Table } from '../../../src/table/table.js';

const directory = mkdtempSync(join(tmpdir(), 'eddy-mlp-'));

/** A vector column's rows as plain arrays (Arrow's vectors carry caches that `toEqual` sees). */
function vectorRows(table: Table, name: string): number[][] {
  return Array.from(table.column(name)!.toArray() as { toArray(): Float64Array }[], (row) =>
    Array.from(row.toArray()),
  );
}

/** Two noisy classes in two dimensions (and a numeric target beside them), from a fixed formula. */
function blobs(rows: number): { features: number[][]; labels: string[]; target: number[] } {
  const features: number[][] = [];
  const labels: string[] = [];
  const target: number[] = [];
  for (let i = 0; i < rows; i++) {
    const a = Math.sin(i * 12.9898) * 0.5;
    const b = Math.cos(i * 78.233) * 0.5;
    const positive = i % 2 === 0;
    features.push([(positive ? 1 : -1) + a, (positive ? 0.5 : -0.5) + b]);
    labels.push(positive ? 'yes' : 'no');
    target.push(3 * features[i][0] - 2 * features[i][1] + 10);
  }
  return { features, labels, target };
}

const small = blobs(120);
const labelled = { features: small.features, labels: small.labels };
const quick = { hiddenLayers: [8], epochs: 15, batchSize: 32, seed: 3 } as const;

describe('MLPClassifier and MLPRegressor', () => {
  it('learns separable classes, with a falling loss curve and probabilities that sum to 1', async () => {
    const model = await new MLPClassifier({ ...quick, epochs: 60 }).fit(labelled);
    expect(model.classes).toEqual(['no', 'yes']);
    expect(model.lossCurve).toHaveLength(60);
    expect(model.lossCurve[59]).toBeLessThan(model.lossCurve[0] / 2);
    expect(model.predict([1.2, 0.6])).toBe('yes');
    expect(model.predict([-1.2, -0.6])).toBe('no');
    const p = model.predictProbabilities([1.2, 0.6]);
    expect(p[0] + p[1]).toBeCloseTo(1, 12);
    expect(p[1]).toBeGreaterThan(0.9);
  });

  it('gives the same weights for the same seed, other weights for another', async () => {
    const weights = async (seed: number, dropout = 0) =>
      (await new MLPClassifier({ ...quick, seed, dropout }).fit(labelled)).weights.map((w) =>
        Array.from(w.values),
      );
    expect(await weights(3)).toEqual(await weights(3));
    expect(await weights(3, 0.3)).toEqual(await weights(3, 0.3));
    expect(await weights(4)).not.toEqual(await weights(3));
    expect(await weights(3, 0.3)).not.toEqual(await weights(3));
  });

  it('gives bit-identical weights at parallelism 1, 2 and 3 (mini-batch gradients on worker threads)', async () => {
    // Large enough for threads (rows x features >= 65,536), batches of three gradient chunks and
    // a partial last batch; dropout masks drawn on whichever thread takes a chunk.
    const rng = random(8);
    const features = Array.from({ length: 1500 }, () => Array.from({ length: 48 }, () => rng.normal()));
    const labels = features.map((row) => (row[0] + row[1] * row[2] > 0 ? 'a' : row[3] > 0.5 ? 'b' : 'c'));
    const options = {
      hiddenLayers: [16, 8],
      epochs: 2,
      batchSize: 3 * GRADIENT_CHUNK_ROWS,
      dropout: 0.2,
      seed: 5,
    };
    const fits = [];
    for (const parallelism of [1, 2, 3]) {
      fits.push((await new MLPClassifier({ ...options, parallelism }).fit({ features, labels })).toJSON());
    }
    expect(JSON.stringify(fits[1])).toBe(JSON.stringify(fits[0]));
    expect(JSON.stringify(fits[2])).toBe(JSON.stringify(fits[0]));
    const target = features.map((row) => row[0] - 2 * row[5]);
    const regressions = [];
    for (const parallelism of [1, 2]) {
      const regressor = new MLPRegressor({ ...options, activation: 'tanh', optimizer: 'sgd', parallelism });
      regressions.push((await regressor.fit({ features, labels: target })).toJSON());
    }
    expect(JSON.stringify(regressions[1])).toBe(JSON.stringify(regressions[0]));
  });

  it('round-trips predictions exactly through save and load', async () => {
    const classifier = await new MLPClassifier(quick).fit(labelled);
    const path = join(directory, 'classifier.json');
    await classifier.save(path);
    const loaded = await MLPClassifierModel.load(path);
    const anyLoaded = (await loadModel(path)) as MLPClassifierModel;
    const before = await classifier.transform(labelled);
    for (const model of [loaded, anyLoaded]) {
      const after = await model.transform(labelled);
      expect(after.column('prediction')?.toArray()).toEqual(before.column('prediction')?.toArray());
      expect(vectorRows(after, 'probability')).toEqual(vectorRows(before, 'probability'));
    }
    expect(loaded.lossCurve).toEqual(classifier.lossCurve);

    const data = { features: small.features, labels: small.target };
    const regressor = await new MLPRegressor(quick).fit(data);
    await regressor.save(join(directory, 'regressor.json'));
    const reloaded = await MLPRegressorModel.load(join(directory, 'regressor.json'));
    expect(Array.from((await reloaded.transform(data)).column('prediction')!.toArray())).toEqual(
      Array.from((await regressor.transform(data)).column('prediction')!.toArray()),
    );
    expect(reloaded.predict([1, 0.5])).toBe(regressor.predict([1, 0.5]));
  });

  it('fits a regression target on its own scale (the target standardised inside)', async () => {
    const data = { features: small.features, labels: small.target };
    const model = await new MLPRegressor({ ...quick, epochs: 200, hiddenLayers: [16] }).fit(data);
    // The target is 3 x - 2 y + 10: a ReLU network fits it closely inside the data's range.
    expect(model.predict([1, 0.5])).toBeCloseTo(12, 0);
    expect(model.predict([-1, -0.5])).toBeCloseTo(8, 0);
  });

  it('stops early on a held-out share and keeps the weights of the best epoch', async () => {
    const options = { ...quick, earlyStopping: true, validationFraction: 0.25, patience: 3 };
    const model = await new MLPClassifier({ ...options, epochs: 300 }).fit(labelled);
    const scores = model.validationScores;
    expect(scores.length).toBe(model.lossCurve.length);
    expect(scores.length).toBeLessThan(300);
    // The run stopped `patience` + 1 epochs without a gain; its weights are those of the best epoch,
    // which a run of just that many epochs (same seed, same held-out rows) ends with.
    const bestEpoch = scores.indexOf(Math.max(...scores)) + 1;
    expect(scores.length - bestEpoch).toBeGreaterThanOrEqual(options.patience + 1);
    const shorter = await new MLPClassifier({ ...options, epochs: bestEpoch }).fit(labelled);
    expect(model.weights.map((w) => Array.from(w.values))).toEqual(
      shorter.weights.map((w) => Array.from(w.values)),
    );
  });

  it('trains as a stage of a pipeline', async () => {
    const data = join(directory, 'blobs.csv');
    const lines = small.features.map((r, i) => `${r[0]},${r[1]},${small.labels[i]}`);
    writeFileSync(data, ['x,y,label', ...lines].join('\n'));
    const model = await new Pipeline([
      new StandardScaler({ inputCol: ['x', 'y'], outputCol: 'scaled' }),
      new MLPClassifier({ ...quick, featuresCol: 'scaled', standardization: false }),
    ]).fit(data);
    const out = await model.transform(data);
    const predictions = out.column('prediction')!.toArray() as string[];
    expect(predictions.filter((p, i) => p === small.labels[i]).length).toBeGreaterThan(110);
  });

  it('reports bad input clearly', async () => {
    const text = { features: small.features.slice(0, 4), labels: ['a', 'b', 'a', 'b'] };
    const csv = join(directory, 'text-feature.csv');
    writeFileSync(csv, 'x,colour,label\n1,red,a\n2,blue,b\n');
    await expect(new MLPClassifier(quick).fit(csv)).rejects.toThrow(/feature column 'colour' is not numeric/);
    await expect(new MLPClassifier({ ...quick, labelCol: 'species' }).fit(text)).rejects.toThrow(
      /label column 'species'/,
    );
    await expect(new MLPRegressor(quick).fit(text)).rejects.toThrow(/label column 'label' is not numeric/);
    expect(() => new MLPClassifier({ hiddenLayers: [] })).toThrow(ParamError);
    expect(() => new MLPClassifier({ hiddenLayers: [4, 0] })).toThrow(ParamError);

    const other = join(directory, 'logistic.json');
    await (await new LogisticRegression().fit(labelled)).save(other);
    await expect(MLPClassifierModel.load(other)).rejects.toThrow(/wrong model type 'logistic-regression'/);
    await expect(MLPRegressorModel.load(other)).rejects.toThrow(InputError);

    const classifier = await new MLPClassifier(quick).fit(labelled);
    const saved = classifier.toJSON() as unknown as { weights: { shape: number[] }[] };
    saved.weights[0].shape = [8, 2]; // as many values as [2, 8], the wrong shape
    const broken = join(directory, 'broken.json');
    writeFileSync(broken, JSON.stringify(saved));
    await expect(loadModel(broken)).rejects.toThrow(/weights do not fit its layers/);
    expect(() => classifier.predict([1, 2, 3])).toThrow(/2 values/);
  });

  it('standardises the training rows on the driver threads with the bits of the calling thread', async () => {
    // Columns far from 0 and of very different spreads, over several chunks of rows and a partial one.
    const rng = random(11);
    const matrix = new DenseMatrix(9_000, 7);
    for (let i = 0; i < matrix.data.length; i++)
      matrix.data[i] = 1e4 * (i % 7) + rng.normal() * 10 ** ((i % 7) - 3);
    for (let i = 0; i < matrix.rows; i++) matrix.data[i * 7 + 3] = 5; // a constant column: scaled to 0
    const here = trainingRowsHere(matrix, true);
    expect(here.finite).toBe(true);
    // A matrix in plain memory is copied into shared memory (and summed on the way); one in
    // shared memory (as eddy allocates large ones) is summed on the threads where it is.
    const inShared = new DenseMatrix(9_000, 7, new Float64Array(new SharedArrayBuffer(9_000 * 7 * 8)));
    inShared.data.set(matrix.data);
    expect(matrix.data.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    for (const source of [matrix, inShared]) {
      for (const threads of [2, 3]) {
        const there = await trainingRowsOnThreads(source, true, threads);
        expect(there.rows.values.buffer).toBeInstanceOf(SharedArrayBuffer);
        expect(Array.from(there.rows.values)).toEqual(Array.from(here.rows.values));
        expect(Array.from(there.scaling!.means)).toEqual(Array.from(here.scaling!.means));
        expect(Array.from(there.scaling!.deviations)).toEqual(Array.from(here.scaling!.deviations));
      }
    }
    // The scaling of the linear models (summed in another order), and rows standardised by it.
    const reference = featureScaling(matrix, new Float64Array(matrix.rows).fill(1), true);
    for (let j = 0; j < 7; j++) {
      expect(here.scaling!.means[j]).toBeCloseTo(reference.means[j], 9);
      expect(here.scaling!.deviations[j] / (reference.deviations[j] || 1)).toBeCloseTo(
        reference.deviations[j] > 0 ? 1 : 0,
        9,
      );
    }
    const { means, deviations } = here.scaling!;
    for (const at of [0, 1, 3, 6, 9_000 * 7 - 1]) {
      const j = at % 7;
      expect(here.rows.values[at]).toBe(
        Math.fround(deviations[j] > 0 ? (matrix.data[at] - means[j]) / deviations[j] : 0),
      );
    }
    const unscaled = await trainingRowsOnThreads(matrix, false, 2);
    expect(unscaled.scaling).toBeUndefined();
    expect(Array.from(unscaled.rows.values)).toEqual(Array.from(Float32Array.from(matrix.data)));
  });

  it('names the row of a value that is not finite, on the calling thread and on the driver threads', async () => {
    const rng = random(12);
    const features = Array.from({ length: 2_000 }, () => Array.from({ length: 40 }, () => rng.normal()));
    const labels = features.map((row) => (row[0] > 0 ? 'a' : 'b'));
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      features[1_234][17] = bad;
      for (const parallelism of [1, 2]) {
        for (const standardization of [true, false]) {
          await expect(
            new MLPClassifier({ ...quick, epochs: 1, parallelism, standardization }).fit({
              features,
              labels,
            }),
          ).rejects.toThrow(/row 1234: missing or non-finite value in feature column 'features'/);
        }
      }
    }
  });

  it('trains on a DataSet of records as on the same rows in memory', async () => {
    const environment = env({ parallelism: 3, workers: false });
    const records = small.features.map(([x, y], i) => ({ x, y, label: small.labels[i] }));
    const fromDataSet = await new MLPClassifier(quick).fit(environment.fromCollection(records));
    const inMemory = await new MLPClassifier(quick).fit(labelled);
    expect(fromDataSet.weights.map((w) => Array.from(w.values))).toEqual(
      inMemory.weights.map((w) => Array.from(w.values)),
    );
    const rows = small.features.map((row, i) => [...row, small.target[i]]);
    const regression = await new MLPRegressor({ ...quick, featuresCol: 'features', labelCol: 'label' }).fit(
      environment.fromCollection(rows.map(([x, y, t]) => ({ x, y, label: t }))),
    );
    expect(regression.lossCurve).toHaveLength(quick.epochs);
  });
});
