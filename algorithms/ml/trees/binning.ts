/**
 * Binning: every continuous feature is cut once, before training, into at most `maxBins` bins
 * at quantiles of its values (or one bin per distinct value in exact mode, which finds the
 * splits an exact splitter finds), and the whole matrix becomes a compact column-major
 * `Uint8Array` (at most 256 bins) or `Uint16Array` of bin numbers. Categorical features keep
 * their category (0, 1, 2, ...) as the bin.
 */
import { InputError } from '../../../src/core/errors.js';
import type { DenseMatrix } from '../../../src/core/matrix.js';
import { random } from '../../../src/core/random.js';
import type { BinMatrix } from './kernels.js';

/** Rows looked at to place the quantile cuts of a large data set (scikit-learn's and Spark's idea). */
const QUANTILE_SAMPLE = 200_000;

/** The most bins a feature can have (bin numbers are 16-bit). */
export const MOST_BINS = 65_536;

/** How every feature is cut into bins. */
export interface Binning {
  /**
   * Per feature: the upper edges of its bins but the last (bin b holds the values
   * `thresholds[b - 1] < v <= thresholds[b]`), or `null` for a categorical feature.
   */
  readonly thresholds: readonly (Float64Array | null)[];
  /**
   * Per feature: the one value of each bin when every bin holds a single distinct value (exact
   * bins), else `null`. A split then cuts midway between the values either side of it at the
   * node, as an exact splitter does, rather than at the bin edge.
   */
  readonly values: readonly (Float64Array | null)[];
  /** Per feature: its number of bins (categories for a categorical feature). */
  readonly binCount: Int32Array;
  /** Per feature: where its bins start among all features' bins. */
  readonly binOffset: Int32Array;
  /** The bins of all features together. */
  readonly totalBins: number;
  /** The most bins of one feature. */
  readonly maxBins: number;
}

/** Options of {@link findBinning}. */
export interface BinningOptions {
  /** The most bins of a continuous feature (quantile mode). */
  maxBins: number;
  /** One bin per distinct value (up to {@link MOST_BINS}) instead of quantile bins. */
  exact: boolean;
  /** Indices of the categorical features (values 0, 1, 2, ...). */
  categorical: readonly number[];
  /** Names the data in errors. */
  source: string;
}

/** The cut between two neighbouring distinct values: their midpoint, never the upper one itself. */
export function cutBetween(lower: number, upper: number): number {
  const middle = lower + (upper - lower) / 2;
  return middle >= upper ? lower : middle;
}

/** The upper edges of the bins of one continuous feature from its sorted values, and the bins' values when exact. */
function continuousBins(
  sorted: Float64Array,
  maxBins: number,
  exact: boolean,
  source: string,
  feature: number,
): { thresholds: Float64Array; values: Float64Array | null } {
  const distinct: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (i > 0 && sorted[i] === sorted[i - 1]) counts[counts.length - 1]++;
    else {
      distinct.push(sorted[i]);
      counts.push(1);
    }
  }
  if (exact || distinct.length <= maxBins) {
    if (distinct.length > MOST_BINS) {
      throw new InputError(
        `feature ${feature} has ${distinct.length} distinct values, too many for exact binning`,
        {
          file: source,
          expected: `at most ${MOST_BINS} distinct values per feature (or quantile binning)`,
        },
      );
    }
    return {
      thresholds: Float64Array.from(distinct.slice(1), (upper, at) => cutBetween(distinct[at], upper)),
      values: Float64Array.from(distinct),
    };
  }
  // Quantile cuts: after the distinct value where the running count first reaches k / maxBins.
  const cuts: number[] = [];
  let running = 0;
  let next = 1;
  for (let at = 0; at < distinct.length - 1 && next < maxBins; at++) {
    running += counts[at];
    if (running >= (next * sorted.length) / maxBins) {
      cuts.push(cutBetween(distinct[at], distinct[at + 1]));
      while (next < maxBins && running >= (next * sorted.length) / maxBins) next++;
    }
  }
  return { thresholds: Float64Array.from(cuts), values: null };
}

