/**
 * Sinks: where streams end. A sink's `write` is awaited before the next batch is pulled, so a
 * slow sink slows the whole pipeline down to its pace. File sinks are exactly-once: they
 * write to `<path>.inprogress`, make everything written durable at each checkpoint and record
 * its length there; a resumed job cuts the file back to that length, and the finished file is
 * renamed to `<path>` only when the job ends.
 */
import { once } from 'node:events';
import { type FileHandle, open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Float64, Vector } from 'apache-arrow';
import { arrow } from '../core/arrow-module.js';
import { syncDirectory } from '../core/atomic-file.js';
import { formatCsvRow } from '../core/csv.js';
import { InputError, OutputError, ParamError } from '../core/errors.js';
import type { JsonValue } from './events.js';

/** Where a stream's records go. */
export interface Sink<T> {
  /** Called once before the first write, with the state `commit` returned at the restored checkpoint. */
  open(restored: JsonValue | undefined): Promise<void>;
  /** Writes a batch; the pipeline waits for it. */
  write(records: readonly T[]): Promise<void>;
  /** Makes what was written so far durable and returns the state to resume from it. */
  commit(): Promise<JsonValue>;
  /** The end of the stream: completes the output. */
  close(): Promise<void>;
  /** The job failed: release resources, leaving committed output for a resume. */
  abort?(): Promise<void>;
}

/** A sink that hands each batch to `fn` (and waits for it when it returns a promise). */
export function callbackSink<T>(fn: (records: readonly T[]) => void | Promise<void>): Sink<T> {
  return {
    async open() {},
    async write(records) {
      await fn(records);
    },
    async commit() {
      return null;
    },
    async close() {},
  };
}

/**
 * A sink writing encoded batches to a Node writable (stdout by default), waiting for 'drain'
 * when the writable's buffer is full. Not exactly-once: a stream cannot take back what it wrote.
 */
export function writableSink<T>(
  encode: (records: readonly T[]) => string | Uint8Array,
  writable: NodeJS.WritableStream = process.stdout,
): Sink<T> {
  return {
    async open() {},
    async write(records) {
      if (!writable.write(encode(records))) await once(writable as NodeJS.EventEmitter, 'drain');
    },
    async commit() {
      return null;
    },
    async close() {},
  };
}

/** NDJSON to stdout (or another writable): one JSON value per line. */
export function stdoutSink<T>(writable: NodeJS.WritableStream = process.stdout): Sink<T> {
  return writableSink(encodeNdjson, writable);
}

function encodeNdjson(records: readonly unknown[]): string {
  let text = '';
  for (const record of records) text += `${JSON.stringify(record)}\n`;
  return text;
}

const FLUSH_BYTES = 1 << 20;

/** The state a file sink commits. */
interface FileSinkState {
  length: number;
}

/**
 * The exactly-once file writer behind the file sinks. `encode` turns a batch into bytes;
 * `first` tells it whether nothing has been written yet (for headers); `trailer` ends the file.
 */
export function encodedFileSink<T>(
  path: string,
  encode: (records: readonly T[], first: boolean) => string | Uint8Array,
  trailer?: () => Uint8Array,
): Sink<T> {
  const partPath = `${path}.inprogress`;
  let handle: FileHandle | undefined;
  let length = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (pendingBytes === 0) return;
    const bytes = pending.length === 1 ? pending[0] : Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    let written = 0;
    while (written < bytes.length) {
      const { bytesWritten } = await handle!.write(bytes, written, bytes.length - written, length + written);
      written += bytesWritten;
    }
    length += bytes.length;
  };
  const append = (bytes: string | Uint8Array) => {
    const buffer =
      typeof bytes === 'string'
        ? Buffer.from(bytes)
        : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (buffer.length === 0) return;
    pending.push(buffer);
    pendingBytes += buffer.length;
  };
  return {
    async open(restored) {
      if (restored === undefined || restored === null) {
        handle = await open(partPath, 'w');
        length = 0;
        return;
      }
      const committed = (restored as unknown as FileSinkState).length;
      try {
        handle = await open(partPath, 'r+');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        // A job killed after its outputs were renamed into place but before its checkpoint was
        // marked complete: the finished file holds the committed bytes; take it back and go on.
        try {
          await rename(path, partPath);
          handle = await open(partPath, 'r+');
        } catch {
          throw new InputError('cannot resume: the output in progress is missing', {
            file: partPath,
            expected: `the file written up to the checkpoint (${committed} bytes)`,
          });
        }
      }
      const { size } = await handle.stat();
      if (size < committed) {
        throw new InputError(`cannot resume: the output in progress has ${size} bytes`, {
          file: partPath,
          expected: `at least the ${committed} bytes committed at the checkpoint`,
        });
      }
      // Whatever was written after the checkpoint is written again by the resumed job.
      await handle.truncate(committed);
      length = committed;
    },
    async write(records) {
      if (records.length === 0) return;
      append(encode(records, length + pendingBytes === 0));
      if (pendingBytes >= FLUSH_BYTES) await flush();
    },
    async commit() {
      await flush();
      await handle!.datasync();
      // A file whose directory was removed can still be written: committing lengths of an
      // unlinked file would make a checkpoint of output that no longer exists.
      if ((await handle!.stat()).nlink === 0) {
        throw new OutputError(
          partPath,
          'the file was removed while the job ran (was its directory deleted?)',
        );
      }
      return { length };
    },
    async close() {
      if (trailer) append(trailer());
      await flush();
      await handle!.sync();
      await handle!.close();
      handle = undefined;
      await rename(partPath, path);
      await syncDirectory(dirname(path));
    },
    async abort() {
      // What was buffered goes out like a process would have written it before dying:
      // it lies past the committed length, and a resume cuts it off.
      if (handle) await flush();
      await handle?.close();
      handle = undefined;
    },
  };
}

