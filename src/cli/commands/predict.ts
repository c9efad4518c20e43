import { InputError, loadModel, PipelineModel, type TableColumn, type Transformer } from '../../index.js';
import { defineCommand } from '../command.js';
import { tableInputOptions } from '../feature-options.js';
import { dataPositional, readInput, refuseOutputOverModel, requiredOption, writeColumns } from '../ml-io.js';

/** The stage whose predictions `predict` writes: the model itself, or a pipeline's last stage. */
function predictor(model: Transformer): Transformer {
  return model instanceof PipelineModel && model.stages.length > 0
    ? predictor(model.stages[model.stages.length - 1])
    : model;
}

/** A classifier's class labels and the column of its class probabilities, or undefined for other models. */
function probabilityOutput(stage: Transformer): { classes: readonly unknown[]; column: string } | undefined {
  const { classes, predictProbabilities } = stage as Partial<{
    classes: unknown;
    predictProbabilities: unknown;
  }>;
  const column = stage.getParams().probabilityCol;
  if (typeof predictProbabilities !== 'function' || !Array.isArray(classes) || typeof column !== 'string') {
    return undefined;
  }
  return { classes, column };
}

/** `eddy predict`: applies any saved model to a CSV or Arrow file. */
export const predictCommand = defineCommand({
  name: 'predict',
  summary: 'apply a saved model (k-means, regression, classifier, pipeline) to a CSV or Arrow file',
  description:
    'Writes one prediction per input row, in input order (TSV with header "prediction"): the cluster index ' +
    'for k-means, the value for regression, the label as written in the training data for classification. ' +
    'The model picks its feature columns by name (give a file without a header its names with --columns).',
  positionals: [dataPositional],
  options: {
    model: { type: 'string', valueName: 'FILE', description: 'a model saved by eddy (required)' },
    ...tableInputOptions,
    output: {
      type: 'string',
      valueName: 'FILE',
      writes: true,
      description: 'write the predictions here (.arrow: Arrow IPC) instead of stdout',
    },
    probabilities: {
      type: 'boolean',
      description: 'also write each class probability (columns probability_<class>); classifiers only',
    },
  },
  examples: [
    'eddy predict --model model.json new-points.csv > predictions.tsv',
    'eddy predict --model tree.json --probabilities new-rows.csv',
  ],
  async run(context) {
    const modelPath = requiredOption(context, 'model', 'model');
    refuseOutputOverModel(context);
    const model = await loadModel(modelPath);
    const column = predictor(model).getParams().predictionCol;
    if (typeof column !== 'string') {
      throw new InputError(`a '${predictor(model).type}' model makes no predictions`, {
        file: modelPath,
        expected: 'a k-means, regression or classification model (or a pipeline ending in one)',
      });
    }
    const probabilities =
      context.options.probabilities === true ? probabilityOutput(predictor(model)) : undefined;
    if (context.options.probabilities === true && probabilities === undefined) {
      throw new InputError(`a '${predictor(model).type}' model gives no class probabilities`, {
        file: modelPath,
        expected: 'a classifier with class probabilities (logistic regression, trees, forests, gbt)',
      });
    }
    const frame = await readInput(context, context.positionals[0]);
    const result = model.transformTable(frame);
    const prediction = result.columns[result.names.indexOf(column)];
    if (probabilities === undefined) {
      await writeColumns(context, ['prediction'], [prediction]);
      return;
    }
    const matrix = result.columns[result.names.indexOf(probabilities.column)];
    if (matrix?.kind !== 'vector') {
      throw new InputError(`the model wrote no probability column '${probabilities.column}'`, {
        file: modelPath,
      });
    }
    const perClass: TableColumn[] = probabilities.classes.map((_, c) => ({
      kind: 'number',
      values: Float64Array.from({ length: matrix.values.rows }, (_, i) => matrix.values.get(i, c)),
    }));
    await writeColumns(
      context,
      ['prediction', ...probabilities.classes.map((label) => `probability_${String(label)}`)],
      [prediction, ...perClass],
    );
  },
});
