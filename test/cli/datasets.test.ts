import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const root = resolve(import.meta.dirname, '../..');

describe('eddy datasets', () => {
  it('list writes a header and one line per data set', async () => {
    const run = await runCli(['datasets', 'list']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('name\tkind\tsize\tdescription');
    expect(lines.slice(1).map((line) => line.split('\t').slice(0, 3))).toContainEqual([
      'karate',
      'graph',
      '78',
    ]);
    expect(lines.length).toBe(9);
  });

  it('path prints the absolute path of the file, which other commands read', async () => {
    const run = await runCli(['datasets', 'path', 'iris']);
    expect(run).toEqual({ code: 0, stdout: `${resolve(root, 'data/iris.csv')}\n`, stderr: '' });
    const karate = (await runCli(['datasets', 'path', 'karate'])).stdout.trim();
    const ranks = await runCli(['pagerank', karate, '--undirected', '--top', '1']);
    expect(ranks.code).toBe(0);
    // Member 33 (the officer) has the highest PageRank in networkx's karate club (0.1009...).
    expect(ranks.stdout.split('\t')[0]).toBe('33');
  });

  it('bad usage exits 2 with what was expected', async () => {
    const unknown = await runCli(['datasets', 'path', 'irsi']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown data set 'irsi'; expected one of iris, wine");
    const missing = await runCli(['datasets', 'path']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing argument <name>: one of iris');
    const action = await runCli(['datasets', 'show']);
    expect(action.code).toBe(2);
    expect(action.stderr).toContain("unknown action 'show'; expected list, or path NAME");
    expect((await runCli(['datasets'])).stderr).toContain('missing argument <action>');
  });
});
