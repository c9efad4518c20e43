import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordBatchReader } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { jsonPayload } from '../../src/core/checkpoint-store.js';
import { InputError, OutputError } from '../../src/core/errors.js';
import { readStreamCheckpoint, streamCheckpointStore } from '../../src/stream/checkpoint.js';
import { DataStream } from '../../src/stream/datastream.js';
import { StreamEnvironment } from '../../src/stream/environment.js';
import { arrowFileSink, ndjsonFileSink, type Sink } from '../../src/stream/sinks.js';
import { iterableSource, ndjsonSource } from '../../src/stream/sources.js';
import { boundedOutOfOrderness } from '../../src/stream/watermarks.js';
import { type LateRecord, tumblingWindows } from '../../src/stream/windows.js';

const directory = () => mkdtempSync(join(tmpdir(), 'eddy-checkpoint-'));

class Crash extends Error {}

/** Record x of the input, with an event time that is out of order now and then (and sometimes late). */
const input = (count: number) => () =>
  Array.from({ length: count }, (_, x) => ({
    x,
    t: x * 10 - (x % 7 === 3 ? 45 : 0) - (x % 50 === 49 ? 400 : 0),
  }));

/**
 * A job with keyed state, event-time windows (late records to a file) and an NDJSON sink.
 * `crashAt` throws when that record reaches the keyed operator, like a process dying mid-run.
 */
async function job(dir: string, options: { crashAt?: number; resume?: boolean; checkpoints?: boolean }) {
  const environment = new StreamEnvironment({
    checkpoint:
      options.checkpoints === false
        ? undefined
        : { directory: join(dir, 'checkpoints'), everyRecords: 40, resume: options.resume },
  });
  const lateSink: Sink<LateRecord<{ x: number; t: number; count: number }>> = ndjsonFileSink(
    join(dir, 'late.ndjson'),
  );
  return DataStream.from(iterableSource(input(600), { batchSize: 16 }), environment)
    .keyBy((record) => record.x % 3)
    .process<number, { x: number; t: number; count: number }>({
      processElement(record, context, out) {
        if (record.x === options.crashAt) throw new Crash(`crash at ${record.x}`);
        const count = (context.state.value() ?? 0) + 1;
        context.state.update(count);
        out.collect({ ...record, count });
      },
    })
    .assignTimestampsAndWatermarks(boundedOutOfOrderness(50, (record) => record.t))
    .keyBy((record) => record.x % 2)
    .window(tumblingWindows(100))
    .lateRecordsTo(lateSink)
    .aggregate({
      create: () => [0, 0] as [number, number],
      add: ([n, total], record) => [n + 1, total + record.count] as [number, number],
      result: (accumulator) => accumulator,
    })
    .sinkTo(ndjsonFileSink(join(dir, 'out.ndjson')));
}

