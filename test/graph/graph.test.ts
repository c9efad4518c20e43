import { describe, expect, it } from 'vitest';
import { ParamError } from '../../src/core/errors.js';
import { type Edge, EdgeDirection, Graph } from '../../src/graph/graph.js';

/** Gelly's example graph: five vertices with long values, seven weighted edges. */
function gellyExample(): Graph<number, number, number> {
  return Graph.fromEdges<number, number, number>(
    [
      [1, 2, 12],
      [1, 3, 13],
      [2, 3, 23],
      [3, 4, 34],
      [3, 5, 35],
      [4, 5, 45],
      [5, 1, 51],
    ],
    { vertices: [1, 2, 3, 4, 5].map((id) => [id, id] as const) },
  );
}

const edgeTriples = <K, EV>(edges: Edge<K, EV>[]) => edges.map((e) => [e.source, e.target, e.value]);
const sortedTriples = <K, EV>(g: Graph<K & (string | number), unknown, EV>) =>
  edgeTriples(g.getEdges()).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe('Graph construction', () => {
  it('builds from edges with vertex values, numeric values typed', () => {
    const g = gellyExample();
    expect(g.numberOfVertices()).toBe(5);
    expect(g.numberOfEdges()).toBe(7);
    expect(g.hasNumericEdgeValues).toBe(true);
    expect(Array.from(g.csr.weights!)).toEqual([12, 13, 23, 34, 35, 45, 51]);
    expect(Array.from(g.numericVertexValues()!)).toEqual([1, 2, 3, 4, 5]);
    expect(g.vertexValue(4)).toBe(4);
    expect(g.getVertexIds()).toEqual([1, 2, 3, 4, 5]);
    expect(g.getEdgeIds()[0]).toEqual([1, 2]);
    expect(g.validate()).toBe(true);
  });

  it('builds from typed arrays, adding vertices that only edges name, and initialises values', () => {
    const g = Graph.fromArrays(Int32Array.from([10, 20]), Int32Array.from([20, 30]), undefined, {
      vertexValue: (key: number) => key * 2,
    });
    expect(g.getVertices()).toEqual([
      { id: 10, value: 20 },
      { id: 20, value: 40 },
      { id: 30, value: 60 },
    ]);
    expect(g.edgeValueAt(0)).toBeUndefined();
    const strings = Graph.fromEdges([{ source: 'x', target: 'y', value: { label: 'knows' } }], {
      vertices: [{ id: 'z', value: 'isolated' }],
    });
    expect(strings.getVertexIds()).toEqual(['z', 'x', 'y']);
    expect(strings.getEdges()[0].value).toEqual({ label: 'knows' });
    expect(strings.hasNumericEdgeValues).toBe(false);
    expect(() => Graph.fromArrays([1], [2, 3])).toThrow(ParamError);
    expect(() => strings.vertexValue('nope')).toThrow(/"nope"/);
  });

  it('counts degrees in, out and both', () => {
    const g = gellyExample();
    expect([...g.inDegrees()]).toEqual([
      [1, 1],
      [2, 1],
      [3, 2],
      [4, 1],
      [5, 2],
    ]);
    expect(g.outDegrees().get(3)).toBe(2);
    expect(g.getDegrees().get(3)).toBe(4);
    expect(g.getDegrees().get(42)).toBeUndefined();
  });
});

describe('Graph transformations', () => {
  it('maps vertices and edges', () => {
    const g = gellyExample();
    const mapped = g.mapVertices((v) => `v${v.value}`).mapEdges((e) => e.value * 2);
    expect(mapped.vertexValue(2)).toBe('v2');
    expect(mapped.csr.weights![0]).toBe(24);
    const labelled = g.mapEdges((e) => `${e.source}->${e.target}`);
    expect(labelled.csr.weights).toBeUndefined();
    expect(labelled.getEdges()[6].value).toBe('5->1');
  });

  it('filterOnVertices drops the edges whose ends are gone; filterOnEdges keeps every vertex', () => {
    const g = gellyExample();
    const filtered = g.filterOnVertices((v) => v.value !== 3);
    expect(filtered.getVertexIds()).toEqual([1, 2, 4, 5]);
    expect(sortedTriples(filtered)).toEqual([
      [1, 2, 12],
      [4, 5, 45],
      [5, 1, 51],
    ]);
    const heavy = g.filterOnEdges((e) => e.value > 30);
    expect(heavy.numberOfVertices()).toBe(5);
    expect(heavy.numberOfEdges()).toBe(4);
    const sub = g.subgraph(
      (v) => v.value > 2,
      (e) => e.value > 34,
    );
    expect(sortedTriples(sub)).toEqual([
      [3, 5, 35],
      [4, 5, 45],
    ]);
  });

  it('reverses edges and makes them undirected (each edge plus its reverse)', () => {
    const g = gellyExample();
    expect(sortedTriples(g.reverse())[0]).toEqual([1, 5, 51]);
    expect(g.reverse().outDegrees().get(1)).toBe(1);
    const u = g.undirected();
    expect(u.numberOfEdges()).toBe(14);
    expect(u.outDegrees().get(3)).toBe(4);
  });
});

