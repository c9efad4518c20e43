/**
 * The one checkpoint store of eddy: stream jobs, online fits, DataSet iterations and graph
 * iterations all keep their checkpoints through it. A checkpoint file is one header line of
 * JSON (format, format version, kind of job, checkpoint id, whether the job completed, the job's
 * fingerprint, payload length, checksum) followed by the payload bytes. Reading verifies every
 * part and refuses, with an {@link InputError} naming the file, a checkpoint that is corrupt,
 * truncated, of another format version or kind, or of a job whose inputs or parameters differ:
 * state that cannot be verified is never resumed.
 *
 * Files are written through core/atomic-file (temporary file, fsync, rename, directory fsync);
 * one store's writes go through a {@link SerialQueue}, so they never overlap; temporary files
 * are removed only by {@link CheckpointStore.prepare} at start-up, and old checkpoints only by
 * name. The directory is created at start-up only: if it disappears while the job runs, the
 * next checkpoint fails with an {@link OutputError} naming it instead of being written elsewhere.
 */
import { createHash, type Hash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import {
  removeStaleTemporaries,
  removeStaleTemporariesSync,
  SerialQueue,
  writeFileAtomically,
  writeFileAtomicallySync,
} from './atomic-file.js';
import { InputError, ParamError } from './errors.js';

/** The checkpoint format this version of eddy writes and reads. */
export const CHECKPOINT_FORMAT_VERSION = 1;
const FORMAT = 'eddy-checkpoint';

/**
 * What identifies a job, by component ("parameters", "input", "output", ...): a resume is
 * refused when any component differs, and the error names the component.
 */
export type JobFingerprint = Readonly<Record<string, string>>;

/** A verified checkpoint read back from its file. */
export interface StoredCheckpoint {
  /** The file it was read from (for error messages about its payload). */
  readonly path: string;
  readonly id: number;
  /** Whether it holds the final state of a job that ran to its end. */
  readonly complete: boolean;
  readonly payload: Buffer;
}

/** Where a store keeps its files and what it checks on reading. */
export interface CheckpointStoreOptions {
  directory: string;
  /** The kind of job ("stream-job", "graph-iteration", ...): another kind's checkpoint is refused. */
  kind: string;
  /** The job's fingerprint, written into every checkpoint and compared on reading. */
  fingerprint: JobFingerprint;
  /** File name prefix (default 'checkpoint'): several jobs may share a directory under different names. */
  name?: string;
  /** How many checkpoints to keep (default 2). */
  retain?: number;
}

interface Header {
  format: string;
  version: number;
  kind: string;
  id: number;
  complete: boolean;
  fingerprint: Record<string, string>;
  bytes: number;
  checksum: string;
}

/** The header's fields in a fixed order, without the checksum: what the checksum covers. */
function canonicalHeader(header: Omit<Header, 'checksum'>): string {
  const { format, version, kind, id, complete, fingerprint, bytes } = header;
  const sorted = Object.fromEntries(
    Object.keys(fingerprint)
      .sort()
      .map((key) => [key, fingerprint[key]]),
  );
  return JSON.stringify({ format, version, kind, id, complete, fingerprint: sorted, bytes });
}

function checksum(header: Omit<Header, 'checksum'>, payload: Uint8Array): string {
  return createHash('sha256').update(canonicalHeader(header)).update('\n').update(payload).digest('hex');
}

function encodeFile(header: Omit<Header, 'checksum'>, payload: Uint8Array): Buffer {
  const line = JSON.stringify({
    ...JSON.parse(canonicalHeader(header)),
    checksum: checksum(header, payload),
  });
  return Buffer.concat([Buffer.from(`${line}\n`), payload]);
}

const isRecordOfStrings = (value: unknown): value is Record<string, string> =>
  value !== null &&
  typeof value === 'object' &&
  !Array.isArray(value) &&
  Object.values(value).every((item) => typeof item === 'string');

/** Checks a checkpoint file's bytes and returns its header and payload; refuses anything it cannot verify. */
function decodeFile(path: string, bytes: Buffer): { header: Header; payload: Buffer } {
  const refuse = (problem: string, text?: string, expected?: string): never => {
    throw new InputError(`refused checkpoint: ${problem}`, { file: path, text, expected });
  };
  const end = bytes.indexOf(10);
  if (end < 0) refuse('no header line', undefined, `an ${FORMAT} file`);
  let header: Header;
  try {
    header = JSON.parse(bytes.subarray(0, end).toString('utf8')) as Header;
  } catch {
    return refuse('unreadable header', undefined, `an ${FORMAT} file`);
  }
  if (header === null || typeof header !== 'object' || header.format !== FORMAT)
    refuse('not an eddy checkpoint', undefined, `an ${FORMAT} file`);
  if (header.version !== CHECKPOINT_FORMAT_VERSION) {
    refuse('unsupported format version', String(header.version), `version ${CHECKPOINT_FORMAT_VERSION}`);
  }
  if (
    typeof header.kind !== 'string' ||
    !Number.isSafeInteger(header.id) ||
    typeof header.complete !== 'boolean' ||
    !isRecordOfStrings(header.fingerprint) ||
    !Number.isSafeInteger(header.bytes) ||
    typeof header.checksum !== 'string'
  ) {
    refuse('malformed header', undefined, 'kind, id, complete, fingerprint, bytes and checksum');
  }
  const payload = bytes.subarray(end + 1);
  if (payload.length !== header.bytes) {
    refuse('truncated or extended', `${payload.length} payload bytes`, `${header.bytes} bytes`);
  }
  if (checksum(header, payload) !== header.checksum) refuse('checksum mismatch (the file is corrupt)');
  return { header, payload };
}

function fileId(name: string, prefix: string): number | undefined {
  if (!name.startsWith(`${prefix}-`) || !name.endsWith('.checkpoint')) return undefined;
  const digits = name.slice(prefix.length + 1, -'.checkpoint'.length);
  return /^\d{8,}$/.test(digits) ? Number(digits) : undefined;
}

/**
 * One job's checkpoints in a directory. Call {@link prepare} (or {@link prepareSync}) once at
 * start-up, before reading or writing.
 */
export class CheckpointStore {
  readonly directory: string;
  readonly kind: string;
  readonly fingerprint: JobFingerprint;
  private readonly name: string;
  private readonly retain: number;
  private readonly queue = new SerialQueue();

  constructor(options: CheckpointStoreOptions) {
    const retain = options.retain ?? 2;
    if (!Number.isInteger(retain) || retain < 1) throw new ParamError('retain', retain, 'an integer >= 1');
    if (typeof options.directory !== 'string' || options.directory === '') {
      throw new ParamError('checkpoint directory', options.directory, 'a directory path');
    }
    this.directory = options.directory;
    this.kind = options.kind;
    this.fingerprint = options.fingerprint;
    this.name = options.name ?? 'checkpoint';
    this.retain = retain;
  }

  /** The file of checkpoint `id`. */
  pathOf(id: number): string {
    return join(this.directory, `${this.name}-${String(id).padStart(8, '0')}.checkpoint`);
  }

  /** Creates the directory and removes temporary files that a killed writer left there. */
  async prepare(): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    await removeStaleTemporaries(this.directory);
  }

  /** {@link prepare} for synchronous callers. */
  prepareSync(): void {
    mkdirSync(this.directory, { recursive: true });
    removeStaleTemporariesSync(this.directory);
  }

  private idsIn(names: string[]): number[] {
    return names
      .map((name) => fileId(name, this.name))
      .filter((id): id is number => id !== undefined)
      .sort((a, b) => a - b);
  }

  private async ids(): Promise<number[]> {
    try {
      return this.idsIn(await readdir(this.directory));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  private idsSync(): number[] {
    try {
      return this.idsIn(readdirSync(this.directory));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  private verified(id: number, bytes: Buffer): StoredCheckpoint {
    const path = this.pathOf(id);
    const { header, payload } = decodeFile(path, bytes);
    if (header.id !== id) {
      throw new InputError('refused checkpoint: its id does not match its file name', {
        file: path,
        text: String(header.id),
        expected: String(id),
      });
    }
    if (header.kind !== this.kind) {
      throw new InputError('refused checkpoint: written by another kind of job', {
        file: path,
        text: header.kind,
        expected: this.kind,
      });
    }
    const keys = new Set([...Object.keys(header.fingerprint), ...Object.keys(this.fingerprint)]);
    for (const key of [...keys].sort()) {
      const then = header.fingerprint[key];
      const now = this.fingerprint[key];
      if (then !== now) {
        throw new InputError(`cannot resume: a checkpoint of another ${key}`, {
          file: path,
          text: then === undefined ? `no ${key} in the checkpoint` : `${key} ${then}`,
          expected: now === undefined ? `no ${key}` : `${key} ${now}`,
        });
      }
    }
    return { path, id, complete: header.complete, payload };
  }

  /** The id of the latest checkpoint file (unverified), or 0 when there is none. */
  latestIdSync(): number {
    return this.idsSync().at(-1) ?? 0;
  }

  /** The latest checkpoint, verified, or undefined when there is none. */
  async latest(): Promise<StoredCheckpoint | undefined> {
    const ids = await this.ids();
    if (ids.length === 0) return undefined;
    const id = ids[ids.length - 1];
    return this.verified(id, await readFile(this.pathOf(id)));
  }

  /** {@link latest} for synchronous callers. */
  latestSync(): StoredCheckpoint | undefined {
    const ids = this.idsSync();
    if (ids.length === 0) return undefined;
    const id = ids[ids.length - 1];
    return this.verified(id, readFileSync(this.pathOf(id)));
  }

  private file(id: number, payload: Uint8Array, complete: boolean): Buffer {
    if (!Number.isSafeInteger(id) || id < 1) throw new ParamError('checkpoint id', id, 'an integer >= 1');
    return encodeFile(
      {
        format: FORMAT,
        version: CHECKPOINT_FORMAT_VERSION,
        kind: this.kind,
        id,
        complete,
        fingerprint: { ...this.fingerprint },
        bytes: payload.byteLength,
      },
      payload,
    );
  }

  /**
   * Writes checkpoint `id` atomically, after every earlier write of this store has finished,
   * then removes (by name) the checkpoints older than the newest `retain`. `complete` marks
   * the final state of a job that ran to its end.
   */
  write(id: number, payload: Uint8Array, complete = false): Promise<void> {
    const bytes = this.file(id, payload, complete);
    return this.queue.run(async () => {
      await writeFileAtomically(this.pathOf(id), bytes);
      for (const old of this.stale(await this.ids(), id)) await rm(this.pathOf(old), { force: true });
    });
  }

  /** {@link write} for synchronous callers (whose writes cannot overlap). */
  writeSync(id: number, payload: Uint8Array, complete = false): void {
    writeFileAtomicallySync(this.pathOf(id), this.file(id, payload, complete));
    for (const old of this.stale(this.idsSync(), id)) rmSync(this.pathOf(old), { force: true });
  }

  private stale(ids: number[], written: number): number[] {
    const kept = ids.filter((id) => id <= written).slice(-this.retain);
    return ids.filter((id) => id < written && !kept.includes(id));
  }

  /** Removes every checkpoint of this store (a fresh start). */
  clear(): Promise<void> {
    return this.queue.run(async () => {
      for (const id of await this.ids()) await rm(this.pathOf(id), { force: true });
    });
  }

  /** {@link clear} for synchronous callers. */
  clearSync(): void {
    for (const id of this.idsSync()) rmSync(this.pathOf(id), { force: true });
  }
}

/** A JSON payload. */
export function jsonPayload(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

/** Reads a JSON payload (verified by its checksum, so a failure here is a bug, reported with the file). */
export function parseJsonPayload(checkpoint: StoredCheckpoint): unknown {
  try {
    return JSON.parse(checkpoint.payload.toString('utf8'));
  } catch (error) {
    throw new InputError('unreadable checkpoint payload', {
      file: checkpoint.path,
      text: (error as Error).message,
    });
  }
}

/** Copies typed arrays over SharedArrayBuffers (which v8.serialize refuses) into plain ones. */
function unshare(value: unknown): unknown {
  if (ArrayBuffer.isView(value)) {
    if (!(value.buffer instanceof SharedArrayBuffer)) return value;
    const bytes = new Uint8Array(value.byteLength);
    bytes.set(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    const Type = value.constructor as new (buffer: ArrayBuffer) => ArrayBufferView;
    return value instanceof DataView ? new DataView(bytes.buffer) : new Type(bytes.buffer);
  }
  if (Array.isArray(value)) return value.map(unshare);
  if (value instanceof Map) return new Map([...value].map(([key, item]) => [key, unshare(item)]));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, unshare(item)]));
  }
  return value;
}

/**
 * A payload of structured values (typed arrays, Maps, undefined and non-finite numbers kept),
 * in V8's serialization format.
 */
export function valuePayload(value: unknown): Buffer {
  try {
    return serialize(value);
  } catch {
    return serialize(unshare(value));
  }
}

/** Reads a {@link valuePayload}. */
export function parseValuePayload(checkpoint: StoredCheckpoint): unknown {
  try {
    return deserialize(checkpoint.payload);
  } catch (error) {
    throw new InputError('unreadable checkpoint payload', {
      file: checkpoint.path,
      text: (error as Error).message,
    });
  }
}

function hashInto(hash: Hash, value: unknown, seen: Set<unknown>): void {
  if (ArrayBuffer.isView(value)) {
    hash.update(`<${value.constructor.name}:${value.byteLength}>`);
    hash.update(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    return;
  }
  if (typeof value !== 'object' || value === null) {
    hash.update(`${typeof value}:${String(value)};`);
    return;
  }
  if (seen.has(value)) return;
  seen.add(value);
  if (value instanceof Map) {
    hash.update('map{');
    for (const [key, item] of value) {
      hashInto(hash, key, seen);
      hashInto(hash, item, seen);
    }
    hash.update('}');
    return;
  }
  hash.update(Array.isArray(value) ? '[' : '{');
  for (const key of Array.isArray(value) ? value.keys() : Object.keys(value).sort()) {
    hash.update(`${String(key)}=`);
    hashInto(hash, (value as Record<string | number, unknown>)[key], seen);
  }
  hash.update(Array.isArray(value) ? ']' : '}');
}

/**
 * A content hash of values (typed arrays by their bytes, objects by sorted keys, Maps in
 * order): equal data gives equal hashes, for job fingerprints.
 */
export function contentHash(...values: unknown[]): string {
  const hash = createHash('sha256');
  const seen = new Set<unknown>();
  for (const value of values) hashInto(hash, value, seen);
  return hash.digest('hex').slice(0, 32);
}
