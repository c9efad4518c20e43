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

/** Rows a histogram chunk takes through all its features before the next: their statistics stay in cache. */
const TILE_ROWS = 2048;

/**
 * Adds the statistics of the rows of each node given a histogram this level into histogram
 * `block` for a group of features. Slot t's rows of the block are `order[rangeStart[block *
 * slots + t] .. rangeEnd[block * slots + t])`, in ascending order; rows whose count (stat 0) is
 * 0 count for nothing. Cell `((block * slots + t) * totalBins + binOffset[f] + bin) * width + s`
 * gets `stats[i * width + s]`. Chunk `c` is block `floor(c / groups)` and features `[g *
 * groupFeatures, (g + 1) * groupFeatures)` with `g = c % groups`; each cell belongs to exactly
 * one chunk and gets its rows in ascending order.
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
  groupFeatures: number,
  chunk: number,
): void {
  const groups = Math.ceil(features / groupFeatures);
  const block = Math.floor(chunk / groups);
  const first = (chunk - block * groups) * groupFeatures;
  const last = Math.min(features, first + groupFeatures);
  const add = width === 3 ? addRows3 : addRows;
  for (let slot = 0; slot < slots; slot++) {
    const range = block * slots + slot;
    const end = rangeEnd[range];
    for (let from = rangeStart[range]; from < end; from += TILE_ROWS) {
      const to = Math.min(end, from + TILE_ROWS);
      let feature = first;
      if (width === 3) {
        // Four features a sweep: each row's statistics are read once for all four.
        for (; feature + 4 <= last; feature += 4) {
          const base = range * totalBins;
          addRows3Four(
            bins,
            feature * rows,
            rows,
            stats,
            order,
            from,
            to,
            histograms,
            (base + binOffset[feature]) * 3,
            (base + binOffset[feature + 1]) * 3,
            (base + binOffset[feature + 2]) * 3,
            (base + binOffset[feature + 3]) * 3,
          );
        }
      }
      for (; feature < last; feature++) {
        const base = (range * totalBins + binOffset[feature]) * width;
        add(bins, feature * rows, stats, width, order, from, to, histograms, base);
      }
    }
  }
}

/** Adds the statistics of rows `order[from .. to)` to the histogram of one feature at `base`. */
function addRows(
  bins: BinMatrix,
  column: number,
  stats: Float64Array,
  width: number,
  order: Int32Array,
  from: number,
  to: number,
  histograms: Float64Array,
  base: number,
): void {
  for (let k = from; k < to; k++) {
    const i = order[k];
    const row = i * width;
    if (stats[row] === 0) continue;
    const at = base + bins[column + i] * width;
    for (let s = 0; s < width; s++) histograms[at + s] += stats[row + s];
  }
}

/**
 * {@link addRows} for three statistics (two classes, boosting) and four consecutive features
 * (columns `column`, `column + rows`, ...), with histograms at `base0 .. base3`.
 */
function addRows3Four(
  bins: BinMatrix,
  column: number,
  rows: number,
  stats: Float64Array,
  order: Int32Array,
  from: number,
  to: number,
  histograms: Float64Array,
  base0: number,
  base1: number,
  base2: number,
  base3: number,
): void {
  for (let k = from; k < to; k++) {
    const i = order[k];
    const row = i * 3;
    const count = stats[row];
    if (count === 0) continue;
    const a = stats[row + 1];
    const b = stats[row + 2];
    const cell = column + i;
    addCell3(histograms, base0 + bins[cell] * 3, count, a, b);
    addCell3(histograms, base1 + bins[cell + rows] * 3, count, a, b);
    addCell3(histograms, base2 + bins[cell + 2 * rows] * 3, count, a, b);
    addCell3(histograms, base3 + bins[cell + 3 * rows] * 3, count, a, b);
  }
}

/** Adds three statistics to the histogram cell at `at` (small enough for the compiler to inline). */
function addCell3(histograms: Float64Array, at: number, count: number, a: number, b: number): void {
  histograms[at] += count;
  histograms[at + 1] += a;
  histograms[at + 2] += b;
}

/** {@link addRows} unrolled for two classes' three statistics. */
function addRows3(
  bins: BinMatrix,
  column: number,
  stats: Float64Array,
  _width: number,
  order: Int32Array,
  from: number,
  to: number,
  histograms: Float64Array,
  base: number,
): void {
  for (let k = from; k < to; k++) {
    const i = order[k];
    const row = i * 3;
    if (stats[row] === 0) continue;
    const at = base + bins[column + i] * 3;
    histograms[at] += stats[row];
    histograms[at + 1] += stats[row + 1];
    histograms[at + 2] += stats[row + 2];
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
