import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  KerasEstimator,
  KerasModel,
  type KerasVersion,
  type LabeledRows,
} from '../../../algorithms/ml/mlp/keras-estimator.js';
import { ParamError } from '../../../src/core/errors.js';
import { DenseMatrix } from '../../../src/core/matrix.js';
import { random } from '../../../src/core/random.js';
import type { TensorFlow } from '../../../src/core/tensorflow-module.js';
import { DataSet } from '../../../src/dataset/dataset.js';
import { env } from '../../../src/dataset/environment.js';
import { loadModel } from '../../../src/ml/persistence.js';
import { Pipeline } from '../../../src/ml/pipeline.js';
import { iterableSource } from '../../../src/stream/sources.js';
import { mlFixturePath } from '../../helpers/ml-fixtures.js';

const directory = mkdtempSync(join(tmpdir(), 'eddy-keras-'));

/** A small convolutional network over 8x8 digit images, its initial weights seeded. */
const convolutional = ({ layers }: TensorFlow) =>
  layers.sequential({
    layers: [
      layers.layers.conv2d({
        inputShape: [8, 8, 1],
        filters: 8,
        kernelSize: 3,
        activation: 'relu',
        kernelInitializer: layers.initializers.glorotUniform({ seed: 1 }),
      }),
      layers.layers.flatten(),
      layers.layers.dense({
        units: 10,
        activation: 'softmax',
        kernelInitializer: layers.initializers.glorotUniform({ seed: 2 }),
      }),
    ],
  });

/** A dense classifier of two features into two classes, seeded. */
const dense = ({ layers }: TensorFlow) =>
  layers.sequential({
    layers: [
      layers.layers.dense({
        inputShape: [2],
        units: 8,
        activation: 'tanh',
        kernelInitializer: layers.initializers.glorotUniform({ seed: 3 }),
      }),
      layers.layers.dense({
        units: 2,
        activation: 'softmax',
        kernelInitializer: layers.initializers.glorotUniform({ seed: 4 }),
      }),
    ],
  });

/** `rows` points of a stationary distribution: two overlapping Gaussian classes. */
function stationary(rows: number, seed: number): { features: DenseMatrix; labels: Float64Array } {
  const rng = random(seed);
  const features = new DenseMatrix(rows, 2);
  const labels = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    labels[i] = rng.uniform() < 0.5 ? 0 : 1;
    features.data[2 * i] = rng.normal(labels[i] === 1 ? 1 : -1, 1);
    features.data[2 * i + 1] = rng.normal(labels[i] === 1 ? 0.5 : -0.5, 1);
  }
  return { features, labels };
}

function accuracy(
  predict: (row: ArrayLike<number>) => unknown,
  data: { features: DenseMatrix; labels: Float64Array },
) {
  let right = 0;
  for (let i = 0; i < data.features.rows; i++) if (predict(data.features.row(i)) === data.labels[i]) right++;
  return right / data.features.rows;
}

