import {
  type FluentParams,
  type ParamSpec,
  type ParamValues,
  param,
  paramsFromJSON,
} from '../../../src/ml/params.js';
import { checkStageJSON, registerModelType } from '../../../src/ml/persistence.js';
import { Transformer } from '../../../src/ml/stage.js';
import type { Table } from '../../../src/table/table.js';
import { tokensColumn } from './columns.js';
import { ENGLISH_STOP_WORDS } from './english-stop-words.js';

const stopWordsParam: ParamSpec<readonly string[]> = {
  default: ENGLISH_STOP_WORDS,
  description: "the words to remove (default: the English list, scikit-learn's ENGLISH_STOP_WORDS)",
  accepted: 'an array of strings',
  isValid: (value): value is readonly string[] =>
    Array.isArray(value) && value.every((w) => typeof w === 'string'),
};

/** Parameters of {@link StopWordsRemover}, Spark ML's names. */
export const stopWordsRemoverParams = {
  inputCol: param.column('tokens', 'the column of token lists'),
  outputCol: param.column('filtered', 'the column that receives the token lists without stop words'),
  stopWords: stopWordsParam,
  caseSensitive: param.boolean(false, 'whether a token must match a stop word in case to be removed'),
};

type Specs = typeof stopWordsRemoverParams;

/** Flink ML's fluent setters and getters, defined at run time by WithParams. */
export interface StopWordsRemover extends FluentParams<Specs, StopWordsRemover> {}

/** Removes stop words from token lists (Spark ML's and Flink ML's StopWordsRemover). */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class StopWordsRemover extends Transformer<Specs> {
  readonly type = 'stop-words-remover';

  constructor(options: Partial<ParamValues<Specs>> = {}) {
    super(stopWordsRemoverParams, options);
  }

  transformTable(frame: Table): Table {
    const sensitive = this.get('caseSensitive');
    const fold = (word: string) => (sensitive ? word : word.toLowerCase());
    const stop = new Set(this.get('stopWords').map(fold));
    const filtered = tokensColumn(frame, this.get('inputCol')).map((tokens) =>
      tokens.filter((token) => !stop.has(fold(token))),
    );
    return frame.withTypedColumn(this.get('outputCol'), { kind: 'tokens', values: filtered });
  }

  protected stateJSON(): Record<string, unknown> {
    return {};
  }

  static fromJSON(json: unknown, source = '<json>'): StopWordsRemover {
    const stage = checkStageJSON(json, source, 'stop-words-remover');
    return new StopWordsRemover(
      paramsFromJSON(stopWordsRemoverParams, stage.params, 'stop-words-remover').getAll(),
    );
  }
}

registerModelType('stop-words-remover', StopWordsRemover.fromJSON);
