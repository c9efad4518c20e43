/**
 * Timers of keyed process functions (Flink's TimerService): per key, event-time timers fire when
 * the watermark reaches them and processing-time timers when the job's clock does. A key has at
 * most one timer per time and domain, as in Flink. Timers are operator state: they are saved in
 * checkpoints and restored on resume, so a resumed job fires each timer exactly once.
 */
import { ParamError } from '../core/errors.js';
import type { JobContext } from './checkpoint.js';
import type { JsonValue } from './events.js';

/** Which clock a timer follows. */
export type TimeDomain = 'event' | 'processing';

/** One registered timer. */
export interface Timer<K> {
  domain: TimeDomain;
  key: K;
  time: number;
}

/** The timers of one operator, for every key. */
export class TimerQueue<K extends JsonValue> {
  private readonly timers = new Map<string, Timer<K>>();
  /**
   * The earliest time per domain, or undefined when it must be found again: the checks after
   * every batch and watermark cost nothing while no timer is due.
   */
  private readonly earliest: Record<TimeDomain, number | undefined> = {
    event: Number.POSITIVE_INFINITY,
    processing: Number.POSITIVE_INFINITY,
  };

  private static id(domain: TimeDomain, key: JsonValue, time: number): string {
    return `${domain}|${time}|${JSON.stringify(key)}`;
  }

  /** Registers a timer (again registering the same one does nothing). */
  register(domain: TimeDomain, key: K, time: number): void {
    if (typeof time !== 'number' || Number.isNaN(time)) {
      throw new ParamError(`${domain}-time timer`, time, 'a time in milliseconds');
    }
    const id = TimerQueue.id(domain, key, time);
    if (this.timers.has(id)) return;
    this.timers.set(id, { domain, key, time });
    const earliest = this.earliest[domain];
    if (earliest !== undefined && time < earliest) this.earliest[domain] = time;
  }

  delete(domain: TimeDomain, key: K, time: number): void {
    if (this.timers.delete(TimerQueue.id(domain, key, time)) && time === this.earliest[domain]) {
      this.earliest[domain] = undefined;
    }
  }

  /** Removes and returns the timers of `domain` due at `time`, earliest first (registration order among equals). */
  takeDue(domain: TimeDomain, time: number): Timer<K>[] {
    if (this.next(domain) > time) return [];
    this.earliest[domain] = undefined;
    const due: Timer<K>[] = [];
    for (const [id, timer] of this.timers) {
      if (timer.domain === domain && timer.time <= time) {
        due.push(timer);
        this.timers.delete(id);
      }
    }
    return due.sort((a, b) => a.time - b.time);
  }

  /** The earliest timer of `domain` (Infinity when there is none). */
  next(domain: TimeDomain): number {
    let earliest = this.earliest[domain];
    if (earliest === undefined) {
      earliest = Number.POSITIVE_INFINITY;
      for (const timer of this.timers.values())
        if (timer.domain === domain) earliest = Math.min(earliest, timer.time);
      this.earliest[domain] = earliest;
    }
    return earliest;
  }

  snapshot(): JsonValue {
    return Array.from(this.timers.values(), ({ domain, key, time }) => [domain, key, time]);
  }

  restore(state: JsonValue): void {
    this.timers.clear();
    this.earliest.event = Number.POSITIVE_INFINITY;
    this.earliest.processing = Number.POSITIVE_INFINITY;
    for (const [domain, key, time] of state as [TimeDomain, K, number][]) this.register(domain, key, time);
  }
}

const ALARM = Symbol('alarm');

/**
 * The next result of `pending`, or {@link ALARM} if the job's clock reaches `deadline` first
 * (processing-time timers fire while no record comes).
 */
export async function nextBefore<R>(
  pending: Promise<R>,
  deadline: number,
  job: JobContext,
): Promise<R | typeof ALARM> {
  if (deadline === Number.POSITIVE_INFINITY) return pending;
  let timer: NodeJS.Timeout | undefined;
  const alarm = new Promise<typeof ALARM>((resolve) => {
    timer = setTimeout(() => resolve(ALARM), Math.max(0, deadline - job.now() + 1));
  });
  try {
    return await Promise.race([pending, alarm]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether {@link nextBefore} returned because of the clock. */
export function isAlarm(value: unknown): value is typeof ALARM {
  return value === ALARM;
}
