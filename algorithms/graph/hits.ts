/**
 * HITS (Kleinberg's hubs and authorities), as Gelly's HITS: every vertex starts with hub and
 * authority 1; each round the authority of a vertex becomes the sum of the hub scores of its
 * in-neighbours and its hub score the sum of the (new) authority scores of its out-neighbours,
 * parallel edges counted each time; both vectors are then L2-normalised. Stops when the L1
 * change of both vectors together is <= tolerance, or after maxIterations. The scores converge
 * to the principal eigenvectors of A·Aᵀ (hubs) and Aᵀ·A (authorities).
 */
import type { Table } from 'apache-arrow';
import { tableFromColumns } from '../../src/core/arrow.js';
import type { Progress } from '../../src/core/progress.js';
import type { EdgeOffsets } from '../../src/graph/csr.js';
import type { VertexKey } from '../../src/graph/vertex-dictionary.js';
import type { GraphIndex } from './graph-index.js';
import { checkCount, checkNonNegative } from './options.js';
import { type IterationOutcome, VertexValues } from './vertex-values.js';

/** Options of {@link hits}. */
export interface HitsOptions {
  /** Upper bound on the rounds (default 100). */
  maxIterations?: number;
  /** Stop when the L1 change of hubs plus authorities is <= this (default 1e-6). */
  tolerance?: number;
  /** Told the rounds done after each round (counts never go backwards). */
  progress?: Progress;
}

/** Defaults of {@link HitsOptions}. */
export const HITS_DEFAULTS = { maxIterations: 100, tolerance: 1e-6 };

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

/** Hub and authority scores, L2-normalised. */
export function hits<K extends VertexKey>(graph: GraphIndex<K>, options: HitsOptions = {}): HitsResult<K> {
  const maxIterations = checkCount('maxIterations', options.maxIterations ?? HITS_DEFAULTS.maxIterations);
  const tolerance = checkNonNegative('tolerance', options.tolerance ?? HITS_DEFAULTS.tolerance);
  const { csr } = graph;
  const n = csr.vertexCount;
  const inEdges = csr.inEdges();
  let hub = new Float64Array(n).fill(n === 0 ? 0 : 1 / Math.sqrt(n));
  let authority = new Float64Array(n).fill(n === 0 ? 0 : 1 / Math.sqrt(n));
  let nextHub = new Float64Array(n);
  let nextAuthority = new Float64Array(n);
  let iterations = 0;
  let converged = n === 0;
  while (!converged && iterations < maxIterations) {
    sumOver(inEdges.offsets, inEdges.sources, hub, nextAuthority);
    normalise(nextAuthority);
    sumOver(csr.offsets, csr.targets, nextAuthority, nextHub);
    normalise(nextHub);
    let change = 0;
    for (let v = 0; v < n; v++) {
      change += Math.abs(nextHub[v] - hub[v]) + Math.abs(nextAuthority[v] - authority[v]);
    }
    [hub, nextHub] = [nextHub, hub];
    [authority, nextAuthority] = [nextAuthority, authority];
    iterations++;
    converged = change <= tolerance;
    options.progress?.update(iterations, `round ${iterations}`);
  }
  options.progress?.finish();
  const outcome = { iterations, converged };
  return new HitsResult(
    new VertexValues(graph.dictionary, hub, 'hub', outcome),
    new VertexValues(graph.dictionary, authority, 'authority', outcome),
  );
}

/** `out[v] = sum of values[neighbours[e]]` over `v`'s positions in a CSR layout. */
function sumOver(
  offsets: EdgeOffsets,
  neighbours: Int32Array,
  values: Float64Array,
  out: Float64Array,
): void {
  for (let v = 0; v < out.length; v++) {
    let sum = 0;
    for (let e = offsets[v]; e < offsets[v + 1]; e++) sum += values[neighbours[e]];
    out[v] = sum;
  }
}

function normalise(values: Float64Array): void {
  let squares = 0;
  for (let v = 0; v < values.length; v++) squares += values[v] * values[v];
  if (squares === 0) return;
  const scale = 1 / Math.sqrt(squares);
  for (let v = 0; v < values.length; v++) values[v] *= scale;
}
