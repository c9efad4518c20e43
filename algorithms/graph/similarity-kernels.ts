/**
 * The vertex-pair similarity kernels the core driver runs on every thread (Jaccard index,
 * Adamic-Adar). Workers import this module by itself, so it only defines functions.
 *
 * A chunk is a run of vertices u; for each, every neighbour w and every neighbour v > u of w
 * (the tail of w's sorted list past u) add into dense per-thread scratch arrays, reset
 * through the list of the v touched, so the work is the number of wedges. The v are written
 * in increasing order, so a chunk's pairs come out sorted by (u, v): the touched list is
 * sorted when it is short, and read back from the scratch array in order when it is long.
 */
import { withTransfer } from '../../src/core/threads/transfer.js';
import type { EdgeOffsets } from '../../src/graph/csr.js';

/** A chunk's pairs (first < second), sorted by first then second, and their scores. */
export interface PairChunk {
  readonly first: Int32Array;
  readonly second: Int32Array;
  readonly scores: Float64Array;
}

/** Scratch arrays of this thread, kept between chunks (one set per thread). */
let scratch: { shared: Int32Array; weight: Float64Array; touched: Int32Array } | undefined;

function scratchFor(n: number) {
  if (scratch === undefined || scratch.shared.length !== n) {
    scratch = { shared: new Int32Array(n), weight: new Float64Array(n), touched: new Int32Array(n) };
  }
  return scratch;
}

/** Pairs written so far by a chunk, in arrays that double as they fill. */
class PairWriter {
  size = 0;
  first = new Int32Array(256);
  second = new Int32Array(256);
  scores = new Float64Array(256);

  push(u: number, v: number, score: number): void {
    if (this.size === this.first.length) {
      const grow = <A extends Int32Array | Float64Array>(array: A): A => {
        const larger = new (array.constructor as new (length: number) => A)(2 * array.length);
        larger.set(array);
        return larger;
      };
      this.first = grow(this.first);
      this.second = grow(this.second);
      this.scores = grow(this.scores);
    }
    this.first[this.size] = u;
    this.second[this.size] = v;
    this.scores[this.size++] = score;
  }

  /** The pairs, their buffers marked to move (not be copied) to the calling thread. */
  finish(): PairChunk {
    const chunk = {
      first: this.first.slice(0, this.size),
      second: this.second.slice(0, this.size),
      scores: this.scores.slice(0, this.size),
    };
    return withTransfer(chunk, [chunk.first.buffer, chunk.second.buffer, chunk.scores.buffer]);
  }
}

/**
 * The `count` vertices `touched` (those v > u with `shared[v]` not 0), in increasing order:
 * sorted when few, or, when they are dense enough that reading the rest of `shared` costs less
 * than sorting them, collected from it in order.
 */
function inOrder(shared: Int32Array, touched: Int32Array, count: number, u: number): Int32Array {
  const n = shared.length;
  if (count * 16 < n - u) return touched.subarray(0, count).sort();
  let write = 0;
  for (let v = u + 1; write < count; v++) if (shared[v] !== 0) touched[write++] = v;
  return touched;
}

