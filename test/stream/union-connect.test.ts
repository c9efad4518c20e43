import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParamError } from '../../src/core/errors.js';
import { DataStream } from '../../src/stream/datastream.js';
import { StreamEnvironment } from '../../src/stream/environment.js';
import type { StreamEvent } from '../../src/stream/events.js';
import { OutputTag } from '../../src/stream/side-outputs.js';
import { callbackSink, ndjsonFileSink } from '../../src/stream/sinks.js';
import { iterableSource } from '../../src/stream/sources.js';
import { ascendingTimestamps } from '../../src/stream/watermarks.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The watermarks that pass a point of a stream, recorded into `seen`. */
const watermarksInto = (seen: number[]) =>
  async function* <T>(input: AsyncIterable<StreamEvent<T>>): AsyncIterable<StreamEvent<T>> {
    for await (const event of input) {
      if (event.kind === 'watermark') seen.push(event.time);
      yield event;
    }
  };

class Crash extends Error {}

describe('union', () => {
  it('merges the records of streams of one type; the watermark is the minimum of the inputs', async () => {
    const environment = new StreamEnvironment();
    const fast = DataStream.from(
      iterableSource([100, 200], { batchSize: 1 }),
      environment,
    ).assignTimestampsAndWatermarks(ascendingTimestamps((t) => t));
    async function* slow(): AsyncIterable<number> {
      await sleep(20);
      yield 5;
      await sleep(20);
      yield 6;
    }
    const slowStream = DataStream.from(iterableSource(slow()), environment).assignTimestampsAndWatermarks(
      ascendingTimestamps((t) => t),
    );
    const seen: number[] = [];
    const third = DataStream.from(iterableSource([1000]), environment).map((t) => t + 1);
    const out = await fast.union(slowStream, third).pipe(watermarksInto(seen)).collect();
    expect([...out].sort((a, b) => a - b)).toEqual([5, 6, 100, 200, 1001]);
    // The fast input's watermarks (99, 199) never pass the slow one's, and the third input has
    // none: the minimum rises only when the third has ended and then follows the slow input.
    expect(seen).toEqual([4, 5, Number.POSITIVE_INFINITY]);
  });

  it('refuses streams of different environments', () => {
    expect(() => DataStream.from(iterableSource([1])).union(DataStream.from(iterableSource([2])))).toThrow(
      ParamError,
    );
    expect(() => DataStream.from(iterableSource([1])).connect(DataStream.from(iterableSource([2])))).toThrow(
      ParamError,
    );
  });

  it('streams of two sources, unioned or connected, resume exactly-once (each source at its own position)', async () => {
    // Two sources of different lengths and batch sizes: one ends long before the other.
    const letters = (n: number) => Array.from({ length: n }, (_, i) => `a${i}`);
    const numbers = (n: number) => Array.from({ length: n }, (_, i) => i);
    async function job(
      dir: string,
      how: 'union' | 'connect',
      options: { crashAt?: string; resume?: boolean },
    ) {
      const environment = new StreamEnvironment({
        checkpoint: { directory: join(dir, 'checkpoints'), everyRecords: 25, resume: options.resume },
      });
      const a = DataStream.from(
        iterableSource(() => letters(120), { batchSize: 7 }),
        environment,
      );
      const b = DataStream.from(
        iterableSource(() => numbers(400), { batchSize: 11 }),
        environment,
      ).map((x) => `b${x}`);
      const merged =
        how === 'union'
          ? a.union(b)
          : a.connect(b).map(
              (x) => x,
              (y) => y,
            );
      return merged
        .keyBy((r) => r[0])
        .process<number, string>({
          processElement(record, context, out) {
            if (record === options.crashAt) throw new Crash('crash');
            const count = (context.state.value() ?? 0) + 1;
            context.state.update(count);
            out.collect(`${record} ${count}`);
          },
        })
        .sinkTo(ndjsonFileSink(join(dir, 'out.ndjson')));
    }
    for (const how of ['union', 'connect'] as const) {
      const clean = mkdtempSync(join(tmpdir(), 'eddy-union-'));
      const whole = await job(clean, how, {});
      expect(whole.records).toBe(520);
      const expected = readFileSync(join(clean, 'out.ndjson'), 'utf8').trim().split('\n');
      expect(expected).toHaveLength(520);
      for (const crashAt of ['b57', 'a100', 'b250', 'b399']) {
        const dir = mkdtempSync(join(tmpdir(), 'eddy-union-'));
        await expect(job(dir, how, { crashAt })).rejects.toThrow(Crash);
        const resumed = await job(dir, how, { resume: true });
        expect(resumed.resumed).toBe(true);
        const lines = readFileSync(join(dir, 'out.ndjson'), 'utf8').trim().split('\n');
        // Every record once, and each key's count 1..n: no record of either source counted twice.
        expect([...lines].sort()).toEqual([...expected].sort());
      }
    }
  });

  it('refuses two stateful branch operators with the same uid at a checkpoint, naming it', async () => {
    const run = (uids: boolean) => {
      const environment = new StreamEnvironment({
        checkpoint: { directory: mkdtempSync(join(tmpdir(), 'eddy-union-')), everyRecords: 5 },
      });
      const all = DataStream.from(
        iterableSource(() => Array.from({ length: 20 }, (_, x) => x)),
        environment,
      );
      const count = (stream: DataStream<number>, uid: string) =>
        stream.keyBy((x) => x % 2).reduce((a, b) => a + b, uids ? { uid } : undefined);
      return count(
        all.filter((x) => x < 10),
        'low',
      )
        .union(
          count(
            all.filter((x) => x >= 10),
            'high',
          ),
        )
        .sinkTo(callbackSink(() => {}));
    };
    // Both reduce operators are at depth 2 of the same source: their default uid is the same.
    await expect(run(false)).rejects.toThrow(/keyed-process-2/);
    expect((await run(true)).checkpoints).toBeGreaterThan(0);
  });

  it('branches of one source split and unioned again resume exactly-once (barriers aligned)', async () => {
    async function job(dir: string, options: { crashAt?: number; resume?: boolean }) {
      const environment = new StreamEnvironment({
        checkpoint: { directory: join(dir, 'checkpoints'), everyRecords: 30, resume: options.resume },
      });
      const all = DataStream.from(
        iterableSource(() => Array.from({ length: 500 }, (_, x) => x), { batchSize: 7 }),
        environment,
      );
      const small = all.filter((x) => x % 10 < 3).map((x) => ({ x, branch: 'small' }));
      const large = all.filter((x) => x % 10 >= 3).map((x) => ({ x, branch: 'large' }));
      return small
        .union(large)
        .keyBy((r) => r.x % 4)
        .process<number, string>({
          processElement(record, context, out) {
            if (record.x === options.crashAt) throw new Crash('crash');
            const count = (context.state.value() ?? 0) + 1;
            context.state.update(count);
            out.collect(`${record.x} ${record.branch} ${count}`);
          },
        })
        .sinkTo(ndjsonFileSink(join(dir, 'out.ndjson')));
    }
    const clean = mkdtempSync(join(tmpdir(), 'eddy-union-'));
    await job(clean, {});
    const expected = readFileSync(join(clean, 'out.ndjson'), 'utf8').trim().split('\n');
    expect(expected).toHaveLength(500);
    // Each key counts its records once: the counts of a key are 1..n.
    for (let key = 0; key < 4; key++) {
      const counts = expected
        .map((line) => JSON.parse(line) as string)
        .filter((line) => Number(line.split(' ')[0]) % 4 === key)
        .map((line) => Number(line.split(' ')[2]));
      expect(counts).toEqual(Array.from({ length: 125 }, (_, i) => i + 1));
    }
    for (const crashAt of [101, 333, 499]) {
      const dir = mkdtempSync(join(tmpdir(), 'eddy-union-'));
      await expect(job(dir, { crashAt })).rejects.toThrow(Crash);
      const resumed = await job(dir, { resume: true });
      expect(resumed.resumed).toBe(true);
      const lines = readFileSync(join(dir, 'out.ndjson'), 'utf8').trim().split('\n');
      // The order of the two branches may differ between runs; each record is there exactly once.
      expect(lines.map((line) => (JSON.parse(line) as string).split(' ')[0]).sort()).toEqual(
        expected.map((line) => (JSON.parse(line) as string).split(' ')[0]).sort(),
      );
    }
  });
});

