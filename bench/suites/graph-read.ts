/**
 * Reading an edge list into CSR: R-MAT scale 20, edge factor 16 (16.7M edges, ~210 MB of TSV)
 * from `eddy generate rmat`'s generator, read by eddy's byte-level reader and, for comparison,
 * by the usual string-splitting JavaScript reader. Each read runs in a fresh process (so its
 * peak memory is its own); eddy's figures are medians of 3 runs (the
 * string-splitting reader, which takes minutes, runs once). Memory is reported as bytes per edge
 * above the process's resident size before reading.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rmatGraph } from '../../src/graph/generators.js';
import { writeEdgeList } from '../../src/graph/writers.js';
import { machineDescription, median } from '../timing.js';

interface Measurement {
  vertices: number;
  edges: number;
  readMilliseconds: number;
  totalMilliseconds: number;
  baselineRss: number;
  peakRss: number;
}

const child = join(dirname(fileURLToPath(import.meta.url)), '..', 'graph-read-child.ts');
const RUNS = 3;

function measure(mode: 'eddy' | 'naive', file: string): Measurement {
  const result = spawnSync(process.execPath, ['--import', 'tsx', child, mode, file], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (result.status !== 0) throw new Error(`${mode} read failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Measurement;
}

function summary(label: string, runs: Measurement[]): { seconds: number; line: string } {
  const seconds = median(runs.map((r) => r.totalMilliseconds)) / 1000;
  const read = median(runs.map((r) => r.readMilliseconds)) / 1000;
  const edges = runs[0].edges;
  const bytesPerEdge = median(runs.map((r) => (r.peakRss - r.baselineRss) / r.edges));
  const peak = median(runs.map((r) => r.peakRss)) / 2 ** 20;
  return {
    seconds,
    line: `| ${label} | ${seconds.toFixed(2)} s (parse ${read.toFixed(2)} s) | ${(edges / seconds / 1e6).toFixed(1)}M edges/s | ${peak.toFixed(0)} MiB | ${bytesPerEdge.toFixed(1)} |`,
  };
}

export async function run(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'eddy-bench-read-'));
  const file = join(directory, 'rmat-20-16.tsv');
  try {
    const started = performance.now();
    await writeEdgeList(file, rmatGraph({ scale: 20, edgeFactor: 16, seed: 1 }));
    const size = statSync(file).size;
    console.log(machineDescription());
    console.log(
      `generated R-MAT scale 20, edge factor 16, seed 1: ${(size / 2 ** 20).toFixed(0)} MiB in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    const eddy = Array.from({ length: RUNS }, () => measure('eddy', file));
    // The string-splitting reader takes minutes at this size: one run of it is the yardstick.
    const naive = [measure('naive', file)];
    console.log(
      `${eddy[0].vertices} vertices, ${eddy[0].edges} edges; eddy: median of ${RUNS} runs, split-lines: 1 run; each in a fresh process`,
    );
    console.log('| reader | read into CSR | throughput | peak RSS | bytes/edge above baseline |');
    console.log('| --- | --- | --- | --- | --- |');
    const mine = summary('eddy readEdgeList + buildCsr', eddy);
    const theirs = summary('split-lines reader (string per line, Map ids)', naive);
    console.log(mine.line);
    console.log(theirs.line);
    console.log(`eddy is ${(theirs.seconds / mine.seconds).toFixed(1)}x faster`);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