describe('Graph set operations', () => {
  it('union de-duplicates vertices but keeps duplicate edges', () => {
    const g = gellyExample();
    const other = Graph.fromEdges<number, number, number>(
      [
        [1, 2, 12],
        [6, 1, 61],
      ],
      {
        vertices: [
          [1, 100],
          [2, 200],
          [6, 6],
        ],
      },
    );
    const union = g.union(other);
    expect(union.numberOfVertices()).toBe(6);
    expect(union.numberOfEdges()).toBe(9);
    expect(edgeTriples(union.getEdges()).filter(([s, t]) => s === 1 && t === 2)).toHaveLength(2);
    expect(union.vertexValue(1)).toBe(1);
  });

  it('difference removes the other graph’s vertices and their edges', () => {
    const g = gellyExample();
    const other = Graph.fromEdges<number, number, number>([[3, 99, 0]]);
    const difference = g.difference(other);
    expect(difference.getVertexIds()).toEqual([1, 2, 4, 5]);
    expect(difference.numberOfEdges()).toBe(3);
  });

  it('intersect pairs equal edges (source, target and value), distinct or not', () => {
    const first = Graph.fromEdges<number, undefined, number>([
      [1, 2, 1],
      [1, 2, 1],
      [1, 3, 1],
      [2, 3, 1],
    ]);
    const second = Graph.fromEdges<number, undefined, number>([
      [1, 2, 1],
      [1, 2, 1],
      [1, 2, 1],
      [1, 3, 2],
      [4, 5, 1],
    ]);
    const distinct = first.intersect(second, true);
    expect(sortedTriples(distinct)).toEqual([[1, 2, 1]]);
    expect(distinct.getVertexIds()).toEqual([1, 2]);
    // Two pairs of (1, 2, 1); both edges of each pair are kept.
    expect(first.intersect(second, false).numberOfEdges()).toBe(4);
  });
});

describe('Graph joins', () => {
  it('joins vertex values by key, ignoring unknown keys', () => {
    const g = gellyExample().joinWithVertices(
      [
        [2, 10],
        [9, 10],
      ],
      (value, input: number) => value + input,
    );
    expect(Array.from(g.numericVertexValues()!)).toEqual([1, 12, 3, 4, 5]);
  });

  it('joins edge values by (source, target), by source and by target', () => {
    const g = gellyExample();
    const byPair = g.joinWithEdges([[1, 3, 1000] as const], (value, input: number) => value + input);
    expect(byPair.getEdges().find((e) => e.source === 1 && e.target === 3)!.value).toBe(1013);
    const bySource = g.joinWithEdgesOnSource([[3, 0.5]], (value, input: number) => value * input);
    expect(edgeTriples(bySource.getEdges()).filter(([s]) => s === 3)).toEqual([
      [3, 4, 17],
      [3, 5, 17.5],
    ]);
    const byTarget = g.joinWithEdgesOnTarget([[5, -1]], (_value, input: number) => input);
    expect(byTarget.getEdges().filter((e) => e.value === -1)).toHaveLength(2);
  });
});

