/**
 * Exactly-once in the API: `fit(stream, { checkpoint, resume })` of the online estimators. A fit
 * stopped part-way (in-process here; with SIGKILL under load in online-checkpoint-crash.test.ts)
 * and resumed ends with the model of an uninterrupted fit, every record counted once, the
 * points of a partial mini-batch included; changed parameters or input are refused.
 */
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OnlineKMeans } from '../../algorithms/ml/kmeans/online.js';
import {
  type LabeledPoints,
  OnlineLogisticRegression,
} from '../../algorithms/ml/online-logistic-regression.js';
import { OnlineStandardScaler } from '../../algorithms/ml/online-standard-scaler.js';
import { InputError, ParamError } from '../../src/core/errors.js';
import { DenseMatrix } from '../../src/core/matrix.js';
import { random } from '../../src/core/random.js';
import { iterableSource, ndjsonVectorSource } from '../../src/stream/sources.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'eddy-online-checkpoint-'));

function writePoints(path: string, count: number, seed: number): void {
  const rng = random(seed);
  const lines = Array.from({ length: count }, (_, i) =>
    JSON.stringify([rng.normal(i % 3, 1), rng.normal(-(i % 3), 1), rng.uniform()]),
  );
  writeFileSync(path, `${lines.join('\n')}\n`);
}

/** Runs a fit, stopping (as a crash would) after `stopAfter` versions; returns the versions seen. */
async function fitUntil<V extends { version: number }>(versions: AsyncIterable<V>, stopAfter = Infinity) {
  const seen: number[] = [];
  for await (const version of versions) {
    seen.push(version.version);
    if (seen.length >= stopAfter) break;
  }
  return seen;
}

const kmeans = () => new OnlineKMeans({ k: 3, batchSize: 45, decayFactor: 0.9, seed: 4 });

