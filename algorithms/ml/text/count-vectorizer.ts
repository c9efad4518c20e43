import { InputError } from '../../../src/core/errors.js';
import { type FluentParams, type ParamValues, param, paramsFromJSON } from '../../../src/ml/params.js';
import { checkStageJSON, registerModelType } from '../../../src/ml/persistence.js';
import { Estimator, Transformer } from '../../../src/ml/stage.js';
import type { Table } from '../../../src/table/table.js';
import { sparseFromMaps, tokensColumn } from './columns.js';

/** Parameters of a fitted {@link CountVectorizerModel}. */
export const countVectorizerModelParams = {
  inputCol: param.column('tokens', 'the column of token lists'),
  outputCol: param.column('features', 'the column that receives the term-count vectors (sparse)'),
  minTF: param.number(
    1,
    "a term counts in a document only when it occurs at least this often there (a count; below 1, a fraction of the document's tokens)",
    { min: 0 },
  ),
  binary: param.boolean(false, 'whether every nonzero count becomes 1'),
};

/** Parameters of {@link CountVectorizer}, Spark ML's names and defaults. */
export const countVectorizerParams = {
  ...countVectorizerModelParams,
  vocabularySize: param.integer(1 << 18, 'the most terms kept, by count over the corpus', { min: 1 }),
  minDF: param.number(1, 'the fewest documents a term must occur in (below 1, a fraction of the documents)', {
    min: 0,
  }),
  maxDF: param.number(
    Number.MAX_SAFE_INTEGER,
    'the most documents a term may occur in (below 1, a fraction of the documents)',
    { min: 0 },
  ),
};

type ModelSpecs = typeof countVectorizerModelParams;
type Specs = typeof countVectorizerParams;

/** A document-count bound: a count when >= 1, else a fraction of `documents`. */
function documentBound(value: number, documents: number): number {
  return value >= 1 ? value : value * documents;
}

/** Flink ML's fluent setters and getters, defined at run time by WithParams. */
export interface CountVectorizer extends FluentParams<Specs, CountVectorizer> {}

/**
 * Learns a vocabulary from token lists (Spark ML's and Flink ML's CountVectorizer): the terms in
 * at least minDF and at most maxDF documents, the `vocabularySize` most frequent over the
 * corpus (ties: alphabetical), most frequent first. Its model turns token lists into sparse
 * term-count vectors, the input of LDA.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class CountVectorizer extends Estimator<Specs, CountVectorizerModel> {
  constructor(options: Partial<ParamValues<Specs>> = {}) {
    super(countVectorizerParams, options);
  }

  fitTable(frame: Table): CountVectorizerModel {
    const documents = tokensColumn(frame, this.get('inputCol'));
    const totals = new Map<string, number>();
    const documentCounts = new Map<string, number>();
    for (const tokens of documents) {
      for (const token of tokens) totals.set(token, (totals.get(token) ?? 0) + 1);
      for (const token of new Set(tokens)) documentCounts.set(token, (documentCounts.get(token) ?? 0) + 1);
    }
    const minimum = documentBound(this.get('minDF'), documents.length);
    const maximum = documentBound(this.get('maxDF'), documents.length);
    if (minimum > maximum) {
      throw new InputError(`minDF ${this.get('minDF')} allows more than maxDF ${this.get('maxDF')}`, {
        file: frame.source,
        expected: 'minDF at most maxDF, in documents',
      });
    }
    const vocabulary = [...documentCounts]
      .filter(([, count]) => count >= minimum && count <= maximum)
      .map(([term]) => term)
      .sort((a, b) => totals.get(b)! - totals.get(a)! || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, this.get('vocabularySize'));
    return new CountVectorizerModel(vocabulary, {
      inputCol: this.get('inputCol'),
      outputCol: this.get('outputCol'),
      minTF: this.get('minTF'),
      binary: this.get('binary'),
    });
  }
}

/** Flink ML's fluent setters and getters, defined at run time by WithParams. */
export interface CountVectorizerModel extends FluentParams<ModelSpecs, CountVectorizerModel> {}

/** A vocabulary: token lists to sparse term-count vectors over it (unknown tokens are ignored). */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class CountVectorizerModel extends Transformer<ModelSpecs> {
  readonly type = 'count-vectorizer';
  /** Term i of the vectors. */
  readonly vocabulary: readonly string[];
  private readonly ids: Map<string, number>;

  constructor(vocabulary: readonly string[], params: Partial<ParamValues<ModelSpecs>> = {}) {
    super(countVectorizerModelParams, params);
    this.vocabulary = vocabulary;
    this.ids = new Map(vocabulary.map((term, i) => [term, i]));
  }

  transformTable(frame: Table): Table {
    const minTF = this.get('minTF');
    const binary = this.get('binary');
    const rows = tokensColumn(frame, this.get('inputCol')).map((tokens) => {
      const counts = new Map<number, number>();
      for (const token of tokens) {
        const id = this.ids.get(token);
        if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      const least = minTF >= 1 ? minTF : minTF * tokens.length;
      for (const [id, count] of counts) {
        if (count < least) counts.delete(id);
        else if (binary) counts.set(id, 1);
      }
      return counts;
    });
    const values = sparseFromMaps(this.vocabulary.length, rows);
    return frame.withTypedColumn(this.get('outputCol'), { kind: 'sparse', values });
  }

  protected stateJSON(): Record<string, unknown> {
    return { vocabulary: [...this.vocabulary] };
  }

  static fromJSON(json: unknown, source = '<json>'): CountVectorizerModel {
    const stage = checkStageJSON(json, source, 'count-vectorizer');
    const vocabulary = stage.vocabulary;
    if (!Array.isArray(vocabulary) || !vocabulary.every((term) => typeof term === 'string')) {
      throw new InputError('\'count-vectorizer\' model field "vocabulary" is not a list of strings', {
        file: source,
        expected: 'string[]',
      });
    }
    return new CountVectorizerModel(
      vocabulary,
      paramsFromJSON(countVectorizerModelParams, stage.params, 'count-vectorizer').getAll(),
    );
  }
}

registerModelType('count-vectorizer', CountVectorizerModel.fromJSON);
