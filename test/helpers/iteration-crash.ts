/**
 * The crash test of checkpointed iterations (DataSet and graph alike): the program in
 * iteration-crash-program.mjs is SIGKILLed at seeded random points, three times in a row, while
 * two other processes load both cores, and resumed each time; its result must equal an
 * uninterrupted run's.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { killAndResume, withBusyCores } from './crash.js';

const program = fileURLToPath(new URL('./iteration-crash-program.mjs', import.meta.url));

/** Runs the crash test for one kind of iteration; returns the final run's output. */
export async function crashAndResumeIteration(kind: 'dataset' | 'graph', seed: number): Promise<unknown> {
  expect(existsSync('dist/src/dataset/index.js'), 'dist/ is missing: run npm run build').toBe(true);
  const reference = spawnSync(process.execPath, [program, kind, '-', 'fresh'], { encoding: 'utf8' });
  expect(reference.status, reference.stderr).toBe(0);
  const checkpoints = join(mkdtempSync(join(tmpdir(), `eddy-${kind}-crash-`)), 'checkpoints');
  const { killed, last } = await withBusyCores(() =>
    killAndResume({
      start: (resume) =>
        spawn(process.execPath, [program, kind, checkpoints, resume ? 'resume' : 'fresh'], {
          stdio: ['ignore', 'pipe', 'pipe'],
        }),
      checkpoints,
      kills: 3,
      seed,
      maxCheckpoints: 8,
      maxDelayMs: 10,
    }),
  );
  expect(killed).toBe(3);
  expect(last.code, last.stderr).toBe(0);
  const output = JSON.parse(last.stdout);
  const expected = JSON.parse(reference.stdout);
  return { output, expected };
}
