/**
 * The UCI bag-of-words format (archive.ics.uci.edu, "Bag of Words"): a docword file of three
 * header lines (documents D, vocabulary size W, entries NNZ) and then one `docID wordID count`
 * line per entry, ids from 1, documents in order; and a vocab file of W words, one per line
 * (word id i on line i). Either file may be gzip-compressed. Read from bytes into sparse rows.
 */

import { scanDecimal } from '../../../src/core/decimal.js';
import { InputError } from '../../../src/core/errors.js';
import { SparseRows } from '../../../src/core/sparse-rows.js';
import { forEachLine, readTextLines } from '../../../src/core/text-lines.js';

/** A corpus read from UCI files: the documents' term counts and, when read, the words. */
export interface BagOfWords {
  readonly corpus: SparseRows;
  readonly vocabulary?: readonly string[];
}

const fields = new Float64Array(3);

function isBlank(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i] !== 32 && bytes[i] !== 9) return false;
  return true;
}

/** Parses up to `count` whitespace-separated numbers of a line into `fields`; how many there were, -1 on junk. */
function lineNumbers(bytes: Uint8Array, start: number, end: number, count: number): number {
  let at = start;
  let found = 0;
  while (at < end) {
    while (at < end && (bytes[at] === 32 || bytes[at] === 9)) at++;
    if (at === end) break;
    if (found === count) return -1;
    const next = scanDecimal(bytes, at, end, fields, found);
    if (next < 0 || (next < end && bytes[next] !== 32 && bytes[next] !== 9)) return -1;
    found++;
    at = next;
  }
  return found;
}

function text(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}

/**
 * Reads a docword file into sparse rows (document d is row d - 1, word w column w - 1). A line
 * that is not three integers, a word id beyond the vocabulary, a document id out of order or
 * beyond D, a negative count, or an entry count other than NNZ is an {@link InputError} naming
 * the file and line.
 */
export async function readDocword(path: string): Promise<SparseRows> {
  const header: number[] = [];
  let offsets = new Int32Array(0);
  let indices = new Int32Array(0);
  let values = new Float64Array(0);
  let entries = 0;
  let document = 0;
  const fail = (
    problem: string,
    line: number,
    bytes: Uint8Array,
    start: number,
    end: number,
    expected: string,
  ) => {
    throw new InputError(problem, { file: path, line, text: text(bytes, start, end), expected });
  };
  await forEachLine(path, (bytes, start, end, line) => {
    if (isBlank(bytes, start, end)) return;
    if (header.length < 3) {
      const value = lineNumbers(bytes, start, end, 1) === 1 ? fields[0] : Number.NaN;
      if (!Number.isSafeInteger(value) || value < 0 || (header.length === 1 && value < 1)) {
        const names = ['the number of documents D', 'the vocabulary size W', 'the number of entries NNZ'];
        fail(`bad header line`, line, bytes, start, end, names[header.length]);
      }
      header.push(value);
      if (header.length === 3) {
        offsets = new Int32Array(header[0] + 1);
        indices = new Int32Array(header[2]);
        values = new Float64Array(header[2]);
      }
      return;
    }
    const [documents, words, expected] = header;
    if (
      lineNumbers(bytes, start, end, 3) !== 3 ||
      !Number.isInteger(fields[0]) ||
      !Number.isInteger(fields[1])
    ) {
      fail('bad entry', line, bytes, start, end, 'three numbers: docID wordID count');
    }
    const [d, w, count] = fields;
    if (d < 1 || d > documents)
      fail('document id out of range', line, bytes, start, end, `a document id from 1 to ${documents}`);
    if (d < document)
      fail(
        'document id out of order',
        line,
        bytes,
        start,
        end,
        `document ids in ascending order (after ${document})`,
      );
    if (w < 1 || w > words)
      fail('word id beyond the vocabulary', line, bytes, start, end, `a word id from 1 to ${words}`);
    if (!(count >= 0)) fail('negative count', line, bytes, start, end, 'a count >= 0');
    if (entries === expected)
      fail('more entries than the header says', line, bytes, start, end, `${expected} entries`);
    // Documents between the last one and this one are empty: their rows end where they start.
    for (; document < d; document++) offsets[document + 1] = entries;
    indices[entries] = w - 1;
    values[entries++] = count;
    offsets[d] = entries;
  });
  if (header.length < 3) {
    throw new InputError('missing header', { file: path, expected: 'three header lines: D, W and NNZ' });
  }
  if (entries !== header[2]) {
    throw new InputError(`${entries} entries where the header says ${header[2]}`, {
      file: path,
      expected: `${header[2]} entries`,
    });
  }
  for (; document < header[0]; document++) offsets[document + 1] = entries;
  return sortedRows(new SparseRows(header[1], offsets, indices, values));
}

/** The rows with their entries in ascending column order, repeated columns added up (UCI files need not be sorted). */
function sortedRows(rows: SparseRows): SparseRows {
  const { offsets, indices } = rows;
  let sorted = true;
  for (let d = 0; d < rows.rows && sorted; d++) {
    for (let at = offsets[d] + 1; at < offsets[d + 1]; at++)
      if (indices[at] <= indices[at - 1]) sorted = false;
  }
  if (sorted) return rows;
  return SparseRows.fromEntries(
    rows.columns,
    Array.from({ length: rows.rows }, (_, d) =>
      Array.from({ length: offsets[d + 1] - offsets[d] }, (_, j): [number, number] => [
        indices[offsets[d] + j],
        rows.values[offsets[d] + j],
      ]),
    ),
  );
}

/** Reads a vocab file: one word per line (trailing blank lines ignored). */
export async function readVocabulary(path: string): Promise<string[]> {
  const words = await readTextLines(path);
  while (words.length > 0 && words[words.length - 1].trim() === '') words.pop();
  return words;
}

/**
 * Reads a UCI docword file and, when given, its vocab file; the vocabulary must have exactly
 * the W words the docword header says.
 */
export async function readBagOfWords(docwordPath: string, vocabularyPath?: string): Promise<BagOfWords> {
  const corpus = await readDocword(docwordPath);
  if (vocabularyPath === undefined) return { corpus };
  const vocabulary = await readVocabulary(vocabularyPath);
  if (vocabulary.length !== corpus.columns) {
    throw new InputError(
      `${vocabulary.length} words where ${docwordPath} has a vocabulary of ${corpus.columns}`,
      {
        file: vocabularyPath,
        expected: `${corpus.columns} lines, one word each`,
      },
    );
  }
  return { corpus, vocabulary };
}
