/**
 * GBTClassifier (binary log-loss) and GBTRegressor (squared error): gradient boosting in the
 * manner of scikit-learn's GradientBoosting and Spark's GBT. Each round grows a tree on the
 * residuals (split by their variance), sets its leaves by a Newton step (`sum w r / sum w h`),
 * and adds `stepSize` times it to every row's score. The rounds reuse one binned matrix and the
 * passes of a single tree; the routing pass leaves every row, held out or not, at its leaf, so
 * the scores are updated without walking the tree.
 */
import { InputError } from '../../../src/core/errors.js';
import { random } from '../../../src/core/random.js';
import type { ClassLabels } from '../../../src/ml/data.js';
import type { FluentParams, ParamValues } from '../../../src/ml/params.js';
import { readModelJSON, registerModelType } from '../../../src/ml/persistence.js';
import { rowIndices } from './binning.js';
import { BOOSTING_NODE_WIDTH, boostingNodeStatistics, residualSplitCriterion } from './criteria.js';
import { TreeClassifierEstimator, TreeRegressorEstimator } from './estimator.js';
import { growTree } from './grow.js';
import { type Ensemble, readTreeModel, TreeClassificationModel, TreeRegressionModel } from './models.js';
import {
  boostingParams,
  treeClassificationModelParams,
  treeGrowthParams,
  treeModelParams,
} from './params.js';
import { noted, type PassSequence } from './passes.js';
import { rowDraws } from './random-forest.js';
import { binnedRows, growthOptions, inputBinning, statsArray, type TreeInput } from './training.js';
import type { DecisionTree } from './tree.js';

/** Parameters of GBTRegressor. */
export const gbtRegressorParams = { ...treeModelParams, ...treeGrowthParams, ...boostingParams };
/** Parameters of GBTClassifier. */
export const gbtClassifierParams = {
  ...treeClassificationModelParams,
  ...treeGrowthParams,
  ...boostingParams,
};

type ClassifierSpecs = typeof gbtClassifierParams;
type RegressorSpecs = typeof gbtRegressorParams;
type BoostingValues = ParamValues<RegressorSpecs>;

/** A loss: its starting score, each row's gradient step, and its value. */
interface Loss {
  /** The best constant score for targets `y` with weights `w` over the rows in `use`. */
  init(y: Float64Array, w: Float64Array, use: Uint8Array): number;
  /** The mean of the target at score f: the residual (negative gradient) of target y is `y - mean(f)`. */
  mean(f: number): number;
  /** The hessian at a score whose mean is `mean`. */
  hessian(mean: number): number;
  loss(y: number, f: number): number;
}

const sigmoid = (f: number) => 1 / (1 + Math.exp(-f));

function weightedMean(y: Float64Array, w: Float64Array, use: Uint8Array): number {
  let sum = 0;
  let total = 0;
  for (let i = 0; i < y.length; i++) {
    if (use[i] === 0) continue;
    sum += w[i] * y[i];
    total += w[i];
  }
  return total > 0 ? sum / total : 0;
}

const squaredError: Loss = {
  init: weightedMean,
  mean: (f) => f,
  hessian: () => 1,
  loss: (y, f) => (y - f) ** 2,
};

const logLoss: Loss = {
  init(y, w, use) {
    const p = Math.min(1 - 1e-15, Math.max(1e-15, weightedMean(y, w, use)));
    return Math.log(p / (1 - p));
  },
  mean: sigmoid,
  hessian: (p) => p * (1 - p),
  // log(1 + e^f) - y f, without overflow.
  loss: (y, f) => (f > 0 ? f + Math.log1p(Math.exp(-f)) : Math.log1p(Math.exp(f))) - y * f,
};

/**
 * Sets every node's variance of the residuals and its Newton-step value from the sums of its
 * rows' `[count, w, w r, w r^2, w h]` (the histograms held only `[count, w, w r]`): each row
 * adds to its leaf, each inner node is the sum of its children (which come after it).
 */
