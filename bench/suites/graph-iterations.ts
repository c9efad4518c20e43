/**
 * The graph algorithms written on the iteration models (issue 14), timed in-process on one
 * R-MAT graph made by `eddy generate rmat`: label propagation, community detection, HITS and
 * single-source shortest paths (scatter-gather and GSA). Reading the edge list is not timed.
 * Each algorithm runs EDDY_BENCH_RUNS times (default 5) after one warm-up; medians of wall and
 * CPU milliseconds are printed.
 *
 * EDDY_BENCH_ROOT (default this tree) names the tree whose algorithms are timed, so that two
 * commits can be measured in one session: export the older commit with `git archive` into a
 * folder, link node_modules into it, and run this suite once per root.
 * Environment: EDDY_BENCH_SCALE (default 16), EDDY_BENCH_EDGE_FACTOR (default 16),
 * EDDY_BENCH_ONLY (run only the algorithms whose names contain this text).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { machineDescription, median, timeRuns } from '../timing.js';

const here = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function run(): Promise<void> {
  const root = process.env.EDDY_BENCH_ROOT ?? here;
  const scale = Number(process.env.EDDY_BENCH_SCALE ?? 16);
  const edgeFactor = Number(process.env.EDDY_BENCH_EDGE_FACTOR ?? 16);
  const runs = Number(process.env.EDDY_BENCH_RUNS ?? 5);
  const dataDirectory = join(here, 'bench', 'data');
  mkdirSync(dataDirectory, { recursive: true });
  const file = join(dataDirectory, `rmat-${scale}-${edgeFactor}.tsv`);
  if (!existsSync(file)) {
    const made = spawnSync(
      process.execPath,
      [
        join(here, 'dist', 'src', 'cli', 'bin.js'),
        'generate',
        'rmat',
        '--scale',
        String(scale),
        '--edge-factor',
        String(edgeFactor),
        '--seed',
        '1',
        '--output',
        file,
      ],
      { stdio: 'inherit' },
    );
    if (made.status !== 0) throw new Error(`eddy generate rmat failed (${made.status})`);
  }
  const load = async (path: string) => import(pathToFileURL(join(root, path)).href);
  const { readEdgeList } = await load('src/graph/edge-list-reader.ts');
  const { buildCsr } = await load('src/graph/csr.ts');
  const library = await load('algorithms/graph/index.ts');
  const edges = await readEdgeList(file);
  const { csr } = buildCsr(edges.dictionary.size, edges.sources, edges.targets, {});
  const graph = { dictionary: edges.dictionary, csr };
  csr.inEdges();
  console.log(`  ${machineDescription()}`);
  console.log(`  root ${root}; ${file}: ${csr.vertexCount} vertices, ${csr.edgeCount} edges; ${runs} runs`);
  const source = edges.dictionary.key(0);
  const cases: [string, () => { iterations: number }][] = [
    ['label propagation (20)', () => library.labelPropagation(graph, { maxIterations: 20 })],
    ['community detection (20)', () => library.communityDetection(graph, { maxIterations: 20 })],
    ['HITS (20 rounds)', () => library.hits(graph, { maxIterations: 20, tolerance: 0 })],
    ['SSSP scatter-gather', () => library.singleSourceShortestPaths(graph, source)],
    ['SSSP gather-sum-apply', () => library.gsaSingleSourceShortestPaths(graph, source)],
  ];
  const only = process.env.EDDY_BENCH_ONLY ?? '';
  for (const [name, task] of cases.filter(([name]) => name.includes(only))) {
    let iterations = 0;
    // CPU time of this (single-threaded) process beside wall time: steadier on a shared machine;
    // cpu[0] is the warm-up run.
    const cpu: number[] = [];
    const times = await timeRuns(() => {
      const before = process.cpuUsage();
      iterations = task().iterations;
      const used = process.cpuUsage(before);
      cpu.push((used.user + used.system) / 1000);
    }, runs);
    console.log(
      `  ${name.padEnd(28)} ${median(times).toFixed(0).padStart(7)} ms wall ${median(cpu.slice(1)).toFixed(0).padStart(7)} ms cpu  ` +
        `(${iterations} supersteps; wall ${times.map((t) => t.toFixed(0)).join(', ')})`,
    );
  }
}
