// Graphs of 2^31 edges and more hold their offsets and positions in uint32 arrays, of 2^32 and
// more in float64 arrays. The choice of type is tested on edge counts alone, and the wide
// layouts are run through the algorithms on a small graph by lowering the limits
// (int32EdgeLimit, uint32EdgeLimit), as the 4 GiB segment tests lower segmentBytes, so that no
// test allocates 2^31 edges.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clusteringCoefficients } from '../../algorithms/graph/clustering-coefficient.js';
import { componentsOnThreads, connectedComponents } from '../../algorithms/graph/connected-components.js';
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
import {
  allocating,
  buildCsr,
  type CsrBuildOptions,
  edgeOffsets,
  INT32_EDGE_LIMIT,
  MAX_EDGES,
  UINT32_EDGE_LIMIT,
} from '../../src/graph/csr.js';
import { readEdgeList } from '../../src/graph/edge-list-reader.js';
import {
  readGraphFile,
  readGraphFilePullIndex,
  streamGraphFileEdges,
  writeGraphFile,
} from '../../src/graph/graph-file.js';
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
  it('int32 below 2^31 edges, uint32 below 2^32, float64 from there up to 2^53 - 1', () => {
    expect([INT32_EDGE_LIMIT, UINT32_EDGE_LIMIT, MAX_EDGES]).toEqual([2 ** 31, 2 ** 32, 2 ** 53 - 1]);
    expect(edgeOffsets(4, 2 ** 31 - 1)).toBeInstanceOf(Int32Array);
    const wide = edgeOffsets(4, 2 ** 31);
    expect(wide).toBeInstanceOf(Uint32Array);
    wide[3] = 2 ** 32 - 1;
    expect(wide[3]).toBe(2 ** 32 - 1);
    expect(edgeOffsets(4, 2 ** 32 - 1)).toBeInstanceOf(Uint32Array);
    const wider = edgeOffsets(4, 2 ** 32);
    expect(wider).toBeInstanceOf(Float64Array);
    wider[3] = MAX_EDGES;
    expect(wider[3]).toBe(2 ** 53 - 1);
    expect(edgeOffsets(4, MAX_EDGES)).toBeInstanceOf(Float64Array);
    for (const edges of [10, 2 ** 31, 2 ** 40]) {
      const shared = edgeOffsets(4, edges, { share: true });
      expect(shared.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(shared.length).toBe(4);
    }
    // Lowered limits (tests) and limits above the defaults (capped: the types cannot hold more).
    expect(edgeOffsets(4, 10, { int32EdgeLimit: 10 })).toBeInstanceOf(Uint32Array);
    expect(edgeOffsets(4, 10, { int32EdgeLimit: 11 })).toBeInstanceOf(Int32Array);
    expect(edgeOffsets(4, 10, { uint32EdgeLimit: 10 })).toBeInstanceOf(Float64Array);
    expect(edgeOffsets(4, 10, { int32EdgeLimit: 0, uint32EdgeLimit: 11 })).toBeInstanceOf(Uint32Array);
    expect(edgeOffsets(4, 2 ** 31, { int32EdgeLimit: 2 ** 40 })).toBeInstanceOf(Uint32Array);
    expect(edgeOffsets(4, 2 ** 32, { uint32EdgeLimit: 2 ** 40 })).toBeInstanceOf(Float64Array);
    // Offsets built from a graph's are at least as wide as the graph's.
    expect(edgeOffsets(4, 10, { atLeastAs: new Uint32Array(1) })).toBeInstanceOf(Uint32Array);
    expect(edgeOffsets(4, 10, { atLeastAs: new Float64Array(1) })).toBeInstanceOf(Float64Array);
    expect(edgeOffsets(4, 2 ** 32, { atLeastAs: new Int32Array(1) })).toBeInstanceOf(Float64Array);
    expect(edgeOffsets(4, 10, { atLeastAs: new Int32Array(1) })).toBeInstanceOf(Int32Array);
  });

  it('refuses edge counts float64 offsets cannot hold exactly', () => {
    expect(() => edgeOffsets(4, 2 ** 53)).toThrow(
      /9007199254740992 edges: offsets are exact up to 2\^53 - 1 \(9007199254740991\) edges/,
    );
  });

  it('a failed allocation names what and how many bytes', () => {
    // Lengths Node refuses at once (no memory is taken).
    expect(() =>
      allocating('the weights of 2^40 edges', 8 * 2 ** 40, () => new Float64Array(2 ** 40)),
    ).toThrow(/could not allocate the weights of 2\^40 edges: 8192\.0 GiB needed \(.*\)/);
    expect(() => allocating('the targets', 4 * (2 ** 32 + 1), () => new Int32Array(2 ** 32 + 1))).toThrow(
      /could not allocate the targets: 16\.0 GiB needed \(Invalid typed array length: 4294967297: Node's typed arrays hold at most 2\^32 elements\)/,
    );
    expect(() =>
      allocating('x', 8, () => {
        throw new TypeError('not an allocation');
      }),
    ).toThrow(TypeError);
  });
});

/** The two wide layouts, each forced on a small graph by a lowered limit. */
const layouts = [
  { name: 'uint32', limits: { int32EdgeLimit: 0 }, Type: Uint32Array },
  { name: 'float64', limits: { uint32EdgeLimit: 0 }, Type: Float64Array },
] as const;

