import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runCli } from '../helpers/cli.js';
import { mlFixturePath } from '../helpers/ml-fixtures.js';

/**
 * Progress of the phases after reading (issue 16): every long-running command draws a progress
 * line of its own on a terminal, none with --quiet or when stderr is not a terminal, and its
 * counts never go back.
 */

/** Runs eddy with stderr posing as a terminal; what stderr got. */
async function onTerminal(args: string[]) {
  const stderr = Object.assign(new PassThrough(), { isTTY: true });
  const written: string[] = [];
  stderr.on('data', (chunk: Buffer) => written.push(chunk.toString()));
  const stdout = new PassThrough();
  stdout.resume();
  const code = await main(args, { stdin: new PassThrough(), stdout, stderr });
  return { code, stderr: written.join('') };
}

/** `1234`, `12.3k`, `1.23M` as drawn by the progress line, as a number. */
function count(text: string): number {
  const scale = { k: 1e3, M: 1e6, G: 1e9 }[text.slice(-1)] ?? 1;
  return Number.parseFloat(text) * scale;
}

/** The counts drawn on each `label: N` line, in order. */
function countsOf(stderr: string, label: string): number[] {
  const escaped = label.replace(/[()]/g, '\\$&');
  return Array.from(stderr.matchAll(new RegExp(`${escaped}: (\\d+(?:\\.\\d+)?[kMG]?)`, 'g')), (m) =>
    count(m[1]),
  );
}

const lesmis = 'data/lesmis.tsv';
const model = `${process.env.TMPDIR ?? '/tmp'}/eddy-progress-model.json`;
const iris = mlFixturePath('iris.csv');
const diabetes = mlFixturePath('diabetes.csv');
const forest = ['random-forest', 'train', iris, '--label', 'species', '--trees', '3', '--model', model];
const boosting = ['gbt', 'train', diabetes, '--label', 'progression', '--trees', '3', '--task', 'regression'];

/** Each command, the label of its progress line, and what the final count must be. */
const commands: { args: string[]; label: string; final: number | 'positive' }[] = [
  { args: ['jaccard', lesmis], label: 'scoring pairs (jaccard)', final: 77 },
  { args: ['adamic-adar', lesmis], label: 'scoring pairs (adamic-adar)', final: 77 },
  { args: ['clustering-coefficient', lesmis, '--global'], label: 'finding triangles', final: 77 },
  { args: ['triangles', lesmis], label: 'listing triangles', final: 77 },
  { args: ['metrics', lesmis], label: 'edge metrics', final: 154 },
  { args: ['metrics', lesmis], label: 'vertex metrics', final: 77 },
  { args: ['sssp', lesmis, '--source', 'Valjean'], label: 'shortest paths', final: 'positive' },
  { args: ['label-propagation', lesmis], label: 'label propagation', final: 'positive' },
  { args: ['community-detection', lesmis], label: 'community detection', final: 'positive' },
  { args: ['components', lesmis], label: 'linking components', final: 64 },
  {
    args: ['components', lesmis, '--algorithm', 'gather-sum-apply'],
    label: 'components (gather-sum-apply)',
    final: 'positive',
  },
  {
    args: ['kmeans', iris, '--k', '3', '--ignore', 'species', '--n-init', '3'],
    label: 'clustering',
    final: 'positive',
  },
  {
    args: [
      'linear-regression',
      'train',
      diabetes,
      '--label',
      'progression',
      '--reg',
      '0.1',
      '--model',
      model,
    ],
    label: 'fitting',
    final: 'positive',
  },
  {
    args: ['logistic-regression', 'train', iris, '--label', 'species', '--model', model],
    label: 'fitting',
    final: 'positive',
  },
  {
    args: ['decision-tree', 'train', iris, '--label', 'species', '--model', model],
    label: 'growing trees',
    final: 'positive',
  },
  { args: forest, label: 'growing trees', final: 'positive' },
  { args: [...boosting, '--model', model], label: 'growing trees', final: 'positive' },
];

describe('progress of the computing phase', () => {
  for (const { args, label, final } of commands) {
    it(`eddy ${args[0]} ${args[1] === 'train' ? 'train ' : ''}draws '${label}' on a terminal only, counting up`, async () => {
      const run = await onTerminal(args);
      expect(run.code, run.stderr).toBe(0);
      const counts = countsOf(run.stderr, label);
      expect(counts.length, run.stderr).toBeGreaterThanOrEqual(2);
      for (let i = 1; i < counts.length; i++)
        expect(counts[i], run.stderr).toBeGreaterThanOrEqual(counts[i - 1]);
      const last = counts[counts.length - 1];
      if (final === 'positive') expect(last).toBeGreaterThan(0);
      else expect(last).toBe(final);
      // The finished line stays, ended by a line end.
      expect(run.stderr).toMatch(new RegExp(`${label.replace(/[()]/g, '\\$&')}: [^\\r]*\\n`));
      const quiet = await onTerminal([...args, '--quiet']);
      expect(quiet.code).toBe(0);
      expect(countsOf(quiet.stderr, label)).toEqual([]);
      const piped = await runCli(args);
      expect(piped.code).toBe(0);
      expect(countsOf(piped.stderr, label)).toEqual([]);
    });
  }

  it('a forest notes the tree and a boosting the round its passes grow', async () => {
    const forestRun = await onTerminal(forest);
    expect(forestRun.stderr).toMatch(/growing trees: \d+ passes, [^,]+, tree 3\/3\n/);
    const boostingRun = await onTerminal([...boosting, '--model', model]);
    expect(boostingRun.stderr).toMatch(/growing trees: \d+ passes, [^,]+, round 3\/3\n/);
  });
});
