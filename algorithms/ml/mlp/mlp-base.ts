/**
 * What MLPClassifier and MLPRegressor share: the estimator's fit (features standardised, the
 * initial weights of a seeded tfjs dense network, trained by dense-training.ts on the calling
 * thread or, in `fit`, on the core driver's threads) and the model's state
 * (architecture, scaling, weights, loss curve), its lazily built network and its save format.
 */
import type { Optimizer } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { InputError, ParamError } from '../../../src/core/errors.js';
import { DenseMatrix } from '../../../src/core/matrix.js';
import { random } from '../../../src/core/random.js';
import { loadTensorFlow, tensorflow } from '../../../src/core/tensorflow-module.js';
import { extractFeatures, loadData, type MLData } from '../../../src/ml/data.js';
import type { ParamValues } from '../../../src/ml/params.js';
import { jsonNumbers, jsonRows } from '../../../src/ml/persistence.js';
import { Estimator, type StageJSON, Transformer } from '../../../src/ml/stage.js';
import type { Table } from '../../../src/table/table.js';
import type { FeatureScaling } from '../standardization.js';
import { denseTraining, denseTrainingThreads, trainHere, trainOnThreads } from './dense-training.js';
import {
  ACTIVATIONS,
  type Activation,
  type Architecture,
  buildDenseNetwork,
  denseShapes,
  networkWeights,
  setNetworkWeights,
  type Weight,
  weightsFromJSON,
  weightsToJSON,
} from './network.js';
import { type NetworkRows, networkRows, trainingRowsHere, trainingRowsOnThreads } from './network-rows.js';
import type { mlpModelParams, mlpParams, networkTrainingParams } from './params.js';
import { type EpochReport, predictRows, type Rows, type TrainingHistory } from './training.js';

type Specs = typeof mlpParams;
type ModelSpecs = typeof mlpModelParams;

/** A task's targets as the network learns them, its loss and validation score. */
export interface Task {
  readonly targets: Rows;
  readonly outputs: number;
  /** `softmax`: cross-entropy over softmax outputs; `squared`: half the mean squared error. */
  readonly loss: 'softmax' | 'squared';
  score(predictions: Float32Array, targets: Rows): number;
}

/** The optimizer `params` name (scikit-learn's Adam: epsilon 1e-8). */
export function makeOptimizer(params: ParamValues<typeof networkTrainingParams>): Optimizer {
  const tf = tensorflow().core;
  return params.optimizer === 'adam'
    ? tf.train.adam(params.learningRate, 0.9, 0.999, 1e-8)
    : tf.train.sgd(params.learningRate);
}

/** What a fit hands to the model it makes. */
export interface FittedNetwork {
  readonly architecture: Architecture;
  readonly weights: readonly Weight[];
  readonly scaling: FeatureScaling | undefined;
  readonly history: TrainingHistory;
  readonly featuresCol: string | readonly string[];
  readonly network?: LayersModel;
}

/** The estimator side: subclasses say what the targets are and which model to make. */
export abstract class MLPEstimator<M extends MLPModel, S extends Specs = Specs> extends Estimator<S, M> {
  /** Called after each epoch with its loss (and validation score): progress for a terminal. */
  onEpoch?: (report: EpochReport) => void;

  /** Starts TensorFlow.js (fit() and pipelines call this before fitTable). */
  override async ready(): Promise<void> {
    await loadTensorFlow();
  }

  /** The task of `frame`'s label column. */
  protected abstract task(frame: Table, labelCol: string): Task;

  /** The model of a fit. */
  protected abstract modelOf(fitted: FittedNetwork, task: Task): M;

  fitTable(frame: Table): M {
    const input = this.trainingInput(frame, 1);
    const rows = trainingRowsHere(input.features.matrix, input.params.standardization);
    const { training, complete } = this.training(frame, input, rows);
    return complete(trainHere(training));
  }

