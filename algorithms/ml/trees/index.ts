/** Decision trees, random forests and gradient-boosted trees on one binned, level-wise histogram engine. */
export {
  DecisionTreeClassificationModel,
  DecisionTreeClassifier,
  DecisionTreeRegressionModel,
  DecisionTreeRegressor,
} from './decision-tree.js';
export {
  GBTClassificationModel,
  GBTClassifier,
  GBTRegressionModel,
  GBTRegressor,
  gbtClassifierParams,
  gbtRegressorParams,
} from './gbt.js';
export { TreeClassificationModel, TreeModel, TreeRegressionModel } from './models.js';
export {
  decisionTreeClassifierParams,
  decisionTreeRegressorParams,
  FEATURE_SUBSET_STRATEGIES,
  type FeatureSubsetStrategy,
  treeClassificationModelParams,
  treeModelParams,
} from './params.js';
export {
  RandomForestClassificationModel,
  RandomForestClassifier,
  RandomForestRegressionModel,
  RandomForestRegressor,
  randomForestClassifierParams,
  randomForestRegressorParams,
} from './random-forest.js';
export { DecisionTree, type TreeNodes } from './tree.js';