/** The number of categories of a categorical feature, checking that every value is one. */
function categoryCount(matrix: DenseMatrix, feature: number, source: string): number {
  let largest = 0;
  for (let i = 0; i < matrix.rows; i++) {
    const value = matrix.data[i * matrix.columns + feature];
    if (!Number.isInteger(value) || value < 0 || value >= MOST_BINS) {
      throw new InputError(`categorical feature ${feature} has the value ${value} in row ${i}`, {
        file: source,
        text: String(value),
        expected: `a category index: an integer from 0 to ${MOST_BINS - 1} (index strings with StringIndexer)`,
      });
    }
    if (value > largest) largest = value;
  }
  return largest + 1;
}

/** The row indices 0 .. rows - 1. */
export function rowIndices(rows: number): Int32Array {
  const indices = new Int32Array(rows);
  for (let i = 0; i < rows; i++) indices[i] = i;
  return indices;
}

/** Finds the bins of every feature of `matrix`. */
export function findBinning(matrix: DenseMatrix, options: BinningOptions): Binning {
  const { rows, columns } = matrix;
  for (const feature of options.categorical) {
    if (!Number.isInteger(feature) || feature < 0 || feature >= columns) {
      throw new InputError(`categorical feature index ${feature} is out of range`, {
        file: options.source,
        expected: `an index from 0 to ${columns - 1}`,
      });
    }
  }
  // The quantile cuts of a large data set come from a sample of rows, the same for every seed.
  const sample =
    options.exact || rows <= QUANTILE_SAMPLE
      ? undefined
      : Int32Array.from(random('eddy-tree-bins').sample(rowIndices(rows), QUANTILE_SAMPLE));
  const thresholds: (Float64Array | null)[] = [];
  const binValues: (Float64Array | null)[] = [];
  const binCount = new Int32Array(columns);
  for (let f = 0; f < columns; f++) {
    if (options.categorical.includes(f)) {
      thresholds.push(null);
      binValues.push(null);
      binCount[f] = categoryCount(matrix, f, options.source);
      continue;
    }
    const values = new Float64Array(sample?.length ?? rows);
    for (let at = 0; at < values.length; at++)
      values[at] = matrix.data[(sample ? sample[at] : at) * columns + f];
    values.sort();
    const bins = continuousBins(values, options.maxBins, options.exact, options.source, f);
    thresholds.push(bins.thresholds);
    binValues.push(bins.values);
    binCount[f] = bins.thresholds.length + 1;
  }
  const binOffset = new Int32Array(columns);
  let totalBins = 0;
  for (let f = 0; f < columns; f++) {
    binOffset[f] = totalBins;
    totalBins += binCount[f];
  }
  return { thresholds, values: binValues, binCount, binOffset, totalBins, maxBins: Math.max(1, ...binCount) };
}

/** An empty bin matrix for `rows` x `features` with room for `maxBins` bins, shared when `share`. */
export function binMatrix(rows: number, features: number, maxBins: number, share: boolean): BinMatrix {
  const bytes = maxBins <= 256 ? 1 : 2;
  const buffer = share
    ? new SharedArrayBuffer(rows * features * bytes)
    : new ArrayBuffer(rows * features * bytes);
  return bytes === 1 ? new Uint8Array(buffer) : new Uint16Array(buffer);
}

/** The arguments of the `binRows` kernel but the matrices and the chunk. */
export function binningTables(binning: Binning): {
  thresholds: Float64Array;
  thresholdOffset: Int32Array;
  thresholdCount: Int32Array;
} {
  const features = binning.thresholds.length;
  const thresholdOffset = new Int32Array(features);
  const thresholdCount = new Int32Array(features);
  let total = 0;
  binning.thresholds.forEach((cuts, f) => {
    thresholdOffset[f] = total;
    thresholdCount[f] = cuts === null ? -1 : cuts.length;
    total += cuts?.length ?? 0;
  });
  const thresholds = new Float64Array(total);
  binning.thresholds.forEach((cuts, f) => {
    if (cuts !== null) thresholds.set(cuts, thresholdOffset[f]);
  });
  return { thresholds, thresholdOffset, thresholdCount };
}
