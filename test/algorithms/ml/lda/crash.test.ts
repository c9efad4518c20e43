/**
 * The crash test of LDA's checkpointed online fit: a child process fitting a stream of
 * documents (see fixtures/lda-crash-program.mjs) is SIGKILLed at seeded random points, several
 * times in a row, while two other processes load both cores, and resumed each time. Its topics
 * equal an uninterrupted run's bit for bit, and its versions (one per mini-batch) are written
 * exactly once, the last one counting every document.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { random } from '../../../../src/core/random.js';
import { ended, killAndResume, withBusyCores } from '../../../helpers/crash.js';

const program = fileURLToPath(new URL('./fixtures/lda-crash-program.mjs', import.meta.url));
const DOCUMENTS = 3_000;
const TERMS = 100;
const BATCH = 32; // the program's batchSize

/** Documents drawn from four planted topics, each favouring its own 25 terms. */
function writeCorpus(path: string): void {
  const rng = random('lda-crash');
  const lines: string[] = [];
  for (let id = 0; id < DOCUMENTS; id++) {
    const topic = rng.integer(0, 4);
    const counts = new Map<number, number>();
    const length = 10 + rng.integer(0, 30);
    for (let i = 0; i < length; i++) {
      const term = rng.uniform() < 0.85 ? topic * 25 + rng.integer(0, 25) : rng.integer(0, TERMS);
      counts.set(term, (counts.get(term) ?? 0) + 1);
    }
    lines.push(JSON.stringify({ id, words: [...counts].sort((a, b) => a[0] - b[0]) }));
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

function lines(path: string): unknown[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line));
}

describe('LDA fitStream with checkpoints, killed and resumed under load', () => {
  it('ends with the topics of an uninterrupted fit, every document counted once', async () => {
    expect(existsSync('dist/algorithms/ml/lda/lda.js'), 'dist/ is missing: run npm run build').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'eddy-lda-crash-'));
    try {
      const corpus = join(dir, 'corpus.ndjson');
      writeCorpus(corpus);
      const start = (name: string, resume: boolean) =>
        spawn(
          process.execPath,
          [
            program,
            corpus,
            String(TERMS),
            join(dir, `${name}-checkpoints`),
            join(dir, `${name}-versions.ndjson`),
            join(dir, `${name}-topics.json`),
            resume ? 'resume' : 'fresh',
          ],
          { stdio: ['ignore', 'pipe', 'pipe'] },
        );
      const reference = await ended(start('reference', false));
      expect(reference.code, reference.stderr).toBe(0);
      const expected = JSON.parse(readFileSync(join(dir, 'reference-topics.json'), 'utf8'));
      const updates = Math.ceil(DOCUMENTS / BATCH);
      expect(expected.updates).toBe(updates);
      expect(expected.topics).toHaveLength(4 * TERMS);
      const expectedVersions = lines(join(dir, 'reference-versions.ndjson'));
      // One version per mini-batch, each counting the documents before it once.
      expect(expectedVersions).toEqual(
        Array.from({ length: updates }, (_, i) => ({
          version: i + 1,
          recordsSeen: Math.min(DOCUMENTS, (i + 1) * BATCH),
        })),
      );

      const { killed, last } = await withBusyCores(() =>
        killAndResume({
          start: (resume) => start('crashed', resume),
          checkpoints: join(dir, 'crashed-checkpoints'),
          kills: 4,
          seed: 18,
          maxCheckpoints: 6,
          maxDelayMs: 10,
        }),
      );
      expect(killed).toBe(4);
      expect(last.code, last.stderr).toBe(0);
      const crashed = JSON.parse(readFileSync(join(dir, 'crashed-topics.json'), 'utf8'));
      expect(crashed.resumed).toBe(true);
      expect(crashed.updates).toBe(updates);
      expect(crashed.topics).toEqual(expected.topics);
      expect(lines(join(dir, 'crashed-versions.ndjson'))).toEqual(expectedVersions);

      // Resuming the finished fit reads nothing again and gives the same topics.
      const again = await ended(start('crashed', true));
      expect(again.code, again.stderr).toBe(0);
      const restored = JSON.parse(readFileSync(join(dir, 'crashed-topics.json'), 'utf8'));
      expect(restored).toEqual({ ...crashed, alreadyComplete: true });
      expect(lines(join(dir, 'crashed-versions.ndjson'))).toEqual(expectedVersions);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000); // several child processes: generous on a loaded 2-core machine
});
