import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LDA } from '../../../../algorithms/ml/lda/lda.js';
import { LDAModel } from '../../../../algorithms/ml/lda/model.js';
import { digamma, logGamma } from '../../../../algorithms/ml/lda/special-functions.js';
import { eStepHere, onlineUpdate, topicExpectations } from '../../../../algorithms/ml/lda/variational.js';
import { ParamError } from '../../../../src/core/errors.js';
import { DenseMatrix } from '../../../../src/core/matrix.js';
import { random } from '../../../../src/core/random.js';
import { SparseRows } from '../../../../src/core/sparse-rows.js';
import { WorkerPool } from '../../../../src/core/threads/worker-pool.js';
import { modelFromJSON } from '../../../../src/ml/persistence.js';
import { iterableSource } from '../../../../src/stream/sources.js';
import { Table } from '../../../../src/table/table.js';

const pool = new WorkerPool({ size: 2 });
afterAll(() => pool.close());

/**
 * Documents drawn from three planted topics over 30 terms (each topic favours its own ten
 * terms), enough documents for several E-step chunks and mini-batches.
 */
function plantedCorpus(seed: number, documents: number): SparseRows {
  const rng = random(seed);
  const rows: [number, number][][] = [];
  for (let d = 0; d < documents; d++) {
    const topic = rng.integer(0, 3);
    const counts = new Map<number, number>();
    const length = 20 + rng.integer(0, 20);
    for (let i = 0; i < length; i++) {
      const term = rng.uniform() < 0.9 ? topic * 10 + rng.integer(0, 10) : rng.integer(0, 30);
      counts.set(term, (counts.get(term) ?? 0) + 1);
    }
    rows.push([...counts]);
  }
  return SparseRows.fromEntries(30, rows);
}

describe('special functions', () => {
  it('digamma and logGamma give known values', () => {
    expect(digamma(1)).toBeCloseTo(-0.5772156649015329, 13);
    expect(digamma(0.5)).toBeCloseTo(-1.9635100260214235, 13);
    expect(digamma(10)).toBeCloseTo(2.251752589066721, 13);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 13);
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 12);
    expect(logGamma(0.01)).toBeCloseTo(4.599479878042022, 12);
  });
});