describe('OnlineKMeans.fit(stream, { checkpoint, resume })', () => {
  it('resumes after a stop mid-stream to the model of an uninterrupted fit, pending points included', async () => {
    const dir = scratch();
    const input = join(dir, 'points.ndjson');
    writePoints(input, 1000, 1);
    const source = () => ndjsonVectorSource(input, { batchSize: 16 });
    const reference = kmeans();
    const all = await fitUntil(reference.fit(source()));
    expect(all).toHaveLength(Math.ceil(1000 / 45));
    for (const stopAfter of [1, 7, 15, 22]) {
      const checkpoint = { dir: join(dir, `checkpoints-${stopAfter}`), every: 100 };
      await fitUntil(kmeans().fit(source(), { checkpoint }), stopAfter);
      const resumed = kmeans();
      const again = await fitUntil(resumed.fit(source(), { checkpoint, resume: true }));
      // Checkpoints every 100 points fall inside mini-batches of 45: the pending points are restored.
      expect(again.at(-1)).toBe(all.at(-1));
      expect(resumed.model!.toJSON()).toEqual(reference.model!.toJSON());
      expect(resumed.model!.recordsSeen).toBe(1000);
    }
  });

  it('after a completed fit, resuming restores the final model and yields nothing', async () => {
    const dir = scratch();
    const input = join(dir, 'points.ndjson');
    writePoints(input, 300, 2);
    const checkpoint = { dir: join(dir, 'checkpoints'), every: 50 };
    const first = kmeans();
    await fitUntil(first.fit(ndjsonVectorSource(input), { checkpoint }));
    const again = kmeans();
    expect(await fitUntil(again.fit(ndjsonVectorSource(input), { checkpoint, resume: true }))).toEqual([]);
    expect(again.model!.toJSON()).toEqual(first.model!.toJSON());
  });

  it('refuses to resume with other parameters, another initial model or a changed input', async () => {
    const dir = scratch();
    const input = join(dir, 'points.ndjson');
    writePoints(input, 400, 3);
    const checkpoint = { dir: join(dir, 'checkpoints'), every: 50 };
    await fitUntil(kmeans().fit(ndjsonVectorSource(input, { batchSize: 16 }), { checkpoint }), 3);
    const resume = (estimator: OnlineKMeans) =>
      fitUntil(estimator.fit(ndjsonVectorSource(input, { batchSize: 16 }), { checkpoint, resume: true }));
    await expect(resume(kmeans().setBatchSize(46))).rejects.toThrow(/another parameters/);
    await expect(resume(kmeans().setSeed(5))).rejects.toThrow(InputError);
    const seeded = new OnlineKMeans({
      k: 3,
      batchSize: 45,
      decayFactor: 0.9,
      seed: 4,
      initialCentroids: [
        [0, 0, 0],
        [1, 1, 1],
        [2, 2, 2],
      ],
    });
    await expect(resume(seeded)).rejects.toThrow(/another initial model/);
    await expect(
      fitUntil(
        kmeans().fit(ndjsonVectorSource(input, { batchSize: 16 }), {
          checkpoint: { ...checkpoint, fingerprint: { output: 'b' } },
          resume: true,
        }),
      ),
    ).rejects.toThrow(/another output/);
    appendFileSync(input, '[1, 2, 3]\n');
    await expect(resume(kmeans())).rejects.toThrow(
      new RegExp(`another input.*${input.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 's'),
    );
  });

  it('needs a replayable source to checkpoint', async () => {
    const points = [new DenseMatrix(2, 1, Float64Array.from([1, 2]))];
    await expect(fitUntil(kmeans().fit(points, { checkpoint: { dir: scratch() } }))).rejects.toThrow(
      ParamError,
    );
  });
});

describe('one fitting loop for every online estimator', () => {
  const labelled = (): LabeledPoints[] => {
    const rng = random(7);
    return Array.from({ length: 40 }, () => {
      const features = new DenseMatrix(10, 2);
      const labels = new Float64Array(10);
      for (let i = 0; i < 10; i++) {
        features.data[2 * i] = rng.normal();
        features.data[2 * i + 1] = rng.normal();
        labels[i] = features.data[2 * i] + features.data[2 * i + 1] > 0 ? 1 : 0;
      }
      return { features, labels };
    });
  };

  it('OnlineLogisticRegression and OnlineStandardScaler resume to an uninterrupted fit', async () => {
    const batches = labelled();
    const dir = scratch();
    const logistic = () => new OnlineLogisticRegression({ alpha: 0.3 });
    const lrSource = () => iterableSource(() => batches, { batchSize: 3 });
    const lrReference = logistic();
    await fitUntil(lrReference.fit(lrSource()));
    const scaler = () => new OnlineStandardScaler();
    const scalerSource = () => iterableSource(() => batches.map((batch) => batch.features), { batchSize: 3 });
    const scalerReference = scaler();
    await fitUntil(scalerReference.fit(scalerSource()));
    for (const stopAfter of [4, 29]) {
      const lrCheckpoint = { dir: join(dir, `lr-${stopAfter}`), every: 5 };
      await fitUntil(logistic().fit(lrSource(), { checkpoint: lrCheckpoint }), stopAfter);
      const lr = logistic();
      await fitUntil(lr.fit(lrSource(), { checkpoint: lrCheckpoint, resume: true }));
      expect(lr.toJSON()).toEqual(lrReference.toJSON());
      expect(lr.toJSON().recordsSeen).toBe(400);

      const scalerCheckpoint = { dir: join(dir, `scaler-${stopAfter}`), every: 5 };
      await fitUntil(scaler().fit(scalerSource(), { checkpoint: scalerCheckpoint }), stopAfter);
      const resumed = scaler();
      await fitUntil(resumed.fit(scalerSource(), { checkpoint: scalerCheckpoint, resume: true }));
      expect(resumed.toJSON()).toEqual(scalerReference.toJSON());
      expect(resumed.toJSON().count).toBe(400);
    }
  });
});
