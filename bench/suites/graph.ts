/**
 * Graph performance (issue 6): `eddy pagerank` and `eddy components` end to end (read the edge
 * list, build, compute, write) against tuned C++ references and graphology, on R-MAT graphs
 * made by `eddy generate rmat`. Every contestant runs as its own process under
 * `/usr/bin/time -f '%e %M'` (wall seconds, peak RSS), 3 times; medians and ratios are printed,
 * and the scores of eddy and C++ are compared so a fast wrong answer cannot pass.
 *
 * Environment: EDDY_BENCH_SCALES (default "18,20"), EDDY_BENCH_RUNS (default 3),
 * EDDY_BENCH_PEER_RUNS (graphology's runs, default the same), EDDY_BENCH_CPUS (e.g. "0,1": pin
 * every contestant to these cores with taskset).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineDescription, median } from '../timing.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dataDirectory = join(root, 'bench', 'data');
const outDirectory = join(root, 'bench', 'out');
const eddy = join(root, 'dist', 'src', 'cli', 'bin.js');
const iterations = 20;

export interface Measurement {
  /** Wall-clock seconds. */
  seconds: number;
  /** User plus system CPU seconds (steadier than wall time on a busy machine). */
  cpuSeconds: number;
  peakBytes: number;
  /** Seconds of the PageRank rounds alone, from `eddy pagerank --timings` (undefined for others). */
  roundsSeconds?: number;
  /** What the command printed on stdout (of the last run, for repeated runs). */
  stdout?: string;
}

function pinned(command: string[]): string[] {
  const cpus = process.env.EDDY_BENCH_CPUS;
  return cpus ? ['taskset', '-c', cpus, ...command] : command;
}

