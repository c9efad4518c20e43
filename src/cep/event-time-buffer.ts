/**
 * Records that wait for the watermark before the CEP operator feeds them to the NFAs, in
 * event-time order (arrival order among equal times), as Flink's CepOperator keeps them. Held
 * as two parallel lists, not an object per record; most streams arrive nearly in order, so the
 * lists are sorted only when a record came earlier than the one before it.
 */
import type { JsonValue } from '../stream/events.js';

export class EventTimeBuffer<T> {
  private records: T[] = [];
  private times: number[] = [];
  private inOrder = true;

  get size(): number {
    return this.records.length;
  }

  add(record: T, timestamp: number): void {
    const times = this.times;
    if (times.length > 0 && timestamp < times[times.length - 1]) this.inOrder = false;
    this.records.push(record);
    times.push(timestamp);
  }

  /** Calls `feed` for every record at or before `upTo`, oldest first, and forgets them. */
  release(upTo: number, feed: (record: T, timestamp: number) => void): void {
    if (this.records.length === 0) return;
    if (!this.inOrder) this.sort();
    const { records, times } = this;
    let due = 0;
    while (due < times.length && times[due] <= upTo) due++;
    if (due === 0) return;
    // Taken off before feeding: a feed that throws leaves no record to be fed twice.
    if (due === times.length) {
      this.records = [];
      this.times = [];
    } else {
      this.records = records.slice(due);
      this.times = times.slice(due);
    }
    for (let i = 0; i < due; i++) feed(records[i], times[i]);
  }

  /** Stable sort by time: through an index list, since two lists move together. */
  private sort(): void {
    const { records, times } = this;
    const order = Array.from(times.keys()).sort((a, b) => times[a] - times[b] || a - b);
    this.records = order.map((i) => records[i]);
    this.times = order.map((i) => times[i]);
    this.inOrder = true;
  }

  /** [record, time] pairs, as checkpoints hold them. */
  snapshot(): JsonValue {
    return this.records.map((record, i) => [record as JsonValue, this.times[i]]);
  }

  restore(saved: JsonValue): void {
    this.records = [];
    this.times = [];
    this.inOrder = true;
    for (const [record, timestamp] of saved as [T, number][]) this.add(record, timestamp);
  }
}
