/**
 * Checks of Arrow IPC metadata before Arrow JS reads it. Arrow JS trusts the counts in the
 * flatbuffers: a garbled field count, record-batch count or child offset makes it loop for
 * minutes (or without end, through shared children) instead of failing. Every vector here must
 * fit in the bytes it is read from, every table must lie inside them, a message's body and a
 * footer's blocks inside the file, and the walk over nested fields visits at most one field per
 * four bytes of metadata, so that a check costs what the metadata weighs. The layouts are those
 * of Arrow's Message.fbs, Schema.fbs and File.fbs.
 */
import type { FileHandle } from 'node:fs/promises';
import { InputError } from './errors.js';

const CONTINUATION = 0xffffffff;
const FILE_MAGIC = 'ARROW1';
/** MessageHeader union members. */
const SCHEMA = 1;
const DICTIONARY_BATCH = 2;
const RECORD_BATCH = 3;
/** The Type union member of a Union type, whose typeIds are a vector. */
const UNION_TYPE = 14;
/** Sizes of the structs in vectors: FieldNode and Buffer (two longs), Block (long, int + pad, long). */
const TWO_LONGS = 16;
const BLOCK = 24;

/** Metadata that cannot be what Arrow wrote; the message, when there is one, says why. */
class Corrupt extends Error {}

const detail = (error: Corrupt) => (error.message ? `: ${error.message}` : '');

/** A flatbuffer's tables and vectors, each bounds-checked against its bytes. */
class Flatbuffer {
  private readonly view: DataView;
  /** Field tables still allowed in this walk (see the module comment). */
  fieldBudget: number;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.fieldBudget = Math.floor(bytes.length / 4);
  }

  private need(at: number, size: number): void {
    if (!(at >= 0 && size >= 0 && at + size <= this.bytes.length)) throw new Corrupt();
  }

  uint32(at: number): number {
    this.need(at, 4);
    return this.view.getUint32(at, true);
  }

  /** The root table's position. */
  root(): number {
    return this.uint32(0);
  }

  /** Where field `index` of the table at `table` is, or -1 when it is absent. */
  field(table: number, index: number): number {
    this.need(table, 4);
    const vtable = table - this.view.getInt32(table, true);
    this.need(vtable, 4);
    const vtableSize = this.view.getUint16(vtable, true);
    if (vtableSize < 4 || vtableSize % 2 !== 0) throw new Corrupt();
    this.need(vtable, vtableSize);
    if (4 + 2 * index >= vtableSize) return -1;
    const offset = this.view.getUint16(vtable + 4 + 2 * index, true);
    if (offset === 0) return -1;
    this.need(table + offset, 1);
    return table + offset;
  }

  /** The table or vector an offset field points to, or -1 when the field is absent. */
  target(table: number, index: number): number {
    const at = this.field(table, index);
    return at === -1 ? -1 : at + this.uint32(at);
  }

  /** The element count of the vector field (elements of `size` bytes), 0 when absent. */
  vector(table: number, index: number, size: number): { start: number; length: number } {
    const at = this.target(table, index);
    if (at === -1) return { start: 0, length: 0 };
    const length = this.uint32(at);
    this.need(at + 4, length * size);
    return { start: at + 4, length };
  }

  /** The tables of a vector of tables. */
  *tables(table: number, index: number): Generator<number> {
    const { start, length } = this.vector(table, index, 4);
    for (let i = 0; i < length; i++) yield start + 4 * i + this.uint32(start + 4 * i);
  }

  byte(table: number, index: number): number {
    const at = this.field(table, index);
    return at === -1 ? 0 : this.bytes[at];
  }

  /** A long field as a number (exact to 2^53, which is past any file eddy reads). */
  long(table: number, index: number): number {
    const at = this.field(table, index);
    return at === -1 ? 0 : this.longAt(at);
  }

  longAt(at: number): number {
    this.need(at, 8);
    return Number(this.view.getBigInt64(at, true));
  }

  int32At(at: number): number {
    this.need(at, 4);
    return this.view.getInt32(at, true);
  }
}

