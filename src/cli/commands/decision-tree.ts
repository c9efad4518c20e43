import {
  DecisionTreeClassifier,
  DecisionTreeRegressor,
  decisionTreeClassifierParams,
  InputError,
  loadModel,
  TreeModel,
  UsageError,
} from '../../index.js';
import { defineCommand } from '../command.js';
import { dataPositional, requiredOption } from '../ml-io.js';
import { refuseOptions } from '../option-rules.js';
import { readTreeTraining, reportTreeModel, treeTrainingOptions } from '../tree-training.js';

/** `eddy decision-tree train|show`: grows one tree, or prints a saved tree model. */
export const decisionTreeCommand = defineCommand({
  name: 'decision-tree',
  summary: 'train a decision tree (classification or regression) on a CSV or Arrow file, or show one',
  description:
    'train: grows one tree level by level over binned features, saves it as JSON (--model) and writes the ' +
    'feature importances as TSV. show: prints a saved tree model (any tree, forest or boosted model) as ' +
    'nested if / else. Predictions come from eddy predict.',
  positionals: [
    { name: 'action', description: 'train or show', choices: ['train', 'show'] },
    { ...dataPositional, required: false },
  ],
  options: treeTrainingOptions(decisionTreeClassifierParams.maxDepth.default),
  examples: [
    'eddy decision-tree train wine.csv --label class --max-depth 4 --model tree.json',
    'eddy decision-tree show --model tree.json',
  ],
  async run(context) {
    if (context.positionals[0] === 'show') {
      if (context.positionals[1] !== undefined)
        throw new UsageError('decision-tree show takes no data argument');
      refuseOptions(context, ['label', 'output', 'task', 'maxDepth', 'impurity'], 'applies to train only');
      const path = requiredOption(context, 'model', 'model');
      const model = await loadModel(path);
      if (!(model instanceof TreeModel)) {
        throw new InputError(`a '${model.type}' model is not a tree model`, {
          file: path,
          expected: 'a decision tree, random forest or gbt model',
        });
      }
      context.stdout.write(`${model.toDebugString()}\n`);
      return;
    }
    if (context.positionals[1] === undefined)
      throw new UsageError('decision-tree train needs a data argument');
    const training = await readTreeTraining(context);
    const { params, impurity } = training;
    const model = training.classification
      ? await new DecisionTreeClassifier({ ...params, impurity: impurity as 'gini' | 'entropy' }).fit(
          training.frame,
          training.fitOptions,
        )
      : await new DecisionTreeRegressor(params).fit(training.frame, training.fitOptions);
    await reportTreeModel(context, 'decision tree', training, model);
  },
});
