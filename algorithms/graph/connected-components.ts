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

import { inputKind } from '../../src/core/input-bytes.js';
import type { Progress } from '../../src/core/progress.js';
import { int32Array, shared } from '../../src/core/shared-memory.js';
import {
  type Kernel,
  runChunks,
  segmentBytes,
  type Threads,
  threadCount,
} from '../../src/core/threads/driver.js';
import { type EdgeListReadOptions, readEdgeList } from '../../src/graph/edge-list-reader.js';
import { Graph } from '../../src/graph/graph.js';
import { type GraphFileEdgeStream, isGraphFile } from '../../src/graph/graph-file.js';
import { runGatherSumApplyIteration } from '../../src/graph/iterations/gather-sum-apply.js';
import type { VertexDictionary, VertexKey } from '../../src/graph/vertex-dictionary.js';
import { splitByEdges } from '../../src/graph/vertex-ranges.js';
import type { EdgeArrays } from '../../src/graph/writers.js';
import { labelChunk, linkCsrChunk, linkEdgesChunk } from './component-kernels.js';
import { scanComponents } from './edge-list-components.js';
import type { GraphIndex } from './graph-index.js';
import { checkCount } from './options.js';
import { VertexLabels } from './vertex-labels.js';

/**
 * What weak components are found in: a graph, edge arrays over dense ids (what
 * `readEdgeList` gives), linked straight from the arrays (no CSR to build), or a graph file's
 * edges read a window at a time (`streamGraphFileEdges`: any edge count, about 12 bytes per
 * vertex).
 */
export type ComponentsInput<K extends VertexKey = VertexKey> =
  | GraphIndex<K>
  | EdgeArrays<K>
  | GraphFileEdgeStream<K>;

/** The number of edges of `input`. */
function edgeCountOf(input: ComponentsInput): number {
  if ('csr' in input) return input.csr.targets.length;
  return 'readTargets' in input ? input.edgeCount : input.sources.length;
}

/** Graphs with fewer edges than this run in this thread: linking them is cheaper than a message. */
const PARALLEL_EDGE_MINIMUM = 1 << 16;

/** Chunks the edges are cut into on several threads (whatever the parallelism), for balance. */
const LINK_CHUNKS = 32;

/** The most edges a window holds when the edges are linked through windows (2 x 64 MiB). */
const WINDOW_EDGES = 1 << 24;

