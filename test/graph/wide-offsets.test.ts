// Graphs of 2^31 edges and more hold their offsets and positions in uint32 arrays. The choice
// of type is tested on edge counts alone, and the uint32 layout is run through the algorithms
// on a small graph by lowering the limit (int32EdgeLimit), as the 4 GiB segment tests lower
// segmentBytes, so that no test allocates 2^31 edges.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clusteringCoefficients } from '../../algorithms/graph/clustering-coefficient.js';
import { connectedComponents } from '../../algorithms/graph/connected-components.js';
import type { GraphIndex } from '../../algorithms/graph/graph-index.js';
import { hits } from '../../algorithms/graph/hits/index.js';
import { edgeMetrics, vertexMetrics } from '../../algorithms/graph/metrics.js';
import { pageRank } from '../../algorithms/graph/pagerank/pagerank.js';
import { adamicAdar, jaccardIndex, type PairScores } from '../../algorithms/graph/similarity.js';
import { singleSourceShortestPaths } from '../../algorithms/graph/sssp.js';
import { stronglyConnectedComponents } from '../../algorithms/graph/strongly-connected/index.js';
import { countTriangles, orientedAdjacency, triangles } from '../../algorithms/graph/triangles.js';
import { undirectedAdjacency } from '../../algorithms/graph/undirected-adjacency.js';
import { WorkerPool } from '../../src/core/threads/worker-pool.js';
import { allocating, buildCsr, edgeOffsets, INT32_EDGE_LIMIT, MAX_EDGES } from '../../src/graph/csr.js';
import { readEdgeList } from '../../src/graph/edge-list-reader.js';
import { readGraphFile, writeGraphFile } from '../../src/graph/graph-file.js';
import { fixturePath } from '../algorithms/graph/fixtures.js';

const pool = new WorkerPool({ size: 2 });
const directory = mkdtempSync(join(tmpdir(), 'eddy-wide-offsets-'));
afterAll(() => {
  pool.close();
  rmSync(directory, { recursive: true, force: true });
});

/** A similarity result as plain arrays, for comparison. */
const pairsOf = (pairs: PairScores) => [
  Array.from(pairs.first),
  Array.from(pairs.second),
  Array.from(pairs.scores),
];

describe('edgeOffsets picks the offset type from the edge count', () => {
  it('int32 below 2^31 edges, uint32 from there up to 2^32 - 1', () => {
    expect(INT32_EDGE_LIMIT).toBe(2 ** 31);
    expect(edgeOffsets(4, 2 ** 31 - 1)).toBeInstanceOf(Int32Array);
    const wide = edgeOffsets(4, 2 ** 31);
    expect(wide).toBeInstanceOf(Uint32Array);
    wide[3] = MAX_EDGES;
    expect(wide[3]).toBe(2 ** 32 - 1);
    expect(edgeOffsets(4, MAX_EDGES)).toBeInstanceOf(Uint32Array);
    expect(edgeOffsets(4, 10, { share: true }).buffer).toBeInstanceOf(SharedArrayBuffer);
    // A lowered limit (tests) and a limit above 2^31 (capped: int32 cannot hold more).
    expect(edgeOffsets(4, 10, { int32EdgeLimit: 10 })).toBeInstanceOf(Uint32Array);
    expect(edgeOffsets(4, 10, { int32EdgeLimit: 11 })).toBeInstanceOf(Int32Array);
    expect(edgeOffsets(4, 2 ** 31, { int32EdgeLimit: 2 ** 40 })).toBeInstanceOf(Uint32Array);
    // Offsets built from a graph's are at least as wide as the graph's.
    expect(edgeOffsets(4, 10, { atLeastAs: new Uint32Array(1) })).toBeInstanceOf(Uint32Array);
    expect(edgeOffsets(4, 10, { atLeastAs: new Int32Array(1) })).toBeInstanceOf(Int32Array);
  });

  it('refuses more than 2^32 - 1 edges, naming the count and the memory', () => {
    expect(() => edgeOffsets(4, 2 ** 32)).toThrow(
      /4294967296 edges: one graph holds at most 2\^32 - 1 \(4294967295\) edges in memory.*16\.0 GiB\)/,
    );
  });

  it('a failed allocation names what and how many bytes', () => {
    // A length Node refuses at once (no memory is taken).
    expect(() =>
      allocating('the weights of 2^40 edges', 8 * 2 ** 40, () => new Float64Array(2 ** 40)),
    ).toThrow(/could not allocate the weights of 2\^40 edges: 8192\.0 GiB needed \(.*\)/);
    expect(() =>
      allocating('x', 8, () => {
        throw new TypeError('not an allocation');
      }),
    ).toThrow(TypeError);
  });
});

