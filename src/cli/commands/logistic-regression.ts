import {
  accuracy,
  classLabels,
  LogisticRegression,
  OnlineLogisticRegression,
  onlineLogisticRegressionParams as online,
  logisticRegressionParams as specs,
  type TableColumn,
  UsageError,
} from '../../index.js';
import { defineCommand } from '../command.js';
import { featureOptions } from '../feature-options.js';
import { note, readTrainingInput, trainingOptions, trainPositionals, writeColumns } from '../ml-io.js';
import { natsTrainingInput } from '../nats-worker.js';
import { refuseOptions } from '../option-rules.js';
import { camelCase } from '../parse.js';
import { natsOptions } from './kmeans-stream-options.js';

/** Options that only stream mode (online logistic regression over NATS) reads. */
const streamOnlyOptions = [
  'alpha',
  'beta',
  'batchSize',
  'skipInvalid',
  ...Object.keys(natsOptions).map(camelCase),
];

/** Options of the batch fit that the online one has no use for. */
const batchOnlyOptions = [
  'label',
  'weight',
  'family',
  'maxIterations',
  'output',
  ...Object.keys(featureOptions).map(camelCase),
];

/** `eddy logistic-regression train`: fits a classifier and saves it. */
export const logisticRegressionCommand = defineCommand({
  name: 'logistic-regression',
  summary: 'train a logistic regression classifier (binomial or multinomial) on a CSV or Arrow file',
  description:
    'Saves the model as JSON (--model) and writes its coefficients as TSV: one row per feature and the ' +
    'intercept, one column per class (one column, the second class, for two classes). Labels may be text.\n\n' +
    'With --stream nats://HOST:PORT/SUBJECT --group NAME, runs one worker of a group that trains online ' +
    "logistic regression (Flink ML's FTRL) on a JetStream subject: each record is its features followed by " +
    'its 0/1 label ([x1, ..., xd, y] NDJSON, or points frames); every --batch-size records are one update of ' +
    'the model shared by the group in a key-value bucket, committed exactly once. The model as it stands ' +
    "when the worker stops (--idle-timeout) goes to --model or stdout, its recordsSeen counting every worker's records.",
  positionals: [
    trainPositionals[0],
    {
      ...trainPositionals[1],
      description: `${trainPositionals[1].description}; with --stream: nats://HOST:PORT/SUBJECT`,
    },
  ],
  options: {
    label: { type: 'string', valueName: 'COL', description: 'the class column (required)' },
    ...trainingOptions(specs, 'L1 share of the penalty'),
    family: {
      type: 'string',
      default: specs.family.default,
      choices: ['auto', 'binomial', 'multinomial'],
      description: 'model family',
    },
    'max-iterations': {
      type: 'integer',
      default: specs.maxIterations.default,
      min: 1,
      description: 'the most solver iterations',
    },
    output: {
      type: 'string',
      valueName: 'FILE',
      writes: true,
      description: 'write the coefficients here instead of stdout',
    },
    stream: {
      type: 'boolean',
      description:
        'online logistic regression (FTRL) over a NATS JetStream subject: the data is nats://HOST:PORT/SUBJECT',
    },
    alpha: {
      type: 'number',
      min: 0,
      description: `--stream: ${online.alpha.description} [default: ${online.alpha.default}]`,
      valueName: 'A',
    },
    beta: {
      type: 'number',
      min: 0,
      description: `--stream: ${online.beta.description} [default: ${online.beta.default}]`,
      valueName: 'B',
    },
    'batch-size': {
      type: 'integer',
      min: 1,
      description: '--stream: records per FTRL update [default: 1000]',
      valueName: 'N',
    },
    'skip-invalid': {
      type: 'boolean',
      description:
        '--stream: skip malformed records (counted, reported and acknowledged) instead of stopping',
    },
    ...natsOptions,
  },
  examples: [
    'eddy logistic-regression train iris.csv --label species --reg 0.01 --model model.json',
    'eddy logistic-regression train --stream nats://127.0.0.1:4222/clicks --group trainers --idle-timeout 10000 --model model.json',
  ],
  async run(context) {
    if (context.options.stream) {
      refuseOptions(
        context,
        batchOnlyOptions,
        'does not apply with --stream (records are features then the label)',
      );
      const given = (name: string) => (context.given.has(name) ? context.options[name] : undefined);
      if (given('reg') === 'auto')
        throw new UsageError('--reg auto applies to the batch fit only: give a number with --stream');
      const estimator = new OnlineLogisticRegression({
        alpha: given('alpha') as number | undefined,
        beta: given('beta') as number | undefined,
        reg: given('reg') as number | undefined,
        elasticNet: given('elasticNet') as number | undefined,
      });
      const { runOnlineNats } = await import('./online-nats.js');
      await runOnlineNats(natsTrainingInput(context), context.options, context, {
        command: 'logistic-regression',
        unit: 'records',
        estimator,
      });
      return;
    }
    refuseOptions(context, streamOnlyOptions, 'applies to stream mode only: add --stream');
    const { label, modelPath, weight, frame, featuresCol } = await readTrainingInput(context);
    const { classes, indices } = classLabels(frame, label);
    const estimator = new LogisticRegression({
      labelCol: label,
      weightCol: weight,
      reg: context.options.reg as number | 'auto',
      elasticNet: context.options.elasticNet as number,
      family: context.options.family as 'auto' | 'binomial' | 'multinomial',
      maxIterations: context.options.maxIterations as number,
      featuresCol,
    });
    const model = estimator.fitTable(frame, {
      progress: context.progress({ label: 'fitting', unit: 'supersteps' }),
    });
    await model.save(modelPath);
    const predicted = model.transformTable(frame);
    const predictions = predicted.columns[predicted.names.indexOf('prediction')].values as ArrayLike<
      string | number
    >;
    const actual = Array.from(indices, (i) => classes[i]);
    note(
      context,
      `logistic regression: ${frame.numRows} rows, ${classes.length} classes, training accuracy ${accuracy(actual, predictions).toFixed(4)}`,
    );
    const { rows, columns, data } = model.coefficients;
    const heads = rows === 1 ? [String(classes[1])] : classes.map(String);
    const terms: TableColumn = {
      kind: 'string',
      values: [...(model.get('featuresCol') as readonly string[]), '(intercept)'],
    };
    const perClass: TableColumn[] = heads.map((_, c) => ({
      kind: 'number',
      values: Float64Array.from({ length: columns + 1 }, (_, j) =>
        j < columns ? data[c * columns + j] : model.intercepts[c],
      ),
    }));
    await writeColumns(context, ['term', ...heads], [terms, ...perClass]);
  },
});
