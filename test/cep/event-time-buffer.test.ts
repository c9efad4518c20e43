/** The buffer of records that wait for the watermark in the CEP operator. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventTimeBuffer } from '../../src/cep/event-time-buffer.js';

describe('EventTimeBuffer', () => {
  it('releases the records up to the watermark by time, arrival order among equal times', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 60 }),
        fc.array(fc.integer({ min: 0, max: 25 }), { maxLength: 6 }),
        (times, watermarks) => {
          const buffer = new EventTimeBuffer<number>();
          for (const [id, time] of times.entries()) buffer.add(id, time);
          const released: number[] = [];
          const feed = (id: number, time: number) => {
            expect(time).toBe(times[id]);
            released.push(id);
          };
          let upTo = Number.NEGATIVE_INFINITY;
          for (const watermark of watermarks) {
            upTo = Math.max(upTo, watermark);
            buffer.release(upTo, feed);
          }
          const before = released.length;
          // What a checkpoint holds comes back the same.
          const copy = new EventTimeBuffer<number>();
          copy.restore(JSON.parse(JSON.stringify(buffer.snapshot())));
          expect(copy.size).toBe(times.length - before);
          copy.release(Number.POSITIVE_INFINITY, feed);
          const expected = times
            .map((time, id) => ({ time, id }))
            .sort((a, b) => a.time - b.time || a.id - b.id);
          const due = expected.filter((e) => e.time <= upTo).map((e) => e.id);
          expect(released.slice(0, before)).toEqual(due);
          expect([...released].sort((a, b) => a - b)).toEqual(times.map((_, id) => id));
        },
      ),
    );
  });
});