describe('exactly-once recovery', () => {
  it('a job that crashes and resumes writes what an uninterrupted job writes', async () => {
    const clean = directory();
    const cleanResult = await job(clean, { checkpoints: false });
    expect(cleanResult.records).toBe(600);
    const expected = readFileSync(join(clean, 'out.ndjson'), 'utf8');
    const expectedLate = readFileSync(join(clean, 'late.ndjson'), 'utf8');
    expect(expectedLate.split('\n').length).toBeGreaterThan(3);

    for (const crashAt of [5, 137, 431, 599]) {
      const dir = directory();
      await expect(job(dir, { crashAt })).rejects.toThrow(Crash);
      expect(existsSync(join(dir, 'out.ndjson'))).toBe(false);
      const stored = await streamCheckpointStore({ directory: join(dir, 'checkpoints') }).latest();
      const checkpoint = stored && readStreamCheckpoint(stored);
      if (checkpoint) {
        // Output past the checkpoint was written before the crash and must be cut off.
        const written = readFileSync(join(dir, 'out.ndjson.inprogress')).length;
        expect(written).toBeGreaterThan((checkpoint.state.sink as { length: number }).length);
      }
      const resumed = await job(dir, { resume: true });
      expect(resumed.resumed).toBe(crashAt > 40);
      expect(readFileSync(join(dir, 'out.ndjson'), 'utf8')).toBe(expected);
      expect(readFileSync(join(dir, 'late.ndjson'), 'utf8')).toBe(expectedLate);
    }
  });

  it('an Arrow file sink cuts back to its committed batches on resume', async () => {
    const run = (dir: string, crashAt: number | undefined, resume: boolean) =>
      DataStream.from(
        iterableSource(() => Array.from({ length: 100 }, (_, x) => x), { batchSize: 8 }),
        new StreamEnvironment({ checkpoint: { directory: join(dir, 'c'), everyRecords: 20, resume } }),
      )
        .map((x) => {
          if (x === crashAt) throw new Crash();
          return { x, square: x * x, name: `n${x}` };
        })
        .sinkTo(arrowFileSink(join(dir, 'out.arrows')));
    const dir = directory();
    await expect(run(dir, 77, false)).rejects.toThrow(Crash);
    await run(dir, undefined, true);
    const rows = [...RecordBatchReader.from(readFileSync(join(dir, 'out.arrows')))].flatMap((batch) =>
      batch.toArray().map((row) => row.toJSON().x as number),
    );
    expect(rows).toEqual(Array.from({ length: 100 }, (_, x) => x));
  });

  it('takes a checkpoint every N records or every T ms, whichever comes first', async () => {
    const dir = directory();
    let now = 0;
    const run = (everyRecords: number, everyMs: number | undefined) =>
      DataStream.from(
        iterableSource(() => Array.from({ length: 100 }, (_, x) => x), { batchSize: 10 }),
        new StreamEnvironment({
          checkpoint: { directory: join(dir, `c${everyRecords}`), everyRecords, everyMs },
          clock: () => now,
        }),
      )
        .map((x) => {
          now += 1; // one millisecond per record
          return x;
        })
        .sinkTo(ndjsonFileSink(join(dir, 'out.ndjson')));
    expect((await run(30, undefined)).checkpoints).toBe(3); // after records 30, 60, 90
    expect((await run(1000, 20)).checkpoints).toBe(5); // every 20 ms: after 20, 40, 60, 80, 100
  });

  it('refuses to resume a source that cannot be replayed', async () => {
    const dir = directory();
    const environment = (resume: boolean) =>
      new StreamEnvironment({ checkpoint: { directory: dir, everyRecords: 2, resume } });
    async function* once() {
      yield* [1, 2, 3, 4];
    }
    await DataStream.from(iterableSource(once()), environment(false))
      .map((x) => {
        if (x === 4) throw new Crash();
        return x;
      })
      .sinkTo(ndjsonFileSink(join(dir, 'out.ndjson')))
      .catch(() => undefined);
    await expect(
      DataStream.from(iterableSource(once()), environment(true)).sinkTo(
        ndjsonFileSink(join(dir, 'out.ndjson')),
      ),
    ).rejects.toThrow(/cannot be replayed/);
  });
});

