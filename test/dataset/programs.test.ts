/**
 * Flink's canonical DataSet programs, written with eddy's API and checked against
 * independent references: ml-kmeans (k-means), graphology-metrics (PageRank), and small
 * textbook algorithms written out here (union-find, Floyd-Warshall reachability).
 */
import { createRequire } from 'node:module';
import type { AbstractGraph } from 'graphology-types';
import { kmeans } from 'ml-kmeans';
import { describe, expect, it } from 'vitest';
import { DenseMatrix } from '../../src/core/matrix.js';
import { random } from '../../src/core/random.js';
import {
  type DataSet,
  env,
  type MatrixChunk,
  minAggregator,
  sumAggregator,
} from '../../src/dataset/index.js';

// graphology ships CommonJS whose default-export typings do not resolve under NodeNext.
const require = createRequire(import.meta.url);
const { DirectedGraph } = require('graphology') as { DirectedGraph: new () => AbstractGraph };
const pagerank = require('graphology-metrics/centrality/pagerank.js') as (
  graph: AbstractGraph,
  options: { alpha: number; tolerance: number; maxIterations: number; getEdgeWeight: null },
) => Record<string, number>;

describe('WordCount', () => {
  const text = [
    'To be, or not to be, that is the question:',
    "Whether 'tis nobler in the mind to suffer",
    'The slings and arrows of outrageous fortune,',
    'Or to take arms against a sea of troubles',
  ];
  function expected(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const word of text.join(' ').toLowerCase().split(/\W+/).filter(Boolean)) {
      counts.set(word, (counts.get(word) ?? 0) + 1);
    }
    return counts;
  }

  for (const parallelism of [1, 3]) {
    it(`counts words with flatMap + groupBy + sum at parallelism ${parallelism}`, async () => {
      const counts = await env({ parallelism })
        .fromCollection(text)
        .flatMap((line: string) =>
          line
            .toLowerCase()
            .split(/\W+/)
            .filter(Boolean)
            .map((word) => ({ word, count: 1 })),
        )
        .groupBy('word')
        .sum('count')
        .collect();
      expect(new Map(counts.map(({ word, count }) => [word, count]))).toEqual(expected());
      expect(counts).toHaveLength(expected().size);
    });
  }
});

describe('k-means as a bulk iteration with broadcast centroids', () => {
  // Three well separated blobs in 2-d, so Lloyd's iterations converge to one fixed point.
  const rng = random(11);
  const centres = [
    [0, 0],
    [10, 10],
    [-10, 8],
  ];
  const points = Array.from({ length: 300 }, (_, i) => {
    const [cx, cy] = centres[i % 3];
    return [cx + rng.normal(), cy + rng.normal()];
  });
  const initial = [points[0], points[1], points[2]];
  const reference = kmeans(points, 3, { initialization: initial, maxIterations: 100, tolerance: 0 });

  function nearest(
    point: readonly number[],
    centroids: readonly { id: number; x: number; y: number }[],
  ): number {
    let best = 0;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (const c of centroids) {
      const distance = (point[0] - c.x) ** 2 + (point[1] - c.y) ** 2;
      if (distance < bestDistance) {
        bestDistance = distance;
        best = c.id;
      }
    }
    return best;
  }

  it('per-record program (Flink example) matches ml-kmeans', async () => {
    const environment = env({ parallelism: 3 });
    const pointSet = environment.fromCollection(points);
    const iteration = environment.fromCollection(initial.map(([x, y], id) => ({ id, x, y }))).iterate(30);
    const next = pointSet
      .map((point: number[], context) => ({
        id: nearest(point, context.broadcast('centroids')),
        x: point[0],
        y: point[1],
        count: 1,
      }))
      .withBroadcastSet(iteration, 'centroids')
      .groupBy('id')
      .reduce((a, b) => ({ id: a.id, x: a.x + b.x, y: a.y + b.y, count: a.count + b.count }))
      .map(({ id, x, y, count }) => ({ id, x: x / count, y: y / count }));
    const result = (await iteration.closeWith(next).collect()).sort((a, b) => a.id - b.id);
    result.forEach((centroid, j) => {
      expect(centroid.x).toBeCloseTo(reference.centroids[j][0], 9);
      expect(centroid.y).toBeCloseTo(reference.centroids[j][1], 9);
    });
  });

  it('chunked program (mapPartition over row chunks + reduce) gives the same centroids', async () => {
    const environment = env({ parallelism: 2 });
    const matrix = DenseMatrix.fromRows(points);
    const chunks = environment.fromMatrix(matrix, { chunkRows: 64 });
    const iteration = environment.fromCollection([Float64Array.from(initial.flat())]).iterate(30);
    const sums = chunks
      .mapPartition((parts: readonly MatrixChunk[], context) => {
        const centroids = context.broadcast<Float64Array>('centroids')[0];
        const partial = new Float64Array(9); // per cluster: sum x, sum y, count
        for (const chunk of parts) {
          for (let i = 0; i < chunk.rows; i++) {
            const x = chunk.data[2 * i];
            const y = chunk.data[2 * i + 1];
            let best = 0;
            let bestDistance = Number.POSITIVE_INFINITY;
            for (let j = 0; j < 3; j++) {
              const distance = (x - centroids[2 * j]) ** 2 + (y - centroids[2 * j + 1]) ** 2;
              if (distance < bestDistance) {
                bestDistance = distance;
                best = j;
              }
            }
            partial[3 * best] += x;
            partial[3 * best + 1] += y;
            partial[3 * best + 2] += 1;
          }
        }
        return [partial];
      })
      .withBroadcastSet(iteration, 'centroids')
      .reduce((a, b) => a.map((value, i) => value + b[i]));
    const next = sums.map((s) =>
      Float64Array.from([0, 1, 2].flatMap((j) => [s[3 * j] / s[3 * j + 2], s[3 * j + 1] / s[3 * j + 2]])),
    );
    const [result] = await iteration.closeWith(next).collect();
    for (let j = 0; j < 3; j++) {
      expect(result[2 * j]).toBeCloseTo(reference.centroids[j][0], 9);
      expect(result[2 * j + 1]).toBeCloseTo(reference.centroids[j][1], 9);
    }
  });
});

