import { InputError } from '../../../src/core/errors.js';
import { numericLabels } from '../../../src/ml/data.js';
import { type FluentParams, type ParamValues, paramsFromJSON } from '../../../src/ml/params.js';
import {
  checkStageJSON,
  jsonNumbers,
  readModelJSON,
  registerModelType,
} from '../../../src/ml/persistence.js';
import type { Table } from '../../../src/table/table.js';
import { type FittedNetwork, fittedFromJSON, MLPEstimator, MLPModel, type Task } from './mlp-base.js';
import { mlpModelParams, mlpParams } from './params.js';
import { targetR2 } from './scores.js';

type Specs = typeof mlpParams;
type ModelSpecs = typeof mlpModelParams;

/** How the target was scaled for the network: y' = (y - mean) / deviation. */
export interface TargetScaling {
  readonly mean: number;
  readonly deviation: number;
}

/** Flink ML's fluent setters and getters, defined at run time by WithParams. */
export interface MLPRegressor extends FluentParams<Specs, MLPRegressor> {}

/**
 * A multilayer perceptron regressor (scikit-learn's MLPRegressor) on TensorFlow.js: dense hidden
 * layers, one linear output, half the squared error plus an L2 penalty. With `standardization`
 * the target is scaled as the features are, so the default learning rate suits any target scale.
 * @example
 * const model = await new MLPRegressor({ labelCol: 'progression', hiddenLayers: [64] }).fit('diabetes.csv');
 * model.predict(row);   // a number
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class MLPRegressor extends MLPEstimator<MLPRegressorModel> {
  static readonly Model: typeof MLPRegressorModel;

  constructor(options: Partial<ParamValues<Specs>> = {}) {
    super(mlpParams, options);
  }

  protected task(frame: Table, labelCol: string): Task & { target: TargetScaling } {
    const labels = numericLabels(frame, labelCol);
    let target: TargetScaling = { mean: 0, deviation: 1 };
    if (this.get('standardization') && labels.length > 0) {
      const mean = labels.reduce((sum, y) => sum + y, 0) / labels.length;
      const deviation = Math.sqrt(labels.reduce((sum, y) => sum + (y - mean) ** 2, 0) / labels.length);
      target = { mean, deviation: deviation > 0 ? deviation : 1 };
    }
    const values = Float32Array.from(labels, (y) => (y - target.mean) / target.deviation);
    return {
      target,
      targets: { values, rows: labels.length, width: 1 },
      outputs: 1,
      loss: 'squared',
      score: targetR2,
    };
  }

  protected modelOf(fitted: FittedNetwork, task: Task & { target: TargetScaling }): MLPRegressorModel {
    return new MLPRegressorModel(fitted, task.target, {
      featuresCol: fitted.featuresCol,
      predictionCol: this.get('predictionCol'),
    });
  }
}

/** Flink ML's fluent setters and getters, defined at run time by WithParams. */
export interface MLPRegressorModel extends FluentParams<ModelSpecs, MLPRegressorModel> {}

/**
 * A fitted {@link MLPRegressor}: `predict(row)` gives the value on the target's scale; `transform`
 * adds the prediction column. Saved as one JSON file, as {@link MLPClassifierModel} is, with the
 * target's scaling.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class MLPRegressorModel extends MLPModel<ModelSpecs> {
  readonly type = 'mlp-regressor';
  readonly target: TargetScaling;

  constructor(fitted: FittedNetwork, target: TargetScaling, params: Partial<ParamValues<ModelSpecs>> = {}) {
    super(mlpModelParams, fitted, params);
    this.target = target;
  }

  /** The predicted value of one row. */
  predict(row: ArrayLike<number>): number {
    return this.outputsOfRow(row)[0] * this.target.deviation + this.target.mean;
  }

  transformTable(frame: Table): Table {
    const outputs = this.outputsOf(this.features(frame, [this.get('predictionCol')]));
    const values = Float64Array.from(outputs, (y) => y * this.target.deviation + this.target.mean);
    return frame.withTypedColumn(this.get('predictionCol'), { kind: 'number', values });
  }

  protected override stateJSON(): Record<string, unknown> {
    return { target: [this.target.mean, this.target.deviation], ...super.stateJSON() };
  }

  static fromJSON(json: unknown, source = '<json>'): MLPRegressorModel {
    const stage = checkStageJSON(json, source, 'mlp-regressor');
    const params = paramsFromJSON(mlpModelParams, stage.params, 'mlp-regressor').getAll();
    const [mean, deviation] = jsonNumbers(stage, 'target', source);
    const fitted = fittedFromJSON(stage, source);
    if (fitted.architecture.outputs !== 1 || deviation === undefined) {
      throw new InputError('mlp-regressor model is not a one-output network with a target scaling', {
        file: source,
        expected: '"outputs": 1 and "target": [mean, deviation]',
      });
    }
    return new MLPRegressorModel(fitted, { mean, deviation }, params);
  }

  /** Loads a model saved with `save(path)`, TensorFlow.js started. */
  static async load(path: string): Promise<MLPRegressorModel> {
    const model = MLPRegressorModel.fromJSON(await readModelJSON(path), path);
    await model.ready();
    return model;
  }
}

(MLPRegressor as { Model: typeof MLPRegressorModel }).Model = MLPRegressorModel;
registerModelType('mlp-regressor', MLPRegressorModel.fromJSON);
