/**
 * Neighbourhood similarity of vertex pairs in the undirected simple view, as Gelly's
 * JaccardIndex and AdamicAdar: only pairs with at least one shared neighbour are scored.
 * - Jaccard index: shared neighbours / distinct neighbours of the two.
 * - Adamic-Adar: the sum over shared neighbours w of 1 / ln(degree(w)).
 * A minimum score drops the pairs below it. Each vertex u accumulates, for every neighbour w
 * and every neighbour v > u of w, into a dense scratch array (reset through a touched list),
 * so the work is the number of wedges and the memory one array per vertex count.
 */
import type { Table } from 'apache-arrow';
import { tableFromColumns } from '../../src/core/arrow.js';
import type { Progress } from '../../src/core/progress.js';
import type { VertexDictionary, VertexKey } from '../../src/graph/vertex-dictionary.js';
import type { GraphIndex } from './graph-index.js';
import { checkNonNegative } from './options.js';
import { undirectedAdjacency } from './undirected-adjacency.js';

/** Options of {@link jaccardIndex} and {@link adamicAdar}. */
export interface SimilarityOptions {
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

type Scorer = (shared: number, sharedWeight: number, degreeU: number, degreeV: number) => number;

function scorePairs<K extends VertexKey>(
  graph: GraphIndex<K>,
  options: SimilarityOptions,
  name: string,
  neighbourWeight: (degree: number) => number,
  score: Scorer,
): PairScores<K> {
  const minimum = checkNonNegative('minimumScore', options.minimumScore ?? 0);
  const { offsets, neighbors } = undirectedAdjacency(graph.csr);
  const n = graph.csr.vertexCount;
  const shared = new Int32Array(n);
  const weight = new Float64Array(n);
  const touched = new Int32Array(n);
  const first: number[] = [];
  const second: number[] = [];
  const scores: number[] = [];
  const progress = options.progress;
  for (let u = 0; u < n; u++) {
    // Every few thousand vertices: the reporter's clock is not free.
    if ((u & 4095) === 0) progress?.update(u);
    let touchedCount = 0;
    for (let a = offsets[u]; a < offsets[u + 1]; a++) {
      const w = neighbors[a];
      const contribution = neighbourWeight(offsets[w + 1] - offsets[w]);
      // Neighbour lists are sorted: start past u to score each pair once (u < v).
      for (let b = offsets[w + 1] - 1; b >= offsets[w] && neighbors[b] > u; b--) {
        const v = neighbors[b];
        if (shared[v] === 0) touched[touchedCount++] = v;
        shared[v]++;
        weight[v] += contribution;
      }
    }
    const sorted = touched.subarray(0, touchedCount).sort();
    const degreeU = offsets[u + 1] - offsets[u];
    for (const v of sorted) {
      const value = score(shared[v], weight[v], degreeU, offsets[v + 1] - offsets[v]);
      if (value >= minimum) {
        first.push(u);
        second.push(v);
        scores.push(value);
      }
      shared[v] = 0;
      weight[v] = 0;
    }
  }
  progress?.update(n);
  progress?.finish();
  return new PairScores(
    graph.dictionary,
    Int32Array.from(first),
    Int32Array.from(second),
    Float64Array.from(scores),
    name,
  );
}

/** Jaccard index of every pair with a shared neighbour: |N(u) ∩ N(v)| / |N(u) ∪ N(v)|. */
export function jaccardIndex<K extends VertexKey>(
  graph: GraphIndex<K>,
  options: SimilarityOptions = {},
): PairScores<K> {
  return scorePairs(
    graph,
    options,
    'jaccard',
    () => 0,
    (shared, _weight, degreeU, degreeV) => shared / (degreeU + degreeV - shared),
  );
}

/** Adamic-Adar index of every pair with a shared neighbour: Σ 1 / ln(degree(w)) over shared w. */
export function adamicAdar<K extends VertexKey>(
  graph: GraphIndex<K>,
  options: SimilarityOptions = {},
): PairScores<K> {
  // A shared neighbour has degree >= 2, so the logarithm is positive.
  return scorePairs(
    graph,
    options,
    'adamicAdar',
    (degree) => 1 / Math.log(degree),
    (_shared, weight) => weight,
  );
}
