import {
  accuracy,
  classLabels,
  LogisticRegression,
  logisticRegressionParams as specs,
  type TableColumn,
} from '../../index.js';
import { defineCommand } from '../command.js';
import { note, readTrainingInput, trainingOptions, trainPositionals, writeColumns } from '../ml-io.js';

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
  },
  examples: ['eddy logistic-regression train iris.csv --label species --reg 0.01 --model model.json'],
  async run(context) {
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