// Workers load the kernels from the same tree as this module: .js in dist, .ts under tsx.
const kernels = new URL(
  `./component-kernels${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
  import.meta.url,
);

/** Options of {@link connectedComponents}. */
export interface ComponentsOptions extends Threads {
  /**
   * Reports the chunks done: {@link COMPONENT_CHUNKS} in all, the edges linked in the first
   * half, the vertices labelled in the second.
   */
  progress?: Progress;
  /**
   * Called as a phase ends, for timings: `'read'` when an edge-list file is read (and, for
   * integer ids, linked as read), `'link'` when the edges are linked (the per-thread forests
   * merged); the labels follow.
   */
  onPhase?: (phase: 'read' | 'link') => void;
}

/** Options of {@link connectedComponents} on an edge-list file. */
export interface FileComponentsOptions extends ComponentsOptions {
  /**
   * How the file is read, as {@link readEdgeList} takes it (its weights never are; threads
   * come from `parallelism`, default 1). Malformed lines are errors.
   */
  read?: Omit<
    EdgeListReadOptions,
    'parallelism' | 'pool' | 'segmentBytes' | 'weighted' | 'onInvalid' | 'onSkip'
  >;
}

/** How many chunks {@link ComponentsOptions.progress} counts to. */
export const COMPONENT_CHUNKS = 2 * LINK_CHUNKS;

/**
 * Weakly connected components by union-find on this thread: label = smallest dense id of the
 * component.
 * @example
 * const labels = connectedComponents(graph);
 * labels.get(key); // the key's component, named by its smallest-id member
 */
export function connectedComponents<K extends VertexKey>(
  input: ComponentsInput<K>,
  options?: ComponentsOptions & { parallelism?: undefined },
): VertexLabels<K>;
/**
 * Weakly connected components of an edge-list file (any input {@link readEdgeList} takes by
 * path) on `parallelism` threads (default 1). A regular file of integer ids is linked while it
 * is parsed, without edge arrays or dense numbering (memory: a forest of 4 bytes per key up to
 * the largest, per thread); any other file is read with {@link readEdgeList} first. The same
 * labels as {@link connectedComponents} over the edges read.
 * @example
 * const labels = await connectedComponents('edges.tsv', { parallelism: 2 });
 */
export function connectedComponents(path: string, options?: FileComponentsOptions): Promise<VertexLabels>;
/**
 * Weakly connected components by union-find on this thread and `parallelism - 1` worker
 * threads over one shared parent array: the same labels as on one thread.
 * @example
 * const labels = await connectedComponents(graph, { parallelism: 2 });
 */
export function connectedComponents<K extends VertexKey>(
  input: ComponentsInput<K>,
  options: ComponentsOptions & { parallelism: number },
): Promise<VertexLabels<K>>;
export function connectedComponents<K extends VertexKey>(
  input: ComponentsInput<K> | string,
  options: FileComponentsOptions = {},
): VertexLabels<K> | Promise<VertexLabels<K>> {
  if (typeof input === 'string') return componentsOfFile(input, options) as Promise<VertexLabels<K>>;
  const edges = edgeCountOf(input);
  const count = edges < PARALLEL_EDGE_MINIMUM ? 1 : threadCount(options);
  if (options.parallelism === undefined || count === 1) {
    const parent = initialParents(input.dictionary.size, false);
    if ('readTargets' in input) {
      const [windowSources, windowTargets] = [new Int32Array(WINDOW_EDGES), new Int32Array(WINDOW_EDGES)];
      let linked = 0;
      for (const length of windowsOf(input, windowSources, windowTargets)) {
        linkEdgesChunk(parent, windowSources, windowTargets, Float64Array.of(0, length), 0);
        linked += length;
        options.progress?.update(Math.floor((LINK_CHUNKS * linked) / edges));
      }
    } else {
      const { local, args } = linking(input, false);
      // The same chunks as on several threads, for progress between them.
      for (let chunk = 0; chunk < LINK_CHUNKS; chunk++) {
        local(parent, ...args, chunk);
        options.progress?.update(chunk + 1);
      }
    }
    options.onPhase?.('link');
    labelChunk(parent, Int32Array.of(0, parent.length), 0);
    options.progress?.update(COMPONENT_CHUNKS);
    options.progress?.finish();
    const labels = new VertexLabels(
      input.dictionary,
      smallestKeyLabels(input.dictionary, parent),
      'component',
    );
    return options.parallelism === undefined ? labels : Promise.resolve(labels);
  }
  return componentsOnThreads(input, options);
}

/** {@link connectedComponents} of the edge-list file `path`. */
async function componentsOfFile(path: string, options: FileComponentsOptions): Promise<VertexLabels> {
  const { read, ...components } = options;
  const parallelism = options.parallelism ?? 1;
  if (inputKind(path) === 'regular' && !isGraphFile(path)) {
    const labels = await scanComponents(path, { ...components, parallelism, read });
    if (labels !== undefined) {
      options.progress?.update(COMPONENT_CHUNKS);
      options.progress?.finish();
      return labels;
    }
  }
  const { pool, segmentBytes } = options;
  const edges = await readEdgeList(path, { ...read, parallelism, pool, segmentBytes, weighted: false });
  options.onPhase?.('read');
  return connectedComponents(edges, { ...components, parallelism });
}

/** The union-find kernel that links the input's edges, and its arguments after `parent`. */
function linking(
  input: GraphIndex | EdgeArrays,
  share: boolean,
): { kernel: Kernel; local: (parent: Int32Array, ...rest: unknown[]) => void; args: unknown[] } {
  const inShared = <A extends Int32Array | Uint32Array | Float64Array>(array: A): A =>
    share ? shared(array) : array;
  if ('csr' in input) {
    const offsets = inShared(input.csr.offsets);
    const bounds = inShared(splitByEdges(offsets, LINK_CHUNKS));
    const local = linkCsrChunk as (parent: Int32Array, ...rest: unknown[]) => void;
    const kernel = { module: kernels, exportName: 'linkCsrChunk', local };
    return { kernel, local, args: [offsets, inShared(input.csr.targets), bounds] };
  }
  const edges = input.sources.length;
  const bounds = new Float64Array(LINK_CHUNKS + 1);
  for (let c = 0; c <= LINK_CHUNKS; c++) bounds[c] = Math.floor((edges * c) / LINK_CHUNKS);
  const local = linkEdgesChunk as (parent: Int32Array, ...rest: unknown[]) => void;
  const kernel = { module: kernels, exportName: 'linkEdgesChunk', local };
  return { kernel, local, args: [inShared(input.sources), inShared(input.targets), inShared(bounds)] };
}

/**
 * {@link connectedComponents} on this thread and `parallelism - 1` workers whatever the graph's
 * size (the public function keeps small graphs on this thread). Exported for tests.
 */
export async function componentsOnThreads<K extends VertexKey>(
  input: ComponentsInput<K>,
  options: ComponentsOptions,
): Promise<VertexLabels<K>> {
  const n = input.dictionary.size;
  const parent = initialParents(n, true);
  const { progress, onPhase, ...threads } = options;
  const edges = edgeCountOf(input);
  const limit = segmentBytes(threads);
  if ('readTargets' in input || 4 * edges > limit) {
    await linkThroughWindows(parent, input, Math.floor(limit / 4), threads, (linked) =>
      progress?.update(Math.floor((LINK_CHUNKS * linked) / edges)),
    );
  } else {
    const { kernel, args } = linking(input, true);
    await runChunks(kernel, [parent, ...args], LINK_CHUNKS, {
      ...threads,
      onChunksDone: (done) => progress?.update(done),
    });
  }
  onPhase?.('link');
  const vertexBounds = new Int32Array(new SharedArrayBuffer(4 * (LINK_CHUNKS + 1)));
  for (let c = 0; c <= LINK_CHUNKS; c++) vertexBounds[c] = Math.floor((n * c) / LINK_CHUNKS);
  const label = { module: kernels, exportName: 'labelChunk', local: labelChunk };
  await runChunks(label, [parent, vertexBounds], LINK_CHUNKS, {
    ...threads,
    onChunksDone: (done) => progress?.update(LINK_CHUNKS + done),
  });
  progress?.finish();
  return new VertexLabels(input.dictionary, smallestKeyLabels(input.dictionary, parent), 'component');
}

/**
 * Labels by smallest id made labels by smallest key, for number keys not numbered in
 * ascending order (a reordered graph file): the rule stays "the smallest key" whatever the
 * ids. Changes `labels` in place (two passes over the vertices); as is otherwise.
 */
function smallestKeyLabels(dictionary: VertexDictionary, labels: Int32Array): Int32Array {
  const keys = dictionary.numericKeys();
  if (dictionary.ascending || keys === undefined) return labels;
  const smallest = Int32Array.from(labels);
  for (let v = 0; v < labels.length; v++) {
    const root = labels[v];
    if (keys[v] < keys[smallest[root]]) smallest[root] = v;
  }
  for (let v = 0; v < labels.length; v++) labels[v] = smallest[labels[v]];
  return labels;
}

/** Links the edges of shared arrays on every thread, in {@link LINK_CHUNKS} chunks. */
async function linkEdgeArrays(
  parent: Int32Array,
  sources: Int32Array,
  targets: Int32Array,
  threads: Threads,
) {
  const edges = sources.length;
  const bounds = new Float64Array(new SharedArrayBuffer(8 * (LINK_CHUNKS + 1)));
  for (let c = 0; c <= LINK_CHUNKS; c++) bounds[c] = Math.floor((edges * c) / LINK_CHUNKS);
  const kernel = { module: kernels, exportName: 'linkEdgesChunk', local: linkEdgesChunk };
  await runChunks(kernel, [parent, sources, targets, bounds], LINK_CHUNKS, threads);
}

/**
 * Edges too many for one buffer a worker can take (Node passes at most 4 GiB between
 * threads), or read from a graph file: copied a window at a time into shared arrays of at most
 * `windowEdges` (and {@link WINDOW_EDGES}), each window linked on every thread. The copy is
 * sequential and short beside the random access of linking; the labels do not depend on the order.
 * Tells `onLinked` the edges linked after each window.
 */
async function linkThroughWindows(
  parent: Int32Array,
  input: ComponentsInput,
  windowEdges: number,
  threads: Threads,
  onLinked: (edges: number) => void,
): Promise<void> {
  const size = Math.min(windowEdges, WINDOW_EDGES);
  const windowSources = int32Array(size, true);
  const windowTargets = int32Array(size, true);
  let linked = 0;
  for (const length of windowsOf(input, windowSources, windowTargets)) {
    await linkEdgeArrays(
      parent,
      windowSources.subarray(0, length),
      windowTargets.subarray(0, length),
      threads,
    );
    linked += length;
    onLinked(linked);
  }
}

/**
 * Fills `windowSources` and `windowTargets` with the input's edges a window at a time (as
 * many as they hold), yielding each window's length once it is filled.
 */
function* windowsOf(
  input: ComponentsInput,
  windowSources: Int32Array,
  windowTargets: Int32Array,
): Generator<number, void, void> {
  const size = windowSources.length;
  const edges = edgeCountOf(input);
  const offsets = 'csr' in input ? input.csr.offsets : 'readTargets' in input ? input.offsets : undefined;
  let vertex = 0;
  for (let first = 0; first < edges; first += size) {
    const last = Math.min(edges, first + size);
    if (offsets === undefined) {
      const { sources, targets } = input as EdgeArrays;
      windowSources.set(sources.subarray(first, last));
      windowTargets.set(targets.subarray(first, last));
    } else {
      if ('csr' in input) windowTargets.set(input.csr.targets.subarray(first, last));
      else (input as GraphFileEdgeStream).readTargets(windowTargets.subarray(0, last - first));
      // The sources of the window's edges, from the offsets.
      while (offsets[vertex + 1] <= first) vertex++;
      for (let v = vertex, at = first; at < last; v++) {
        const end = Math.min(offsets[v + 1], last);
        windowSources.fill(v, at - first, end - first);
        at = end;
      }
    }
    yield last - first;
  }
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
  /** Told of each superstep as it ends. */
  progress?: Progress;
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
      postSuperstep: (context) => options.progress?.update(context.superstep),
    },
    { name: 'connected components (GSA)', maxIterations, direction: 'all' },
  );
  options.progress?.finish();
  return new VertexLabels(
    graph.dictionary,
    smallestKeyLabels(graph.dictionary, Int32Array.from(result.graph.numericVertexValues()!)),
    'component',
    result,
  );
}
