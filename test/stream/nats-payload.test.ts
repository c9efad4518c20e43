/** Payloads of broker messages (no server needed: the parsing alone). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arrow } from '../../src/core/arrow-module.js';
import type { InputError } from '../../src/core/errors.js';
import {
  encodePointsFrame,
  messagePoints,
  PointRows,
  parsePointsPayload,
} from '../../src/stream/nats/payload.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const fail = (error: InputError) => {
  throw error;
};

function rowsOf(out: PointRows): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < out.rows; i++)
    rows.push(Array.from(out.data.subarray(i * out.dimension, (i + 1) * out.dimension)));
  return rows;
}

describe('parsePointsPayload', () => {
  const points = fc.integer({ min: 1, max: 5 }).chain((d) =>
    fc.array(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: d, maxLength: d }), {
      minLength: 1,
      maxLength: 20,
    }),
  );

  it('reads NDJSON lines and JSON arrays of points as JSON.parse does, across messages', () => {
    fc.assert(
      fc.property(points, fc.integer({ min: 1, max: 5 }), fc.boolean(), (rows, split, asArray) => {
        const out = new PointRows();
        const at = Math.min(split, rows.length);
        for (const part of [rows.slice(0, at), rows.slice(at)]) {
          if (part.length === 0) continue;
          const text = asArray ? JSON.stringify(part) : part.map((row) => JSON.stringify(row)).join('\n');
          expect(parsePointsPayload(bytes(text), 'm', out, fail)).toBe(part.length);
        }
        expect(rowsOf(out)).toEqual(JSON.parse(JSON.stringify(rows)));
      }),
    );
  });

  it('reads every numeric column of an Arrow IPC stream', () => {
    const table = arrow().tableFromArrays({ a: Float64Array.of(1, 2), b: Int32Array.of(3, 4) });
    const out = new PointRows();
    expect(parsePointsPayload(arrow().tableToIPC(table, 'stream'), 'm', out, fail)).toBe(2);
    expect(rowsOf(out)).toEqual([
      [1, 3],
      [2, 4],
    ]);
  });

  it('reads points frames bit for bit, across messages and at any byte offset of the message', () => {
    fc.assert(
      fc.property(
        points,
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 7 }),
        (rows, split, shift) => {
          const d = rows[0].length;
          const out = new PointRows();
          const at = Math.min(split, rows.length);
          for (const part of [rows.slice(0, at), rows.slice(at)]) {
            if (part.length === 0) continue;
            const frame = encodePointsFrame(Float64Array.from(part.flat()), d);
            // A message's bytes may start anywhere in the client's buffer.
            const shifted = new Uint8Array(frame.length + shift);
            shifted.set(frame, shift);
            expect(parsePointsPayload(shifted.subarray(shift), 'm', out, fail)).toBe(part.length);
          }
          expect(rowsOf(out)).toEqual(rows);
        },
      ),
    );
  });

  it('refuses a frame of the wrong dimension or length, and skips its non-finite points only', () => {
    const two = encodePointsFrame(Float64Array.of(1, 2, 3, 4), 2);
    const out = new PointRows(3);
    expect(() => parsePointsPayload(two, 'points #3', out, fail)).toThrow(
      /points #3.*a points frame of dimension 2.*expected rows of 3 doubles/,
    );
    expect(() => parsePointsPayload(two.subarray(0, 20), 'points #3', new PointRows(), fail)).toThrow(
      /dimension 2 and 12 bytes/,
    );
    const skipped: InputError[] = [];
    const mixed = new PointRows();
    const frame = encodePointsFrame(
      Float64Array.of(1, 2, Number.NaN, 4, 5, Number.POSITIVE_INFINITY, 7, 8),
      2,
    );
    expect(parsePointsPayload(frame, 'm', mixed, (e) => skipped.push(e))).toBe(2);
    expect(rowsOf(mixed)).toEqual([
      [1, 2],
      [7, 8],
    ]);
    expect(skipped.map((e) => e.message)).toEqual([
      expect.stringContaining('point 2 of the frame'),
      expect.stringContaining('point 3 of the frame'),
    ]);
    expect(() => encodePointsFrame(Float64Array.of(1, 2, 3), 2)).toThrow(/dimension >= 1 that divides them/);
  });

  it('names the message and line of bad JSON, a wrong dimension or a non-finite number', () => {
    const cases: [string, RegExp][] = [
      ['[1,2]\n[1,2,3]', /points #7:2.*wrong dimension 3.*expected 2 numbers/],
      ['[1,2]\n[1,NaN]', /points #7:2:4.*not a finite number/],
      ['[1,2]\n{"x": 1', /points #7:2:1.*not a JSON array/],
      ['[[1,2],[3]]', /points #7.*bad point 1.*expected an array of 2 finite numbers/],
      ['[[1,2],[3,null]]', /points #7.*bad point 1/],
    ];
    for (const [text, expected] of cases) {
      expect(() => parsePointsPayload(bytes(text), 'points #7', new PointRows(), fail)).toThrow(expected);
    }
  });

  it('skips the bad records only, when the caller skips', () => {
    const out = new PointRows();
    const skipped: InputError[] = [];
    const added = parsePointsPayload(bytes('[1,2]\n[1]\n[3,4]\n[5,NaN]\n'), 'm', out, (e) => {
      skipped.push(e);
    });
    expect(added).toBe(2);
    expect(rowsOf(out)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(skipped.map((e) => e.line)).toEqual([2, 4]);
  });

  it('messagePoints: an aligned frame is a view of the message, anything else a copy of the same rows', () => {
    fc.assert(
      fc.property(points, fc.integer({ min: 0, max: 7 }), (rows, shift) => {
        const d = rows[0].length;
        const frame = encodePointsFrame(Float64Array.from(rows.flat()), d);
        const shifted = new Uint8Array(frame.length + shift);
        shifted.set(frame, shift);
        const message = shifted.subarray(shift);
        const scratch = new PointRows();
        const got = messagePoints(message, 'm', scratch, fail);
        expect(got.rows).toBe(rows.length);
        expect(scratch.dimension).toBe(d);
        expect(Array.from(got.data)).toEqual(rows.flat());
        // Shares the message's memory exactly when the doubles are 8-byte aligned.
        expect(got.data.buffer === shifted.buffer).toBe(shift === 0);
        // NDJSON: parsed, the same rows, a buffer of their own (scratch is reused for the next).
        const text = messagePoints(
          bytes(rows.map((row) => JSON.stringify(row)).join('\n')),
          'm',
          scratch,
          fail,
        );
        expect(Array.from(text.data)).toEqual(JSON.parse(JSON.stringify(rows.flat())));
        expect(text.data.buffer).not.toBe(scratch.data.buffer);
      }),
    );
  });

  it('messagePoints: a frame with a non-finite point or of another dimension goes the checking path', () => {
    const scratch = new PointRows();
    const skipped: InputError[] = [];
    const frame = encodePointsFrame(Float64Array.of(1, 2, Number.NaN, 4, 5, 6), 2);
    const got = messagePoints(frame, 'm', scratch, (e) => skipped.push(e));
    expect(got.rows).toBe(2);
    expect(Array.from(got.data)).toEqual([1, 2, 5, 6]);
    expect(got.data.buffer).not.toBe(frame.buffer);
    expect(skipped.map((e) => e.message)).toEqual([expect.stringContaining('point 2 of the frame')]);
    // The same where the doubles are not 8-byte aligned (copied before they are checked).
    const shifted = new Uint8Array(frame.length + 3);
    shifted.set(frame, 3);
    const unaligned = messagePoints(shifted.subarray(3), 'm', scratch, (e) => skipped.push(e));
    expect(Array.from(unaligned.data)).toEqual([1, 2, 5, 6]);
    expect(skipped).toHaveLength(2);
    expect(() =>
      messagePoints(encodePointsFrame(Float64Array.of(1, 2, 3), 3), 'points #4', scratch, fail),
    ).toThrow(/points #4.*dimension 3.*expected rows of 2 doubles/);
  });
});