/** The first index of `neighbors[start .. end - 1]` (sorted) holding a value above `u`. */
function firstAbove(neighbors: Int32Array, start: number, end: number, u: number): number {
  let low = start;
  let high = end;
  while (low < high) {
    // Positions reach 2^32 - 1: halve the difference, which is below 2^32.
    const middle = low + ((high - low) >>> 1);
    if (neighbors[middle] <= u) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * How far the degrees of a pair may lie apart for its Jaccard index to reach `minimum`: the
 * index is at most min(degree) / max(degree), so v can only score with u when its degree lies
 * in `[low, high]`. Widened by a relative 1e-9, far beyond the rounding of the score, so that
 * no pair the score itself would keep falls outside.
 */
function jaccardDegreeWindow(degree: number, minimum: number): { low: number; high: number } {
  const slack = 1 - 1e-9;
  return { low: Math.floor(minimum * degree * slack), high: Math.ceil(degree / (minimum * slack)) };
}

/** The first index of `list[start .. end - 1]` (sorted by degree) whose degree is at least `low`. */
function firstOfDegree(
  offsets: EdgeOffsets,
  list: Int32Array,
  start: number,
  end: number,
  low: number,
): number {
  let lowIndex = start;
  let highIndex = end;
  while (lowIndex < highIndex) {
    const middle = lowIndex + ((highIndex - lowIndex) >>> 1);
    const v = list[middle];
    if (offsets[v + 1] - offsets[v] < low) lowIndex = middle + 1;
    else highIndex = middle;
  }
  return lowIndex;
}

/**
 * Jaccard index |N(u) ∩ N(v)| / |N(u) ∪ N(v)| of the pairs u < v with a shared neighbour and
 * u in `bounds[chunk] .. bounds[chunk + 1]`, those scoring at least `minimum`; adds the chunk's
 * vertex count to `verticesDone[0]`. With a minimum above 0, `byDegree` holds every
 * neighbour list again sorted by degree (then id), and only the v of a degree that can reach
 * the minimum ({@link jaccardDegreeWindow}) are visited; with 0 it is not read.
 */
export function jaccardChunk(
  offsets: EdgeOffsets,
  neighbors: Int32Array,
  byDegree: Int32Array,
  bounds: Int32Array,
  minimum: number,
  verticesDone: Int32Array,
  chunk: number,
): PairChunk {
  const { shared, touched } = scratchFor(offsets.length - 1);
  const pairs = new PairWriter();
  const first = bounds[chunk];
  const last = bounds[chunk + 1];
  for (let u = first; u < last; u++) {
    let touchedCount = 0;
    const uEnd = offsets[u + 1];
    const degreeU = uEnd - offsets[u];
    if (minimum > 0) {
      const { low, high } = jaccardDegreeWindow(degreeU, minimum);
      for (let a = offsets[u]; a < uEnd; a++) {
        const w = neighbors[a];
        const wEnd = offsets[w + 1];
        for (let b = firstOfDegree(offsets, byDegree, offsets[w], wEnd, low); b < wEnd; b++) {
          const v = byDegree[b];
          if (offsets[v + 1] - offsets[v] > high) break;
          if (v > u && shared[v]++ === 0) touched[touchedCount++] = v;
        }
      }
    } else {
      for (let a = offsets[u]; a < uEnd; a++) {
        const w = neighbors[a];
        const wEnd = offsets[w + 1];
        for (let b = firstAbove(neighbors, offsets[w], wEnd, u); b < wEnd; b++) {
          const v = neighbors[b];
          if (shared[v]++ === 0) touched[touchedCount++] = v;
        }
      }
    }
    const sorted = inOrder(shared, touched, touchedCount, u);
    for (let t = 0; t < touchedCount; t++) {
      const v = sorted[t];
      const common = shared[v];
      const score = common / (degreeU + offsets[v + 1] - offsets[v] - common);
      if (score >= minimum) pairs.push(u, v, score);
      shared[v] = 0;
    }
  }
  Atomics.add(verticesDone, 0, last - first);
  return pairs.finish();
}

/**
 * Adamic-Adar index Σ 1 / ln(degree(w)) over the shared neighbours w (summed in increasing
 * w) of the pairs u < v with a shared neighbour and u in `bounds[chunk] .. bounds[chunk + 1]`,
 * those scoring at least `minimum`; adds the chunk's vertex count to `verticesDone[0]`.
 */
export function adamicAdarChunk(
  offsets: EdgeOffsets,
  neighbors: Int32Array,
  bounds: Int32Array,
  minimum: number,
  verticesDone: Int32Array,
  chunk: number,
): PairChunk {
  const { shared, weight, touched } = scratchFor(offsets.length - 1);
  const pairs = new PairWriter();
  const first = bounds[chunk];
  const last = bounds[chunk + 1];
  for (let u = first; u < last; u++) {
    let touchedCount = 0;
    const uEnd = offsets[u + 1];
    for (let a = offsets[u]; a < uEnd; a++) {
      const w = neighbors[a];
      const wEnd = offsets[w + 1];
      const contribution = 1 / Math.log(wEnd - offsets[w]);
      for (let b = firstAbove(neighbors, offsets[w], wEnd, u); b < wEnd; b++) {
        const v = neighbors[b];
        if (shared[v]++ === 0) touched[touchedCount++] = v;
        weight[v] += contribution;
      }
    }
    const sorted = inOrder(shared, touched, touchedCount, u);
    for (let t = 0; t < touchedCount; t++) {
      const v = sorted[t];
      if (weight[v] >= minimum) pairs.push(u, v, weight[v]);
      shared[v] = 0;
      weight[v] = 0;
    }
  }
  Atomics.add(verticesDone, 0, last - first);
  return pairs.finish();
}
