/**
 * Any TensorFlow.js layers network as an estimator of eddy's pipeline API (FlinkML's packaged
 * TensorFlow, Horovod's KerasEstimator): a function builds the network, eddy trains it on a
 * table, `number[][]` or a file (the shared mini-batch loop), a DataSet (streamed from its
 * partitions in mini-batches), or on a stream
 * (`partialFit` per mini-batch, model versions, exactly-once checkpoints), and the fitted
 * {@link KerasModel} transforms data and saves as the tfjs topology plus weights in eddy's stage JSON.
 */

import type { Optimizer, Scalar, Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { RecordBatch } from 'apache-arrow';
import { isRecordBatch } from '../../../src/core/arrow-module.js';
import { InputError, ParamError } from '../../../src/core/errors.js';
import { DenseMatrix } from '../../../src/core/matrix.js';
import { loadTensorFlow, type TensorFlow, tensorflow } from '../../../src/core/tensorflow-module.js';
import { DataSet } from '../../../src/dataset/dataset.js';
import {
  type ClassLabel,
  classLabels,
  extractFeatures,
  type MLData,
  numericLabels,
  trainingClassLabels,
} from '../../../src/ml/data.js';
import { frameFromRecordList } from '../../../src/ml/dataset-input.js';
import {
  type FitInput,
  type FitSummary,
  fitStream,
  type ModelVersion,
  type OnlineFitOptions,
  recordBatchFeatures,
} from '../../../src/ml/online.js';
import {
  commonParams,
  type FluentParams,
  type ParamValues,
  param,
  paramsFromJSON,
} from '../../../src/ml/params.js';
import {
  checkStageJSON,
  jsonClassLabels,
  jsonNumbers,
  readModelJSON,
  registerModelType,
} from '../../../src/ml/persistence.js';
import { Estimator, Transformer } from '../../../src/ml/stage.js';
import type { JsonValue } from '../../../src/stream/events.js';
import { Table } from '../../../src/table/table.js';
import type { TableColumn } from '../../../src/table/typed-columns.js';
import { makeOptimizer } from './mlp-base.js';
import { networkWeights, setNetworkWeights, type Weight, weightsFromJSON, weightsToJSON } from './network.js';
import { networkRows } from './network-rows.js';
import { optimizerState, restoreOptimizerState } from './optimizer-state.js';
import { networkTrainingParams } from './params.js';
import { type PartitionRows, trainOnPartitions } from './partition-training.js';
import { argmaxRows, oneHotAccuracy, targetR2 } from './scores.js';
import {
  inputShape,
  minimizeStep,
  type Objective,
  predictRows,
  type Rows,
  type TrainingHistory,
  trainNetwork,
} from './training.js';

/** Builds the network to train, from TensorFlow.js as eddy loaded it (seed its initializers for reproducible weights). */
export type NetworkBuilder = (tf: TensorFlow) => LayersModel;

/** A loss of targets and outputs, averaged over the mini-batch. */
export type LossFunction = (targets: Tensor, outputs: Tensor) => Scalar;

/** The losses known by name (Keras's names). */
export const LOSSES = [
  'categoricalCrossentropy',
  'softmaxCrossEntropy',
  'meanSquaredError',
  'meanAbsoluteError',
] as const;

/** What Keras's `compile` takes that is not a parameter: the loss. */
export interface CompileOptions {
  /**
   * `'categoricalCrossentropy'` (outputs are probabilities: end the network in a softmax; the
   * default for classification), `'softmaxCrossEntropy'` (outputs are logits),
   * `'meanSquaredError'` (the default for regression), `'meanAbsoluteError'`, or a function.
   */
  loss?: (typeof LOSSES)[number] | LossFunction;
}

/** Parameters of a fitted {@link KerasModel}. */
export const kerasModelParams = {
  featuresCol: commonParams.featuresCol,
  predictionCol: commonParams.predictionCol,
};

/** Parameters of {@link KerasEstimator}. */
export const kerasParams = {
  ...kerasModelParams,
  labelCol: commonParams.labelCol,
  task: param.choice(
    'classification',
    "'classification' (labels are classes, one network output per class) or 'regression' (numeric labels, one output each)",
    ['classification', 'regression'] as const,
  ),
  backend: param.choice(
    'wasm',
    "the TensorFlow.js backend to train on: 'wasm' (faster) or 'cpu' (has every gradient kernel: the WebAssembly one lacks some, such as Conv2DBackpropFilter for convolutions)",
    ['wasm', 'cpu'] as const,
  ),
  ...networkTrainingParams,
};

type Specs = typeof kerasParams;
type ModelSpecs = typeof kerasModelParams;

/** A batch of labelled rows on a stream: features, and labels (class indices for classification). */
export interface LabeledRows {
  features: DenseMatrix | readonly (readonly number[])[];
  labels: ArrayLike<number>;
}

/** One model version of a stream fit. */
export type KerasVersion = ModelVersion<KerasModel>;

function lossFunction(loss: CompileOptions['loss'], task: 'classification' | 'regression'): LossFunction {
  const tf = tensorflow().core;
  const name = loss ?? (task === 'classification' ? 'categoricalCrossentropy' : 'meanSquaredError');
  if (typeof name === 'function') return name;
  switch (name) {
    case 'categoricalCrossentropy':
      return (y, p) =>
        tf.mean(tf.neg(tf.sum(tf.mul(y, tf.log(tf.clipByValue(p, 1e-7, 1 - 1e-7))), -1))) as Scalar;
    case 'softmaxCrossEntropy':
      return (y, p) => tf.losses.softmaxCrossEntropy(y, p) as Scalar;
    case 'meanSquaredError':
      return (y, p) => tf.losses.meanSquaredError(y, p) as Scalar;
    case 'meanAbsoluteError':
      return (y, p) => tf.losses.absoluteDifference(y, p) as Scalar;
    default:
      throw new ParamError('loss', name, `a function or one of ${LOSSES.join(', ')}`);
  }
}

function outputWidth(network: LayersModel): number {
  const width = network.outputs[0].shape[network.outputs[0].shape.length - 1];
  if (typeof width !== 'number')
    throw new ParamError('network', 'an output of unknown width', 'a fixed output width');
  return width;
}

/** Flink ML's fluent setters and getters, defined at run time by WithParams. */
export interface KerasEstimator extends FluentParams<Specs, KerasEstimator> {}

/**
 * Packages a TensorFlow.js layers network as an estimator. Inputs are rows of numbers (the
 * features, picked by `featuresCol`), reshaped to the network's input shape (`[8, 8, 1]` for an
 * 8x8 image); labels are classes (one-hot against the network's outputs) or numbers.
 * @example
 * const estimator = new KerasEstimator(({ layers }) => layers.sequential({ layers: [
 *   layers.layers.dense({ inputShape: [4], units: 16, activation: 'relu' }),
 *   layers.layers.dense({ units: 3, activation: 'softmax' }),
 * ] }), { loss: 'categoricalCrossentropy' }, { labelCol: 'species', epochs: 50 });
 * const model = await estimator.fit('iris.csv');
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class KerasEstimator extends Estimator<Specs, KerasModel> {
  static readonly Model: typeof KerasModel;
  readonly build: NetworkBuilder;
  readonly compile: CompileOptions;
  /** Called after each epoch of a batch fit. */
  onEpoch?: (report: { epoch: number; loss: number; validationScore?: number }) => void;
  /** The live network of stream training (partialFit), with its optimizer and counts. */
  private live: { network: LayersModel; optimizer: Optimizer } | undefined;
  version = 0;
  recordsSeen = 0;

  constructor(
    build: NetworkBuilder,
    compile: CompileOptions = {},
    options: Partial<ParamValues<Specs>> = {},
  ) {
    super(kerasParams, options);
    this.build = build;
    this.compile = compile;
  }

  /** Starts TensorFlow.js on the `backend` this estimator trains on (fit() and pipelines call this). */
  override async ready(): Promise<void> {
    await loadTensorFlow(this.get('backend'));
  }

  private targets(frame: Table, outputs: number): { targets: Rows; classes: ClassLabel[] } {
    const labelCol = this.get('labelCol');
    if (this.get('task') === 'regression') {
      const labels = numericLabels(frame, labelCol);
      if (outputs !== 1) throw new ParamError('network', `${outputs} outputs`, '1 output for regression');
      return { targets: { values: Float32Array.from(labels), rows: labels.length, width: 1 }, classes: [] };
    }
    const { classes, indices } = trainingClassLabels(frame, labelCol);
    if (classes.length !== outputs) {
      throw new InputError(`label column '${labelCol}' has ${classes.length} classes`, {
        file: frame.source,
        expected: `${outputs}, one per output of the network`,
      });
    }
    const values = new Float32Array(indices.length * outputs);
    for (let i = 0; i < indices.length; i++) values[i * outputs + indices[i]] = 1;
    return { targets: { values, rows: indices.length, width: outputs }, classes };
  }

  fitTable(frame: Table): KerasModel {
    const network = this.build(tensorflow());
    const features = extractFeatures(frame, this.get('featuresCol'), [this.get('labelCol')]);
    const { targets, classes } = this.targets(frame, outputWidth(network));
    const history = this.withOptimizer((optimizer, loss) =>
      trainNetwork(
        network,
        networkRows(features.matrix),
        targets,
        { loss, score: this.get('task') === 'classification' ? oneHotAccuracy : targetR2 },
        { ...this.getParams(), optimizer, onEpoch: this.onEpoch },
      ),
    );
    return this.modelOf(network, classes, features.featuresCol, history);
  }

  /** Runs `train` with a new optimizer of the params (disposed after it) and the compiled loss. */
  private withOptimizer<R>(train: (optimizer: Optimizer, loss: Objective['loss']) => R): R {
    const compiled = lossFunction(this.compile.loss, this.get('task'));
    const optimizer = makeOptimizer(this.getParams());
    try {
      return train(optimizer, (net, input, target) =>
        compiled(target, net.apply(input, { training: true }) as Tensor),
      );
    } finally {
      optimizer.dispose();
    }
  }

  /**
   * Trains on data as {@link Estimator.fit} does; a DataSet is streamed from its partitions in
   * mini-batches (partition-training.ts), never collected into one array of rows. On a DataSet
   * the loss curve is the training loss (`earlyStopping`, which holds rows out, is refused).
   */
  override async fit(data: MLData): Promise<KerasModel> {
    if (!(data instanceof DataSet)) return super.fit(data);
    await this.ready();
    if (this.get('earlyStopping')) {
      throw new ParamError(
        'earlyStopping',
        true,
        'false on a DataSet (its rows are streamed: none is held out)',
      );
    }
    const partitions = (await data.environment.execute(data.node)).filter((records) => records.length > 0);
    if (partitions.length === 0) {
      throw new InputError('the DataSet is empty', { file: '<DataSet>', expected: 'at least one record' });
    }
    const network = this.build(tensorflow());
    const outputs = outputWidth(network);
    const labelCol = this.get('labelCol');
    const classification = this.get('task') === 'classification';
    const classes = classification ? this.partitionClasses(partitions, outputs) : [];
    const classIndex = new Map<ClassLabel, number>(classes.map((c, i) => [c, i]));
    let featuresCol: string | readonly string[] = this.get('featuresCol');
    const rowsOf = (records: unknown[]): PartitionRows => {
      const frame = frameFromRecordList(records);
      const features = extractFeatures(frame, this.get('featuresCol'), [labelCol]);
      featuresCol = features.featuresCol;
      if (!classification) {
        const labels = numericLabels(frame, labelCol);
        return {
          features: networkRows(features.matrix),
          targets: { values: Float32Array.from(labels), rows: labels.length, width: 1 },
        };
      }
      const values = new Float32Array(frame.numRows * outputs);
      const { classes: local, indices } = classLabels(frame, labelCol);
      for (let i = 0; i < frame.numRows; i++) values[i * outputs + classIndex.get(local[indices[i]])!] = 1;
      return {
        features: networkRows(features.matrix),
        targets: { values, rows: frame.numRows, width: outputs },
      };
    };
    const history = this.withOptimizer((optimizer, loss) =>
      trainOnPartitions(partitions, rowsOf, (x, y) => minimizeStep(network, optimizer, loss, x, y), {
        ...this.getParams(),
        onEpoch: this.onEpoch,
      }),
    );
    return this.modelOf(network, classes, featuresCol, history);
  }

  /** The classes of a DataSet's label column, over every partition, sorted as {@link classLabels} sorts. */
  private partitionClasses(partitions: readonly unknown[][], outputs: number): ClassLabel[] {
    const labelCol = this.get('labelCol');
    const seen = new Set<ClassLabel>();
    for (const records of partitions) {
      for (const label of classLabels(frameFromRecordList(records), labelCol).classes) seen.add(label);
    }
    const distinct = [...seen];
    if (distinct.some((label) => typeof label !== typeof distinct[0])) {
      throw new InputError(`label column '${labelCol}' holds numbers in some partitions and text in others`, {
        file: '<DataSet>',
        expected: 'class labels of one kind',
      });
    }
    // Sorted by classLabels itself, over a column of the distinct labels.
    const column: TableColumn =
      typeof distinct[0] === 'number'
        ? { kind: 'number', values: Float64Array.from(distinct as number[]) }
        : { kind: 'string', values: distinct as string[] };
    const { classes } = classLabels(Table.fromTypedColumns([labelCol], [column]), labelCol);
    if (classes.length !== outputs) {
      throw new InputError(`label column '${labelCol}' has ${classes.length} classes`, {
        file: '<DataSet>',
        expected: `${outputs}, one per output of the network`,
      });
    }
    return classes;
  }

  private modelOf(
    network: LayersModel,
    classes: readonly ClassLabel[],
    featuresCol: string | readonly string[],
    history: TrainingHistory,
  ): KerasModel {
    return new KerasModel(
      {
        task: this.get('task'),
        classes,
        topology: network.toJSON(undefined, false) as unknown as JsonValue,
        weights: networkWeights(network),
        history,
        network,
      },
      { featuresCol, predictionCol: this.get('predictionCol') },
    );
  }

  /**
   * One optimizer step on a mini-batch (the live network is built on the first call). Labels are
   * class indices (0 .. outputs-1) for classification, numbers for regression.
   */
  partialFit(features: DenseMatrix | readonly (readonly number[])[], labels: ArrayLike<number>): this {
    const tf = tensorflow().core;
    const matrix = features instanceof DenseMatrix ? features : DenseMatrix.fromRows(features);
    if (labels.length !== matrix.rows) {
      throw new ParamError('labels', `${labels.length} labels`, `one per row (${matrix.rows})`);
    }
    if (matrix.rows === 0) return this;
    this.live ??= { network: this.build(tensorflow()), optimizer: makeOptimizer(this.getParams()) };
    const { network, optimizer } = this.live;
    const width = outputWidth(network);
    const targets = new Float32Array(matrix.rows * width);
    for (let i = 0; i < matrix.rows; i++) {
      if (this.get('task') === 'regression') targets[i] = labels[i];
      else {
        const c = labels[i];
        if (!Number.isInteger(c) || c < 0 || c >= width) {
          throw new ParamError('labels', c, `a class index from 0 to ${width - 1}`);
        }
        targets[i * width + c] = 1;
      }
    }
    const loss = lossFunction(this.compile.loss, this.get('task'));
    const rows = networkRows(matrix);
    tf.tidy(() => {
      const input = tf.tensor(rows.values, [matrix.rows, ...inputShape(network, matrix.columns)]);
      const target = tf.tensor(targets, [matrix.rows, width]);
      optimizer.minimize(() => loss(target, network.apply(input, { training: true }) as Tensor));
    });
    this.version++;
    this.recordsSeen += matrix.rows;
    return this;
  }

  /** The live model of stream training, as a model (a copy: later steps do not change it). */
  liveModel(): KerasModel {
    if (this.live === undefined)
      throw new ParamError('liveModel', 'before any partialFit', 'a trained network');
    const width = outputWidth(this.live.network);
    const classes = this.get('task') === 'classification' ? Array.from({ length: width }, (_, c) => c) : [];
    const copy = this.build(tensorflow());
    copy.setWeights(this.live.network.getWeights());
    return this.modelOf(copy, classes, this.get('featuresCol'), { lossCurve: [], validationScores: [] });
  }

  /**
   * Trains on a stream of labelled batches ({@link LabeledRows}, or Arrow RecordBatches read by
   * `featuresCol` and `labelCol`): rows are gathered into mini-batches of `batchSize`, one
   * `partialFit` each (the rows left at the end make a last one), and each step yields a model
   * version. With `options.checkpoint`, the network, the optimizer's state and the rows of a
   * partial mini-batch are checkpointed with the source position: a resumed fit ends with the
   * network of an uninterrupted one.
   */
  fitStream(
    stream: FitInput<LabeledRows | RecordBatch>,
    options: OnlineFitOptions<KerasVersion> = {},
  ): AsyncGenerator<KerasVersion, FitSummary> {
    const batchSize = this.get('batchSize');
    let pendingRows: number[][] = [];
    let pendingLabels: number[] = [];
    const estimator = this;
    const step = (rows: number[][], labels: number[]): KerasVersion => {
      estimator.partialFit(rows, labels);
      return {
        version: estimator.version,
        recordsSeen: estimator.recordsSeen,
        timestamp: Date.now(),
        model: estimator.liveModel(),
      };
    };
    return fitStream<LabeledRows | RecordBatch, KerasVersion>(
      stream,
      {
        parameters: this.getParams() as unknown as JsonValue,
        *add(item) {
          const { features, labels } = isRecordBatch(item) ? estimator.labeledRows(item) : item;
          const matrix = features instanceof DenseMatrix ? features : DenseMatrix.fromRows(features);
          for (let i = 0; i < matrix.rows; i++) {
            pendingRows.push(Array.from(matrix.row(i)));
            pendingLabels.push(labels[i]);
            if (pendingRows.length === batchSize) {
              const [rows, batchLabels] = [pendingRows, pendingLabels];
              pendingRows = [];
              pendingLabels = [];
              yield step(rows, batchLabels);
            }
          }
        },
        *end() {
          if (pendingRows.length > 0) yield step(pendingRows, pendingLabels);
          pendingRows = [];
          pendingLabels = [];
        },
        snapshot: () => ({
          version: estimator.version,
          recordsSeen: estimator.recordsSeen,
          weights:
            estimator.live === undefined ? null : weightsToJSON(networkWeights(estimator.live.network)),
          optimizer: estimator.live === undefined ? null : optimizerState(estimator.live.optimizer),
          pendingRows,
          pendingLabels,
        }),
        restore: (state) => {
          const saved = state as {
            version: number;
            recordsSeen: number;
            weights: JsonValue;
            optimizer: JsonValue;
            pendingRows: number[][];
            pendingLabels: number[];
          };
          estimator.version = saved.version;
          estimator.recordsSeen = saved.recordsSeen;
          pendingRows = saved.pendingRows;
          pendingLabels = saved.pendingLabels;
          estimator.live?.optimizer.dispose();
          estimator.live = undefined;
          if (saved.weights === null) return;
          const network = estimator.build(tensorflow());
          const stage = { type: 'checkpoint', params: {}, weights: saved.weights };
          setNetworkWeights(network, weightsFromJSON(stage, 'weights', '<checkpoint>'), '<checkpoint>');
          const optimizer = makeOptimizer(estimator.getParams());
          restoreOptimizerState(optimizer, saved.optimizer, '<checkpoint>');
          estimator.live = { network, optimizer };
        },
      },
      options,
    );
  }

  private labeledRows(batch: RecordBatch): LabeledRows {
    const labelCol = this.get('labelCol');
    const { points, frame } = recordBatchFeatures(batch, this.get('featuresCol'), [labelCol]);
    return { features: points, labels: numericLabels(frame, labelCol) };
  }
}

