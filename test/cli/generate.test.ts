import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('eddy generate', () => {
  it('writes a generator as a tab-separated edge list on stdout', async () => {
    const run = await runCli(['generate', 'cycle', '--vertex-count', '3']);
    expect(run).toEqual({ code: 0, stdout: '0\t1\n0\t2\n1\t0\n1\t2\n2\t0\n2\t1\n', stderr: '' });
    const grid = await runCli(['generate', 'grid', '--dimensions', '2x2']);
    expect(grid.stdout.split('\n').filter(Boolean)).toHaveLength(8);
  });

  it('writes R-MAT to a file, the same for the same seed', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'eddy-generate-'));
    const first = join(directory, 'a.tsv');
    const second = join(directory, 'b.tsv');
    for (const output of [first, second]) {
      const run = await runCli([
        'generate',
        'rmat',
        '--scale',
        '8',
        '--edge-factor',
        '4',
        '--seed',
        '3',
        '--output',
        output,
      ]);
      expect(run.code).toBe(0);
    }
    const text = readFileSync(first, 'utf8');
    expect(text.split('\n').filter(Boolean)).toHaveLength(1024);
    expect(readFileSync(second, 'utf8')).toBe(text);
  });

  it('rejects unknown generators and missing options with exit code 2', async () => {
    const unknown = await runCli(['generate', 'lattice']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown generator 'lattice'/);
    const missing = await runCli(['generate', 'star']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/needs --vertex-count/);
    const bad = await runCli(['generate', 'echo', '--vertex-count', '10', '--vertex-degree', '4']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/vertexDegree/);
  });
});
