/**
 * The per-chunk work of k-means, as `mapPartition` kernels of the DataSet engine (worker
 * threads load this module by itself: it imports only the assignment step and the distance).
 * The rows are cut into chunks of {@link CHUNK_ROWS}, a layout that does not depend on the
 * parallelism; each chunk writes only its own rows' state and returns its own partial result,
 * and the partials are combined in chunk order on the calling thread (model-iteration.ts): so
 * centres and labels are the same, bit for bit, whichever thread ran which chunk.
 */
import type { RuntimeContext } from '../../../src/dataset/context.js';
import { exported } from '../../../src/dataset/functions.js';
import { CHUNK_ROWS, MODEL_BROADCAST } from '../../../src/dataset/model-iteration.js';
import type { DistanceMeasure } from '../distance.js';
import { assignByMeasure, assignEuclidean, type BroadcastCentres } from './step.js';

export { CHUNK_ROWS };

/**
 * What Lloyd's chunks share, whole: the points and the state rows keep between rounds. Every
 * chunk record holds the same object, so a partition's task carries it once.
 */
export interface LloydArrays {
  /** n x d points, row-major. */
  readonly points: Float64Array;
  readonly columns: number;
  readonly k: number;
  /** Cluster of each row (-1 before the first round) and its Hamerly bounds. */
  readonly labels: Int32Array;
  readonly upper: Float64Array;
  readonly lower: Float64Array;
  /** Each chunk's per-centre coordinate sums (k x d from chunk x k x d) and counts (k from chunk x k). */
  readonly sums: Float64Array;
  readonly counts: Float64Array;
}

/** One chunk of rows for Lloyd's rounds: rows [start, end) of the shared arrays. */
export interface LloydChunk {
  readonly chunk: number;
  readonly start: number;
  readonly end: number;
  readonly arrays: LloydArrays;
}

/** What Lloyd's kernel reads of the model: the centres packed with what the bounds need. */
export interface LloydBroadcast {
  readonly k: number;
  readonly measure: DistanceMeasure;
  /** k x d centres, then drift, half-separation and squared norm of each centre. */
  readonly packed: Float64Array;
}

/**
 * One chunk's result of a Lloyd round: how many labels changed; its sums and counts per centre
 * are in its slots of {@link LloydArrays}.
 */
export interface LloydPartial {
  readonly chunk: number;
  readonly changed: number;
}

/**
 * The broadcast centres packed in one array, so threads share them: k x d centres, then the
 * drift, the half-separation and the squared norm of each centre ({@link BroadcastCentres}).
 */
export function packBroadcast(broadcast: BroadcastCentres, d: number): Float64Array {
  const { k } = broadcast;
  const packed = new Float64Array(k * d + 3 * k);
  packed.set(broadcast.centres.subarray(0, k * d), 0);
  packed.set(broadcast.drift, k * d);
  packed.set(broadcast.halfSeparation, k * d + k);
  packed.set(broadcast.centreNorms, k * d + 2 * k);
  return packed;
}

function unpackBroadcast(packed: Float64Array, k: number, d: number): BroadcastCentres {
  const at = k * d;
  return {
    centres: packed.subarray(0, at),
    k,
    drift: packed.subarray(at, at + k),
    halfSeparation: packed.subarray(at + k, at + 2 * k),
    centreNorms: packed.subarray(at + 2 * k, at + 3 * k),
  };
}

/**
 * One Lloyd assignment round over a partition's chunks. Euclidean rows keep their labels and
 * Hamerly bounds, and each chunk its sums, moving only the rows whose label changes; the other
 * measures assign every row afresh.
 */