describe.each(layouts)(
  'algorithms on $name offsets give what they give on int32 offsets',
  async ({ name, limits, Type }) => {
    const edges = await readEdgeList(fixturePath('rmat.tsv'));
    const build = (options: CsrBuildOptions = {}): GraphIndex<string | number> => ({
      dictionary: edges.dictionary,
      csr: buildCsr(edges.dictionary.size, edges.sources, edges.targets, {
        weights: edges.weights,
        ...options,
      }).csr,
    });
    const narrow = build();
    const wide = build(limits);

    it('the CSR and its in-edge index are wide and hold the same offsets', () => {
      expect(narrow.csr.offsets).toBeInstanceOf(Int32Array);
      expect(wide.csr.offsets).toBeInstanceOf(Type);
      expect(Array.from(wide.csr.offsets)).toEqual(Array.from(narrow.csr.offsets));
      expect(Array.from(wide.csr.targets)).toEqual(Array.from(narrow.csr.targets));
      expect(Array.from(wide.csr.sources())).toEqual(Array.from(narrow.csr.sources()));
      const [wideIn, narrowIn] = [wide.csr.inEdges(), narrow.csr.inEdges()];
      expect(wideIn.offsets).toBeInstanceOf(Type);
      expect(wideIn.edgePositions).toBeInstanceOf(Type);
      expect(Array.from(wideIn.offsets)).toEqual(Array.from(narrowIn.offsets));
      expect(Array.from(wideIn.edgePositions)).toEqual(Array.from(narrowIn.edgePositions));
      const order = buildCsr(edges.dictionary.size, edges.sources, edges.targets, {
        keepEdgeOrder: true,
        ...limits,
      }).edgeOrder;
      expect(order).toBeInstanceOf(Type);
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
        // Through windows of edges, as a graph of more than 4 GiB of targets is linked.
        Array.from((await componentsOnThreads(graph, { ...threads, segmentBytes: 4096 })).labels),
        await countTriangles(graph, threads),
        (await clusteringCoefficients(graph, threads)).average,
      ];
      expect(await onThreads(wide)).toEqual(await onThreads(narrow));
    });

    it('the undirected view and the oriented index take the width of the graph', () => {
      const [wideView, narrowView] = [undirectedAdjacency(wide.csr), undirectedAdjacency(narrow.csr)];
      expect(narrowView.offsets).toBeInstanceOf(Int32Array);
      expect(wideView.offsets).toBeInstanceOf(Type);
      expect(Array.from(wideView.offsets)).toEqual(Array.from(narrowView.offsets));
      expect(Array.from(wideView.neighbors)).toEqual(Array.from(narrowView.neighbors));
      for (const share of [false, true]) {
        const [wideOriented, narrowOriented] = [
          orientedAdjacency(wideView, share),
          orientedAdjacency(narrowView, share),
        ];
        expect(wideOriented.offsets).toBeInstanceOf(Type);
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

    it('a graph file written from wide offsets reads back the same, in the layout asked', async () => {
      const path = join(directory, `${name}.eddy`);
      await writeGraphFile(path, wide, { inEdges: true });
      for (const options of [{}, limits]) {
        const read = await readGraphFile(path, options);
        expect(read.csr.offsets).toBeInstanceOf(options === limits ? Type : Int32Array);
        expect(read.csr.inEdges().edgePositions).toBeInstanceOf(options === limits ? Type : Int32Array);
        expect(Array.from(read.csr.offsets)).toEqual(Array.from(narrow.csr.offsets));
        expect(Array.from(read.csr.targets)).toEqual(Array.from(narrow.csr.targets));
        expect(Array.from(read.csr.weights!)).toEqual(Array.from(narrow.csr.weights!));
        expect(Array.from(read.csr.inEdges().edgePositions)).toEqual(
          Array.from(narrow.csr.inEdges().edgePositions),
        );
      }
    });

    it('PageRank over the in-edge index alone, in segments, from the graph file', async () => {
      const path = join(directory, `${name}-pull.eddy`);
      await writeGraphFile(path, narrow, { inEdges: true, offsets64: true });
      const options = { maxIterations: 20, tolerance: 0 };
      const expected = Array.from(pageRank(narrow, options).values);
      const pull = (await readGraphFilePullIndex(path, { ...limits, segmentBytes: 32768 }))!;
      expect(pull.inEdges.offsets).toBeInstanceOf(Type);
      expect(pull.inEdges.sources.arrays.length).toBeGreaterThan(4);
      expect(Array.from(pageRank(pull, options).values)).toEqual(expected);
      for (const parallelism of [2, 3]) {
        const values = (await pageRank(pull, { ...options, parallelism, pool })).values;
        expect(Array.from(values)).toEqual(expected);
      }
    });

    it('components over the graph file read a window of targets at a time', async () => {
      const path = join(directory, `${name}-stream.eddy`);
      await writeGraphFile(path, narrow, { inEdges: true, offsets64: true });
      const expected = Array.from(connectedComponents(narrow).labels);
      const runs = [
        {},
        { parallelism: 1 },
        { parallelism: 2, pool },
        // Windows of 1024 edges, 32 of them, each linked on three threads.
        { parallelism: 3, pool, segmentBytes: 4096 },
      ];
      for (const options of runs) {
        const labels = await streamGraphFileEdges(path, limits, (edges) => {
          expect(edges.offsets).toBeInstanceOf(Type);
          expect(edges.edgeCount).toBe(narrow.csr.edgeCount);
          return connectedComponents(edges, options as { parallelism: number });
        });
        expect(Array.from(labels.labels)).toEqual(expected);
        expect(labels.dictionary.keys()).toEqual(narrow.dictionary.keys());
      }
    });
  },
);
