import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { fixturePath, references } from '../algorithms/graph/fixtures.js';
import { runCli } from '../helpers/cli.js';

const lesmis = fixturePath('lesmis.tsv');
const bin = 'dist/src/cli/bin.js';

describe('eddy pagerank', () => {
  it('prints key<TAB>score for every vertex, keys as written, matching networkx', async () => {
    const run = await runCli(['pagerank', lesmis, '--tolerance', '1e-12', '--max-iterations', '500']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const expected = references('lesmis').pagerank;
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(Object.keys(expected).length);
    for (const line of lines) {
      const [key, score] = line.split('\t');
      expect(Math.abs(Number(score) - expected[key])).toBeLessThan(1e-9);
    }
  });

  it('--top N prints the N highest, highest first; --weighted uses the weights', async () => {
    const expected = references('lesmis').pagerankWeighted;
    const best = Object.entries<number>(expected)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([key]) => key);
    const run = await runCli(['pagerank', lesmis, '--weighted', '--top', '5', '--tolerance', '1e-12']);
    expect(
      run.stdout
        .trimEnd()
        .split('\n')
        .map((line) => line.split('\t')[0]),
    ).toEqual(best);
  });

  it('reads stdin with -, and writes Arrow IPC to an .arrow output', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'eddy-pagerank-'));
    const output = join(directory, 'ranks.arrow');
    const run = await runCli(['pagerank', '-', '--output', output], { stdin: 'x y\ny z\nz x\n' });
    expect(run.code).toBe(0);
    const table = tableFromIPC(readFileSync(output));
    expect(table.getChild('vertex')!.toArray()).toEqual(['x', 'y', 'z']);
    for (const score of table.getChild('score')!.toArray()) expect(score).toBeCloseTo(1 / 3, 12);
  });

  it('prints nothing for an empty graph', async () => {
    const run = await runCli(['pagerank', '-'], { stdin: '# no edges\n' });
    expect(run).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('gives one-line errors with non-zero exit codes for a new user’s mistakes', async () => {
    const wrongOption = await runCli(['pagerank', lesmis, '--dampingfactor', '0.8']);
    expect(wrongOption.code).toBe(2);
    expect(wrongOption.stderr).toMatch(/^eddy pagerank: unknown option '--dampingfactor'.*\n$/);
    const badValue = await runCli(['pagerank', lesmis, '--damping-factor', '2']);
    expect(badValue.code).toBe(2);
    expect(badValue.stderr).toMatch(/--damping-factor must be at most 1/);
    const missing = await runCli(['pagerank', 'no/such/edges.tsv']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      'eddy pagerank: no/such/edges.tsv: no such file: expected an edge-list file (or - for stdin)\n',
    );
    const directory = mkdtempSync(join(tmpdir(), 'eddy-pagerank-'));
    const malformed = join(directory, 'bad.tsv');
    writeFileSync(malformed, '1\t2\n2\t3\n3\n');
    const bad = await runCli(['pagerank', malformed]);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/bad\.tsv:3:2: too few columns \(1\): got "3", expected 2 or 3 columns/);
    const skipped = await runCli(['pagerank', malformed, '--skip-invalid']);
    expect(skipped.code).toBe(0);
    expect(skipped.stdout.trimEnd().split('\n')).toHaveLength(3);
    expect(skipped.stderr).toMatch(/skipped 1 malformed line.*bad\.tsv:3/);
    const unweighted = await runCli(['pagerank', '-', '--weighted'], { stdin: '1 2\n' });
    expect(unweighted.code).toBe(1);
    expect(unweighted.stderr).toMatch(
      /<stdin>:1:4: too few columns \(2\).*expected 3 columns \(source, target, weight\)/,
    );
  });
});