describe('connect', () => {
  it('a CoMap maps each input with its own function', async () => {
    const environment = new StreamEnvironment();
    const numbers = DataStream.from(iterableSource([1, 2, 3]), environment);
    const words = DataStream.from(iterableSource(['a', 'bb']), environment);
    const out = await numbers
      .connect(words)
      .map(
        (n) => `n${n * 2}`,
        (w) => `w${w.length}`,
      )
      .collect();
    expect(out.sort()).toEqual(['n2', 'n4', 'n6', 'w1', 'w2']);
  });

  it('a CoProcessFunction shares state between its inputs and emits side outputs', async () => {
    const environment = new StreamEnvironment();
    const left = DataStream.from(iterableSource([10, 20, 30], { batchSize: 1 }), environment);
    const right = DataStream.from(iterableSource(['x', 'yy'], { batchSize: 1 }), environment);
    const lengths = new OutputTag<number>('lengths');
    let total = 0;
    const main = left.connect(right).process<number>({
      processElement1(value) {
        total += value;
      },
      processElement2(value, context) {
        total += value.length * 1000;
        context.output(lengths, value.length);
      },
      onEnd(out) {
        out.collect(total);
      },
    });
    const [sums, sides] = [[] as number[], [] as number[]];
    await DataStream.sinkAll([
      main.to(callbackSink((records) => void sums.push(...records))),
      main.getSideOutput(lengths).to(callbackSink((records) => void sides.push(...records))),
    ]);
    expect(sums).toEqual([3060]);
    expect(sides).toEqual([1, 2]);
  });

  /** Orders and payments of one source: an order not paid within 10 ms is reported by its timer. */
  async function payments(dir: string, options: { crashAt?: number; resume?: boolean } = {}) {
    const environment = new StreamEnvironment({
      checkpoint: { directory: join(dir, 'checkpoints'), everyRecords: 25, resume: options.resume },
    });
    type Event = { kind: 'order' | 'payment'; id: number; t: number };
    const events = (): Event[] =>
      Array.from({ length: 300 }, (_, i) => {
        const id = Math.floor(i / 2);
        // Every order is followed by its payment, 4 ms later or (every third order) 30 ms later.
        return i % 2 === 0
          ? { kind: 'order' as const, id, t: id * 20 }
          : { kind: 'payment' as const, id, t: id * 20 + (id % 3 === 0 ? 30 : 4) };
      }).sort((a, b) => a.t - b.t);
    const all = DataStream.from(
      iterableSource(events, { batchSize: 1 }),
      environment,
    ).assignTimestampsAndWatermarks(ascendingTimestamps((e) => e.t));
    const orders = all.filter((e) => e.kind === 'order');
    const paid = all.filter((e) => e.kind === 'payment').map((e) => e.id);
    return orders
      .connect(paid)
      .keyBy(
        (order) => order.id,
        (id) => id,
      )
      .process<boolean, string>({
        processElement1(order, context) {
          if (order.id === options.crashAt) throw new Crash('crash');
          context.registerEventTimeTimer(order.t + 10);
        },
        processElement2(_id, context) {
          context.state.update(true);
        },
        onTimer(time, context, out) {
          if (!context.state.value()) out.collect(`order ${context.key} unpaid at ${time}`);
        },
      })
      .sinkTo(ndjsonFileSink(join(dir, 'unpaid.ndjson')));
  }

  it('keyed connect: per-key state and event-time timers over both inputs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eddy-connect-'));
    await payments(dir);
    const unpaid = readFileSync(join(dir, 'unpaid.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const expected = Array.from({ length: 50 }, (_, k) => `order ${k * 3} unpaid at ${k * 60 + 10}`);
    expect(unpaid).toEqual(expected);
  });

  it('keyed connect resumes exactly-once: each timer fires once', async () => {
    const clean = mkdtempSync(join(tmpdir(), 'eddy-connect-'));
    await payments(clean);
    const expected = readFileSync(join(clean, 'unpaid.ndjson'), 'utf8');
    for (const crashAt of [40, 149]) {
      const dir = mkdtempSync(join(tmpdir(), 'eddy-connect-'));
      await expect(payments(dir, { crashAt })).rejects.toThrow(Crash);
      const resumed = await payments(dir, { crashAt: undefined, resume: true });
      expect(resumed.resumed).toBe(true);
      expect(readFileSync(join(dir, 'unpaid.ndjson'), 'utf8')).toBe(expected);
    }
  });
});
