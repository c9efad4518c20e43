import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  componentsOnThreads,
  connectedComponents,
  gsaConnectedComponents,
} from '../../../algorithms/graph/connected-components.js';
import { WorkerPool } from '../../../src/core/threads/worker-pool.js';
import { buildCsr, type EdgeOffsets } from '../../../src/graph/csr.js';
import { rmatGraph } from '../../../src/graph/generators.js';
import { VertexDictionary } from '../../../src/graph/vertex-dictionary.js';
import { type FixtureName, fixtureGraph } from './fixtures.js';

const pool = new WorkerPool({ size: 2 });
afterAll(() => pool.close());

/**
 * The labels by breadth-first search over the edges in both directions: vertices in ascending
 * id order start the search of their component when not reached yet, so each component is
 * labelled with its smallest id (an oracle independent of union-find).
 */
function searchLabels(n: number, sources: Int32Array, targets: Int32Array): number[] {
  const neighbours: number[][] = Array.from({ length: n }, () => []);
  for (let e = 0; e < sources.length; e++) {
    neighbours[sources[e]].push(targets[e]);
    neighbours[targets[e]].push(sources[e]);
  }
  const labels = new Array<number>(n).fill(-1);
  for (let start = 0; start < n; start++) {
    if (labels[start] !== -1) continue;
    labels[start] = start;
    const queue = [start];
    for (let i = 0; i < queue.length; i++) {
      for (const u of neighbours[queue[i]]) {
        if (labels[u] === -1) {
          labels[u] = start;
          queue.push(u);
        }
      }
    }
  }
  return labels;
}

/** The source of every CSR edge (the CSR keeps targets only). */
function csrSources(offsets: EdgeOffsets): Int32Array {
  const sources = new Int32Array(offsets[offsets.length - 1]);
  for (let v = 0; v + 1 < offsets.length; v++) sources.fill(v, offsets[v], offsets[v + 1]);
  return sources;
}

describe.each<FixtureName>(['lesmis', 'rmat'])('connected components of %s on threads', (name) => {
  it('gives the one-thread labels (and the gather-sum-apply ones) at parallelism 1, 2 and 3', async () => {
    const graph = await fixtureGraph(name);
    const expected = Array.from(connectedComponents(graph).labels);
    expect(Array.from(gsaConnectedComponents(graph).labels)).toEqual(expected);
    const { offsets, targets } = graph.csr;
    expect(expected).toEqual(searchLabels(graph.csr.vertexCount, csrSources(offsets), targets));
    const edges = { dictionary: graph.dictionary, sources: csrSources(offsets), targets };
    for (const parallelism of [1, 2, 3]) {
      for (const input of [graph, edges]) {
        const threaded = await componentsOnThreads(input, { parallelism, pool });
        expect(Array.from(threaded.labels)).toEqual(expected);
        const chosen = await connectedComponents(input, { parallelism, pool });
        expect(Array.from(chosen.labels)).toEqual(expected);
      }
    }
  });
});

describe('connected components on threads', () => {
  it('above the size where edges are linked on workers, the same labels at any parallelism', async () => {
    // 131,072 edges over 8,192 ids: many small components besides the giant one.
    const generated = rmatGraph({ scale: 13, edgeFactor: 16, seed: 11 });
    const graph = {
      dictionary: generated.dictionary,
      csr: buildCsr(generated.dictionary.size, generated.sources, generated.targets).csr,
    };
    const expected = searchLabels(generated.dictionary.size, generated.sources, generated.targets);
    expect(Array.from(connectedComponents(generated).labels)).toEqual(expected);
    expect(Array.from(connectedComponents(graph).labels)).toEqual(expected);
    for (const parallelism of [2, 3]) {
      for (const input of [graph, generated]) {
        const labels = await connectedComponents(input, { parallelism, pool });
        expect(Array.from(labels.labels)).toEqual(expected);
        expect(labels.labels.buffer).toBeInstanceOf(SharedArrayBuffer);
      }
    }
  });

  it('random directed graphs: the smallest id of each weak component at parallelism 1, 2 and 3', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: 60 })
          .chain((n) =>
            fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 120 })),
          ),
        async ([n, pairs]) => {
          const dictionary = VertexDictionary.fromKeys(Array.from({ length: n }, (_, v) => v));
          const sources = Int32Array.from(pairs, ([s]) => s);
          const targets = Int32Array.from(pairs, ([, t]) => t);
          const expected = searchLabels(n, sources, targets);
          const graph = { dictionary, csr: buildCsr(n, sources, targets).csr };
          expect(Array.from(connectedComponents(graph).labels)).toEqual(expected);
          expect(Array.from(connectedComponents({ dictionary, sources, targets }).labels)).toEqual(expected);
          for (const parallelism of [1, 2, 3]) {
            const onGraph = await componentsOnThreads(graph, { parallelism, pool });
            expect(Array.from(onGraph.labels)).toEqual(expected);
            const onEdges = await componentsOnThreads(
              { dictionary, sources, targets },
              { parallelism, pool },
            );
            expect(Array.from(onEdges.labels)).toEqual(expected);
          }
          // Edges beyond what a worker can take (segmentBytes stands in for Node's 4 GiB)
          // are linked through windows of that many bytes: 2 to 5 edges a window.
          for (const segmentBytes of [8, 12, 20]) {
            for (const input of [graph, { dictionary, sources, targets }]) {
              const windowed = await componentsOnThreads(input, { parallelism: 2, pool, segmentBytes });
              expect(Array.from(windowed.labels)).toEqual(expected);
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
