/**
 * What the crash tests share: two processes that keep both cores busy while a job runs, and a
 * loop that SIGKILLs a job at seeded random points (after a random number of further
 * checkpoints plus a random delay), resuming it each time, until a run finishes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { random } from '../../src/core/random.js';

/**
 * Runs `fn` while two busy-looping processes load both cores; they are killed at the end, also
 * on failure, and after `maxMs` at the latest (default 120 s, the longest test timeout): a test
 * that times out never reaches `finally`, and its load must not slow down the tests after it.
 */
export async function withBusyCores<T>(fn: () => Promise<T>, maxMs = 120_000): Promise<T> {
  const load = [0, 1].map(() => spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
  const stop = () => {
    for (const child of load) child.kill('SIGKILL');
  };
  const deadline = setTimeout(stop, maxMs);
  deadline.unref();
  process.once('exit', stop);
  try {
    return await fn();
  } finally {
    clearTimeout(deadline);
    stop();
    process.off('exit', stop);
  }
}

/** The id of the newest checkpoint file in `directory` (core/checkpoint-store's names), or 0. */
export function latestCheckpointId(directory: string): number {
  if (!existsSync(directory)) return 0;
  let latest = 0;
  for (const name of readdirSync(directory)) {
    const match = /-(\d{8,})\.checkpoint$/.exec(name);
    if (match) latest = Math.max(latest, Number(match[1]));
  }
  return latest;
}

/** How one run of a job ended. */
export interface RunEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Waits for a child to end, collecting its output. */
export function ended(child: ChildProcess): Promise<RunEnd> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
}

/**
 * Runs a checkpointed job again and again: `start(resume)` spawns it (`resume` false only the
 * first time); each run but the last is SIGKILLed once `1..maxCheckpoints` more checkpoints
 * than it found exist in `checkpoints`, plus `0..maxDelayMs` ms (seeded by `seed`). Returns the
 * number of runs killed and how the final, uninterrupted run ended.
 */
export async function killAndResume(options: {
  start: (resume: boolean) => ChildProcess;
  checkpoints: string;
  kills: number;
  seed: number;
  maxCheckpoints: number;
  maxDelayMs: number;
}): Promise<{ killed: number; last: RunEnd }> {
  const rng = random(options.seed);
  let killed = 0;
  for (let run = 0; run < options.kills; run++) {
    const before = latestCheckpointId(options.checkpoints);
    const target = before + rng.integer(1, options.maxCheckpoints + 1);
    const delay = rng.integer(0, options.maxDelayMs + 1);
    const child = options.start(run > 0);
    const end = ended(child);
    const poll = setInterval(() => {
      if (latestCheckpointId(options.checkpoints) >= target) {
        clearInterval(poll);
        setTimeout(() => child.kill('SIGKILL'), delay);
      }
    }, 2);
    const result = await end;
    clearInterval(poll);
    if (result.signal === 'SIGKILL') killed++;
    else if (result.code !== 0) throw new Error(`run ${run} failed (${result.code}): ${result.stderr}`);
    else return { killed, last: result };
  }
  return { killed, last: await ended(options.start(true)) };
}
