import { LinearRegression, numericLabels, r2, linearRegressionParams as specs } from '../../index.js';
import { defineCommand } from '../command.js';
import { note, readTrainingInput, trainingOptions, trainPositionals, warn, writeColumns } from '../ml-io.js';
import { refuseOptions } from '../option-rules.js';

/** `eddy linear-regression train`: fits a linear model and saves it. */
export const linearRegressionCommand = defineCommand({
  name: 'linear-regression',
  summary: 'train a linear regression (least squares, ridge, elastic net) on a CSV or Arrow file',
  description:
    'Saves the model as JSON (--model) and writes its coefficients as TSV (term, coefficient), the ' +
    'intercept last. reg = 0 is exact least squares (QR); reg > 0 is elastic net by coordinate descent; ' +
    '--solver sgd is mini-batch SGD (variance-reduced, so it reaches the same solution; standardise the features).',
  positionals: trainPositionals,
  options: {
    label: { type: 'string', valueName: 'COL', description: 'the target column (required)' },
    ...trainingOptions(specs, 'L1 share of the penalty (0 ridge, 1 lasso)'),
    'no-intercept': { type: 'boolean', description: 'fit without an intercept' },
    solver: {
      type: 'string',
      default: specs.solver.default,
      choices: ['auto', 'qr', 'coordinate-descent', 'sgd'],
      description: "'auto': qr when reg = 0, else coordinate-descent",
    },
    'learning-rate': { type: 'number', default: specs.learningRate.default, description: 'SGD step size' },
    'batch-size': {
      type: 'integer',
      default: specs.batchSize.default,
      min: 1,
      description: 'rows per SGD batch',
    },
    'max-iterations': {
      type: 'integer',
      default: specs.maxIterations.default,
      min: 1,
      description: 'the most coordinate-descent sweeps or SGD epochs',
    },
    seed: {
      type: 'integer',
      default: specs.seed.default as number,
      valueName: 'S',
      description: 'the seed of the SGD row order',
    },
    output: {
      type: 'string',
      valueName: 'FILE',
      writes: true,
      description: 'write the coefficients here instead of stdout',
    },
  },
  examples: [
    'eddy linear-regression train diabetes.csv --label progression --model model.json',
    'eddy linear-regression train scaled.csv --label y --reg 0.01 --solver sgd --learning-rate 0.2 --model model.json',
  ],
  async run(context) {
    const solver = context.options.solver as 'auto' | 'qr' | 'coordinate-descent' | 'sgd';
    if (solver !== 'sgd') {
      refuseOptions(context, ['learningRate', 'batchSize', 'seed'], 'applies to --solver sgd only');
    }
    const exact = solver === 'qr' || (solver === 'auto' && context.options.reg === 0);
    if (exact) refuseOptions(context, ['maxIterations'], 'does not apply to the exact (qr) solver');
    const { label, modelPath, weight, frame, featuresCol } = await readTrainingInput(context);
    numericLabels(frame, label);
    const estimator = new LinearRegression({
      labelCol: label,
      weightCol: weight,
      reg: context.options.reg as number,
      elasticNet: context.options.elasticNet as number,
      fitIntercept: context.options.noIntercept !== true,
      solver,
      learningRate: context.options.learningRate as number,
      batchSize: context.options.batchSize as number,
      maxIterations: context.options.maxIterations as number,
      seed: context.options.seed as number,
      featuresCol,
    });
    const model = estimator.fitTable(frame, {
      progress: context.progress({ label: 'fitting', unit: 'supersteps' }),
    });
    await model.save(modelPath);
    const predicted = model.transformTable(frame);
    const fitted = predicted.columns[predicted.names.indexOf('prediction')].values as Float64Array;
    note(
      context,
      `linear regression: ${frame.numRows} rows, training R2 ${r2(numericLabels(frame, label), fitted).toFixed(6)}`,
    );
    if (model.iterations === estimator.get('maxIterations')) {
      warn(
        context,
        `stopped at --max-iterations ${model.iterations} before converging; raise it (or, for sgd, the learning rate, or standardise the features)`,
      );
    }
    const terms = [...(model.get('featuresCol') as readonly string[]), '(intercept)'];
    await writeColumns(
      context,
      ['term', 'coefficient'],
      [
        { kind: 'string', values: terms },
        { kind: 'number', values: Float64Array.from([...model.coefficients, model.intercept]) },
      ],
    );
  },
});
