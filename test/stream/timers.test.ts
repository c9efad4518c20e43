import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParamError } from '../../src/core/errors.js';
import { DataStream } from '../../src/stream/datastream.js';
import { StreamEnvironment } from '../../src/stream/environment.js';
import { ndjsonFileSink } from '../../src/stream/sinks.js';
import { iterableSource } from '../../src/stream/sources.js';
import { ascendingTimestamps } from '../../src/stream/watermarks.js';

interface Reading {
  id: string;
  t: number;
}

const readings = (pairs: [string, number][]): Reading[] => pairs.map(([id, t]) => ({ id, t }));

describe('event-time timers', () => {
  it('fire in time order once the watermark passes them, with their key, state and time', async () => {
    // Each key's first record sets a timer 10 ms later; the timer reports how many records the key saw.
    const input = readings([
      ['a', 1],
      ['b', 3],
      ['a', 5],
      ['a', 12],
      ['b', 14],
      ['c', 30],
      ['b', 31],
    ]);
    const fired: { key: string; time: number; count: number; domain: string; watermark: number }[] = [];
    const out = await DataStream.from(iterableSource(input, { batchSize: 1 }))
      .assignTimestampsAndWatermarks(ascendingTimestamps((r) => r.t))
      .keyBy((r) => r.id)
      .process<number, string>({
        processElement(_record, context, collect) {
          const count = context.state.value() ?? 0;
          if (count === 0) context.registerEventTimeTimer(context.timestamp + 10);
          context.state.update(count + 1);
          collect.collect(`record ${context.key}@${context.timestamp}`);
        },
        onTimer(time, context, collect) {
          fired.push({
            key: context.key,
            time,
            count: context.state.value()!,
            domain: context.timeDomain,
            watermark: context.watermark,
          });
          context.state.clear();
          collect.collect(`timer ${context.key}@${context.timestamp}`);
        },
      })
      .collect();
    // A record is processed before the watermark that follows it: a@12 counts in a's timer at 11.
    expect(fired.map(({ key, time, count, domain }) => ({ key, time, count, domain }))).toEqual([
      { key: 'a', time: 11, count: 3, domain: 'event' },
      { key: 'b', time: 13, count: 2, domain: 'event' },
      { key: 'c', time: 40, count: 1, domain: 'event' },
      { key: 'b', time: 41, count: 1, domain: 'event' },
    ]);
    // Watermarks trail the latest time by 1 ms: the timer at 11 fires when the record at 12 comes.
    expect(fired[0].watermark).toBe(11);
    expect(out).toEqual([
      'record a@1',
      'record b@3',
      'record a@5',
      'record a@12',
      'timer a@11',
      'record b@14',
      'timer b@13',
      'record c@30',
      'record b@31',
      // The bounded input ends: the watermark goes to +Infinity and the rest fire.
      'timer c@40',
      'timer b@41',
    ]);
  });

  it('keeps one timer per key and time, deletes timers, and stamps timer output with the timer time', async () => {
    const input = readings([
      ['a', 1],
      ['a', 2],
      ['b', 2],
      ['a', 100],
    ]);
    const stream = DataStream.from(iterableSource(input, { batchSize: 2 }))
      .assignTimestampsAndWatermarks(ascendingTimestamps((r) => r.t))
      .keyBy((r) => r.id)
      .process<null, [string, number]>({
        processElement(record, context) {
          context.registerEventTimeTimer(50);
          context.registerEventTimeTimer(60);
          if (record.id === 'b') context.deleteEventTimeTimer(60);
        },
        onTimer(time, context, out) {
          out.collect([context.key, time]);
        },
      })
      .process<{ value: [string, number]; t: number }>({
        processElement(value, context, out) {
          out.collect({ value, t: context.timestamp });
        },
      });
    expect(await stream.collect()).toEqual([
      { value: ['a', 50], t: 50 },
      { value: ['b', 50], t: 50 },
      { value: ['a', 60], t: 60 },
    ]);
  });

  it('fires timers that onTimer registers at or before the watermark in the same pass', async () => {
    const out = await DataStream.from(
      iterableSource(
        readings([
          ['a', 0],
          ['a', 100],
        ]),
        { batchSize: 1 },
      ),
    )
      .assignTimestampsAndWatermarks(ascendingTimestamps((r) => r.t))
      .keyBy((r) => r.id)
      .process<null, number>({
        processElement(record, context) {
          if (record.t === 0) context.registerEventTimeTimer(10);
        },
        onTimer(time, context, out) {
          out.collect(time);
          if (time < 40) context.registerEventTimeTimer(time + 10);
        },
      })
      .collect();
    expect(out).toEqual([10, 20, 30, 40]);
  });

  it('refuses a timer at a time that is not a number', async () => {
    const run = DataStream.from(iterableSource(readings([['a', 1]])))
      .keyBy((r) => r.id)
      .process({
        processElement(_record, context) {
          context.registerEventTimeTimer(context.timestamp); // NaN: the stream has no event time
        },
      })
      .collect();
    await expect(run).rejects.toThrow(ParamError);
  });
});

