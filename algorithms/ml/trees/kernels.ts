/**
 * The two passes of level-wise tree training over the binned rows, as kernels of the core
 * driver (`runChunks`): worker threads load this module by itself, so it only defines
 * functions. Both passes write only their own part of shared arrays, and every histogram cell
 * is summed by one thread in row order, so the trees are the same at every parallelism.
 */

/** A binned feature matrix, column-major: `bins[f * rows + i]` is row i's bin of feature f. */
export type BinMatrix = Uint8Array | Uint16Array;

/**
 * Moves every row of a node split at the last level to its child, and gives each row the
 * histogram slot of its (new) node for this level (-1: no histogram of that node is built, or
 * the row counts for nothing in this tree).
 *
 * `splitOf[node]` is the index of the node's split among the last level's splits (-1 if it was
 * not split then); split s tests feature `splitFeature[s]` and sends a row left when
 * `goesLeft[s * maxBins + bin]` is 1. A split node's children are `leftChild[node]` and the
 * node after it. The chunk is the row range `[chunk * chunkRows, (chunk + 1) * chunkRows)`.
 */
export function routeRows(
  bins: BinMatrix,
  rows: number,
  stats: Float64Array,
  width: number,
  nodeOf: Int32Array,
  slotOf: Int32Array,
  splitOf: Int32Array,
  splitFeature: Int32Array,
  goesLeft: Uint8Array,
  maxBins: number,
  leftChild: Int32Array,
  slotOfNode: Int32Array,
  chunkRows: number,
  chunk: number,
): void {
  const end = Math.min(rows, (chunk + 1) * chunkRows);
  for (let i = chunk * chunkRows; i < end; i++) {
    let node = nodeOf[i];
    const split = splitOf[node];
    if (split >= 0) {
      const bin = bins[splitFeature[split] * rows + i];
      node = leftChild[node] + 1 - goesLeft[split * maxBins + bin];
      nodeOf[i] = node;
    }
    slotOf[i] = stats[i * width] === 0 || node >= slotOfNode.length ? -1 : slotOfNode[node];
  }
}

/**
 * Adds the statistics of each row with a slot into histogram `block` (the row range of the
 * block) for one feature: cell `((block * slots + slot) * totalBins + binOffset[f] + bin) *
 * width + s` gets `stats[i * width + s]`. Chunk `c` is block `floor(c / features)`, feature
 * `c % features`; each cell belongs to exactly one chunk.
 */
export function buildHistograms(
  bins: BinMatrix,
  rows: number,
  features: number,
  stats: Float64Array,
  width: number,
  slotOf: Int32Array,
  slots: number,
  binOffset: Int32Array,
  totalBins: number,
  histograms: Float64Array,
  blockRows: number,
  chunk: number,
): void {
  const block = Math.floor(chunk / features);
  const feature = chunk - block * features;
  const start = block * blockRows;
  const end = Math.min(rows, start + blockRows);
  const column = feature * rows;
  const base = block * slots * totalBins + binOffset[feature];
  const slotStride = totalBins * width;
  // Unrolled for the common widths: two classes (3) and boosting (5).
  if (width === 3) {
    for (let i = start; i < end; i++) {
      const slot = slotOf[i];
      if (slot < 0) continue;
      const at = slot * slotStride + (base + bins[column + i]) * 3;
      const from = i * 3;
      histograms[at] += stats[from];
      histograms[at + 1] += stats[from + 1];
      histograms[at + 2] += stats[from + 2];
    }
    return;
  }
  if (width === 5) {
    for (let i = start; i < end; i++) {
      const slot = slotOf[i];
      if (slot < 0) continue;
      const at = slot * slotStride + (base + bins[column + i]) * 5;
      const from = i * 5;
      histograms[at] += stats[from];
      histograms[at + 1] += stats[from + 1];
      histograms[at + 2] += stats[from + 2];
      histograms[at + 3] += stats[from + 3];
      histograms[at + 4] += stats[from + 4];
    }
    return;
  }
  for (let i = start; i < end; i++) {
    const slot = slotOf[i];
    if (slot < 0) continue;
    const at = slot * slotStride + (base + bins[column + i]) * width;
    const from = i * width;
    for (let s = 0; s < width; s++) histograms[at + s] += stats[from + s];
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
