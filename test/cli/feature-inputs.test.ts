import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runCli } from '../helpers/cli.js';
import { mlFixturePath } from '../helpers/ml-fixtures.js';

const directory = mkdtempSync(join(tmpdir(), 'eddy-feature-inputs-'));
const iris = mlFixturePath('iris.csv');
const kmeans = (input: string) => ['kmeans', input, '--k', '3', '--seed', '1', '--ignore', 'species', '-q'];

describe('feature files: gzip, pipes', () => {
  it('reads gzip CSV by its .gz name, by its magic bytes, and on stdin, as the plain file', async () => {
    const plain = await runCli(kmeans(iris));
    expect(plain.code).toBe(0);
    const compressed = gzipSync(readFileSync(iris));
    writeFileSync(join(directory, 'iris.csv.gz'), compressed);
    writeFileSync(join(directory, 'iris-unnamed.csv'), compressed);
    for (const input of ['iris.csv.gz', 'iris-unnamed.csv']) {
      const run = await runCli(kmeans(join(directory, input)));
      expect(run.stderr, input).toBe('');
      expect(run.stdout, input).toBe(plain.stdout);
    }
    // Through main, so that stdin carries the bytes (runCli feeds text).
    const stdin = new PassThrough();
    stdin.end(compressed);
    const stdout = new PassThrough();
    const out: Buffer[] = [];
    stdout.on('data', (chunk: Buffer) => out.push(chunk));
    const code = await main(kmeans('-'), { stdin, stdout, stderr: new PassThrough() });
    expect(code).toBe(0);
    expect(Buffer.concat(out).toString()).toBe(plain.stdout);
  });

  it('reads a gzip Arrow file (.arrow.gz) and predicts on gzip CSV', async () => {
    const table = tableFromArrays({
      a: Float64Array.from([0, 0.1, 9, 9.1]),
      b: Float64Array.from([0, 0.2, 9, 9.2]),
    });
    const arrowGz = join(directory, 'points.arrow.gz');
    writeFileSync(arrowGz, gzipSync(tableToIPC(table, 'file')));
    const model = join(directory, 'model.json');
    const run = await runCli(['kmeans', arrowGz, '--k', '2', '--seed', '1', '--model', model, '-q']);
    expect(run.code, run.stderr).toBe(0);
    const clusters = run.stdout.trim().split('\n').slice(1);
    expect(clusters[0]).toBe(clusters[1]);
    expect(clusters[2]).toBe(clusters[3]);
    expect(clusters[0]).not.toBe(clusters[2]);
    const csvGz = join(directory, 'points.csv.gz');
    writeFileSync(csvGz, gzipSync('a,b\n0,0.1\n9,9\n'));
    const predicted = await runCli(['predict', '--model', model, csvGz, '-q']);
    expect(predicted.stdout.trim().split('\n')).toEqual(['prediction', clusters[0], clusters[2]]);
  });

  it('a corrupt gzip file is one line naming it (exit 1)', async () => {
    const bad = join(directory, 'bad.csv.gz');
    writeFileSync(bad, gzipSync(readFileSync(iris)).subarray(0, 200));
    const run = await runCli(kmeans(bad));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/bad\.csv\.gz: cannot decompress gzip input/);
  });

  it('reads a named pipe (which cannot seek) as a stream', async () => {
    const fifo = join(directory, 'pipe.csv');
    execFileSync('mkfifo', [fifo]);
    const writer = import('node:fs/promises').then((fs) => fs.writeFile(fifo, readFileSync(iris)));
    const run = await runCli(kmeans(fifo));
    await writer;
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe((await runCli(kmeans(iris))).stdout);
  });
});
