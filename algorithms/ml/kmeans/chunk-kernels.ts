/**
 * The per-chunk work of k-means, as functions any thread can run: the rows are cut into chunks
 * of {@link CHUNK_ROWS} (a layout that does not depend on the number of threads), and every
 * thread taking part in a round claims chunks from a shared counter until none is left. Each
 * chunk writes only its own rows' state and its own per-chunk results, which the calling
 * thread adds up in chunk order: so the centres and labels are the same, bit for bit, whether
 * one thread does every chunk or several share them, and a thread that starts late (a worker
 * still loading) only takes fewer chunks.
 *
 * Worker threads load this module: it imports only the assignment step and the distance.
 */
import { assignEuclidean, type BroadcastCentres, type ChunkState } from './step.js';

/** Rows per chunk: small enough to balance two threads, large enough that a chunk's k x d sums cost nothing. */
export const CHUNK_ROWS = 4096;

/** The number of chunks of `rows` rows. */
export function chunkCount(rows: number): number {
  return Math.ceil(rows / CHUNK_ROWS);
}

/**
 * The broadcast centres packed in one array, so threads share them: k x d centres, then the
 * drift, the half-separation and the squared norm of each centre ({@link BroadcastCentres}).
 */
export function packedBroadcastLength(k: number, d: number): number {
  return k * d + 3 * k;
}

/** Writes a {@link BroadcastCentres} into its packed form. */
export function packBroadcast(broadcast: BroadcastCentres, d: number, packed: Float64Array): void {
  const { k } = broadcast;
  packed.set(broadcast.centres.subarray(0, k * d), 0);
  packed.set(broadcast.drift, k * d);
  packed.set(broadcast.halfSeparation, k * d + k);
  packed.set(broadcast.centreNorms, k * d + 2 * k);
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
 * One Lloyd assignment round over the chunks this thread claims from `nextChunk[0]`: rows
 * keep their labels and Hamerly bounds in `labels`, `upper`, `lower`; chunk c keeps its sums
 * in `chunkSums[c*k*d ..]` and counts in `chunkCounts[c*k ..]`. Returns how many labels changed.
 */
export function assignChunks(
  points: Float64Array,
  d: number,
  k: number,
  labels: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
  chunkSums: Float64Array,
  chunkCounts: Float64Array,
  broadcast: Float64Array,
  nextChunk: Int32Array,
): number {
  const n = labels.length;
  const chunks = chunkCount(n);
  const centres = unpackBroadcast(broadcast, k, d);
  let changed = 0;
  for (let chunk = Atomics.add(nextChunk, 0, 1); chunk < chunks; chunk = Atomics.add(nextChunk, 0, 1)) {
    const start = chunk * CHUNK_ROWS;
    const end = Math.min(n, start + CHUNK_ROWS);
    const state: ChunkState = {
      labels: labels.subarray(start, end),
      upper: upper.subarray(start, end),
      lower: lower.subarray(start, end),
      sums: chunkSums.subarray(chunk * k * d, (chunk + 1) * k * d),
      counts: chunkCounts.subarray(chunk * k, (chunk + 1) * k),
    };
    const rows = { rows: end - start, columns: d, data: points.subarray(start * d, end * d) };
    changed += assignEuclidean(rows, centres, state);
  }
  return changed;
}

/**
 * One k-means++ round over the chunks this thread claims: for each of the `trials` candidate
 * rows (`candidateRows[t]`), every row's squared distance to its nearest centre if the
 * candidate were added goes to `candidates[t*n + i]`, and each chunk's sum of them to
 * `chunkPotential[t*chunks + chunk]`. A candidate at least twice as far from a row's nearest
 * centre as the row is (`candidateToCentre[t*k + centre]`, squared) cannot come nearer
 * (triangle inequality), so that distance is skipped.
 */
export function plusPlusTrials(
  points: Float64Array,
  d: number,
  norms: Float64Array,
  closest: Float64Array,
  nearestCentre: Int32Array,
  candidates: Float64Array,
  candidateRows: Int32Array,
  candidateToCentre: Float64Array,
  k: number,
  chunkPotential: Float64Array,
  nextChunk: Int32Array,
): number {
  const x = points;
  const n = closest.length;
  const chunks = chunkCount(n);
  const trials = candidateRows.length;
  const potentials = new Float64Array(trials);
  for (let chunk = Atomics.add(nextChunk, 0, 1); chunk < chunks; chunk = Atomics.add(nextChunk, 0, 1)) {
    const start = chunk * CHUNK_ROWS;
    const end = Math.min(n, start + CHUNK_ROWS);
    potentials.fill(0);
    let t = 0;
    // Four candidates at a time: each coordinate of a row is loaded once for four multiply-adds.
    for (; t + 3 < trials; t += 4) {
      const offset0 = candidateRows[t] * d;
      const offset1 = candidateRows[t + 1] * d;
      const offset2 = candidateRows[t + 2] * d;
      const offset3 = candidateRows[t + 3] * d;
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
          const distance0 = norm + norms[candidateRows[t]] - 2 * dot0;
          const distance1 = norm + norms[candidateRows[t + 1]] - 2 * dot1;
          const distance2 = norm + norms[candidateRows[t + 2]] - 2 * dot2;
          const distance3 = norm + norms[candidateRows[t + 3]] - 2 * dot3;
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
    for (; t < trials; t++) {
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
    for (let trial = 0; trial < trials; trial++) chunkPotential[trial * chunks + chunk] = potentials[trial];
  }
  return 0;
}