function setNodeStatistics(
  tree: DecisionTree,
  leafOf: Int32Array,
  stats: Float64Array,
  hessians: Float64Array,
): void {
  const { left, value, impurity } = tree.nodes;
  const width = BOOSTING_NODE_WIDTH;
  const sums = new Float64Array(left.length * width);
  for (let i = 0; i < leafOf.length; i++) {
    const count = stats[i * 3];
    if (count === 0) continue;
    const w = stats[i * 3 + 1];
    const wr = stats[i * 3 + 2];
    const at = leafOf[i] * width;
    sums[at] += count;
    sums[at + 1] += w;
    sums[at + 2] += wr;
    sums[at + 3] += w > 0 ? (wr * wr) / w : 0;
    sums[at + 4] += hessians[i];
  }
  for (let node = left.length - 1; node >= 0; node--) {
    const child = left[node];
    if (child >= 0)
      for (let s = 0; s < width; s++)
        sums[node * width + s] = sums[child * width + s] + sums[(child + 1) * width + s];
    const statistics = boostingNodeStatistics(sums, node * width);
    impurity[node] = statistics.impurity;
    value[node] = statistics.value;
  }
}

/** The rounds of boosting: the trees (up to the best validation round when stopping early). */
function* boost(
  input: TreeInput,
  targets: Float64Array,
  loss: Loss,
  params: BoostingValues,
  share: boolean,
): PassSequence<Ensemble> {
  const { rows, columns } = input.matrix;
  const weights = input.weights;
  const rng = random(params.seed);
  // Held-out rows for early stopping, drawn once.
  const training = new Uint8Array(rows).fill(1);
  const validation: number[] = [];
  if (params.validationFraction > 0) {
    const held = Math.floor(params.validationFraction * rows);
    for (const row of rng.derive('validation').sample(rowIndices(rows), held)) {
      training[row] = 0;
    }
    for (let i = 0; i < rows; i++) if (training[i] === 0) validation.push(i);
    if (validation.length === 0 || validation.length === rows) {
      throw new InputError(`validationFraction ${params.validationFraction} leaves no rows on one side`, {
        file: input.source,
        expected: 'enough rows for a training and a validation part',
      });
    }
  }
  const binning = inputBinning(input, params);
  const bins = yield* binnedRows(input.matrix, binning, share);
  const init = loss.init(targets, weights, training);
  const scores = new Float64Array(rows).fill(init);
  const width = residualSplitCriterion.width;
  const stats = statsArray(rows * width, share);
  // Each row's w h this round, for the leaves' Newton steps.
  const hessians = new Float64Array(rows);
  const trees: DecisionTree[] = [];
  let best = { loss: Number.POSITIVE_INFINITY, trees: 0 };
  for (let round = 0; round < params.maxIter; round++) {
    const draw =
      params.subsamplingRate < 1
        ? rowDraws(rows, params.subsamplingRate, false, rng.derive(round))
        : undefined;
    for (let i = 0; i < rows; i++) {
      const count = training[i] === 1 && weights[i] > 0 && (draw === undefined || draw[i] > 0) ? 1 : 0;
      const w = count * weights[i];
      const mean = loss.mean(scores[i]);
      const r = targets[i] - mean;
      const at = i * width;
      stats[at] = count;
      stats[at + 1] = w;
      stats[at + 2] = w * r;
      hessians[i] = w * loss.hessian(mean);
    }
    const { tree, leafOf } = yield* noted(
      growTree(
        { bins, rows, features: columns, binning, stats, share },
        residualSplitCriterion,
        growthOptions(params, columns),
      ),
      `round ${round + 1}/${params.maxIter}`,
    );
    setNodeStatistics(tree, leafOf, stats, hessians);
    trees.push(tree);
    const values = tree.nodes.value;
    for (let i = 0; i < rows; i++) scores[i] += params.stepSize * values[leafOf[i]];
    if (validation.length === 0) continue;
    let total = 0;
    let weight = 0;
    for (const i of validation) {
      total += weights[i] * loss.loss(targets[i], scores[i]);
      weight += weights[i];
    }
    const current = total / Math.max(weight, Number.MIN_VALUE);
    if (current < best.loss) best = { loss: current, trees: trees.length };
    else if (trees.length - best.trees >= params.earlyStoppingRounds) break;
  }
  const kept = validation.length === 0 ? trees : trees.slice(0, best.trees);
  return { trees: kept, boosting: { init, weights: new Float64Array(kept.length).fill(params.stepSize) } };
}

