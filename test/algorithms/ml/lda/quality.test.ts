/**
 * LDA against scikit-learn on a real corpus: 2964 training sections of Debian's manual pages
 * (packages manpages and manpages-dev; test/fixtures/lda/make-manpages-corpus.py made the UCI
 * files) and 329 held-out ones. Held-out perplexity by document completion, as
 * test/fixtures/lda/make-expected-perplexity.py measured scikit-learn 1.2's
 * LatentDirichletAllocation with the same k, passes and batch size (mean of three seeds; eddy
 * is held to within 5% of it, also as the mean of three seeds, its seeds being its own).
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { LDA } from '../../../../algorithms/ml/lda/lda.js';
import { readBagOfWords, readDocword } from '../../../../algorithms/ml/lda/uci-bag-of-words.js';
import { WorkerPool } from '../../../../src/core/threads/worker-pool.js';

const fixtures = new URL('../../../fixtures/lda/', import.meta.url).pathname;
const expected = JSON.parse(readFileSync(`${fixtures}expected-perplexity.json`, 'utf8'));
const pool = new WorkerPool({ size: 1 });
afterAll(() => pool.close());

async function corpora() {
  const { corpus: train, vocabulary } = await readBagOfWords(
    `${fixtures}train.docword.txt.gz`,
    `${fixtures}vocab.txt`,
  );
  const observed = await readDocword(`${fixtures}test-observed.docword.txt.gz`);
  const heldOut = await readDocword(`${fixtures}test-heldout.docword.txt.gz`);
  return { train, vocabulary, observed, heldOut };
}

describe('LDA on Debian manual pages, against scikit-learn', () => {
  for (const method of ['online', 'batch'] as const) {
    it(`${method}: held-out perplexity by document completion is within 5% of scikit-learn's`, async () => {
      const { train, vocabulary, observed, heldOut } = await corpora();
      expect([train.rows, observed.rows, train.columns]).toEqual([2964, 329, 3000]);
      const perplexities: number[] = [];
      for (const seed of expected.completionPerplexity[method].seeds as number[]) {
        const lda = new LDA({
          k: expected.k,
          maxIterations: expected.passes,
          batchSize: expected.batchSize,
          learningOffset: expected.learningOffset,
          learningDecay: expected.learningDecay,
          learningMethod: method,
          seed,
          parallelism: 2,
        });
        const model = await lda.fitCorpus(train, { vocabulary, pool });
        perplexities.push(await model.completionPerplexity(observed, heldOut, pool));
        // The topics read as coherent: threads, files, each subject's words among one topic's top ten.
        const topics = model.describeTopics(10).map((topic) => topic.terms!);
        const topicOf = (words: string[]) =>
          topics.findIndex((terms) => words.every((w) => terms.includes(w)));
        if (method === 'online' && seed === 0) {
          expect(topicOf(['thread', 'pthread'])).toBeGreaterThanOrEqual(0);
          expect(topicOf(['file', 'directory'])).toBeGreaterThanOrEqual(0);
        }
      }
      const mean = perplexities.reduce((a, b) => a + b, 0) / perplexities.length;
      const reference = expected.completionPerplexity[method].mean as number;
      expect(Math.abs(mean / reference - 1)).toBeLessThan(0.05);
    }, 240_000);
  }
});
