import { afterAll, describe, expect, it } from 'vitest';
import { splitByEdges } from '../../../algorithms/graph/pagerank/kernels.js';
import { pageRank, parallelPageRank } from '../../../algorithms/graph/pagerank/pagerank.js';
import { pageRankScores } from '../../../algorithms/graph/pagerank/parallel.js';
import { pullIndexOfInEdges } from '../../../algorithms/graph/pagerank/rounds.js';
import { WorkerPool } from '../../../src/core/threads/worker-pool.js';
import { buildCsr } from '../../../src/graph/csr.js';
import { rmatGraph } from '../../../src/graph/generators.js';
import { buildInEdgeIndex } from '../../../src/graph/in-edge-index.js';

// R-MAT with 131,072 edges: above the size where rounds are split over workers.
const generated = rmatGraph({ scale: 13, edgeFactor: 16, seed: 5 });
const weights = Float64Array.from(generated.sources, (_, e) => 1 + (e % 7));
const graph = {
  dictionary: generated.dictionary,
  csr: buildCsr(generated.dictionary.size, generated.sources, generated.targets, { weights }).csr,
};
const pool = new WorkerPool({ size: 3 });
afterAll(() => pool.close());

describe('parallelPageRank', () => {
  it.each([2, 3])('gives exactly the single-threaded scores at parallelism %i', async (parallelism) => {
    for (const weighted of [false, true]) {
      const options = { maxIterations: 30, tolerance: 0, weighted };
      const expected = pageRank(graph, options);
      const actual = await parallelPageRank(graph, { ...options, parallelism, pool });
      expect(Array.from(actual.values)).toEqual(Array.from(expected.values));
      expect(actual.iterations).toBe(30);
    }
  });

  it('stops at the same round when it converges', async () => {
    const expected = pageRank(graph, { tolerance: 1e-8 });
    const actual = await parallelPageRank(graph, { tolerance: 1e-8, parallelism: 2, pool });
    expect(actual.iterations).toBe(expected.iterations);
    expect(actual.converged).toBe(true);
  });
});

describe('pageRankScores over an in-edge index built from the edge arrays (eddy pagerank)', () => {
  it.each([false, true])(
    'matches pageRank on the graph (weighted: %s), at any parallelism',
    async (weighted) => {
      const options = { maxIterations: 30, tolerance: 0 };
      const expected = pageRank(graph, { ...options, weighted }).values;
      const single = buildInEdgeIndex(generated.dictionary.size, generated.sources, generated.targets, {
        weights,
      });
      const one = await pageRankScores(pullIndexOfInEdges(single, weighted), { ...options, parallelism: 1 });
      // In-edges keep input order here (sorted by source in the CSR's index): sums may differ
      // in the last bit.
      for (let v = 0; v < expected.length; v++) expect(one.scores[v]).toBeCloseTo(expected[v], 15);
      const sharedIndex = buildInEdgeIndex(generated.dictionary.size, generated.sources, generated.targets, {
        weights,
        shared: true,
      });
      const two = await pageRankScores(pullIndexOfInEdges(sharedIndex, weighted, true), {
        ...options,
        parallelism: 2,
        pool,
      });
      expect(Array.from(two.scores)).toEqual(Array.from(one.scores));
    },
  );
});

describe('splitByEdges', () => {
  it('cuts vertex ranges of about equal in-edge counts, covering every vertex', () => {
    const offsets = Int32Array.from([0, 10, 10, 11, 12, 20, 40]);
    expect(Array.from(splitByEdges(offsets, 2))).toEqual([0, 5, 6]);
    expect(Array.from(splitByEdges(offsets, 1))).toEqual([0, 6]);
    expect(Array.from(splitByEdges(Int32Array.from([0]), 3))).toEqual([0, 0, 0, 0]);
  });
});
