/**
 * The points one broker message carries: NDJSON (one JSON array of numbers per line, parsed
 * from the bytes without a string per line), one JSON array of such arrays, an Arrow IPC
 * stream (every numeric column a feature), or a points frame (raw little-endian doubles behind
 * an 8-byte header, see {@link encodePointsFrame}: the throughput format, copied, not parsed).
 * One message may carry one point or a whole batch.
 */
import { endianness } from 'node:os';
import { arrow } from '../../core/arrow-module.js';
import { InputError } from '../../core/errors.js';
import { numericColumnNames } from '../arrow-columns.js';
import { lastNumberArrayProblem, lineText, parseNumberArray } from '../ndjson.js';
import { recordBatchToVectors } from '../sources.js';

/**
 * Rows of points gathered from messages into one growing row-major buffer; the dimension is
 * fixed by the first point (or given).
 */
export class PointRows {
  data = new Float64Array(0);
  rows = 0;
  dimension: number;

  constructor(dimension = 0) {
    this.dimension = dimension;
  }

  /** Room for `more` rows past the current ones (the buffer doubles as it grows). */
  reserve(more: number): void {
    const needed = (this.rows + more) * this.dimension;
    if (needed <= this.data.length) return;
    const grown = new Float64Array(Math.max(needed, 2 * this.data.length, 1024));
    grown.set(this.data.subarray(0, this.rows * this.dimension));
    this.data = grown;
  }

  /** Forgets the rows (keeping the buffer). */
  clear(): void {
    this.rows = 0;
  }
}

const ARROW_CONTINUATION = 0xffffffff;

/** The first four bytes of a points frame: `EF64` (no JSON text or Arrow stream starts so). */
const FRAME_MAGIC = 0x34364645;
/** Magic and dimension; the doubles after it stay 8-byte aligned within the payload. */
const FRAME_HEADER_BYTES = 8;

/**
 * A points frame: the payload that carries a batch of points at the cost of a copy. Bytes 0-3
 * are `EF64`, bytes 4-7 the dimension d (uint32, little-endian), then rows × d doubles,
 * little-endian, row after row (the rows are the payload's length less 8, over 8·d).
 */
export function encodePointsFrame(data: Float64Array, dimension: number): Uint8Array {
  if (!Number.isInteger(dimension) || dimension < 1 || data.length % dimension !== 0) {
    throw new InputError(`${data.length} numbers`, {
      file: 'points frame',
      expected: `a dimension >= 1 that divides them (got ${dimension})`,
    });
  }
  checkLittleEndian();
  const frame = new Uint8Array(FRAME_HEADER_BYTES + data.byteLength);
  const header = new DataView(frame.buffer);
  header.setUint32(0, FRAME_MAGIC, true);
  header.setUint32(4, dimension, true);
  frame.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), FRAME_HEADER_BYTES);
  return frame;
}

function checkLittleEndian(): void {
  // The doubles are copied as they lie in memory.
  if (endianness() !== 'LE') throw new Error('points frames are little-endian: this machine is big-endian');
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10;
}

/**
 * Parses a message's points into `out`. `where` names the message in errors (its subject and
 * stream sequence). A malformed record (bad JSON, wrong dimension, a non-finite number) goes
 * to `reject`, which throws to stop or returns to skip that record; returns the rows added.
 */
export function parsePointsPayload(
  bytes: Uint8Array,
  where: string,
  out: PointRows,
  reject: (error: InputError) => void,
): number {
  const before = out.rows;
  const head = bytes.length >= 8 ? new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true) : 0;
  if (head === FRAME_MAGIC) {
    parseFramePayload(bytes, where, out, reject);
    return out.rows - before;
  }
  if (head === ARROW_CONTINUATION) {
    parseArrowPayload(bytes, where, out, reject);
    return out.rows - before;
  }
  let first = 0;
  while (first < bytes.length && isSpace(bytes[first])) first++;
  let second = first + 1;
  while (second < bytes.length && isSpace(bytes[second])) second++;
  if (bytes[first] === 91 && bytes[second] === 91) parseJsonArrayPayload(bytes, where, out, reject);
  else parseLinesPayload(bytes, where, out, reject);
  return out.rows - before;
}

