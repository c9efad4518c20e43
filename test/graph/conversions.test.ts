import { tableFromArrays } from 'apache-arrow';
import { DirectedGraph, MultiDirectedGraph, MultiGraph } from 'graphology';
import { describe, expect, it } from 'vitest';
import { InputError, ParamError } from '../../src/core/errors.js';
import { fromGraphology, graphFromArrow, readGraph, toGraphology } from '../../src/graph/conversions.js';
import { Graph } from '../../src/graph/graph.js';

describe('graph conversions', () => {
  it('reads an edge list into a graph with weights as numeric edge values', async () => {
    const graph = await readGraph(Buffer.from('# demo\na\tb\t2.5\nb\tc\t1\n'));
    expect(graph.getVertexIds()).toEqual(['a', 'b', 'c']);
    expect(Array.from(graph.csr.weights!)).toEqual([2.5, 1]);
  });

  it('builds from Arrow tables with integer or string key columns', () => {
    const numeric = graphFromArrow(
      tableFromArrays({
        source: Int32Array.from([3, 1]),
        target: Int32Array.from([1, 2]),
        weight: Float64Array.from([0.5, 1.5]),
      }),
    );
    expect(numeric.getVertexIds()).toEqual([1, 2, 3]);
    expect(numeric.getEdges()).toEqual([
      { source: 1, target: 2, value: 1.5 },
      { source: 3, target: 1, value: 0.5 },
    ]);
    const strings = graphFromArrow(tableFromArrays({ from: ['x', 'y'], to: ['y', 'z'] }), {
      source: 'from',
      target: 'to',
    });
    expect(strings.getEdgeIds()).toEqual([
      ['x', 'y'],
      ['y', 'z'],
    ]);
    expect(strings.csr.weights).toBeUndefined();
    expect(() => graphFromArrow(tableFromArrays({ a: [1] }), { name: 'edges.arrow' })).toThrow(InputError);
  });

  it('reads graphology graphs: nodes, attributes and undirected edges', () => {
    const source = new MultiGraph();
    source.addNode('a', { rank: 1 });
    source.addNode('b', { rank: 2 });
    source.addNode('lonely', { rank: 3 });
    source.addDirectedEdge('a', 'b', { weight: 4 });
    source.addUndirectedEdge('b', 'a', { weight: 7 });
    const graph = fromGraphology<number, number>(source, { vertexAttribute: 'rank' });
    expect(graph.getVertices()).toEqual([
      { id: 'a', value: 1 },
      { id: 'b', value: 2 },
      { id: 'lonely', value: 3 },
    ]);
    expect(graph.getEdges().map((e) => [e.source, e.target, e.value])).toEqual([
      ['a', 'b', 4],
      ['a', 'b', 7],
      ['b', 'a', 7],
    ]);
    const numbered = new DirectedGraph();
    numbered.mergeEdge('10', '2');
    expect(fromGraphology(numbered, { keys: 'number' }).getVertexIds()).toEqual([2, 10]);
    numbered.addNode('x');
    expect(() => fromGraphology(numbered, { keys: 'number' })).toThrow(ParamError);
  });

  it('writes graphology graphs that read back the same', () => {
    const graph = Graph.fromEdges<string, number, number>(
      [
        ['a', 'b', 1],
        ['a', 'b', 2],
        ['b', 'c', 3],
      ],
      { vertexValue: (key) => key.charCodeAt(0) },
    );
    const target = toGraphology(graph, new MultiDirectedGraph());
    expect(target.order).toBe(3);
    expect(target.size).toBe(3);
    expect(target.getNodeAttribute('b', 'value')).toBe(98);
    const back = fromGraphology<number, number>(target, { vertexAttribute: 'value' });
    expect(back.getVertices()).toEqual(graph.getVertices());
    expect(back.getEdges()).toEqual(graph.getEdges());
  });
});