describe('eddy pagerank: edge-list inputs', () => {
  it('--header takes a header of string-id files, which auto-detection cannot tell from an edge', async () => {
    const text = 'source,target\na,b\nb,c\nc,a\n';
    const detected = await runCli(['pagerank', '-'], { stdin: text });
    // Two lines of words: without --header the first is an edge (a source and a target vertex).
    expect(detected.stdout).toMatch(/^source\t/m);
    const declared = await runCli(['pagerank', '-', '--header'], { stdin: text });
    expect(declared.code).toBe(0);
    expect(
      declared.stdout
        .trimEnd()
        .split('\n')
        .map((line) => line.split('\t')[0]),
    ).toEqual(['a', 'b', 'c']);
  });

  it('reads a named pipe and /dev/stdin (which cannot seek) as it reads the file', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'eddy-pagerank-'));
    const file = join(directory, 'edges.tsv');
    writeFileSync(file, 'x\ty\ny\tz\nz\tx\nx\tz\n');
    const expected = await runCli(['pagerank', file]);
    expect(expected.code).toBe(0);
    const fifo = join(directory, 'edges.fifo');
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', 'cat "$0" > "$1"', file, fifo]);
    const written = new Promise((resolve) => writer.on('exit', resolve));
    const fromFifo = await runCli(['pagerank', fifo, '--parallelism', '2']);
    await written;
    expect(fromFifo).toEqual(expected);
    expect(existsSync(bin), 'dist/ is missing: run npm run build').toBe(true);
    const fromStdin = spawnSync('node', [bin, 'pagerank', '/dev/stdin'], {
      input: readFileSync(file),
      encoding: 'utf8',
    });
    expect({ code: fromStdin.status, stdout: fromStdin.stdout, stderr: fromStdin.stderr }).toEqual(expected);
    const substituted = spawnSync('bash', ['-c', 'node "$0" pagerank <(cat "$1")', bin, file], {
      encoding: 'utf8',
    });
    expect({ code: substituted.status, stdout: substituted.stdout, stderr: substituted.stderr }).toEqual(
      expected,
    );
  });

  it('stops at an endless line with a clear error instead of growing without bound', async () => {
    const run = await runCli(['pagerank', '/dev/zero']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'eddy pagerank: /dev/zero:1: line longer than 16777216 bytes: expected lines of text ending in a line feed (is this a text edge list?)\n',
    );
  });

  it('reads a .gz edge list (by name, or by its magic bytes on stdin) as the plain file', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'eddy-pagerank-'));
    const plain = await runCli(['pagerank', lesmis, '--weighted']);
    const compressed = gzipSync(readFileSync(lesmis));
    const gz = join(directory, 'lesmis.tsv.gz');
    writeFileSync(gz, compressed);
    expect(await runCli(['pagerank', gz, '--weighted'])).toEqual(plain);
    const unnamed = join(directory, 'lesmis.data');
    writeFileSync(unnamed, compressed);
    expect(await runCli(['pagerank', unnamed, '--weighted'])).toEqual(plain);
    const fromStdin = spawnSync('node', [bin, 'pagerank', '-', '--weighted'], {
      input: compressed,
      encoding: 'utf8',
    });
    expect({ code: fromStdin.status, stdout: fromStdin.stdout, stderr: fromStdin.stderr }).toEqual(plain);
    const corrupt = join(directory, 'corrupt.tsv.gz');
    writeFileSync(corrupt, Buffer.concat([compressed.subarray(0, 10), Buffer.from('not gzip at all')]));
    const bad = await runCli(['pagerank', corrupt]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^eddy pagerank: .*corrupt\.tsv\.gz: cannot decompress gzip input/);
  });

  it('--columns picks source, target and weight of a wider file; a bad list is a usage error', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'eddy-pagerank-'));
    const lines = readFileSync(lesmis, 'utf8')
      .trimEnd()
      .split('\n')
      .filter((line) => !line.startsWith('#'));
    const wide = join(directory, 'wide.tsv');
    // Target, a time, the weight, the source.
    writeFileSync(
      wide,
      lines
        .map((line) => line.split('\t'))
        .map(([s, t, w]) => `${t}\t7\t${w}\t${s}\n`)
        .join(''),
    );
    const plain = await runCli(['pagerank', lesmis, '--weighted']);
    expect(await runCli(['pagerank', wide, '--weighted', '--columns', '4,1,3'])).toEqual(plain);
    const bad = await runCli(['pagerank', wide, '--columns', '1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--columns must be S,T or S,T,W/);
  });
});
