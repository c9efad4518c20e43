/**
 * Sources: where streams come from. A source reads batches of records, each with the position
 * just after it, and can start again from such a position when it is replayable (files,
 * iterables made by a factory, seeded generators), which is what resuming a checkpoint needs.
 */
import { open } from 'node:fs/promises';
import type { RecordBatch } from 'apache-arrow';
import { checkArrowIpcFile } from '../core/arrow-ipc-check.js';
import { arrow } from '../core/arrow-module.js';
import { type CsvRecord, parseCsv } from '../core/csv.js';
import { EddyError, InputError, ParamError } from '../core/errors.js';
import { DenseMatrix } from '../core/matrix.js';
import { type RandomSource, random, type Seed } from '../core/random.js';
import {
  type ColumnPoints,
  checkFiniteColumns,
  numericColumnNames,
  openFloat64Columns,
} from './arrow-columns.js';
import {
  type ByteInput,
  byteInputIdentity,
  byteOrderMarkLength,
  inputName,
  lineRuns,
  readBytes,
} from './bytes.js';
import type { JsonValue } from './events.js';
import { lastNumberArrayProblem, lineText, parseJsonLine, parseNumberArray, pushJsonLine } from './ndjson.js';

/** A batch of records read by a source, and where reading continues after it. */
export interface SourceBatch<T> {
  records: T[];
  position: JsonValue;
  timestamps?: Float64Array;
  /**
   * How many input records the batch stands for, when a record is itself a batch (a
   * VectorBatch of points): checkpoint intervals and job counts are in these. Default: records.length.
   */
  size?: number;
}

/** Where records come from. */
export interface Source<T> {
  /** For error messages. */
  readonly name: string;
  /**
   * What identifies the data it reads, for checkpoint fingerprints (a file: its path, size and
   * modification time): a job resumed on data whose identity changed is refused.
   */
  identity?(): Promise<string>;
  /**
   * Reads from the start, or from a position an earlier read reported with a batch. A source
   * that cannot be replayed throws when asked to start anywhere but the start.
   */
  read(from?: JsonValue): AsyncIterable<SourceBatch<T>>;
  /**
   * Everything read up to `position` (one a batch reported) is committed: a checkpoint holding
   * it is written, or, in a job without checkpoints, the batch has been handed on; `undefined`
   * when a checkpointed job ran to its end. A broker's source acknowledges its messages here, so
   * that the broker redelivers only what no checkpoint holds.
   */
  committed?(position: JsonValue | undefined): Promise<void>;
}

/** A batch of points: one row per record, with each record's 0-based index in the input. */
export interface VectorBatch {
  points: DenseMatrix;
  indices: Float64Array;
}

/** What to do about malformed records in sources that parse text. */
export interface InvalidRecordOptions {
  /** Skip malformed records (count them and tell `onInvalid`) instead of failing (default false). */
  skipInvalid?: boolean;
  /** Called with each skipped record's error. */
  onInvalid?: (error: InputError) => void;
}

function cannotReplay(name: string): never {
  throw new InputError('cannot resume: this source cannot be replayed', {
    file: name,
    expected: 'a replayable source (a file, an iterable factory or a generator) to resume from a checkpoint',
  });
}

/** `batchSize`, or `fallback` when it is undefined; a ParamError unless it is an integer >= 1. */
export function batchSizeOf(batchSize: number | undefined, fallback: number): number {
  const size = batchSize ?? fallback;
  if (!Number.isInteger(size) || size < 1) throw new ParamError('batchSize', size, 'an integer >= 1');
  return size;
}

/**
 * A source over an iterable or async iterable. Pass a function that makes the iterable to get
 * a replayable source (a resumed job calls it again and skips to its index). Async inputs are
 * read one record per batch by default, so that a slow producer's records are not held back.
 */
