import {
  accuracy,
  classLabels,
  MLPClassifier,
  MLPRegressor,
  numericLabels,
  r2,
  mlpParams as specs,
  type TableColumn,
  UsageError,
} from '../../index.js';
import { defineCommand } from '../command.js';
import { featureOptions } from '../feature-options.js';
import { modelOption, note, readTrainingInput, trainPositionals, writeColumns } from '../ml-io.js';
import { refuseOptions } from '../option-rules.js';

/** `--hidden 64,32` as layer sizes. */
function hiddenLayers(text: string): number[] {
  const sizes = text.split(',').map((part) => part.trim());
  if (sizes.length === 0 || !sizes.every((size) => /^[1-9]\d*$/.test(size))) {
    throw new UsageError(`--hidden '${text}': expected layer sizes >= 1 separated by commas, like 64,32`);
  }
  return sizes.map(Number);
}

/** `eddy mlp train`: trains a multilayer perceptron and saves it. */
export const mlpCommand = defineCommand({
  name: 'mlp',
  summary: 'train a neural network (multilayer perceptron, TensorFlow.js) on a CSV or Arrow file',
  description:
    'Saves the model as JSON (--model; predict with eddy predict) and writes the loss curve as TSV (epoch, ' +
    'loss, and the validation score with --early-stopping). Features are standardised; for regression the ' +
    'target too. Progress (epoch, loss) shows on a terminal. The same --seed gives the same model.',
  positionals: trainPositionals,
  options: {
    label: { type: 'string', valueName: 'COL', description: 'the label column (required)' },
    model: modelOption,
    ...featureOptions,
    task: {
      type: 'string',
      default: 'classification',
      choices: ['classification', 'regression'],
      description: 'classes (any labels) or a numeric target',
    },
    hidden: {
      type: 'string',
      default: specs.hiddenLayers.default.join(','),
      valueName: 'N,N,...',
      description: 'the sizes of the hidden layers',
    },
    activation: {
      type: 'string',
      default: specs.activation.default,
      choices: ['relu', 'tanh', 'sigmoid', 'elu', 'linear'],
      description: 'the activation of the hidden layers',
    },
    optimizer: {
      type: 'string',
      default: specs.optimizer.default,
      choices: ['adam', 'sgd'],
      description: 'the optimizer',
    },
    'learning-rate': {
      type: 'number',
      default: specs.learningRate.default,
      description: 'the step size of the optimizer',
    },
    'batch-size': {
      type: 'integer',
      default: specs.batchSize.default,
      min: 1,
      description: 'rows per mini-batch',
    },
    epochs: {
      type: 'integer',
      default: specs.epochs.default,
      min: 1,
      description: 'the most passes over the rows',
    },
    l2: {
      type: 'number',
      default: specs.l2.default,
      min: 0,
      description: "L2 penalty (scikit-learn's alpha)",
    },
    dropout: {
      type: 'number',
      default: specs.dropout.default,
      min: 0,
      max: 0.95,
      description: 'share of hidden units dropped in training',
    },
    'early-stopping': {
      type: 'boolean',
      description: 'hold out --validation-fraction of the rows; stop when their score stops improving',
    },
    'validation-fraction': {
      type: 'number',
      default: specs.validationFraction.default,
      min: 0,
      max: 1,
      description: 'the share held out by --early-stopping',
    },
    seed: {
      type: 'integer',
      default: specs.seed.default as number,
      valueName: 'S',
      description: 'the seed of the initial weights, row order and dropout',
    },
    output: {
      type: 'string',
      valueName: 'FILE',
      writes: true,
      description: 'write the loss curve here instead of stdout',
    },
  },
  examples: [
    'eddy mlp train digits.csv --label digit --hidden 64 --model digits.json',
    'eddy mlp train diabetes.csv --label progression --task regression --hidden 64,32 --model model.json',
  ],
  async run(context) {
    const options = context.options;
    if (options.earlyStopping !== true) {
      refuseOptions(context, ['validationFraction'], 'applies with --early-stopping only');
    }
    const hidden = hiddenLayers(String(options.hidden));
    const learningRate = options.learningRate as number;
    if (!(learningRate > 0)) throw new UsageError(`--learning-rate ${learningRate}: expected a number > 0`);
    const { label, modelPath, frame, featuresCol } = await readTrainingInput(context);
    const params = {
      labelCol: label,
      featuresCol,
      hiddenLayers: hidden,
      activation: options.activation as 'relu',
      optimizer: options.optimizer as 'adam' | 'sgd',
      learningRate,
      batchSize: options.batchSize as number,
      epochs: options.epochs as number,
      l2: options.l2 as number,
      dropout: options.dropout as number,
      earlyStopping: options.earlyStopping === true,
      validationFraction: options.validationFraction as number,
      seed: options.seed as number,
    };
    const classification = options.task === 'classification';
    const estimator = classification ? new MLPClassifier(params) : new MLPRegressor(params);
    const progress = context.progress({ label: 'mlp', total: params.epochs, unit: 'epochs' });
    estimator.onEpoch = ({ epoch, loss, validationScore }) =>
      progress.update(
        epoch,
        `loss ${loss.toFixed(4)}${validationScore === undefined ? '' : `, validation ${validationScore.toFixed(4)}`}`,
      );
    const model = await estimator.fit(frame);
    progress.finish();
    await model.save(modelPath);
    const predicted = model.transformTable(frame);
    const predictions = predicted.columns[predicted.names.indexOf('prediction')].values;
    const epochs = model.lossCurve.length;
    if (classification) {
      const { classes, indices } = classLabels(frame, label);
      const actual = Array.from(indices, (i) => classes[i]);
      const score = accuracy(actual, predictions as ArrayLike<string | number>);
      note(
        context,
        `mlp: ${frame.numRows} rows, ${classes.length} classes, ${epochs} epochs, training accuracy ${score.toFixed(4)}`,
      );
    } else {
      const score = r2(numericLabels(frame, label), predictions as Float64Array);
      note(context, `mlp: ${frame.numRows} rows, ${epochs} epochs, training R2 ${score.toFixed(4)}`);
    }
    const columns: TableColumn[] = [
      { kind: 'number', values: Float64Array.from({ length: epochs }, (_, i) => i + 1) },
      { kind: 'number', values: Float64Array.from(model.lossCurve) },
    ];
    const names = ['epoch', 'loss'];
    if (model.validationScores.length > 0) {
      names.push('validation');
      columns.push({ kind: 'number', values: Float64Array.from(model.validationScores) });
    }
    await writeColumns(context, names, columns);
  },
});
