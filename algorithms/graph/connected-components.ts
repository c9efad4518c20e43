/**
 * Weakly connected components (edge direction ignored). Every vertex is labelled with the key
 * of the smallest-id member of its component, as Gelly's minimum-id rule does (ids number
 * integer keys ascending and string keys by first appearance, so for integer keys the label is
 * the smallest key).
 *
 * Two ways with the same answer: {@link connectedComponents} is union-find over the edges
 * (near-linear, no iteration, what the CLI uses by default; on this thread and
 * `parallelism - 1` workers of the core driver when asked, with the same labels), and
 * {@link gsaConnectedComponents} is Gelly's gather-sum-apply formulation on the graph layer's
 * iteration model (gather the neighbour's label, sum = min, apply when smaller).
 */
import { int32Array, shared } from '../../src/core/shared-memory.js';
import { runChunks, type Threads, threadCount } from '../../src/core/threads/driver.js';
import { Graph } from '../../src/graph/graph.js';
import { runGatherSumApplyIteration } from '../../src/graph/iterations/gather-sum-apply.js';
import type { VertexKey } from '../../src/graph/vertex-dictionary.js';
import { splitByEdges } from '../../src/graph/vertex-ranges.js';
import type { EdgeArrays } from '../../src/graph/writers.js';
import { labelChunk, linkCsrChunk, linkEdgesChunk } from './component-kernels.js';
import type { GraphIndex } from './graph-index.js';
import { checkCount } from './options.js';
import { VertexLabels } from './vertex-labels.js';

/**
 * What weak components are found in: a graph, or edge arrays over dense ids (what
 * `readEdgeList` gives), linked straight from the arrays (no CSR to build).
 */
export type ComponentsInput<K extends VertexKey = VertexKey> = GraphIndex<K> | EdgeArrays<K>;

/** Graphs with fewer edges than this run in this thread: linking them is cheaper than a message. */
const PARALLEL_EDGE_MINIMUM = 1 << 16;

/** Chunks the edges are cut into on several threads (whatever the parallelism), for balance. */
const LINK_CHUNKS = 32;

// Workers load the kernels from the same tree as this module: .js in dist, .ts under tsx.
const kernels = new URL(
  `./component-kernels${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
  import.meta.url,
);

/**
 * Weakly connected components by union-find on this thread: label = smallest dense id of the
 * component.
 * @example
 * const labels = connectedComponents(graph);
 * labels.get(key); // the key's component, named by its smallest-id member
 */
export function connectedComponents<K extends VertexKey>(
  input: ComponentsInput<K>,
  options?: Threads & { parallelism?: undefined },
): VertexLabels<K>;
/**
 * Weakly connected components by union-find on this thread and `parallelism - 1` worker
 * threads over one shared parent array: the same labels as on one thread.
 * @example
 * const labels = await connectedComponents(graph, { parallelism: 2 });
 */
export function connectedComponents<K extends VertexKey>(
  input: ComponentsInput<K>,
  options: Threads & { parallelism: number },
): Promise<VertexLabels<K>>;
export function connectedComponents<K extends VertexKey>(
  input: ComponentsInput<K>,
  options: Threads = {},
): VertexLabels<K> | Promise<VertexLabels<K>> {
  const edges = 'csr' in input ? input.csr.targets.length : input.sources.length;
  const count = edges < PARALLEL_EDGE_MINIMUM ? 1 : threadCount(options);
  if (options.parallelism === undefined || count === 1) {
    const parent = initialParents(input.dictionary.size, false);
    if ('csr' in input) {
      const { offsets, targets } = input.csr;
      linkCsrChunk(parent, offsets, targets, Int32Array.of(0, input.csr.vertexCount), 0);
    } else {
      linkEdgesChunk(parent, input.sources, input.targets, Float64Array.of(0, edges), 0);
    }
    labelChunk(parent, Int32Array.of(0, parent.length), 0);
    const labels = new VertexLabels(input.dictionary, parent, 'component');
    return options.parallelism === undefined ? labels : Promise.resolve(labels);
  }
  return componentsOnThreads(input, options);
}

/**
 * {@link connectedComponents} on this thread and `parallelism - 1` workers whatever the graph's
 * size (the public function keeps small graphs on this thread). Exported for tests.
 */
export async function componentsOnThreads<K extends VertexKey>(
  input: ComponentsInput<K>,
  threads: Threads,
): Promise<VertexLabels<K>> {
  const n = input.dictionary.size;
  const parent = initialParents(n, true);
  if ('csr' in input) {
    const offsets = shared(input.csr.offsets);
    const bounds = shared(splitByEdges(offsets, LINK_CHUNKS));
    const kernel = { module: kernels, exportName: 'linkCsrChunk', local: linkCsrChunk };
    await runChunks(kernel, [parent, offsets, shared(input.csr.targets), bounds], LINK_CHUNKS, threads);
  } else {
    const edges = input.sources.length;
    const bounds = new Float64Array(new SharedArrayBuffer(8 * (LINK_CHUNKS + 1)));
    for (let c = 0; c <= LINK_CHUNKS; c++) bounds[c] = Math.floor((edges * c) / LINK_CHUNKS);
    const kernel = { module: kernels, exportName: 'linkEdgesChunk', local: linkEdgesChunk };
    await runChunks(
      kernel,
      [parent, shared(input.sources), shared(input.targets), bounds],
      LINK_CHUNKS,
      threads,
    );
  }
  const vertexBounds = new Int32Array(new SharedArrayBuffer(4 * (LINK_CHUNKS + 1)));
  for (let c = 0; c <= LINK_CHUNKS; c++) vertexBounds[c] = Math.floor((n * c) / LINK_CHUNKS);
  const label = { module: kernels, exportName: 'labelChunk', local: labelChunk };
  await runChunks(label, [parent, vertexBounds], LINK_CHUNKS, threads);
  return new VertexLabels(input.dictionary, parent, 'component');
}

/** `parent[v] = v` for every vertex: each its own set. */
function initialParents(n: number, share: boolean): Int32Array {
  const parent = int32Array(n, share);
  for (let v = 0; v < n; v++) parent[v] = v;
  return parent;
}

/** Options of {@link gsaConnectedComponents}. */
export interface ComponentsIterationOptions {
  /** Upper bound on supersteps (default: unbounded, i.e. the vertex count). */
  maxIterations?: number;
}

/**
 * Weakly connected components in Gelly's gather-sum-apply form (GSAConnectedComponents), on the
 * graph layer's model: each superstep, the vertices whose label changed offer it across their
 * edges in both directions, the offers are summed by minimum, and a vertex applies a smaller
 * one. Same labels as {@link connectedComponents}.
 */
export function gsaConnectedComponents<K extends VertexKey>(
  graph: GraphIndex<K>,
  options: ComponentsIterationOptions = {},
): VertexLabels<K> {
  const n = graph.csr.vertexCount;
  const maxIterations = checkCount('maxIterations', options.maxIterations ?? Math.max(1, n));
  const start = new Graph<K, number, undefined>(
    graph.dictionary,
    graph.csr,
    Float64Array.from({ length: n }, (_, v) => v),
    undefined,
  );
  const result = runGatherSumApplyIteration<K, number, undefined, number>(
    start,
    {
      gather: (label) => label,
      sum: 'min',
      apply: (offered, current) => (offered < current ? offered : current),
    },
    { name: 'connected components (GSA)', maxIterations, direction: 'all' },
  );
  return new VertexLabels(
    graph.dictionary,
    Int32Array.from(result.graph.numericVertexValues()!),
    'component',
    result,
  );
}
