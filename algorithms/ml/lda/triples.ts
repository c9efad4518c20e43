import { InputError } from '../../../src/core/errors.js';
import { SparseRows } from '../../../src/core/sparse-rows.js';
import { loadData, type MLData } from '../../../src/ml/data.js';
import { type Frame, getColumn, rowLocation } from '../../../src/ml/frame.js';

/** Options of {@link corpusFromTriples}: the column names and, when known, the vocabulary size. */
export interface TripleColumns {
  /** Document ids, integers from 0 (default 'document'). */
  documentCol?: string;
  /** Term ids, integers from 0 (default 'term'). */
  termCol?: string;
  /** Counts >= 0 (default 'count'). */
  countCol?: string;
  /** Terms in all (default: the largest term id + 1). */
  vocabularySize?: number;
}

function numbers(frame: Frame, name: string): Float64Array {
  const column = getColumn(frame, name, 'column');
  if (column.kind !== 'number') {
    throw new InputError(`column '${name}' is not numeric`, { file: frame.source, expected: 'numbers' });
  }
  return column.values;
}

/**
 * A corpus from (document, term, count) rows, in any order, of an Arrow table, a CSV or Arrow
 * file or any tabular data: document d is row d, term t column t; a (document, term) pair given
 * twice adds up. An id that is not an integer >= 0 (or a term beyond `vocabularySize`) or a
 * negative count is an {@link InputError} naming its row.
 */
export async function corpusFromTriples(data: MLData, options: TripleColumns = {}): Promise<SparseRows> {
  const frame = await loadData(data);
  const documents = numbers(frame, options.documentCol ?? 'document');
  const terms = numbers(frame, options.termCol ?? 'term');
  const counts = numbers(frame, options.countCol ?? 'count');
  let rows = 0;
  let columns = options.vocabularySize ?? 0;
  for (let i = 0; i < frame.rowCount; i++) {
    const bad = (what: string, value: number, expected: string) =>
      new InputError(`bad ${what}`, { ...rowLocation(frame, i), text: String(value), expected });
    if (!Number.isInteger(documents[i]) || documents[i] < 0)
      throw bad('document id', documents[i], 'an integer >= 0');
    const limit = options.vocabularySize;
    if (!Number.isInteger(terms[i]) || terms[i] < 0 || (limit !== undefined && terms[i] >= limit)) {
      throw bad('term id', terms[i], `an integer from 0${limit === undefined ? '' : ` to ${limit - 1}`}`);
    }
    if (!(counts[i] >= 0)) throw bad('count', counts[i], 'a count >= 0');
    rows = Math.max(rows, documents[i] + 1);
    if (limit === undefined) columns = Math.max(columns, terms[i] + 1);
  }
  const byDocument: [number, number][][] = Array.from({ length: rows }, () => []);
  for (let i = 0; i < frame.rowCount; i++) byDocument[documents[i]].push([terms[i], counts[i]]);
  return SparseRows.fromEntries(columns, byDocument);
}