/** NDJSON file sink (exactly-once). */
export function ndjsonFileSink<T>(path: string): Sink<T> {
  return encodedFileSink<T>(path, encodeNdjson);
}

/** A file sink for records that are already lines of text, written as they are (exactly-once). */
export function textFileSink(path: string): Sink<string> {
  return encodedFileSink<string>(path, (records) => records.join(''));
}

type Cell = string | number | boolean | null | undefined;

/**
 * CSV file sink (exactly-once). Records are objects (the first one's keys make the header)
 * or arrays (no header).
 */
export function csvFileSink<T extends Record<string, Cell> | readonly Cell[]>(
  path: string,
  options: { delimiter?: string; columns?: string[] } = {},
): Sink<T> {
  const delimiter = options.delimiter ?? ',';
  let columns = options.columns;
  return encodedFileSink<T>(path, (records, first) => {
    let text = '';
    for (const record of records) {
      if (Array.isArray(record)) {
        text += `${formatCsvRow(record, delimiter)}\n`;
        continue;
      }
      const object = record as Record<string, Cell>;
      if (columns === undefined) columns = Object.keys(object);
      if (first && text === '') text += `${formatCsvRow(columns, delimiter)}\n`;
      text += `${formatCsvRow(
        columns.map((name) => object[name]),
        delimiter,
      )}\n`;
    }
    return text;
  });
}

/** A flat record for the Arrow sink: numbers become Float64 columns, strings Utf8, booleans Float64 0/1. */
export type ArrowRecord = Record<string, number | string | boolean>;

const END_OF_STREAM = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);

/**
 * Arrow IPC stream file sink (exactly-once): each batch of records becomes one record batch;
 * the schema comes from the first record. The committed length always ends at a batch.
 */
export function arrowFileSink<T extends ArrowRecord>(path: string): Sink<T> {
  let names: string[] | undefined;
  return encodedFileSink<T>(
    path,
    (records, first) => {
      names ??= Object.keys(records[0]);
      const columns: Record<string, Vector> = {};
      for (const name of names) {
        const sample = records[0][name];
        if (typeof sample === 'string') {
          columns[name] = arrow().vectorFromArray(
            records.map((record) => String(record[name])),
            new (arrow().Utf8)(),
          );
        } else {
          const values = new Float64Array(records.length);
          for (let i = 0; i < records.length; i++) {
            const value = records[i][name];
            if (typeof value === 'string' || value === undefined) {
              throw new ParamError(`record.${name}`, value, 'a number, as in the first record');
            }
            values[i] = Number(value);
          }
          columns[name] = arrow().makeVector(values) as Vector<Float64>;
        }
      }
      const bytes = arrow().RecordBatchStreamWriter.writeAll(new (arrow().Table)(columns)).toUint8Array(true);
      // writeAll frames the batch as a whole stream: schema, batch, end-of-stream marker. Keep
      // the schema only at the start of the file and the marker only at its end (the trailer).
      const withoutEnd = bytes.subarray(0, bytes.length - END_OF_STREAM.length);
      if (first) return withoutEnd;
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const schemaLength = 8 + view.getInt32(4, true);
      return withoutEnd.subarray(schemaLength);
    },
    () => END_OF_STREAM,
  );
}
