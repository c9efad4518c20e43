import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableToIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { tableFromColumns } from '../../src/core/arrow.js';
import { random } from '../../src/core/random.js';
import { runCli } from '../helpers/cli.js';

const directory = mkdtempSync(join(tmpdir(), 'eddy-lda-cli-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
const at = (name: string) => join(directory, name);

// 200 documents from three planted topics over 30 words (topic t favours words 10t+1..10t+10).
const rng = random(5);
const entries: string[] = [];
for (let d = 1; d <= 200; d++) {
  const topic = rng.integer(0, 3);
  const counts = new Map<number, number>();
  for (let i = 0; i < 30; i++) {
    const word = rng.uniform() < 0.9 ? topic * 10 + rng.integer(1, 11) : rng.integer(1, 31);
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  for (const [word, count] of [...counts].sort((a, b) => a[0] - b[0])) entries.push(`${d} ${word} ${count}`);
}
writeFileSync(at('docword.txt'), `200\n30\n${entries.length}\n${entries.join('\n')}\n`);
const words = Array.from(
  { length: 30 },
  (_, w) => `${['apple', 'river', 'socket'][Math.floor(w / 10)]}${w % 10}`,
);
writeFileSync(at('vocab.txt'), `${words.join('\n')}\n`);

const lines = (text: string) => text.trimEnd().split('\n');

describe('eddy lda', () => {
  it('reads an Arrow file of (document, term, count) rows as the same corpus as its docword file', async () => {
    const triples = entries.map((entry) => entry.split(' ').map(Number));
    // docword ids count from 1, Arrow rows from 0; the rows are shuffled, which changes nothing.
    const order = random(8).shuffle(triples.map((_, i) => i));
    const column = (k: number) => Float64Array.from(order, (i) => triples[i][k] - (k < 2 ? 1 : 0));
    const table = tableFromColumns({ document: column(0), term: column(1), count: column(2) });
    writeFileSync(at('triples.arrow'), tableToIPC(table, 'file'));
    const args = ['--vocab', at('vocab.txt'), '--topics', '3', '--passes', '2', '--seed', '2'];
    const fromDocword = await runCli(['lda', at('docword.txt'), ...args, '--topics-output', at('a.tsv')]);
    const fromArrow = await runCli(['lda', at('triples.arrow'), ...args, '--topics-output', at('b.tsv')]);
    expect(fromArrow.code, fromArrow.stderr).toBe(0);
    expect(fromArrow.stdout).toBe(fromDocword.stdout);
    expect(readFileSync(at('b.tsv'), 'utf8')).toBe(readFileSync(at('a.tsv'), 'utf8'));
  });

  it('prints each topic with its top words, writes the topics and the model', async () => {
    const run = await runCli([
      'lda',
      at('docword.txt'),
      '--vocab',
      at('vocab.txt'),
      '--topics',
      '3',
      '--passes',
      '5',
      '--batch-size',
      '50',
      '--top-words',
      '4',
      '--seed',
      '2',
      '--topics-output',
      at('topics.tsv'),
      '--model',
      at('lda.json'),
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^lda: 200 documents, 30 words, 6000 tokens, 3 topics, 5 online passes in /);
    const printed = lines(run.stdout);
    expect(printed[0]).toBe('topic\twords');
    expect(printed).toHaveLength(4);
    // Each planted topic is found: a topic's four top words share their planted block.
    const blocks = printed.slice(1).map((line) => {
      const [, terms] = line.split('\t');
      const prefixes = new Set(terms.split(' ').map((term) => term.replace(/\d+$/, '')));
      expect(prefixes.size).toBe(1);
      return [...prefixes][0];
    });
    expect(new Set(blocks).size).toBe(3);
    const topics = lines(readFileSync(at('topics.tsv'), 'utf8')).map((line) => line.split('\t').map(Number));
    expect(topics).toHaveLength(3);
    for (const row of topics) {
      expect(row).toHaveLength(30);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
    const model = JSON.parse(readFileSync(at('lda.json'), 'utf8'));
    expect([model.type, model.topics.length, model.vocabulary.length]).toEqual(['lda', 3, 30]);
  });

  it('gives the same topics at --parallelism 1 and 2, online and batch', async () => {
    for (const method of ['online', 'batch']) {
      const outputs: string[] = [];
      for (const parallelism of ['1', '2']) {
        const name = `topics-${method}-${parallelism}.tsv`;
        const args = [
          'lda',
          at('docword.txt'),
          '--topics',
          '3',
          '--passes',
          '2',
          '--method',
          method,
          '--quiet',
        ];
        const run = await runCli([...args, '--parallelism', parallelism, '--topics-output', at(name)]);
        expect(run.code).toBe(0);
        outputs.push(readFileSync(at(name), 'utf8'));
      }
      expect(outputs[1]).toBe(outputs[0]);
    }
  });

  it('--text fits raw text, one document per line, and prints words', async () => {
    const documents: string[] = [];
    for (let i = 0; i < 60; i++) {
      documents.push(
        i % 2 === 0
          ? 'The kernel schedules threads and the scheduler wakes a thread on a signal'
          : 'Bread and butter with jam: the baker bakes bread in the oven every morning',
      );
    }
    writeFileSync(at('text.txt'), `${documents.join('\n')}\n`);
    const run = await runCli([
      'lda',
      '--text',
      at('text.txt'),
      '--topics',
      '2',
      '--passes',
      '5',
      '--top-words',
      '3',
    ]);
    expect(run.code).toBe(0);
    const printed = lines(run.stdout).slice(1).join(' ');
    expect(printed).toMatch(/bread|kernel|thread/);
    // English stop words are gone.
    expect(printed).not.toMatch(/\bthe\b|\band\b/);
  });

  it('bad input and usage: a word id beyond the vocabulary is exit 1 naming the line; wrong options exit 2', async () => {
    writeFileSync(at('bad.txt'), '2\n3\n2\n1 1 4\n2 7 1\n');
    const bad = await runCli(['lda', at('bad.txt'), '--topics', '2']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`${at('bad.txt')}:5: word id beyond the vocabulary: got "2 7 1"`);
    writeFileSync(at('negative.txt'), '1\n3\n1\n1 1 -4\n');
    const negative = await runCli(['lda', at('negative.txt'), '--topics', '2']);
    expect([negative.code, negative.stderr]).toEqual([1, expect.stringContaining(':4: negative count')]);
    expect((await runCli(['lda', at('docword.txt')])).code).toBe(2);
    expect((await runCli(['lda', at('docword.txt'), '--topics', '2', '--text', at('text.txt')])).code).toBe(
      2,
    );
    const textOnly = await runCli(['lda', at('docword.txt'), '--topics', '2', '--min-df', '3']);
    expect([textOnly.code, textOnly.stderr]).toEqual([
      2,
      expect.stringContaining('--min-df applies to --text only'),
    ]);
    const unwritable = await runCli([
      'lda',
      at('docword.txt'),
      '--topics',
      '2',
      '--topics-output',
      '/no/such/dir/t.tsv',
    ]);
    expect(unwritable.code).toBe(1);
    expect(unwritable.stderr).toContain('/no/such/dir/t.tsv');
  });
});