export function iterableSource<T>(
  input: Iterable<T> | AsyncIterable<T> | (() => Iterable<T> | AsyncIterable<T>),
  options: { batchSize?: number; name?: string } = {},
): Source<T> {
  const name = options.name ?? '<iterable>';
  const replayable = typeof input === 'function';
  return {
    name,
    async *read(from) {
      const skip = from === undefined ? 0 : (from as { index: number }).index;
      if (skip > 0 && !replayable) cannotReplay(name);
      const iterable = typeof input === 'function' ? input() : input;
      const isAsync = Symbol.asyncIterator in iterable;
      const size = batchSizeOf(options.batchSize, isAsync ? 1 : 1024);
      let index = 0;
      let records: T[] = [];
      for await (const record of iterable as AsyncIterable<T>) {
        if (index++ < skip) continue;
        records.push(record);
        if (records.length >= size) {
          yield { records, position: { index } };
          records = [];
        }
      }
      if (records.length > 0) yield { records, position: { index } };
    },
  };
}

/** A source over a Node Readable in object mode (each chunk a record); not replayable. */
export function readableSource<T>(
  readable: NodeJS.ReadableStream,
  options: { batchSize?: number; name?: string } = {},
): Source<T> {
  return iterableSource<T>(readable as AsyncIterable<T>, { name: '<readable>', ...options });
}

/** Options of the seeded generator source. */
export interface GeneratorOptions<T> {
  seed: Seed;
  /** Makes record `index` from the stream's random source (called in order). */
  generate: (rng: RandomSource, index: number) => T;
  /** How many records (default: without end). */
  count?: number;
  /** At most this many records per second (default: as fast as they are pulled). */
  ratePerSecond?: number;
  batchSize?: number;
}

/**
 * A seeded generator of records, for demos and tests: the same seed gives the same records,
 * so it is replayable (a resumed job regenerates and skips the records before its position).
 */
export function generatorSource<T>(options: GeneratorOptions<T>): Source<T> {
  const count = options.count ?? Number.POSITIVE_INFINITY;
  if (!(count >= 0)) throw new ParamError('count', count, 'a non-negative number of records');
  const rate = options.ratePerSecond;
  if (rate !== undefined && !(rate > 0)) throw new ParamError('ratePerSecond', rate, 'a positive number');
  const size = batchSizeOf(options.batchSize, rate === undefined ? 1024 : 1);
  return {
    name: '<generator>',
    async *read(from) {
      const rng = random(options.seed);
      const skip = from === undefined ? 0 : (from as { index: number }).index;
      let index = 0;
      for (; index < skip && index < count; index++) options.generate(rng, index);
      const started = performance.now();
      const first = index;
      while (index < count) {
        const records: T[] = [];
        while (records.length < size && index < count) records.push(options.generate(rng, index++));
        if (rate !== undefined) {
          const due = started + ((index - first) / rate) * 1000;
          const wait = due - performance.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        }
        yield { records, position: { index } };
      }
    },
  };
}

interface LinePosition {
  /** Byte offset of the next line. */
  offset: number;
  /** Lines consumed (blank ones included). */
  line: number;
  /** Records consumed (non-blank lines, skipped ones included). */
  index: number;
  /** Malformed lines skipped so far. */
  invalid: number;
}

/**
 * NDJSON lines (any JSON value per line) from a file or a byte stream; blank lines are skipped.
 * A line that is not JSON is an InputError naming its line (or is skipped with `skipInvalid`).
 */
export function ndjsonSource<T = unknown>(
  input: ByteInput,
  options: { batchSize?: number } & InvalidRecordOptions = {},
): Source<T> {
  const name = inputName(input);
  const size = batchSizeOf(options.batchSize, 1024);
  return {
    name,
    identity: () => byteInputIdentity(input),
    async *read(from) {
      const position: LinePosition = {
        offset: 0,
        line: 0,
        index: 0,
        invalid: 0,
        ...(from as Partial<LinePosition>),
      };
      let records: T[] = [];
      for await (const run of lineRuns(input, position.offset)) {
        const { bytes } = run;
        let start = byteOrderMarkLength(run);
        while (start < bytes.length) {
          let end = bytes.indexOf(10, start);
          if (end === -1) end = bytes.length;
          position.line++;
          const text = lineText(bytes, start, end);
          start = end + 1;
          position.offset = run.offset + Math.min(start, bytes.length);
          if (text.trim() === '') continue;
          position.index++;
          if (!pushJsonLine(records, text, name, position.line, options)) position.invalid++;
          if (records.length >= size) {
            yield { records, position: { ...position } };
            records = [];
          }
        }
      }
      yield { records, position: { ...position } };
    },
  };
}

