/**
 * HITS (Kleinberg's hubs and authorities), as Gelly's HITS: every vertex starts with hub and
 * authority 1; each round the authority of a vertex becomes the sum of the hub scores of its
 * in-neighbours and its hub score the sum of the (new) authority scores of its out-neighbours,
 * parallel edges counted each time; both vectors are then L2-normalised. Stops when the L1
 * change of both vectors together is <= tolerance, or after maxIterations. The scores converge
 * to the principal eigenvectors of A·Aᵀ (hubs) and Aᵀ·A (authorities).
 *
 * A program of two steps on the typed gather-sum-apply path (kernels.ts): authorities over the
 * in-edge index, hubs over the out-edges, each normalised by the step's finish once its sum of
 * squares is aggregated; on this thread or, with `parallelism`, on workers of the core driver.
 */
import type { Table } from 'apache-arrow';
import { tableFromColumns } from '../../../src/core/arrow.js';
import type { Progress } from '../../../src/core/progress.js';
import type { Threads } from '../../../src/core/threads/driver.js';
import {
  runTypedGatherSumApply,
  type TypedGatherSumApplyOptions,
  type TypedGatherSumApplyProgram,
  type TypedIterationResult,
} from '../../../src/graph/iterations/typed-gather-sum-apply.js';
import type { TypedVertexRange } from '../../../src/graph/iterations/typed-superstep.js';
import type { VertexKey } from '../../../src/graph/vertex-dictionary.js';
import type { GraphIndex } from '../graph-index.js';
import { checkCount, checkNonNegative } from '../options.js';
import { type IterationOutcome, VertexValues } from '../vertex-values.js';
import { authorityApply, authorityFinish, hubApply, hubFinish } from './kernels.js';

/** Options of {@link hits}. */
export interface HitsOptions extends Threads {
  /**
   * Threads to split each round over: this one and `parallelism - 1` workers of `pool` (the
   * same scores at any value). Given, `hits` returns a promise; absent, it runs on this thread.
   */
  parallelism?: number;
  /** Upper bound on the rounds (default 100). */
  maxIterations?: number;
  /** Stop when the L1 change of hubs plus authorities is <= this (default 1e-6). */
  tolerance?: number;
  /** Told the rounds done after each round (counts never go backwards). */
  progress?: Progress;
}

/** Defaults of {@link HitsOptions}. */
export const HITS_DEFAULTS = { maxIterations: 100, tolerance: 1e-6 };

// Workers load the vertex functions from the same tree as this module: .js in dist, .ts under tsx.
const kernels = new URL(`./kernels${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href;
const exported = (fn: (range: TypedVertexRange) => void) => ({ fn, module: kernels, exportName: fn.name });

/** HITS on the typed path: authorities, then hubs, each summed and then normalised. */
const program: TypedGatherSumApplyProgram = {
  combiner: 'sum',
  apply: exported(authorityApply),
  finish: exported(authorityFinish),
  steps: [{ edges: 1, combiner: 'sum', apply: exported(hubApply), finish: exported(hubFinish) }],
  aggregators: { authoritySquares: 'sum', hubSquares: 'sum', change: 'sum' },
};

/** Hub and authority scores, each a {@link VertexValues}. */
export class HitsResult<K extends VertexKey = VertexKey> implements IterationOutcome {
  readonly hubs: VertexValues<K>;
  readonly authorities: VertexValues<K>;
  readonly iterations: number;
  readonly converged: boolean;

  constructor(hubs: VertexValues<K>, authorities: VertexValues<K>) {
    this.hubs = hubs;
    this.authorities = authorities;
    this.iterations = hubs.iterations;
    this.converged = hubs.converged;
  }

  /** `[key, hub, authority]` per vertex. */
  *[Symbol.iterator](): Iterator<[K, number, number]> {
    const dictionary = this.hubs.dictionary;
    for (let id = 0; id < dictionary.size; id++) {
      yield [dictionary.key(id), this.hubs.values[id], this.authorities.values[id]];
    }
  }

  /** An Arrow table with columns `vertex`, `hub`, `authority`. */
  toTable(): Table {
    return tableFromColumns({
      vertex: this.hubs.dictionary.keys(),
      hub: this.hubs.values,
      authority: this.authorities.values,
    });
  }
}

/**
 * Hub and authority scores, L2-normalised, on this thread.
 * @example
 * const { hubs, authorities } = hits(graph, { tolerance: 1e-9 });
 */
export function hits<K extends VertexKey>(
  graph: GraphIndex<K>,
  options?: HitsOptions & { parallelism?: undefined },
): HitsResult<K>;
/**
 * The same scores computed by this thread and `parallelism - 1` worker threads: bit-identical
 * at every parallelism.
 */
export function hits<K extends VertexKey>(
  graph: GraphIndex<K>,
  options: HitsOptions & { parallelism: number },
): Promise<HitsResult<K>>;
export function hits<K extends VertexKey>(
  graph: GraphIndex<K>,
  options: HitsOptions = {},
): HitsResult<K> | Promise<HitsResult<K>> {
  const maxIterations = checkCount('maxIterations', options.maxIterations ?? HITS_DEFAULTS.maxIterations);
  const tolerance = checkNonNegative('tolerance', options.tolerance ?? HITS_DEFAULTS.tolerance);
  const { csr } = graph;
  const n = csr.vertexCount;
  const result = (run: TypedIterationResult) => {
    const outcome = { iterations: run.iterations, converged: run.converged };
    const [authority, hub] = run.stepValues;
    return new HitsResult(
      new VertexValues(graph.dictionary, hub, 'hub', outcome),
      new VertexValues(graph.dictionary, authority, 'authority', outcome),
    );
  };
  if (n === 0) {
    options.progress?.finish();
    const empty = new Float64Array(0);
    const none = result({
      values: empty,
      stepValues: [empty, empty],
      iterations: 0,
      converged: true,
      aggregates: {},
    });
    return options.parallelism === undefined ? none : Promise.resolve(none);
  }
  const inEdges = csr.inEdges();
  // Edge index 0: in-edges (authorities pull hubs); 1: out-edges (hubs pull authorities).
  const indexes = [
    { offsets: inEdges.offsets, sources: inEdges.sources },
    { offsets: csr.offsets, sources: csr.targets },
  ];
  const run: TypedGatherSumApplyOptions = {
    pool: options.pool,
    segmentBytes: options.segmentBytes,
    name: 'HITS',
    maxIterations,
    convergence: { aggregator: 'change', criterion: (change) => change <= tolerance },
    progress: options.progress,
  };
  // Both score vectors start uniform with unit norm; the first messages are the hubs.
  const initial = new Float64Array(n).fill(1 / Math.sqrt(n));
  if (options.parallelism === undefined) {
    return result(runTypedGatherSumApply(indexes, initial, program, { ...run, parallelism: undefined }));
  }
  return runTypedGatherSumApply(indexes, initial, program, { ...run, parallelism: options.parallelism }).then(
    result,
  );
}
