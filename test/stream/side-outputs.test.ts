import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParamError } from '../../src/core/errors.js';
import { DataStream } from '../../src/stream/datastream.js';
import { StreamEnvironment } from '../../src/stream/environment.js';
import { OutputTag } from '../../src/stream/side-outputs.js';
import { callbackSink, ndjsonFileSink } from '../../src/stream/sinks.js';
import { iterableSource } from '../../src/stream/sources.js';
import { ascendingTimestamps } from '../../src/stream/watermarks.js';

const gather = <T>() => {
  const records: T[] = [];
  return { records, sink: callbackSink<T>((batch) => void records.push(...batch)) };
};

describe('side outputs', () => {
  it('a process function emits to several tags; the operator runs once for all outputs', async () => {
    const negative = new OutputTag<number>('negative');
    const text = new OutputTag<string>('text');
    let calls = 0;
    const main = DataStream.from(iterableSource([3, -1, 4, -1, -5, 9], { batchSize: 4 })).process<number>({
      processElement(value, context, out) {
        calls++;
        if (value < 0) context.output(negative, value);
        else out.collect(value * 10);
        if (value > 3) context.output(text, `big ${value}`);
      },
    });
    const [m, n, t] = [gather<number>(), gather<number>(), gather<string>()];
    const result = await DataStream.sinkAll([
      main.to(m.sink),
      main.getSideOutput(negative).to(n.sink),
      main
        .getSideOutput(text)
        .map((s) => s.toUpperCase())
        .to(t.sink),
    ]);
    expect(calls).toBe(6);
    expect(result.records).toBe(6);
    expect(m.records).toEqual([30, 40, 90]);
    expect(n.records).toEqual([-1, -1, -5]);
    expect(t.records).toEqual(['BIG 4', 'BIG 9']);
  });

  it('side values keep the event time of the record, and onTimer can emit them', async () => {
    const reminders = new OutputTag<{ key: string; time: number }>('reminders');
    const main = DataStream.from(
      iterableSource([
        { k: 'a', t: 5 },
        { k: 'b', t: 7 },
        { k: 'a', t: 50 },
      ]),
    )
      .assignTimestampsAndWatermarks(ascendingTimestamps((r) => r.t))
      .keyBy((r) => r.k)
      .process<null, string>({
        processElement(record, context, out) {
          context.registerEventTimeTimer(record.t + 10);
          out.collect(record.k);
        },
        onTimer(time, context) {
          context.output(reminders, { key: context.key, time });
        },
      });
    const side = main.getSideOutput(reminders).process<string>({
      processElement(value, context, out) {
        out.collect(`${value.key}:${value.time}@${context.timestamp}`);
      },
    });
    // The side stream alone (without its main stream) runs the same operators.
    expect(await side.collect()).toEqual(['a:15@15', 'b:17@17', 'a:60@60']);
    expect(await main.collect()).toEqual(['a', 'b', 'a']);
  });

  it('refuses getSideOutput on a stream not made by process, an empty tag id, and a bad tag', async () => {
    const stream = DataStream.from(iterableSource([1]));
    expect(() => stream.map((x) => x).getSideOutput(new OutputTag<number>('x'))).toThrow(ParamError);
    expect(() => new OutputTag<number>('')).toThrow(ParamError);
    const bad = stream.process<number>({
      processElement(value, context) {
        context.output({ id: 'not a tag' } as OutputTag<number>, value);
      },
    });
    await expect(bad.collect()).rejects.toThrow(ParamError);
  });

  it('refuses two sinks with the same uid', async () => {
    const stream = DataStream.from(iterableSource([1]));
    await expect(
      DataStream.sinkAll([
        stream.to(gather<number>().sink, { uid: 'out' }),
        stream.to(gather<number>().sink, { uid: 'out' }),
      ]),
    ).rejects.toThrow(ParamError);
  });

  it('a side output is exactly-once across a crash and a resume, like the main output', async () => {
    class Crash extends Error {}
    const odd = new OutputTag<{ x: number; sum: number }>('odd');
    async function job(dir: string, options: { crashAt?: number; resume?: boolean }) {
      const environment = new StreamEnvironment({
        checkpoint: { directory: join(dir, 'checkpoints'), everyRecords: 25, resume: options.resume },
      });
      const main = DataStream.from(
        iterableSource(() => Array.from({ length: 400 }, (_, x) => x), { batchSize: 10 }),
        environment,
      )
        .keyBy((x) => x % 3)
        .process<number, { x: number; sum: number }>({
          processElement(x, context, out) {
            if (x === options.crashAt) throw new Crash('crash');
            const sum = (context.state.value() ?? 0) + x;
            context.state.update(sum);
            if (x % 2 === 1) context.output(odd, { x, sum });
            else out.collect({ x, sum });
          },
        });
      // Both branches keep state under default uids of the same depth: the tag keeps them apart.
      const running = (stream: DataStream<{ x: number; sum: number }>) =>
        stream.keyBy((r) => r.x % 5).reduce((a, b) => ({ x: b.x, sum: a.sum + b.sum }));
      return DataStream.sinkAll([
        running(main).to(ndjsonFileSink(join(dir, 'even.ndjson'))),
        running(main.getSideOutput(odd)).to(ndjsonFileSink(join(dir, 'odd.ndjson'))),
      ]);
    }
    const clean = mkdtempSync(join(tmpdir(), 'eddy-side-'));
    await job(clean, {});
    const even = readFileSync(join(clean, 'even.ndjson'), 'utf8');
    const oddLines = readFileSync(join(clean, 'odd.ndjson'), 'utf8');
    expect(even.trim().split('\n')).toHaveLength(200);
    expect(oddLines.trim().split('\n')).toHaveLength(200);
    for (const crashAt of [47, 207, 399]) {
      const dir = mkdtempSync(join(tmpdir(), 'eddy-side-'));
      await expect(job(dir, { crashAt })).rejects.toThrow(Crash);
      const resumed = await job(dir, { resume: true });
      expect(resumed.resumed).toBe(true);
      expect(resumed.records).toBe(400);
      expect(readFileSync(join(dir, 'even.ndjson'), 'utf8')).toBe(even);
      expect(readFileSync(join(dir, 'odd.ndjson'), 'utf8')).toBe(oddLines);
    }
  });
});
