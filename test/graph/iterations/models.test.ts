import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readGraph } from '../../../src/graph/conversions.js';
import type { Graph } from '../../../src/graph/graph.js';
import {
  componentsGatherSumApply,
  componentsScatterGather,
  componentsVertexCentric,
  type NumberGraph,
  pageRankGatherSumApply,
  pageRankScatterGather,
  pageRankVertexCentric,
  ssspGatherSumApply,
  ssspScatterGather,
  ssspVertexCentric,
} from './algorithms.js';

// Expected values come from networkx (test/fixtures/graph/make-iteration-fixture.py).
const fixtures = join(import.meta.dirname, '../../fixtures/graph');
const expected = JSON.parse(readFileSync(join(fixtures, 'iteration-fixture.json'), 'utf8')) as {
  source: number;
  distances: Record<string, number>;
  components: Record<string, number>;
  pagerank: Record<string, number>;
  symmetricPagerank: Record<string, number>;
};

let graph: NumberGraph;
let symmetric: NumberGraph;

beforeAll(async () => {
  graph = (await readGraph(join(fixtures, 'iteration-fixture.tsv'))) as NumberGraph;
  symmetric = graph.simplify({ undirected: true }).mapEdges(() => undefined) as NumberGraph;
});

function valuesByKey(result: { graph: Graph<number, number, unknown> }): Map<number, number> {
  const values = result.graph.numericVertexValues()!;
  return new Map(result.graph.getVertexIds().map((key, id) => [key, values[id]]));
}

const models = [
  { name: 'vertex-centric', sssp: ssspVertexCentric, components: componentsVertexCentric },
  { name: 'scatter-gather', sssp: ssspScatterGather, components: componentsScatterGather },
  { name: 'gather-sum-apply', sssp: ssspGatherSumApply, components: componentsGatherSumApply },
];

describe.each(models)('$name iteration', ({ sssp, components }) => {
  it('computes shortest paths equal to networkx (unreachable: Infinity)', () => {
    const result = sssp(graph, expected.source);
    expect(result.converged).toBe(true);
    for (const [key, distance] of valuesByKey(result)) {
      expect(distance).toBe(expected.distances[key] ?? Number.POSITIVE_INFINITY);
    }
  });

  it('labels weakly connected components by their smallest key, like networkx', () => {
    const result = components(graph);
    expect(result.converged).toBe(true);
    for (const [key, label] of valuesByKey(result)) expect(label).toBe(expected.components[key]);
  });

  it('gives identical answers on the typed fast path and the general path', () => {
    for (const run of [
      (extra: object) => sssp(graph, expected.source, extra),
      (extra: object) => components(graph, extra),
    ]) {
      const fast = run({});
      const general = run({ execution: 'general' });
      expect(general.graph.numericVertexValues()).toEqual(fast.graph.numericVertexValues());
      expect(general.iterations).toBe(fast.iterations);
    }
  });
});

describe('PageRank on each model', () => {
  it('vertex-centric with a dangling-rank aggregator matches networkx', () => {
    const result = pageRankVertexCentric(graph, 120);
    const ranks = valuesByKey(result);
    let total = 0;
    for (const [key, rank] of ranks) {
      expect(rank).toBeCloseTo(expected.pagerank[key], 10);
      total += rank;
    }
    expect(total).toBeCloseTo(1, 12);
    const general = pageRankVertexCentric(graph, 120, { execution: 'general' });
    expect(general.graph.numericVertexValues()).toEqual(result.graph.numericVertexValues());
  });

  it.each([
    ['scatter-gather', pageRankScatterGather],
    ['gather-sum-apply', pageRankGatherSumApply],
  ] as const)(
    '%s matches networkx on the symmetric graph, fast and general paths equal',
    (_name, pageRank) => {
      const result = pageRank(symmetric, 45);
      // Every vertex still changes at superstep 45, so every vertex stays active throughout.
      expect(result.converged).toBe(false);
      for (const [key, rank] of valuesByKey(result))
        expect(rank).toBeCloseTo(expected.symmetricPagerank[key], 9);
      const general = pageRank(symmetric, 45, { execution: 'general' });
      expect(general.graph.numericVertexValues()).toEqual(result.graph.numericVertexValues());
    },
  );
});
