// Expected components: networkx 2.8 strongly_connected_components
// (test/fixtures/graph/make_references.py); on random graphs, a reachability reference below.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stronglyConnectedComponents } from '../../../algorithms/graph/strongly-connected/index.js';
import { ParamError } from '../../../src/core/errors.js';
import { buildCsr } from '../../../src/graph/csr.js';
import { rmatGraph } from '../../../src/graph/generators.js';
import { VertexDictionary } from '../../../src/graph/vertex-dictionary.js';
import { type FixtureName, fixtureGraph, references } from './fixtures.js';

/** Labels by definition: v and w share a component when each reaches the other; smallest id. */
function reachabilityLabels(n: number, sources: Int32Array, targets: Int32Array): number[] {
  const out: number[][] = Array.from({ length: n }, () => []);
  for (let e = 0; e < sources.length; e++) out[sources[e]].push(targets[e]);
  const reach = Array.from({ length: n }, (_, start) => {
    const seen = new Uint8Array(n);
    const stack = [start];
    seen[start] = 1;
    while (stack.length > 0) {
      for (const w of out[stack.pop()!]) {
        if (seen[w] === 0) {
          seen[w] = 1;
          stack.push(w);
        }
      }
    }
    return seen;
  });
  return Array.from({ length: n }, (_, v) => {
    let w = 0;
    while (!(reach[v][w] === 1 && reach[w][v] === 1)) w++;
    return w;
  });
}

function graphOf(n: number, sources: Int32Array, targets: Int32Array) {
  const dictionary = VertexDictionary.fromKeys<number>(Array.from({ length: n }, (_, v) => v));
  return { dictionary, csr: buildCsr(n, sources, targets).csr };
}

describe('strongly connected components by colouring on the iteration models', () => {
  it.each<FixtureName>(['lesmis', 'rmat'])(
    "give Tarjan's labels and networkx's partition on %s",
    async (name) => {
      const graph = await fixtureGraph(name);
      const coloured = stronglyConnectedComponents(graph, { method: 'coloring' });
      expect(Array.from(coloured.labels)).toEqual(Array.from(stronglyConnectedComponents(graph).labels));
      expect(coloured.labelCount).toBe(references(name).stronglyConnectedComponents.length);
    },
  );

  it('give the reachability labels on random graphs, as Tarjan does', () => {
    const edges = (n: number) => fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 3 * n });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 24 }).chain((n) => fc.tuple(fc.constant(n), edges(n))),
        ([n, list]) => {
          const sources = Int32Array.from(list, ([source]) => source);
          const targets = Int32Array.from(list, ([, target]) => target);
          const expected = reachabilityLabels(n, sources, targets);
          const graph = graphOf(n, sources, targets);
          expect(Array.from(stronglyConnectedComponents(graph, { method: 'coloring' }).labels)).toEqual(
            expected,
          );
          expect(Array.from(stronglyConnectedComponents(graph).labels)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('report the vertices labelled after each round, up to all of them', () => {
    const generated = rmatGraph({ scale: 12, edgeFactor: 4, seed: 4 });
    const graph = graphOf(generated.dictionary.size, generated.sources, generated.targets);
    const counts: number[] = [];
    let finished = 0;
    const progress = { enabled: true, update: (done: number) => counts.push(done), finish: () => finished++ };
    const labels = stronglyConnectedComponents(graph, { method: 'coloring', progress });
    expect(Array.from(labels.labels)).toEqual(Array.from(stronglyConnectedComponents(graph).labels));
    expect(counts.length).toBeGreaterThan(1);
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThanOrEqual(counts[i - 1]);
    expect(counts.at(-1)).toBe(graph.csr.vertexCount);
    expect(finished).toBe(1);
  });

  it('refuse an unknown method', async () => {
    const graph = await fixtureGraph('lesmis');
    expect(() => stronglyConnectedComponents(graph, { method: 'kosaraju' as 'tarjan' })).toThrow(ParamError);
  });
});
