/**
 * CEP through a DataStream: the ported Flink cases again (same matches as the NFA alone, at
 * every source batch size), keyed patterns, event-time ordering of out-of-order records, late
 * records, timed-out partial matches and processing time.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Match } from '../../src/cep/nfa.js';
import { AfterMatchSkipStrategy, Pattern } from '../../src/cep/pattern.js';
import { CEP, type TimedOutPartialMatch } from '../../src/cep/pattern-stream.js';
import { DataStream } from '../../src/stream/datastream.js';
import { StreamEnvironment } from '../../src/stream/environment.js';
import { OutputTag } from '../../src/stream/side-outputs.js';
import { callbackSink } from '../../src/stream/sinks.js';
import { iterableSource } from '../../src/stream/sources.js';
import { boundedOutOfOrderness } from '../../src/stream/watermarks.js';
import { type LateRecord, LateRecordError } from '../../src/stream/windows.js';
import { FLINK_CASES, timeoutHandlingPattern, timeWindowEvents } from './flink-cases.js';
import { type Event, event, expected, feed, labels, named, sorted } from './helpers.js';

function timed<E extends Event>(events: E[], batchSize: number, outOfOrderness = 0) {
  return DataStream.from(iterableSource(events, { batchSize })).assignTimestampsAndWatermarks(
    boundedOutOfOrderness(outOfOrderness, (e: E) => e.time),
  );
}

describe('CEP.pattern over a DataStream on Flink CEP test cases', () => {
  for (const c of FLINK_CASES) {
    it(`mirrors ${c.flink} at source batch sizes 1, 2 and 1000`, async () => {
      for (const batchSize of [1, 2, 1000]) {
        const matches = await CEP.pattern(timed(c.events, batchSize), c.pattern())
          .select((match) => match)
          .collect();
        expect(sorted(matches)).toEqual(expected(...c.matches));
      }
    });
  }
});

describe('CEP.pattern operator', () => {
  const fraud = <E extends Event>() =>
    Pattern.begin<E>('small')
      .where((e) => e.price < 10)
      .followedBy('large')
      .where((e, ctx) => e.price > 100 * ctx.events('small')[0].price)
      .within(60);

  it('matches every key separately on a keyed stream', async () => {
    const names = ['k1', 'k2', 'k3'];
    const events: (Event & { card: string })[] = [];
    for (let i = 0; i < 60; i++) {
      events.push({
        ...event(`e${i}`, i * 7, { price: (i * 37) % 11 === 0 ? 900 : (i * 13) % 12 }),
        card: names[i % 3],
      });
    }
    const stream = DataStream.from(iterableSource(events, { batchSize: 5 })).assignTimestampsAndWatermarks(
      boundedOutOfOrderness(0, (e: Event) => e.time),
    );
    const matches = await CEP.pattern(
      stream.keyBy((e) => e.card),
      fraud<Event & { card: string }>(),
    )
      .process<string>({ processMatch: (match, ctx, out) => out.collect(`${ctx.key}: ${labels(match)}`) })
      .collect();
    const expectedMatches = names.flatMap((card) =>
      feed(
        fraud(),
        events.filter((e) => e.card === card),
      ).matches.map((match) => `${card}: ${labels(match)}`),
    );
    expect(expectedMatches.length).toBeGreaterThan(3);
    expect(matches.sort()).toEqual(expectedMatches.sort());
  });

  it('sorts out-of-order records by event time before matching', async () => {
    const pattern = Pattern.begin<Event>('a').where(named('a')).next('b').where(named('b'));
    const events = [event('b', 5), event('a', 4), event('c', 7), event('a', 6), event('b', 8)];
    const matches = await CEP.pattern(timed(events, 1, 10), pattern)
      .select(labels)
      .collect();
    expect(matches).toEqual(['a b']);
  });

  it('sends records behind the watermark to the late sink, or stops the job without one', async () => {
    const pattern = Pattern.begin<Event>('a').where(named('a')).followedBy('b').where(named('b'));
    const events = [event('a1', 10), event('b1', 20), event('a2', 5), event('b2', 30)];
    const late: LateRecord<Event>[] = [];
    const matches = await CEP.pattern(timed(events, 1), pattern)
      .lateRecordsTo(callbackSink((records) => void late.push(...records)))
      .select(labels)
      .collect();
    expect(matches).toEqual(['a1 b1']);
    expect(late.map((l) => [l.record.label, l.timestamp, l.watermark])).toEqual([['a2', 5, 19]]);
    await expect(CEP.pattern(timed(events, 1), pattern).select(labels).collect()).rejects.toThrow(
      LateRecordError,
    );
  });

  it('mirrors NFAITCase.testSimplePatternWithTimeoutHandling: timed-out partial matches go to their sink', async () => {
    const pattern = timeoutHandlingPattern();
    const timedOut: TimedOutPartialMatch<Event, null>[] = [];
    const matches = await CEP.pattern(timed(timeWindowEvents(), 1), pattern)
      .timedOutTo(callbackSink((records) => void timedOut.push(...records)))
      .select(labels)
      .collect();
    expect(matches).toEqual(['start2 middle end1']);
    expect(timedOut.map((t) => `${labels(t.match)}@${t.timestamp}`).sort()).toEqual(
      ['start1 middle@11', 'start2 middle@12', 'start1@11', 'start2@12'].sort(),
    );
  });

  it('mirrors NFAITCase.testSimplePatternWithTimeoutHandling through an OutputTag, beside the sink', async () => {
    const tag = new OutputTag<string>('timed-out');
    const viaSink: TimedOutPartialMatch<Event, null>[] = [];
    const matches = CEP.pattern(timed(timeWindowEvents(), 1), timeoutHandlingPattern())
      .timedOutTo(callbackSink((records) => void viaSink.push(...records)))
      .process<string>({
        processMatch: (match, _context, out) => out.collect(labels(match)),
        processTimedOutMatch(partial, context) {
          context.output(tag, `${labels(partial.match)}@${partial.timestamp} (${context.timestamp})`);
        },
      });
    const [main, side] = [[] as string[], [] as string[]];
    await DataStream.sinkAll([
      matches.to(callbackSink((records) => void main.push(...records))),
      matches.getSideOutput(tag).to(callbackSink((records) => void side.push(...records))),
    ]);
    expect(main).toEqual(['start2 middle end1']);
    expect(side.sort()).toEqual(
      ['start1 middle@11 (11)', 'start2 middle@12 (12)', 'start1@11 (11)', 'start2@12 (12)'].sort(),
    );
    expect(viaSink).toHaveLength(4);
  });

  it('needs event time unless told to use processing time', async () => {
    const pattern = Pattern.begin<Event>('a').where(named('a')).next('b').where(named('b'));
    const events = [event('a', 9), event('b', 1)];
    const plain = DataStream.from(iterableSource(events));
    await expect(CEP.pattern(plain, pattern).select(labels).collect()).rejects.toThrow(
      /assignTimestampsAndWatermarks/,
    );
    // In processing time the arrival order counts, not the records' own times.
    expect(await CEP.pattern(plain, pattern).inProcessingTime().select(labels).collect()).toEqual(['a b']);
  });

  it('measures within in processing time by the job clock, and times out on the clock', async () => {
    let now = 0;
    const environment = new StreamEnvironment({ clock: () => now });
    async function* arrivals() {
      for (const [label, at] of [
        ['a1', 0],
        ['b1', 5],
        ['a2', 10],
        ['b2', 40],
      ] as const) {
        now = at;
        yield event(label, 0);
      }
    }
    const pattern = Pattern.begin<Event>('a').where(named('a')).followedBy('b').where(named('b')).within(20);
    const timedOut: TimedOutPartialMatch<Event, null>[] = [];
    const matches = await CEP.pattern(DataStream.from(iterableSource(arrivals), environment), pattern)
      .inProcessingTime()
      .timedOutTo(callbackSink((records) => void timedOut.push(...records)))
      .select(labels)
      .collect();
    expect(matches).toEqual(['a1 b1']);
    expect(timedOut.map((t) => `${labels(t.match)}@${t.timestamp}`)).toEqual(['a2@30']);
  });

  it('times partial matches out on the processing-time clock while no record comes', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    async function* arrivals() {
      yield event('a1', 0);
      // The next record comes only once the timer has timed the partial match out.
      await gate;
      yield event('b1', 0);
    }
    const pattern = Pattern.begin<Event>('a').where(named('a')).followedBy('b').where(named('b')).within(20);
    const timedOut: string[] = [];
    const matches = await CEP.pattern(DataStream.from(iterableSource(arrivals)), pattern)
      .inProcessingTime()
      .timedOutTo(
        callbackSink((records) => {
          timedOut.push(...records.map((t) => labels(t.match)));
          open();
        }),
      )
      .select(labels)
      .collect();
    expect(timedOut).toEqual(['a1']);
    expect(matches).toEqual([]);
  });

  it('gives the same matches, in the same order, whatever the source batch size', async () => {
    const pattern = () =>
      Pattern.begin<Event & { key: string }>('start', AfterMatchSkipStrategy.skipPastLastEvent())
        .where(named('a'))
        .followedByAny('middle')
        .where(named('b'))
        .oneOrMore()
        .followedBy('end')
        .where(named('c'))
        .within(12);
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.constantFrom('a', 'b', 'c', 'x'),
            fc.integer({ min: 0, max: 3 }),
            fc.constantFrom('k', 'l'),
          ),
          {
            maxLength: 40,
          },
        ),
        fc.integer({ min: 1, max: 9 }),
        async (spec, batchSize) => {
          let time = 0;
          const events = spec.map(([name, gap, key], i) => ({
            ...event(`${name}${i}`, (time += gap)),
            key: key as string,
          }));
          const run = async (size: number) =>
            CEP.pattern(
              timed(events, size).keyBy((e) => e.key),
              pattern(),
            )
              .process<string>({
                processMatch: (match: Match<Event>, ctx, out) => out.collect(`${ctx.key} ${labels(match)}`),
              })
              .collect();
          expect(await run(batchSize)).toEqual(await run(1000));
        },
      ),
      { numRuns: 60, seed: 3 },
    );
  });
});
