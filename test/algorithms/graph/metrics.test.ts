// Expected degrees and triplets: networkx 2.8 (test/fixtures/graph/make_references.py).
import { describe, expect, it } from 'vitest';
import { connectedComponents } from '../../../algorithms/graph/connected-components.js';
import { edgeMetrics, vertexMetrics } from '../../../algorithms/graph/metrics.js';
import { summarize } from '../../../algorithms/graph/summarization.js';
import { type FixtureName, fixtureGraph, references, smallGraph } from './fixtures.js';

describe.each<FixtureName>(['lesmis', 'rmat'])('metrics of %s agree with networkx', (name) => {
  it('vertex metrics', async () => {
    const expected = references(name);
    const metrics = vertexMetrics(await fixtureGraph(name));
    const outDegrees = Object.values<number>(expected.outDegree);
    const inDegrees = Object.values<number>(expected.inDegree);
    expect(metrics.vertexCount).toBe(expected.vertices);
    expect(metrics.edgeCount).toBe(expected.edges);
    expect(metrics.averageDegree).toBeCloseTo(expected.edges / expected.vertices, 12);
    expect(metrics.maximumOutDegree).toBe(Math.max(...outDegrees));
    expect(metrics.maximumInDegree).toBe(Math.max(...inDegrees));
    expect(metrics.sinkCount).toBe(outDegrees.filter((d) => d === 0).length);
    expect(metrics.sourceCount).toBe(inDegrees.filter((d) => d === 0).length);
    // transitivity = 3 triangles / triplets
    expect((3 * expected.triangleCount) / metrics.tripletCount).toBeCloseTo(expected.globalClustering, 12);
  });
});

describe('edge metrics and summarization', () => {
  it('count self-loops, parallel edges and reciprocated pairs', () => {
    const graph = smallGraph([
      [1, 2, 1],
      [2, 1, 2],
      [1, 2, 3],
      [2, 3, 4],
      [3, 3, 5],
      [3, 3, 6],
    ]);
    expect(edgeMetrics(graph)).toEqual({
      edgeCount: 6,
      selfLoopCount: 2,
      parallelEdgeCount: 2,
      distinctEdgeCount: 3,
      bidirectionalPairCount: 1,
      unidirectionalPairCount: 1,
      weights: { minimum: 1, maximum: 6, mean: 3.5, total: 21 },
    });
    const metrics = vertexMetrics(graph);
    expect(metrics.maximumDegree).toBe(5);
    expect(metrics.tripletCount).toBe(1);
  });

  it('summarize groups by value and counts edges between groups', () => {
    const graph = smallGraph([
      [1, 2],
      [2, 1],
      [3, 4],
      [2, 2],
    ]);
    const summary = summarize(graph, connectedComponents(graph).values);
    expect(summary.vertices).toEqual([
      { representative: 1, value: 1, count: 2 },
      { representative: 3, value: 3, count: 2 },
    ]);
    expect(summary.edges).toEqual([
      { source: 1, target: 1, count: 3 },
      { source: 3, target: 3, count: 1 },
    ]);
    expect(() => summarize(graph, [1])).toThrow(/one per vertex/);
  });
});
