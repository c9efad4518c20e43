/**
 * The one way eddy writes a file that must never be seen half-written: a checkpoint, a model,
 * an output. Data goes to a temporary file beside the target (same directory, so the rename
 * stays on one file system), which is synced, renamed over the target and followed by a sync
 * of the directory: after a crash the target holds the old content or the new, never a mix.
 *
 * Temporary names are unique per write (process id and a counter), so two writes in flight,
 * even to the same target, never touch each other's files; nothing here deletes files by
 * pattern. Leftovers of a killed process are removed by {@link removeStaleTemporaries}, which
 * a job calls at start-up, before it writes anything.
 */
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { type FileHandle, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { OutputError } from './errors.js';

const TEMPORARY_MARK = '.eddy-tmp-';
let writes = 0;

/** The temporary file a write of `path` goes through before its rename. */
function temporaryPath(path: string): string {
  return join(dirname(path), `.${basename(path)}${TEMPORARY_MARK}${process.pid}-${writes++}`);
}

/** Wraps a file-system failure into an error that names the path and says what failed. */
export function outputError(path: string, error: unknown): Error {
  if (error instanceof OutputError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === undefined) return error as Error;
  return new OutputError(path, describeErrno(code, (error as Error).message), { cause: error });
}

function describeErrno(code: string, message: string): string {
  switch (code) {
    case 'ENOENT':
      return 'no such directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'EROFS':
      return 'read-only file system';
    case 'EFBIG':
      return 'the file would exceed the size limit';
    case 'EDQUOT':
      return 'disk quota exceeded';
    default:
      return message.replace(/^[A-Z]+: /, '');
  }
}

/** Makes a rename in `directory` durable. */
export async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * A file being written atomically: {@link write} appends, {@link commit} makes it the target,
 * {@link abort} removes the temporary file and leaves the target as it was.
 */
export class AtomicFile {
  /** The file this write replaces on commit. */
  readonly path: string;
  /** The temporary file; undefined when the target is a device or pipe, written in place. */
  private readonly temporary: string | undefined;
  private handle: FileHandle | undefined;
  private done = false;

  private constructor(path: string, temporary: string | undefined, handle: FileHandle) {
    this.path = path;
    this.temporary = temporary;
    this.handle = handle;
  }

  /** Starts writing `path`; fails with an {@link OutputError} naming it when it cannot be created. */
  static async open(path: string): Promise<AtomicFile> {
    const kind = await fileKind(path);
    // A directory would fail only at the rename, after all the work: refuse it now.
    if (kind === 'directory') throw new OutputError(path, 'it is a directory');
    // A device or a pipe (`/dev/stdout`, `/dev/full`, a FIFO) is written in place: renaming a
    // file over it would replace the device node, and there is no old content to keep.
    if (kind === 'special') {
      try {
        return new AtomicFile(path, undefined, await open(path, 'w'));
      } catch (error) {
        throw outputError(path, error);
      }
    }
    const temporary = temporaryPath(path);
    try {
      return new AtomicFile(path, temporary, await open(temporary, 'wx'));
    } catch (error) {
      throw outputError(path, error);
    }
  }

  /** Appends data. */
  async write(data: string | Uint8Array): Promise<void> {
    try {
      await this.handle!.writeFile(data);
    } catch (error) {
      await this.abort();
      throw outputError(this.path, error);
    }
  }

  /** Syncs the data, renames it over the target and syncs the directory. */
  async commit(): Promise<void> {
    if (this.done) throw new Error(`${this.path}: already committed or aborted`);
    try {
      if (this.temporary === undefined) {
        await this.handle!.close();
        this.handle = undefined;
        this.done = true;
        return;
      }
      await this.handle!.sync();
      await this.handle!.close();
      this.handle = undefined;
      await rename(this.temporary, this.path);
      this.done = true;
      await syncDirectory(dirname(this.path));
    } catch (error) {
      await this.abort();
      throw outputError(this.path, error);
    }
  }

  /** Drops what was written; the target is left as it was. Safe to call more than once. */
  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.handle?.close().catch(() => {});
    this.handle = undefined;
    if (this.temporary !== undefined) await rm(this.temporary, { force: true }).catch(() => {});
  }
}

/** What is at `path`: nothing or a regular file, a directory, or something else (a device, a pipe). */
async function fileKind(path: string): Promise<'file' | 'directory' | 'special'> {
  try {
    const stats = await stat(path);
    return stats.isFile() ? 'file' : stats.isDirectory() ? 'directory' : 'special';
  } catch {
    return 'file';
  }
}

/** Writes `data` to `path` atomically (see {@link AtomicFile}). */
export async function writeFileAtomically(path: string, data: string | Uint8Array): Promise<void> {
  const file = await AtomicFile.open(path);
  await file.write(data);
  await file.commit();
}

/**
 * The same atomic write for synchronous callers (an iteration's superstep loop that does not
 * yield to the event loop): a synchronous write cannot overlap another write of this process.
 */
export function writeFileAtomicallySync(path: string, data: string | Uint8Array): void {
  const temporary = temporaryPath(path);
  let descriptor: number | undefined;
  try {
    descriptor = openSync(temporary, 'wx');
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    for (let written = 0; written < bytes.byteLength; )
      written += writeSync(descriptor, bytes, written, bytes.byteLength - written);
    fsyncSync(descriptor);
    closeSync(descriptor);
    descriptor = undefined;
    renameSync(temporary, path);
  } catch (error) {
    if (descriptor !== undefined) closeSync(descriptor);
    rmSync(temporary, { force: true });
    throw outputError(path, error);
  }
  try {
    const directory = openSync(dirname(path), 'r');
    try {
      fsyncSync(directory);
    } finally {
      closeSync(directory);
    }
  } catch (error) {
    throw outputError(path, error);
  }
}

/**
 * Removes the temporary files that killed writers left in `directory` (all of them, whoever
 * wrote them). Only for start-up, before this job writes there: a write in flight would lose
 * its file.
 */
export async function removeStaleTemporaries(directory: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const name of names) {
    if (name.includes(TEMPORARY_MARK)) await rm(join(directory, name), { force: true });
  }
}

/** {@link removeStaleTemporaries} for synchronous callers. */
export function removeStaleTemporariesSync(directory: string): void {
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const name of names) {
    if (name.includes(TEMPORARY_MARK)) rmSync(join(directory, name), { force: true });
  }
}

/**
 * Runs async tasks one after another, in the order they were queued: the writes of one job's
 * checkpoints go through one of these, so that they never overlap.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Queues `task`; resolves or rejects with its outcome once every earlier task has settled. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => {});
    return result;
  }
}
