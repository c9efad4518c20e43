import { ParamError } from '../../src/core/errors.js';
import { DenseMatrix } from '../../src/core/matrix.js';
import { extractFeatures } from '../../src/ml/data.js';
import { type FluentParams, type ParamValues, param, paramsFromJSON } from '../../src/ml/params.js';
import { checkStageJSON, jsonNumbers, readModelJSON, registerModelType } from '../../src/ml/persistence.js';
import { Estimator, Transformer } from '../../src/ml/stage.js';
import type { Table } from '../../src/table/table.js';

/** Column parameters shared by the scalers: a vector (or numeric columns) in, a vector column out. */
const columnParams = {
  inputCol: param.columns(
    'features',
    "the column to scale (a vector or numeric column), or a list of numeric columns; when the default 'features' is not a column, every numeric column",
  ),
  outputCol: param.column('scaled', 'the vector column that receives the scaled values'),
};

/**
 * Scales each feature as `(x - shift[j]) * factor[j] + offset`: what both scalers' models do.
 * Returns the input frame with the output column added.
 */
function scaleColumn(
  frame: Table,
  inputCol: string | readonly string[],
  outputCol: string,
  shift: Float64Array,
  factor: Float64Array,
  offset = 0,
): Table {
  const { matrix } = extractFeatures(frame, inputCol, [outputCol]);
  const d = shift.length;
  if (matrix.columns !== d)
    throw new ParamError('data', `${matrix.columns} features`, `${d} like the scaler`);
  const scaled = new DenseMatrix(matrix.rows, d);
  for (let i = 0; i < matrix.rows; i++) {
    for (let j = 0; j < d; j++)
      scaled.data[i * d + j] = (matrix.data[i * d + j] - shift[j]) * factor[j] + offset;
  }
  return frame.withTypedColumn(outputCol, { kind: 'vector', values: scaled });
}

/** Parameters of {@link StandardScaler} (scikit-learn's defaults: centre and scale). */
export const standardScalerParams = {
  ...columnParams,
  withMean: param.boolean(true, 'subtract the mean'),
  withStd: param.boolean(
    true,
    'divide by the (population) standard deviation; a constant feature is left unscaled',
  ),
};

type StandardSpecs = typeof standardScalerParams;

/** Flink ML's fluent setters and getters (`setK(2)`, `getK()`, ...), defined at run time by WithParams. */
export interface StandardScaler extends FluentParams<StandardSpecs, StandardScaler> {}

/** Standardises features to zero mean and unit variance (population variance, as scikit-learn). */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class StandardScaler extends Estimator<StandardSpecs, StandardScalerModel> {
  constructor(options: Partial<ParamValues<StandardSpecs>> = {}) {
    super(standardScalerParams, options);
  }

  fitTable(frame: Table): StandardScalerModel {
    const { matrix, featuresCol } = extractFeatures(frame, this.get('inputCol'), [this.get('outputCol')]);
    const { rows, columns, data } = matrix;
    const mean = new Float64Array(columns);
    const std = new Float64Array(columns);
    for (let i = 0; i < rows; i++) for (let j = 0; j < columns; j++) mean[j] += data[i * columns + j];
    for (let j = 0; j < columns; j++) mean[j] /= rows;
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < columns; j++) std[j] += (data[i * columns + j] - mean[j]) ** 2;
    for (let j = 0; j < columns; j++) std[j] = Math.sqrt(std[j] / rows);
    return new StandardScalerModel(mean, std, { ...this.getParams(), inputCol: featuresCol });
  }
}

/** Flink ML's fluent setters and getters (`setK(2)`, `getK()`, ...), defined at run time by WithParams. */
export interface StandardScalerModel extends FluentParams<StandardSpecs, StandardScalerModel> {}

/** Saved as `{ "type": "standard-scaler", "params": {...}, "mean": number[], "std": number[] }`. */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class StandardScalerModel extends Transformer<StandardSpecs> {
  readonly type = 'standard-scaler';
  readonly mean: Float64Array;
  readonly std: Float64Array;

  constructor(mean: Float64Array, std: Float64Array, params: Partial<ParamValues<StandardSpecs>> = {}) {
    super(standardScalerParams, params);
    this.mean = mean;
    this.std = std;
  }

  transformTable(frame: Table): Table {
    const shift = this.get('withMean') ? this.mean : new Float64Array(this.mean.length);
    const factor = Float64Array.from(this.std, (s) => (this.get('withStd') && s > 0 ? 1 / s : 1));
    return scaleColumn(frame, this.get('inputCol'), this.get('outputCol'), shift, factor);
  }

  protected stateJSON(): Record<string, unknown> {
    return { mean: Array.from(this.mean), std: Array.from(this.std) };
  }

  static fromJSON(json: unknown, source = '<json>'): StandardScalerModel {
    const stage = checkStageJSON(json, source, 'standard-scaler');
    return new StandardScalerModel(
      Float64Array.from(jsonNumbers(stage, 'mean', source)),
      Float64Array.from(jsonNumbers(stage, 'std', source)),
      paramsFromJSON(standardScalerParams, stage.params, 'standard-scaler').getAll(),
    );
  }

  static async load(path: string): Promise<StandardScalerModel> {
    return StandardScalerModel.fromJSON(await readModelJSON(path), path);
  }
}

