/**
 * The driver's round mode: many short rounds of chunks over the same shared arguments (the
 * mini-batches of a network's training: a round per mini-batch of a millisecond or two), where
 * {@link runChunks}'s two messages per worker and round would cost a good share of each round.
 *
 * The workers taken for a run stay in it: each watches briefly, then waits (`Atomics.wait`), for
 * the calling thread to open the next round, claims chunks from a shared counter and runs the kernel on them, and
 * waits again. The calling thread opens a round, runs the chunks nobody has claimed (all of them
 * while a worker is still starting: a round never waits for one), then waits only for the
 * chunks workers are running. Between rounds the calling thread may change the values of the
 * shared arguments (the weights, the rows of the next mini-batch), never the arrays themselves.
 * When it keeps waiting for workers longer than it works (a worker kept off the cores by other
 * programs), it runs the next rounds alone for a while, then shares them again.
 *
 * As in {@link runChunks}, a kernel returns the same value for a chunk on whichever thread runs
 * it, and the values come back in chunk order: results do not depend on the threads.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Kernel } from './driver.js';
import { type Threads, threadCount } from './driver.js';
import { type LoadedExport, loadExport, moduleUrl } from './module-export.js';
import { sharedWorkerPool } from './worker-pool.js';

// The control words every thread of a run shares (Int32Array).
/** The number of the round open now (0 before the first); a worker waits on it. */
const ROUND = 0;
/** Chunks in the round open now. */
const CHUNKS = 1;
/** Chunks of the round open now that have finished, on any thread; the calling thread waits on it. */
const DONE = 2;
/** 1 once the run is over: workers leave. */
const STOP = 3;
/** 1 + the lowest chunk that failed on a worker in this round (0: none). */
const FAILED = 4;
/** 1 while the calling thread runs rounds alone: workers leave the chunks of this round to it. */
const SOLO = 5;
const CONTROL_WORDS = 6;

/** How long the calling thread waits for a worker's chunk before it looks whether the worker died. */
const WAIT_MS = 50;

/**
 * Rounds in a row in which the calling thread waited for workers longer than it worked before it
 * runs rounds alone ({@link SOLO_ROUNDS}, twice as many each time the shared rounds after them are
 * slow again, up to {@link MOST_SOLO_ROUNDS}): a worker that the system keeps off the cores (other
 * programs on them) would otherwise hold every round it took a chunk of, and two threads on one
 * core run slower than one. Who runs a chunk never changes its value.
 */
const SLOW_ROUNDS = 3;
const SOLO_ROUNDS = 64;
const MOST_SOLO_ROUNDS = 1024;

/**
 * Runs the round `round` opens: `kernel(...args, chunk)` for chunks `0 .. chunks - 1` on this
 * thread and the workers of the run; resolves to each chunk's value (a number) in chunk order.
 */
export type Round = (chunks: number) => Promise<Float64Array>;

/**
 * Runs `body` with a {@link Round} function over `kernel` and `args` (shared by every thread:
 * whatever a kernel writes, and whatever the caller changes between rounds, must be in shared
 * memory) on up to `parallelism` threads (this one included); rounds have at most `maxChunks`
 * chunks. The kernel must be synchronous and return a number (or nothing, read as NaN). A round
 * whose kernel throws on some chunk rejects, after all its chunks ran, with the error of the
 * first failing chunk in order; the run then ends. Workers leave when `body` settles.
 * @example
 * const loss = await runRounds(kernel, [weights, batch], 8, { parallelism: 2 }, async (round) => {
 *   let total = 0;
 *   for (const rows of batches) { batch.set(rows); for (const v of await round(8)) total += v; }
 *   return total;
 * });
 */
