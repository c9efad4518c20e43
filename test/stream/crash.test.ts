/**
 * Crash tests of the stream layer: a checkpointed job run as a child process (see
 * fixtures/stream-crash-program.mjs) is SIGKILLed at seeded random points, several times in a
 * row, while two other processes load both cores, and resumed each time; what it wrote must be
 * what an uninterrupted run writes, every record, timer and side-output record exactly once.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { random } from '../../src/core/random.js';
import { ended, killAndResume, withBusyCores } from '../helpers/crash.js';

const program = fileURLToPath(new URL('./fixtures/stream-crash-program.mjs', import.meta.url));

function lines(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as string);
}

function writeNdjson(path: string, records: readonly object[]): void {
  writeFileSync(path, `${records.map((r) => JSON.stringify(r)).join('\n')}\n`);
}

/** Runs `mode` once uninterrupted in `reference/` and killed and resumed in `crashed/` (same inputs). */
async function runBoth(mode: 'union' | 'timers', write: (dir: string) => void, seed: number) {
  expect(existsSync('dist/src/stream/index.js'), 'dist/ is missing: run npm run build').toBe(true);
  const root = mkdtempSync(join(tmpdir(), `eddy-stream-crash-${mode}-`));
  const dirs = { reference: join(root, 'reference'), crashed: join(root, 'crashed') };
  for (const dir of Object.values(dirs)) {
    mkdirSync(dir);
    write(dir);
  }
  const start = (dir: string, resume: boolean) =>
    spawn(process.execPath, [program, mode, dir, resume ? 'resume' : 'fresh'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  const reference = await ended(start(dirs.reference, false));
  expect(reference.code, reference.stderr).toBe(0);
  const { killed, last } = await withBusyCores(() =>
    killAndResume({
      start: (resume) => start(dirs.crashed, resume),
      checkpoints: join(dirs.crashed, 'checkpoints'),
      kills: 4,
      seed,
      maxCheckpoints: 8,
      maxDelayMs: 10,
    }),
  );
  expect(killed).toBe(4);
  expect(last.code, last.stderr).toBe(0);
  return dirs;
}

describe('stream jobs killed and resumed under load', () => {
  it('a union of two file sources counts every record of each exactly once', async () => {
    const rng = random('union-crash');
    const records = (src: string, n: number) =>
      Array.from({ length: n }, (_, id) => ({ src, id, key: `k${rng.integer(0, 10)}` }));
    const a = records('a', 3000);
    const b = records('b', 5000);
    const dirs = await runBoth(
      'union',
      (dir) => {
        writeNdjson(join(dir, 'a.ndjson'), a);
        writeNdjson(join(dir, 'b.ndjson'), b);
      },
      31,
    );
    const out = lines(join(dirs.crashed, 'out.ndjson'));
    const ids = out.map((line) => line.split(' ')[0]);
    // Every record of both sources once (the two sources interleave differently from run to run).
    expect(ids.sort()).toEqual([...a.map((r) => `a${r.id}`), ...b.map((r) => `b${r.id}`)].sort());
    expect(lines(join(dirs.reference, 'out.ndjson'))).toHaveLength(8000);
    // The per-key counts are 1..n: the state counted each record once too.
    const keyOf = new Map([...a, ...b].map((r) => [`${r.src}${r.id}`, r.key]));
    const counts = new Map<string, number[]>();
    for (const line of out) {
      const [id, count] = line.split(' ');
      const key = keyOf.get(id)!;
      counts.set(key, [...(counts.get(key) ?? []), Number(count)]);
    }
    for (const list of counts.values()) {
      expect(list.sort((x, y) => x - y)).toEqual(Array.from({ length: list.length }, (_, i) => i + 1));
    }
  }, 180_000);

  it('event-time and processing-time timers fire once, side-output records are written once', async () => {
    const rng = random('timers-crash');
    const events = Array.from({ length: 4000 }, (_, id) => ({
      id,
      key: `k${rng.integer(0, 5)}`,
      time: id * 5,
    }));
    const dirs = await runBoth('timers', (dir) => writeNdjson(join(dir, 'events.ndjson'), events), 32);
    const expected = lines(join(dirs.reference, 'out.ndjson'));
    const expectedSide = lines(join(dirs.reference, 'side.ndjson'));
    const kinds = (all: string[], kind: string) => all.filter((line) => line.startsWith(kind)).length;
    expect(kinds(expected, 'record')).toBe(4000);
    expect(kinds(expected, 'event')).toBeGreaterThan(500);
    expect(kinds(expected, 'processing')).toBeGreaterThan(500);
    expect(kinds(expectedSide, 'processing')).toBe(kinds(expected, 'processing'));
    // Each timer once in the reference itself: one per key and time.
    expect(new Set(expected).size).toBe(expected.length);
    expect(lines(join(dirs.crashed, 'out.ndjson'))).toEqual(expected);
    expect(lines(join(dirs.crashed, 'side.ndjson'))).toEqual(expectedSide);
  }, 180_000);
});