interface VectorPosition extends LinePosition {
  /** The points' dimension, fixed by the first valid line. */
  dimension: number | null;
  /** For object lines: the numeric fields of the first one, which are the features. */
  features: string[] | null;
  /** Whether the points are arrays (set by the first valid line that is one). */
  arrays: boolean;
}

/** Options of {@link ndjsonVectorSource}. */
export interface VectorSourceOptions extends InvalidRecordOptions {
  /** Points per batch (default 1024). */
  batchSize?: number;
  /** The expected dimension (default: that of the first line). */
  dimension?: number;
}

/**
 * Points from NDJSON: each line a JSON array of numbers, or an object whose numeric fields
 * are the features (those of the first object, in its order). Numeric arrays are parsed from
 * bytes into the batch's Float64Array. A line that is not JSON, has the wrong dimension or
 * holds a non-finite number is an InputError naming its line, raised before the batch that
 * would hold it is emitted; with `skipInvalid` it is counted and skipped instead.
 */
export function ndjsonVectorSource(input: ByteInput, options: VectorSourceOptions = {}): Source<VectorBatch> {
  const name = inputName(input);
  const size = batchSizeOf(options.batchSize, 1024);
  return {
    name,
    identity: () => byteInputIdentity(input),
    async *read(from) {
      const position: VectorPosition = {
        offset: 0,
        line: 0,
        index: 0,
        invalid: 0,
        dimension: options.dimension ?? null,
        features: null,
        arrays: false,
        ...(from as Partial<VectorPosition>),
      };
      let dimension = position.dimension ?? 0;
      // A batch's arrays grow with the points that arrive, up to `size`: a huge batch size over
      // a small input allocates for the points read, not for the batch size.
      let capacity = Math.min(size, 1024);
      let data = new Float64Array(capacity * Math.max(dimension, 1));
      let indices = new Float64Array(capacity);
      let count = 0;
      let scratch = new Float64Array(64);
      const reject = (error: InputError) => {
        if (!options.skipInvalid) throw error;
        position.invalid++;
        options.onInvalid?.(error);
      };
      const setDimension = (d: number) => {
        dimension = d;
        position.dimension = d;
        data = new Float64Array(capacity * d);
      };
      const grow = () => {
        capacity = Math.min(size, capacity * 2);
        const grown = new Float64Array(capacity * dimension);
        grown.set(data);
        data = grown;
        const grownIndices = new Float64Array(capacity);
        grownIndices.set(indices);
        indices = grownIndices;
      };
      const take = (): VectorBatch => {
        const batch = {
          points: new DenseMatrix(count, dimension, data.subarray(0, count * dimension)),
          indices: indices.subarray(0, count),
        };
        data = new Float64Array(capacity * dimension);
        indices = new Float64Array(capacity);
        count = 0;
        return batch;
      };
      for await (const run of lineRuns(input, position.offset)) {
        const { bytes } = run;
        let start = byteOrderMarkLength(run);
        while (start < bytes.length) {
          let end = bytes.indexOf(10, start);
          if (end === -1) end = bytes.length;
          const lineStart = start;
          start = end + 1;
          position.line++;
          position.offset = run.offset + Math.min(start, bytes.length);
          let first = lineStart;
          while (first < end && (bytes[first] === 32 || bytes[first] === 9 || bytes[first] === 13)) first++;
          if (first === end) continue;
          if (count === capacity) grow();
          const index = position.index++;
          if (bytes[first] === 91 && position.features === null) {
            const limit = dimension === 0 ? scratch.length : dimension;
            const target = dimension === 0 ? scratch : data;
            const got = parseNumberArray(bytes, lineStart, end, target, count * dimension, limit);
            if (got < 0) {
              const problem = lastNumberArrayProblem();
              reject(
                new InputError(problem.problem, {
                  file: name,
                  line: position.line,
                  column: problem.column + 1,
                  text: lineText(bytes, lineStart, end),
                  expected: problem.expected,
                }),
              );
              continue;
            }
            if (dimension === 0) {
              if (got === 0 || got > scratch.length) {
                if (got > scratch.length) {
                  // A wider first line than the scratch holds: parse it again into one that fits.
                  scratch = new Float64Array(got);
                  start = lineStart;
                  position.line--;
                  position.index--;
                  continue;
                }
                reject(
                  new InputError('empty point', {
                    file: name,
                    line: position.line,
                    text: '[]',
                    expected: 'at least one number',
                  }),
                );
                continue;
              }
              setDimension(got);
              data.set(scratch.subarray(0, got), 0);
            } else if (got !== dimension) {
              reject(
                new InputError(`wrong dimension ${got}`, {
                  file: name,
                  line: position.line,
                  text: lineText(bytes, lineStart, end),
                  expected: `${dimension} numbers like the first point`,
                }),
              );
              continue;
            }
            position.arrays = true;
          } else {
            const values = objectFeatures(
              lineText(bytes, lineStart, end),
              position,
              name,
              options.dimension,
              reject,
            );
            if (values === undefined) continue;
            if (dimension === 0) setDimension(values.length);
            data.set(values, count * dimension);
          }
          indices[count++] = index;
          if (count === size) yield { records: [take()], position: { ...position }, size };
        }
      }
      const rest = count;
      yield { records: count > 0 ? [take()] : [], position: { ...position }, size: rest };
    },
  };
}

