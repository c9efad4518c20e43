/**
 * `eddy convert` (issue 22): an edge list (plain or gzipped) into a binary graph file that
 * every graph command takes in place of the edge list, with the same output.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../algorithms/graph/fixtures.js';
import { runCli } from '../helpers/cli.js';
import { useTempDirectories } from '../helpers/temp-directory.js';

const tempDirectory = useTempDirectories();

const directory = tempDirectory('eddy-convert-');
const lesmis = fixturePath('lesmis.tsv');
const rmat = fixturePath('rmat.tsv');

describe('eddy convert', () => {
  it('writes a graph file that pagerank, components and triangles read like the edge list', async () => {
    const graph = join(directory, 'rmat.eddy');
    const converted = await runCli(['convert', rmat, graph, '--in-edges']);
    expect(converted).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(graph).toString('latin1', 0, 8)).toBe('EDDYGRPH');
    for (const command of [
      ['pagerank', '--tolerance', '1e-12', '--parallelism', '1'],
      ['pagerank', '--weighted', '--top', '10', '--parallelism', '2'],
      ['components'],
      ['triangles', '--count'],
      ['clustering-coefficient', '--average'],
    ]) {
      const fromText = await runCli([command[0], rmat, ...command.slice(1)]);
      const fromGraph = await runCli([command[0], graph, ...command.slice(1)]);
      expect(fromText.code, command.join(' ')).toBe(0);
      expect(fromGraph.stderr, command.join(' ')).toBe('');
      if (command[0] === 'pagerank') {
        // The graph file's edges come in CSR order, so sums may differ in the last bits.
        const scores = (run: { stdout: string }) =>
          new Map(
            run.stdout
              .trimEnd()
              .split('\n')
              .map((line) => line.split('\t') as [string, string]),
          );
        const [a, b] = [scores(fromText), scores(fromGraph)];
        expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
        for (const [key, score] of a)
          expect(Math.abs(Number(b.get(key)) - Number(score))).toBeLessThan(1e-15);
      } else {
        expect(fromGraph.stdout, command.join(' ')).toBe(fromText.stdout);
      }
    }
  });

  it('--reorder stores the vertices in another order; results keep the keys as read', async () => {
    const lines = (run: { stdout: string }) => run.stdout.trimEnd().split('\n').sort();
    const scores = (run: { stdout: string }) =>
      new Map(lines(run).map((line) => line.split('\t') as [string, string]));
    for (const [fixture, order] of [
      [rmat, 'degree'],
      [rmat, 'bfs'],
      [lesmis, 'degree'],
    ]) {
      const graph = join(directory, `reordered-${order}.eddy`);
      expect((await runCli(['convert', fixture, graph, '--reorder', order, '--in-edges'])).code).toBe(0);
      expect(readFileSync(graph).readUInt32LE(12) & 16).toBe(fixture === rmat ? 16 : 0);
      // Components keep the smallest number key of each component as its label, whatever the
      // ids; string keys are labelled by a member that comes first in the file's order, so
      // only the partition is the same.
      const [plain, reordered] = [await runCli(['components', fixture]), await runCli(['components', graph])];
      expect(reordered.code).toBe(0);
      if (fixture === rmat) {
        expect(lines(reordered)).toEqual(lines(plain));
        const gsa = await runCli(['components', graph, '--algorithm', 'gather-sum-apply']);
        expect(lines(gsa)).toEqual(lines(plain));
      }
      const partition = (run: { stdout: string }) => {
        const groups = new Map<string, string[]>();
        for (const [key, label] of scores(run)) groups.set(label, [...(groups.get(label) ?? []), key]);
        return [...groups.values()].map((keys) => keys.sort().join(' ')).sort();
      };
      expect(partition(reordered)).toEqual(partition(plain));
      for (const extra of [
        ['--parallelism', '1'],
        ['--parallelism', '2', '--weighted'],
      ]) {
        const args = ['--tolerance', '0', '--max-iterations', '20', ...extra];
        const [a, b] = [
          scores(await runCli(['pagerank', fixture, ...args])),
          scores(await runCli(['pagerank', graph, ...args])),
        ];
        expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
        // Sums over in-edges in another order: equal to the last bits.
        for (const [key, score] of a)
          expect(Math.abs(Number(b.get(key)) - Number(score))).toBeLessThan(1e-15);
      }
      // Looking a vertex up by key finds it in the new order (sssp from a source key).
      const source = fixture === rmat ? '5' : 'Valjean';
      const [d1, d2] = [
        await runCli(['sssp', fixture, '--source', source]),
        await runCli(['sssp', graph, '--source', source]),
      ];
      expect(d2.code).toBe(0);
      expect(lines(d2)).toEqual(lines(d1));
    }
    expect((await runCli(['convert', rmat, join(directory, 'x.eddy'), '--reorder', 'hilbert'])).code).toBe(2);
  });

  it('pagerank uses a stored in-edge index: the same scores as without one, to the bit', async () => {
    const [withIndex, without] = [join(directory, 'with.eddy'), join(directory, 'without.eddy')];
    expect((await runCli(['convert', rmat, withIndex, '--in-edges'])).code).toBe(0);
    expect((await runCli(['convert', rmat, without])).code).toBe(0);
    for (const extra of [[], ['--weighted'], ['--parallelism', '2']]) {
      const a = await runCli(['pagerank', withIndex, '--tolerance', '0', '--max-iterations', '30', ...extra]);
      const b = await runCli(['pagerank', without, '--tolerance', '0', '--max-iterations', '30', ...extra]);
      expect(a.code).toBe(0);
      expect(a.stdout).toBe(b.stdout);
    }
  });

  it('keeps string keys and weights, and reads a gzipped edge list', async () => {
    const gz = join(directory, 'lesmis.tsv.gz');
    writeFileSync(gz, gzipSync(readFileSync(lesmis)));
    const graph = join(directory, 'lesmis.eddy');
    expect((await runCli(['convert', gz, graph])).code).toBe(0);
    const args = ['sssp', '--source', 'Valjean', '--weighted'];
    const fromGraph = await runCli([args[0], graph, ...args.slice(1)]);
    expect(fromGraph.code).toBe(0);
    expect(fromGraph.stdout).toBe((await runCli([args[0], lesmis, ...args.slice(1)])).stdout);
  });

  it('reports a damaged graph file and an unwritable output with exit 1 and the path', async () => {
    const graph = join(directory, 'cut.eddy');
    expect((await runCli(['convert', lesmis, graph])).code).toBe(0);
    writeFileSync(graph, readFileSync(graph).subarray(0, 300));
    const damaged = await runCli(['pagerank', graph]);
    expect(damaged.code).toBe(1);
    expect(damaged.stderr).toMatch(new RegExp(`^eddy pagerank: ${graph}: truncated graph file`));
    const unwritable = await runCli(['convert', lesmis, join(directory, 'no', 'dir', 'x.eddy')]);
    expect(unwritable.code).toBe(1);
    expect(unwritable.stderr).toMatch(/no\/dir\/x\.eddy/);
    expect((await runCli(['convert', lesmis])).code).toBe(2);
  });
});

describe('--delimiter', () => {
  it('reads an edge list with any one-character delimiter; a bad one is a usage error', async () => {
    const text = readFileSync(lesmis, 'utf8').replaceAll('\t', '|');
    const run = await runCli(['pagerank', '-', '--delimiter', '|', '--top', '3'], { stdin: text });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe((await runCli(['pagerank', lesmis, '--top', '3'])).stdout);
    const graph = join(directory, 'piped.eddy');
    expect((await runCli(['convert', '-', graph, '--delimiter', '|'], { stdin: text })).code).toBe(0);
    // (In CSR order the sums may differ in the last bits: the keys are compared.)
    const keys = (stdout: string) => stdout.split('\n').map((line) => line.split('\t')[0]);
    expect(keys((await runCli(['pagerank', graph, '--top', '3'])).stdout)).toEqual(keys(run.stdout));
    const bad = await runCli(['pagerank', '-', '--delimiter', 'ab'], { stdin: text });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/delimiter/);
  });
});
