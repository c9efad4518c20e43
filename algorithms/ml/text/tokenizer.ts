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
import { textColumn } from './columns.js';

const columns = {
  inputCol: param.column('text', 'the column of text to split'),
  outputCol: param.column('tokens', 'the column that receives the token lists'),
};

/** Parameters of {@link Tokenizer}. */
export const tokenizerParams = columns;

const patternParam: ParamSpec<string> = {
  default: '\\s+',
  description: 'the regular expression (JavaScript syntax) that matches gaps, or tokens when gaps is false',
  accepted: 'a valid regular expression',
  isValid: (value): value is string => {
    if (typeof value !== 'string' || value.length === 0) return false;
    try {
      new RegExp(value, 'u');
      return true;
    } catch {
      return false;
    }
  },
};

/** Parameters of {@link RegexTokenizer}, Spark ML's names and defaults. */
export const regexTokenizerParams = {
  ...columns,
  pattern: patternParam,
  gaps: param.boolean(
    true,
    'whether the pattern matches the gaps between tokens (true) or the tokens (false)',
  ),
  minTokenLength: param.integer(1, 'tokens shorter than this are dropped', { min: 0 }),
  toLowercase: param.boolean(true, 'whether text is lower-cased before it is split'),
};

type TokenizerSpecs = typeof tokenizerParams;
type RegexSpecs = typeof regexTokenizerParams;

/** Flink ML's fluent setters and getters, defined at run time by WithParams. */
export interface Tokenizer extends FluentParams<TokenizerSpecs, Tokenizer> {}

/**
 * Lower-cases text and splits it at white space (Spark ML's and Flink ML's Tokenizer; runs of
 * white space make no empty tokens).
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class Tokenizer extends Transformer<TokenizerSpecs> {
  readonly type = 'tokenizer';

  constructor(options: Partial<ParamValues<TokenizerSpecs>> = {}) {
    super(tokenizerParams, options);
  }

  transformTable(frame: Table): Table {
    const tokens = textColumn(frame, this.get('inputCol')).map((text) =>
      text
        .toLowerCase()
        .split(/\s+/u)
        .filter((token) => token.length > 0),
    );
    return frame.withTypedColumn(this.get('outputCol'), { kind: 'tokens', values: tokens });
  }

  protected stateJSON(): Record<string, unknown> {
    return {};
  }

  static fromJSON(json: unknown, source = '<json>'): Tokenizer {
    const stage = checkStageJSON(json, source, 'tokenizer');
    return new Tokenizer(paramsFromJSON(tokenizerParams, stage.params, 'tokenizer').getAll());
  }
}

/** Flink ML's fluent setters and getters, defined at run time by WithParams. */
export interface RegexTokenizer extends FluentParams<RegexSpecs, RegexTokenizer> {}

/**
 * Splits text by a regular expression (Spark ML's RegexTokenizer): at its matches when `gaps`,
 * else into its matches; lower-cased first when `toLowercase`; tokens shorter than
 * `minTokenLength` dropped. `pattern: '\\b\\w\\w+\\b', gaps: false` tokenizes as scikit-learn's
 * CountVectorizer does on ASCII text.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class RegexTokenizer extends Transformer<RegexSpecs> {
  readonly type = 'regex-tokenizer';

  constructor(options: Partial<ParamValues<RegexSpecs>> = {}) {
    super(regexTokenizerParams, options);
  }

  transformTable(frame: Table): Table {
    const pattern = this.get('pattern');
    const gaps = this.get('gaps');
    const minimum = Math.max(1, this.get('minTokenLength'));
    const lower = this.get('toLowercase');
    const splitter = new RegExp(pattern, 'u');
    const matcher = new RegExp(pattern, 'gu');
    const tokens = textColumn(frame, this.get('inputCol')).map((raw) => {
      const text = lower ? raw.toLowerCase() : raw;
      const parts = gaps ? text.split(splitter) : Array.from(text.matchAll(matcher), (match) => match[0]);
      return parts.filter((token) => token !== undefined && token.length >= minimum);
    });
    return frame.withTypedColumn(this.get('outputCol'), { kind: 'tokens', values: tokens });
  }

  protected stateJSON(): Record<string, unknown> {
    return {};
  }

  static fromJSON(json: unknown, source = '<json>'): RegexTokenizer {
    const stage = checkStageJSON(json, source, 'regex-tokenizer');
    return new RegexTokenizer(paramsFromJSON(regexTokenizerParams, stage.params, 'regex-tokenizer').getAll());
  }
}

registerModelType('tokenizer', Tokenizer.fromJSON);
registerModelType('regex-tokenizer', RegexTokenizer.fromJSON);
