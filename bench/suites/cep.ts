/**
 * CEP throughput: 1,000,000 card purchases over 1,000 cards, in event time, the fraud rule "a
 * purchase under 10, then on the same card one over 100 times as large, within 60 s" (Flink CEP
 * semantics: followedBy, no skip). Three ways, measured in the same run and checked to find the
 * same matches: `CEP.pattern` on the keyed stream (the NFA and its shared buffer per key, events
 * sorted up to the watermark), a hand-written keyed state machine for the same rule on the same
 * stream (`KeyedStream.process` with a list of open small purchases per card), and the same
 * state machine as a plain loop over the array (no stream at all: the floor).
 */

import { loadavg } from 'node:os';
import { Pattern } from '../../src/cep/pattern.js';
import { CEP } from '../../src/cep/pattern-stream.js';
import { random } from '../../src/core/random.js';
import { DataStream } from '../../src/stream/datastream.js';
import { callbackSink } from '../../src/stream/sinks.js';
import { iterableSource } from '../../src/stream/sources.js';
import { ascendingTimestamps } from '../../src/stream/watermarks.js';
import { machineDescription, median } from '../timing.js';

const EVENTS = 1_000_000;
const CARDS = 1_000;
const WINDOW = 60_000;

interface Purchase {
  card: number;
  time: number;
  amount: number;
}

function purchases(): Purchase[] {
  const rng = random('cep-bench');
  return Array.from({ length: EVENTS }, (_, i) => ({
    card: rng.integer(0, CARDS),
    time: i * 5,
    amount: rng.uniform() < 0.2 ? rng.integer(1, 10) : rng.integer(10, 2000),
  }));
}

const fraud = () =>
  Pattern.begin<Purchase>('small')
    .where((p) => p.amount < 10)
    .followedBy('large')
    .where((p, ctx) => p.amount > 100 * ctx.events('small')[0].amount)
    .within(WINDOW);

function timed(events: Purchase[]) {
  return DataStream.from(iterableSource(events, { batchSize: 1024 })).assignTimestampsAndWatermarks(
    ascendingTimestamps((p: Purchase) => p.time),
  );
}

async function viaCep(events: Purchase[]): Promise<number> {
  let matches = 0;
  await CEP.pattern(
    timed(events).keyBy((p) => p.card),
    fraud(),
  )
    .select((match) => match.large[0].time)
    .sinkTo(
      callbackSink((records) => {
        matches += records.length;
      }),
    );
  return matches;
}

/** The rule by hand: per card, the small purchases still open ([amount, time] pairs). */
function step(open: [number, number][], p: Purchase, emit: () => void): [number, number][] {
  const kept: [number, number][] = [];
  for (const small of open) {
    if (p.time - small[1] >= WINDOW) continue;
    if (p.amount > 100 * small[0]) emit();
    else kept.push(small);
  }
  if (p.amount < 10) kept.push([p.amount, p.time]);
  return kept;
}

async function viaKeyedProcess(events: Purchase[]): Promise<number> {
  let matches = 0;
  await timed(events)
    .keyBy((p) => p.card)
    .process<[number, number][], number>({
      processElement(p, context, out) {
        const next = step(context.state.value() ?? [], p, () => out.collect(p.time));
        if (next.length > 0) context.state.update(next);
        else context.state.clear();
      },
    })
    .sinkTo(
      callbackSink((records) => {
        matches += records.length;
      }),
    );
  return matches;
}

function viaLoop(events: Purchase[]): number {
  let matches = 0;
  const open = new Map<number, [number, number][]>();
  for (const p of events)
    open.set(
      p.card,
      step(open.get(p.card) ?? [], p, () => matches++),
    );
  return matches;
}

async function measure(task: () => number | Promise<number>, runs: number) {
  const wall: number[] = [];
  const cpu: number[] = [];
  let result = 0;
  for (let i = 0; i <= runs; i++) {
    const startCpu = process.cpuUsage();
    const start = performance.now();
    result = await task();
    const used = process.cpuUsage(startCpu);
    // The first run warms up and is not counted.
    if (i === 0) continue;
    wall.push(performance.now() - start);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu), result };
}

export async function run(): Promise<void> {
  const events = purchases();
  console.log(
    `${machineDescription()}; ${EVENTS.toLocaleString('en')} events, ${CARDS} cards, within ${WINDOW} ms`,
  );
  const rows = [
    ['CEP.pattern(keyed stream, fraud pattern)', () => viaCep(events)],
    ['hand-written keyed state machine (KeyedStream.process)', () => viaKeyedProcess(events)],
    ['hand-written state machine, plain loop over the array', () => viaLoop(events)],
  ] as const;
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(', ');
  console.log(`load average (1, 5, 15 min) before: ${load()}`);
  const results = [];
  for (const [name, task] of rows) results.push({ name, ...(await measure(task, 3)) });
  console.log(`load average (1, 5, 15 min) after: ${load()}`);
  const matches = new Set(results.map((r) => r.result));
  if (matches.size !== 1)
    throw new Error(`the three ways disagree: ${results.map((r) => r.result).join(', ')}`);
  console.log(`matches: ${results[0].result}`);
  console.log('| path | wall ms | events/s (wall) | CPU ms | events/s per core (CPU time) | CPU vs CEP |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    const rate = (ms: number) => `${Math.round(EVENTS / (ms / 1000)).toLocaleString('en')}/s`;
    console.log(
      `| ${r.name} | ${r.wall.toFixed(0)} | ${rate(r.wall)} | ${r.cpu.toFixed(0)} | ${rate(r.cpu)} | ${(results[0].cpu / r.cpu).toFixed(2)}x |`,
    );
  }
}
