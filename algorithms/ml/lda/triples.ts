import { InputError } from '../../../src/core/errors.js';
import { SparseRows } from '../../../src/core/sparse-rows.js';
import { loadData, type MLData } from '../../../src/ml/data.js';
import { getColumn, rowLocation } from '../../../src/ml/table-input.js';
import type { Table } from '../../../src/table/table.js';

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

function numbers(frame: Table, name: string): Float64Array {
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
  for (let i = 0; i < frame.numRows; i++) {
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
  // Rows grouped by document (a counting sort), then within a document by term, on typed arrays:
  // a corpus of millions of triples makes no object per entry.
  const n = frame.numRows;
  const starts = new Int32Array(rows + 1);
  for (let i = 0; i < n; i++) starts[documents[i] + 1]++;
  for (let d = 0; d < rows; d++) starts[d + 1] += starts[d];
  const next = starts.slice(0, rows);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[next[documents[i]]++] = i;
  const offsets = new Int32Array(rows + 1);
  const indices = new Int32Array(n);
  const values = new Float64Array(n);
  let stored = 0;
  for (let d = 0; d < rows; d++) {
    // Input order within a term, so that a repeated pair's counts add up in the order given.
    const entries = order.subarray(starts[d], starts[d + 1]).sort((a, b) => terms[a] - terms[b] || a - b);
    for (let e = 0; e < entries.length; ) {
      const term = terms[entries[e]];
      let sum = 0;
      for (; e < entries.length && terms[entries[e]] === term; e++) sum += counts[entries[e]];
      if (sum === 0) continue;
      indices[stored] = term;
      values[stored++] = sum;
    }
    offsets[d + 1] = stored;
  }
  return new SparseRows(columns, offsets, indices.slice(0, stored), values.slice(0, stored));
}
