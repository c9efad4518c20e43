/**
 * DecisionTreeClassifier and DecisionTreeRegressor (Spark MLlib's and scikit-learn's): one
 * tree grown level by level over binned features (grow.ts), on the calling thread in
 * `fitFrame` and on the core driver's threads in `fit`, with the same tree either way.
 */
import { InputError } from '../../../src/core/errors.js';
import { random } from '../../../src/core/random.js';
import { type ClassLabel, classLabels, loadData, type MLData, numericLabels } from '../../../src/ml/data.js';
import type { Frame } from '../../../src/ml/frame.js';
import type { FluentParams, ParamValues } from '../../../src/ml/params.js';
import { readModelJSON, registerModelType } from '../../../src/ml/persistence.js';
import { Estimator, type FitOptions, type Transformer } from '../../../src/ml/stage.js';
import { classificationCriterion, varianceCriterion } from './criteria.js';
import { growTree } from './grow.js';
import { type Ensemble, readTreeModel, TreeClassificationModel, TreeRegressionModel } from './models.js';
import {
  decisionTreeClassifierParams,
  decisionTreeRegressorParams,
  featuresPerNode,
  treeClassificationModelParams,
  type treeGrowthParams,
  treeModelParams,
} from './params.js';
import { type PassSequence, runPassesHere, runPassesOnThreads, trainingThreads } from './passes.js';
import {
  binnedRows,
  classificationStats,
  growthOptions,
  inputBinning,
  regressionStats,
  type TreeInput,
  treeInput,
} from './training.js';

type ClassifierSpecs = typeof decisionTreeClassifierParams;
type RegressorSpecs = typeof decisionTreeRegressorParams;

/** Class labels of a frame, at least two of them. */
export function trainingClasses(
  frame: Frame,
  labelCol: string,
): { classes: ClassLabel[]; indices: Int32Array } {
  const labels = classLabels(frame, labelCol);
  if (labels.classes.length < 2) {
    throw new InputError(`label column '${labelCol}' has only one class`, {
      file: frame.source,
      text: String(labels.classes[0] ?? ''),
      expected: 'at least two classes',
    });
  }
  return labels;
}

/**
 * What the tree estimators share: `fitFrame` runs the training's passes on the calling thread,
 * `fit` on the core driver's threads (`parallelism`, for data large enough), with the same
 * model either way.
 */
export abstract class TreeEstimator<
  S extends typeof treeGrowthParams & { featuresCol: (typeof treeModelParams)['featuresCol'] },
  M extends Transformer,
> extends Estimator<S, M> {
  fitFrame(frame: Frame, options: FitOptions = {}): M {
    return runPassesHere(
      this.training(frame, treeInput(frame, this.growthValues()), false),
      options.progress,
    );
  }

  /** `progress` counts the passes over the rows (a few per tree level), noted with the tree or round. */
  override async fit(data: MLData, options: FitOptions = {}): Promise<M> {
    const frame = await loadData(data);
    const params = this.growthValues();
    const input = treeInput(frame, params);
    const threads = trainingThreads(input.matrix.rows, input.matrix.columns, params.parallelism);
    return runPassesOnThreads(this.training(frame, input, threads > 1), threads, options.progress);
  }

  /** The parameters every tree estimator has (S holds them: the generic type cannot show it). */
  protected growthValues(): ParamValues<typeof treeGrowthParams> & {
    featuresCol: string | readonly string[];
  } {
    return this.getParams() as unknown as ParamValues<typeof treeGrowthParams> & {
      featuresCol: string | readonly string[];
    };
  }

  /** The training as passes; `share`: its arrays must be shared with worker threads. */
  protected abstract training(frame: Frame, input: TreeInput, share: boolean): PassSequence<M>;
}

/** Flink ML's fluent setters and getters (`setMaxDepth(4)`, `getMaxDepth()`, ...), defined at run time. */
export interface DecisionTreeClassifier extends FluentParams<ClassifierSpecs, DecisionTreeClassifier> {}