/** Components by union-find: the smallest vertex id of each component. */
function unionFindComponents(vertices: number[], edges: [number, number][]): Map<number, number> {
  const parent = new Map(vertices.map((v) => [v, v]));
  const find = (v: number): number => {
    while (parent.get(v) !== v) v = parent.get(v)!;
    return v;
  };
  for (const [a, b] of edges) {
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent.set(Math.max(ra, rb), Math.min(ra, rb));
  }
  return new Map(vertices.map((v) => [v, find(v)]));
}

function connectedComponents(
  vertexSet: DataSet<number>,
  edgeSet: DataSet<[number, number]>,
  maxIterations: number,
): DataSet<[number, number]> {
  const undirected = edgeSet.flatMap(([a, b]: [number, number]) => [
    [a, b] as [number, number],
    [b, a] as [number, number],
  ]);
  const initial = vertexSet.map((v): [number, number] => [v, v]);
  const iteration = initial.iterateDelta(initial, maxIterations, 0, { name: 'components' });
  const changes = iteration.workset
    .join(undirected)
    .where(0)
    .equalTo(0)
    .with(([, component], [, target]): [number, number] => [target, component])
    .groupBy(0)
    .min(1)
    .join(iteration.solutionSet)
    .where(0)
    .equalTo(0)
    .filter(([candidate, current]) => candidate[1] < current[1])
    .map(([candidate]) => candidate);
  return iteration.closeWith(changes, changes);
}

describe('connected components as a delta iteration', () => {
  const vertices = Array.from({ length: 40 }, (_, i) => i + 1);
  const rng = random(5);
  const edges: [number, number][] = Array.from({ length: 30 }, () => [
    rng.integer(1, 41),
    rng.integer(1, 41),
  ]);

  for (const parallelism of [1, 4]) {
    it(`matches union-find at parallelism ${parallelism} and stops on an empty workset`, async () => {
      const environment = env({ parallelism });
      const result = await connectedComponents(
        environment.fromCollection(vertices),
        environment.fromCollection(edges),
        100,
      ).collect();
      expect(new Map(result)).toEqual(unionFindComponents(vertices, edges));
      expect(result).toHaveLength(vertices.length);
      const [report] = environment.lastJob!.iterations;
      expect(report.stoppedBy).toBe('emptyWorkset');
      expect(report.supersteps).toBeLessThan(100);
    });
  }

  it('a chain needs one superstep per hop; maxIterations cuts it short', async () => {
    const environment = env({ parallelism: 2 });
    const chain: [number, number][] = [
      [1, 2],
      [2, 3],
      [3, 4],
      [4, 5],
    ];
    const full = await connectedComponents(
      environment.fromCollection([1, 2, 3, 4, 5]),
      environment.fromCollection(chain),
      10,
    ).collect();
    expect(new Map(full)).toEqual(new Map([1, 2, 3, 4, 5].map((v) => [v, 1])));
    const cut = await connectedComponents(
      environment.fromCollection([1, 2, 3, 4, 5]),
      environment.fromCollection(chain),
      2,
    ).collect();
    expect(new Map(cut)).toEqual(
      new Map([
        [1, 1],
        [2, 1],
        [3, 1],
        [4, 2],
        [5, 3],
      ]),
    );
    expect(environment.lastJob!.iterations[0]).toMatchObject({ supersteps: 2, stoppedBy: 'maxIterations' });
  });
});