/** Runs a command under /usr/bin/time; fails loudly when it fails. */
export function measure(command: string[]): Measurement {
  const run = spawnSync('/usr/bin/time', ['-f', '%e %M %U %S', ...pinned(command)], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const lines = run.stderr.trimEnd().split('\n');
  const [seconds, kilobytes, user, system] = lines[lines.length - 1].split(' ').map(Number);
  if (run.status !== 0 || !Number.isFinite(seconds)) {
    throw new Error(`failed (${run.status}): ${command.join(' ')}\n${run.stderr}`);
  }
  const rounds = /(\d+) rounds ([\d.]+) s/.exec(run.stderr);
  return {
    seconds,
    cpuSeconds: user + system,
    peakBytes: kilobytes * 1024,
    roundsSeconds: rounds ? Number(rounds[2]) : undefined,
    stdout: run.stdout,
  };
}

export function repeat(label: string, command: string[], runs: number): Measurement {
  const results: Measurement[] = [];
  for (let i = 0; i < runs; i++) results.push(measure(command));
  const rounds = results.map((r) => r.roundsSeconds).filter((r) => r !== undefined);
  const result = {
    seconds: median(results.map((r) => r.seconds)),
    cpuSeconds: median(results.map((r) => r.cpuSeconds)),
    peakBytes: median(results.map((r) => r.peakBytes)),
    roundsSeconds: rounds.length > 0 ? median(rounds) : undefined,
    stdout: results.at(-1)?.stdout,
  };
  console.log(
    `  ${label.padEnd(30)} ${result.seconds.toFixed(2).padStart(7)} s wall ${result.cpuSeconds.toFixed(2).padStart(7)} s cpu ` +
      `${(result.peakBytes / 2 ** 20).toFixed(0).padStart(6)} MiB  (wall: ${results.map((r) => r.seconds.toFixed(2)).join(', ')})` +
      (result.roundsSeconds === undefined ? '' : `; rounds ${result.roundsSeconds.toFixed(3)} s`),
  );
  console.log(`    $ ${command.join(' ')}`);
  return result;
}

export function compile(name: string): string {
  const binary = join(outDirectory, name);
  const source = join(root, 'bench', 'reference', `${name}.cpp`);
  const build = spawnSync('g++', ['-O3', '-march=native', '-fopenmp', '-o', binary, source], {
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`g++ failed for ${source}:\n${build.stderr}`);
  return binary;
}

export function generate(scale: number): string {
  const path = join(dataDirectory, `rmat${scale}.tsv`);
  if (!existsSync(path)) {
    const run = spawnSync(
      'node',
      [
        eddy,
        'generate',
        'rmat',
        '--scale',
        String(scale),
        '--edge-factor',
        '16',
        '--seed',
        '1',
        '--output',
        path,
      ],
      { stdio: 'inherit' },
    );
    if (run.status !== 0) throw new Error(`eddy generate failed for scale ${scale}`);
  }
  return path;
}

/** Largest absolute difference between two `key<TAB>value` files, matched by key. */
function largestDifference(a: string, b: string): number {
  const values = new Map<string, number>();
  for (const line of readFileSync(a, 'utf8').split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0) values.set(line.slice(0, tab), Number(line.slice(tab + 1)));
  }
  let largest = 0;
  let matched = 0;
  for (const line of readFileSync(b, 'utf8').split('\n')) {
    const tab = line.indexOf('\t');
    if (tab <= 0) continue;
    const other = values.get(line.slice(0, tab));
    if (other === undefined) return Number.POSITIVE_INFINITY;
    largest = Math.max(largest, Math.abs(other - Number(line.slice(tab + 1))));
    matched++;
  }
  return matched === values.size ? largest : Number.POSITIVE_INFINITY;
}

export async function run(): Promise<void> {
  mkdirSync(dataDirectory, { recursive: true });
  mkdirSync(outDirectory, { recursive: true });
  const scales = (process.env.EDDY_BENCH_SCALES ?? '18,20').split(',').map(Number);
  const runs = Number(process.env.EDDY_BENCH_RUNS ?? 3);
  const peerRuns = Number(process.env.EDDY_BENCH_PEER_RUNS ?? runs);
  console.log(machineDescription());
  console.log(`pinned to cpus: ${process.env.EDDY_BENCH_CPUS ?? 'none'}; medians of ${runs} runs`);
  const cppPageRank = compile('pagerank');
  const cppComponents = compile('components');
  for (const scale of scales) {
    const input = generate(scale);
    const bytes = statSync(input).size;
    const edges = 16 * 2 ** scale;
    console.log(`\nR-MAT scale ${scale}: ${edges} edges, ${(bytes / 2 ** 20).toFixed(0)} MiB file`);
    const out = (name: string) => join(outDirectory, `${name}-${scale}.tsv`);
    // One thread, and every core (parse and rounds split; the same scores).
    const cores = availableParallelism();
    const eddyRun = (parallelism: number) =>
      repeat(
        `eddy pagerank --parallelism ${parallelism}`,
        [
          'node',
          eddy,
          'pagerank',
          input,
          '--max-iterations',
          String(iterations),
          '--tolerance',
          '0',
          '--parallelism',
          String(parallelism),
          '--timings',
          '--output',
          out(`eddy-pagerank-${parallelism}`),
        ],
        runs,
      );
    const singleRank = eddyRun(1);
    const parallelRank = eddyRun(cores);
    const eddyRank = parallelRank.seconds < singleRank.seconds ? parallelRank : singleRank;
    const sameScores = largestDifference(out('eddy-pagerank-1'), out(`eddy-pagerank-${cores}`)) === 0;
    console.log(
      `  pagerank: --parallelism ${cores} / 1 = ` +
        `${(parallelRank.seconds / singleRank.seconds).toFixed(2)}x wall, ` +
        `${((parallelRank.roundsSeconds ?? 0) / (singleRank.roundsSeconds ?? 1)).toFixed(2)}x for the rounds alone; ` +
        `same scores: ${sameScores}`,
    );
    const cppRank = repeat(
      'C++ pagerank',
      [cppPageRank, input, out('cpp-pagerank'), String(iterations)],
      runs,
    );
    const difference = largestDifference(out('eddy-pagerank-1'), out('cpp-pagerank'));
    for (const [threads, rank] of [
      [1, singleRank],
      [cores, parallelRank],
    ] as const) {
      console.log(
        `  pagerank: eddy (--parallelism ${threads}) / C++ = ${(rank.seconds / cppRank.seconds).toFixed(2)}x wall, ` +
          `${(rank.cpuSeconds / cppRank.cpuSeconds).toFixed(2)}x cpu; peak memory ${(rank.peakBytes / edges).toFixed(1)} bytes/edge in all`,
      );
    }
    console.log(
      `  largest score difference from C++: ${difference.toExponential(2)}; the input file is ` +
        `${(bytes / edges).toFixed(1)} bytes/edge and is streamed, not held`,
    );
    if (scale <= 18) {
      const peer = repeat(
        'graphology pagerank',
        [
          'node',
          join(root, 'bench', 'peers', 'graphology-pagerank.mjs'),
          input,
          out('graphology-pagerank'),
          String(iterations),
        ],
        peerRuns,
      );
      console.log(
        `  pagerank: graphology / eddy (the faster eddy row) = ${(peer.seconds / eddyRank.seconds).toFixed(1)}x wall, ` +
          `${(peer.cpuSeconds / eddyRank.cpuSeconds).toFixed(1)}x cpu`,
      );
    }
    const eddyComponents = repeat(
      'eddy components',
      ['node', eddy, 'components', input, '--output', out('eddy-components')],
      runs,
    );
    const cppComponentsRun = repeat('C++ components', [cppComponents, input, out('cpp-components')], runs);
    const sameLabels = largestDifference(out('eddy-components'), out('cpp-components')) === 0;
    console.log(
      `  components: eddy / C++ = ${(eddyComponents.seconds / cppComponentsRun.seconds).toFixed(2)}x wall, ` +
        `${(eddyComponents.cpuSeconds / cppComponentsRun.cpuSeconds).toFixed(2)}x cpu; same labels: ${sameLabels}`,
    );
  }
}
