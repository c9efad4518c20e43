/**
 * The crash test of exactly-once in the API: a child process running
 * `OnlineKMeans.fit(source, { checkpoint, resume })` is SIGKILLed at seeded random points,
 * several times in a row, while two other processes load both cores, and resumed each time.
 * The final model equals an uninterrupted fit's, every record counted once.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { OnlineKMeans } from '../../algorithms/ml/kmeans/online.js';
import { random } from '../../src/core/random.js';
import { ndjsonVectorSource } from '../../src/stream/sources.js';
import { killAndResume, withBusyCores } from '../helpers/crash.js';

const program = fileURLToPath(new URL('./fixtures/online-fit-program.mjs', import.meta.url));
/** The child's job (see the fixture), run here uninterrupted and without checkpoints. */
const JOB = { params: { k: 4, batchSize: 70, halfLife: 15, seed: 9 }, sourceBatch: 32 };
const POINTS = 4_000;

describe('OnlineKMeans.fit with checkpoints, killed and resumed under load', () => {
  it('ends with the model of an uninterrupted fit, every record counted once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eddy-fit-crash-'));
    const input = join(dir, 'points.ndjson');
    const rng = random('fit-crash');
    const lines = Array.from({ length: POINTS }, (_, i) =>
      JSON.stringify([rng.normal(i % 4, 0.5), rng.normal(0, 1), rng.uniformIn(-1, 1)]),
    );
    writeFileSync(input, `${lines.join('\n')}\n`);
    expect(existsSync('dist/algorithms/ml/kmeans/online.js'), 'dist/ is missing: run npm run build').toBe(
      true,
    );
    const reference = new OnlineKMeans(JOB.params);
    for await (const _ of reference.fit(ndjsonVectorSource(input, { batchSize: JOB.sourceBatch }))) {
    }
    const expected = reference.model!.toJSON();
    const checkpoints = join(dir, 'checkpoints');

    const { killed, last } = await withBusyCores(() =>
      killAndResume({
        start: (resume) =>
          spawn(process.execPath, [program, input, checkpoints, resume ? 'resume' : 'fresh'], {
            stdio: ['ignore', 'pipe', 'pipe'],
          }),
        checkpoints,
        kills: 3,
        seed: 15,
        maxCheckpoints: 4,
        maxDelayMs: 6,
      }),
    );
    expect(killed).toBe(3);
    expect(last.code, last.stderr).toBe(0);
    const output = last.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const { model } = output.pop();
    expect(model).toEqual(expected);
    expect(model.recordsSeen).toBe(POINTS);
    // The final run's versions continue where the restored checkpoint was, each record once.
    const indices = output.flatMap((version: { indices: number[] }) => version.indices);
    expect(indices.length).toBeGreaterThan(0);
    expect(indices).toEqual(Array.from({ length: indices.length }, (_, i) => POINTS - indices.length + i));
  }, 90_000);
});