describe('transitive closure with a termination criterion', () => {
  const edges: [number, number][] = [
    [1, 2],
    [2, 3],
    [3, 4],
    [4, 5],
    [5, 6],
    [6, 7],
    [7, 8],
    [2, 9],
    [10, 11],
  ];

  function reachability(): Set<string> {
    const nodes = [...new Set(edges.flat())];
    const reach = new Set(edges.map(([a, b]) => `${a}->${b}`));
    for (const k of nodes)
      for (const i of nodes)
        for (const j of nodes) {
          if (reach.has(`${i}->${k}`) && reach.has(`${k}->${j}`)) reach.add(`${i}->${j}`);
        }
    return reach;
  }

  it('stops when no new paths appear, before maxIterations', async () => {
    const environment = env({ parallelism: 3 });
    const edgeSet = environment.fromCollection(edges);
    const key = (path: [number, number]) => `${path[0]}->${path[1]}`;
    const paths = edgeSet.iterate(50, { name: 'closure' });
    const nextPaths = paths
      .join(edgeSet)
      .where(1)
      .equalTo(0)
      .with(([from], [, to]): [number, number] => [from, to])
      .union(paths)
      .distinct(key);
    const newPaths = nextPaths
      .coGroup(paths)
      .where(key)
      .equalTo(key)
      .with((next, previous) => (previous.length === 0 ? next : []));
    const closure = await paths.closeWith(nextPaths, newPaths).collect();
    expect(new Set(closure.map(key))).toEqual(reachability());
    expect(closure).toHaveLength(reachability().size);
    const [report] = environment.lastJob!.iterations;
    expect(report.stoppedBy).toBe('terminationCriterion');
    // The longest path has 7 hops: paths double in length each superstep (plus one to see no change).
    expect(report.supersteps).toBeLessThanOrEqual(7);
  });
});

describe('PageRank as a bulk iteration with an L1 convergence aggregator', () => {
  const rng = random(3);
  const n = 30;
  const links: [number, number][] = [];
  for (let i = 0; i < 90; i++) {
    const from = rng.integer(0, n);
    const to = rng.integer(0, n);
    if (from !== to && !links.some(([a, b]) => a === from && b === to) && from < 27) links.push([from, to]);
  }
  // Vertices 27..29 have no out-links (dangling): their rank is spread over every vertex.
  const damping = 0.85;
  const tolerance = 1e-12;

  function reference(): Map<number, number> {
    const graph = new DirectedGraph();
    for (let v = 0; v < n; v++) graph.addNode(String(v));
    for (const [a, b] of links) graph.addEdge(String(a), String(b));
    const scores = pagerank(graph, { alpha: damping, tolerance, maxIterations: 1000, getEdgeWeight: null });
    return new Map(Object.entries(scores).map(([key, value]) => [Number(key), value]));
  }

  for (const parallelism of [1, 4]) {
    it(`matches graphology's PageRank at parallelism ${parallelism}`, async () => {
      const environment = env({ parallelism });
      const pages = environment.generateSequence(0, n - 1);
      const adjacency = environment
        .fromCollection(links)
        .groupBy(0)
        .reduceGroup((group) => [[group[0][0], group.map(([, to]) => to)] as [number, number[]]]);
      const ranks = pages.map((page): [number, number] => [page, 1 / n]).iterate(1000, { name: 'pagerank' });
      ranks.registerConvergenceCriterion('l1', sumAggregator(), (change) => change < n * tolerance);
      const dangling = ranks
        .leftOuterJoin(adjacency)
        .where(0)
        .equalTo(0)
        .filter(([, out]) => out === null)
        .map(([[, rank]]) => rank)
        .reduce((a, b) => a + b);
      const contributions = ranks
        .join(adjacency)
        .where(0)
        .equalTo(0)
        .flatMap(([[, rank], [, targets]]) =>
          targets.map((to): [number, number] => [to, rank / targets.length]),
        );
      const next = ranks
        .coGroup(contributions)
        .where(0)
        .equalTo(0)
        .with(([[page, old]], incoming, context) => {
          const danglingMass = context.broadcast<number>('dangling')[0] ?? 0;
          let sum = 0;
          for (const [, share] of incoming) sum += share;
          const rank = (1 - damping) / n + damping * (sum + danglingMass / n);
          context.aggregate('l1', Math.abs(rank - old));
          return [[page, rank] as [number, number]];
        })
        .withBroadcastSet(dangling, 'dangling');
      const result = new Map(await ranks.closeWith(next).collect());
      const expected = reference();
      for (let v = 0; v < n; v++) expect(result.get(v)).toBeCloseTo(expected.get(v)!, 9);
      const [report] = environment.lastJob!.iterations;
      expect(report.stoppedBy).toBe('convergence');
      expect(report.supersteps).toBeLessThan(1000);
    });
  }
});

describe('aggregators across supersteps', () => {
  it('previousAggregate reads the value the last superstep reached', async () => {
    const environment = env({ parallelism: 2 });
    const seen = new Map<number, number | undefined>();
    const iteration = environment.fromCollection([1, 2, 3]).iterate(3);
    iteration.registerAggregator('smallest', minAggregator());
    const next = iteration.map((value, context) => {
      context.aggregate('smallest', value);
      seen.set(context.superstep, context.previousAggregate<number>('smallest'));
      return value * 2;
    });
    expect(await iteration.closeWith(next).collect()).toEqual([8, 16, 24]);
    expect([...seen]).toEqual([
      [1, undefined],
      [2, 1],
      [3, 2],
    ]);
  });
});
