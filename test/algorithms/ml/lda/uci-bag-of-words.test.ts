import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusFromTriples } from '../../../../algorithms/ml/lda/triples.js';
import { readBagOfWords, readDocword } from '../../../../algorithms/ml/lda/uci-bag-of-words.js';
import { tableFromColumns } from '../../../../src/core/arrow.js';
import { InputError } from '../../../../src/core/errors.js';

const directory = mkdtempSync(join(tmpdir(), 'eddy-uci-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
let files = 0;
function file(content: string | Uint8Array, name = `f${files++}.txt`): string {
  const path = join(directory, name);
  writeFileSync(path, content);
  return path;
}

describe('UCI bag-of-words', () => {
  it('reads documents as sparse rows, with empty documents, unsorted words and the vocabulary', async () => {
    const docword = file('4\n5\n5\n1 3 2\n1 1 1\n2 5 4\n4 2 1\n4 4 7\n');
    const vocab = file('apple\nbanana\ncherry\ndate\nelder\n');
    const { corpus, vocabulary } = await readBagOfWords(docword, vocab);
    expect(corpus.rows).toBe(4);
    expect(corpus.columns).toBe(5);
    expect(Array.from(corpus.offsets)).toEqual([0, 2, 3, 3, 5]);
    expect(Array.from(corpus.indices)).toEqual([0, 2, 4, 1, 3]);
    expect(Array.from(corpus.values)).toEqual([1, 2, 4, 1, 7]);
    expect(vocabulary).toEqual(['apple', 'banana', 'cherry', 'date', 'elder']);
  });

  it('reads gzip files and CRLF line ends alike', async () => {
    const text = '2\r\n3\r\n2\r\n1 1 5\r\n2 3 1\r\n';
    const plain = await readDocword(file(text));
    const zipped = await readDocword(file(gzipSync(text), 'docword.txt.gz'));
    expect(Array.from(zipped.values)).toEqual([5, 1]);
    expect(Array.from(zipped.indices)).toEqual(Array.from(plain.indices));
  });

  it('a word id beyond the vocabulary is an InputError with its file and line', async () => {
    const path = file('2\n3\n2\n1 1 5\n2 4 1\n');
    const error = await readDocword(path).catch((e) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.line).toBe(5);
    expect(error.message).toBe(
      `${path}:5: word id beyond the vocabulary: got "2 4 1", expected a word id from 1 to 3`,
    );
  });

  it('a negative count is an InputError with its line', async () => {
    const path = file('2\n3\n2\n1 1 5\n2 2 -1\n');
    await expect(readDocword(path)).rejects.toThrow(
      `${path}:5: negative count: got "2 2 -1", expected a count >= 0`,
    );
  });

  it('refuses bad headers, junk, out-of-order documents and wrong entry counts, naming the line', async () => {
    await expect(readDocword(file('x\n3\n1\n'))).rejects.toThrow(/:1: bad header line/);
    await expect(readDocword(file('2\n3\n1\n1 1\n'))).rejects.toThrow(/:4: bad entry/);
    await expect(readDocword(file('2\n3\n2\n2 1 1\n1 1 1\n'))).rejects.toThrow(
      /:5: document id out of order/,
    );
    await expect(readDocword(file('2\n3\n1\n3 1 1\n'))).rejects.toThrow(/:4: document id out of range/);
    await expect(readDocword(file('2\n3\n3\n1 1 1\n'))).rejects.toThrow(/1 entries where the header says 3/);
    await expect(readDocword(file('2\n3\n1\n1 1 1\n1 2 1\n'))).rejects.toThrow(
      /:5: more entries than the header/,
    );
    const vocab = file('a\nb\n');
    await expect(readBagOfWords(file('1\n3\n1\n1 1 1\n'), vocab)).rejects.toThrow(
      /2 words where .* has a vocabulary of 3/,
    );
  });

  it('reads back any corpus it is given, across chunk boundaries', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.array(fc.tuple(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 1000 })), {
            maxLength: 8,
          }),
          {
            minLength: 1,
            maxLength: 30,
          },
        ),
        async (documents) => {
          const lines: string[] = [];
          const expected: number[][] = [];
          documents.forEach((entries, d) => {
            const byWord = new Map<number, number>();
            for (const [w, c] of entries) if (!byWord.has(w)) byWord.set(w, c);
            for (const [w, c] of byWord) lines.push(`${d + 1} ${w} ${c}`);
            const row = new Array(50).fill(0);
            for (const [w, c] of byWord) row[w - 1] = c;
            expected.push(row);
          });
          const corpus = await readDocword(
            file(`${documents.length}\n50\n${lines.length}\n${lines.join('\n')}`),
          );
          expect(Array.from({ length: corpus.rows }, (_, d) => Array.from(corpus.denseRow(d)))).toEqual(
            expected,
          );
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('corpus from (document, term, count) rows', () => {
  it('reads an Arrow table in any order, adding repeated pairs', async () => {
    const table = tableFromColumns({
      document: Float64Array.of(1, 0, 1, 0, 1),
      term: Float64Array.of(2, 0, 0, 3, 2),
      count: Float64Array.of(1, 4, 2, 1, 5),
    });
    const corpus = await corpusFromTriples(table);
    expect([corpus.rows, corpus.columns]).toEqual([2, 4]);
    expect(Array.from(corpus.offsets)).toEqual([0, 2, 4]);
    expect(Array.from(corpus.indices)).toEqual([0, 3, 0, 2]);
    expect(Array.from(corpus.values)).toEqual([4, 1, 2, 6]);
    expect((await corpusFromTriples(table, { vocabularySize: 10 })).columns).toBe(10);
  });

  it('refuses ids that are not integers >= 0, terms beyond the vocabulary and negative counts, by row', async () => {
    const rows = (document: number, term: number, count: number) =>
      tableFromColumns({ document: [document], term: [term], count: [count] });
    await expect(corpusFromTriples(rows(-1, 0, 1))).rejects.toThrow(/row 0: bad document id: got "-1"/);
    await expect(corpusFromTriples(rows(0, 1.5, 1))).rejects.toThrow(/bad term id/);
    await expect(corpusFromTriples(rows(0, 4, 1), { vocabularySize: 4 })).rejects.toThrow(/from 0 to 3/);
    await expect(corpusFromTriples(rows(0, 0, -2))).rejects.toThrow(/bad count: got "-2"/);
  });
});
