/**
 * What the CEP tests share: Flink's test Event (name, price, optional volume as its SubEvent
 * has), a feeder that runs an NFA the way Flink's NFATestHarness does (advance time, then
 * process each record), and matches written as lists of event labels so that Flink's expected
 * results read the same here.
 */
import type { Match } from '../../src/cep/nfa.js';
import { NFA } from '../../src/cep/nfa.js';
import type { Pattern } from '../../src/cep/pattern.js';

/** Flink's test Event; `label` names it in expected matches ("a1"). */
export interface Event {
  label: string;
  name: string;
  price: number;
  volume?: number;
  time: number;
}

/** An event `label` with name `name` (default: the label without digits) at time `time`. */
export function event(
  label: string,
  time: number,
  options: { name?: string; price?: number; volume?: number } = {},
): Event {
  const result: Event = {
    label,
    name: options.name ?? label.replace(/\d+$/, ''),
    price: options.price ?? 0,
    time,
  };
  if (options.volume !== undefined) result.volume = options.volume;
  return result;
}

/** A match as the labels of its events, step by step (Flink's flattened match). */
export function labels(match: Match<Event>): string {
  return Object.values(match)
    .flat()
    .map((e) => e.label)
    .join(' ');
}

/**
 * Matches in a canonical form, as Flink's comparePatterns compares them: the events of each
 * match sorted, then the matches sorted (a match is its events, whatever step took which).
 */
export function sorted(matches: Match<Event>[]): string[] {
  return matches
    .map((match) =>
      Object.values(match)
        .flat()
        .map((e) => e.label)
        .sort()
        .join(' '),
    )
    .sort();
}

/** Runs `pattern` over `events` in order; returns the matches and timed-out partial matches. */
export function feed(pattern: Pattern<Event>, events: readonly Event[]) {
  const nfa = new NFA(pattern);
  const matches: Match<Event>[] = [];
  const timedOut: { match: Match<Event>; timestamp: number }[] = [];
  for (const e of events) {
    const advanced = nfa.advanceTime(e.time);
    matches.push(...advanced.matches);
    timedOut.push(...advanced.timedOut);
    matches.push(...nfa.process(e, e.time));
  }
  return { matches, timedOut, nfa };
}

/** The matches of `pattern` over `events`, canonically ordered. */
export function run(pattern: Pattern<Event>, events: readonly Event[]): string[] {
  return sorted(feed(pattern, events).matches);
}

/** Expected matches written as label lists, in the canonical form of {@link sorted}. */
export function expected(...matches: string[][]): string[] {
  return matches.map((m) => [...m].sort().join(' ')).sort();
}

/** A condition on the name. */
export const named =
  (name: string) =>
  (e: Event): boolean =>
    e.name === name;
