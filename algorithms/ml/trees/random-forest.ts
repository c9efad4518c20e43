/**
 * RandomForestClassifier and RandomForestRegressor (Spark MLlib's and scikit-learn's): trees
 * grown on bootstrap draws of the rows (or draws without replacement), each node considering
 * a random subset of the features; the forest averages the trees' class probabilities or
 * predictions. Every tree is grown on the same binned matrix by the same passes as one tree.
 */
import { type RandomSource, random } from '../../../src/core/random.js';
import type { ClassLabels } from '../../../src/ml/data.js';
import type { FluentParams, ParamValues } from '../../../src/ml/params.js';
import { readModelJSON, registerModelType } from '../../../src/ml/persistence.js';
import { rowIndices } from './binning.js';
import { classificationCriterion, varianceCriterion } from './criteria.js';
import { TreeClassifierEstimator, TreeRegressorEstimator } from './estimator.js';
import { growTree } from './grow.js';
import { type Ensemble, readTreeModel, TreeClassificationModel, TreeRegressionModel } from './models.js';
import {
  decisionTreeClassifierParams,
  decisionTreeRegressorParams,
  featuresPerNode,
  forestParams,
  treeClassificationModelParams,
  treeModelParams,
} from './params.js';
import { noted, type PassSequence } from './passes.js';
import {
  binnedRows,
  classificationStats,
  growthOptions,
  inputBinning,
  regressionStats,
  type TreeInput,
} from './training.js';
import type { DecisionTree } from './tree.js';

const { maxFeatures: _classifierMaxFeatures, ...classifierTreeParams } = decisionTreeClassifierParams;
const { maxFeatures: _regressorMaxFeatures, ...regressorTreeParams } = decisionTreeRegressorParams;

/** Parameters of RandomForestClassifier. */
export const randomForestClassifierParams = { ...classifierTreeParams, ...forestParams };
/** Parameters of RandomForestRegressor. */
export const randomForestRegressorParams = { ...regressorTreeParams, ...forestParams };

type ClassifierSpecs = typeof randomForestClassifierParams;
type RegressorSpecs = typeof randomForestRegressorParams;

/**
 * How many times each of `rows` rows is drawn for one tree: `rate * rows` draws with
 * replacement (bootstrap), or that many distinct rows without.
 */
export function rowDraws(rows: number, rate: number, bootstrap: boolean, rng: RandomSource): Float64Array {
  const counts = new Float64Array(rows);
  const draws = Math.max(1, Math.round(rate * rows));
  if (bootstrap) {
    for (let d = 0; d < draws; d++) counts[rng.integer(0, rows)]++;
  } else {
    for (const row of rng.sample(rowIndices(rows), Math.min(rows, draws))) counts[row] = 1;
  }
  return counts;
}

/** Grows the trees of a forest, tree t from `random(seed).derive(t)`. */
function* growForest(
  input: TreeInput,
  params: ParamValues<ClassifierSpecs> | ParamValues<RegressorSpecs>,
  share: boolean,
  auto: 'sqrt' | 'onethird',
  statsOf: (counts: Float64Array) => Float64Array,
  criterion: Parameters<typeof growTree>[1],
): PassSequence<Ensemble> {
  const binning = inputBinning(input, params);
  const bins = yield* binnedRows(input.matrix, binning, share);
  const { rows, columns } = input.matrix;
  const perNode = featuresPerNode(params.featureSubsetStrategy, columns, auto);
  const trees: DecisionTree[] = [];
  for (let t = 0; t < params.numTrees; t++) {
    const rng = random(params.seed).derive(t);
    const stats = statsOf(rowDraws(rows, params.subsamplingRate, params.bootstrap, rng.derive('rows')));
    const { tree } = yield* noted(
      growTree(
        { bins, rows, features: columns, binning, stats, share },
        criterion,
        growthOptions(params, perNode, rng.derive('features')),
      ),
      `tree ${t + 1}/${params.numTrees}`,
    );
    trees.push(tree);
  }
  return { trees };
}

