import {
  RandomForestClassifier,
  RandomForestRegressor,
  randomForestClassifierParams as specs,
} from '../../index.js';
import { defineCommand } from '../command.js';
import { trainPositionals } from '../ml-io.js';
import { readTreeTraining, reportTreeModel, treeTrainingOptions } from '../tree-training.js';

/** `eddy random-forest train`: grows a random forest and saves it. */
export const randomForestCommand = defineCommand({
  name: 'random-forest',
  summary: 'train a random forest (classification or regression) on a CSV or Arrow file',
  description:
    'Grows --trees trees on bootstrap draws of the rows, each node considering a random subset of the ' +
    'features; saves the forest as JSON (--model) and writes the feature importances as TSV.',
  positionals: trainPositionals,
  options: {
    ...treeTrainingOptions(specs.maxDepth.default),
    trees: {
      type: 'integer',
      default: specs.numTrees.default,
      min: 1,
      valueName: 'N',
      description: 'the number of trees',
    },
    'subsampling-rate': {
      type: 'number',
      default: specs.subsamplingRate.default,
      min: 0,
      max: 1,
      description: specs.subsamplingRate.description,
    },
    'no-bootstrap': { type: 'boolean', description: 'draw rows without replacement' },
    'feature-subset-strategy': {
      type: 'string',
      default: specs.featureSubsetStrategy.default as string,
      choices: ['auto', 'all', 'sqrt', 'log2', 'onethird'],
      description: specs.featureSubsetStrategy.description,
    },
  },
  examples: [
    'eddy random-forest train digits.csv --label digit --trees 100 --max-depth 20 --model forest.json',
  ],
  async run(context) {
    const training = await readTreeTraining(context);
    const { options } = context;
    const forest = {
      ...training.params,
      numTrees: options.trees as number,
      subsamplingRate: options.subsamplingRate as number,
      bootstrap: options.noBootstrap !== true,
      featureSubsetStrategy: options.featureSubsetStrategy as 'auto',
    };
    const model = training.classification
      ? await new RandomForestClassifier({
          ...forest,
          impurity: training.impurity as 'gini' | 'entropy',
        }).fit(training.frame, training.fitOptions)
      : await new RandomForestRegressor(forest).fit(training.frame, training.fitOptions);
    await reportTreeModel(context, 'random forest', training, model);
  },
});
