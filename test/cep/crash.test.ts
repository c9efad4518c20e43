/**
 * The crash test of exactly-once CEP: a child process running a checkpointed keyed CEP job
 * (see fixtures/cep-crash-program.mjs) is SIGKILLed at seeded random points, several times in
 * a row, while two other processes load both cores, and resumed each time. Its matches and
 * timed-out partial matches equal an uninterrupted run's: every one emitted exactly once.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { random } from '../../src/core/random.js';
import { ended, killAndResume, withBusyCores } from '../helpers/crash.js';

const program = fileURLToPath(new URL('./fixtures/cep-crash-program.mjs', import.meta.url));
const EVENTS = 6_000;

function lines(path: string): unknown[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line));
}

describe('a checkpointed CEP job, killed and resumed under load', () => {
  it('emits every match and every timed-out partial match exactly once', async () => {
    expect(existsSync('dist/src/cep/index.js'), 'dist/ is missing: run npm run build').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'eddy-cep-crash-'));
    const input = join(dir, 'events.ndjson');
    const rng = random('cep-crash');
    const events = Array.from({ length: EVENTS }, (_, id) => ({
      id,
      card: `c${rng.integer(0, 25)}`,
      // Out of order by up to 30 ms, as the watermark allows.
      time: id * 5 + rng.integer(0, 30),
      amount: rng.uniform() < 0.3 ? rng.integer(1, 10) : rng.integer(10, 1000),
    }));
    writeFileSync(input, `${events.map((e) => JSON.stringify(e)).join('\n')}\n`);
    const start = (name: string, resume: boolean) =>
      spawn(
        process.execPath,
        [
          program,
          input,
          join(dir, `${name}-checkpoints`),
          join(dir, `${name}.ndjson`),
          join(dir, `${name}-timeouts.ndjson`),
          resume ? 'resume' : 'fresh',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
    const reference = await ended(start('reference', false));
    expect(reference.code, reference.stderr).toBe(0);
    const expectedMatches = lines(join(dir, 'reference.ndjson'));
    const expectedTimeouts = lines(join(dir, 'reference-timeouts.ndjson'));
    expect(expectedMatches.length).toBeGreaterThan(100);
    expect(expectedTimeouts.length).toBeGreaterThan(100);

    const { killed, last } = await withBusyCores(() =>
      killAndResume({
        start: (resume) => start('crashed', resume),
        checkpoints: join(dir, 'crashed-checkpoints'),
        kills: 4,
        seed: 21,
        maxCheckpoints: 6,
        maxDelayMs: 8,
      }),
    );
    expect(killed).toBe(4);
    expect(last.code, last.stderr).toBe(0);
    expect(lines(join(dir, 'crashed.ndjson'))).toEqual(expectedMatches);
    expect(lines(join(dir, 'crashed-timeouts.ndjson'))).toEqual(expectedTimeouts);
  }, 120_000);
});
