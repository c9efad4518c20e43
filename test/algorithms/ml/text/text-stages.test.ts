/**
 * The text stages against scikit-learn 1.2 on the paragraphs of the Apache License 2.0 text
 * (Debian base-files); test/fixtures/text/make-text-features.py made text-features.json.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KMeans } from '../../../../algorithms/ml/kmeans/index.js';
import { LDA } from '../../../../algorithms/ml/lda/lda.js';
import type { LDAModel } from '../../../../algorithms/ml/lda/model.js';
import { CountVectorizer, CountVectorizerModel } from '../../../../algorithms/ml/text/count-vectorizer.js';
import { HashingTF, murmurHash3 } from '../../../../algorithms/ml/text/hashing-tf.js';
import { IDF } from '../../../../algorithms/ml/text/idf.js';
import { NGram } from '../../../../algorithms/ml/text/ngram.js';
import { StopWordsRemover } from '../../../../algorithms/ml/text/stop-words-remover.js';
import { RegexTokenizer, Tokenizer } from '../../../../algorithms/ml/text/tokenizer.js';
import { InputError } from '../../../../src/core/errors.js';
import type { SparseRows } from '../../../../src/core/sparse-rows.js';
import { modelFromJSON } from '../../../../src/ml/persistence.js';
import { Pipeline } from '../../../../src/ml/pipeline.js';
import { getColumn } from '../../../../src/ml/table-input.js';
import { Table } from '../../../../src/table/table.js';

const fixture = JSON.parse(
  readFileSync(new URL('../../../fixtures/text/text-features.json', import.meta.url), 'utf8'),
);
const documents: string[] = fixture.documents;
const textFrame = Table.fromTypedColumns(['text'], [{ kind: 'string', values: documents }], {
  source: '<apache>',
});
// scikit-learn's default tokens: runs of two or more word characters.
const tokenizer = new RegexTokenizer({ pattern: '\\b\\w\\w+\\b', gaps: false, outputCol: 'words' });
const remover = new StopWordsRemover({ inputCol: 'words', outputCol: 'tokens' });

function column(frame: Table, name: string) {
  return getColumn(frame, name);
}

/** Each row as { term: value }, terms named by `vocabulary`. */
function rowsByTerm(rows: SparseRows, vocabulary: readonly string[]): Record<string, number>[] {
  return Array.from({ length: rows.rows }, (_, d) => {
    const row: Record<string, number> = {};
    for (let at = rows.offsets[d]; at < rows.offsets[d + 1]; at++)
      row[vocabulary[rows.indices[at]]] = rows.values[at];
    return row;
  });
}

function sparse(frame: Table, name: string): SparseRows {
  const found = column(frame, name);
  if (found.kind !== 'sparse') throw new Error(`${name} is not sparse`);
  return found.values;
}

describe('text stages against scikit-learn', () => {
  const tokens = remover.transformTable(tokenizer.transformTable(textFrame));

  it("RegexTokenizer, StopWordsRemover and CountVectorizer(minDF 2, maxDF 0.5) count as scikit-learn's CountVectorizer", () => {
    const model = new CountVectorizer({ minDF: 2, maxDF: 0.5 }).fitTable(tokens);
    expect([...model.vocabulary].sort()).toEqual(fixture.counts.vocabulary);
    expect(rowsByTerm(sparse(model.transformTable(tokens), 'features'), model.vocabulary)).toEqual(
      fixture.counts.rows,
    );
  });

  it('NGram(2) then CountVectorizer(minDF 2) counts the bigrams scikit-learn counts', () => {
    const grams = new NGram({ inputCol: 'tokens', outputCol: 'bigrams' }).transformTable(tokens);
    const model = new CountVectorizer({ inputCol: 'bigrams', minDF: 2 }).fitTable(grams);
    expect([...model.vocabulary].sort()).toEqual(fixture.bigrams.vocabulary);
    expect(rowsByTerm(sparse(model.transformTable(grams), 'features'), model.vocabulary)).toEqual(
      fixture.bigrams.rows,
    );
  });

  it("IDF gives scikit-learn's smooth idf less 1 (Spark's log((m + 1) / (df + 1))), and weighs the counts by it", () => {
    const counts = new CountVectorizer({ minDF: 2, maxDF: 0.5 }).fitTable(tokens);
    const vectors = counts.transformTable(tokens);
    const idf = new IDF().fitTable(vectors);
    counts.vocabulary.forEach((term, i) => {
      expect(idf.idf[i] + 1).toBeCloseTo(fixture.tfidf.idf[term], 12);
    });
    const weighted = rowsByTerm(sparse(idf.transformTable(vectors), 'tfidf'), counts.vocabulary);
    const raw = rowsByTerm(sparse(vectors, 'features'), counts.vocabulary);
    weighted.forEach((row, d) => {
      expect(Object.keys(row).sort()).toEqual(Object.keys(fixture.tfidf.rows[d]).sort());
      // scikit-learn's tf * (idf + 1) is eddy's tf * idf plus tf.
      for (const [term, value] of Object.entries(row)) {
        expect(value + raw[d][term]).toBeCloseTo(fixture.tfidf.rows[d][term], 10);
      }
    });
  });

  it("HashingTF's MurmurHash3 (seed 42) is scikit-learn's murmurhash3_32", () => {
    const encoder = new TextEncoder();
    for (const [term, hash] of Object.entries(fixture.murmur3))
      expect(murmurHash3(encoder.encode(term), 42)).toBe(hash);
    const hashing = new HashingTF({ numFeatures: 16 });
    const hashed = sparse(hashing.transformTable(tokens), 'features');
    expect(hashed.columns).toBe(16);
    // Every token lands in its bucket: the counts of a row add up to its tokens.
    const lists = column(tokens, 'tokens');
    if (lists.kind !== 'tokens') throw new Error('tokens');
    for (let d = 0; d < hashed.rows; d++) {
      let sum = 0;
      for (let at = hashed.offsets[d]; at < hashed.offsets[d + 1]; at++) sum += hashed.values[at];
      expect(sum).toBe(lists.values[d].length);
    }
    expect(hashing.indexOf('license')).toBe(((fixture.murmur3.license % 16) + 16) % 16);
  });
});

