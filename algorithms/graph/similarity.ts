/**
 * Neighbourhood similarity of vertex pairs in the undirected simple view, as Gelly's
 * JaccardIndex and AdamicAdar: only pairs with at least one shared neighbour are scored.
 * - Jaccard index: shared neighbours / distinct neighbours of the two.
 * - Adamic-Adar: the sum over shared neighbours w of 1 / ln(degree(w)).
 * A minimum score drops the pairs below it. The kernels (similarity-kernels.ts) walk the
 * wedges u-w-v (u < v) over the sorted adjacency in chunks of vertices of about equal work,
 * on this thread or on several through the core driver; the chunks' pairs are joined in chunk
 * order, so the pairs and their scores are the same bits at every parallelism.
 */
import type { Table } from 'apache-arrow';
import { tableFromColumns } from '../../src/core/arrow.js';
import type { Progress } from '../../src/core/progress.js';
import { shared } from '../../src/core/shared-memory.js';
import type { Threads } from '../../src/core/threads/driver.js';
import type { EdgeOffsets } from '../../src/graph/csr.js';
import type { VertexDictionary, VertexKey } from '../../src/graph/vertex-dictionary.js';
import type { GraphIndex } from './graph-index.js';
import { checkNonNegative } from './options.js';
import { adamicAdarChunk, jaccardChunk, type PairChunk } from './similarity-kernels.js';
import { boundsOfWork } from './triangles.js';
import { undirectedAdjacency } from './undirected-adjacency.js';
import { vertexChunksHere, vertexChunksOnThreads } from './vertex-chunks.js';

/** Options of {@link jaccardIndex} and {@link adamicAdar}. */
export interface SimilarityOptions extends Threads {
  /** Keep only pairs scoring at least this (default 0: every pair with a shared neighbour). */
  minimumScore?: number;
  /** Told how many vertices' pairs are scored, out of the vertex count. */
  progress?: Progress;
}

/** Scored vertex pairs (first id < second id), iterable as `[key, key, score]`. */
export class PairScores<K extends VertexKey = VertexKey> implements Iterable<[K, K, number]> {
  readonly dictionary: VertexDictionary<K>;
  readonly first: Int32Array;
  readonly second: Int32Array;
  readonly scores: Float64Array;
  /** Column name of the scores (`jaccard`, `adamicAdar`). */
  readonly name: string;

  constructor(
    dictionary: VertexDictionary<K>,
    first: Int32Array,
    second: Int32Array,
    scores: Float64Array,
    name: string,
  ) {
    this.dictionary = dictionary;
    this.first = first;
    this.second = second;
    this.scores = scores;
    this.name = name;
  }

  /** Number of pairs. */
  get size(): number {
    return this.scores.length;
  }

  *[Symbol.iterator](): Iterator<[K, K, number]> {
    for (let i = 0; i < this.scores.length; i++) {
      yield [this.dictionary.key(this.first[i]), this.dictionary.key(this.second[i]), this.scores[i]];
    }
  }

  /** An Arrow table with columns `first`, `second` (vertex keys) and {@link name}. */
  toTable(): Table {
    const keys = (ids: Int32Array) => Array.from(ids, (id) => this.dictionary.key(id));
    return tableFromColumns({ first: keys(this.first), second: keys(this.second), [this.name]: this.scores });
  }
}

/** How many chunks of about equal work the pairs are scored in (whatever the parallelism). */
const SIMILARITY_CHUNKS = 64;

/** A similarity kernel of similarity-kernels.ts, by export name. */
type Measure = 'jaccardChunk' | 'adamicAdarChunk';

const localKernels = { jaccardChunk, adamicAdarChunk };

