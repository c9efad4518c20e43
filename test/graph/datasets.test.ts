import { describe, expect, it } from 'vitest';
import { env } from '../../src/dataset/environment.js';
import { edgesAsDataSet, graphFromDataSets, verticesAsDataSet } from '../../src/graph/datasets.js';
import { Graph } from '../../src/graph/graph.js';

describe('graphs and DataSets', () => {
  const environment = env({ parallelism: 2, workers: false });
  const graph = Graph.fromEdges(
    [
      ['a', 'b', 1],
      ['b', 'c', 2],
      ['c', 'a', 3],
      ['a', 'c', 4],
    ],
    { vertexValue: (key: string) => key.toUpperCase() },
  );

  it('exposes vertices and edges as DataSets that DataSet operators apply to', async () => {
    const vertices = await verticesAsDataSet(graph, environment)
      .map((vertex) => `${vertex.id}=${vertex.value}`)
      .collect();
    expect(vertices.sort()).toEqual(['a=A', 'b=B', 'c=C']);
    const outWeight = await edgesAsDataSet(graph, environment)
      .map((edge) => ({ source: edge.source, weight: edge.value as number }))
      .groupBy((edge) => edge.source)
      .reduce((x, y) => ({ source: x.source, weight: x.weight + y.weight }))
      .collect();
    expect(outWeight.sort((x, y) => x.source.localeCompare(y.source))).toEqual([
      { source: 'a', weight: 5 },
      { source: 'b', weight: 2 },
      { source: 'c', weight: 3 },
    ]);
  });

  it('builds a graph from the DataSets a program produced', async () => {
    const edges = environment
      .fromCollection([1, 2, 3])
      .map((i): [number, number, number] => [i, (i % 3) + 1, i * 10]);
    const vertices = environment.fromCollection([1, 2, 3, 4]).map((i): [number, string] => [i, `v${i}`]);
    const built = await graphFromDataSets(edges, vertices);
    expect(built.numberOfVertices()).toBe(4);
    expect(built.numberOfEdges()).toBe(3);
    expect(built.vertexValue(4)).toBe('v4');
    expect(built.getEdges().map((edge) => [edge.source, edge.target, edge.value])).toEqual(
      expect.arrayContaining([
        [1, 2, 10],
        [2, 3, 20],
        [3, 1, 30],
      ]),
    );
    const round = await graphFromDataSets(
      edgesAsDataSet(graph, environment),
      verticesAsDataSet(graph, environment),
    );
    expect(round.getEdges()).toEqual(expect.arrayContaining(graph.getEdges()));
    expect(round.numberOfEdges()).toBe(graph.numberOfEdges());
  });
});