/** The features of an object line (or undefined when it was rejected and skipped). */
function objectFeatures(
  text: string,
  position: VectorPosition,
  name: string,
  expectedDimension: number | undefined,
  reject: (error: InputError) => void,
): number[] | undefined {
  let value: unknown;
  try {
    value = parseJsonLine(text, name, position.line);
  } catch (error) {
    reject(error as InputError);
    return undefined;
  }
  const at = { file: name, line: position.line, text };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    reject(
      new InputError(
        position.features === null && Array.isArray(value) ? 'not an array of numbers' : 'not a point',
        {
          ...at,
          expected:
            position.features === null
              ? 'a JSON array of numbers or an object with numeric fields'
              : 'an object like the first line',
        },
      ),
    );
    return undefined;
  }
  const record = value as Record<string, unknown>;
  if (position.features === null) {
    if (position.arrays) {
      reject(
        new InputError('not an array of numbers', {
          ...at,
          expected: 'a JSON array of numbers like the first line',
        }),
      );
      return undefined;
    }
    const features = Object.keys(record).filter((key) => typeof record[key] === 'number');
    if (features.length === 0 || (expectedDimension !== undefined && features.length !== expectedDimension)) {
      reject(
        new InputError(`${features.length} numeric fields`, {
          ...at,
          expected: `${expectedDimension ?? 'at least one'} numeric fields`,
        }),
      );
      return undefined;
    }
    position.features = features;
  }
  const features = position.features;
  const values = new Array<number>(features.length);
  for (let j = 0; j < features.length; j++) {
    const field = record[features[j]];
    if (typeof field !== 'number' || !Number.isFinite(field)) {
      reject(
        new InputError(
          `field '${features[j]}' is ${field === undefined ? 'missing' : JSON.stringify(field)}`,
          {
            ...at,
            expected: `a finite number in every one of ${features.join(', ')}`,
          },
        ),
      );
      return undefined;
    }
    values[j] = field;
  }
  const extra = Object.keys(record).filter(
    (key) => typeof record[key] === 'number' && !features.includes(key),
  );
  if (extra.length > 0) {
    reject(
      new InputError(`unexpected numeric field '${extra[0]}'`, {
        ...at,
        expected: `the features of the first line: ${features.join(', ')}`,
      }),
    );
    return undefined;
  }
  return values;
}