/** KeyValue tables: two strings each. */
function checkKeyValues(buffer: Flatbuffer, table: number, index: number): void {
  for (const pair of buffer.tables(table, index)) {
    buffer.vector(pair, 0, 1);
    buffer.vector(pair, 1, 1);
  }
}

function checkField(buffer: Flatbuffer, field: number): void {
  if (--buffer.fieldBudget < 0) throw new Corrupt();
  buffer.vector(field, 0, 1);
  const type = buffer.target(field, 3);
  if (buffer.byte(field, 2) === UNION_TYPE && type !== -1) buffer.vector(type, 1, 4);
  for (const child of buffer.tables(field, 5)) checkField(buffer, child);
  checkKeyValues(buffer, field, 6);
}

function checkSchema(buffer: Flatbuffer, schema: number): void {
  if (schema === -1) throw new Corrupt();
  for (const field of buffer.tables(schema, 1)) checkField(buffer, field);
  checkKeyValues(buffer, schema, 2);
  buffer.vector(schema, 3, 8);
}

function checkRecordBatch(buffer: Flatbuffer, batch: number, bodyLength: number): void {
  if (batch === -1 || buffer.long(batch, 0) < 0) throw new Corrupt();
  const nodes = buffer.vector(batch, 1, TWO_LONGS);
  for (let i = 0; i < nodes.length; i++) {
    const at = nodes.start + TWO_LONGS * i;
    if (buffer.longAt(at) < 0 || buffer.longAt(at + 8) < 0) throw new Corrupt();
  }
  const buffers = buffer.vector(batch, 2, TWO_LONGS);
  for (let i = 0; i < buffers.length; i++) {
    const at = buffers.start + TWO_LONGS * i;
    const offset = buffer.longAt(at);
    const length = buffer.longAt(at + 8);
    if (offset < 0 || length < 0 || offset + length > bodyLength) throw new Corrupt();
  }
  buffer.vector(batch, 4, 8);
}

/**
 * Checks a Message flatbuffer and returns its body length. `bodyRoom` is how many bytes can
 * follow the metadata (Infinity when unknown, as on a pipe).
 */
function checkMessage(metadata: Uint8Array, bodyRoom: number): number {
  const buffer = new Flatbuffer(metadata);
  const message = buffer.root();
  const bodyLength = buffer.long(message, 3);
  if (bodyLength > bodyRoom) throw new Corrupt('its body ends past the data');
  if (bodyLength < 0) throw new Corrupt();
  const header = buffer.target(message, 2);
  switch (buffer.byte(message, 1)) {
    case SCHEMA:
      checkSchema(buffer, header);
      break;
    case RECORD_BATCH:
      checkRecordBatch(buffer, header, bodyLength);
      break;
    case DICTIONARY_BATCH:
      if (header === -1) throw new Corrupt();
      checkRecordBatch(buffer, buffer.target(header, 1), bodyLength);
      break;
    default:
      // Tensors are not read by eddy; Arrow JS refuses them with an error of its own.
      break;
  }
  checkKeyValues(buffer, message, 4);
  return bodyLength;
}

function corrupt(file: string, detail: string): InputError {
  return new InputError(`corrupt Arrow IPC data (${detail})`, {
    file,
    expected: 'an Arrow IPC file or stream as Arrow writes it',
  });
}

/**
 * The framing of the message at `position` of `bytes`: its metadata's start and length, or null
 * at the end-of-stream marker (or the end of the bytes).
 */
function framing(bytes: Uint8Array, position: number): { start: number; length: number } | null {
  if (position + 4 > bytes.length) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let length = view.getUint32(position, true);
  let start = position + 4;
  if (length === CONTINUATION) {
    if (position + 8 > bytes.length) return null;
    length = view.getUint32(position + 4, true);
    start = position + 8;
  }
  if (length === 0) return null;
  return { start, length };
}

