import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const directory = mkdtempSync(join(tmpdir(), 'eddy-corrupt-arrow-'));
const table = tableFromArrays({
  x: Float64Array.from({ length: 1000 }, (_, i) => i % 7),
  y: Float64Array.from({ length: 1000 }, (_, i) => i % 5),
});

/** Eight bytes of the first 300 inverted, at places drawn by a linear congruential generator. */
function garbled(bytes: Uint8Array, seed: number): Uint8Array {
  const copy = new Uint8Array(bytes);
  let r = seed * 7919 + 1;
  for (let i = 0; i < 8; i++) {
    r = (r * 1103515245 + 12345) % 2147483648;
    copy[r % 300] ^= 0xff;
  }
  return copy;
}

describe('a corrupted Arrow file is an error, never a spin', () => {
  // Before the metadata check, Arrow JS looped for minutes on these: seed 6 garbles the file
  // format's footer (kmeans and predict spun), seed 5 the stream's schema (kmeans --stream spun).
  const file = join(directory, 'garbled.arrow');
  writeFileSync(file, garbled(tableToIPC(table, 'file'), 6));
  const stream = join(directory, 'garbled.arrows');
  writeFileSync(stream, garbled(tableToIPC(table, 'stream'), 5));
  const truncatedFile = join(directory, 'truncated.arrow');
  writeFileSync(truncatedFile, tableToIPC(table, 'file').subarray(0, 8000));
  const truncatedStream = join(directory, 'truncated.arrows');
  writeFileSync(truncatedStream, tableToIPC(table, 'stream').subarray(0, 8000));
  const model = join(directory, 'model.json');
  writeFileSync(
    model,
    JSON.stringify({
      type: 'kmeans',
      centroids: [
        [0, 0],
        [5, 3],
      ],
    }),
  );

  for (const [name, args, message] of [
    [
      'kmeans',
      ['kmeans', file, '--k', '2'],
      /garbled\.arrow: corrupt Arrow IPC data \(message 0 at byte 8\)/,
    ],
    ['predict', ['predict', '--model', model, file], /garbled\.arrow: corrupt Arrow IPC data/],
    [
      'kmeans --stream',
      ['kmeans', '--stream', stream, '--k', '2'],
      /garbled\.arrows: corrupt Arrow IPC data \(message 0 at byte 0\)/,
    ],
    [
      'kmeans, truncated',
      ['kmeans', truncatedFile, '--k', '2'],
      /truncated\.arrow: corrupt Arrow IPC data \(no ARROW1 at the end of the file\)/,
    ],
    [
      'kmeans --stream, truncated',
      ['kmeans', '--stream', truncatedStream, '--k', '2'],
      /truncated\.arrows: corrupt Arrow IPC data \(message 1 at byte 176: its body ends past the data\)/,
    ],
  ] as const) {
    it(`${name}: exit 1 with one line naming the file`, async () => {
      const run = await runCli([...args, '-q']);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stdout).toBe('');
    });
  }
});