/** The index just past the last line break outside quotes, or -1: CSV records may span lines. */
function csvBoundary(bytes: Buffer): number {
  let quoted = false;
  let last = -1;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === 34) quoted = !quoted;
    else if (c === 10 && !quoted) last = i;
  }
  return last;
}

/** A CSV record: numbers in numeric columns (NaN for an empty cell), strings otherwise. */

/**
 * CSV lines with a header as records, parsed run by run with `parseCsv` (so quoting and errors
 * are the same as for batch CSV). The first run fixes which columns are numeric: a later
 * non-number in such a column is an InputError at its line.
 */
export function csvSource(input: ByteInput, options: { delimiter?: string } = {}): Source<CsvRecord> {
  const name = inputName(input);
  return {
    name,
    identity: () => byteInputIdentity(input),
    async *read(from) {
      interface CsvPosition {
        offset: number;
        line: number;
        index: number;
        header: string | null;
        delimiter: string | null;
        numeric: boolean[] | null;
      }
      const position: CsvPosition = {
        offset: 0,
        line: 0,
        index: 0,
        header: null,
        delimiter: null,
        numeric: null,
        ...(from as Partial<CsvPosition>),
      };
      for await (const run of lineRuns(input, position.offset, csvBoundary)) {
        let text = run.bytes.toString('utf8');
        const runLines = countLines(text);
        let lineBase = position.line; // the line before the first line of `text`
        if (position.header === null) {
          const newline = text.indexOf('\n');
          position.header = (newline === -1 ? text : text.slice(0, newline))
            .replace(/\r$/, '')
            .replace(/^\ufeff/, '');
          text = newline === -1 ? '' : text.slice(newline + 1);
          lineBase++;
        }
        position.line += runLines;
        position.offset = run.offset + run.bytes.length;
        if (text.trim() === '') continue;
        let table: ReturnType<typeof parseCsv>;
        try {
          table = parseCsv(`${position.header}\n${text}`, {
            source: name,
            delimiter: position.delimiter ?? options.delimiter,
          });
        } catch (error) {
          if (error instanceof InputError && error.line !== undefined) {
            throw new InputError(error.problem, {
              ...error,
              file: name,
              line: error.line === 1 ? 1 : error.line - 1 + lineBase,
            });
          }
          throw error;
        }
        position.delimiter = table.delimiter;
        position.numeric ??= table.columns.map((column) => column.kind === 'number');
        const records: CsvRecord[] = new Array(table.rowCount);
        // Null-prototype records: a column named __proto__ is a field like any other.
        for (let r = 0; r < table.rowCount; r++) records[r] = Object.create(null);
        table.columns.forEach((column, j) => {
          const key = table.names[j];
          if (column.kind === 'number') {
            const numeric = position.numeric![j];
            for (let r = 0; r < table.rowCount; r++)
              records[r][key] = numeric ? column.values[r] : String(column.values[r]);
            return;
          }
          for (let r = 0; r < table.rowCount; r++) {
            const cell = column.values[r];
            if (!position.numeric![j]) records[r][key] = cell;
            else if (cell.trim() === '') records[r][key] = Number.NaN;
            else if (Number.isNaN(Number(cell))) {
              throw new InputError(`non-numeric value in column '${key}'`, {
                file: name,
                line: table.lines[r] - 1 + lineBase,
                text: cell,
                expected: 'a number, as in the first rows',
              });
            } else records[r][key] = Number(cell);
          }
        });
        position.index += records.length;
        yield { records, position: { ...position } };
      }
    },
  };
}

function countLines(text: string): number {
  let lines = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return text.endsWith('\n') || text.length === 0 ? lines : lines + 1;
}