describe('the edges of exactly-once', () => {
  const run = (
    checkpoints: string,
    output: string,
    resume: boolean,
    onRecord: (x: number) => void = () => {},
  ) =>
    DataStream.from(
      iterableSource(() => Array.from({ length: 100 }, (_, x) => x), { batchSize: 8 }),
      new StreamEnvironment({ checkpoint: { directory: checkpoints, everyRecords: 20, resume } }),
    )
      .map((x) => {
        onRecord(x);
        return { x };
      })
      .sinkTo(ndjsonFileSink(output));

  it('a completed job resumed again reports it complete and leaves its output as it was', async () => {
    const dir = directory();
    const output = join(dir, 'out.ndjson');
    const first = await run(join(dir, 'c'), output, false);
    expect(first.alreadyComplete).toBe(false);
    const written = readFileSync(output, 'utf8');
    const again = await run(join(dir, 'c'), output, true, () => {
      throw new Error('read again');
    });
    expect(again).toMatchObject({ alreadyComplete: true, resumed: true, records: 100 });
    expect(readFileSync(output, 'utf8')).toBe(written);
  });

  it('a job killed after renaming its output but before marking completion resumes to the same output', async () => {
    const dir = directory();
    const output = join(dir, 'out.ndjson');
    await run(join(dir, 'c'), output, false);
    const written = readFileSync(output, 'utf8');
    // Without its completion mark, the job looks like one killed between the rename and the mark.
    const store = streamCheckpointStore({ directory: join(dir, 'c') });
    const complete = (await store.latest())!;
    expect(complete.complete).toBe(true);
    rmSync(complete.path);
    const resumed = await run(join(dir, 'c'), output, true);
    expect(resumed).toMatchObject({ resumed: true, alreadyComplete: false, records: 100 });
    expect(readFileSync(output, 'utf8')).toBe(written);
  });

  it('a resume on a changed input file, or with another fingerprint, is refused naming what changed', async () => {
    const dir = directory();
    const input = join(dir, 'in.ndjson');
    writeFileSync(input, `${Array.from({ length: 100 }, (_, x) => JSON.stringify({ x })).join('\n')}\n`);
    const job = (resume: boolean, crashAt: number, fingerprint: Record<string, string> = { output: 'out' }) =>
      DataStream.from(
        ndjsonSource<{ x: number }>(input, { batchSize: 10 }),
        new StreamEnvironment({
          checkpoint: { directory: join(dir, 'c'), everyRecords: 20, resume, fingerprint },
        }),
      )
        .map((record) => {
          if (record.x === crashAt) throw new Crash();
          return record;
        })
        .sinkTo(ndjsonFileSink(join(dir, 'out.ndjson')));
    await expect(job(false, 50)).rejects.toThrow(Crash);
    await expect(job(true, -1, { output: 'elsewhere' })).rejects.toThrow(/another output.*out.*elsewhere/s);
    appendFileSync(input, '{"x":100}\n');
    await expect(job(true, -1)).rejects.toThrow(/another input/);
  });

  it('stops at the next checkpoint when the output directory disappears, naming the file', async () => {
    const dir = directory();
    const outputs = join(dir, 'outputs');
    mkdirSync(outputs);
    const removeAt = (x: number) => {
      if (x === 30) rmSync(outputs, { recursive: true });
    };
    const error = await run(join(dir, 'c'), join(outputs, 'out.ndjson'), false, removeAt).catch((e) => e);
    expect(error).toBeInstanceOf(OutputError);
    expect(error.message).toContain(join(outputs, 'out.ndjson.inprogress'));
  });

  it('stops at the next checkpoint when the checkpoint directory disappears, naming it', async () => {
    const dir = directory();
    const checkpoints = join(dir, 'c');
    const removeAt = (x: number) => {
      if (x === 30) rmSync(checkpoints, { recursive: true });
    };
    const error = await run(checkpoints, join(dir, 'out.ndjson'), false, removeAt).catch((e) => e);
    expect(error).toBeInstanceOf(OutputError);
    expect(error.message).toContain(checkpoints);
  });
});

describe('checkpoints of jobs with several sources', () => {
  it("reads each source's position back, and refuses a source entry without its record count", async () => {
    const dir = directory();
    const store = streamCheckpointStore({ directory: dir });
    await store.prepare();
    const sources = [
      { position: { index: 120 }, records: 120 },
      { position: { offset: 900, line: 45 }, records: 45 },
    ];
    await store.write(1, jsonPayload({ position: null, records: 165, sources, state: {}, time: 0 }));
    expect(readStreamCheckpoint((await store.latest())!)).toMatchObject({ records: 165, sources });
    await store.write(
      2,
      jsonPayload({ position: null, records: 165, sources: [{ position: 1 }], state: {} }),
    );
    const broken = (await store.latest())!;
    expect(() => readStreamCheckpoint(broken)).toThrow(InputError);
    expect(() => readStreamCheckpoint(broken)).toThrow(/not the state of a stream job/);
  });
});