/** Flink ML's fluent setters and getters (`setMaxIter(100)`, ...), defined at run time. */
export interface GBTClassifier extends FluentParams<ClassifierSpecs, GBTClassifier> {}

/**
 * Gradient-boosted trees for two classes (binary log-loss); `predictProbabilities` is the
 * sigmoid of the boosted score.
 * @example
 * const model = await new GBTClassifier({ labelCol: 'malignant', maxIter: 100 }).fit('breast-cancer.csv');
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class GBTClassifier extends TreeClassifierEstimator<ClassifierSpecs, GBTClassificationModel> {
  static readonly Model: typeof GBTClassificationModel;

  constructor(options: Partial<ParamValues<ClassifierSpecs>> = {}) {
    super(gbtClassifierParams, options);
  }

  protected *grow(input: TreeInput, labels: ClassLabels, share: boolean): PassSequence<Ensemble> {
    const params = this.getParams();
    if (labels.classes.length !== 2) {
      throw new InputError(`label column '${params.labelCol}' has ${labels.classes.length} classes`, {
        file: input.source,
        expected: 'two classes (gradient-boosted trees are binary; use RandomForestClassifier for more)',
      });
    }
    return yield* boost(input, Float64Array.from(labels.indices), logLoss, params, share);
  }
}

/** Flink ML's fluent setters and getters, defined at run time. */
export interface GBTRegressor extends FluentParams<RegressorSpecs, GBTRegressor> {}

/** Gradient-boosted regression trees (squared error). */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class GBTRegressor extends TreeRegressorEstimator<RegressorSpecs, GBTRegressionModel> {
  static readonly Model: typeof GBTRegressionModel;

  constructor(options: Partial<ParamValues<RegressorSpecs>> = {}) {
    super(gbtRegressorParams, options);
  }

  protected *grow(input: TreeInput, targets: Float64Array, share: boolean): PassSequence<Ensemble> {
    return yield* boost(input, targets, squaredError, this.getParams(), share);
  }
}

/** A fitted boosted classifier. Saved as `{ "type": "gbt-classification", ..., "init", "treeWeights" }`. */
export class GBTClassificationModel extends TreeClassificationModel {
  readonly type = 'gbt-classification';

  static fromJSON(json: unknown, source = '<json>'): GBTClassificationModel {
    const saved = readTreeModel(json, source, 'gbt-classification', treeClassificationModelParams, true);
    return new GBTClassificationModel(saved.ensemble, saved.classes, saved.params);
  }

  static async load(path: string): Promise<GBTClassificationModel> {
    return GBTClassificationModel.fromJSON(await readModelJSON(path), path);
  }
}

/** A fitted boosted regressor. Saved as `{ "type": "gbt-regression", ..., "init", "treeWeights" }`. */
export class GBTRegressionModel extends TreeRegressionModel {
  readonly type = 'gbt-regression';

  static fromJSON(json: unknown, source = '<json>'): GBTRegressionModel {
    const saved = readTreeModel(json, source, 'gbt-regression', treeModelParams, false);
    return new GBTRegressionModel(saved.ensemble, saved.params);
  }

  static async load(path: string): Promise<GBTRegressionModel> {
    return GBTRegressionModel.fromJSON(await readModelJSON(path), path);
  }
}

(GBTClassifier as { Model: typeof GBTClassificationModel }).Model = GBTClassificationModel;
(GBTRegressor as { Model: typeof GBTRegressionModel }).Model = GBTRegressionModel;
registerModelType('gbt-classification', GBTClassificationModel.fromJSON);
registerModelType('gbt-regression', GBTRegressionModel.fromJSON);
