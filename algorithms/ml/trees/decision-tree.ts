/**
 * DecisionTreeClassifier and DecisionTreeRegressor (Spark MLlib's and scikit-learn's): one
 * tree grown level by level over binned features (grow.ts), on the calling thread in
 * `fitTable` and on the core driver's threads in `fit`, with the same tree either way.
 */
import { InputError } from '../../../src/core/errors.js';
import { random } from '../../../src/core/random.js';
import type { ClassLabels } from '../../../src/ml/data.js';
import type { FluentParams, ParamValues } from '../../../src/ml/params.js';
import { readModelJSON, registerModelType } from '../../../src/ml/persistence.js';
import { type Criterion, classificationCriterion, varianceCriterion } from './criteria.js';
import { TreeClassifierEstimator, TreeRegressorEstimator } from './estimator.js';
import { growTree } from './grow.js';
import { type Ensemble, readTreeModel, TreeClassificationModel, TreeRegressionModel } from './models.js';
import {
  decisionTreeClassifierParams,
  decisionTreeRegressorParams,
  featuresPerNode,
  treeClassificationModelParams,
  treeModelParams,
} from './params.js';
import type { PassSequence } from './passes.js';
import {
  binnedRows,
  classificationStats,
  growthOptions,
  inputBinning,
  regressionStats,
  type TreeInput,
} from './training.js';

type ClassifierSpecs = typeof decisionTreeClassifierParams;
type RegressorSpecs = typeof decisionTreeRegressorParams;

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
export class DecisionTreeClassifier extends TreeClassifierEstimator<
  ClassifierSpecs,
  DecisionTreeClassificationModel
> {
  static readonly Model: typeof DecisionTreeClassificationModel;

  constructor(options: Partial<ParamValues<ClassifierSpecs>> = {}) {
    super(decisionTreeClassifierParams, options);
  }

  protected *grow(input: TreeInput, labels: ClassLabels, share: boolean): PassSequence<Ensemble> {
    const params = this.getParams();
    const classes = labels.classes.length;
    const stats = classificationStats(labels.indices, classes, input.weights, share);
    return yield* growOne(input, params, stats, classificationCriterion(params.impurity, classes), share);
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
export class DecisionTreeRegressor extends TreeRegressorEstimator<
  RegressorSpecs,
  DecisionTreeRegressionModel
> {
  static readonly Model: typeof DecisionTreeRegressionModel;

  constructor(options: Partial<ParamValues<RegressorSpecs>> = {}) {
    super(decisionTreeRegressorParams, options);
  }

  protected *grow(input: TreeInput, targets: Float64Array, share: boolean): PassSequence<Ensemble> {
    const params = this.getParams();
    const stats = regressionStats(targets, input.weights, share);
    return yield* growOne(input, params, stats, varianceCriterion, share);
  }
}

/** One tree over the input's binned rows with per-row `stats` for `criterion`. */
function* growOne(
  input: TreeInput,
  params: ParamValues<ClassifierSpecs> | ParamValues<RegressorSpecs>,
  stats: Float64Array,
  criterion: Criterion,
  share: boolean,
): PassSequence<Ensemble> {
  const binning = inputBinning(input, params);
  const bins = yield* binnedRows(input.matrix, binning, share);
  const { rows, columns } = input.matrix;
  const { tree } = yield* growTree(
    { bins, rows, features: columns, binning, stats, share },
    criterion,
    growthOptions(params, featuresPerNode(params.maxFeatures, columns, 'all'), random(params.seed)),
  );
  return { trees: [tree] };
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