/** Parameters of {@link MinMaxScaler}. */
export const minMaxScalerParams = {
  ...columnParams,
  min: param.number(0, 'the lower end of the target range'),
  max: param.number(1, 'the upper end of the target range'),
};

type MinMaxSpecs = typeof minMaxScalerParams;

/** Flink ML's fluent setters and getters (`setK(2)`, `getK()`, ...), defined at run time by WithParams. */
export interface MinMaxScaler extends FluentParams<MinMaxSpecs, MinMaxScaler> {}

/** Rescales each feature linearly onto [min, max]; a constant feature maps to `min` (as scikit-learn). */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class MinMaxScaler extends Estimator<MinMaxSpecs, MinMaxScalerModel> {
  constructor(options: Partial<ParamValues<MinMaxSpecs>> = {}) {
    super(minMaxScalerParams, options);
    if (this.get('min') >= this.get('max'))
      throw new ParamError('max', this.get('max'), `a number > min (${this.get('min')})`);
  }

  fitTable(frame: Table): MinMaxScalerModel {
    const { matrix, featuresCol } = extractFeatures(frame, this.get('inputCol'), [this.get('outputCol')]);
    const { rows, columns, data } = matrix;
    const lowest = new Float64Array(columns).fill(Number.POSITIVE_INFINITY);
    const highest = new Float64Array(columns).fill(Number.NEGATIVE_INFINITY);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < columns; j++) {
        const value = data[i * columns + j];
        if (value < lowest[j]) lowest[j] = value;
        if (value > highest[j]) highest[j] = value;
      }
    }
    return new MinMaxScalerModel(lowest, highest, { ...this.getParams(), inputCol: featuresCol });
  }
}

/** Flink ML's fluent setters and getters (`setK(2)`, `getK()`, ...), defined at run time by WithParams. */
export interface MinMaxScalerModel extends FluentParams<MinMaxSpecs, MinMaxScalerModel> {}

/** Saved as `{ "type": "min-max-scaler", "params": {...}, "dataMin": number[], "dataMax": number[] }`. */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class MinMaxScalerModel extends Transformer<MinMaxSpecs> {
  readonly type = 'min-max-scaler';
  readonly dataMin: Float64Array;
  readonly dataMax: Float64Array;

  constructor(dataMin: Float64Array, dataMax: Float64Array, params: Partial<ParamValues<MinMaxSpecs>> = {}) {
    super(minMaxScalerParams, params);
    this.dataMin = dataMin;
    this.dataMax = dataMax;
  }

  transformTable(frame: Table): Table {
    const range = this.get('max') - this.get('min');
    const factor = Float64Array.from(this.dataMin, (low, j) => {
      const span = this.dataMax[j] - low;
      return span > 0 ? range / span : 0;
    });
    return scaleColumn(
      frame,
      this.get('inputCol'),
      this.get('outputCol'),
      this.dataMin,
      factor,
      this.get('min'),
    );
  }

  protected stateJSON(): Record<string, unknown> {
    return { dataMin: Array.from(this.dataMin), dataMax: Array.from(this.dataMax) };
  }

  static fromJSON(json: unknown, source = '<json>'): MinMaxScalerModel {
    const stage = checkStageJSON(json, source, 'min-max-scaler');
    return new MinMaxScalerModel(
      Float64Array.from(jsonNumbers(stage, 'dataMin', source)),
      Float64Array.from(jsonNumbers(stage, 'dataMax', source)),
      paramsFromJSON(minMaxScalerParams, stage.params, 'min-max-scaler').getAll(),
    );
  }

  static async load(path: string): Promise<MinMaxScalerModel> {
    return MinMaxScalerModel.fromJSON(await readModelJSON(path), path);
  }
}

registerModelType('standard-scaler', StandardScalerModel.fromJSON);
registerModelType('min-max-scaler', MinMaxScalerModel.fromJSON);