describe('algorithms on uint32 offsets give what they give on int32 offsets', async () => {
  const edges = await readEdgeList(fixturePath('rmat.tsv'));
  const build = (int32EdgeLimit?: number): GraphIndex<string | number> => ({
    dictionary: edges.dictionary,
    csr: buildCsr(edges.dictionary.size, edges.sources, edges.targets, {
      weights: edges.weights,
      int32EdgeLimit,
    }).csr,
  });
  const narrow = build();
  const wide = build(0);

  it('the CSR and its in-edge index are uint32 and hold the same offsets', () => {
    expect(narrow.csr.offsets).toBeInstanceOf(Int32Array);
    expect(wide.csr.offsets).toBeInstanceOf(Uint32Array);
    expect(Array.from(wide.csr.offsets)).toEqual(Array.from(narrow.csr.offsets));
    expect(Array.from(wide.csr.targets)).toEqual(Array.from(narrow.csr.targets));
    const [wideIn, narrowIn] = [wide.csr.inEdges(), narrow.csr.inEdges()];
    expect(wideIn.offsets).toBeInstanceOf(Uint32Array);
    expect(wideIn.edgePositions).toBeInstanceOf(Uint32Array);
    expect(Array.from(wideIn.offsets)).toEqual(Array.from(narrowIn.offsets));
    expect(Array.from(wideIn.edgePositions)).toEqual(Array.from(narrowIn.edgePositions));
    const order = buildCsr(edges.dictionary.size, edges.sources, edges.targets, {
      keepEdgeOrder: true,
      int32EdgeLimit: 0,
    }).edgeOrder;
    expect(order).toBeInstanceOf(Uint32Array);
  });

  it('PageRank, HITS, components, SCC, shortest paths, triangles, clustering, Jaccard', async () => {
    const same = (run: (graph: GraphIndex<string | number>) => unknown) =>
      expect(run(wide)).toEqual(run(narrow));
    same((graph) => Array.from(pageRank(graph, { maxIterations: 20, tolerance: 0 }).values));
    same((graph) => Array.from(pageRank(graph, { weighted: true, maxIterations: 5, tolerance: 0 }).values));
    same((graph) => Array.from(hits(graph, { maxIterations: 10 }).hubs.values));
    same((graph) => Array.from(connectedComponents(graph).labels));
    same((graph) => Array.from(stronglyConnectedComponents(graph).labels));
    same((graph) => Array.from(singleSourceShortestPaths(graph, graph.dictionary.key(0)).values));
    same((graph) => Array.from(clusteringCoefficients(graph).local.values));
    same((graph) => Array.from(jaccardIndex(graph, { minimumScore: 0.3 }).scores));
    const threads = { parallelism: 2, pool };
    const onThreads = async (graph: GraphIndex<string | number>) => [
      Array.from((await pageRank(graph, { ...threads, maxIterations: 20, tolerance: 0 })).values),
      Array.from((await connectedComponents(graph, threads)).labels),
      await countTriangles(graph, threads),
      (await clusteringCoefficients(graph, threads)).average,
    ];
    expect(await onThreads(wide)).toEqual(await onThreads(narrow));
  });

  it('the undirected view and the oriented index take the width of the graph', () => {
    const [wideView, narrowView] = [undirectedAdjacency(wide.csr), undirectedAdjacency(narrow.csr)];
    expect(narrowView.offsets).toBeInstanceOf(Int32Array);
    expect(wideView.offsets).toBeInstanceOf(Uint32Array);
    expect(Array.from(wideView.offsets)).toEqual(Array.from(narrowView.offsets));
    expect(Array.from(wideView.neighbors)).toEqual(Array.from(narrowView.neighbors));
    for (const share of [false, true]) {
      const [wideOriented, narrowOriented] = [
        orientedAdjacency(wideView, share),
        orientedAdjacency(narrowView, share),
      ];
      expect(wideOriented.offsets).toBeInstanceOf(Uint32Array);
      expect(narrowOriented.offsets).toBeInstanceOf(Int32Array);
      expect(wideOriented.offsets.buffer instanceof SharedArrayBuffer).toBe(share);
      expect(Array.from(wideOriented.offsets)).toEqual(Array.from(narrowOriented.offsets));
      expect(Array.from(wideOriented.forward)).toEqual(Array.from(narrowOriented.forward));
    }
  });

  it('triangles, clustering, Jaccard, Adamic-Adar and metrics on the wide view, at parallelism 1, 2 and 3', async () => {
    const here = (graph: GraphIndex<string | number>) => {
      const listed = triangles(graph, { list: true });
      const clustering = clusteringCoefficients(graph);
      return [
        listed.count,
        Array.from(listed.perVertex.values),
        Array.from(listed.listing!),
        Array.from(clustering.local.values),
        clustering.average,
        clustering.global,
        // With minimums: the pairs without are a million here (the same kernels, only slower to compare).
        pairsOf(jaccardIndex(graph, { minimumScore: 0.25 })),
        pairsOf(adamicAdar(graph, { minimumScore: 2 })),
        vertexMetrics(graph),
        edgeMetrics(graph),
      ];
    };
    const expected = here(narrow);
    expect((expected[0] as number) > 0).toBe(true);
    expect(here(wide)).toEqual(expected);
    for (const parallelism of [1, 2, 3]) {
      const threads = { parallelism, pool };
      const clustering = await clusteringCoefficients(wide, threads);
      expect([
        await countTriangles(wide, threads),
        Array.from(clustering.local.values),
        clustering.average,
        clustering.global,
        pairsOf(await jaccardIndex(wide, { ...threads, minimumScore: 0.25 })),
        pairsOf(await adamicAdar(wide, { ...threads, minimumScore: 2 })),
      ]).toEqual([expected[0], ...expected.slice(3, 8)]);
    }
  });

  it('a graph file written from uint32 offsets reads back the same', async () => {
    const path = join(directory, 'wide.eddy');
    await writeGraphFile(path, wide, { inEdges: true });
    const read = await readGraphFile(path);
    expect(Array.from(read.csr.offsets)).toEqual(Array.from(narrow.csr.offsets));
    expect(Array.from(read.csr.inEdges().edgePositions)).toEqual(
      Array.from(narrow.csr.inEdges().edgePositions),
    );
  });
});
