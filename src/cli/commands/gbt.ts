import { GBTClassifier, GBTRegressor, gbtClassifierParams as specs, UsageError } from '../../index.js';
import { defineCommand } from '../command.js';
import { trainPositionals } from '../ml-io.js';
import { readTreeTraining, reportTreeModel, treeTrainingOptions } from '../tree-training.js';

/** `eddy gbt train`: gradient-boosted trees, saved as a model. */
export const gbtCommand = defineCommand({
  name: 'gbt',
  summary: 'train gradient-boosted trees (binary classification or regression) on a CSV or Arrow file',
  description:
    'Boosts --trees trees of depth --max-depth (binary log-loss for two classes, squared error for ' +
    'regression), each counting --learning-rate; saves the model as JSON (--model) and writes the feature ' +
    'importances as TSV. --validation-fraction holds rows out and stops when their loss stops improving.',
  positionals: trainPositionals,
  options: {
    ...treeTrainingOptions(specs.maxDepth.default),
    trees: {
      type: 'integer',
      default: specs.maxIter.default,
      min: 1,
      valueName: 'N',
      description: specs.maxIter.description,
    },
    'learning-rate': {
      type: 'number',
      default: specs.stepSize.default,
      min: 0,
      max: 1,
      valueName: 'R',
      description: specs.stepSize.description,
    },
    'subsampling-rate': {
      type: 'number',
      default: specs.subsamplingRate.default,
      min: 0,
      max: 1,
      description: specs.subsamplingRate.description,
    },
    'validation-fraction': {
      type: 'number',
      default: specs.validationFraction.default,
      min: 0,
      max: 0.9,
      description: specs.validationFraction.description,
    },
    'early-stopping-rounds': {
      type: 'integer',
      default: specs.earlyStoppingRounds.default,
      min: 1,
      description: specs.earlyStoppingRounds.description,
    },
  },
  examples: [
    'eddy gbt train breast-cancer.csv --label malignant --trees 100 --learning-rate 0.1 --model gbt.json',
  ],
  async run(context) {
    const training = await readTreeTraining(context);
    const { options } = context;
    if (context.given.has('impurity')) {
      throw new UsageError(
        '--impurity does not apply to gbt (its trees split by the variance of the residuals)',
      );
    }
    const boosting = {
      ...training.params,
      maxIter: options.trees as number,
      stepSize: options.learningRate as number,
      subsamplingRate: options.subsamplingRate as number,
      validationFraction: options.validationFraction as number,
      earlyStoppingRounds: options.earlyStoppingRounds as number,
    };
    const model = training.classification
      ? await new GBTClassifier(boosting).fit(training.frame, training.fitOptions)
      : await new GBTRegressor(boosting).fit(training.frame, training.fitOptions);
    await reportTreeModel(context, 'gbt', training, model);
  },
});
