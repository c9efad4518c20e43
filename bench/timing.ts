/** Shared measuring helpers for bench suites: medians of repeated runs, machine description. */
import { cpus, totalmem } from 'node:os';

/** Runs `task` `runs` times (after `warmup` unmeasured runs) and returns each run's milliseconds. */
export async function timeRuns(
  task: () => unknown | Promise<unknown>,
  runs = 5,
  warmup = 1,
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await task();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await task();
    times.push(performance.now() - start);
  }
  return times;
}

/** The median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** One line describing the machine, for bench/RESULTS.md. */
export function machineDescription(): string {
  const cores = cpus();
  return `${cores.length} cores (${cores[0]?.model ?? 'unknown cpu'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
}