/** Flink ML's fluent setters and getters (`setNumTrees(100)`, ...), defined at run time. */
export interface RandomForestClassifier extends FluentParams<ClassifierSpecs, RandomForestClassifier> {}

/**
 * A random forest of classification trees; the class probabilities are the trees' averaged.
 * @example
 * const forest = await new RandomForestClassifier({ labelCol: 'class', numTrees: 100, seed: 1 }).fit('wine.csv');
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class RandomForestClassifier extends TreeClassifierEstimator<
  ClassifierSpecs,
  RandomForestClassificationModel
> {
  static readonly Model: typeof RandomForestClassificationModel;

  constructor(options: Partial<ParamValues<ClassifierSpecs>> = {}) {
    super(randomForestClassifierParams, options);
  }

  protected *grow(input: TreeInput, labels: ClassLabels, share: boolean): PassSequence<Ensemble> {
    const params = this.getParams();
    const classes = labels.classes.length;
    return yield* growForest(
      input,
      params,
      share,
      'sqrt',
      (counts) => classificationStats(labels.indices, classes, input.weights, share, counts),
      classificationCriterion(params.impurity, classes),
    );
  }
}

/** Flink ML's fluent setters and getters, defined at run time. */
export interface RandomForestRegressor extends FluentParams<RegressorSpecs, RandomForestRegressor> {}

/** A random forest of regression trees; the prediction is the trees' mean. */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class RandomForestRegressor extends TreeRegressorEstimator<
  RegressorSpecs,
  RandomForestRegressionModel
> {
  static readonly Model: typeof RandomForestRegressionModel;

  constructor(options: Partial<ParamValues<RegressorSpecs>> = {}) {
    super(randomForestRegressorParams, options);
  }

  protected *grow(input: TreeInput, targets: Float64Array, share: boolean): PassSequence<Ensemble> {
    return yield* growForest(
      input,
      this.getParams(),
      share,
      'onethird',
      (counts) => regressionStats(targets, input.weights, share, counts),
      varianceCriterion,
    );
  }
}

/** A fitted random forest classifier. Saved as `{ "type": "random-forest-classification", ... }`. */
export class RandomForestClassificationModel extends TreeClassificationModel {
  readonly type = 'random-forest-classification';

  static fromJSON(json: unknown, source = '<json>'): RandomForestClassificationModel {
    const saved = readTreeModel(
      json,
      source,
      'random-forest-classification',
      treeClassificationModelParams,
      true,
    );
    return new RandomForestClassificationModel(saved.ensemble, saved.classes, saved.params);
  }

  static async load(path: string): Promise<RandomForestClassificationModel> {
    return RandomForestClassificationModel.fromJSON(await readModelJSON(path), path);
  }
}

/** A fitted random forest regressor. Saved as `{ "type": "random-forest-regression", ... }`. */
export class RandomForestRegressionModel extends TreeRegressionModel {
  readonly type = 'random-forest-regression';

  static fromJSON(json: unknown, source = '<json>'): RandomForestRegressionModel {
    const saved = readTreeModel(json, source, 'random-forest-regression', treeModelParams, false);
    return new RandomForestRegressionModel(saved.ensemble, saved.params);
  }

  static async load(path: string): Promise<RandomForestRegressionModel> {
    return RandomForestRegressionModel.fromJSON(await readModelJSON(path), path);
  }
}

(RandomForestClassifier as { Model: typeof RandomForestClassificationModel }).Model =
  RandomForestClassificationModel;
(RandomForestRegressor as { Model: typeof RandomForestRegressionModel }).Model = RandomForestRegressionModel;
registerModelType('random-forest-classification', RandomForestClassificationModel.fromJSON);
registerModelType('random-forest-regression', RandomForestRegressionModel.fromJSON);
