import { SparseRows } from '../../../src/core/sparse-rows.js';
import { type FluentParams, type ParamValues, param, paramsFromJSON } from '../../../src/ml/params.js';
import { checkStageJSON, jsonNumbers, registerModelType } from '../../../src/ml/persistence.js';
import { Estimator, Transformer } from '../../../src/ml/stage.js';
import type { Table } from '../../../src/table/table.js';
import { termVectorsColumn } from './columns.js';

/** Parameters of a fitted {@link IDFModel}. */
export const idfModelParams = {
  inputCol: param.column('features', 'the column of term-count vectors'),
  outputCol: param.column('tfidf', 'the column that receives the weighted vectors (sparse)'),
};

/** Parameters of {@link IDF}, Spark ML's names. */
export const idfParams = {
  ...idfModelParams,
  minDocFreq: param.integer(0, 'terms in fewer documents than this get weight 0', { min: 0 }),
};

type ModelSpecs = typeof idfModelParams;
type Specs = typeof idfParams;

/** Flink ML's fluent setters and getters, defined at run time by WithParams. */
export interface IDF extends FluentParams<Specs, IDF> {}

/**
 * Inverse document frequency (Spark ML's and Flink ML's IDF): term t's weight is
 * log((m + 1) / (df(t) + 1)) over m documents, 0 for terms in fewer than minDocFreq documents.
 * (scikit-learn's TfidfTransformer with smooth_idf adds 1 to this weight.)
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class IDF extends Estimator<Specs, IDFModel> {
  constructor(options: Partial<ParamValues<Specs>> = {}) {
    super(idfParams, options);
  }

  fitTable(frame: Table): IDFModel {
    const vectors = termVectorsColumn(frame, this.get('inputCol'));
    const documentCounts = new Float64Array(vectors.columns);
    for (let at = 0; at < vectors.entries; at++)
      if (vectors.values[at] !== 0) documentCounts[vectors.indices[at]]++;
    const m = vectors.rows;
    const minimum = this.get('minDocFreq');
    const idf = documentCounts.map((df) => (df >= minimum ? Math.log((m + 1) / (df + 1)) : 0));
    return new IDFModel(idf, { inputCol: this.get('inputCol'), outputCol: this.get('outputCol') });
  }
}

/** Flink ML's fluent setters and getters, defined at run time by WithParams. */
export interface IDFModel extends FluentParams<ModelSpecs, IDFModel> {}

/** Weights term-count vectors by their terms' inverse document frequency. */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class IDFModel extends Transformer<ModelSpecs> {
  readonly type = 'idf';
  /** Each term's weight. */
  readonly idf: Float64Array;

  constructor(idf: Float64Array, params: Partial<ParamValues<ModelSpecs>> = {}) {
    super(idfModelParams, params);
    this.idf = idf;
  }

  transformTable(frame: Table): Table {
    const vectors = termVectorsColumn(frame, this.get('inputCol'));
    const values = Float64Array.from(
      vectors.values,
      (value, at) => value * (this.idf[vectors.indices[at]] ?? 0),
    );
    const weighted = new SparseRows(vectors.columns, vectors.offsets, vectors.indices, values);
    return frame.withTypedColumn(this.get('outputCol'), { kind: 'sparse', values: weighted });
  }

  protected stateJSON(): Record<string, unknown> {
    return { idf: Array.from(this.idf) };
  }

  static fromJSON(json: unknown, source = '<json>'): IDFModel {
    const stage = checkStageJSON(json, source, 'idf');
    return new IDFModel(
      Float64Array.from(jsonNumbers(stage, 'idf', source)),
      paramsFromJSON(idfModelParams, stage.params, 'idf').getAll(),
    );
  }
}

registerModelType('idf', IDFModel.fromJSON);
