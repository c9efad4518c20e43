import { afterAll, describe, expect, it } from 'vitest';
import { pageRank } from '../../../algorithms/graph/pagerank/pagerank.js';
import { ParamError } from '../../../src/core/errors.js';
import { WorkerPool } from '../../../src/core/threads/worker-pool.js';
import { buildCsr } from '../../../src/graph/csr.js';
import { rmatGraph } from '../../../src/graph/generators.js';
import { splitByEdges } from '../../../src/graph/vertex-ranges.js';

// R-MAT with 131,072 edges: above the size where rounds are split over workers.
const generated = rmatGraph({ scale: 13, edgeFactor: 16, seed: 5 });
const weights = Float64Array.from(generated.sources, (_, e) => 1 + (e % 7));
const graph = {
  dictionary: generated.dictionary,
  csr: buildCsr(generated.dictionary.size, generated.sources, generated.targets, { weights }).csr,
};
const pool = new WorkerPool({ size: 3 });
afterAll(() => pool.close());

describe('pageRank with a parallelism', () => {
  it.each([2, 3])('gives exactly the single-threaded scores at parallelism %i', async (parallelism) => {
    for (const weighted of [false, true]) {
      const options = { maxIterations: 30, tolerance: 0, weighted };
      const expected = pageRank(graph, options);
      const actual = await pageRank(graph, { ...options, parallelism, pool });
      expect(Array.from(actual.values)).toEqual(Array.from(expected.values));
      expect(actual.iterations).toBe(30);
    }
  });

  it('gives the same scores with the in-edges cut into segments a worker can take', async () => {
    // segmentBytes stands in for Node's 4 GiB limit between threads: 40,000 bytes are 10,000
    // sources (5,000 weighted shares) per segment, so the 131,072 in-edges take 14 or 27.
    const edges = { ...generated, weights };
    for (const weighted of [false, true]) {
      const options = { maxIterations: 12, tolerance: 0, weighted };
      for (const input of [graph, edges]) {
        const expected = pageRank(input, options).values;
        const actual = await pageRank(input, { ...options, parallelism: 2, pool, segmentBytes: 40_000 });
        expect(Array.from(actual.values)).toEqual(Array.from(expected));
      }
    }
  });

  it('gives the same scores from shared edge arrays, indexed on the threads into sum arenas', async () => {
    // The threaded read's arrays: the in-edge index is built on the threads, into one
    // WebAssembly arena or (segmentBytes) into segments of several, where the sums then run.
    const sharedCopy = (array: Int32Array) => {
      const copy = new Int32Array(new SharedArrayBuffer(array.byteLength));
      copy.set(array);
      return copy;
    };
    // 2^21 edges: two threads' worth of the index build (2^20 edges each); segments of at most
    // 1.5 and 0.75 million edges cut it into two and three.
    const large = rmatGraph({ scale: 16, edgeFactor: 32, seed: 3 });
    const edges = { ...large, sources: sharedCopy(large.sources), targets: sharedCopy(large.targets) };
    const expected = Array.from(pageRank(large, { maxIterations: 8, tolerance: 0 }).values);
    for (const segmentBytes of [undefined, 6_000_000, 3_000_000]) {
      const options = { maxIterations: 8, tolerance: 0, parallelism: 2, pool, segmentBytes };
      expect(Array.from((await pageRank(edges, options)).values)).toEqual(expected);
    }
  });

  it('stops at the same round when it converges', async () => {
    const expected = pageRank(graph, { tolerance: 1e-8 });
    const actual = await pageRank(graph, { tolerance: 1e-8, parallelism: 2, pool });
    expect(actual.iterations).toBe(expected.iterations);
    expect(actual.converged).toBe(true);
  });
});

describe('pageRank over edge arrays (what eddy pagerank runs)', () => {
  const edges = { ...generated, weights };
  it.each([false, true])(
    'matches pageRank on the graph (weighted: %s), at any parallelism',
    async (weighted) => {
      const options = { maxIterations: 30, tolerance: 0, weighted };
      const expected = pageRank(graph, options).values;
      const phases: string[] = [];
      const one = pageRank(edges, { ...options, onPhase: (phase) => phases.push(phase) });
      expect(phases).toEqual(['index']);
      // In-edges keep input order here (sorted by source in the CSR's index): sums may differ
      // in the last bit.
      for (let v = 0; v < expected.length; v++) expect(one.values[v]).toBeCloseTo(expected[v], 15);
      for (const parallelism of [1, 2, 3]) {
        const many = await pageRank(edges, { ...options, parallelism, pool });
        expect(Array.from(many.values)).toEqual(Array.from(one.values));
      }
    },
  );

  it('takes a personalization set, and checks the weights of weighted PageRank', async () => {
    const personalization = [0, 1, 2];
    const expected = pageRank(graph, { personalization, tolerance: 1e-10 }).values;
    const actual = await pageRank(edges, { personalization, tolerance: 1e-10, parallelism: 2, pool });
    for (let v = 0; v < expected.length; v++) expect(actual.values[v]).toBeCloseTo(expected[v], 12);
    const negative = { ...edges, weights: Float64Array.from(weights, (w, e) => (e === 7 ? -w : w)) };
    expect(() => pageRank(negative, { weighted: true })).toThrow(ParamError);
    await expect(
      pageRank({ ...edges, weights: undefined }, { weighted: true, parallelism: 2 }),
    ).rejects.toThrow(/edge weights/);
  });
});

describe('splitByEdges', () => {
  it('cuts vertex ranges of about equal in-edge counts, covering every vertex', () => {
    const offsets = Int32Array.from([0, 10, 10, 11, 12, 20, 40]);
    expect(Array.from(splitByEdges(offsets, 2))).toEqual([0, 5, 6]);
    expect(Array.from(splitByEdges(offsets, 1))).toEqual([0, 6]);
    expect(Array.from(splitByEdges(Int32Array.from([0]), 3))).toEqual([0, 0, 0, 0]);
  });
});