describe('variational updates, by hand', () => {
  it("one E-step update of a one-word document moves gamma to alpha + the word's share of its count", () => {
    // Two topics, two terms; exp(E[log beta]) of term 0 is 0.5 under topic 0 and 0.25 under topic 1.
    const corpus = SparseRows.fromEntries(2, [[[0, 3]]]);
    const expElogBeta = Float64Array.of(0.5, 0.25, 0.5, 0.75);
    const topics = { expElogBeta, elogBeta: expElogBeta.map(Math.log) };
    const settings = { k: 2, alpha: 0.1, maxDocumentIterations: 1, documentTolerance: 0, topics };
    const request = { corpus, first: 0, documents: 1, gammaStart: null, statistics: true, bound: false };
    const { gamma, statistics } = eStepHere(request, settings);
    // From gamma = (1, 1) both topics have the same exp(E[log theta]): the count splits 0.5 : 0.25.
    expect(gamma[0]).toBeCloseTo(0.1 + 2, 12);
    expect(gamma[1]).toBeCloseTo(0.1 + 1, 12);
    // The statistics split the word's 3 tokens by the final phi, proportional to exp(E[log theta]) exp(E[log beta]).
    const theta0 = Math.exp(digamma(2.1) - digamma(3.2));
    const theta1 = Math.exp(digamma(1.1) - digamma(3.2));
    const phi0 = (theta0 * 0.5) / (theta0 * 0.5 + theta1 * 0.25);
    expect(statistics![0]).toBeCloseTo(3 * phi0, 12);
    expect(statistics![1]).toBeCloseTo(3 * (1 - phi0), 12);
    expect(statistics![2]).toBe(0);
    expect(statistics![3]).toBe(0);
  });

  it('the E-step converges to the fixed point gamma = alpha + sum_w n_w phi_w', () => {
    const corpus = SparseRows.fromEntries(3, [
      [
        [0, 2],
        [2, 5],
      ],
    ]);
    const lambda = Float64Array.of(3, 1, 1, 2, 4, 0.5);
    const topics = topicExpectations(lambda, 2, false);
    const settings = { k: 2, alpha: 0.3, maxDocumentIterations: 1000, documentTolerance: 1e-13, topics };
    const request = { corpus, first: 0, documents: 1, gammaStart: null, statistics: false, bound: false };
    const { gamma } = eStepHere(request, settings);
    const expTheta = [0, 1].map((t) => Math.exp(digamma(gamma[t]) - digamma(gamma[0] + gamma[1])));
    const expected = [0.3, 0.3];
    for (const [w, n] of [
      [0, 2],
      [2, 5],
    ]) {
      const norm = expTheta[0] * topics.expElogBeta[w * 2] + expTheta[1] * topics.expElogBeta[w * 2 + 1];
      for (const t of [0, 1]) expected[t] += (n * expTheta[t] * topics.expElogBeta[w * 2 + t]) / norm;
    }
    expect(gamma[0]).toBeCloseTo(expected[0], 10);
    expect(gamma[1]).toBeCloseTo(expected[1], 10);
    expect(gamma[0] + gamma[1]).toBeCloseTo(0.6 + 7, 10);
  });

  it('E[log beta] is digamma(lambda) - digamma(topic sum), and the online M-step blends by rho', () => {
    // Word-major: lambda[w * k + t], two topics over two terms.
    const lambda = Float64Array.of(1, 2, 3, 4);
    const { elogBeta, expElogBeta } = topicExpectations(lambda, 2, false);
    expect(elogBeta[0]).toBeCloseTo(digamma(1) - digamma(4), 14);
    expect(elogBeta[3]).toBeCloseTo(digamma(4) - digamma(6), 14);
    expect(expElogBeta[1]).toBeCloseTo(Math.exp(digamma(2) - digamma(6)), 14);
    const rho = (10 + 1) ** -0.7;
    onlineUpdate(lambda, Float64Array.of(4, 0, 0, 8), 0.5, 3, rho);
    expect(lambda[0]).toBeCloseTo((1 - rho) * 1 + rho * (0.5 + 12), 14);
    expect(lambda[1]).toBeCloseTo((1 - rho) * 2 + rho * 0.5, 14);
    expect(lambda[3]).toBeCloseTo((1 - rho) * 4 + rho * (0.5 + 24), 14);
  });
});

