/**
 * Level-wise tree growth over binned rows (Spark MLlib's algorithm, with the row partition of
 * scikit-learn's histogram boosting): the rows are kept in one index array, each node's rows a
 * segment of it in ascending order; a pass splits the segments of the nodes split at the last
 * level into their children's, and a pass over the segments of that level's open nodes builds
 * their (node, feature, bin) histograms; the best split of every open node comes from its
 * histogram. Of two siblings that both stay open, only the one with fewer rows gets a pass:
 * the other's histogram is the parent's minus its sibling's.
 *
 * The histogram pass cuts the work into (row block, feature group) chunks; the blocks depend on the
 * data's shape only and their histograms are added in block order, so the tree is the same at
 * every parallelism.
 */
import type { RandomSource } from '../../../src/core/random.js';
import { type Binning, cutBetween } from './binning.js';
import type { Criterion } from './criteria.js';
import type { BinMatrix } from './kernels.js';
import type { PassSequence } from './passes.js';
import { DecisionTree } from './tree.js';

/** Rows per histogram block at most: fewer blocks keep the per-block histograms small. */
const BLOCK_ROWS = 1 << 18;
/** Chunks the histogram pass aims at, for balance between threads. */
const HISTOGRAM_CHUNKS = 16;
/** Feature groups per block the histogram pass aims at: a group reads its rows' statistics once. */
const FEATURE_GROUPS = 5;

/** The binned training rows and their statistics (see criteria.ts for the layouts). */
export interface TrainingRows {
  readonly bins: BinMatrix;
  readonly rows: number;
  readonly features: number;
  readonly binning: Binning;
  /** `criterion.width` statistics per row, row-major; stat 0 is the row's count (0: not in this tree). */
  readonly stats: Float64Array;
  /** Whether the arrays passes write must be shared (training on several threads). */
  readonly share: boolean;
}

/** Limits of growth. */
export interface GrowthOptions {
  readonly maxDepth: number;
  readonly minInstancesPerNode: number;
  readonly minInfoGain: number;
  /** Features considered at each node; fewer than all draws them with `random`. */
  readonly featuresPerNode: number;
  /** Draws the features of node n from `random.derive(n)`. */
  readonly random?: RandomSource;
}

/** A grown tree and the leaf each training row ended in. */
export interface GrownTree {
  readonly tree: DecisionTree;
  readonly leafOf: Int32Array;
}

/** A node that may still split, with its statistics and (once built) its histogram. */
interface OpenNode {
  readonly node: number;
  readonly depth: number;
  readonly stats: Float64Array;
  histogram?: Float64Array;
}

/** The best split of a node. */
interface Split {
  feature: number;
  gain: number;
  left: Float64Array;
  /** Bins (categories) that go left, one byte per bin. */
  goesLeft: Uint8Array;
  threshold: number;
  categories: number[] | null;
}

/** The nodes of a tree under construction. */
class NodeList {
  readonly feature: number[] = [];
  readonly threshold: number[] = [];
  readonly categories: (number[] | null)[] = [];
  readonly left: number[] = [];
  readonly value: number[] = [];
  readonly impurity: number[] = [];
  readonly gain: number[] = [];
  readonly weight: number[] = [];
  readonly count: number[] = [];
  private readonly scratch: Float64Array;

  constructor(private readonly criterion: Criterion) {
    this.scratch = new Float64Array(criterion.valueWidth);
  }

  add(stats: Float64Array): number {
    const { criterion } = this;
    this.feature.push(-1);
    this.threshold.push(0);
    this.categories.push(null);
    this.left.push(-1);
    criterion.value(stats, 0, this.scratch, 0);
    this.value.push(...this.scratch);
    this.impurity.push(criterion.impurity(stats, 0));
    this.gain.push(0);
    this.weight.push(criterion.weight(stats, 0));
    this.count.push(stats[0]);
    return this.feature.length - 1;
  }