// Workers load the kernels from the same tree as this module: .js in dist, .ts under tsx.
const kernelModule = new URL(
  `./similarity-kernels${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
  import.meta.url,
);

function scorePairs<K extends VertexKey>(
  graph: GraphIndex<K>,
  options: SimilarityOptions,
  name: string,
  measure: Measure,
): PairScores<K> | Promise<PairScores<K>> {
  const minimum = checkNonNegative('minimumScore', options.minimumScore ?? 0);
  const { offsets, neighbors } = undirectedAdjacency(graph.csr);
  const n = graph.csr.vertexCount;
  const bounds = boundsOfWork(wedgesFrom(offsets, neighbors), SIMILARITY_CHUNKS);
  // Jaccard's degree window needs the lists sorted by degree; without a minimum it is all of them.
  const byDegree =
    measure === 'jaccardChunk'
      ? [minimum > 0 ? neighboursByDegree(offsets, neighbors) : new Int32Array(0)]
      : [];
  const joined = (chunks: PairChunk[]) => new PairScores(graph.dictionary, ...joinChunks(chunks), name);
  const local = localKernels[measure];
  if (options.parallelism === undefined) {
    const args = [offsets, neighbors, ...byDegree, bounds, minimum];
    return joined(vertexChunksHere(local, args, SIMILARITY_CHUNKS, n, options.progress));
  }
  const kernel = { module: kernelModule, exportName: measure, local };
  const args = [shared(offsets), shared(neighbors), ...byDegree.map(shared), bounds, minimum];
  return vertexChunksOnThreads<PairChunk>(kernel, args, SIMILARITY_CHUNKS, options).then(joined);
}

/** Every neighbour list again, sorted by degree and then id (CSR layout, the same offsets). */
function neighboursByDegree(offsets: EdgeOffsets, neighbors: Int32Array): Int32Array {
  const n = offsets.length - 1;
  let maxDegree = 0;
  for (let v = 0; v < n; v++) maxDegree = Math.max(maxDegree, offsets[v + 1] - offsets[v]);
  // The vertices by degree then id (a counting sort), each appended to its neighbours' lists.
  const starts = new Int32Array(maxDegree + 2);
  for (let v = 0; v < n; v++) starts[offsets[v + 1] - offsets[v] + 1]++;
  for (let d = 0; d <= maxDegree; d++) starts[d + 1] += starts[d];
  const order = new Int32Array(n);
  for (let v = 0; v < n; v++) order[starts[offsets[v + 1] - offsets[v]]++] = v;
  const cursor = offsets.slice(0, n);
  const sorted = new Int32Array(neighbors.length);
  for (const x of order) {
    for (let a = offsets[x]; a < offsets[x + 1]; a++) sorted[cursor[neighbors[a]]++] = x;
  }
  return sorted;
}

/**
 * The wedges u-w-v (v > u) each vertex u starts: u at position p of w's sorted list of
 * d neighbours starts the d - 1 - p wedges to the neighbours of w past it.
 */
function wedgesFrom(offsets: EdgeOffsets, neighbors: Int32Array): Float64Array {
  const n = offsets.length - 1;
  // One unit per vertex besides its wedges: a vertex without wedges still costs a visit.
  const work = new Float64Array(n).fill(1);
  for (let w = 0; w < n; w++) {
    const last = offsets[w + 1] - 1;
    for (let p = offsets[w]; p < last; p++) work[neighbors[p]] += last - p;
  }
  return work;
}

/** The chunks' pairs in chunk order, in one set of arrays. */
function joinChunks(chunks: PairChunk[]): [Int32Array, Int32Array, Float64Array] {
  let total = 0;
  for (const chunk of chunks) total += chunk.scores.length;
  const first = new Int32Array(total);
  const second = new Int32Array(total);
  const scores = new Float64Array(total);
  let at = 0;
  for (const chunk of chunks) {
    first.set(chunk.first, at);
    second.set(chunk.second, at);
    scores.set(chunk.scores, at);
    at += chunk.scores.length;
  }
  return [first, second, scores];
}

/** Jaccard index of every pair with a shared neighbour, on this thread. */
export function jaccardIndex<K extends VertexKey>(
  graph: GraphIndex<K>,
  options?: SimilarityOptions & { parallelism?: undefined },
): PairScores<K>;
/**
 * Jaccard index of every pair with a shared neighbour, on this thread and `parallelism - 1`
 * workers: the same pairs and scores as on one thread.
 * @example
 * const pairs = await jaccardIndex(graph, { minimumScore: 0.5, parallelism: 2 });
 */
export function jaccardIndex<K extends VertexKey>(
  graph: GraphIndex<K>,
  options: SimilarityOptions & { parallelism: number },
): Promise<PairScores<K>>;
/** Jaccard index of every pair with a shared neighbour: |N(u) ∩ N(v)| / |N(u) ∪ N(v)|. */
export function jaccardIndex<K extends VertexKey>(
  graph: GraphIndex<K>,
  options: SimilarityOptions = {},
): PairScores<K> | Promise<PairScores<K>> {
  return scorePairs(graph, options, 'jaccard', 'jaccardChunk');
}

/** Adamic-Adar index of every pair with a shared neighbour, on this thread. */
export function adamicAdar<K extends VertexKey>(
  graph: GraphIndex<K>,
  options?: SimilarityOptions & { parallelism?: undefined },
): PairScores<K>;
/**
 * Adamic-Adar index of every pair with a shared neighbour, on this thread and
 * `parallelism - 1` workers: the same pairs and scores as on one thread.
 * @example
 * const pairs = await adamicAdar(graph, { minimumScore: 2, parallelism: 2 });
 */
export function adamicAdar<K extends VertexKey>(
  graph: GraphIndex<K>,
  options: SimilarityOptions & { parallelism: number },
): Promise<PairScores<K>>;
/** Adamic-Adar index of every pair with a shared neighbour: Σ 1 / ln(degree(w)) over shared w. */
export function adamicAdar<K extends VertexKey>(
  graph: GraphIndex<K>,
  options: SimilarityOptions = {},
): PairScores<K> | Promise<PairScores<K>> {
  return scorePairs(graph, options, 'adamicAdar', 'adamicAdarChunk');
}
