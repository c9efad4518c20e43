/**
 * This checkout against an earlier one, in the same run: `eddy pagerank` and `eddy components`
 * on R-MAT scale 18, `eddy kmeans` on the k-means bench's CSV, and `eddy kmeans --stream` on
 * the streaming bench's NDJSON, each as a whole command under /usr/bin/time. The two builds
 * alternate run by run, so both see the same machine load; medians of EDDY_BENCH_RUNS (5).
 *
 * EDDY_BENCH_BASELINE names the other checkout (built, with its dist/); without it the suite
 * says how to make one and stops. The data are made by this checkout's `eddy generate` and by
 * the same generators as the kmeans and stream-kmeans suites, once, under bench/data.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { random } from '../../src/core/random.js';
import { machineDescription, median } from '../timing.js';

const root = join(import.meta.dirname, '..', '..');
const dataDirectory = join(root, 'bench', 'data');
const outDirectory = join(root, 'bench', 'out');

interface Run {
  seconds: number;
  cpuSeconds: number;
  peakBytes: number;
}

function measure(bin: string, args: string[]): Run {
  const run = spawnSync('/usr/bin/time', ['-f', '%e %M %U %S', process.execPath, bin, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const lines = run.stderr.trimEnd().split('\n');
  const [seconds, kilobytes, user, system] = lines[lines.length - 1].split(' ').map(Number);
  if (run.status !== 0 || !Number.isFinite(seconds)) {
    throw new Error(`failed (${run.status}): ${bin} ${args.join(' ')}\n${run.stderr}`);
  }
  return { seconds, cpuSeconds: user + system, peakBytes: kilobytes * 1024 };
}

function rmat(scale: number): string {
  const path = join(dataDirectory, `rmat${scale}.tsv`);
  if (!existsSync(path)) {
    const args = ['generate', 'rmat', '--scale', String(scale), '--edge-factor', '16', '--seed', '1'];
    measure(join(root, 'dist/src/cli/bin.js'), [...args, '--output', path]);
  }
  return path;
}

/** Points around `k` centres, as the kmeans suite draws them, written as CSV or NDJSON. */
function points(path: string, rows: number, d: number, k: number, spread: number, ndjson: boolean): string {
  if (existsSync(path)) return path;
  const rng = random(1);
  const centres = Array.from({ length: k }, () => Array.from({ length: d }, () => rng.uniformIn(-10, 10)));
  const lines: string[] = ndjson ? [] : [Array.from({ length: d }, (_, j) => `x${j}`).join(',')];
  for (let i = 0; i < rows; i++) {
    const centre = centres[rng.integer(0, k)];
    const row = centre.map((c) => (c + rng.normal(0, spread)).toFixed(6));
    lines.push(ndjson ? `[${row.join(',')}]` : row.join(','));
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

export async function run(): Promise<void> {
  const baseline = process.env.EDDY_BENCH_BASELINE;
  if (!baseline) {
    console.log(
      'set EDDY_BENCH_BASELINE to a built checkout of the commit to compare with, e.g.\n' +
        '  git worktree add /tmp/eddy-baseline <commit> && (cd /tmp/eddy-baseline && npm ci)\n' +
        '  EDDY_BENCH_BASELINE=/tmp/eddy-baseline npm run bench -- baseline',
    );
    return;
  }
  const runs = Number(process.env.EDDY_BENCH_RUNS ?? 5);
  mkdirSync(dataDirectory, { recursive: true });
  mkdirSync(outDirectory, { recursive: true });
  const graph = rmat(18);
  const csv = points(join(dataDirectory, 'kmeans-200000x16.csv'), 200_000, 16, 16, 6, false);
  const ndjson = points(join(dataDirectory, 'stream-500000x16.ndjson'), 500_000, 16, 16, 2, true);
  const out = (name: string) => join(outDirectory, name);
  const cases: [string, string[]][] = [
    [
      'pagerank, R-MAT 18, 20 rounds',
      ['pagerank', graph, '--max-iterations', '20', '--tolerance', '0', '--output', out('pr.tsv')],
    ],
    ['components, R-MAT 18', ['components', graph, '--output', out('cc.tsv')]],
    [
      'kmeans, 200,000 x 16 CSV, k 16',
      ['kmeans', csv, '--k', '16', '--max-iterations', '30', '--tolerance', '0', '--seed', '1', '--quiet'],
    ],
    [
      'kmeans --stream, 500,000 x 16 NDJSON, k 16',
      [
        'kmeans',
        '--stream',
        ndjson,
        '--k',
        '16',
        '--batch-size',
        '1000',
        '--half-life',
        '10',
        '--seed',
        '1',
        '--output',
        out('assignments.ndjson'),
        '--model',
        out('model.json'),
      ],
    ],
  ];
  const bins = {
    current: join(root, 'dist/src/cli/bin.js'),
    baseline: join(baseline, 'dist/src/cli/bin.js'),
  };
  console.log(`${machineDescription()}; baseline ${baseline}; medians of ${runs}, builds alternating`);
  console.log('| command | baseline | this checkout | this / baseline | CPU this / baseline |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const [label, args] of cases) {
    const times: Record<keyof typeof bins, Run[]> = { current: [], baseline: [] };
    measure(bins.current, args);
    measure(bins.baseline, args);
    for (let r = 0; r < runs; r++) {
      const order: (keyof typeof bins)[] = r % 2 ? ['current', 'baseline'] : ['baseline', 'current'];
      for (const which of order) times[which].push(measure(bins[which], args));
    }
    const wall = (which: keyof typeof bins) => median(times[which].map((t) => t.seconds));
    const cpu = (which: keyof typeof bins) => median(times[which].map((t) => t.cpuSeconds));
    console.log(
      `| ${label} | ${wall('baseline').toFixed(3)} s | ${wall('current').toFixed(3)} s | ` +
        `${(wall('current') / wall('baseline')).toFixed(3)} | ${(cpu('current') / cpu('baseline')).toFixed(3)} |`,
    );
  }
}