/**
 * Record batches of an Arrow IPC stream (a file in the streaming format, or bytes from a
 * stream), one RecordBatch per record. Replayable from a file: resuming skips the batches
 * before the checkpoint.
 */
export function arrowSource(input: ByteInput): Source<RecordBatch> {
  const name = inputName(input);
  return {
    name,
    identity: () => byteInputIdentity(input),
    async *read(from) {
      const skip = from === undefined ? 0 : (from as { batch: number }).batch;
      if (skip > 0 && typeof input !== 'string') cannotReplay(name);
      // A file is read message by message through its handle (no chunk concatenation).
      const handle = typeof input === 'string' ? await open(input, 'r') : undefined;
      try {
        if (handle) await checkArrowIpcFile(handle, name);
        const reader = handle
          ? await arrow().RecordBatchReader.from(handle)
          : await arrow().RecordBatchReader.from(readBytes(input));
        let batch = 0;
        for await (const recordBatch of reader) {
          if (batch++ < skip) continue;
          yield { records: [recordBatch], position: { batch }, size: recordBatch.numRows };
        }
      } catch (error) {
        // What Arrow JS itself refuses (a truncated body, an unknown type) is bad input too.
        if (error instanceof EddyError) throw error;
        throw new InputError(`unreadable Arrow IPC stream (${(error as Error).message})`, {
          file: name,
          expected: 'an Arrow IPC stream as Arrow writes it',
        });
      } finally {
        await handle?.close();
      }
    },
  };
}

/**
 * Points as columns from an Arrow IPC stream: the named numeric columns (default: every numeric
 * column) of each record batch, as Float64Arrays. From a stream-format file of integer and
 * float fields whose wanted columns are Float64, each batch is read into one reused buffer and
 * its columns are views into it (see arrow-columns.ts: fresh memory per batch is the main cost
 * of reading Arrow here), so **a batch is only valid until the next one is pulled**: for
 * consumers that use each batch at once, like `OnlineKMeans.fit`. Other inputs go through Arrow
 * JS's RecordBatchReader. Nulls and non-finite values are errors. Replayable from a file.
 */
export function arrowColumnSource(
  input: ByteInput,
  options: { columns?: string[] } = {},
): Source<ColumnPoints> {
  const name = inputName(input);
  return {
    name,
    identity: () => byteInputIdentity(input),
    async *read(from) {
      const start = (from ?? { batch: 0, index: 0 }) as { batch: number; index: number };
      let index = start.index;
      let batch = start.batch;
      if (typeof input === 'string') {
        const handle = await open(input, 'r');
        try {
          await checkArrowIpcFile(handle, name);
          const reader = await openFloat64Columns(handle, name, options.columns);
          if (reader !== null) {
            for (let skipped = 0; skipped < batch; skipped++) {
              if (!(await reader.skip())) return;
            }
            for (let next = await reader.next(); next !== null; next = await reader.next()) {
              const { columns, rows } = next;
              checkFiniteColumns(columns, rows, reader.names, index, name);
              batch++;
              yield {
                records: [{ columns, rows, firstIndex: index }],
                position: { batch, index: index + rows },
                size: rows,
              };
              index += rows;
            }
            return;
          }
        } finally {
          await handle.close();
        }
      }
      for await (const { records, position } of arrowSource(input).read(from)) {
        const recordBatch = records[0];
        const names = options.columns ?? numericColumnNames(recordBatch.schema);
        const columns = recordBatchColumns(recordBatch, names, name);
        const rows = recordBatch.numRows;
        checkFiniteColumns(columns, rows, names, index, name);
        yield {
          records: [{ columns, rows, firstIndex: index }],
          position: { ...(position as { batch: number }), index: index + rows },
          size: rows,
        };
        index += rows;
      }
    },
  };
}

/**
 * Points from an Arrow IPC stream: the named numeric columns (default: every numeric column)
 * of each record batch become the rows of a VectorBatch (read as {@link arrowColumnSource}
 * reads them). Nulls and non-finite values are errors.
 */
