/**
 * Issue 22: at R-MAT scale 25, `eddy pagerank` at its default parallelism waited forever once
 * a worker thread had failed. Here every worker of the command fails on purpose (exits, throws
 * an uncaught error, or runs out of heap; through the test preload fixtures/worker-faults.mjs)
 * while it reads the file (its first task) or during the rounds (a later one): the command
 * must end at once with exit code 1 and a one-line message, never wait.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = 'dist/src/cli/bin.js';
const faults = new URL('./fixtures/worker-faults.mjs', import.meta.url).pathname;
const directory = mkdtempSync(join(tmpdir(), 'eddy-worker-failures-'));
// Above the 8 MiB from which the file is parsed on several threads.
const edges = join(directory, 'rmat16.tsv');

beforeAll(() => {
  expect(existsSync(bin), 'dist/ is missing: run npm run build').toBe(true);
  const generated = spawnSync('node', [bin, 'generate', 'rmat', '--scale', '16', '--output', edges]);
  expect(generated.status).toBe(0);
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function pagerank(fault: string, task: number) {
  return spawnSync(
    'node',
    ['--import', faults, bin, 'pagerank', edges, '--max-iterations', '30', '--tolerance', '0', '--top', '3'],
    {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, EDDY_TEST_WORKER_FAULT: fault, EDDY_TEST_WORKER_FAULT_TASK: String(task) },
    },
  );
}

describe('eddy pagerank when a worker thread fails (default parallelism)', () => {
  it('runs on several threads without a fault (the baseline of the cases below)', () => {
    const run = spawnSync('node', [bin, 'pagerank', edges, '--top', '1', '--timings'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^0\t0\.0\d+\n$/);
  });

  for (const [fault, message] of [
    ['exit', 'the thread exited with code 7'],
    ['uncaught', 'injected failure'],
    ['oom', 'Worker terminated due to reaching memory limit: JS heap out of memory'],
  ]) {
    for (const [task, phase] of [
      [1, 'while reading'],
      [3, 'during the rounds'],
    ] as const) {
      it(`exits 1 with the worker's error when a worker fails (${fault}) ${phase}`, () => {
        const run = pagerank(fault, task);
        expect(run.error, 'the command did not end within 60 s').toBeUndefined();
        expect(run.status).toBe(1);
        expect(run.stdout).toBe('');
        expect(run.stderr).toMatch(
          new RegExp(`^eddy pagerank: a worker thread running \\S+#claimChunks failed: ${message}\\n`),
        );
        // A message, not a crash's stack trace.
        expect(run.stderr).not.toMatch(/\n\s+at /);
      });
    }
  }
});
