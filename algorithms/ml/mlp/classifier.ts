import { InputError } from '../../../src/core/errors.js';
import { DenseMatrix } from '../../../src/core/matrix.js';
import { type ClassLabel, trainingClassLabels } from '../../../src/ml/data.js';
import { type FluentParams, type ParamValues, param, paramsFromJSON } from '../../../src/ml/params.js';
import {
  checkStageJSON,
  jsonClassLabels,
  readModelJSON,
  registerModelType,
} from '../../../src/ml/persistence.js';
import type { Table } from '../../../src/table/table.js';
import type { TableColumn } from '../../../src/table/typed-columns.js';
import { type FittedNetwork, fittedFromJSON, MLPEstimator, MLPModel, type Task } from './mlp-base.js';
import { mlpModelParams, mlpParams } from './params.js';
import { argmaxRows, oneHotAccuracy, softmaxRows } from './scores.js';

/** Parameters of a fitted {@link MLPClassifierModel}. */
export const mlpClassifierModelParams = {
  ...mlpModelParams,
  probabilityCol: param.column('probability', 'the vector column of class probabilities'),
};

/** Parameters of {@link MLPClassifier}. */
export const mlpClassifierParams = { ...mlpParams, ...mlpClassifierModelParams };

type Specs = typeof mlpClassifierParams;
type ModelSpecs = typeof mlpClassifierModelParams;

/** Flink ML's fluent setters and getters, defined at run time by WithParams. */
export interface MLPClassifier extends FluentParams<Specs, MLPClassifier> {}

/**
 * A multilayer perceptron classifier (scikit-learn's MLPClassifier, Spark's
 * MultilayerPerceptronClassifier) on TensorFlow.js: dense hidden layers, a softmax output, the
 * cross-entropy loss plus an L2 penalty, trained by Adam or SGD in mini-batches. Labels may be
 * numbers or strings. The same seed gives the same weights on the same TensorFlow.js backend.
 * @example
 * const model = await new MLPClassifier({ labelCol: 'digit', hiddenLayers: [64], seed: 1 }).fit('digits.csv');
 * model.predict(row);                 // a digit
 * model.predictProbabilities(row);    // one probability per class
 * model.lossCurve;                    // the mean training loss of each epoch
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class MLPClassifier extends MLPEstimator<MLPClassifierModel, Specs> {
  static readonly Model: typeof MLPClassifierModel;

  constructor(options: Partial<ParamValues<Specs>> = {}) {
    super(mlpClassifierParams, options);
  }

  protected task(frame: Table, labelCol: string): Task & { classes: ClassLabel[] } {
    const { classes, indices } = trainingClassLabels(frame, labelCol);
    const k = classes.length;
    const values = new Float32Array(indices.length * k);
    for (let i = 0; i < indices.length; i++) values[i * k + indices[i]] = 1;
    return {
      classes,
      targets: { values, rows: indices.length, width: k },
      outputs: k,
      loss: 'softmax',
      score: oneHotAccuracy,
    };
  }

  protected modelOf(fitted: FittedNetwork, task: Task & { classes: ClassLabel[] }): MLPClassifierModel {
    return new MLPClassifierModel(fitted, task.classes, {
      featuresCol: fitted.featuresCol,
      predictionCol: this.get('predictionCol'),
      probabilityCol: this.get('probabilityCol'),
    });
  }
}

/** Flink ML's fluent setters and getters, defined at run time by WithParams. */
export interface MLPClassifierModel extends FluentParams<ModelSpecs, MLPClassifierModel> {}

/**
 * A fitted {@link MLPClassifier}. `predict(row)` gives the label, `predictProbabilities(row)` one
 * probability per class (in the order of `classes`); `transform` adds the prediction and
 * probability columns. Saved as one JSON file: the parameters, the classes, the architecture,
 * the feature scaling, the weights (float32, base64) and the loss curve.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class MLPClassifierModel extends MLPModel<ModelSpecs> {
  readonly type = 'mlp-classifier';
  /** The class labels as written in the training data, sorted. */
  readonly classes: readonly ClassLabel[];

  constructor(
    fitted: FittedNetwork,
    classes: readonly ClassLabel[],
    params: Partial<ParamValues<ModelSpecs>> = {},
  ) {
    super(mlpClassifierModelParams, fitted, params);
    this.classes = classes;
  }

  /** The probability of each class, in the order of {@link classes}. */
  predictProbabilities(row: ArrayLike<number>): Float64Array {
    return softmaxRows(this.outputsOfRow(row), this.classes.length);
  }

  /** The most probable class label. */
  predict(row: ArrayLike<number>): ClassLabel {
    return this.classes[argmaxRows(this.outputsOfRow(row), this.classes.length)[0]];
  }

  transformTable(frame: Table): Table {
    const matrix = this.features(frame, [this.get('predictionCol'), this.get('probabilityCol')]);
    const k = this.classes.length;
    const logits = this.outputsOf(matrix);
    const best = argmaxRows(logits, k);
    const labels = Array.from(best, (c) => this.classes[c]);
    const prediction: TableColumn =
      typeof this.classes[0] === 'string'
        ? { kind: 'string', values: labels as string[] }
        : { kind: 'number', values: Float64Array.from(labels as number[]) };
    const probability = new DenseMatrix(matrix.rows, k, softmaxRows(logits, k));
    const result = frame.withTypedColumn(this.get('predictionCol'), prediction);
    return result.withTypedColumn(this.get('probabilityCol'), { kind: 'vector', values: probability });
  }

  protected override stateJSON(): Record<string, unknown> {
    return { classes: [...this.classes], ...super.stateJSON() };
  }

  static fromJSON(json: unknown, source = '<json>'): MLPClassifierModel {
    const stage = checkStageJSON(json, source, 'mlp-classifier');
    const params = paramsFromJSON(mlpClassifierModelParams, stage.params, 'mlp-classifier').getAll();
    const classes = jsonClassLabels(stage, 'classes', source);
    const fitted = fittedFromJSON(stage, source);
    if (fitted.architecture.outputs !== classes.length) {
      throw new InputError('mlp-classifier model has not one output per class', {
        file: source,
        text: String(fitted.architecture.outputs),
        expected: `${classes.length} outputs`,
      });
    }
    return new MLPClassifierModel(fitted, classes as ClassLabel[], params);
  }

  /** Loads a model saved with `save(path)`, TensorFlow.js started. */
  static async load(path: string): Promise<MLPClassifierModel> {
    const model = MLPClassifierModel.fromJSON(await readModelJSON(path), path);
    await model.ready();
    return model;
  }
}

(MLPClassifier as { Model: typeof MLPClassifierModel }).Model = MLPClassifierModel;
registerModelType('mlp-classifier', MLPClassifierModel.fromJSON);
