// The clustering and similarity kernels (degree-ordered triangle credits, wedge walks with the
// Jaccard degree window) against direct definitions on random small multigraphs, and the same
// bits at parallelism 1, 2 and 3 through the core driver. The networkx comparisons are in
// triangles.test.ts and similarity.test.ts.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { clusteringCoefficients } from '../../../algorithms/graph/clustering-coefficient.js';
import type { GraphIndex } from '../../../algorithms/graph/graph-index.js';
import { adamicAdar, jaccardIndex, type PairScores } from '../../../algorithms/graph/similarity.js';
import { creditTrianglesChunk } from '../../../algorithms/graph/triangle-kernels.js';
import type { Progress } from '../../../src/core/progress.js';
import { WorkerPool } from '../../../src/core/threads/worker-pool.js';
import { buildCsr } from '../../../src/graph/csr.js';
import { VertexDictionary } from '../../../src/graph/vertex-dictionary.js';
import { fixtureGraph } from './fixtures.js';

const pool = new WorkerPool({ size: 2 });
afterAll(() => pool.close());

/** A directed multigraph over ids 0 .. n - 1 (self-loops and repeated edges included). */
function graphOf(n: number, edges: [number, number][]): GraphIndex<number> {
  const dictionary = VertexDictionary.fromKeys(Array.from({ length: n }, (_, v) => v));
  const sources = Int32Array.from(edges, ([s]) => s);
  const targets = Int32Array.from(edges, ([, t]) => t);
  return { dictionary, csr: buildCsr(n, sources, targets).csr };
}

/** Neighbour sets of the undirected simple view, straight from the edge list. */
function neighbourSets(n: number, edges: [number, number][]): Set<number>[] {
  const sets = Array.from({ length: n }, () => new Set<number>());
  for (const [s, t] of edges) {
    if (s === t) continue;
    sets[s].add(t);
    sets[t].add(s);
  }
  return sets;
}

/** Sorted ids of the shared neighbours of u and v. */
function sharedOf(sets: Set<number>[], u: number, v: number): number[] {
  return [...sets[u]].filter((w) => sets[v].has(w)).sort((a, b) => a - b);
}

const multigraphs = fc
  .integer({ min: 1, max: 14 })
  .chain((n) =>
    fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 60 })),
  );

/** Minimum scores: none, exact boundaries of small fractions, and arbitrary ones. */
const minimums = fc.oneof(
  fc.constant(0),
  fc.constantFrom(1 / 2, 1 / 3, 2 / 3, 1, 1 / Math.log(2), 2 / Math.log(3)),
  fc.double({ min: 0, max: 3, noNaN: true }),
);

function triples(pairs: PairScores<number>): [number, number, number][] {
  return [...pairs];
}

describe('clustering coefficients from the oriented triangle credits', () => {
  it('equal the definition on random multigraphs', () => {
    fc.assert(
      fc.property(multigraphs, ([n, edges]) => {
        const sets = neighbourSets(n, edges);
        const triangles = new Array<number>(n).fill(0);
        for (let a = 0; a < n; a++)
          for (const b of sets[a])
            for (const c of sets[b])
              if (a < b && b < c && sets[a].has(c)) {
                triangles[a]++;
                triangles[b]++;
                triangles[c]++;
              }
        const result = clusteringCoefficients(graphOf(n, edges));
        const expected = sets.map((set, v) => {
          const pairs = (set.size * (set.size - 1)) / 2;
          return pairs > 0 ? triangles[v] / pairs : 0;
        });
        expect(Array.from(result.local.values)).toEqual(expected);
        expect(result.triangleCount).toBe(triangles.reduce((a, b) => a + b, 0) / 3);
      }),
    );
  });

  it('carry a vertex count past 2^32 into the high word', () => {
    // One triangle 0-1-2: offsets and forward lists of its orientation (0→1, 0→2, 1→2).
    const offsets = Int32Array.of(0, 2, 3, 3);
    const forward = Int32Array.of(1, 2, 2);
    const low = Uint32Array.of(2 ** 32 - 1, 5, 2 ** 32 - 1);
    const high = Uint32Array.of(0, 0, 7);
    const done = new Int32Array(1);
    expect(creditTrianglesChunk(offsets, forward, Int32Array.of(0, 3), low, high, done, 0)).toBe(1);
    expect(Array.from(low)).toEqual([0, 6, 0]);
    expect(Array.from(high)).toEqual([1, 0, 8]);
    expect(done[0]).toBe(3);
  });
});

describe('Jaccard and Adamic-Adar from the wedge walks', () => {
  it('equal the definitions over every pair on random multigraphs', () => {
    fc.assert(
      fc.property(multigraphs, minimums, ([n, edges], minimum) => {
        const sets = neighbourSets(n, edges);
        const jaccard: [number, number, number][] = [];
        const adamic: [number, number, number][] = [];
        for (let u = 0; u < n; u++) {
          for (let v = u + 1; v < n; v++) {
            const common = sharedOf(sets, u, v);
            if (common.length === 0) continue;
            const union = sets[u].size + sets[v].size - common.length;
            if (common.length / union >= minimum) jaccard.push([u, v, common.length / union]);
            // Summed in increasing w, as the kernel does.
            let score = 0;
            for (const w of common) score += 1 / Math.log(sets[w].size);
            if (score >= minimum) adamic.push([u, v, score]);
          }
        }
        const graph = graphOf(n, edges);
        expect(triples(jaccardIndex(graph, { minimumScore: minimum }))).toEqual(jaccard);
        expect(triples(adamicAdar(graph, { minimumScore: minimum }))).toEqual(adamic);
      }),
    );
  });
});

describe('the same bits at parallelism 1, 2 and 3', () => {
  const bytes = (array: ArrayBufferView) => Buffer.from(array.buffer, array.byteOffset, array.byteLength);

  it('clustering coefficients', async () => {
    const graph = await fixtureGraph('rmat');
    const here = clusteringCoefficients(graph);
    for (const parallelism of [1, 2, 3]) {
      const counts: number[] = [];
      const progress: Progress = { enabled: true, update: (done) => void counts.push(done), finish() {} };
      const threads = await clusteringCoefficients(graph, { parallelism, pool, progress });
      expect(bytes(threads.local.values).equals(bytes(here.local.values))).toBe(true);
      expect([threads.average, threads.global, threads.triangleCount]).toEqual([
        here.average,
        here.global,
        here.triangleCount,
      ]);
      // Vertices done, never going back, ending at all of them.
      expect(counts.at(-1)).toBe(graph.csr.vertexCount);
      for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThanOrEqual(counts[i - 1]);
    }
  });

  it.each([
    ['jaccard', jaccardIndex, [0, 0.25]],
    ['adamicAdar', adamicAdar, [0, 3]],
  ] as const)('%s', async (_name, score, minimumScores) => {
    const graph = await fixtureGraph('rmat');
    for (const minimumScore of minimumScores) {
      const here = score(graph, { minimumScore });
      expect(here.size).toBeGreaterThan(0);
      for (const parallelism of [1, 2, 3]) {
        const threads = await score(graph, { minimumScore, parallelism, pool });
        expect(bytes(threads.first).equals(bytes(here.first))).toBe(true);
        expect(bytes(threads.second).equals(bytes(here.second))).toBe(true);
        expect(bytes(threads.scores).equals(bytes(here.scores))).toBe(true);
      }
    }
  });
});
