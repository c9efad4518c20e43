/**
 * What `eddy decision-tree train`, `eddy random-forest train` and `eddy gbt train` share: the
 * options of tree growth (defaults from the estimators' param specs), the choice of task and
 * impurity, and what training reports (the training score on stderr, the feature importances
 * as TSV).
 */
import {
  accuracy,
  type ClassLabel,
  decisionTreeClassifierParams,
  type FitOptions,
  numericLabels,
  r2,
  type Table,
  type TableColumn,
  type TreeClassificationModel,
  type TreeRegressionModel,
  UsageError,
} from '../index.js';
import type { CommandContext, OptionSpec } from './command.js';
import { modelTrainingOptions, note, readTrainingInput, writeColumns } from './ml-io.js';

const growth = decisionTreeClassifierParams;

/** The options of every tree `train` command; `maxDepth` is the estimator's own default. */
export function treeTrainingOptions(maxDepth: number): Record<string, OptionSpec> {
  return {
    label: { type: 'string', valueName: 'COL', description: 'the label column (required)' },
    ...modelTrainingOptions,
    task: {
      type: 'string',
      default: 'classification',
      choices: ['classification', 'regression'],
      description: 'what the label is: classes, or a number to predict',
    },
    'max-depth': {
      type: 'integer',
      default: maxDepth,
      min: 0,
      max: 30,
      description: growth.maxDepth.description,
    },
    'max-bins': {
      type: 'integer',
      default: growth.maxBins.default,
      min: 2,
      max: 65_536,
      description: growth.maxBins.description,
    },
    exact: {
      type: 'boolean',
      description: 'a bin per distinct value (the splits of an exact splitter; small data)',
    },
    'min-instances-per-node': {
      type: 'integer',
      default: growth.minInstancesPerNode.default,
      min: 1,
      description: growth.minInstancesPerNode.description,
    },
    'min-info-gain': {
      type: 'number',
      default: growth.minInfoGain.default,
      min: 0,
      description: growth.minInfoGain.description,
    },
    impurity: {
      type: 'string',
      choices: ['gini', 'entropy', 'variance'],
      valueName: 'NAME',
      description: `the impurity: gini (default) or entropy for classification, variance for regression`,
    },
    categorical: {
      type: 'string',
      valueName: 'A,B,...',
      description: 'feature columns holding category indices 0, 1, 2, ... (split by subsets of categories)',
    },
    seed: {
      type: 'integer',
      default: growth.seed.default as number,
      valueName: 'S',
      description: 'the seed of every random choice',
    },
    parallelism: {
      type: 'integer',
      default: growth.parallelism.default,
      min: 1,
      description: 'threads of the histogram passes (the same model at any parallelism)',
    },
    output: {
      type: 'string',
      valueName: 'FILE',
      writes: true,
      description: 'write the feature importances here instead of stdout',
    },
  };
}

/** The growth parameters of a tree estimator from the command line. */
export interface TreeTraining {
  frame: Table;
  modelPath: string;
  classification: boolean;
  /** The estimator parameters shared by every tree command. */
  params: {
    labelCol: string;
    weightCol: string | null;
    featuresCol: string[];
    maxDepth: number;
    maxBins: number;
    binning: 'quantile' | 'exact';
    minInstancesPerNode: number;
    minInfoGain: number;
    categoricalFeatures: number[];
    seed: number;
    parallelism: number;
  };
  /** The impurity for a tree or forest ('gini', 'entropy' or 'variance'). */
  impurity: string;
  /** What `fit` takes: progress over the passes, noted with the tree or round. */
  fitOptions: FitOptions;
}

/** Reads the training data and the tree options; an impurity that does not fit the task is a usage error. */
export async function readTreeTraining(context: CommandContext): Promise<TreeTraining> {
  const { label, modelPath, weight, frame, featuresCol } = await readTrainingInput(context);
  const { options } = context;
  const classification = options.task === 'classification';
  const impurity = (options.impurity as string | undefined) ?? (classification ? 'gini' : 'variance');
  if (classification === (impurity === 'variance')) {
    throw new UsageError(`--impurity ${impurity} does not apply to --task ${options.task}`);
  }
  const categoricalFeatures = (typeof options.categorical === 'string' ? options.categorical.split(',') : [])
    .map((name) => name.trim())
    .filter((name) => name !== '')
    .map((name) => {
      const index = featuresCol.indexOf(name);
      if (index < 0) throw new UsageError(`--categorical names '${name}', which is not a feature column`);
      return index;
    });
  return {
    frame,
    modelPath,
    classification,
    impurity,
    fitOptions: { progress: context.progress({ label: 'growing trees', unit: 'passes' }) },
    params: {
      labelCol: label,
      weightCol: weight,
      featuresCol,
      maxDepth: options.maxDepth as number,
      maxBins: options.maxBins as number,
      binning: options.exact === true ? 'exact' : 'quantile',
      minInstancesPerNode: options.minInstancesPerNode as number,
      minInfoGain: options.minInfoGain as number,
      categoricalFeatures,
      seed: options.seed as number,
      parallelism: options.parallelism as number,
    },
  };
}

/** Saves a trained model, notes its training score and size, and writes its feature importances. */
export async function reportTreeModel(
  context: CommandContext,
  what: string,
  training: TreeTraining,
  model: TreeClassificationModel | TreeRegressionModel,
): Promise<void> {
  await model.save(training.modelPath);
  const { frame, params } = training;
  const predicted = model.transformTable(frame);
  const predictions = predicted.columns[predicted.names.indexOf(model.getParams().predictionCol)].values;
  const labels = frame.columns[frame.names.indexOf(params.labelCol)].values;
  const score = training.classification
    ? `training accuracy ${accuracy(labels as ArrayLike<ClassLabel>, predictions as ArrayLike<ClassLabel>).toFixed(4)}`
    : `training R2 ${r2(numericLabels(frame, params.labelCol), predictions as Float64Array).toFixed(4)}`;
  note(
    context,
    `${what}: ${frame.numRows} rows, ${params.featuresCol.length} features, ${model.trees.length} tree(s), ` +
      `depth ${model.depth}, ${model.numNodes} nodes, ${score}`,
  );
  const importances: TableColumn = { kind: 'number', values: model.featureImportances() };
  await writeColumns(
    context,
    ['feature', 'importance'],
    [{ kind: 'string', values: params.featuresCol }, importances],
  );
}