export function arrowVectorSource(
  input: ByteInput,
  options: {
    columns?: string[];
    /**
     * Write every batch into the same arrays (default false). Faster (no fresh multi-megabyte
     * array per record batch), but a batch is only valid until the next one is pulled: for
     * consumers that use each batch at once, like `OnlineKMeans.fit`.
     */
    reuseBuffers?: boolean;
  } = {},
): Source<VectorBatch> {
  const columns = arrowColumnSource(input, { columns: options.columns });
  return {
    name: columns.name,
    identity: () => byteInputIdentity(input),
    async *read(from) {
      let reused: VectorBatch | undefined;
      for await (const { records, position, size } of columns.read(from)) {
        const batch = records[0];
        const d = batch.columns.length;
        const target =
          options.reuseBuffers &&
          reused &&
          reused.indices.length === batch.rows &&
          reused.points.columns === d
            ? reused
            : undefined;
        const vectors = columnsToVectors(batch, target);
        if (options.reuseBuffers) reused = vectors;
        yield { records: [vectors], position, size };
      }
    },
  };
}

/** The named columns of a record batch as Float64Arrays (other numeric types converted). */
function recordBatchColumns(batch: RecordBatch, names: readonly string[], source: string): Float64Array[] {
  return names.map((name) => {
    const column = batch.getChild(name);
    if (column === null) {
      throw new InputError(`no column '${name}'`, {
        file: source,
        expected: `one of ${batch.schema.fields.map((f) => f.name).join(', ')}`,
      });
    }
    if (column.nullCount > 0) {
      throw new InputError(`column '${name}' has nulls`, {
        file: source,
        expected: 'no nulls in feature columns',
      });
    }
    const values = column.toArray();
    return values instanceof Float64Array
      ? values
      : Float64Array.from(values as ArrayLike<number | bigint>, Number);
  });
}

/**
 * The named columns of a record batch as row-major points, indexed from `firstIndex`; written
 * into `target` when given (it must have the batch's rows and columns). Nulls and non-finite
 * values are errors.
 */
export function recordBatchToVectors(
  batch: RecordBatch,
  names: readonly string[],
  firstIndex: number,
  source = '<arrow>',
  target?: VectorBatch,
): VectorBatch {
  const columns = recordBatchColumns(batch, names, source);
  checkFiniteColumns(columns, batch.numRows, names, firstIndex, source);
  return columnsToVectors({ columns, rows: batch.numRows, firstIndex }, target);
}

/** Columns (already checked finite) as row-major points; into `target` when given. */
export function columnsToVectors(batch: ColumnPoints, target?: VectorBatch): VectorBatch {
  const { columns, rows, firstIndex } = batch;
  const d = columns.length;
  const data = target ? target.points.data : new Float64Array(rows * d);
  transposeColumns(columns, 0, rows, data, 0);
  const indices = target ? target.indices : new Float64Array(rows);
  for (let i = 0; i < rows; i++) indices[i] = firstIndex + i;
  return target ?? { points: new DenseMatrix(rows, d, data), indices };
}

const TRANSPOSE_BLOCK = 512;

/**
 * Rows [start, end) of `columns` into row-major `data` from row `at`, a block of rows at a time
 * so that the rows being written stay in cache (column by column over a whole batch would sweep
 * the output once per column).
 */
export function transposeColumns(
  columns: readonly Float64Array[],
  start: number,
  end: number,
  data: Float64Array,
  at: number,
): void {
  const d = columns.length;
  for (let block = start; block < end; block += TRANSPOSE_BLOCK) {
    const blockEnd = Math.min(end, block + TRANSPOSE_BLOCK);
    for (let j = 0; j < d; j++) {
      const column = columns[j];
      for (let i = block, k = (at + block - start) * d + j; i < blockEnd; i++, k += d) data[k] = column[i];
    }
  }
}
