import { describe, expect, it } from 'vitest';
import { DataStream } from '../../src/stream/datastream.js';
import { StreamEnvironment } from '../../src/stream/environment.js';
import { callbackSink } from '../../src/stream/sinks.js';
import { iterableSource } from '../../src/stream/sources.js';
import { boundedOutOfOrderness } from '../../src/stream/watermarks.js';
import {
  type LateRecord,
  LateRecordError,
  sessionWindows,
  slidingWindows,
  tumblingWindows,
} from '../../src/stream/windows.js';

interface Event {
  key: string;
  t: number;
  v: number;
}

const event = (key: string, t: number, v = 1): Event => ({ key, t, v });
const sum = {
  create: () => 0,
  add: (total: number, record: Event) => total + record.v,
  merge: (a: number, b: number) => a + b,
  result: (total: number) => total,
};

function timed(events: Event[], outOfOrderness: number, batchSize = 1) {
  return DataStream.from(iterableSource(events, { batchSize })).assignTimestampsAndWatermarks(
    boundedOutOfOrderness(outOfOrderness, (record: Event) => record.t),
  );
}

describe('watermarks', () => {
  it('trail the largest event time by the bound (max - bound - 1) and end at +Infinity', async () => {
    const watermarks: number[] = [];
    const stream = timed([event('a', 10), event('a', 30), event('a', 20), event('a', 31)], 5);
    const probe = stream.pipe(async function* (input) {
      for await (const e of input) {
        if (e.kind === 'watermark') watermarks.push(e.time);
        yield e;
      }
    });
    await probe.collect();
    expect(watermarks).toEqual([4, 24, 25, Number.POSITIVE_INFINITY]);
  });
});

describe('event-time windows', () => {
  it('tumbling windows count out-of-order records within the bound', async () => {
    const events = [
      event('a', 1),
      event('b', 2),
      event('a', 12),
      event('a', 5),
      event('b', 9),
      event('a', 25),
      event('a', 11),
    ];
    const results = await timed(events, 10)
      .keyBy((e) => e.key)
      .window(tumblingWindows(10))
      .aggregate(sum)
      .collect();
    expect(results).toEqual([
      { key: 'a', start: 0, end: 10, value: 2 },
      { key: 'b', start: 0, end: 10, value: 2 },
      { key: 'a', start: 10, end: 20, value: 2 },
      { key: 'a', start: 20, end: 30, value: 1 },
    ]);
  });

  it('takes an inline aggregator whose accumulator starts as a literal (typed number, not 0)', async () => {
    // Written inline, `create: () => 0` must widen to number for `add` to typecheck (npm run typecheck).
    const results = await timed([event('a', 1), event('a', 2), event('a', 14)], 0)
      .keyBy((e) => e.key)
      .window(tumblingWindows(10))
      .aggregate({ create: () => 0, add: (n, e) => n + e.v, result: (n) => n * 10 })
      .collect();
    const first: number = results[0].value;
    expect(first).toBe(20);
    expect(results.map((r) => r.value)).toEqual([20, 10]);
  });

  it('sends records later than the bound to the late sink, never dropping them', async () => {
    const events = [event('a', 1), event('a', 15), event('a', 3), event('a', 16)];
    const late: LateRecord<Event>[] = [];
    const results = await timed(events, 2)
      .keyBy((e) => e.key)
      .window(tumblingWindows(10))
      .lateRecordsTo(callbackSink((records) => void late.push(...records)))
      .aggregate(sum)
      .collect();
    expect(results).toEqual([
      { key: 'a', start: 0, end: 10, value: 1 },
      { key: 'a', start: 10, end: 20, value: 2 },
    ]);
    expect(late).toEqual([{ record: event('a', 3), timestamp: 3, watermark: 12 }]);
    await expect(
      timed(events, 2)
        .keyBy((e) => e.key)
        .window(tumblingWindows(10))
        .aggregate(sum)
        .collect(),
    ).rejects.toThrow(LateRecordError);
  });

  it('with allowed lateness, a late record fires its window again; later ones still go aside', async () => {
    const events = [event('a', 1), event('a', 15), event('a', 3, 5), event('a', 40), event('a', 4)];
    const late: LateRecord<Event>[] = [];
    const results = await timed(events, 2)
      .windowAll(tumblingWindows(10))
      .allowedLateness(10)
      .lateRecordsTo(callbackSink((records) => void late.push(...records)))
      .aggregate(sum)
      .collect();
    expect(results).toEqual([
      { key: null, start: 0, end: 10, value: 1 },
      { key: null, start: 0, end: 10, value: 6 },
      { key: null, start: 10, end: 20, value: 1 },
      { key: null, start: 40, end: 50, value: 1 },
    ]);
    expect(late.map((l) => l.record)).toEqual([event('a', 4)]);
  });

  it('sliding windows hold each record in size/slide windows', async () => {
    const events = [event('a', 0), event('a', 4), event('a', 7), event('a', 12)];
    const results = await timed(events, 0, 4)
      .windowAll(slidingWindows(10, 5))
      .process((records) => records.map((r) => r.t))
      .collect();
    expect(results).toEqual([
      { key: null, start: -5, end: 5, value: [0, 4] },
      { key: null, start: 0, end: 10, value: [0, 4, 7] },
      { key: null, start: 5, end: 15, value: [7, 12] },
      { key: null, start: 10, end: 20, value: [12] },
    ]);
  });

  it('session windows merge when an out-of-order record bridges the gap', async () => {
    const events = [
      event('a', 0),
      event('a', 3),
      event('b', 4),
      event('a', 20),
      event('a', 12),
      event('a', 40),
    ];
    const results = await timed(events, 15)
      .keyBy((e) => e.key)
      .window(sessionWindows(10))
      .aggregate(sum)
      .collect();
    expect(results).toEqual([
      { key: 'b', start: 4, end: 14, value: 1 },
      { key: 'a', start: 0, end: 30, value: 4 },
      { key: 'a', start: 40, end: 50, value: 1 },
    ]);
  });
});

