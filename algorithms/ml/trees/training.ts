/**
 * What every tree estimator does before growing trees: the feature matrix, labels and weights
 * out of the frame, the bins of every feature, the binned matrix (a pass over the rows), and
 * each row's statistics in the layout of its criterion.
 */
import { InputError } from '../../../src/core/errors.js';
import type { DenseMatrix } from '../../../src/core/matrix.js';
import type { RandomSource } from '../../../src/core/random.js';
import { shared } from '../../../src/core/shared-memory.js';
import { extractFeatures, featureCategories, sampleWeights } from '../../../src/ml/data.js';
import type { ParamValues } from '../../../src/ml/params.js';
import type { Table } from '../../../src/table/table.js';
import { type Binning, binMatrix, binningTables, findBinning, MOST_BINS } from './binning.js';
import type { GrowthOptions, TrainingRows } from './grow.js';
import type { treeGrowthParams } from './params.js';
import type { PassSequence } from './passes.js';

/** Rows per chunk of the binning pass. */
const BINNING_ROWS = 1 << 14;

type GrowthValues = ParamValues<typeof treeGrowthParams>;

/** The features and weights of a training frame. */
export interface TreeInput {
  readonly matrix: DenseMatrix;
  readonly featuresCol: string | readonly string[];
  readonly weights: Float64Array;
  readonly source: string;
  /** The features the frame's columns say are categorical (a StringIndexer's output), with their counts. */
  readonly categories: ReadonlyMap<number, number>;
}

/** Takes the features (every column but the label and weight by default) and weights out of `frame`. */
export function treeInput(
  frame: Table,
  params: Pick<GrowthValues, 'labelCol' | 'weightCol'> & { featuresCol: string | readonly string[] },
): TreeInput {
  if (frame.numRows === 0) {
    throw new InputError('no training rows', { file: frame.source, expected: 'at least one row' });
  }
  const { matrix, featuresCol } = extractFeatures(frame, params.featuresCol, [
    params.labelCol,
    params.weightCol,
  ]);
  return {
    matrix,
    featuresCol,
    weights: sampleWeights(frame, params.weightCol),
    source: frame.source,
    categories: featureCategories(frame, featuresCol),
  };
}

/**
 * The bins of the input's features under the growth parameters. The categorical features are
 * those declared (`categoricalFeatures`) and those the frame marks (up to {@link MOST_BINS}
 * categories; a column with more is binned as numbers).
 */
export function inputBinning(input: TreeInput, params: GrowthValues): Binning {
  const categorical = new Set(params.categoricalFeatures);
  for (const [feature, count] of input.categories) if (count <= MOST_BINS) categorical.add(feature);
  return findBinning(input.matrix, {
    maxBins: params.maxBins,
    exact: params.binning === 'exact',
    categorical: [...categorical].sort((a, b) => a - b),
    source: input.source,
  });
}

/** The binned matrix of `matrix` (column-major), made by a pass over its rows. */
export function* binnedRows(
  matrix: DenseMatrix,
  binning: Binning,
  share: boolean,
): PassSequence<TrainingRows['bins']> {
  const { rows, columns } = matrix;
  const bins = binMatrix(rows, columns, binning.maxBins, share);
  const { thresholds, thresholdOffset, thresholdCount } = binningTables(binning);
  yield {
    kernel: 'binRows',
    args: [
      share ? shared(matrix.data) : matrix.data,
      rows,
      columns,
      thresholds,
      thresholdOffset,
      thresholdCount,
      bins,
      BINNING_ROWS,
    ],
    chunks: Math.ceil(rows / BINNING_ROWS),
  };
  return bins;
}

/** A zero-filled Float64Array, shared when `share`. */
export function statsArray(length: number, share: boolean): Float64Array {
  return share ? new Float64Array(new SharedArrayBuffer(length * 8)) : new Float64Array(length);
}

/**
 * Classification statistics `[count, w_0 .. w_{K-1}]` per row; `counts` gives each row's
 * multiplicity (a bootstrap draw), 1 when absent. Rows of weight 0 count for nothing.
 */
export function classificationStats(
  labels: Int32Array,
  classes: number,
  weights: Float64Array,
  share: boolean,
  counts?: Float64Array,
): Float64Array {
  const width = classes + 1;
  const stats = statsArray(labels.length * width, share);
  for (let i = 0; i < labels.length; i++) {
    const count = weights[i] > 0 ? (counts?.[i] ?? 1) : 0;
    stats[i * width] = count;
    stats[i * width + 1 + labels[i]] = count * weights[i];
  }
  return stats;
}

/** Regression statistics `[count, w, w y, w y^2]` per row, with multiplicities as above. */
export function regressionStats(
  targets: Float64Array,
  weights: Float64Array,
  share: boolean,
  counts?: Float64Array,
): Float64Array {
  const stats = statsArray(targets.length * 4, share);
  for (let i = 0; i < targets.length; i++) {
    const count = weights[i] > 0 ? (counts?.[i] ?? 1) : 0;
    const w = count * weights[i];
    stats[i * 4] = count;
    stats[i * 4 + 1] = w;
    stats[i * 4 + 2] = w * targets[i];
    stats[i * 4 + 3] = w * targets[i] * targets[i];
  }
  return stats;
}

/** The growth limits of the parameters, `featuresPerNode` features per node drawn from `random`. */
export function growthOptions(
  params: GrowthValues,
  featuresPerNode: number,
  random?: RandomSource,
): GrowthOptions {
  return {
    maxDepth: params.maxDepth,
    minInstancesPerNode: params.minInstancesPerNode,
    minInfoGain: params.minInfoGain,
    featuresPerNode,
    random,
  };
}
