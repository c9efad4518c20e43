import { InputError } from '../../src/core/errors.js';
import { type FluentParams, type ParamValues, param, paramsFromJSON } from '../../src/ml/params.js';
import { checkStageJSON, registerModelType } from '../../src/ml/persistence.js';
import { Estimator, Transformer } from '../../src/ml/stage.js';
import { getColumn, rowLocation } from '../../src/ml/table-input.js';
import type { Table } from '../../src/table/table.js';

/** Parameters of {@link StringIndexer}. */
export const stringIndexerParams = {
  inputCol: param.column('input', 'the column of strings (or numbers, read as their text) to index'),
  outputCol: param.column('output', 'the numeric column that receives the indices'),
  stringOrderType: param.choice(
    'frequencyDesc',
    'how indices are given: by frequency (ties alphabetical) or alphabetically',
    ['frequencyDesc', 'frequencyAsc', 'alphabetAsc', 'alphabetDesc'] as const,
  ),
  handleInvalid: param.choice(
    'error',
    "a value not seen in training: 'error', or 'keep' (index = number of labels)",
    ['error', 'keep'] as const,
  ),
};

type Specs = typeof stringIndexerParams;

/** The column's values as text, whatever its kind. */
function columnText(frame: Table, name: string): readonly string[] {
  const column = getColumn(frame, name, 'input column');
  if (column.kind === 'string') return column.values;
  if (column.kind === 'number') return Array.from(column.values, (v) => String(v));
  throw new InputError(`input column '${name}' holds vectors`, {
    file: frame.source,
    expected: 'strings or numbers',
  });
}

/** Flink ML's fluent setters and getters (`setK(2)`, `getK()`, ...), defined at run time by WithParams. */
export interface StringIndexer extends FluentParams<Specs, StringIndexer> {}

/**
 * Maps strings to indices 0..n-1 (Flink ML's StringIndexer); `model.labels[i]` is index i's string.
 * The output column records its number of categories (n, or n + 1 with handleInvalid 'keep'),
 * so a tree estimator downstream treats it as categorical.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class StringIndexer extends Estimator<Specs, StringIndexerModel> {
  constructor(options: Partial<ParamValues<Specs>> = {}) {
    super(stringIndexerParams, options);
  }

  fitTable(frame: Table): StringIndexerModel {
    const counts = new Map<string, number>();
    for (const value of columnText(frame, this.get('inputCol')))
      counts.set(value, (counts.get(value) ?? 0) + 1);
    const order = this.get('stringOrderType');
    const alphabetical = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const labels = [...counts.keys()].sort((a, b) => {
      if (order === 'alphabetAsc') return alphabetical(a, b);
      if (order === 'alphabetDesc') return alphabetical(b, a);
      const byCount = counts.get(a)! - counts.get(b)!;
      return (order === 'frequencyAsc' ? byCount : -byCount) || alphabetical(a, b);
    });
    return new StringIndexerModel(labels, this.getParams());
  }
}

/** Flink ML's fluent setters and getters (`setK(2)`, `getK()`, ...), defined at run time by WithParams. */
export interface StringIndexerModel extends FluentParams<Specs, StringIndexerModel> {}

/** Saved as `{ "type": "string-indexer", "params": {...}, "labels": string[] }`. */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class StringIndexerModel extends Transformer<Specs> {
  readonly type = 'string-indexer';
  readonly labels: readonly string[];
  private readonly indexOf: Map<string, number>;

  constructor(labels: readonly string[], params: Partial<ParamValues<Specs>> = {}) {
    super(stringIndexerParams, params);
    this.labels = labels;
    this.indexOf = new Map(labels.map((label, i) => [label, i]));
  }

  transformTable(frame: Table): Table {
    const text = columnText(frame, this.get('inputCol'));
    const indices = new Float64Array(text.length);
    for (let i = 0; i < text.length; i++) {
      const index = this.indexOf.get(text[i]);
      if (index === undefined && this.get('handleInvalid') === 'error') {
        throw new InputError(`value not seen when the indexer was fitted`, {
          ...rowLocation(frame, i),
          text: text[i],
          expected: `one of ${this.labels.slice(0, 10).join(', ')}${this.labels.length > 10 ? ', ...' : ''} (or handleInvalid: 'keep')`,
        });
      }
      indices[i] = index ?? this.labels.length;
    }
    // The column says how many categories it indexes (Spark's nominal attribute): tree estimators
    // then split it by subsets of categories without being told.
    const categories = this.labels.length + (this.get('handleInvalid') === 'keep' ? 1 : 0);
    return frame.withTypedColumn(this.get('outputCol'), { kind: 'number', values: indices, categories });
  }

  /** The inverse stage: indices back to these strings. */
  inverse(options: Partial<ParamValues<typeof indexToStringParams>> = {}): IndexToString {
    return new IndexToString(this.labels, {
      inputCol: this.get('outputCol'),
      outputCol: this.get('inputCol'),
      ...options,
    });
  }

  protected stateJSON(): Record<string, unknown> {
    return { labels: [...this.labels] };
  }

  static fromJSON(json: unknown, source = '<json>'): StringIndexerModel {
    const stage = checkStageJSON(json, source, 'string-indexer');
    return new StringIndexerModel(
      labelList(stage.labels, source),
      paramsFromJSON(stringIndexerParams, stage.params, 'string-indexer').getAll(),
    );
  }
}

function labelList(value: unknown, source: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new InputError('model field "labels" is not a list of strings', {
      file: source,
      expected: 'string[]',
    });
  }
  return value;
}

/** Parameters of {@link IndexToString}. */
export const indexToStringParams = {
  inputCol: param.column('input', 'the column of indices'),
  outputCol: param.column('output', 'the string column that receives the labels'),
};

/** Flink ML's fluent setters and getters (`setK(2)`, `getK()`, ...), defined at run time by WithParams. */
export interface IndexToString extends FluentParams<typeof indexToStringParams, IndexToString> {}

/** Maps indices back to strings: the inverse of a {@link StringIndexerModel} (Spark's IndexToString). */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class IndexToString extends Transformer<typeof indexToStringParams> {
  readonly type = 'index-to-string';
  readonly labels: readonly string[];

  constructor(labels: readonly string[], options: Partial<ParamValues<typeof indexToStringParams>> = {}) {
    super(indexToStringParams, options);
    this.labels = labels;
  }

  transformTable(frame: Table): Table {
    const name = this.get('inputCol');
    const column = getColumn(frame, name, 'input column');
    if (column.kind !== 'number') {
      throw new InputError(`input column '${name}' is not numeric`, {
        file: frame.source,
        expected: 'indices',
      });
    }
    const values = Array.from(column.values, (index, i) => {
      const label = Number.isInteger(index) ? this.labels[index] : undefined;
      if (label === undefined) {
        throw new InputError('index out of range', {
          ...rowLocation(frame, i),
          text: String(index),
          expected: `an integer from 0 to ${this.labels.length - 1}`,
        });
      }
      return label;
    });
    return frame.withTypedColumn(this.get('outputCol'), { kind: 'string', values });
  }

  protected stateJSON(): Record<string, unknown> {
    return { labels: [...this.labels] };
  }

  static fromJSON(json: unknown, source = '<json>'): IndexToString {
    const stage = checkStageJSON(json, source, 'index-to-string');
    return new IndexToString(
      labelList(stage.labels, source),
      paramsFromJSON(indexToStringParams, stage.params, 'index-to-string').getAll(),
    );
  }
}

registerModelType('string-indexer', StringIndexerModel.fromJSON);
registerModelType('index-to-string', IndexToString.fromJSON);
