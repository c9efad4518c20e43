// Expected distances: networkx 2.8 single_source_shortest_path_length / dijkstra
// (test/fixtures/graph/make_references.py).
import { describe, expect, it } from 'vitest';
import { gsaSingleSourceShortestPaths, singleSourceShortestPaths } from '../../../algorithms/graph/sssp.js';
import { type FixtureName, fixtureGraph, references, smallGraph } from './fixtures.js';

function expectDistances(
  actual: Iterable<[string | number, number]>,
  expected: Record<string, number>,
): void {
  for (const [key, distance] of actual) {
    const want = expected[String(key)];
    if (want === undefined) expect(distance).toBe(Number.POSITIVE_INFINITY);
    else expect(distance).toBeCloseTo(want, 9);
  }
}

describe.each<FixtureName>(['lesmis', 'rmat'])('SSSP on %s agrees with networkx', (name) => {
  const { sssp } = references(name);
  const sourceKey = async () =>
    (await fixtureGraph(name)).dictionary.kind === 'number' ? Number(sssp.source) : sssp.source;

  it.each([
    ['scatter-gather', singleSourceShortestPaths],
    ['gather-sum-apply', gsaSingleSourceShortestPaths],
  ] as const)('%s, unit and weighted', async (_, run) => {
    const graph = await fixtureGraph(name);
    const unit = run(graph, await sourceKey());
    expectDistances(unit, sssp.unit);
    expect(unit.converged).toBe(true);
    expectDistances(run(graph, await sourceKey(), { weighted: true }), sssp.weighted);
  });
});

describe('singleSourceShortestPaths', () => {
  it('takes the lightest parallel edge, handles negative weights, reports Infinity', () => {
    const graph = smallGraph(
      [
        [1, 2, 5],
        [1, 2, 2],
        [2, 3, -1],
        [1, 3, 4],
      ],
      [9],
    );
    for (const run of [singleSourceShortestPaths, gsaSingleSourceShortestPaths]) {
      expect([...run(graph, 1, { weighted: true })]).toEqual([
        [1, 0],
        [2, 2],
        [3, 1],
        [9, Number.POSITIVE_INFINITY],
      ]);
    }
  });

  it('rejects a source that is not a vertex', () => {
    expect(() => singleSourceShortestPaths(smallGraph([[1, 2]]), 7)).toThrow(
      /source.*7.*a vertex of the graph/,
    );
  });

  it('reports a negative cycle once the iterations covered every path, else stops not converged', () => {
    const graph = smallGraph([
      [1, 2, 1],
      [2, 1, -3],
      [2, 3, 1],
    ]);
    expect(() => singleSourceShortestPaths(graph, 1, { weighted: true, maxIterations: 10 })).toThrow(
      /after 10 iterations: a cycle of negative length/,
    );
    const result = singleSourceShortestPaths(graph, 1, { weighted: true, maxIterations: 1 });
    expect(result.converged).toBe(false);
    expect(result.iterations).toBe(1);
  });
});

describe('SSSP on a negative cycle', () => {
  const cycle = () =>
    smallGraph([
      [1, 2, 1],
      [2, 3, -3],
      [3, 2, 1],
      [3, 4, 1],
    ]);
  it.each([
    ['scatter-gather', singleSourceShortestPaths],
    ['gather-sum-apply', gsaSingleSourceShortestPaths],
  ] as const)('%s reports it instead of answering', (_name, run) => {
    expect(() => run(cycle(), 1, { weighted: true })).toThrow(
      /did not converge.*cycle of negative length is reachable from the source/,
    );
  });

  it('answers with negative weights but no negative cycle, and when the cycle is not reachable', () => {
    const acyclic = smallGraph([
      [1, 2, 4],
      [1, 3, 1],
      [3, 2, -2],
    ]);
    expect(singleSourceShortestPaths(acyclic, 1, { weighted: true }).values).toEqual(
      Float64Array.of(0, -1, 1),
    );
    expect([...singleSourceShortestPaths(cycle(), 4, { weighted: true }).values]).toEqual([
      Number.POSITIVE_INFINITY,
      Number.POSITIVE_INFINITY,
      Number.POSITIVE_INFINITY,
      0,
    ]);
  });
});