describe('LDA', () => {
  const corpus = plantedCorpus(3, 300);

  it('recovers planted topics: each topic puts most weight on one planted block', async () => {
    const model = await new LDA({ k: 3, seed: 1, maxIterations: 10, parallelism: 1 }).fit(corpus);
    const blocks = model.describeTopics(10).map(({ termIndices }) => {
      const counts = [0, 0, 0];
      for (const w of termIndices) counts[Math.floor(w / 10)]++;
      return counts.indexOf(Math.max(...counts));
    });
    expect(new Set(blocks).size).toBe(3);
    const distributions = model.topicWordDistributions();
    for (let t = 0; t < 3; t++) expect(distributions.row(t).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('the same seed gives the same topics, bit for bit, at parallelism 1 and 2, online and batch', async () => {
    for (const learningMethod of ['online', 'batch'] as const) {
      const options = { k: 3, seed: 'same', maxIterations: 3, batchSize: 64, learningMethod };
      const one = await new LDA({ ...options, parallelism: 1 }).fit(corpus);
      const two = await new LDA({ ...options, parallelism: 2 }).fitCorpus(corpus, { pool });
      expect(Array.from(two.topicsMatrix.data)).toEqual(Array.from(one.topicsMatrix.data));
      // Pipelines' synchronous fit runs the same steps on this thread.
      const here = new LDA({ ...options, parallelism: 1 }).fitTable(
        Table.fromTypedColumns(['features'], [{ kind: 'vector', values: denseOf(corpus) }], {
          source: '<test>',
        }),
      );
      expect(Array.from(here.topicsMatrix.data)).toEqual(Array.from(one.topicsMatrix.data));
      const mixtures1 = await one.topicDistributions(corpus);
      const twoThreads = new LDAModel(lambdaOf(two), 3, {
        alpha: two.alpha,
        eta: two.eta,
        params: { parallelism: 2 },
      });
      const mixtures2 = await twoThreads.topicDistributions(corpus, pool);
      expect(Array.from(mixtures2.data)).toEqual(Array.from(mixtures1.data));
      expect(await twoThreads.logLikelihood(corpus, pool)).toBe(await one.logLikelihood(corpus));
    }
  });

  it('a different seed gives different topics', async () => {
    const a = await new LDA({ k: 3, seed: 1, maxIterations: 1, parallelism: 1 }).fit(corpus);
    const b = await new LDA({ k: 3, seed: 2, maxIterations: 1, parallelism: 1 }).fit(corpus);
    expect(Array.from(a.topicsMatrix.data)).not.toEqual(Array.from(b.topicsMatrix.data));
  });

  it('the bound increases with every batch iteration', async () => {
    const bounds: number[] = [];
    for (let iterations = 1; iterations <= 6; iterations++) {
      const lda = new LDA({
        k: 3,
        seed: 4,
        maxIterations: iterations,
        learningMethod: 'batch',
        documentTolerance: 1e-10,
        parallelism: 1,
      });
      bounds.push(await (await lda.fit(corpus)).logLikelihood(corpus));
    }
    for (let i = 1; i < bounds.length; i++) expect(bounds[i]).toBeGreaterThan(bounds[i - 1]);
  });

  it('perplexity is exp(-bound / tokens), and the training perplexity falls with passes', async () => {
    const one = await new LDA({ k: 3, seed: 4, maxIterations: 1, parallelism: 1 }).fit(corpus);
    const five = await new LDA({ k: 3, seed: 4, maxIterations: 5, parallelism: 1 }).fit(corpus);
    expect(await one.perplexity(corpus)).toBeCloseTo(
      Math.exp(-(await one.logLikelihood(corpus)) / corpus.total()),
      10,
    );
    expect(await five.perplexity(corpus)).toBeLessThan(await one.perplexity(corpus));
  });

  it('partialFit over mini-batches equals fitStream over the same documents', async () => {
    const options = { k: 3, seed: 9, batchSize: 50, totalSamples: 300, parallelism: 1 };
    const lda = new LDA(options);
    let last: LDAModel | undefined;
    for (let first = 0; first < 300; first += 50)
      last = await lda.partialFit(corpus.sliceRows(first, first + 50));
    const streamed = new LDA(options);
    expect(streamed.model).toBeUndefined();
    // Uneven pieces: the stream is re-cut into mini-batches of 50.
    const pieces = [corpus.sliceRows(0, 30), corpus.sliceRows(30, 170), corpus.sliceRows(170, 300)];
    const versions = [];
    for await (const version of streamed.fitStream(pieces)) versions.push(version);
    expect(versions.map((v) => v.recordsSeen)).toEqual([50, 100, 150, 200, 250, 300]);
    expect(Array.from(versions.at(-1)!.model.topicsMatrix.data)).toEqual(Array.from(last!.topicsMatrix.data));
    expect(last!.updates).toBe(6);
    expect(Array.from(streamed.model!.topicsMatrix.data)).toEqual(Array.from(last!.topicsMatrix.data));
  });

  it('fitStream with checkpoints, stopped and resumed, ends with the topics of an uninterrupted fit', async () => {
    const options = { k: 3, seed: 9, batchSize: 40, totalSamples: 300, parallelism: 1 };
    // Pieces of 7 documents: checkpoints every 5 pieces (35 documents) fall inside mini-batches.
    const pieces = Array.from({ length: Math.ceil(300 / 7) }, (_, i) =>
      corpus.sliceRows(i * 7, Math.min(300, i * 7 + 7)),
    );
    const source = () => iterableSource(() => pieces, { batchSize: 1 });
    const reference = new LDA(options);
    let last: LDAModel | undefined;
    for await (const version of reference.fitStream(source())) last = version.model;
    const directory = mkdtempSync(join(tmpdir(), 'eddy-lda-checkpoint-'));
    try {
      for (const stopAfter of [1, 4]) {
        const checkpoint = { dir: join(directory, `run-${stopAfter}`), every: 5 };
        let seen = 0;
        for await (const _ of new LDA(options).fitStream(source(), { checkpoint }))
          if (++seen >= stopAfter) break;
        const resumed = new LDA(options);
        let final: LDAModel | undefined;
        const versions: number[] = [];
        for await (const version of resumed.fitStream(source(), { checkpoint, resume: true })) {
          versions.push(version.recordsSeen);
          final = version.model;
        }
        expect(versions.at(-1)).toBe(300);
        expect(Array.from(final!.topicsMatrix.data)).toEqual(Array.from(last!.topicsMatrix.data));
        expect(final!.updates).toBe(Math.ceil(300 / 40));
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('one online pass over the corpus with totalSamples = its size equals partialFit batch by batch', async () => {
    const fitted = await new LDA({ k: 3, seed: 5, batchSize: 100, maxIterations: 1, parallelism: 1 }).fit(
      corpus,
    );
    const lda = new LDA({ k: 3, seed: 5, batchSize: 100, totalSamples: 300, parallelism: 1 });
    let last: LDAModel | undefined;
    for (let first = 0; first < 300; first += 100)
      last = await lda.partialFit(corpus.sliceRows(first, first + 100));
    expect(Array.from(last!.topicsMatrix.data)).toEqual(Array.from(fitted.topicsMatrix.data));
  });

  it('saves and loads: the same topics, priors, vocabulary and mixtures', async () => {
    const vocabulary = Array.from({ length: 30 }, (_, w) => `w${w}`);
    const model = await new LDA({ k: 3, seed: 1, maxIterations: 2, parallelism: 1 }).fitCorpus(corpus, {
      vocabulary,
    });
    const json = JSON.parse(JSON.stringify(model.toJSON()));
    const loaded = modelFromJSON(json) as LDAModel;
    expect(loaded).toBeInstanceOf(LDAModel);
    expect(Array.from(loaded.topicsMatrix.data)).toEqual(Array.from(model.topicsMatrix.data));
    expect([loaded.alpha, loaded.eta]).toEqual([1 / 3, 1 / 3]);
    expect(loaded.describeTopics(3)[0].terms).toEqual(model.describeTopics(3)[0].terms);
    expect(Array.from((await loaded.topicDistributions(corpus)).data)).toEqual(
      Array.from((await model.topicDistributions(corpus)).data),
    );
  });

  it('refuses bad parameters and corpora', async () => {
    expect(() => new LDA({ k: 0 })).toThrow(ParamError);
    expect(() => new LDA({ learningDecay: 0 })).toThrow(ParamError);
    expect(() => new LDA({ docConcentration: -1 })).toThrow(ParamError);
    const negative = new SparseRows(2, Int32Array.of(0, 1), Int32Array.of(0), Float64Array.of(-1));
    await expect(new LDA({ parallelism: 1 }).fit(negative)).rejects.toThrow(/term counts >= 0/);
    const lda = new LDA({ k: 2, parallelism: 1 });
    await lda.partialFit(SparseRows.fromEntries(3, [[[0, 1]]]));
    await expect(lda.partialFit(SparseRows.fromEntries(4, [[[0, 1]]]))).rejects.toThrow(
      /the 3 terms of the first batch/,
    );
  });
});

function denseOf(corpus: SparseRows): DenseMatrix {
  return DenseMatrix.fromRows(Array.from({ length: corpus.rows }, (_, i) => corpus.denseRow(i)));
}

function lambdaOf(model: LDAModel): Float64Array {
  const { rows: k, columns: v, data } = model.topicsMatrix;
  const lambda = new Float64Array(k * v);
  for (let t = 0; t < k; t++) for (let w = 0; w < v; w++) lambda[w * k + t] = data[t * v + w];
  return lambda;
}
