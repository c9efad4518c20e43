import { InputError } from '../../src/core/errors.js';
import { DenseMatrix } from '../../src/core/matrix.js';
import { type FluentParams, type ParamValues, param, paramsFromJSON } from '../../src/ml/params.js';
import { checkStageJSON, registerModelType } from '../../src/ml/persistence.js';
import { Estimator, Transformer } from '../../src/ml/stage.js';
import { getColumn, rowLocation } from '../../src/ml/table-input.js';
import type { Table } from '../../src/table/table.js';

/** Parameters of {@link OneHotEncoder}. */
export const oneHotEncoderParams = {
  inputCol: param.column('input', 'the column of category indices (0, 1, 2, ...), as StringIndexer writes'),
  outputCol: param.column('output', 'the vector column that receives the one-hot vectors'),
  dropLast: param.boolean(true, 'leave out the last category, so the vectors are linearly independent'),
};

type Specs = typeof oneHotEncoderParams;

/** The index column, every value a non-negative integer. */
function categoryIndices(frame: Table, name: string): Float64Array {
  const column = getColumn(frame, name, 'input column');
  if (column.kind !== 'number') {
    throw new InputError(`input column '${name}' is not numeric`, {
      file: frame.source,
      expected: 'category indices (index strings with StringIndexer first)',
    });
  }
  column.values.forEach((value, i) => {
    if (!Number.isInteger(value) || value < 0) {
      throw new InputError('bad category index', {
        ...rowLocation(frame, i),
        text: String(value),
        expected: 'an integer >= 0',
      });
    }
  });
  return column.values;
}

/** Flink ML's fluent setters and getters (`setK(2)`, `getK()`, ...), defined at run time by WithParams. */
export interface OneHotEncoder extends FluentParams<Specs, OneHotEncoder> {}

/** Learns how many categories an index column has (Flink ML's OneHotEncoder). */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class OneHotEncoder extends Estimator<Specs, OneHotEncoderModel> {
  constructor(options: Partial<ParamValues<Specs>> = {}) {
    super(oneHotEncoderParams, options);
  }

  fitTable(frame: Table): OneHotEncoderModel {
    const indices = categoryIndices(frame, this.get('inputCol'));
    let largest = -1;
    for (const index of indices) largest = Math.max(largest, index);
    return new OneHotEncoderModel(largest + 1, this.getParams());
  }
}

/** Flink ML's fluent setters and getters (`setK(2)`, `getK()`, ...), defined at run time by WithParams. */
export interface OneHotEncoderModel extends FluentParams<Specs, OneHotEncoderModel> {}

/** Saved as `{ "type": "one-hot-encoder", "params": {...}, "categories": number }`. */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class OneHotEncoderModel extends Transformer<Specs> {
  readonly type = 'one-hot-encoder';
  /** The number of categories seen in training. */
  readonly categories: number;

  constructor(categories: number, params: Partial<ParamValues<Specs>> = {}) {
    super(oneHotEncoderParams, params);
    this.categories = categories;
  }

  transformTable(frame: Table): Table {
    const indices = categoryIndices(frame, this.get('inputCol'));
    const width = this.get('dropLast') ? this.categories - 1 : this.categories;
    const vectors = new DenseMatrix(indices.length, width);
    indices.forEach((index, i) => {
      if (index >= this.categories) {
        throw new InputError('category not seen when the encoder was fitted', {
          ...rowLocation(frame, i),
          text: String(index),
          expected: `an index below ${this.categories}`,
        });
      }
      if (index < width) vectors.data[i * width + index] = 1;
    });
    return frame.withTypedColumn(this.get('outputCol'), { kind: 'vector', values: vectors });
  }

  protected stateJSON(): Record<string, unknown> {
    return { categories: this.categories };
  }

  static fromJSON(json: unknown, source = '<json>'): OneHotEncoderModel {
    const stage = checkStageJSON(json, source, 'one-hot-encoder');
    if (!Number.isInteger(stage.categories) || (stage.categories as number) < 1) {
      throw new InputError('model field "categories" is not a positive integer', { file: source });
    }
    return new OneHotEncoderModel(
      stage.categories as number,
      paramsFromJSON(oneHotEncoderParams, stage.params, 'one-hot-encoder').getAll(),
    );
  }
}

registerModelType('one-hot-encoder', OneHotEncoderModel.fromJSON);
