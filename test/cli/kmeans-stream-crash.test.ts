/**
 * The crash test: `eddy kmeans --stream` with checkpoints is killed with SIGKILL at a seeded
 * random point and resumed; the result must equal an uninterrupted run's, with every input
 * index exactly once in the committed output.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { random } from '../../src/core/random.js';

const BIN = 'dist/src/cli/bin.js';
const POINTS = 10_000;
const INVALID = new Set([777, 5_001, 9_998]);

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

function latestCheckpoint(directory: string): number {
  if (!existsSync(directory)) return 0;
  const ids = readdirSync(directory)
    .map((name) => /^checkpoint-(\d+)\.json$/.exec(name))
    .filter((match) => match !== null)
    .map((match) => Number(match![1]));
  return ids.length === 0 ? 0 : Math.max(...ids);
}

/** Starts a run and SIGKILLs it once `checkpoints` checkpoints exist plus `delayMs`. */
function runAndKill(dir: string, input: string, name: string, checkpoints: number, delayMs: number) {
  return new Promise<NodeJS.Signals | null>((resolve) => {
    const child = spawn('node', args(dir, input, name), { stdio: 'ignore' });
    const poll = setInterval(() => {
      if (latestCheckpoint(join(dir, `${name}-checkpoints`)) >= checkpoints) {
        clearInterval(poll);
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    }, 2);
    child.on('exit', (_code, signal) => {
      clearInterval(poll);
      resolve(signal);
    });
  });
}

describe('kmeans-stream crash and resume', () => {
  it('a run killed with SIGKILL and resumed equals an uninterrupted run, each index exactly once', async () => {
    expect(existsSync(BIN), 'dist/ is missing: run npm run build').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'eddy-crash-'));
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

    const rng = random(2024);
    for (let attempt = 0; attempt < 2; attempt++) {
      const name = `crash${attempt}`;
      const signal = await runAndKill(dir, input, name, rng.integer(2, 30), rng.integer(0, 15));
      expect(signal).toBe('SIGKILL');
      expect(existsSync(join(dir, `${name}.ndjson`))).toBe(false);
      expect(existsSync(join(dir, `${name}.json`))).toBe(false);

      const resumed = spawnSync('node', args(dir, input, name, true), { encoding: 'utf8' });
      expect(resumed.status, resumed.stderr).toBe(0);
      expect(resumed.stderr).toMatch(/skipped 3 invalid lines/);
      const model = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8'));
      expect([model.version, model.recordsSeen]).toEqual([expectedModel.version, expectedModel.recordsSeen]);
      model.centroids.forEach((row: number[], c: number) => {
        for (let j = 0; j < row.length; j++) expect(row[j]).toBeCloseTo(expectedModel.centroids[c][j], 12);
      });
      for (let c = 0; c < model.weights.length; c++)
        expect(model.weights[c]).toBeCloseTo(expectedModel.weights[c], 9);
      const output = readFileSync(join(dir, `${name}.ndjson`), 'utf8');
      const indices = output
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).index);
      expect(indices).toEqual(valid);
      expect(output).toBe(expectedOutput);
    }
  });
});
