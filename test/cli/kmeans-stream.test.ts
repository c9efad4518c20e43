import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { random } from '../../src/core/random.js';
import { runCli } from '../helpers/cli.js';

const directory = () => mkdtempSync(join(tmpdir(), 'eddy-kmeans-stream-'));
const centres = [
  [0, 0, 10],
  [10, 0, 0],
  [0, 10, 0],
];

/** NDJSON points around three centres, seeded. */
function pointLines(count: number, seed = 1): string[] {
  const rng = random(seed);
  return Array.from({ length: count }, (_, i) => {
    const centre = centres[i % 3];
    return JSON.stringify(centre.map((x) => Number((x + rng.normal(0, 0.3)).toFixed(4))));
  });
}

function assignments(text: string): { index: number; cluster: number }[] {
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

describe('eddy kmeans --stream', () => {
  it('clusters a stream, writing each point once and the model in the k-means JSON shape', async () => {
    const dir = directory();
    const input = join(dir, 'points.ndjson');
    writeFileSync(input, `${pointLines(3000).join('\n')}\n`);
    const run = await runCli([
      'kmeans',
      '--stream',
      input,
      '--k',
      '3',
      '--batch-size',
      '200',
      '--half-life',
      '4',
      '--output',
      join(dir, 'out.ndjson'),
      '--model',
      join(dir, 'model.json'),
      '--seed',
      '7',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = assignments(readFileSync(join(dir, 'out.ndjson'), 'utf8'));
    expect(out.map((a) => a.index)).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    const model = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(Object.keys(model).slice(0, 5)).toEqual(['type', 'k', 'dimension', 'centroids', 'weights']);
    expect([model.type, model.k, model.dimension, model.version, model.recordsSeen]).toEqual([
      'kmeans',
      3,
      3,
      15,
      3000,
    ]);
    for (const centre of centres) {
      const nearest = Math.min(
        ...model.centroids.map((c: number[]) => Math.hypot(...c.map((x, j) => x - centre[j]))),
      );
      expect(nearest).toBeLessThan(0.1);
    }
    // After the first batches, the points of one centre share one cluster.
    const late = out.slice(1500);
    for (let c = 0; c < 3; c++)
      expect(new Set(late.filter((a) => a.index % 3 === c).map((a) => a.cluster)).size).toBe(1);
  });

  it('reads stdin and objects, writes assignments to stdout', async () => {
    const lines = ['{"id":"a","x":1,"y":2}', '{"id":"b","x":1.5,"y":2}', '{"id":"c","x":9,"y":9}'];
    const run = await runCli(['kmeans', '--stream', '-', '--k', '2', '--output', '-', '--batch-size', '2'], {
      stdin: `${lines.join('\n')}\n`,
    });
    expect(run.code).toBe(0);
    expect(assignments(run.stdout).map((a) => a.index)).toEqual([0, 1, 2]);
  });

  it('writes the assignments to stdout by default, like the batch command, and the model only to --model', async () => {
    const dir = directory();
    const input = join(dir, 'points.ndjson');
    writeFileSync(input, `${pointLines(300).join('\n')}\n`);
    const args = ['kmeans', '--stream', input, '--k', '3', '--batch-size', '100'];
    const plain = await runCli(args);
    expect(plain.code).toBe(0);
    const written = assignments(plain.stdout);
    expect(written.map((a) => a.index)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(written.every((a) => Object.keys(a).join() === 'index,cluster')).toBe(true);
    const withModel = await runCli([...args, '--model', join(dir, 'model.json')]);
    expect(withModel.stdout).toBe(plain.stdout);
    expect(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).recordsSeen).toBe(300);
  });

  it('refuses a k above the points that choose the first centroids at once (--k 10000000 on 3,000 points)', async () => {
    const dir = directory();
    const input = join(dir, 'points.ndjson');
    writeFileSync(input, `${pointLines(3000).join('\n')}\n`);
    const huge = await runCli(['kmeans', '--stream', input, '--k', '1e7', '--model', join(dir, 'm.json')]);
    expect(huge.code).toBe(1);
    expect(huge.stderr).toMatch(
      /parameter 'k': 10000000; expected at most the 3000 points that choose the first centroids/,
    );
    expect(huge.stdout).toBe('');
    expect(existsSync(join(dir, 'm.json'))).toBe(false);
    // A k equal to all the points still runs.
    writeFileSync(join(dir, 'six.ndjson'), `${pointLines(6).join('\n')}\n`);
    expect((await runCli(['kmeans', '--stream', join(dir, 'six.ndjson'), '--k', '6', '-q'])).code).toBe(0);
    const small = await runCli(['kmeans', '--stream', input, '--k', '4', '--init-size', '3']);
    expect(small.code).toBe(1);
    expect(small.stderr).toMatch(/parameter 'k': 4; expected at most the 3 points/);
  });

  it('stops at a malformed line, naming it, before it touches the model', async () => {
    const dir = directory();
    const input = join(dir, 'bad.ndjson');
    const cases: [string, RegExp][] = [
      [
        '[1,2]\n[3,4]\n[5,6,7]\n',
        /bad\.ndjson:3: wrong dimension 3: got "\[5,6,7\]", expected 2 numbers like the first point/,
      ],
      ['[1,2]\n{"x":\n', /bad\.ndjson:2(:\d+)?: bad JSON/],
      ['[1,2]\n[NaN,1]\n', /bad\.ndjson:2:2: not a finite number/],
    ];
    for (const [text, message] of cases) {
      writeFileSync(input, text);
      const run = await runCli(['kmeans', '--stream', input, '--k', '1', '--model', join(dir, 'model.json')]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(existsSync(join(dir, 'model.json'))).toBe(false);
    }
  });

  it('with --skip-invalid counts and reports malformed lines and leaves their indices out', async () => {
    const dir = directory();
    const input = join(dir, 'bad.ndjson');
    writeFileSync(input, '[1,2]\n[3]\n[5,6]\nnope\n[7,8]\n');
    const run = await runCli([
      'kmeans',
      '--stream',
      input,
      '--k',
      '1',
      '--skip-invalid',
      '--output',
      join(dir, 'out.ndjson'),
      '--model',
      join(dir, 'model.json'),
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      /skipped 2 invalid lines:\n {2}.*bad\.ndjson:2: wrong dimension 1.*\n {2}.*bad\.ndjson:4: bad JSON/,
    );
    expect(assignments(readFileSync(join(dir, 'out.ndjson'), 'utf8')).map((a) => a.index)).toEqual([0, 2, 4]);
    expect(run.stdout).toBe('');
    const model = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(model.centroids[0][0]).toBeCloseTo(13 / 3, 14);
    expect(model.centroids[0][1]).toBeCloseTo(16 / 3, 14);
  });

  it('reads an Arrow IPC stream and starts from a saved model', async () => {
    const dir = directory();
    const input = join(dir, 'points.arrows');
    writeFileSync(
      input,
      tableToIPC(
        tableFromArrays({ a: new Float64Array([0, 1, 10, 11]), b: new Float64Array([0, 1, 10, 11]) }),
        'stream',
      ),
    );
    writeFileSync(
      join(dir, 'init.json'),
      JSON.stringify({
        type: 'kmeans',
        centroids: [
          [0, 0],
          [10, 10],
        ],
      }),
    );
    const run = await runCli([
      'kmeans',
      '--stream',
      input,
      '--k',
      '2',
      '--initial-model',
      join(dir, 'init.json'),
      '--batch-size',
      '3',
      '--model',
      join(dir, 'model.json'),
    ]);
    expect(run.code).toBe(0);
    expect(assignments(run.stdout)).toEqual([
      { index: 0, cluster: 0 },
      { index: 1, cluster: 0 },
      { index: 2, cluster: 1 },
      { index: 3, cluster: 1 },
    ]);
    const model = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    // Batch 1 holds 0, 1 and 10; batch 2 holds 11 (cluster 1 weighs 1 then: (10·1 + 11) / 2).
    expect(model.centroids).toEqual([
      [0.5, 0.5],
      [10.5, 10.5],
    ]);
    expect(model.weights).toEqual([2, 2]);
  });

  it('shows progress (points/s, model version) on stderr only when it is a terminal', async () => {
    const dir = directory();
    const input = join(dir, 'points.ndjson');
    writeFileSync(input, `${pointLines(900).join('\n')}\n`);
    const stderr = Object.assign(new PassThrough(), { isTTY: true });
    const chunks: string[] = [];
    stderr.on('data', (chunk) => chunks.push(String(chunk)));
    const stdout = new PassThrough();
    stdout.resume();
    const code = await main(['kmeans', '--stream', input, '--k', '3', '--batch-size', '300'], {
      stdin: new PassThrough(),
      stdout,
      stderr,
    });
    expect(code).toBe(0);
    expect(chunks.join('')).toMatch(/kmeans: 900 points, [\d.]+k?\/s, model v3\n$/);
    expect((await runCli(['kmeans', '--stream', input, '--k', '3'])).stderr).toBe('');
  });

  it('is the batch command with --stream: stream options without it are usage errors', async () => {
    const help = await runCli(['kmeans', '--help']);
    expect(help.stdout).toMatch(/--stream +online k-means/);
    expect(help.stdout).toMatch(/--half-life H/);
    const withoutStream = await runCli(['kmeans', 'points.csv', '--k', '2', '--half-life', '3']);
    expect(withoutStream.code).toBe(2);
    expect(withoutStream.stderr).toContain('--half-life applies to stream mode only: add --stream');
    const noData = await runCli(['kmeans', '--k', '2']);
    expect(noData.code).toBe(2);
    expect(noData.stderr).toContain('missing argument <data>');
  });

  it('rejects bad usage with exit code 2', async () => {
    expect((await runCli(['kmeans', '--stream', 'x.ndjson'])).code).toBe(2);
    expect(
      (
        await runCli([
          'kmeans',
          '--stream',
          'x.ndjson',
          '--k',
          '2',
          '--decay-factor',
          '0.5',
          '--half-life',
          '3',
        ])
      ).code,
    ).toBe(2);
    expect((await runCli(['kmeans', '--stream', 'x.ndjson', '--k', '2', '--resume'])).stderr).toMatch(
      /--resume needs --checkpoint-dir/,
    );
    expect((await runCli(['kmeans', '--stream', '-', '--k', '2', '--checkpoint-dir', 'c'])).code).toBe(2);
    const stdoutWithCheckpoints = await runCli([
      'kmeans',
      '--stream',
      'x.ndjson',
      '--k',
      '2',
      '--checkpoint-dir',
      'c',
      '--output',
      '-',
    ]);
    expect(stdoutWithCheckpoints.stderr).toMatch(/exactly-once output needs a file/);
    // Without --output the assignments would go to stdout: the same refusal.
    const noOutput = await runCli(['kmeans', '--stream', 'x.ndjson', '--k', '2', '--checkpoint-dir', 'c']);
    expect(noOutput.code).toBe(2);
    expect(noOutput.stderr).toMatch(/give --output FILE with --checkpoint-dir/);
    expect((await runCli(['kmeans', '--stream', 'x.ndjson', '--k', '2', '--time-unit', 'hours'])).code).toBe(
      2,
    );
  });

  it('refuses the batch-only options with --stream instead of ignoring them (exit 2)', async () => {
    for (const option of [
      ['--n-init', '3'],
      ['--distance', 'cosine'],
      ['--max-iterations', '5'],
      ['--tolerance', '0.1'],
      ['--parallelism', '1'],
    ]) {
      const run = await runCli(['kmeans', '--stream', 'x.ndjson', '--k', '2', ...option]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`${option[0]} does not apply with --stream`);
    }
  });

  it('--init k-means++|random and --init-size choose the first centroids among the first points', async () => {
    const dir = directory();
    const input = join(dir, 'points.ndjson');
    writeFileSync(input, `${pointLines(900).join('\n')}\n`);
    const model = async (...extra: string[]) => {
      const path = join(dir, `model${extra.join('')}.json`);
      const run = await runCli([
        'kmeans',
        '--stream',
        input,
        '--k',
        '3',
        '--batch-size',
        '100',
        '--model',
        path,
        '--output',
        join(dir, 'out.ndjson'),
        ...extra,
      ]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      return JSON.parse(readFileSync(path, 'utf8'));
    };
    const plusPlus = await model('--seed', '3');
    expect(await model('--seed', '3', '--init', 'k-means++', '--init-size', '300')).toEqual(plusPlus);
    // The first three points, one per centre, are the three centroids whichever way they are drawn.
    const firstThree = await model('--seed', '3', '--init', 'random', '--init-size', '3');
    const random50 = await model('--seed', '3', '--init', 'random', '--init-size', '50');
    expect(random50.centroids).not.toEqual(plusPlus.centroids);
    expect(random50.recordsSeen).toBe(900);
    for (const chosen of [plusPlus, firstThree]) {
      expect(chosen.recordsSeen).toBe(900);
      for (const centre of centres) {
        const nearest = Math.min(
          ...chosen.centroids.map((c: number[]) => Math.hypot(...c.map((x, j) => x - centre[j]))),
        );
        expect(nearest).toBeLessThan(0.1);
      }
    }
    const bad = await runCli(['kmeans', '--stream', input, '--k', '3', '--init', 'kmeans']);
    expect(bad.code).toBe(2);
    const withModel = await runCli([
      'kmeans',
      '--stream',
      input,
      '--k',
      '3',
      '--init',
      'random',
      '--initial-model',
      join(dir, 'model--seed3.json'),
    ]);
    expect(withModel.code).toBe(2);
    expect(withModel.stderr).toContain('--init does not apply with --initial-model');
    const batch = await runCli(['kmeans', 'points.csv', '--k', '2', '--init-size', '10']);
    expect(batch.code).toBe(2);
    expect(batch.stderr).toContain('--init-size applies to stream mode only: add --stream');
    expect((await runCli(['kmeans', '--stream', input, '--k', '3', '--init-size', '0'])).code).toBe(2);
  });

  it('refuses --model equal to --output (exit 2)', async () => {
    const run = await runCli(['kmeans', '--stream', 'x.ndjson', '--k', '2', '--output', 'a', '--model', 'a']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--output and --model name the same file');
  });
});