/**
 * A classification tree: gini or entropy, continuous features cut into quantile bins (or exact
 * bins), categorical features split by subsets of categories.
 * @example
 * const model = await new DecisionTreeClassifier({ labelCol: 'species', maxDepth: 3 }).fit('iris.csv');
 * model.predict([5.1, 3.5, 1.4, 0.2]); // 'setosa'
 * console.log(model.toDebugString());
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class DecisionTreeClassifier extends TreeEstimator<ClassifierSpecs, DecisionTreeClassificationModel> {
  static readonly Model: typeof DecisionTreeClassificationModel;

  constructor(options: Partial<ParamValues<ClassifierSpecs>> = {}) {
    super(decisionTreeClassifierParams, options);
  }

  protected *training(
    frame: Frame,
    input: TreeInput,
    share: boolean,
  ): PassSequence<DecisionTreeClassificationModel> {
    const params = this.getParams();
    const { classes, indices } = trainingClasses(frame, params.labelCol);
    const binning = inputBinning(input, params);
    const bins = yield* binnedRows(input.matrix, binning, share);
    const stats = classificationStats(indices, classes.length, input.weights, share);
    const { rows, columns } = input.matrix;
    const { tree } = yield* growTree(
      { bins, rows, features: columns, binning, stats, share },
      classificationCriterion(params.impurity, classes.length),
      growthOptions(params, featuresPerNode(params.maxFeatures, columns, 'all'), random(params.seed)),
    );
    return new DecisionTreeClassificationModel({ trees: [tree] }, classes, {
      featuresCol: input.featuresCol,
      predictionCol: params.predictionCol,
      probabilityCol: params.probabilityCol,
    });
  }
}

/** Flink ML's fluent setters and getters, defined at run time. */
export interface DecisionTreeRegressor extends FluentParams<RegressorSpecs, DecisionTreeRegressor> {}

/**
 * A regression tree: splits decrease the variance of the label; a leaf predicts its mean.
 * @example
 * const model = await new DecisionTreeRegressor({ labelCol: 'progression', maxDepth: 3 }).fit('diabetes.csv');
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class DecisionTreeRegressor extends TreeEstimator<RegressorSpecs, DecisionTreeRegressionModel> {
  static readonly Model: typeof DecisionTreeRegressionModel;

  constructor(options: Partial<ParamValues<RegressorSpecs>> = {}) {
    super(decisionTreeRegressorParams, options);
  }

  protected *training(
    frame: Frame,
    input: TreeInput,
    share: boolean,
  ): PassSequence<DecisionTreeRegressionModel> {
    const params = this.getParams();
    const targets = numericLabels(frame, params.labelCol);
    const binning = inputBinning(input, params);
    const bins = yield* binnedRows(input.matrix, binning, share);
    const stats = regressionStats(targets, input.weights, share);
    const { rows, columns } = input.matrix;
    const { tree } = yield* growTree(
      { bins, rows, features: columns, binning, stats, share },
      varianceCriterion,
      growthOptions(params, featuresPerNode(params.maxFeatures, columns, 'all'), random(params.seed)),
    );
    return new DecisionTreeRegressionModel(
      { trees: [tree] },
      { featuresCol: input.featuresCol, predictionCol: params.predictionCol },
    );
  }
}

/**
 * A fitted classification tree: `predict(row)`, `predictProbabilities(row)`,
 * `featureImportances()`, `depth`, `numNodes`, `toDebugString()`. Saved as `{ "type":
 * "decision-tree-classification", "params", "classes", "numFeatures", "trees": [tree] }`.
 */
export class DecisionTreeClassificationModel extends TreeClassificationModel {
  readonly type = 'decision-tree-classification';

  /** The tree. */
  get tree() {
    return this.trees[0];
  }

  static fromJSON(json: unknown, source = '<json>'): DecisionTreeClassificationModel {
    const saved = readTreeModel(
      json,
      source,
      'decision-tree-classification',
      treeClassificationModelParams,
      true,
    );
    return new DecisionTreeClassificationModel(single(saved.ensemble, source), saved.classes, saved.params);
  }

  static async load(path: string): Promise<DecisionTreeClassificationModel> {
    return DecisionTreeClassificationModel.fromJSON(await readModelJSON(path), path);
  }
}

/** A fitted regression tree. Saved as `{ "type": "decision-tree-regression", ... }`. */
export class DecisionTreeRegressionModel extends TreeRegressionModel {
  readonly type = 'decision-tree-regression';

  /** The tree. */
  get tree() {
    return this.trees[0];
  }

  static fromJSON(json: unknown, source = '<json>'): DecisionTreeRegressionModel {
    const saved = readTreeModel(json, source, 'decision-tree-regression', treeModelParams, false);
    return new DecisionTreeRegressionModel(single(saved.ensemble, source), saved.params);
  }

  static async load(path: string): Promise<DecisionTreeRegressionModel> {
    return DecisionTreeRegressionModel.fromJSON(await readModelJSON(path), path);
  }
}

/** The one unweighted tree of a saved single-tree model. */
function single(ensemble: Ensemble, source: string): Ensemble {
  if (ensemble.trees.length !== 1 || ensemble.boosting !== undefined) {
    throw new InputError('a decision-tree model holds one tree', {
      file: source,
      expected: 'one tree, no weights',
    });
  }
  return ensemble;
}

(DecisionTreeClassifier as { Model: typeof DecisionTreeClassificationModel }).Model =
  DecisionTreeClassificationModel;
(DecisionTreeRegressor as { Model: typeof DecisionTreeRegressionModel }).Model = DecisionTreeRegressionModel;
registerModelType('decision-tree-classification', DecisionTreeClassificationModel.fromJSON);
registerModelType('decision-tree-regression', DecisionTreeRegressionModel.fromJSON);
