import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('eddy generate complete', () => {
  it('writes every ordered pair of distinct vertices, by source then target', async () => {
    const run = await runCli(['generate', 'complete', '--vertex-count', '4']);
    expect(run.code).toBe(0);
    const pairs: string[] = [];
    for (let v = 0; v < 4; v++) for (let u = 0; u < 4; u++) if (u !== v) pairs.push(`${v}\t${u}`);
    expect(run.stdout).toBe(`${pairs.join('\n')}\n`);
  });

  it('streams a graph far larger than memory (10^12 edges): its first lines come at once, and a closed pipe ends it', async () => {
    // The built command line, so that closing its stdout is a real closed pipe.
    const child = spawn(
      process.execPath,
      ['dist/src/cli/bin.js', 'generate', 'complete', '--vertex-count', '1000000'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let text = '';
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk) => {
        text += chunk;
        if (text.length > 2_000_000) {
          child.stdout.destroy();
          resolve();
        }
      });
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = text.split('\n').slice(0, 200_000);
    expect(lines.slice(0, 3)).toEqual(['0\t1', '0\t2', '0\t3']);
    expect(lines[199_999]).toBe('0\t200000');
  }, 60_000);
});