/** What a {@link KerasModel} holds. */
export interface KerasModelState {
  readonly task: 'classification' | 'regression';
  /** The class of each output (classification), as written in the training data. */
  readonly classes: readonly ClassLabel[];
  /** The network's topology, as tfjs's `model.toJSON()` writes it. */
  readonly topology: JsonValue;
  readonly weights: readonly Weight[];
  readonly history: TrainingHistory;
  readonly network?: LayersModel;
}

/** Flink ML's fluent setters and getters, defined at run time by WithParams. */
export interface KerasModel extends FluentParams<ModelSpecs, KerasModel> {}

/**
 * A network trained by {@link KerasEstimator}. `transform` adds the prediction column (the class
 * of the largest output, or the output for regression); `predictProbabilities(row)` gives the
 * network's outputs for a classification. Saved as `{ "type": "keras", "params", "task",
 * "classes", "topology" (tfjs's model JSON), "weights", "lossCurve" }`.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class KerasModel extends Transformer<ModelSpecs> {
  readonly type = 'keras';
  readonly state: KerasModelState;
  private built: LayersModel | undefined;

  constructor(state: KerasModelState, params: Partial<ParamValues<ModelSpecs>> = {}) {
    super(kerasModelParams, params);
    this.state = state;
    this.built = state.network;
  }

  /** The mean training loss of each epoch of a batch fit. */
  get lossCurve(): readonly number[] {
    return this.state.history.lossCurve;
  }

  /** The class labels, one per output (classification). */
  get classes(): readonly ClassLabel[] {
    return this.state.classes;
  }

  /** Starts TensorFlow.js and rebuilds a loaded network from its topology (asynchronous in tfjs). */
  override async ready(): Promise<void> {
    const { layers } = await loadTensorFlow();
    if (this.built !== undefined) return;
    const network = await layers.models.modelFromJSON({
      modelTopology: this.state.topology as unknown as Parameters<
        typeof layers.models.modelFromJSON
      >[0]['modelTopology'],
    });
    setNetworkWeights(network, this.state.weights, '<keras model>');
    this.built = network;
  }

  /** The network; a loaded model needs `await ready()` (load() and transform() do it). */
  network(): LayersModel {
    if (this.built === undefined) {
      throw new ParamError('network', 'not built yet', 'await model.ready() (load() and transform() do it)');
    }
    return this.built;
  }

  private outputs(matrix: DenseMatrix): Float32Array {
    return predictRows(this.network(), networkRows(matrix));
  }

  /** The network's outputs for one row (class probabilities when it ends in a softmax). */
  predictProbabilities(row: ArrayLike<number>): Float64Array {
    const matrix = new DenseMatrix(1, row.length);
    matrix.data.set(Array.from(row));
    return Float64Array.from(this.outputs(matrix));
  }

  /** The class of the largest output, or the regression output. */
  predict(row: ArrayLike<number>): ClassLabel {
    const outputs = this.predictProbabilities(row);
    return this.state.task === 'regression'
      ? outputs[0]
      : this.state.classes[argmaxRows(outputs, outputs.length)[0]];
  }

  transformTable(frame: Table): Table {
    const { matrix } = extractFeatures(frame, this.get('featuresCol'), [this.get('predictionCol')]);
    const outputs = this.outputs(matrix);
    let prediction: TableColumn;
    if (this.state.task === 'regression') prediction = { kind: 'number', values: Float64Array.from(outputs) };
    else {
      const labels = Array.from(argmaxRows(outputs, this.state.classes.length), (c) => this.state.classes[c]);
      prediction =
        typeof labels[0] === 'string'
          ? { kind: 'string', values: labels as string[] }
          : { kind: 'number', values: Float64Array.from(labels as number[]) };
    }
    return frame.withTypedColumn(this.get('predictionCol'), prediction);
  }

  protected stateJSON(): Record<string, unknown> {
    return {
      task: this.state.task,
      classes: [...this.state.classes],
      topology: this.state.topology,
      weights: weightsToJSON(this.state.weights),
      lossCurve: [...this.state.history.lossCurve],
    };
  }

  static fromJSON(json: unknown, source = '<json>'): KerasModel {
    const stage = checkStageJSON(json, source, 'keras');
    const params = paramsFromJSON(kerasModelParams, stage.params, 'keras').getAll();
    if (stage.task !== 'classification' && stage.task !== 'regression') {
      throw new InputError('keras model field "task" is not a task', {
        file: source,
        text: String(stage.task),
        expected: 'classification or regression',
      });
    }
    if (stage.topology === null || typeof stage.topology !== 'object') {
      throw new InputError('keras model has no network topology', {
        file: source,
        expected: "tfjs's model.toJSON()",
      });
    }
    return new KerasModel(
      {
        task: stage.task,
        classes: stage.task === 'classification' ? jsonClassLabels(stage, 'classes', source) : [],
        topology: stage.topology as JsonValue,
        weights: weightsFromJSON(stage, 'weights', source),
        history: { lossCurve: jsonNumbers(stage, 'lossCurve', source), validationScores: [] },
      },
      params,
    );
  }

  /** Loads a model saved with `save(path)`, its network rebuilt. */
  static async load(path: string): Promise<KerasModel> {
    const model = KerasModel.fromJSON(await readModelJSON(path), path);
    await model.ready();
    return model;
  }
}

(KerasEstimator as { Model: typeof KerasModel }).Model = KerasModel;
registerModelType('keras', KerasModel.fromJSON);
