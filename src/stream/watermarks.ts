/**
 * Event time and watermarks. A watermark `w` promises that no record with event time <= w is
 * still to come; with bounded out-of-orderness `b`, the watermark trails the largest event time
 * seen by `b` (Flink's BoundedOutOfOrdernessWatermarks: max - b - 1). Records that break the
 * promise are late; the window operators decide what to do with them.
 */
import { ParamError } from '../core/errors.js';
import type { Operator } from './datastream.js';
import { restoreInto } from './datastream.js';
import { saveState } from './events.js';

/** How records get their event time and how watermarks follow. */
export interface WatermarkStrategy<T> {
  /** The event time of a record, in milliseconds. */
  timestamp(record: T): number;
  /** How far out of order records may come (ms); 0 for ascending timestamps. */
  maxOutOfOrderness: number;
}

/** Watermarks that trail the largest event time seen by `maxOutOfOrderness` ms. */
export function boundedOutOfOrderness<T>(
  maxOutOfOrderness: number,
  timestamp: (record: T) => number,
): WatermarkStrategy<T> {
  if (!(maxOutOfOrderness >= 0) || !Number.isFinite(maxOutOfOrderness)) {
    throw new ParamError('maxOutOfOrderness', maxOutOfOrderness, 'a non-negative number of milliseconds');
  }
  return { timestamp, maxOutOfOrderness };
}

/** Event times that never decrease (a watermark right behind the latest record). */
export function ascendingTimestamps<T>(timestamp: (record: T) => number): WatermarkStrategy<T> {
  return boundedOutOfOrderness(0, timestamp);
}

/**
 * The operator behind `assignTimestampsAndWatermarks`: stamps each record, emits a watermark
 * after each batch when it advanced, and a final +Infinity watermark when the input ends so
 * that every window fires.
 */
export function assignTimestamps<T>(strategy: WatermarkStrategy<T>, uid: string): Operator<T, T> {
  return async function* (input, job) {
    let maxTimestamp = Number.NEGATIVE_INFINITY;
    restoreInto(job, uid, (state) => {
      maxTimestamp = (state as number | null) ?? Number.NEGATIVE_INFINITY;
    });
    let emitted = Number.NEGATIVE_INFINITY;
    for await (const event of input) {
      if (event.kind === 'records') {
        const { records } = event;
        const timestamps = new Float64Array(records.length);
        for (let i = 0; i < records.length; i++) {
          const time = strategy.timestamp(records[i]);
          if (!Number.isFinite(time)) {
            throw new ParamError('timestamp', time, 'a finite event time in milliseconds for every record');
          }
          timestamps[i] = time;
          if (time > maxTimestamp) maxTimestamp = time;
        }
        yield { kind: 'records', records, timestamps };
        const watermark = maxTimestamp - strategy.maxOutOfOrderness - 1;
        if (watermark > emitted) {
          emitted = watermark;
          yield { kind: 'watermark', time: watermark };
        }
      } else if (event.kind === 'barrier') {
        saveState(event.barrier, uid, Number.isFinite(maxTimestamp) ? maxTimestamp : null);
        yield event;
      } else yield event;
    }
    yield { kind: 'watermark', time: Number.POSITIVE_INFINITY };
  };
}
