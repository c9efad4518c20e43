import { type FluentParams, type ParamValues, param, paramsFromJSON } from '../../../src/ml/params.js';
import { checkStageJSON, registerModelType } from '../../../src/ml/persistence.js';
import { Transformer } from '../../../src/ml/stage.js';
import type { Table } from '../../../src/table/table.js';
import { tokensColumn } from './columns.js';

/** Parameters of {@link NGram}. */
export const nGramParams = {
  inputCol: param.column('tokens', 'the column of token lists'),
  outputCol: param.column('ngrams', 'the column that receives the n-gram lists'),
  n: param.integer(2, 'tokens per n-gram', { min: 1 }),
};

type Specs = typeof nGramParams;

/** Flink ML's fluent setters and getters, defined at run time by WithParams. */
export interface NGram extends FluentParams<Specs, NGram> {}

/**
 * Every run of n consecutive tokens, joined by a space (Spark ML's and Flink ML's NGram; a list
 * shorter than n gives none).
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class NGram extends Transformer<Specs> {
  readonly type = 'ngram';

  constructor(options: Partial<ParamValues<Specs>> = {}) {
    super(nGramParams, options);
  }

  transformTable(frame: Table): Table {
    const n = this.get('n');
    const grams = tokensColumn(frame, this.get('inputCol')).map((tokens) =>
      Array.from({ length: Math.max(0, tokens.length - n + 1) }, (_, i) => tokens.slice(i, i + n).join(' ')),
    );
    return frame.withTypedColumn(this.get('outputCol'), { kind: 'tokens', values: grams });
  }

  protected stateJSON(): Record<string, unknown> {
    return {};
  }

  static fromJSON(json: unknown, source = '<json>'): NGram {
    const stage = checkStageJSON(json, source, 'ngram');
    return new NGram(paramsFromJSON(nGramParams, stage.params, 'ngram').getAll());
  }
}

registerModelType('ngram', NGram.fromJSON);