  /** {@link fitTable} on the core driver's threads (`parallelism`, for data large enough): the same weights. */
  override async fit(data: MLData): Promise<M> {
    await this.ready();
    const frame = await loadData(data);
    const input = this.trainingInput(frame, (this.getParams() as ParamValues<Specs>).parallelism);
    const { matrix } = input.features;
    const rows = await trainingRowsOnThreads(matrix, input.params.standardization, input.threads);
    const { training, complete } = this.training(frame, input, rows);
    return complete(await trainOnThreads(training, input.threads, input.params.batchSize));
  }

  /** What a training of `frame` starts from: the features (their values not yet checked), the task, the threads. */
  private trainingInput(frame: Table, parallelism: number) {
    // The subclasses' specs extend mlpParams: these values have its types.
    const params = this.getParams() as ParamValues<Specs>;
    const labelCol = params.labelCol;
    // The values are checked on the pass that scales them (trainingRows*): one pass fewer.
    const features = extractFeatures(frame, params.featuresCol, [labelCol], false);
    const task = this.task(frame, labelCol);
    if (frame.numRows === 0) {
      throw new InputError('no rows to train on', { file: frame.source, expected: 'at least one row' });
    }
    const threads = denseTrainingThreads(features.matrix, params.batchSize, parallelism);
    return { params, features, task, threads };
  }

  /** The training of `frame` on `rows` (its features as a network's rows) as gradient passes, and what makes the model of its result. */
  private training(
    frame: Table,
    { params, features, task, threads }: ReturnType<MLPEstimator<M, S>['trainingInput']>,
    { rows, scaling, finite }: NetworkRows,
  ) {
    // A value that is not finite: extracting the features again, checked, says where.
    if (!finite) extractFeatures(frame, params.featuresCol, [params.labelCol]);
    const rng = random(params.seed);
    const architecture: Architecture = {
      inputs: features.matrix.columns,
      hiddenLayers: params.hiddenLayers,
      outputs: task.outputs,
      activation: params.activation,
    };
    // The initial weights of a tfjs network of the same seed (Glorot uniform), flat.
    const initial = flatWeights(networkWeights(buildDenseNetwork(architecture, rng.derive('weights'))));
    const training = denseTraining(
      {
        layout: {
          sizes: [architecture.inputs, ...architecture.hiddenLayers, architecture.outputs],
          activation: architecture.activation,
          loss: task.loss,
          dropout: params.dropout,
        },
        initial,
        optimizer: params.optimizer,
        learningRate: params.learningRate,
        l2: params.l2,
        masks: rng.derive('dropout'),
        share: threads > 1,
      },
      rows,
      task.targets,
      task.score,
      { ...params, onEpoch: this.onEpoch },
    );
    const complete = ({ weights, history }: { weights: Float32Array; history: TrainingHistory }): M =>
      this.modelOf(
        {
          architecture,
          weights: shapedWeights(weights, denseShapes(architecture)),
          scaling,
          history,
          featuresCol: features.featuresCol,
        },
        task,
      );
    return { training, complete };
  }
}

/** Weights in the order of `getWeights()`, as one flat array. */
function flatWeights(weights: readonly Weight[]): Float32Array {
  const flat = new Float32Array(weights.reduce((sum, w) => sum + w.values.length, 0));
  let at = 0;
  for (const { values } of weights) {
    flat.set(values, at);
    at += values.length;
  }
  return flat;
}

/** A flat array cut into weights of `shapes`. */
function shapedWeights(flat: Float32Array, shapes: readonly number[][]): Weight[] {
  let at = 0;
  return shapes.map((shape) => {
    const size = shape.reduce((product, n) => product * n, 1);
    at += size;
    return { shape, values: flat.slice(at - size, at) };
  });
}

/** The model side: a trained dense network over (standardised) features. */
export abstract class MLPModel<S extends ModelSpecs = ModelSpecs> extends Transformer<S> {
  readonly architecture: Architecture;
  readonly weights: readonly Weight[];
  /** How features were standardised before the network (none without `standardization`). */
  readonly scaling: FeatureScaling | undefined;
  /** The mean training loss of each epoch. */
  readonly lossCurve: readonly number[];
  /** With early stopping: the validation score of each epoch (accuracy or R2). */
  readonly validationScores: readonly number[];
  private built: LayersModel | undefined;

