/**
 * The parameter table shared by the tree estimators (scikit-learn's and Spark's names), like
 * scikit-learn's one constraint table for its tree family.
 */
import { commonParams, type ParamSpec, param } from '../../../src/ml/params.js';
import { CLASSIFICATION_IMPURITIES } from './criteria.js';

/** The named feature-subset strategies (Spark's); a number is a count (>= 1) or a fraction (< 1). */
export const FEATURE_SUBSET_STRATEGIES = ['auto', 'all', 'sqrt', 'log2', 'onethird'] as const;
export type FeatureSubsetStrategy = (typeof FEATURE_SUBSET_STRATEGIES)[number] | number;

function featureSubset(
  defaultValue: FeatureSubsetStrategy,
  description: string,
): ParamSpec<FeatureSubsetStrategy> {
  return {
    default: defaultValue,
    description,
    accepted: `one of ${FEATURE_SUBSET_STRATEGIES.map((s) => `'${s}'`).join(', ')}, an integer >= 1 or a fraction in (0, 1)`,
    isValid: (v): v is FeatureSubsetStrategy =>
      (typeof v === 'string' && (FEATURE_SUBSET_STRATEGIES as readonly string[]).includes(v)) ||
      (typeof v === 'number' && ((Number.isInteger(v) && v >= 1) || (v > 0 && v < 1))),
  };
}

/**
 * Features a node considers under `strategy` out of `features` ('auto': all for one tree,
 * sqrt for a forest's classification trees, a third for its regression trees, as Spark does).
 */
export function featuresPerNode(
  strategy: FeatureSubsetStrategy,
  features: number,
  auto: 'all' | 'sqrt' | 'onethird',
): number {
  const named = strategy === 'auto' ? auto : strategy;
  if (typeof named === 'number')
    return Math.max(1, Math.min(features, named >= 1 ? named : Math.ceil(named * features)));
  switch (named) {
    case 'all':
      return features;
    case 'sqrt':
      return Math.max(1, Math.ceil(Math.sqrt(features)));
    case 'log2':
      return Math.max(1, Math.ceil(Math.log2(features)));
    default:
      return Math.max(1, Math.ceil(features / 3));
  }
}

/** Feature indices (`categoricalFeatures`). */
const featureIndices: ParamSpec<readonly number[]> = {
  default: [],
  description:
    'indices of categorical features, whose values are categories 0, 1, 2, ...; they split by subsets of categories (the output of a StringIndexer is categorical without being listed)',
  accepted: 'an array of distinct integers >= 0',
  isValid: (v): v is readonly number[] =>
    Array.isArray(v) && new Set(v).size === v.length && v.every((i) => Number.isInteger(i) && i >= 0),
};

/** Parameters of every fitted tree model. */
export const treeModelParams = {
  featuresCol: commonParams.featuresCol,
  predictionCol: commonParams.predictionCol,
};

/** Parameters of fitted tree classifiers. */
export const treeClassificationModelParams = {
  ...treeModelParams,
  probabilityCol: param.column('probability', 'the vector column of class probabilities'),
};

/** How one tree grows (shared by trees, forests and boosting). */
export const treeGrowthParams = {
  labelCol: commonParams.labelCol,
  weightCol: commonParams.weightCol,
  maxDepth: param.integer(5, 'the most splits from the root to a leaf (0: the root alone)', {
    min: 0,
    max: 30,
  }),
  maxBins: param.integer(32, 'the most bins of a continuous feature (quantile cuts, found once)', {
    min: 2,
    max: 65_536,
  }),
  binning: param.choice(
    'quantile',
    "'quantile' (at most maxBins bins per feature) or 'exact' (a bin per distinct value: the splits of an exact splitter, for small data)",
    ['quantile', 'exact'] as const,
  ),
  minInstancesPerNode: param.integer(1, 'the fewest training rows each child of a split must have', {
    min: 1,
  }),
  minInfoGain: param.number(0, 'the least impurity decrease a split must bring', { min: 0 }),
  categoricalFeatures: featureIndices,
  seed: commonParams.seed,
  parallelism: commonParams.parallelism,
};

/** Parameters of DecisionTreeClassifier. */
export const decisionTreeClassifierParams = {
  ...treeClassificationModelParams,
  ...treeGrowthParams,
  impurity: param.choice('gini', 'the impurity a split decreases', CLASSIFICATION_IMPURITIES),
  maxFeatures: featureSubset(
    'all',
    'the features each node considers (drawn with the seed when fewer than all)',
  ),
};

/** Parameters of DecisionTreeRegressor. */
export const decisionTreeRegressorParams = {
  ...treeModelParams,
  ...treeGrowthParams,
  impurity: param.choice('variance', 'the impurity a split decreases', ['variance'] as const),
  maxFeatures: featureSubset(
    'all',
    'the features each node considers (drawn with the seed when fewer than all)',
  ),
};

/** What forests add to a tree's parameters. */
export const forestParams = {
  numTrees: param.integer(20, 'the number of trees', { min: 1 }),
  subsamplingRate: param.number(1, 'the rows each tree draws, as a fraction of the training rows', {
    min: 0,
    max: 1,
    exclusiveMin: true,
  }),
  bootstrap: param.boolean(true, 'draw rows with replacement (bootstrap) rather than without'),
  featureSubsetStrategy: featureSubset(
    'auto',
    "the features each node considers: 'auto' is sqrt for classification and onethird for regression",
  ),
};

/** What boosting adds to a tree's parameters. */
export const boostingParams = {
  maxIter: param.integer(20, 'the boosting rounds (trees)', { min: 1 }),
  stepSize: param.number(0.1, 'the learning rate: each tree counts this much', {
    min: 0,
    max: 1,
    exclusiveMin: true,
  }),
  subsamplingRate: param.number(1, 'the rows each round draws (without replacement), as a fraction', {
    min: 0,
    max: 1,
    exclusiveMin: true,
  }),
  validationFraction: param.number(
    0,
    'the rows held out to stop early (0: no early stopping); rounds stop when the validation loss has not improved for earlyStoppingRounds',
    { min: 0, max: 0.9 },
  ),
  earlyStoppingRounds: param.integer(10, 'rounds without a better validation loss before boosting stops', {
    min: 1,
  }),
  maxDepth: param.integer(3, 'the most splits from the root to a leaf', { min: 0, max: 30 }),
};
