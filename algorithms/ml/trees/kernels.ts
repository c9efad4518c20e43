/**
 * The passes of tree training over the binned rows, as kernels of the core driver
 * (`runChunks`): worker threads load this module by itself, so it only defines functions. Every
 * pass writes only its own part of shared arrays, and every histogram cell is summed by one
 * thread in row order, so the trees are the same at every parallelism.
 */

/** A binned feature matrix, column-major: `bins[f * rows + i]` is row i's bin of feature f. */
export type BinMatrix = Uint8Array | Uint16Array;

/**
 * Splits the segment of `order` that holds the rows of one node split at the last level (chunk
 * s is split s): the rows that go left come first, then those that go right, each in the order
 * they had, so every node's rows stay in ascending order. Split s holds `order[segmentStart[s]
 * .. segmentEnd[s])`, tests feature `splitFeature[s]` and sends a row left when `goesLeft[s *
 * maxBins + bin]` is 1; its rows that go left are counted into `leftCount[s]`. `spare` is
 * scratch of the length of `order`; splits touch disjoint parts of both.
 */
export function partitionRows(
  bins: BinMatrix,
  rows: number,
  order: Int32Array,
  spare: Int32Array,
  segmentStart: Int32Array,
  segmentEnd: Int32Array,
  splitFeature: Int32Array,
  goesLeft: Uint8Array,
  maxBins: number,
  leftCount: Int32Array,
  split: number,
): void {
  const start = segmentStart[split];
  const end = segmentEnd[split];
  const column = splitFeature[split] * rows;
  const side = split * maxBins;
  // Left rows move down within the segment (never past an unread one), right rows wait in spare.
  let left = start;
  let right = start;
  for (let k = start; k < end; k++) {
    const i = order[k];
    if (goesLeft[side + bins[column + i]] === 1) order[left++] = i;
    else spare[right++] = i;
  }
  order.set(spare.subarray(start, right), left);
  leftCount[split] = left - start;
}

/**
 * Adds the statistics of the rows of each node given a histogram this level into histogram
 * `block` for one feature. Slot t's rows of the block are `order[rangeStart[block * slots + t]
 * .. rangeEnd[block * slots + t])`, in ascending order; rows whose count (stat 0) is 0 count for
 * nothing. Cell `((block * slots + t) * totalBins + binOffset[f] + bin) * width + s` gets
 * `stats[i * width + s]`. Chunk `c` is block `floor(c / features)`, feature `c % features`;
 * each cell belongs to exactly one chunk and gets its rows in ascending order.
 */
export function buildHistograms(
  bins: BinMatrix,
  rows: number,
  features: number,
  stats: Float64Array,
  width: number,
  order: Int32Array,
  rangeStart: Int32Array,
  rangeEnd: Int32Array,
  slots: number,
  binOffset: Int32Array,
  totalBins: number,
  histograms: Float64Array,
  chunk: number,
): void {
  const block = Math.floor(chunk / features);
  const feature = chunk - block * features;
  const column = feature * rows;
  for (let slot = 0; slot < slots; slot++) {
    const range = block * slots + slot;
    const base = (range * totalBins + binOffset[feature]) * width;
    const end = rangeEnd[range];
    // Unrolled for the common widths: two classes (3) and boosting (5).
    if (width === 5) {
      for (let k = rangeStart[range]; k < end; k++) {
        const i = order[k];
        const from = i * 5;
        if (stats[from] === 0) continue;
        const at = base + bins[column + i] * 5;
        histograms[at] += stats[from];
        histograms[at + 1] += stats[from + 1];
        histograms[at + 2] += stats[from + 2];
        histograms[at + 3] += stats[from + 3];
        histograms[at + 4] += stats[from + 4];
      }
    } else if (width === 3) {
      for (let k = rangeStart[range]; k < end; k++) {
        const i = order[k];
        const from = i * 3;
        if (stats[from] === 0) continue;
        const at = base + bins[column + i] * 3;
        histograms[at] += stats[from];
        histograms[at + 1] += stats[from + 1];
        histograms[at + 2] += stats[from + 2];
      }
    } else {
      for (let k = rangeStart[range]; k < end; k++) {
        const i = order[k];
        const from = i * width;
        if (stats[from] === 0) continue;
        const at = base + bins[column + i] * width;
        for (let s = 0; s < width; s++) histograms[at + s] += stats[from + s];
      }
    }
  }
}

/**
 * Bins one chunk of rows of a row-major feature matrix: bin of value v is the first b with
 * `v <= thresholds[thresholdOffset[f] + b]` (the last bin when there is none). Categorical
 * features (`thresholdCount[f] < 0`) take the value itself as the bin.
 */
export function binRows(
  data: Float64Array,
  rows: number,
  features: number,
  thresholds: Float64Array,
  thresholdOffset: Int32Array,
  thresholdCount: Int32Array,
  bins: BinMatrix,
  chunkRows: number,
  chunk: number,
): void {
  const end = Math.min(rows, (chunk + 1) * chunkRows);
  for (let f = 0; f < features; f++) {
    const count = thresholdCount[f];
    const offset = thresholdOffset[f];
    const column = f * rows;
    for (let i = chunk * chunkRows; i < end; i++) {
      const value = data[i * features + f];
      if (count < 0) {
        bins[column + i] = value;
        continue;
      }
      let low = 0;
      let high = count;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (value <= thresholds[offset + middle]) high = middle;
        else low = middle + 1;
      }
      bins[column + i] = low;
    }
  }
}
