/**
 * The crash test: `eddy kmeans --stream` with checkpoints is killed with SIGKILL at seeded
 * random points, several times in a row, while two other processes load both cores, and
 * resumed each time; the result must equal an uninterrupted run's, with every input index
 * exactly once in the committed output. Then: resuming the completed job says so, and a resume
 * with another output is refused.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { random } from '../../src/core/random.js';
import { killAndResume, withBusyCores } from '../helpers/crash.js';
import { useTempDirectories } from '../helpers/temp-directory.js';

const tempDirectory = useTempDirectories();

const BIN = 'dist/src/cli/bin.js';
// Room for three kills of up to 8 checkpoints of 200 records each, with most of the stream left
// over: with 5,000 points the last kill could come after the job had ended on a loaded machine.
const POINTS = 20_000;
const INVALID = new Set([777, 2_501, 4_998]);

function writeInput(path: string): void {
  const rng = random('crash-input');
  const centres = Array.from({ length: 5 }, () => Array.from({ length: 6 }, () => rng.uniformIn(-10, 10)));
  const lines: string[] = [];
  for (let i = 0; i < POINTS; i++) {
    if (INVALID.has(i)) {
      lines.push('[1, 2, "three"]');
      continue;
    }
    const centre = centres[rng.integer(0, centres.length)];
    lines.push(JSON.stringify(centre.map((x) => x + rng.normal(0, 1))));
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

function args(dir: string, input: string, name: string, resume = false): string[] {
  return [
    BIN,
    'kmeans',
    '--stream',
    input,
    '--k',
    '5',
    '--batch-size',
    '100',
    '--half-life',
    '20',
    '--seed',
    '3',
    '--skip-invalid',
    '--output',
    join(dir, `${name}.ndjson`),
    '--model',
    join(dir, `${name}.json`),
    '--checkpoint-dir',
    join(dir, `${name}-checkpoints`),
    '--checkpoint-interval',
    '200',
    ...(resume ? ['--resume'] : []),
  ];
}

describe('kmeans --stream crash and resume', () => {
  it('a run killed with SIGKILL and resumed equals an uninterrupted run, each index exactly once', async () => {
    expect(existsSync(BIN), 'dist/ is missing: run npm run build').toBe(true);
    const dir = tempDirectory('eddy-crash-');
    const input = join(dir, 'points.ndjson');
    writeInput(input);

    const clean = spawnSync('node', args(dir, input, 'clean'), { encoding: 'utf8' });
    expect(clean.status, clean.stderr).toBe(0);
    expect(clean.stderr).toMatch(/skipped 3 invalid lines/);
    const expectedModel = JSON.parse(readFileSync(join(dir, 'clean.json'), 'utf8'));
    const expectedOutput = readFileSync(join(dir, 'clean.ndjson'), 'utf8');
    const valid = Array.from({ length: POINTS }, (_, i) => i).filter((i) => !INVALID.has(i));
    expect(
      expectedOutput
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).index),
    ).toEqual(valid);

    const name = 'crashed';
    const { killed, last } = await withBusyCores(() =>
      killAndResume({
        start: (resume) =>
          spawn('node', args(dir, input, name, resume), { stdio: ['ignore', 'pipe', 'pipe'] }),
        checkpoints: join(dir, `${name}-checkpoints`),
        kills: 3,
        seed: 2024,
        maxCheckpoints: 8,
        maxDelayMs: 15,
      }),
    );
    expect(killed).toBe(3);
    expect(last.code, last.stderr).toBe(0);
    expect(last.stderr).toMatch(/skipped 3 invalid lines/);
    const model = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8'));
    expect(model).toEqual(expectedModel);
    const output = readFileSync(join(dir, `${name}.ndjson`), 'utf8');
    expect(output).toBe(expectedOutput);

    const again = spawnSync('node', args(dir, input, name, true), { encoding: 'utf8' });
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/had already completed; nothing was read again/);
    expect(JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8'))).toEqual(expectedModel);
    expect(readFileSync(join(dir, `${name}.ndjson`), 'utf8')).toBe(expectedOutput);

    // The output is part of the job: resuming with another one is refused; with none, the
    // assignments would go to stdout, which --checkpoint-dir refuses before reading anything.
    const resumeArgs = args(dir, input, name, true);
    const outputAt = resumeArgs.indexOf('--output');
    const otherOutput = resumeArgs.with(outputAt + 1, join(dir, 'other.ndjson'));
    const noOutput = resumeArgs.filter((_, i) => i !== outputAt && i !== outputAt + 1);
    const refused = spawnSync('node', otherOutput, { encoding: 'utf8' });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/cannot resume: a checkpoint of another output/);
    const withoutOutput = spawnSync('node', noOutput, { encoding: 'utf8' });
    expect(withoutOutput.status).toBe(2);
    expect(withoutOutput.stderr).toMatch(/give --output FILE with --checkpoint-dir/);
  }, 120_000); // several child processes: generous on a loaded 2-core machine
});