export function assignChunks(chunks: readonly LloydChunk[], context: RuntimeContext): LloydPartial[] {
  const model = context.broadcast<LloydBroadcast>(MODEL_BROADCAST)[0];
  const partials: LloydPartial[] = [];
  for (const { chunk, start, end, arrays } of chunks) {
    const { columns: d, k } = arrays;
    const centres = unpackBroadcast(model.packed, k, d);
    const rows = { rows: end - start, columns: d, data: arrays.points.subarray(start * d, end * d) };
    const state = {
      labels: arrays.labels.subarray(start, end),
      upper: arrays.upper.subarray(start, end),
      lower: arrays.lower.subarray(start, end),
      sums: arrays.sums.subarray(chunk * k * d, (chunk + 1) * k * d),
      counts: arrays.counts.subarray(chunk * k, (chunk + 1) * k),
    };
    let changed: number;
    if (model.measure === 'euclidean') changed = assignEuclidean(rows, centres, state);
    else {
      const out = { sums: state.sums.fill(0), counts: state.counts.fill(0), changed: 0 };
      assignByMeasure(rows, centres, model.measure, state.labels, out);
      changed = out.changed;
    }
    partials.push({ chunk, changed });
  }
  return partials;
}

/** What k-means++'s chunks share, whole (one object, carried once per task). */
export interface PlusPlusArrays {
  readonly points: Float64Array;
  readonly columns: number;
  /** Squared norm of every row. */
  readonly norms: Float64Array;
  /** Every row's squared distance to its nearest chosen centre, and that centre. */
  readonly closest: Float64Array;
  readonly nearestCentre: Int32Array;
  /** trials x n: each row's squared distance to its nearest centre were candidate t added. */
  readonly candidates: Float64Array;
}

/** One chunk of rows for k-means++: rows [start, end) of the shared arrays. */
export interface PlusPlusChunk {
  readonly chunk: number;
  readonly start: number;
  readonly end: number;
  readonly arrays: PlusPlusArrays;
}

/** What k-means++'s kernel reads of the model: this round's candidate rows. */
export interface PlusPlusBroadcast {
  readonly k: number;
  readonly candidateRows: Int32Array;
  /** trials x k: squared distance from each candidate to each chosen centre. */
  readonly candidateToCentre: Float64Array;
}

/** One chunk's result of a k-means++ round: the potential (sum of `candidates`) of each trial. */
export interface PlusPlusPartial {
  readonly chunk: number;
  readonly potentials: Float64Array;
}

/**
 * One k-means++ round over a partition's chunks: for each candidate row, every row's squared
 * distance to its nearest centre if the candidate were added goes to `candidates`, and each
 * chunk's sum of them to its partial. A candidate at least twice as far from a row's nearest
 * centre as the row is (`candidateToCentre`, squared) cannot come nearer (triangle
 * inequality), so that distance is skipped.
 */
export function plusPlusTrials(chunks: readonly PlusPlusChunk[], context: RuntimeContext): PlusPlusPartial[] {
  const round = context.broadcast<PlusPlusBroadcast>(MODEL_BROADCAST)[0];
  const partials: PlusPlusPartial[] = [];
  for (const chunk of chunks) {
    const trials = round.candidateRows.length;
    const potentials = new Float64Array(trials);
    let t = 0;
    for (; t + 3 < trials; t += 4) fourTrials(chunk, round, t, potentials);
    for (; t < trials; t++) oneTrial(chunk, round, t, potentials);
    partials.push({ chunk: chunk.chunk, potentials });
  }
  return partials;
}

// The two loops below are functions of their own, small and each with one shape of work, so
// that V8 optimises them within the first rounds: a stream's first centroids come from a few
// thousand points, where one large kernel ran mostly unoptimised (boxing every double) and was
// deoptimised each time it reached a loop it had not run yet.