  toTree(numFeatures: number): DecisionTree {
    return new DecisionTree(
      {
        feature: Int32Array.from(this.feature),
        threshold: Float64Array.from(this.threshold),
        categories: this.categories,
        left: Int32Array.from(this.left),
        value: Float64Array.from(this.value),
        impurity: Float64Array.from(this.impurity),
        gain: Float64Array.from(this.gain),
        weight: Float64Array.from(this.weight),
        count: Float64Array.from(this.count),
      },
      this.criterion.valueWidth,
      numFeatures,
    );
  }
}

function int32(length: number, share: boolean): Int32Array {
  return share ? new Int32Array(new SharedArrayBuffer(length * 4)) : new Int32Array(length);
}

function float64(length: number, share: boolean): Float64Array {
  return share ? new Float64Array(new SharedArrayBuffer(length * 8)) : new Float64Array(length);
}

/** The first position in the ascending `order[from .. to)` whose row is at least `row`. */
function firstAtLeast(order: Int32Array, from: number, to: number, row: number): number {
  let low = from;
  let high = to;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (order[middle] < row) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Grows one tree over `rows`, as passes (run them with passes.ts). */
export function* growTree(
  rows: TrainingRows,
  criterion: Criterion,
  options: GrowthOptions,
): PassSequence<GrownTree> {
  const { bins, rows: n, features: d, binning, stats, share } = rows;
  const width = criterion.width;
  const { binOffset, totalBins, maxBins } = binning;
  const blocks = Math.max(1, Math.min(Math.ceil(n / BLOCK_ROWS), Math.ceil(HISTOGRAM_CHUNKS / d)));
  const blockRows = Math.ceil(n / blocks);
  const groupFeatures = Math.ceil(d / Math.min(d, FEATURE_GROUPS));
  const size = totalBins * width;
  // Every row, ascending within the segment [segmentStart, segmentEnd) of the node it is at.
  const order = int32(n, share);
  for (let i = 0; i < n; i++) order[i] = i;
  const spare = int32(n, share);
  const segmentStart = [0];
  const segmentEnd = [n];
  const nodes = new NodeList(criterion);
  const root = new Float64Array(width);
  for (let i = 0; i < n; i++) for (let s = 0; s < width; s++) root[s] += stats[i * width + s];
  nodes.add(root);
  const canSplit = (node: Float64Array, depth: number) =>
    depth < options.maxDepth && node[0] >= 2 * options.minInstancesPerNode && !criterion.pure(node, 0);
  let open: OpenNode[] = canSplit(root, 0) ? [{ node: 0, depth: 0, stats: root }] : [];
  let build: OpenNode[] = [...open];
  let derive: { node: OpenNode; parent: Float64Array; sibling: OpenNode }[] = [];
  let splits: { node: number; split: Split }[] = [];
  for (;;) {
    if (splits.length > 0) {
      const count = splits.length;
      const starts = int32(count, share);
      const ends = int32(count, share);
      const splitFeature = int32(count, share);
      const goesLeft = share
        ? new Uint8Array(new SharedArrayBuffer(count * maxBins))
        : new Uint8Array(count * maxBins);
      const leftCount = int32(count, share);
      splits.forEach(({ node, split }, s) => {
        starts[s] = segmentStart[node];
        ends[s] = segmentEnd[node];
        splitFeature[s] = split.feature;
        goesLeft.set(split.goesLeft, s * maxBins);
      });
      yield {
        kernel: 'partitionRows',
        args: [bins, n, order, spare, starts, ends, splitFeature, goesLeft, maxBins, leftCount],
        chunks: count,
      };
      splits.forEach(({ node }, s) => {
        const left = nodes.left[node];
        const middle = starts[s] + leftCount[s];
        segmentStart[left] = starts[s];
        segmentEnd[left] = middle;
        segmentStart[left + 1] = middle;
        segmentEnd[left + 1] = ends[s];
      });
    }
    if (build.length === 0) break;
    const slots = build.length;
    // Each slot's rows of each block: a sub-range of its node's ascending segment.
    const rangeStart = int32(blocks * slots, share);
    const rangeEnd = int32(blocks * slots, share);
    build.forEach((entry, slot) => {
      const to = segmentEnd[entry.node];
      let at = segmentStart[entry.node];
      for (let block = 0; block < blocks; block++) {
        const next = block === blocks - 1 ? to : firstAtLeast(order, at, to, (block + 1) * blockRows);
        rangeStart[block * slots + slot] = at;
        rangeEnd[block * slots + slot] = next;
        at = next;
      }
    });
    const histograms = float64(blocks * slots * size, share);
    yield {
      kernel: 'buildHistograms',
      args: [
        bins,
        n,
        d,
        stats,
        width,
        order,
        rangeStart,
        rangeEnd,
        slots,
        binOffset,
        totalBins,
        histograms,
        groupFeatures,
      ],
      chunks: blocks * Math.ceil(d / groupFeatures),
    };
    // The blocks' histograms, added in block order.
    const blockSize = slots * size;
    for (let block = 1; block < blocks; block++) {
      const from = block * blockSize;
      for (let at = 0; at < blockSize; at++) histograms[at] += histograms[from + at];
    }
    build.forEach((entry, slot) => {
      entry.histogram = histograms.subarray(slot * size, (slot + 1) * size);
    });
    for (const { node, parent, sibling } of derive) {
      const histogram = new Float64Array(size);
      const built = sibling.histogram!;
      for (let at = 0; at < size; at++) histogram[at] = parent[at] - built[at];
      node.histogram = histogram;
    }
    const next: OpenNode[] = [];
    build = [];
    derive = [];
    splits = [];
    for (const entry of open) {
      const split = bestSplit(entry, rows, criterion, options);
      if (split === undefined) continue;
      const right = new Float64Array(width);
      for (let s = 0; s < width; s++) right[s] = entry.stats[s] - split.left[s];
      const leftNode = nodes.add(split.left);
      nodes.add(right);
      nodes.feature[entry.node] = split.feature;
      nodes.threshold[entry.node] = split.threshold;
      nodes.categories[entry.node] = split.categories;
      nodes.left[entry.node] = leftNode;
      nodes.gain[entry.node] = split.gain;
      splits.push({ node: entry.node, split });
      const depth = entry.depth + 1;
      const children = [
        { node: leftNode, depth, stats: split.left },
        { node: leftNode + 1, depth, stats: right },
      ].filter((child) => canSplit(child.stats, depth));
      next.push(...children);
      if (children.length === 2) {
        // The smaller child gets a pass, the larger one the parent's histogram minus it.
        const [small, large] =
          children[0].stats[0] <= children[1].stats[0] ? children : [children[1], children[0]];
        build.push(small);
        derive.push({ node: large, parent: entry.histogram!, sibling: small });
      } else build.push(...children);
    }
    open = next;
  }
  const leafOf = new Int32Array(n);
  nodes.left.forEach((left, node) => {
    if (left !== -1) return;
    for (let k = segmentStart[node]; k < segmentEnd[node]; k++) leafOf[order[k]] = node;
  });
  return { tree: nodes.toTree(d), leafOf };
}

/**
 * The features a node may split on, in the order they are tried: all of them or a seeded draw
 * of `featuresPerNode`, in a seeded random order. The order decides between splits of equal
 * gain (the first one tried wins), as in scikit-learn's splitter, which also visits the
 * features in a random order: always taking the lowest feature would make one arbitrary
 * choice among equally good trees every time.
 */
function candidateFeatures(node: number, features: number, options: GrowthOptions): number[] {
  const all = Array.from({ length: features }, (_, f) => f);
  if (options.random === undefined) return all;
  return options.random.derive(node).sample(all, Math.min(options.featuresPerNode, features));
}

/**
 * Where a split after `bin` cuts: midway between the values either side of it at the node when
 * the bins are exact (the next bin with rows at the node), else the bin's upper edge.
 */
function threshold(
  histogram: Float64Array,
  base: number,
  width: number,
  binning: Binning,
  feature: number,
  bin: number,
): number {
  const values = binning.values[feature];
  if (values === null) return binning.thresholds[feature]![bin];
  let next = bin + 1;
  while (histogram[base + next * width] === 0) next++;
  return cutBetween(values[bin], values[next]);
}

/** The split of `entry` with the largest gain that leaves each side at least minInstancesPerNode rows. */
function bestSplit(
  entry: OpenNode,
  rows: TrainingRows,
  criterion: Criterion,
  options: GrowthOptions,
): Split | undefined {
  const { binning } = rows;
  const width = criterion.width;
  const histogram = entry.histogram!;
  const total = entry.stats;
  const totalWeight = criterion.weight(total, 0);
  const parentImpurity = criterion.impurity(total, 0);
  const least = options.minInstancesPerNode;
  const left = new Float64Array(width);
  const right = new Float64Array(width);
  let best: Split | undefined;
  let bestGain = Number.NEGATIVE_INFINITY;
  // The gain of sending `left` one way and the rest the other, or -Infinity when not allowed.
  const gainOf = () => {
    for (let s = 0; s < width; s++) right[s] = total[s] - left[s];
    if (left[0] < least || right[0] < least) return Number.NEGATIVE_INFINITY;
    const leftWeight = criterion.weight(left, 0);
    const rightWeight = criterion.weight(right, 0);
    if (leftWeight <= 0 || rightWeight <= 0) return Number.NEGATIVE_INFINITY;
    return (
      parentImpurity -
      (leftWeight * criterion.impurity(left, 0) + rightWeight * criterion.impurity(right, 0)) / totalWeight
    );
  };
  for (const feature of candidateFeatures(entry.node, rows.features, options)) {
    const count = binning.binCount[feature];
    const base = binning.binOffset[feature] * width;
    const thresholds = binning.thresholds[feature];
    left.fill(0);
    if (thresholds !== null) {
      for (let bin = 0; bin < count - 1; bin++) {
        const at = base + bin * width;
        if (histogram[at] === 0) continue;
        for (let s = 0; s < width; s++) left[s] += histogram[at + s];
        if (total[0] - left[0] < least) break;
        const gain = gainOf();
        if (gain > bestGain) {
          bestGain = gain;
          const goesLeft = new Uint8Array(binning.maxBins);
          goesLeft.fill(1, 0, bin + 1);
          best = { feature, gain, left: left.slice(), goesLeft, threshold: bin, categories: null };
        }
      }
      if (best?.feature === feature)
        best.threshold = threshold(histogram, base, width, binning, feature, best.threshold);
      continue;
    }
    // Categories present at the node, ordered by their label statistic; splits are prefixes of that order.
    const present: number[] = [];
    const keys = new Map<number, number>();
    for (let category = 0; category < count; category++) {
      const at = base + category * width;
      if (histogram[at] === 0) continue;
      present.push(category);
      keys.set(category, criterion.categoryKey(histogram, at));
    }
    present.sort((a, b) => keys.get(a)! - keys.get(b)! || a - b);
    for (let k = 0; k < present.length - 1; k++) {
      const at = base + present[k] * width;
      for (let s = 0; s < width; s++) left[s] += histogram[at + s];
      const gain = gainOf();
      if (gain > bestGain) {
        bestGain = gain;
        const categories = present.slice(0, k + 1).sort((a, b) => a - b);
        const goesLeft = new Uint8Array(binning.maxBins);
        for (const category of categories) goesLeft[category] = 1;
        best = { feature, gain, left: left.slice(), goesLeft, threshold: 0, categories };
      }
    }
  }
  const noise = criterion.noise?.(total, 0);
  return best !== undefined && best.gain >= options.minInfoGain && (noise === undefined || best.gain > noise)
    ? best
    : undefined;
}
