import { LogisticRegression } from '../../../algorithms/ml/logistic-regression.js';
import { classLabels } from '../../ml/data.js';
import { accuracy } from '../../ml/evaluation.js';
import type { FrameColumn } from '../../ml/frame.js';
import { defineCommand } from '../command.js';
import { featureOptions } from '../feature-options.js';
import { note, readTrainingInput, trainPositionals, writeColumns } from '../ml-io.js';

/** `eddy logistic-regression train`: fits a classifier and saves it. */
export const logisticRegressionCommand = defineCommand({
  name: 'logistic-regression',
  summary: 'train a logistic regression classifier (binomial or multinomial) on a CSV or Arrow file',
  description:
    'Saves the model as JSON (--model) and writes its coefficients as TSV: one row per feature and the ' +
    'intercept, one column per class (one column, the second class, for two classes). Labels may be text.',
  positionals: trainPositionals,
  options: {
    label: { type: 'string', valueName: 'COL', description: 'the class column (required)' },
    model: { type: 'string', valueName: 'FILE', description: 'where to save the model (required)' },
    ...featureOptions,
    weight: { type: 'string', valueName: 'COL', description: 'a column of sample weights' },
    reg: { type: 'number', default: 0, min: 0, description: 'regularization strength' },
    'elastic-net': { type: 'number', default: 0, min: 0, max: 1, description: 'L1 share of the penalty' },
    family: {
      type: 'string',
      default: 'auto',
      choices: ['auto', 'binomial', 'multinomial'],
      description: 'model family',
    },
    'max-iterations': { type: 'integer', default: 100, min: 1, description: 'the most solver iterations' },
    output: {
      type: 'string',
      valueName: 'FILE',
      description: 'write the coefficients here instead of stdout',
    },
  },
  examples: ['eddy logistic-regression train iris.csv --label species --reg 0.01 --model model.json'],
  async run(context) {
    const { label, modelPath, weight, frame, featuresCol } = await readTrainingInput(context);
    const { classes, indices } = classLabels(frame, label);
    const estimator = new LogisticRegression({
      labelCol: label,
      weightCol: weight,
      reg: context.options.reg as number,
      elasticNet: context.options.elasticNet as number,
      family: context.options.family as 'auto' | 'binomial' | 'multinomial',
      maxIterations: context.options.maxIterations as number,
      featuresCol,
    });
    const model = estimator.fitFrame(frame);
    await model.save(modelPath);
    const predicted = model.transformFrame(frame);
    const predictions = predicted.columns[predicted.names.indexOf('prediction')].values as ArrayLike<
      string | number
    >;
    const actual = Array.from(indices, (i) => classes[i]);
    note(
      context,
      `logistic regression: ${frame.rowCount} rows, ${classes.length} classes, training accuracy ${accuracy(actual, predictions).toFixed(4)}`,
    );
    const { rows, columns, data } = model.coefficients;
    const heads = rows === 1 ? [String(classes[1])] : classes.map(String);
    const terms: FrameColumn = {
      kind: 'string',
      values: [...(model.get('featuresCol') as readonly string[]), '(intercept)'],
    };
    const perClass: FrameColumn[] = heads.map((_, c) => ({
      kind: 'number',
      values: Float64Array.from({ length: columns + 1 }, (_, j) =>
        j < columns ? data[c * columns + j] : model.intercepts[c],
      ),
    }));
    await writeColumns(context, ['term', ...heads], [terms, ...perClass]);
  },
});