/** Trials t..t+3 over a chunk: each coordinate of a row is loaded once for four multiply-adds. */
function fourTrials(
  chunk: PlusPlusChunk,
  round: PlusPlusBroadcast,
  t: number,
  potentials: Float64Array,
): void {
  const { k, candidateRows, candidateToCentre } = round;
  const { points: x, columns: d, norms, closest, nearestCentre, candidates } = chunk.arrays;
  const { start, end } = chunk;
  const n = closest.length;
  const offset0 = candidateRows[t] * d;
  const offset1 = candidateRows[t + 1] * d;
  const offset2 = candidateRows[t + 2] * d;
  const offset3 = candidateRows[t + 3] * d;
  const norm0 = norms[candidateRows[t]];
  const norm1 = norms[candidateRows[t + 1]];
  const norm2 = norms[candidateRows[t + 2]];
  const norm3 = norms[candidateRows[t + 3]];
  const toCentre0 = t * k;
  const toCentre1 = toCentre0 + k;
  const toCentre2 = toCentre1 + k;
  const toCentre3 = toCentre2 + k;
  const out0 = t * n;
  const out1 = out0 + n;
  const out2 = out1 + n;
  const out3 = out2 + n;
  let potential0 = 0;
  let potential1 = 0;
  let potential2 = 0;
  let potential3 = 0;
  for (let i = start; i < end; i++) {
    const current = closest[i];
    const centre = nearestCentre[i];
    const bound = 4 * current;
    const skip0 = candidateToCentre[toCentre0 + centre] >= bound;
    const skip1 = candidateToCentre[toCentre1 + centre] >= bound;
    const skip2 = candidateToCentre[toCentre2 + centre] >= bound;
    const skip3 = candidateToCentre[toCentre3 + centre] >= bound;
    let value0 = current;
    let value1 = current;
    let value2 = current;
    let value3 = current;
    if (!(skip0 && skip1 && skip2 && skip3)) {
      // |x - c|^2 = |x|^2 + |c|^2 - 2 x.c
      const rowOffset = i * d;
      let dot0 = 0;
      let dot1 = 0;
      let dot2 = 0;
      let dot3 = 0;
      for (let j = 0; j < d; j++) {
        const value = x[rowOffset + j];
        dot0 += value * x[offset0 + j];
        dot1 += value * x[offset1 + j];
        dot2 += value * x[offset2 + j];
        dot3 += value * x[offset3 + j];
      }
      const norm = norms[i];
      const distance0 = norm + norm0 - 2 * dot0;
      const distance1 = norm + norm1 - 2 * dot1;
      const distance2 = norm + norm2 - 2 * dot2;
      const distance3 = norm + norm3 - 2 * dot3;
      // A skipped candidate keeps the current distance, as if never computed.
      if (!skip0 && distance0 < current) value0 = distance0 > 0 ? distance0 : 0;
      if (!skip1 && distance1 < current) value1 = distance1 > 0 ? distance1 : 0;
      if (!skip2 && distance2 < current) value2 = distance2 > 0 ? distance2 : 0;
      if (!skip3 && distance3 < current) value3 = distance3 > 0 ? distance3 : 0;
    }
    candidates[out0 + i] = value0;
    candidates[out1 + i] = value1;
    candidates[out2 + i] = value2;
    candidates[out3 + i] = value3;
    potential0 += value0;
    potential1 += value1;
    potential2 += value2;
    potential3 += value3;
  }
  potentials[t] = potential0;
  potentials[t + 1] = potential1;
  potentials[t + 2] = potential2;
  potentials[t + 3] = potential3;
}

/** Trial t over a chunk. */
function oneTrial(chunk: PlusPlusChunk, round: PlusPlusBroadcast, t: number, potentials: Float64Array): void {
  const { k, candidateRows, candidateToCentre } = round;
  const { points: x, columns: d, norms, closest, nearestCentre, candidates } = chunk.arrays;
  const { start, end } = chunk;
  const n = closest.length;
  const offset = candidateRows[t] * d;
  const candidateNorm = norms[candidateRows[t]];
  const toCentre = t * k;
  const out = t * n;
  let potential = 0;
  for (let i = start; i < end; i++) {
    const current = closest[i];
    let value = current;
    if (candidateToCentre[toCentre + nearestCentre[i]] < 4 * current) {
      const rowOffset = i * d;
      let dot = 0;
      for (let j = 0; j < d; j++) dot += x[rowOffset + j] * x[offset + j];
      const distance = norms[i] + candidateNorm - 2 * dot;
      if (distance < current) value = distance > 0 ? distance : 0;
    }
    candidates[out + i] = value;
    potential += value;
  }
  potentials[t] = potential;
}

/** The kernels as functions worker threads can load (this module's exports). */
export const assignKernel = exported(assignChunks, import.meta.url);
export const plusPlusKernel = exported(plusPlusTrials, import.meta.url);