export async function runRounds<T>(
  kernel: Kernel,
  args: readonly unknown[],
  maxChunks: number,
  threads: Threads,
  body: (round: Round) => Promise<T>,
): Promise<T> {
  const count = threadCount(threads, maxChunks);
  const module = moduleUrl(kernel.module);
  const share = (bytes: number) => (count > 1 ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  const control = new Int32Array(share(CONTROL_WORDS * 4));
  // The next chunk to claim, tagged with its round (round * 2^32 + chunk), so that a worker that
  // read an earlier round cannot claim a chunk of this one.
  const claim = new BigInt64Array(share(8));
  const values = new Float64Array(share(maxChunks * 8));
  const pool = threads.pool ?? (count > 1 ? sharedWorkerPool() : undefined);
  // 1 + the chunk each worker failed on (0: none), so that a round rejects with the error of
  // its first failing chunk whichever worker's task rejects first.
  const failedChunks = new Int32Array(share(4 * count));
  let lost: unknown;
  const errors: unknown[] = [];
  const workers: Promise<unknown>[] = [];
  for (let w = 1; w < count; w++) {
    workers.push(
      pool!
        .run(follower, [module, kernel.exportName, args, control, claim, values, failedChunks, w])
        .catch((error) => {
          lost ??= error;
          errors[w] = error;
          return error;
        }),
    );
  }
  const local = (kernel.local as LoadedExport | undefined) ?? (await loadExport(module, kernel.exportName));
  let opened = 0;
  let slowRounds = 0;
  let soloLeft = 0;
  let soloLength = SOLO_ROUNDS;
  const round: Round = async (chunks) => {
    if (!Number.isInteger(chunks) || chunks < 0 || chunks > maxChunks) {
      throw new RangeError(`a round of ${chunks} chunks (at most ${maxChunks})`);
    }
    if (lost !== undefined) throw lost;
    opened++;
    const solo = soloLeft > 0;
    if (solo) soloLeft--;
    Atomics.store(control, DONE, 0);
    Atomics.store(control, FAILED, 0);
    Atomics.store(control, CHUNKS, chunks);
    Atomics.store(control, SOLO, solo ? 1 : 0);
    Atomics.store(claim, 0, BigInt(opened) << 32n);
    Atomics.store(control, ROUND, opened);
    if (count > 1 && !solo) Atomics.notify(control, ROUND);
    const started = performance.now();
    let failed: { chunk: number; error: unknown } | undefined;
    for (
      let chunk = claimChunk(claim, opened, chunks);
      chunk >= 0;
      chunk = claimChunk(claim, opened, chunks)
    ) {
      try {
        values[chunk] = Number(local(...args, chunk));
      } catch (error) {
        failed ??= { chunk, error };
      }
      Atomics.add(control, DONE, 1);
    }
    // The chunks left are running on workers, which notify as each one ends.
    const worked = performance.now();
    for (let done = Atomics.load(control, DONE); done < chunks; done = Atomics.load(control, DONE)) {
      if (changedSoon(control, DONE, done)) continue;
      if (Atomics.wait(control, DONE, done, WAIT_MS) === 'timed-out') {
        // Let the pool see a worker that died (its exit event fails the run).
        await nextTurn();
        if (lost !== undefined) throw lost;
      }
    }
    if (count > 1 && !solo) {
      if (performance.now() - worked > worked - started) slowRounds++;
      else [slowRounds, soloLength] = [0, SOLO_ROUNDS];
      if (slowRounds >= SLOW_ROUNDS) {
        [slowRounds, soloLeft] = [0, soloLength];
        soloLength = Math.min(2 * soloLength, MOST_SOLO_ROUNDS);
      }
    }
    const failedOnWorker = Atomics.load(control, FAILED) - 1;
    if (failedOnWorker >= 0 && (failed === undefined || failedOnWorker < failed.chunk)) {
      // The worker left the run with its error: its task rejected with it.
      const w = failedChunks.indexOf(failedOnWorker + 1);
      while (errors[w] === undefined) await nextTurn();
      throw errors[w];
    }
    if (failed !== undefined) throw failed.error;
    return values.slice(0, chunks);
  };
  try {
    return await body(round);
  } finally {
    Atomics.store(control, STOP, 1);
    Atomics.add(control, ROUND, 1);
    if (count > 1) Atomics.notify(control, ROUND);
    await Promise.all(workers);
  }
}

/**
 * How long a thread watches a control word before it sleeps on it (`Atomics.wait`): a round of
 * an MLP epoch lasts about a millisecond, and a thread that slept must be woken through the
 * kernel (tens of microseconds on an idle core, more in a VM), twice a round. Watching for 0.2 ms
 * catches most next rounds and last chunks: 7-8% off the epoch on a quiet machine, no change with
 * two busy processes beside it; 0.05 and 1 ms were slower (bench/RESULTS.md).
 */
const SPIN_MS = 0.2;

/** Watches `control[index]` for up to {@link SPIN_MS}; true once it no longer holds `value`. */
function changedSoon(control: Int32Array, index: number, value: number): boolean {
  const end = performance.now() + SPIN_MS;
  for (;;) {
    // A clock read costs more than a load: look at the word a few times between reads.
    for (let i = 0; i < 64; i++) if (Atomics.load(control, index) !== value) return true;
    if (performance.now() > end) return false;
  }
}

/** Claims the next chunk of round `round` (of `chunks`), or -1 when none is left or the round is over. */
function claimChunk(claim: BigInt64Array, round: number, chunks: number): number {
  const tag = BigInt(round) << 32n;
  for (;;) {
    const next = Atomics.load(claim, 0);
    const chunk = Number(next - tag);
    if (next < tag || chunk >= chunks) return -1;
    if (Atomics.compareExchange(claim, 0, next, next + 1n) === next) return chunk;
  }
}

// Workers load this module to follow a run: .js in dist, .ts under tsx.
const follower = {
  module: new URL(`./rounds${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
  exportName: 'followRounds',
};

/**
 * What a worker runs for {@link runRounds}: waits for each round, claims its chunks and runs
 * the kernel on them, until the run stops. A kernel's error ends the worker's part in the run
 * (the error is its task's). Exported for the workers only.
 */
export async function followRounds(
  module: string,
  exportName: string,
  args: readonly unknown[],
  control: Int32Array,
  claim: BigInt64Array,
  values: Float64Array,
  failedChunks: Int32Array,
  worker: number,
): Promise<void> {
  const kernel = await loadExport(module, exportName);
  let seen = 0;
  for (;;) {
    if (!changedSoon(control, ROUND, seen)) Atomics.wait(control, ROUND, seen);
    if (Atomics.load(control, STOP) === 1) return;
    seen = Atomics.load(control, ROUND);
    if (Atomics.load(control, SOLO) === 1) continue;
    const chunks = Atomics.load(control, CHUNKS);
    for (let chunk = claimChunk(claim, seen, chunks); chunk >= 0; chunk = claimChunk(claim, seen, chunks)) {
      try {
        values[chunk] = Number(kernel(...args, chunk));
      } catch (error) {
        // Which chunk this worker's error is, and the lowest failing chunk of the round, before
        // this chunk counts as done.
        Atomics.store(failedChunks, worker, chunk + 1);
        for (let at = Atomics.load(control, FAILED); at === 0 || at > chunk + 1; ) {
          const was = Atomics.compareExchange(control, FAILED, at, chunk + 1);
          if (was === at) break;
          at = was;
        }
        Atomics.add(control, DONE, 1);
        Atomics.notify(control, DONE);
        throw error;
      }
      Atomics.add(control, DONE, 1);
      Atomics.notify(control, DONE);
    }
  }
}