describe('KerasEstimator', () => {
  it('trains a user-built convolutional network on digits in a pipeline, and saves and loads it exactly', async () => {
    // 600 digit images (64 pixels, reshaped to 8x8x1 by the network's input shape): train on 450.
    const [header, ...lines] = readFileSync(mlFixturePath('digits.csv'), 'utf8').trimEnd().split('\n');
    const scaled = lines.slice(0, 600).map((line) => {
      const values = line.split(',');
      return [...values.slice(0, 64).map((v) => String(Number(v) / 16)), values[64]].join(',');
    });
    const train = join(directory, 'digits-train.csv');
    const test = join(directory, 'digits-test.csv');
    writeFileSync(train, [header, ...scaled.slice(0, 450)].join('\n'));
    writeFileSync(test, [header, ...scaled.slice(450)].join('\n'));
    const estimator = new KerasEstimator(
      convolutional,
      {},
      { labelCol: 'digit', epochs: 8, batchSize: 32, learningRate: 0.01, seed: 5, backend: 'cpu' },
    );
    const model = await new Pipeline([estimator]).fit(train);
    const out = await model.transform(test);
    const predicted = out.column('prediction')!.toArray() as Float64Array;
    const actual = out.column('digit')!.toArray() as Float64Array;
    const right = predicted.filter((p, i) => p === actual[i]).length;
    expect(right / actual.length).toBeGreaterThan(0.85);

    const keras = model.stages[0] as KerasModel;
    expect(keras.lossCurve).toHaveLength(8);
    expect(keras.lossCurve[7]).toBeLessThan(keras.lossCurve[0]);
    const path = join(directory, 'conv.json');
    await keras.save(path);
    for (const loaded of [await KerasModel.load(path), (await loadModel(path)) as KerasModel]) {
      const again = await loaded.transform(test);
      expect(Array.from(again.column('prediction')!.toArray())).toEqual(Array.from(predicted));
      expect(loaded.predictProbabilities(new Float64Array(64).fill(0.5))).toEqual(
        keras.predictProbabilities(new Float64Array(64).fill(0.5)),
      );
    }
  }, 60_000);

  it('trains on a DataSet streamed from its partitions, never collecting it', async () => {
    // Records with named fields over 3 partitions; labels are text.
    const data = stationary(1200, 7);
    const records = Array.from({ length: data.features.rows }, (_, i) => ({
      x: data.features.data[2 * i],
      y: data.features.data[2 * i + 1],
      kind: data.labels[i] === 1 ? 'up' : 'down',
    }));
    const options = { labelCol: 'kind', epochs: 4, batchSize: 64, learningRate: 0.01, seed: 8 };
    const collect = vi.spyOn(DataSet.prototype, 'collect');
    const train = () =>
      new KerasEstimator(dense, {}, options).fit(env({ parallelism: 3 }).fromCollection(records));
    const model = await train();
    expect(collect).not.toHaveBeenCalled();
    collect.mockRestore();
    expect(model.classes).toEqual(['down', 'up']);
    expect(model.lossCurve).toHaveLength(4);
    expect(model.lossCurve[3]).toBeLessThan(model.lossCurve[0]);
    const heldOut = stationary(500, 9);
    const right = accuracy((row) => (model.predict(row) === 'up' ? 1 : 0), {
      features: heldOut.features,
      labels: heldOut.labels,
    });
    // The classes overlap: the Bayes rate is about 0.87.
    expect(right).toBeGreaterThan(0.8);
    const again = await train();
    expect(again.state.weights).toEqual(model.state.weights);

    const regression = await new KerasEstimator(
      ({ layers }) =>
        layers.sequential({
          layers: [
            layers.layers.dense({
              inputShape: [1],
              units: 1,
              kernelInitializer: layers.initializers.zeros(),
            }),
          ],
        }),
      {},
      {
        task: 'regression',
        labelCol: 'y',
        featuresCol: ['x'],
        epochs: 40,
        batchSize: 32,
        learningRate: 0.05,
      },
    ).fit(env({ parallelism: 2 }).fromCollection(records.map((r) => ({ x: r.x, y: 3 * r.x - 1 }))));
    expect(regression.predict([2])).toBeCloseTo(5, 1);

    await expect(
      new KerasEstimator(dense, {}, { ...options, labelCol: 'missing' }).fit(
        env({ parallelism: 2 }).fromCollection(records),
      ),
    ).rejects.toThrow(/label column 'missing'/);
    await expect(
      new KerasEstimator(dense, {}, { ...options, earlyStopping: true }).fit(env().fromCollection(records)),
    ).rejects.toThrow(ParamError);
    await expect(new KerasEstimator(dense, {}, options).fit(env().fromCollection([]))).rejects.toThrow(
      /the DataSet is empty/,
    );
  });

  it('trained on a stationary stream, matches the network trained on a batch of the same size', async () => {
    const data = stationary(2000, 1);
    const heldOut = stationary(1000, 2);
    const options = { task: 'classification' as const, batchSize: 50, learningRate: 0.01, seed: 6 };
    // Batch: the 2,000 rows, 2 epochs. Stream: 4,000 fresh rows of the same distribution, once.
    const batch = await new KerasEstimator(dense, {}, { ...options, epochs: 2 }).fit(data);
    const streamed = stationary(4000, 3);
    const batches: LabeledRows[] = [];
    for (let from = 0; from < 4000; from += 137) {
      const to = Math.min(4000, from + 137);
      batches.push({
        features: streamed.features.sliceRows(from, to),
        labels: streamed.labels.subarray(from, to),
      });
    }
    const online = new KerasEstimator(dense, {}, options);
    await online.ready();
    const versions: KerasVersion[] = [];
    for await (const version of online.fitStream(batches)) versions.push(version);
    expect(versions).toHaveLength(80);
    expect(versions.map((v) => v.version)).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
    expect(versions[79].recordsSeen).toBe(4000);
    const batchAccuracy = accuracy((row) => batch.predict(row), heldOut);
    const streamAccuracy = accuracy((row) => versions[79].model.predict(row), heldOut);
    expect(batchAccuracy).toBeGreaterThan(0.75);
    expect(Math.abs(streamAccuracy - batchAccuracy)).toBeLessThan(0.03);
    // An early version is a copy: later steps did not change it.
    expect(versions[0].model.predictProbabilities([1, 1])).not.toEqual(
      versions[79].model.predictProbabilities([1, 1]),
    );
  });

  it('resumes a checkpointed stream fit to the network of an uninterrupted one (Adam state included)', async () => {
    const rows = stationary(600, 4);
    const records: LabeledRows[] = Array.from({ length: 60 }, (_, i) => ({
      features: rows.features.sliceRows(i * 10, i * 10 + 10),
      labels: rows.labels.subarray(i * 10, i * 10 + 10),
    }));
    const source = () => iterableSource(() => records, { batchSize: 3 });
    const options = { batchSize: 25, learningRate: 0.01 };
    const reference = new KerasEstimator(dense, {}, options);
    await reference.ready();
    let last: KerasModel | undefined;
    for await (const version of reference.fitStream(source())) last = version.model;
    for (const stopAfter of [3, 17]) {
      const checkpoint = { dir: join(directory, `checkpoints-${stopAfter}`), every: 40 };
      let seen = 0;
      for await (const _ of new KerasEstimator(dense, {}, options).fitStream(source(), { checkpoint })) {
        if (++seen >= stopAfter) break;
      }
      const resumed = new KerasEstimator(dense, {}, options);
      let final: KerasModel | undefined;
      for await (const version of resumed.fitStream(source(), { checkpoint, resume: true }))
        final = version.model;
      expect(resumed.recordsSeen).toBe(600);
      expect(final!.state.weights.map((w) => Array.from(w.values))).toEqual(
        last!.state.weights.map((w) => Array.from(w.values)),
      );
    }
  });

  it('reports a network that does not fit the labels, and bad stream labels', async () => {
    const estimator = new KerasEstimator(dense, {}, { epochs: 1 });
    const three = {
      features: [
        [0, 1],
        [1, 0],
        [2, 2],
      ],
      labels: ['a', 'b', 'c'],
    };
    await expect(estimator.fit(three)).rejects.toThrow(/3 classes: expected 2, one per output/);
    await estimator.ready();
    expect(() => estimator.partialFit([[0, 1]], [2])).toThrow(/class index from 0 to 1/);
    expect(() => estimator.partialFit([[0, 1]], [0, 1])).toThrow(/one per row/);
  });
});