describe('processing-time timers', () => {
  it('fire when the job clock reaches them, checked after every batch', async () => {
    let now = 0;
    const environment = new StreamEnvironment({ clock: () => now });
    const out = await DataStream.from(
      iterableSource(
        [
          { id: 'a', at: 0 },
          { id: 'b', at: 5 },
          { id: 'a', at: 9 },
          { id: 'a', at: 10 },
          { id: 'b', at: 30 },
        ],
        { batchSize: 1 },
      ),
      environment,
    )
      .map((record) => {
        now = record.at;
        return record;
      })
      .keyBy((r) => r.id)
      .process<null, string>({
        processElement(_record, context, collect) {
          context.registerProcessingTimeTimer(context.currentProcessingTime() + 10);
          collect.collect(`${context.key} at ${now}`);
        },
        onTimer(time, context, collect) {
          collect.collect(`${context.key} timer ${time} (${context.timeDomain}, now ${now})`);
        },
      })
      .collect();
    expect(out).toEqual([
      'a at 0',
      'b at 5',
      'a at 9',
      'a at 10',
      'a timer 10 (processing, now 10)',
      'b at 30',
      'b timer 15 (processing, now 30)',
      'a timer 19 (processing, now 30)',
      'a timer 20 (processing, now 30)',
      // b's timer at 40 is still waiting when the bounded input ends: it does not fire (as in Flink).
    ]);
  });

  it('fire on the clock while no record comes', async () => {
    async function* slow() {
      yield 'first';
      await new Promise((resolve) => setTimeout(resolve, 300));
      yield 'second';
    }
    const out = await DataStream.from(iterableSource(slow()))
      .keyBy(() => 'k')
      .process<null, string>({
        processElement(record, context, collect) {
          if (record === 'first') context.registerProcessingTimeTimer(context.currentProcessingTime() + 20);
          collect.collect(record);
        },
        onTimer(_time, _context, collect) {
          collect.collect('timer');
        },
      })
      .collect();
    expect(out).toEqual(['first', 'timer', 'second']);
  });
});

describe('timers in checkpoints', () => {
  class Crash extends Error {}

  /** Sessions per user: a timer 25 ms after a user's last event closes the session. */
  const input = () =>
    Array.from({ length: 300 }, (_, i) => ({ user: i % 7, t: i * 4 + (i % 11 === 0 ? 40 : 0) }));

  async function job(dir: string, options: { crashAt?: number; resume?: boolean }) {
    const environment = new StreamEnvironment({
      checkpoint: { directory: join(dir, 'checkpoints'), everyRecords: 20, resume: options.resume },
    });
    return DataStream.from(iterableSource(input, { batchSize: 5 }), environment)
      .assignTimestampsAndWatermarks(ascendingTimestamps((r) => r.t))
      .keyBy((r) => r.user)
      .process<{ last: number; count: number }, { user: number; end: number; count: number }>({
        processElement(_record, context) {
          if (context.timestamp === options.crashAt) throw new Crash('crash');
          const session = context.state.value();
          if (session) context.deleteEventTimeTimer(session.last + 25);
          context.registerEventTimeTimer(context.timestamp + 25);
          context.state.update({ last: context.timestamp, count: (session?.count ?? 0) + 1 });
        },
        onTimer(time, context, out) {
          out.collect({ user: context.key, end: time, count: context.state.value()!.count });
          context.state.clear();
        },
      })
      .sinkTo(ndjsonFileSink(join(dir, 'sessions.ndjson')));
  }

  it('a job stopped after a checkpoint and resumed fires every timer exactly once', async () => {
    const clean = mkdtempSync(join(tmpdir(), 'eddy-timers-'));
    await job(clean, {});
    const expected = readFileSync(join(clean, 'sessions.ndjson'), 'utf8');
    const sessions = expected
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(sessions.length).toBeGreaterThan(20);
    // Every record belongs to exactly one session.
    expect(sessions.reduce((sum, s) => sum + s.count, 0)).toBe(300);

    for (const crashAt of [4 * 61, 4 * 150, 4 * 299]) {
      const dir = mkdtempSync(join(tmpdir(), 'eddy-timers-'));
      await expect(job(dir, { crashAt })).rejects.toThrow(Crash);
      const resumed = await job(dir, { resume: true });
      expect(resumed.resumed).toBe(true);
      expect(readFileSync(join(dir, 'sessions.ndjson'), 'utf8')).toBe(expected);
    }
  });
});