describe('text stages', () => {
  it('Tokenizer lower-cases and splits at white space; RegexTokenizer drops short tokens', () => {
    const frame = Table.fromTypedColumns(['text'], [{ kind: 'string', values: ['  Hello  World\tx ', ''] }]);
    const split = column(new Tokenizer().transformTable(frame), 'tokens');
    expect(split.values).toEqual([['hello', 'world', 'x'], []]);
    const regex = new RegexTokenizer({ minTokenLength: 2, toLowercase: false }).transformTable(frame);
    expect(column(regex, 'tokens').values).toEqual([['Hello', 'World'], []]);
    expect(() => new RegexTokenizer({ pattern: '(' })).toThrow(/a valid regular expression/);
  });

  it('StopWordsRemover takes custom lists and case sensitivity', () => {
    const frame = Table.fromTypedColumns(
      ['tokens'],
      [{ kind: 'tokens', values: [['The', 'cat', 'the', 'Dog']] }],
    );
    expect(column(new StopWordsRemover().transformTable(frame), 'filtered').values).toEqual([['cat', 'Dog']]);
    const custom = new StopWordsRemover({ stopWords: ['dog', 'The'], caseSensitive: true });
    expect(column(custom.transformTable(frame), 'filtered').values).toEqual([['cat', 'the', 'Dog']]);
  });

  it('CountVectorizer: vocabularySize keeps the most frequent, minTF and binary shape the counts', () => {
    const frame = Table.fromTypedColumns(
      ['tokens'],
      [
        {
          kind: 'tokens',
          values: [
            ['a', 'b', 'a', 'c'],
            ['a', 'b', 'b', 'b'],
          ],
        },
      ],
    );
    const model = new CountVectorizer({ vocabularySize: 2 }).fitTable(frame);
    expect(model.vocabulary).toEqual(['b', 'a']);
    expect(rowsByTerm(sparse(model.transformTable(frame), 'features'), model.vocabulary)).toEqual([
      { b: 1, a: 2 },
      { b: 3, a: 1 },
    ]);
    const minTF = new CountVectorizerModel(['a', 'b'], { minTF: 2 }).transformTable(frame);
    expect(rowsByTerm(sparse(minTF, 'features'), ['a', 'b'])).toEqual([{ a: 2 }, { b: 3 }]);
    const binary = new CountVectorizerModel(['a', 'b'], { binary: true, minTF: 0.3 }).transformTable(frame);
    expect(rowsByTerm(sparse(binary, 'features'), ['a', 'b'])).toEqual([{ a: 1 }, { b: 1 }]);
    expect(() => new CountVectorizer({ minDF: 3, maxDF: 1 }).fitTable(frame)).toThrow(InputError);
    expect(() =>
      new CountVectorizer().fitTable(Table.fromTypedColumns(['tokens'], [{ kind: 'string', values: ['a'] }])),
    ).toThrow(/column 'tokens' holds text/);
  });

  it('a pipeline of text stages feeds LDA and KMeans, saves, loads and transforms alike', () => {
    const pipeline = new Pipeline([
      tokenizer,
      remover,
      new CountVectorizer({ minDF: 2 }),
      new LDA({ k: 3, seed: 1, maxIterations: 3, parallelism: 1 }),
    ]);
    const model = pipeline.fitTable(textFrame);
    const lda = model.stages.at(-1) as LDAModel;
    expect(lda.k).toBe(3);
    const mixtures = column(model.transformTable(textFrame), 'topicDistribution');
    if (mixtures.kind !== 'vector') throw new Error('mixtures');
    expect(mixtures.values.rows).toBe(documents.length);
    const loaded = modelFromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    const again = column(loaded.transformTable(textFrame), 'topicDistribution');
    expect(Array.from((again.values as typeof mixtures.values).data)).toEqual(
      Array.from(mixtures.values.data),
    );
    // KMeans takes the sparse term-count column as dense rows.
    const counts = new CountVectorizer({ minDF: 2 }).fitTable(
      remover.transformTable(tokenizer.transformTable(textFrame)),
    );
    const vectors = counts.transformTable(remover.transformTable(tokenizer.transformTable(textFrame)));
    const clusters = new KMeans({ k: 2, seed: 1 }).fitTable(vectors);
    expect(clusters.centroids.columns).toBe(counts.vocabulary.length);
  });

  it('sparse vector and token columns go through Arrow and back unchanged', () => {
    const counts = new CountVectorizer().fitTable(
      remover.transformTable(tokenizer.transformTable(textFrame)),
    );
    const frame = counts.transformTable(remover.transformTable(tokenizer.transformTable(textFrame)));
    const back = Table.fromArrow(frame.toArrow());
    const rows = sparse(back, 'features');
    const original = sparse(frame, 'features');
    expect(rows.columns).toBe(original.columns);
    expect(Array.from(rows.offsets)).toEqual(Array.from(original.offsets));
    expect(Array.from(rows.indices)).toEqual(Array.from(original.indices));
    expect(Array.from(rows.values)).toEqual(Array.from(original.values));
    expect(column(back, 'tokens').values).toEqual(column(frame, 'tokens').values);
  });
});