/** Checks the messages of the stream in bytes[from, to) and returns how many there were. */
function checkMessages(bytes: Uint8Array, from: number, to: number, file: string): number {
  let position = from;
  let count = 0;
  for (let next = framing(bytes, position); next !== null && position < to; next = framing(bytes, position)) {
    const end = next.start + next.length;
    if (end > to) throw corrupt(file, `message ${count} ends past the data`);
    let bodyLength: number;
    try {
      bodyLength = checkMessage(bytes.subarray(next.start, end), to - end);
    } catch (error) {
      if (error instanceof Corrupt)
        throw corrupt(file, `message ${count} at byte ${position}${detail(error)}`);
      throw error;
    }
    position = end + bodyLength;
    count++;
  }
  return count;
}

/** Checks the footer of a file-format Arrow file held in `bytes`, and the messages its blocks name. */
function checkFileFooter(bytes: Uint8Array, file: string): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const trailer = bytes.length - 10;
  if (trailer < 8 || Buffer.from(bytes.subarray(trailer + 4)).toString('latin1') !== FILE_MAGIC) {
    throw corrupt(file, 'no ARROW1 at the end of the file');
  }
  const footerLength = view.getInt32(trailer, true);
  const footerStart = trailer - footerLength;
  if (footerLength <= 0 || footerStart < 8) throw corrupt(file, `footer length ${footerLength}`);
  const footer = new Flatbuffer(bytes.subarray(footerStart, trailer));
  try {
    const root = footer.root();
    checkSchema(footer, footer.target(root, 1));
    for (const index of [2, 3]) {
      const blocks = footer.vector(root, index, BLOCK);
      for (let i = 0; i < blocks.length; i++) {
        const at = blocks.start + BLOCK * i;
        const offset = footer.longAt(at);
        const metadataLength = footer.int32At(at + 8);
        const bodyLength = footer.longAt(at + 16);
        if (!(offset >= 8 && metadataLength > 0 && bodyLength >= 0)) throw new Corrupt();
        if (offset + metadataLength + bodyLength > footerStart) throw new Corrupt();
        if (checkMessages(bytes, offset, offset + metadataLength + bodyLength, file) !== 1)
          throw new Corrupt();
      }
    }
    checkKeyValues(footer, root, 4);
  } catch (error) {
    if (error instanceof Corrupt) throw corrupt(file, 'footer');
    throw error;
  }
}

/**
 * Throws an InputError naming `file` unless `bytes` are an Arrow IPC file or stream whose
 * metadata is well formed (see the module comment): what to call before `tableFromIPC`.
 */
export function checkArrowIpcBytes(bytes: Uint8Array, file: string): void {
  if (Buffer.from(bytes.subarray(0, 6)).toString('latin1') === FILE_MAGIC) {
    checkFileFooter(bytes, file);
    return;
  }
  checkMessages(bytes, 0, bytes.length, file);
}

/**
 * The same check of an open file in the stream format, reading only the framing and metadata of
 * each message (bodies are skipped); a file-format file is read whole (Arrow JS reads it whole too).
 */
export async function checkArrowIpcFile(handle: FileHandle, file: string): Promise<void> {
  const { size } = await handle.stat();
  const head = Buffer.alloc(8);
  const { bytesRead } = await handle.read(head, 0, 8, 0);
  if (bytesRead >= 6 && head.toString('latin1', 0, 6) === FILE_MAGIC) {
    const bytes = Buffer.alloc(size);
    await handle.read(bytes, 0, size, 0);
    checkFileFooter(bytes, file);
    return;
  }
  let position = 0;
  for (let count = 0; position < size; count++) {
    const prefix = Buffer.alloc(8);
    const got = (await handle.read(prefix, 0, 8, position)).bytesRead;
    const next = framing(prefix.subarray(0, got), 0);
    if (next === null) return;
    const start = position + next.start;
    if (start + next.length > size) throw corrupt(file, `message ${count} ends past the data`);
    const metadata = Buffer.alloc(next.length);
    await handle.read(metadata, 0, next.length, start);
    try {
      position = start + next.length + checkMessage(metadata, size - start - next.length);
    } catch (error) {
      if (error instanceof Corrupt)
        throw corrupt(file, `message ${count} at byte ${position}${detail(error)}`);
      throw error;
    }
  }
}
