/**
 * Checkpointed iterations: a run that dies part-way (the process exits) and is started
 * again resumes from the last saved superstep and ends with the same result as a run that
 * was never interrupted.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { env, sumAggregator } from '../../src/dataset/index.js';
import { bulk, delta } from './fixtures/checkpoint-program.js';

const program = fileURLToPath(new URL('./fixtures/checkpoint-program.ts', import.meta.url));
const directories: string[] = [];
afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

function scratch(): string {
  const directory = mkdtempSync(join(tmpdir(), 'eddy-checkpoint-'));
  directories.push(directory);
  return directory;
}

interface ProgramOutput {
  result: unknown[];
  ran: number[];
  report: { supersteps: number; stoppedBy: string; resumedFrom?: number };
}

async function runProgram(
  mode: string,
  dir: string,
  crashAt: number,
): Promise<{ code: number; output?: ProgramOutput }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [
      '--import',
      'tsx',
      program,
      mode,
      dir,
      String(crashAt),
    ]);
    return { code: 0, output: JSON.parse(stdout) as ProgramOutput };
  } catch (error) {
    return { code: (error as { code: number }).code };
  }
}

describe('checkpointed iterations survive a process exit', () => {
  it('bulk: the resumed run continues after the last checkpoint and equals an uninterrupted run', async () => {
    const dir = scratch();
    const crashed = await runProgram('bulk', dir, 7);
    // The reference run needs no checkpoint, so it runs in this process.
    const uninterrupted = { output: (await bulk(undefined, 0)) as ProgramOutput };
    expect(crashed.code).toBe(3);
    expect(readdirSync(dir).filter((name) => name.endsWith('.checkpoint'))).toHaveLength(1);
    const resumed = await runProgram('bulk', dir, 0);
    expect(resumed.code).toBe(0);
    expect(resumed.output!.result).toEqual(uninterrupted.output!.result);
    // Saved every 2 supersteps: the crash in superstep 7 loses only superstep 7.
    expect(resumed.output!.report).toMatchObject({
      resumedFrom: 6,
      supersteps: 12,
      stoppedBy: 'maxIterations',
    });
    expect(resumed.output!.ran).toEqual([7, 8, 9, 10, 11, 12]);
    expect(uninterrupted.output!.ran).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    // A finished iteration removes its checkpoint.
    expect(readdirSync(dir).filter((name) => name.endsWith('.checkpoint'))).toHaveLength(0);
  });

  it('delta: the solution set and workset are restored', async () => {
    const dir = scratch();
    const crashed = await runProgram('delta', dir, 5);
    // The reference run needs no checkpoint, so it runs in this process.
    const uninterrupted = { output: (await delta(undefined, 0)) as ProgramOutput };
    expect(crashed.code).toBe(3);
    const resumed = await runProgram('delta', dir, 0);
    expect(resumed.output!.result).toEqual(uninterrupted.output!.result);
    expect(resumed.output!.result).toEqual(Array.from({ length: 12 }, (_, v) => [v, 0]));
    expect(resumed.output!.report).toMatchObject({ resumedFrom: 4, stoppedBy: 'emptyWorkset' });
    expect(resumed.output!.report.supersteps).toBe(uninterrupted.output!.report.supersteps);
    expect(resumed.output!.ran[0]).toBe(5);
  });
});

describe('checkpoint files', () => {
  function program(dir: string, failAt: { superstep: number }, factor: number) {
    const environment = env({ parallelism: 2 });
    // The factor is captured by the step function, so it goes into the checkpoint's tag.
    const iteration = environment
      .generateSequence(1, 10)
      .iterate(6, { checkpoint: { dir, every: 1, tag: `factor=${factor}` } });
    iteration.registerAggregator('sum', sumAggregator());
    const next = iteration.map((x, context) => {
      if (context.superstep === failAt.superstep) throw new Error('interrupted');
      context.aggregate('sum', x);
      return x * factor + context.superstep;
    });
    return { environment, job: iteration.closeWith(next) };
  }

  it('a failed job resumes in-process from the superstep before the failure', async () => {
    const dir = scratch();
    const failAt = { superstep: 4 };
    const { environment, job } = program(dir, failAt, 2);
    await expect(job.collect()).rejects.toThrow(/interrupted/);
    failAt.superstep = 0;
    const resumed = await job.collect();
    expect(environment.lastJob!.iterations[0]).toMatchObject({ resumedFrom: 3, supersteps: 6 });
    const fresh = program(scratch(), { superstep: 0 }, 2);
    expect(resumed).toEqual(await fresh.job.collect());
    expect(fresh.environment.lastJob!.iterations[0].resumedFrom).toBeUndefined();
  });

  it('a changed program (here: its tag) does not resume from another program’s checkpoint', async () => {
    const dir = scratch();
    const first = program(dir, { superstep: 3 }, 2);
    await expect(first.job.collect()).rejects.toThrow(/interrupted/);
    const changed = program(dir, { superstep: 0 }, 3);
    await changed.job.collect();
    expect(changed.environment.lastJob!.iterations[0].resumedFrom).toBeUndefined();
    // The other program's checkpoint is left alone.
    expect(readdirSync(dir)).toHaveLength(1);
    const differentSource = env({ parallelism: 2 })
      .generateSequence(1, 10)
      .iterate(6, { checkpoint: { dir, tag: 'factor=2' } });
    const environment = differentSource.environment;
    await differentSource.closeWith(differentSource.map((x) => x + 1)).collect();
    expect(environment.lastJob!.iterations[0].resumedFrom).toBeUndefined();
    expect(readdirSync(dir)).toHaveLength(1);
  });

  it('rejects bad checkpoint options', () => {
    const numbers = env({ parallelism: 1 }).generateSequence(1, 2);
    expect(() => numbers.iterate(2, { checkpoint: { dir: '', every: 1 } })).toThrow(/checkpoint\.dir/);
    expect(() => numbers.iterate(2, { checkpoint: { dir: '/tmp/x', every: 0 } })).toThrow(
      /checkpoint\.every/,
    );
  });
});

describe('the fingerprint covers every data set the step reads', () => {
  /** A bulk iteration whose step reads a broadcast set (`offsets`); throws in superstep `failAt`. */
  async function run(dir: string, offsets: number[], failAt = 0) {
    const environment = env({ parallelism: 2 });
    const offsetSet = environment.fromCollection(offsets);
    const iteration = environment.generateSequence(1, 20).iterate(6, { checkpoint: { dir, every: 1 } });
    const next = iteration
      .map((value, context) => {
        if (context.superstep === failAt) throw new Error('crash');
        const sum = context.broadcast<number>('offsets').reduce((a, b) => a + b, 0);
        return (value * 7 + sum) % 101;
      })
      .withBroadcastSet(offsetSet, 'offsets');
    const result = await iteration.closeWith(next).collect();
    return { result, report: environment.lastJob!.iterations[0] };
  }

  it('a checkpoint taken with other broadcast data is not resumed from', async () => {
    const dir = scratch();
    await expect(run(dir, [1, 2, 3], 4)).rejects.toThrow(/crash/);
    expect(readdirSync(dir).filter((name) => name.endsWith('.checkpoint'))).toHaveLength(1);
    const changed = await run(dir, [1, 2, 4]);
    expect(changed.report.resumedFrom).toBeUndefined();
    expect(changed.result).toEqual((await run(scratch(), [1, 2, 4])).result);
    // The same data resumes.
    const again = scratch();
    await expect(run(again, [1, 2, 3], 4)).rejects.toThrow(/crash/);
    expect((await run(again, [1, 2, 3])).report.resumedFrom).toBe(3);
  });

  it('a corrupt checkpoint is refused with its file named', async () => {
    const dir = scratch();
    await expect(run(dir, [5], 3)).rejects.toThrow(/crash/);
    const [name] = readdirSync(dir).filter((file) => file.endsWith('.checkpoint'));
    const bytes = readFileSync(join(dir, name));
    bytes[bytes.length - 3] ^= 4;
    writeFileSync(join(dir, name), bytes);
    await expect(run(dir, [5])).rejects.toThrow(
      new InputError('refused checkpoint: checksum mismatch (the file is corrupt)', { file: join(dir, name) })
        .message,
    );
  });
});