  constructor(specs: S, fitted: FittedNetwork, params: Partial<ParamValues<S>>) {
    super(specs, params);
    this.architecture = fitted.architecture;
    this.weights = fitted.weights;
    this.scaling = fitted.scaling;
    this.lossCurve = fitted.history.lossCurve;
    this.validationScores = fitted.history.validationScores;
    this.built = fitted.network;
  }

  /** Starts TensorFlow.js (transform() and loadModel() call this). */
  override async ready(): Promise<void> {
    await loadTensorFlow();
  }

  /** The network (built from the weights on first use). */
  network(): LayersModel {
    if (this.built === undefined) {
      this.built = buildDenseNetwork(this.architecture);
      setNetworkWeights(this.built, this.weights, '<model>');
    }
    return this.built;
  }

  /** The network's outputs for a feature matrix, one row of `architecture.outputs` per row. */
  protected outputsOf(matrix: DenseMatrix): Float32Array {
    if (matrix.columns !== this.architecture.inputs) {
      throw new ParamError(
        'data',
        `${matrix.columns} features`,
        `${this.architecture.inputs} like the model`,
      );
    }
    return predictRows(this.network(), networkRows(matrix, this.scaling));
  }

  /** The network's outputs for one row. */
  protected outputsOfRow(row: ArrayLike<number>): Float32Array {
    if (row.length !== this.architecture.inputs) {
      throw new ParamError('row', `a row of ${row.length} values`, `${this.architecture.inputs} values`);
    }
    const matrix = new DenseMatrix(1, row.length);
    matrix.data.set(Array.from(row));
    return predictRows(this.network(), networkRows(matrix, this.scaling));
  }

  /** The feature matrix of a frame to transform (the prediction columns left out). */
  protected features(frame: Table, exclude: readonly string[]): DenseMatrix {
    return extractFeatures(frame, this.get('featuresCol') as string | readonly string[], exclude).matrix;
  }

  protected stateJSON(): Record<string, unknown> {
    return {
      inputs: this.architecture.inputs,
      hiddenLayers: [...this.architecture.hiddenLayers],
      outputs: this.architecture.outputs,
      activation: this.architecture.activation,
      scaling:
        this.scaling === undefined
          ? null
          : [Array.from(this.scaling.means), Array.from(this.scaling.deviations)],
      weights: weightsToJSON(this.weights),
      lossCurve: [...this.lossCurve],
      validationScores: [...this.validationScores],
    };
  }
}

/** The state {@link MLPModel.stateJSON} wrote, read back and checked. */
export function fittedFromJSON(stage: StageJSON, source: string): FittedNetwork {
  const [inputs, outputs] = jsonNumbers({ ...stage, sizes: [stage.inputs, stage.outputs] }, 'sizes', source);
  const hiddenLayers = jsonNumbers(stage, 'hiddenLayers', source);
  const activation = stage.activation as Activation;
  if (!ACTIVATIONS.includes(activation)) {
    throw new InputError(`'${stage.type}' model field "activation" is not an activation`, {
      file: source,
      text: String(stage.activation),
      expected: ACTIVATIONS.join(', '),
    });
  }
  let scaling: FeatureScaling | undefined;
  if (stage.scaling !== null) {
    const [means, deviations] = jsonRows(stage, 'scaling', source);
    scaling = { means: Float64Array.from(means), deviations: Float64Array.from(deviations) };
  }
  const architecture = { inputs, hiddenLayers, outputs, activation };
  const weights = weightsFromJSON(stage, 'weights', source);
  const expected = denseShapes(architecture);
  if (
    weights.length !== expected.length ||
    !weights.every((w, i) => w.shape.join('x') === expected[i].join('x'))
  ) {
    throw new InputError(`'${stage.type}' model weights do not fit its layers`, {
      file: source,
      text: weights.map((w) => w.shape.join('x')).join(' '),
      expected: expected.map((shape) => shape.join('x')).join(' '),
    });
  }
  return {
    architecture,
    weights,
    scaling,
    history: {
      lossCurve: jsonNumbers(stage, 'lossCurve', source),
      validationScores: jsonNumbers(stage, 'validationScores', source),
    },
    featuresCol: [],
  };
}
