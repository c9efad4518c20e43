/**
 * Triangle counting (issue 22): `eddy triangles --count` end to end (read, orient, count) at
 * --parallelism 1 and every core, against the degree-ordered C++ count on every core
 * (bench/reference/triangles.cpp), on R-MAT graphs made by `eddy generate rmat`; medians of
 * EDDY_BENCH_RUNS runs (default 3), counts compared so a fast wrong answer cannot pass.
 * Environment: EDDY_BENCH_SCALES (default "20"), EDDY_BENCH_RUNS, EDDY_BENCH_CPUS (as the graph suite).
 */
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineDescription } from '../timing.js';
import { compile, generate, repeat } from './graph.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const eddy = join(root, 'dist', 'src', 'cli', 'bin.js');

export async function run(): Promise<void> {
  mkdirSync(join(root, 'bench', 'data'), { recursive: true });
  mkdirSync(join(root, 'bench', 'out'), { recursive: true });
  const scales = (process.env.EDDY_BENCH_SCALES ?? '20').split(',').map(Number);
  const runs = Number(process.env.EDDY_BENCH_RUNS ?? 3);
  const cores = availableParallelism();
  console.log(machineDescription());
  console.log(`medians of ${runs} runs`);
  const cpp = compile('triangles');
  for (const scale of scales) {
    const input = generate(scale);
    console.log(`\nR-MAT scale ${scale}, edge factor 16`);
    const eddyRun = (parallelism: number) =>
      repeat(
        `eddy triangles --count -p ${parallelism}`,
        ['node', eddy, 'triangles', input, '--count', '--parallelism', String(parallelism)],
        runs,
      );
    const single = eddyRun(1);
    const parallel = eddyRun(cores);
    const reference = repeat(`C++ triangles (${cores} threads)`, [cpp, input], runs);
    const counts = [single, parallel, reference].map((m) => m.stdout?.trim());
    console.log(`  counts: ${counts.join(', ')}; equal: ${counts.every((count) => count === counts[0])}`);
    for (const [label, m] of [
      ['-p 1', single],
      [`-p ${cores}`, parallel],
    ] as const) {
      console.log(
        `  eddy (${label}) / C++ = ${(m.seconds / reference.seconds).toFixed(2)}x wall, ` +
          `${(m.cpuSeconds / reference.cpuSeconds).toFixed(2)}x cpu`,
      );
    }
  }
}
