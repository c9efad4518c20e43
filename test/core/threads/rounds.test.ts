/** The driver's round mode: rounds over shared arguments, the same bits at every parallelism, failures reported. */
import { afterAll, describe, expect, it } from 'vitest';
import { runRounds } from '../../../src/core/threads/rounds.js';
import { WorkerPool } from '../../../src/core/threads/worker-pool.js';
import {
  awkwardValues,
  failingChunks,
  onWorker,
  scaledSumChunk,
  slowOnWorker,
  sumChunk,
} from './fixtures/kernels.js';

const module = new URL('./fixtures/kernels.ts', import.meta.url);
const pool = new WorkerPool({ size: 2 });
afterAll(() => pool.close());

function shared<T extends Float64Array | Int32Array>(
  make: new (buffer: SharedArrayBuffer) => T,
  length: number,
): T {
  return new make(new SharedArrayBuffer(8 * length));
}

describe('runRounds', () => {
  it('runs each round on this thread and the workers, with the values the caller set before it, in chunk order', async () => {
    const size = 2_000;
    const chunkCounts = [6, 1, 0, 5, 6, 3];
    const values = awkwardValues(6 * size);
    const expected = chunkCounts.map((chunks, r) =>
      Array.from(
        { length: chunks },
        (_, chunk) => sumChunk(values, size, new Float64Array(6), chunk) * (r + 0.5),
      ),
    );
    const results: Record<number, number[][]> = {};
    for (const parallelism of [1, 2, 3]) {
      // Which thread ran each chunk of the first round (0: this one).
      let firstRound: number[] = [];
      const sums = shared(Float64Array, 6);
      const owners = shared(Int32Array, 6).fill(-1);
      // A worker's mark and this thread's (see the kernel); on one thread nothing waits for a worker.
      const started = shared(Int32Array, 2).fill(0);
      if (parallelism === 1) started[0] = 1;
      const factor = shared(Float64Array, 1);
      const kernel = { module, exportName: 'scaledSumChunk', local: scaledSumChunk };
      const args = [values, size, sums, owners, started, factor];
      results[parallelism] = await runRounds(kernel, args, 6, { parallelism, pool }, async (round) => {
        const all: number[][] = [];
        for (const [r, chunks] of chunkCounts.entries()) {
          // In the first round this thread and a worker each wait until the other has taken a chunk.
          factor[0] = r + 0.5;
          all.push(Array.from(await round(chunks)));
          if (r === 0) firstRound = Array.from(owners.subarray(0, chunks));
        }
        return all;
      });
      if (parallelism > 1) {
        expect(firstRound.includes(0)).toBe(true);
        expect(firstRound.some((owner) => owner > 0)).toBe(true);
      }
    }
    expect(results[1]).toEqual(expected);
    expect(results[2]).toEqual(expected);
    expect(results[3]).toEqual(expected);
  });

  it('rejects a round with the error of its first failing chunk, and a round of too many chunks', async () => {
    for (const parallelism of [1, 2, 3]) {
      const kernel = { module, exportName: 'failingChunks', local: failingChunks };
      const failing = shared(Int32Array, 3).fill(0);
      let rounds = 0;
      const run = runRounds(kernel, [failing], 6, { parallelism, pool }, async (round) => {
        await round(6);
        rounds++;
        failing.set([0, 0, 1, 0, 1, 0]);
        await round(6);
        rounds++;
      });
      await expect(run).rejects.toThrow('chunk 2 failed');
      expect(rounds).toBe(1);
    }
    // Two workers fail, and the later chunk's task rejects first: the round still rejects with
    // the first failing chunk's error. This thread's chunks wait until both workers have thrown.
    const state = shared(Int32Array, 4);
    const local = (s: Int32Array, chunk: number) => {
      for (let thrown = Atomics.load(s, 1); thrown < 2; thrown = Atomics.load(s, 1))
        Atomics.wait(s, 1, thrown, 20_000);
      return chunk;
    };
    const twoFail = runRounds(
      { module, exportName: 'failLaterChunkFirst', local },
      [state],
      6,
      { parallelism: 3, pool },
      async (round) => round(6),
    );
    const error = await twoFail.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(state[1]).toBe(2);
    expect((error as Error).message).toBe(`chunk ${Math.min(state[2], state[3])} failed`);
    // Thrown on a worker.
    const started = shared(Int32Array, 1);
    const kernel = { module, exportName: 'onWorker', local: onWorker };
    await expect(
      runRounds(kernel, [started, 'throw'], 2, { parallelism: 2, pool }, async (round) => round(2)),
    ).rejects.toThrow(/chunk [01] failed/);
    await expect(
      runRounds(kernel, [started, 'throw'], 2, { parallelism: 1, pool }, async (round) => round(3)),
    ).rejects.toThrow(RangeError);
    // The pool is free again: a later run has its workers.
    const values = awkwardValues(4_000);
    const total = await runRounds(
      { module, exportName: 'sumChunk', local: sumChunk },
      [values, 1_000, shared(Float64Array, 4)],
      4,
      { parallelism: 3, pool },
      async (round) => (await round(4)).reduce((a, b) => a + b, 0),
    );
    expect(total).toBe(
      [0, 1, 2, 3].map((c) => sumChunk(values, 1_000, new Float64Array(4), c)).reduce((a, b) => a + b, 0),
    );
  });

  it('rejects, never waits, when a worker exits in a round', async () => {
    const kernel = { module, exportName: 'onWorker', local: onWorker };
    const started = shared(Int32Array, 1);
    await expect(
      runRounds(kernel, [started, 'exit'], 2, { parallelism: 2, pool }, async (round) => round(2)),
    ).rejects.toThrow(/the thread exited with code 3/);
  });

  it('runs rounds alone for a while when a worker holds them, with the same values', async () => {
    // Rounds until a worker has taken part and then 64 rounds in a row ran on this thread alone
    // (a stretch of solo rounds). On a loaded machine a worker may wake too late to claim a chunk
    // in many rounds, which are then no slower: the stretch may start late, so the rounds are
    // not fixed in advance, only bounded.
    const most = 3_000;
    const round = shared(Int32Array, 1);
    const owners = shared(Int32Array, 2 * most).fill(-1);
    const kernel = { module, exportName: 'slowOnWorker', local: slowOnWorker };
    let longest = 0;
    let sawWorker = false;
    const values = await runRounds(kernel, [round, owners], 2, { parallelism: 2, pool }, async (run) => {
      const all: number[] = [];
      let alone = 0;
      for (let r = 0; r < most && longest < 64; r++) {
        round[0] = r;
        all.push(...(await run(2)));
        const withWorker = owners[2 * r] > 0 || owners[2 * r + 1] > 0;
        sawWorker ||= withWorker;
        if (!sawWorker) continue;
        alone = withWorker ? 0 : alone + 1;
        longest = Math.max(longest, alone);
      }
      return all;
    });
    const rounds = values.length / 2;
    expect(values).toEqual(Array.from({ length: rounds }, (_, r) => [r, 1000 + r]).flat());
    expect(sawWorker).toBe(true);
    expect(longest).toBeGreaterThanOrEqual(64);
  }, 30_000);
});
