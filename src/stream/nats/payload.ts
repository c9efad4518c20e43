/**
 * The points one broker message carries: NDJSON (one JSON array of numbers per line, parsed
 * from the bytes without a string per line), one JSON array of such arrays, or an Arrow IPC
 * stream (every numeric column a feature). One message may carry one point or a whole batch.
 */
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
  if (
    bytes.length >= 8 &&
    new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true) === ARROW_CONTINUATION
  ) {
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
