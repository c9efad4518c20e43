/**
 * One chunk of a superstep of the typed gather-sum-apply path (typed-gather-sum-apply.ts): the
 * built-in combiner folds the messages of each vertex's in-edges into `next`, then the
 * program's apply function turns them into the vertex's new value and next message. This
 * module is what the worker threads load; it only defines functions.
 *
 * Every vertex's combination is made by one thread, in in-edge order, and a chunk's partial
 * aggregates are its own, so the values are the same whichever thread runs which chunk.
 */
import { type LoadedExport, loadExport } from '../../core/threads/module-export.js';
import type { EdgeOffsets } from '../csr.js';
import { type SumArena, sumInArena } from './wasm-sum.js';

/** A built-in combiner of the typed path: its code in the kernels' arguments. */
export type TypedCombiner = 'sum' | 'min' | 'max';

/** The combiner's identity: what a vertex without in-edges gets. */
export function combinerIdentity(combiner: TypedCombiner): number {
  if (combiner === 'sum') return 0;
  return combiner === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
}

/**
 * What a program's apply (or scatter) function sees of its vertex range `[start, end)`. It
 * writes `next` (apply only), `messages` and `partial` for the vertices of its range only.
 */
export interface TypedVertexRange {
  /** The first vertex of the range. */
  readonly start: number;
  /** One past the last vertex of the range. */
  readonly end: number;
  /** The superstep, from 1 (0 in the scatter before the first superstep). */
  readonly superstep: number;
  /** The current value of every vertex (read only). */
  readonly values: Float64Array;
  /**
   * Apply: on entry, each vertex's combined messages (the combiner's identity when none came);
   * the function replaces them with the vertex's new value. Finish: the new values as the apply
   * left them, to rewrite. Scatter: unused.
   */
  readonly next: Float64Array;
  /** What each vertex of the range sends along its out-edges in the next superstep (write). */
  readonly messages: Float64Array;
  /** The program's read-only per-vertex arrays (`arrays` of the options), in their order. */
  readonly arrays: readonly Float64Array[];
  /** The program's numeric parameters (`parameters` of the options), in their order. */
  readonly parameters: readonly number[];
  /**
   * Each aggregator's value: in a superstep's first apply, after the previous superstep (after
   * the scatter in superstep 1); in a finish or a later step's apply, as this superstep's
   * phases so far left it. Zeros in the scatter.
   */
  readonly aggregates: Float64Array;
  /**
   * This range's part of each aggregator (write): it starts at the aggregator's identity in
   * each superstep and is kept between the phases of a superstep (a step's apply and finish,
   * the next step), so a phase leaves alone the parts it does not own.
   */
  readonly partial: Float64Array;
}

/** A program's apply or scatter function: it runs over a vertex range, on any thread. */
export type TypedVertexFunction = (range: TypedVertexRange) => void;

/** Arguments shared by every chunk of a superstep. */
type SuperstepArguments = [
  combiner: TypedCombiner,
  offsets: EdgeOffsets,
  sources: readonly Int32Array[],
  weights: readonly Float64Array[] | null,
  arenas: readonly SumArena[] | null,
  segmentStarts: Int32Array,
  messages: Float64Array,
  values: Float64Array,
  next: Float64Array,
  nextMessages: Float64Array,
  arrays: readonly Float64Array[],
  parameters: readonly number[],
  aggregates: Float64Array,
  partials: Float64Array,
  bounds: Int32Array,
  superstep: number,
  chunk: number,
];

/**
 * One chunk of a superstep with `apply` already loaded: combines the in-edge messages of the
 * chunk's vertices into `next`, then applies. Returns nothing (the partial aggregates are in
 * `partials`, the chunk's slice of `aggregates.length` numbers).
 */
export function superstepChunk(apply: TypedVertexFunction, ...args: SuperstepArguments): void {
  const [combiner, offsets, sources, weights, arenas, segmentStarts, messages, values, next, nextMessages] =
    args;
  const [, , , , , , , , , , arrays, parameters, aggregates, partials, bounds, superstep, chunk] = args;
  const start = bounds[chunk];
  const end = bounds[chunk + 1];
  // The in-edge arrays come in segments of consecutive vertices (one unless the index is larger
  // than a buffer a worker can take); a chunk combines each of its parts from its segment, so
  // chunks and their partial aggregates do not depend on the segments.
  let segment = 0;
  while (segmentStarts[segment + 1] <= start && segment + 2 < segmentStarts.length) segment++;
  for (let from = start; from < end; segment++) {
    const to = Math.min(end, segmentStarts[segment + 1]);
    const base = offsets[segmentStarts[segment]];
    if (arenas !== null) sumInArena(arenas[segment], next, from, to);
    else if (weights === null) combine(combiner, offsets, base, sources[segment], messages, next, from, to);
    else {
      combineWeighted(combiner, offsets, base, sources[segment], weights[segment], messages, next, from, to);
    }
    from = to;
  }
  const count = aggregates.length;
  const partial = partials.subarray(chunk * count, chunk * count + count);
  apply({
    start,
    end,
    superstep,
    values,
    next,
    messages: nextMessages,
    arrays,
    parameters,
    aggregates,
    partial,
  });
}