describe('count and processing-time windows', () => {
  it('count windows per key, tumbling and sliding, emitting the incomplete rest at the end', async () => {
    const values = [1, 2, 3, 4, 5, 6, 7];
    const tumbling = await DataStream.from(iterableSource(values))
      .keyBy(() => 'all')
      .countWindow(3)
      .reduce((a, b) => a + b)
      .collect();
    expect(tumbling.map((w) => [w.start, w.end, w.value])).toEqual([
      [0, 3, 6],
      [3, 6, 15],
      [6, 7, 7],
    ]);
    const sliding = await DataStream.from(iterableSource(values))
      .keyBy((x) => x % 2)
      .countWindow(2, 1)
      .process((records) => records)
      .collect();
    expect(sliding.map((w) => w.value)).toEqual([
      [1, 3],
      [2, 4],
      [3, 5],
      [4, 6],
      [5, 7],
    ]);
  });

  it('processing-time tumbling windows follow the clock', async () => {
    let now = 1000;
    const environment = new StreamEnvironment({ clock: () => now });
    const ticks = iterableSource(
      (function* () {
        for (let i = 0; i < 6; i++) {
          now += 4;
          yield i;
        }
      })(),
      { batchSize: 1 },
    );
    const results = await DataStream.from(ticks, environment)
      .windowAll(tumblingWindows(10, 'processing'))
      .process((records) => records)
      .collect();
    // Arrivals at 1004, 1008, 1012, 1016, 1020, 1024.
    expect(results.map((w) => [w.start, w.value])).toEqual([
      [1000, [0, 1]],
      [1010, [2, 3]],
      [1020, [4, 5]],
    ]);
  });

  it('processing-time windows fire on a timer while the input is idle', async () => {
    async function* slow() {
      yield 1;
      await new Promise((resolve) => setTimeout(resolve, 400));
      yield 2;
    }
    const fired: number[] = [];
    const start = Date.now();
    await DataStream.from(iterableSource(slow()))
      .windowAll(tumblingWindows(30, 'processing'))
      .process((records) => records)
      .sinkTo(callbackSink((windows) => void fired.push(...windows.map(() => Date.now() - start))));
    expect(fired).toHaveLength(2);
    // The first window fires on its timer, long before the second record arrives.
    expect(fired[0]).toBeLessThan(300);
  });
});