describe('Graph mutations', () => {
  it('adds vertices (existing keys unchanged) and edges', () => {
    const g = gellyExample();
    const added = g.addVertex(6, 6).addVertex(1, 99);
    expect(added.numberOfVertices()).toBe(6);
    expect(added.vertexValue(1)).toBe(1);
    const withEdge = g.addEdge({ id: 6, value: 6 }, 1, 61);
    expect(withEdge.vertexValue(6)).toBe(6);
    expect(withEdge.numberOfEdges()).toBe(8);
    // addEdges ignores edges with a missing end, as Gelly does.
    const more = g.addEdges([
      [2, 4, 24],
      [2, 7, 27],
    ]);
    expect(more.numberOfEdges()).toBe(8);
    expect(more.numberOfVertices()).toBe(5);
  });

  it('removes vertices with their edges, and edges with all parallel copies', () => {
    const g = gellyExample();
    const removed = g.removeVertex(5);
    expect(removed.numberOfVertices()).toBe(4);
    expect(removed.numberOfEdges()).toBe(4);
    expect(g.removeVertices([1, 2, 42]).numberOfEdges()).toBe(3);
    const parallel = g.addEdges([
      [1, 2, 99],
      [1, 2, 100],
    ]);
    expect(parallel.numberOfEdges()).toBe(9);
    const withoutPair = parallel.removeEdge(1, 2);
    expect(withoutPair.numberOfEdges()).toBe(6);
    expect(withoutPair.numberOfVertices()).toBe(5);
    expect(g.removeEdges([{ source: 3, target: 4, value: 0 }, [4, 5]]).numberOfEdges()).toBe(5);
  });
});

describe('Graph neighbourhoods', () => {
  it('reduces neighbour values and edge values in each direction', () => {
    const g = gellyExample();
    const sum = (a: number, b: number) => a + b;
    expect(g.reduceOnNeighbors(sum, EdgeDirection.OUT).toMap()).toEqual(
      new Map([
        [1, 5],
        [2, 3],
        [3, 9],
        [4, 5],
        [5, 1],
      ]),
    );
    expect(g.reduceOnNeighbors(sum, 'in').get(5)).toBe(7);
    expect(g.reduceOnNeighbors(sum, 'all').get(1)).toBe(10);
    expect(g.reduceOnEdges(Math.min, 'in').get(3)).toBe(13);
    expect(g.reduceOnEdges(Math.max, 'all').get(1)).toBe(51);
    const leaf = Graph.fromEdges<string, number, number>([['a', 'b', 1]], {
      vertices: [
        ['a', 1],
        ['b', 2],
      ],
    });
    const outOnly = leaf.reduceOnNeighbors(sum, 'out');
    expect(outOnly.size).toBe(1);
    expect(outOnly.has('b')).toBe(false);
    expect(() => g.reduceOnEdges(sum, 'both' as 'all')).toThrow(ParamError);
  });

  it('group-reduces neighbourhoods and edges, emitting any number of results', () => {
    const g = gellyExample();
    const pairs = g.groupReduceOnNeighbors<string>((vertex, neighbours, emit) => {
      for (const { edge, neighbor } of neighbours) if (edge.value > 40) emit(`${vertex.id}:${neighbor.id}`);
    }, 'all');
    expect(pairs.sort()).toEqual(['1:5', '4:5', '5:1', '5:4']);
    const counts = g.groupReduceOnEdges<[number, number]>(
      (vertex, edges, emit) => emit([vertex.id, edges.length]),
      'in',
    );
    expect(counts).toEqual([
      [1, 1],
      [2, 1],
      [3, 2],
      [4, 1],
      [5, 2],
    ]);
  });

  it('lists triplets with the values of both ends', () => {
    const triplets = gellyExample()
      .mapVertices((v) => v.value * 10)
      .triplets();
    expect(triplets[2]).toEqual({ source: 2, target: 3, value: 23, sourceValue: 20, targetValue: 30 });
  });
});

describe('Graph checks', () => {
  it('validates structure and a custom validator', () => {
    const g = gellyExample();
    expect(g.validate((graph) => graph.numberOfEdges() === 7)).toBe(true);
    expect(g.validate((graph) => graph.numberOfEdges() === 8)).toBe(false);
    g.csr.targets[0] = 17;
    expect(g.validate()).toBe(false);
  });

  it('simplify drops self-loops and duplicates, optionally making the graph undirected', () => {
    const g = Graph.fromEdges<number, undefined, number>([
      [1, 1, 0],
      [1, 2, 5],
      [1, 2, 6],
      [2, 1, 7],
      [2, 3, 8],
    ]);
    expect(sortedTriples(g.simplify())).toEqual([
      [1, 2, 5],
      [2, 1, 7],
      [2, 3, 8],
    ]);
    expect(sortedTriples(g.simplify({ undirected: true }))).toEqual([
      [1, 2, 5],
      [2, 1, 7],
      [2, 3, 8],
      [3, 2, 8],
    ]);
  });
});