/** One JSON array of numbers per line; blank lines are skipped. */
function parseLinesPayload(
  bytes: Uint8Array,
  where: string,
  out: PointRows,
  reject: (error: InputError) => void,
): void {
  let line = 0;
  for (let start = 0; start < bytes.length; ) {
    let end = bytes.indexOf(10, start);
    if (end === -1) end = bytes.length;
    const lineStart = start;
    start = end + 1;
    line++;
    let first = lineStart;
    while (first < end && isSpace(bytes[first])) first++;
    if (first === end) continue;
    if (out.dimension === 0) {
      const probe = new Float64Array(1);
      const got = parseNumberArray(bytes, lineStart, end, probe, 0, 0);
      if (got > 0) out.dimension = got;
    }
    const dimension = Math.max(out.dimension, 1);
    out.reserve(1);
    const got = parseNumberArray(bytes, lineStart, end, out.data, out.rows * dimension, dimension);
    if (got === dimension && out.dimension > 0) {
      out.rows++;
      continue;
    }
    const problem =
      got < 0
        ? lastNumberArrayProblem()
        : {
            column: 0,
            problem: got === 0 ? 'empty point' : `wrong dimension ${got}`,
            expected: `${out.dimension || 'at least one'} numbers like the first point`,
          };
    reject(
      new InputError(problem.problem, {
        file: where,
        line,
        column: problem.column + 1,
        text: lineText(bytes, lineStart, end),
        expected: problem.expected,
      }),
    );
  }
}

/** One message's points as rows: `rows` × the dimension doubles of `data`, row after row. */
export interface MessagePoints {
  data: Float64Array;
  rows: number;
}

/**
 * A message's points ({@link parsePointsPayload}'s formats and errors) as rows of their own.
 * A points frame whose points are all finite is a view of the message's bytes when its doubles
 * lie 8-byte aligned in memory (as in a message the NATS client assembled in a buffer of its
 * own), or else one copy of them (where the message's headers, whose length varies, left them);
 * anything else is parsed into `scratch` (whose dimension is the stream's, fixed by its first
 * point) and copied out.
 */
export function messagePoints(
  bytes: Uint8Array,
  where: string,
  scratch: PointRows,
  reject: (error: InputError) => void,
): MessagePoints {
  const head = bytes.length >= 8 ? new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true) : 0;
  if (head === FRAME_MAGIC) {
    checkLittleEndian();
    const dimension = new DataView(bytes.buffer, bytes.byteOffset + 4, 4).getUint32(0, true);
    const body = bytes.length - FRAME_HEADER_BYTES;
    const valid =
      dimension > 0 &&
      body % (8 * dimension) === 0 &&
      (scratch.dimension === 0 || dimension === scratch.dimension);
    if (valid) {
      const at = bytes.byteOffset + FRAME_HEADER_BYTES;
      let data: Float64Array;
      if (at % 8 === 0) data = new Float64Array(bytes.buffer, at, body / 8);
      else {
        data = new Float64Array(body / 8);
        new Uint8Array(data.buffer).set(bytes.subarray(FRAME_HEADER_BYTES));
      }
      // x - x is 0 for a finite x and NaN for NaN and the infinities (and NaN stays); four
      // sums, so that the additions do not wait on one another.
      let a = 0;
      let b = 0;
      let c = 0;
      let e = 0;
      const end = data.length - (data.length % 4);
      for (let i = 0; i < end; i += 4) {
        a += data[i] - data[i];
        b += data[i + 1] - data[i + 1];
        c += data[i + 2] - data[i + 2];
        e += data[i + 3] - data[i + 3];
      }
      for (let i = end; i < data.length; i++) a += data[i] - data[i];
      if (a + b + c + e === 0) {
        scratch.dimension = dimension;
        return { data, rows: body / (8 * dimension) };
      }
    }
    // A bad frame, or one with a non-finite point: the copying path names and skips them.
  }
  scratch.clear();
  const rows = parsePointsPayload(bytes, where, scratch, reject);
  return { data: scratch.data.slice(0, rows * scratch.dimension), rows };
}

