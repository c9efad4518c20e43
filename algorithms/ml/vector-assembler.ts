import { DenseMatrix } from '../../src/core/matrix.js';
import { extractFeatures, featureCategories } from '../../src/ml/data.js';
import { type FluentParams, type ParamValues, param, paramsFromJSON } from '../../src/ml/params.js';
import { checkStageJSON, registerModelType } from '../../src/ml/persistence.js';
import { Transformer } from '../../src/ml/stage.js';
import { getColumn } from '../../src/ml/table-input.js';
import type { Table } from '../../src/table/table.js';

/** Parameters of {@link VectorAssembler}. */
export const vectorAssemblerParams = {
  inputCols: param.columns(['features'], 'the numeric and vector columns to join, in order'),
  outputCol: param.column('features', 'the vector column that receives them'),
};

type Specs = typeof vectorAssemblerParams;

/** Flink ML's fluent setters and getters (`setK(2)`, `getK()`, ...), defined at run time by WithParams. */
export interface VectorAssembler extends FluentParams<Specs, VectorAssembler> {}

/**
 * Joins numeric and vector columns into one vector column (Flink ML's VectorAssembler).
 * A missing or non-finite value is an error naming its row. The categories of the inputs
 * (a StringIndexer's output) stay with their slots of the vector.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class VectorAssembler extends Transformer<Specs> {
  readonly type = 'vector-assembler';

  constructor(options: Partial<ParamValues<Specs>> = {}) {
    super(vectorAssemblerParams, options);
  }

  transformTable(frame: Table): Table {
    const inputs = this.get('inputCols');
    const names = typeof inputs === 'string' ? [inputs] : inputs;
    const parts = names.map((name) => {
      getColumn(frame, name, 'input column');
      return extractFeatures(frame, name).matrix;
    });
    const width = parts.reduce((sum, part) => sum + part.columns, 0);
    const assembled = new DenseMatrix(frame.numRows, width);
    // The categorical slots of the inputs (StringIndexer's columns), at their place in the output.
    const categories = new Map<number, number>();
    let offset = 0;
    parts.forEach((part, p) => {
      for (let i = 0; i < part.rows; i++) {
        for (let j = 0; j < part.columns; j++)
          assembled.data[i * width + offset + j] = part.data[i * part.columns + j];
      }
      for (const [slot, count] of featureCategories(frame, names[p])) categories.set(offset + slot, count);
      offset += part.columns;
    });
    return frame.withTypedColumn(this.get('outputCol'), {
      kind: 'vector',
      values: assembled,
      ...(categories.size > 0 ? { categories } : {}),
    });
  }

  protected stateJSON(): Record<string, unknown> {
    return {};
  }

  static fromJSON(json: unknown, source = '<json>'): VectorAssembler {
    const stage = checkStageJSON(json, source, 'vector-assembler');
    return new VectorAssembler(
      paramsFromJSON(vectorAssemblerParams, stage.params, 'vector-assembler').getAll(),
    );
  }
}

registerModelType('vector-assembler', VectorAssembler.fromJSON);