/** {@link superstepChunk} in a worker: the apply function is loaded by name (once per thread). */
export async function superstepChunkByName(
  module: string,
  exportName: string,
  ...args: SuperstepArguments
): Promise<void> {
  superstepChunk((await loadExport(module, exportName)) as LoadedExport as TypedVertexFunction, ...args);
}

/** Arguments shared by every chunk of a phase without combination (a scatter or a finish). */
type MapArguments = [
  values: Float64Array,
  next: Float64Array,
  messages: Float64Array,
  arrays: readonly Float64Array[],
  parameters: readonly number[],
  aggregates: Float64Array,
  partials: Float64Array,
  bounds: Int32Array,
  superstep: number,
  chunk: number,
];

/**
 * One chunk of a phase that combines nothing: the scatter before superstep 1 (the messages of
 * the initial values) or a step's finish (its new values and messages rewritten once the
 * aggregates of its apply are known).
 */
export function mapChunk(fn: TypedVertexFunction, ...args: MapArguments): void {
  const [values, next, messages, arrays, parameters, aggregates, partials, bounds, superstep, chunk] = args;
  const count = aggregates.length;
  fn({
    start: bounds[chunk],
    end: bounds[chunk + 1],
    superstep,
    values,
    next,
    messages,
    arrays,
    parameters,
    aggregates,
    partial: partials.subarray(chunk * count, chunk * count + count),
  });
}

/** {@link mapChunk} in a worker: the function is loaded by name (once per thread). */
export async function mapChunkByName(
  module: string,
  exportName: string,
  ...args: MapArguments
): Promise<void> {
  mapChunk((await loadExport(module, exportName)) as LoadedExport as TypedVertexFunction, ...args);
}

// One loop per combiner (monomorphic, no function call per edge); `base` is the position of
// the segment's first in-edge, where its arrays start. The sums take four in-edges a step,
// added left to right: the same additions in the same order as one at a time (the same bits),
// with a quarter of the loop's checks; about a third less time a round (bench/RESULTS.md).

function combine(
  combiner: TypedCombiner,
  offsets: EdgeOffsets,
  base: number,
  sources: Int32Array,
  messages: Float64Array,
  next: Float64Array,
  start: number,
  end: number,
): void {
  let first = offsets[start] - base;
  if (combiner === 'sum') {
    for (let v = start; v < end; v++) {
      const last = offsets[v + 1] - base;
      let sum = 0;
      let e = first;
      for (const stop = last - 3; e < stop; e += 4) {
        sum =
          sum +
          messages[sources[e]] +
          messages[sources[e + 1]] +
          messages[sources[e + 2]] +
          messages[sources[e + 3]];
      }
      for (; e < last; e++) sum += messages[sources[e]];
      next[v] = sum;
      first = last;
    }
  } else if (combiner === 'min') {
    for (let v = start; v < end; v++) {
      const last = offsets[v + 1] - base;
      let min = Number.POSITIVE_INFINITY;
      for (let e = first; e < last; e++) {
        const message = messages[sources[e]];
        if (message < min) min = message;
      }
      next[v] = min;
      first = last;
    }
  } else {
    for (let v = start; v < end; v++) {
      const last = offsets[v + 1] - base;
      let max = Number.NEGATIVE_INFINITY;
      for (let e = first; e < last; e++) {
        const message = messages[sources[e]];
        if (message > max) max = message;
      }
      next[v] = max;
      first = last;
    }
  }
}

function combineWeighted(
  combiner: TypedCombiner,
  offsets: EdgeOffsets,
  base: number,
  sources: Int32Array,
  weights: Float64Array,
  messages: Float64Array,
  next: Float64Array,
  start: number,
  end: number,
): void {
  let first = offsets[start] - base;
  if (combiner === 'sum') {
    for (let v = start; v < end; v++) {
      const last = offsets[v + 1] - base;
      let sum = 0;
      let e = first;
      for (const stop = last - 3; e < stop; e += 4) {
        sum =
          sum +
          messages[sources[e]] * weights[e] +
          messages[sources[e + 1]] * weights[e + 1] +
          messages[sources[e + 2]] * weights[e + 2] +
          messages[sources[e + 3]] * weights[e + 3];
      }
      for (; e < last; e++) sum += messages[sources[e]] * weights[e];
      next[v] = sum;
      first = last;
    }
  } else if (combiner === 'min') {
    for (let v = start; v < end; v++) {
      const last = offsets[v + 1] - base;
      let min = Number.POSITIVE_INFINITY;
      for (let e = first; e < last; e++) {
        const message = messages[sources[e]] * weights[e];
        if (message < min) min = message;
      }
      next[v] = min;
      first = last;
    }
  } else {
    for (let v = start; v < end; v++) {
      const last = offsets[v + 1] - base;
      let max = Number.NEGATIVE_INFINITY;
      for (let e = first; e < last; e++) {
        const message = messages[sources[e]] * weights[e];
        if (message > max) max = message;
      }
      next[v] = max;
      first = last;
    }
  }
}