/** A points frame ({@link encodePointsFrame}): the doubles copied in, then checked to be finite. */
function parseFramePayload(
  bytes: Uint8Array,
  where: string,
  out: PointRows,
  reject: (error: InputError) => void,
): void {
  checkLittleEndian();
  const dimension = new DataView(bytes.buffer, bytes.byteOffset + 4, 4).getUint32(0, true);
  const body = bytes.length - FRAME_HEADER_BYTES;
  if (dimension === 0 || body % (8 * dimension) !== 0 || (out.dimension > 0 && dimension !== out.dimension)) {
    reject(
      new InputError(`a points frame of dimension ${dimension} and ${body} bytes of doubles`, {
        file: where,
        expected: `rows of ${out.dimension || 'at least one'} doubles (8 bytes each)`,
      }),
    );
    return;
  }
  if (out.dimension === 0) out.dimension = dimension;
  const rows = body / (8 * dimension);
  out.reserve(rows);
  const at = out.rows * dimension;
  new Uint8Array(out.data.buffer, at * 8, body).set(bytes.subarray(FRAME_HEADER_BYTES));
  const data = out.data;
  let kept = out.rows;
  for (let row = 0; row < rows; row++) {
    const from = at + row * dimension;
    let finite = true;
    // x - x is 0 for a finite x and NaN for NaN and the infinities.
    for (let j = 0; j < dimension; j++) if (data[from + j] - data[from + j] !== 0) finite = false;
    if (!finite) {
      reject(
        new InputError(`not a finite number in point ${row + 1} of the frame`, {
          file: where,
          expected: 'finite doubles',
        }),
      );
      continue;
    }
    if (kept * dimension !== from) data.copyWithin(kept * dimension, from, from + dimension);
    kept++;
  }
  out.rows = kept;
}

/** One JSON array whose elements are the points (arrays of numbers). */
function parseJsonArrayPayload(
  bytes: Uint8Array,
  where: string,
  out: PointRows,
  reject: (error: InputError) => void,
): void {
  let value: unknown;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  try {
    value = JSON.parse(text);
  } catch (error) {
    reject(
      new InputError('bad JSON', {
        file: where,
        text,
        expected: `one JSON array of points (${(error as Error).message})`,
      }),
    );
    return;
  }
  const points = value as unknown[];
  out.reserve(points.length);
  for (let i = 0; i < points.length; i++) {
    const point = points[i];
    const valid =
      Array.isArray(point) &&
      point.length > 0 &&
      (out.dimension === 0 || point.length === out.dimension) &&
      point.every((x) => typeof x === 'number' && Number.isFinite(x));
    if (!valid) {
      reject(
        new InputError(`bad point ${i}`, {
          file: where,
          text: JSON.stringify(point) ?? String(point),
          expected: `an array of ${out.dimension || 'at least one'} finite numbers`,
        }),
      );
      continue;
    }
    if (out.dimension === 0) {
      out.dimension = point.length;
      out.reserve(points.length - i);
    }
    out.data.set(point as number[], out.rows * out.dimension);
    out.rows++;
  }
}

/** An Arrow IPC stream: every numeric column of each record batch is a feature. */
function parseArrowPayload(
  bytes: Uint8Array,
  where: string,
  out: PointRows,
  reject: (error: InputError) => void,
): void {
  let batches: ReturnType<typeof arrow>['RecordBatch']['prototype'][];
  try {
    batches = arrow().RecordBatchReader.from(bytes).readAll();
  } catch (error) {
    reject(new InputError('not an Arrow IPC stream', { file: where, expected: (error as Error).message }));
    return;
  }
  for (const batch of batches) {
    const names = numericColumnNames(batch.schema);
    if (out.dimension === 0) out.dimension = names.length;
    if (names.length !== out.dimension) {
      reject(
        new InputError(`${names.length} numeric columns`, {
          file: where,
          expected: `${out.dimension} like the first point`,
        }),
      );
      continue;
    }
    let vectors: ReturnType<typeof recordBatchToVectors>;
    try {
      vectors = recordBatchToVectors(batch, names, 0, where);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      reject(error);
      continue;
    }
    out.reserve(batch.numRows);
    out.data.set(vectors.points.data, out.rows * out.dimension);
    out.rows += batch.numRows;
  }
}
