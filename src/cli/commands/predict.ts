import { InputError, loadModel, PipelineModel, type Transformer } from '../../index.js';
import { defineCommand } from '../command.js';
import { dataPositional, readInput, refuseOutputOverModel, requiredOption, writeColumns } from '../ml-io.js';

/** The stage whose predictions `predict` writes: the model itself, or a pipeline's last stage. */
function predictor(model: Transformer): Transformer {
  return model instanceof PipelineModel && model.stages.length > 0
    ? predictor(model.stages[model.stages.length - 1])
    : model;
}

/** `eddy predict`: applies any saved model to a CSV or Arrow file. */
export const predictCommand = defineCommand({
  name: 'predict',
  summary: 'apply a saved model (k-means, regression, classifier, pipeline) to a CSV or Arrow file',
  description:
    'Writes one prediction per input row, in input order (TSV with header "prediction"): the cluster index ' +
    'for k-means, the value for regression, the label as written in the training data for classification. ' +
    'The model picks its feature columns by name.',
  positionals: [dataPositional],
  options: {
    model: { type: 'string', valueName: 'FILE', description: 'a model saved by eddy (required)' },
    output: {
      type: 'string',
      valueName: 'FILE',
      writes: true,
      description: 'write the predictions here (.arrow: Arrow IPC) instead of stdout',
    },
  },
  examples: ['eddy predict --model model.json new-points.csv > predictions.tsv'],
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
    const frame = await readInput(context, context.positionals[0]);
    const result = model.transformFrame(frame);
    await writeColumns(context, ['prediction'], [result.columns[result.names.indexOf(column)]]);
  },
});
