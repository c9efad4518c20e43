/**
 * The binary graph file (`.eddy`): a graph's vertex dictionary and CSR (and optionally its
 * in-edge index) as little-endian arrays, loaded with sequential reads straight into shared
 * typed arrays, with no parsing. `eddy convert` writes it; every graph command reads it in
 * place of an edge list.
 *
 * Layout, version 2 (all integers little-endian; n vertices, m edges):
 *
 * - Header, 64 bytes: magic `EDDYGRPH` (8 bytes); u32 version (2); u32 flags (1: weighted,
 *   2: in-edge index, 4: string keys, 8: 64-bit offsets, 16: number keys in a reordered
 *   graph's order rather than ascending); u64 n; u64 m; u32 number of
 *   sections; u32 CRC-32 of bytes 0..35; 28 zero bytes.
 * - Sections, in this order, each a 16-byte head (4 ASCII bytes of tag, u32 CRC-32 of the
 *   payload, u64 payload length in bytes) and the payload, zero-padded to a multiple of 8:
 *   - `KNUM` n float64 number keys, ascending unless flag 16 (number keys), or `KOFF` n + 1 float64 byte
 *     offsets into `KTXT` and `KTXT` the UTF-8 keys one after another (string keys);
 *   - `COFF` n + 1 CSR offsets, `CTGT` m int32 targets, `CWGT` m float64 weights
 *     (weighted graphs only);
 *   - `IOFF` n + 1 in-edge offsets, `ISRC` m int32 sources, `IPOS` m positions of each
 *     in-edge in `CTGT` (with the in-edge index only).
 *
 * Offsets and positions are int32, or with flag 8 (written for 2^31 edges or more) float64,
 * exact to 2^53. Nothing follows the last section. Version 1 is version 2 without flag 8 (so
 * at most 2^31 - 1 edges) and is still read. Loading holds offsets and positions in int32
 * below 2^31 edges, in uint32 below 2^32 and in float64 from there (csr.ts, edgeOffsets).
 * The whole graph loads with up to 2^32 edges (its targets are one typed array, which Node 20
 * caps at 2^32 elements); the in-edge index alone (PageRank) with any edge count, its sources
 * in segments, and so does the stream of targets a window at a time (components). Beyond that,
 * or from 2^31 vertices, a load is refused with the size it needs.
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { endianness } from 'node:os';
import { crc32 } from 'node:zlib';
import { AtomicFile } from '../core/atomic-file.js';
import { InputError, ParamError } from '../core/errors.js';
import { float64Array, int32Array } from '../core/shared-memory.js';
import { MAX_SEGMENT_BYTES } from '../core/threads/transfer.js';
import {
  Csr,
  type EdgeOffsets,
  type EdgeOffsetsOptions,
  edgeOffsets,
  gibibytes,
  type InEdges,
  MAX_EDGES,
  MAX_TYPED_ARRAY_LENGTH,
} from './csr.js';
import type { EdgeList, EdgeListReadOptions } from './edge-list-reader.js';
import { type InEdgeIndex, segmentBounds } from './in-edge-index.js';
import { VertexDictionary, type VertexKey } from './vertex-dictionary.js';

/** The first 8 bytes of every graph file. */
export const GRAPH_FILE_MAGIC = 'EDDYGRPH';
/** The layout version this eddy writes (it reads version 1 too). */
export const GRAPH_FILE_VERSION = 2;

const HEADER_BYTES = 64;
const SECTION_HEAD_BYTES = 16;
const WEIGHTED = 1;
const IN_EDGES = 2;
const STRING_KEYS = 4;
const OFFSETS_64 = 8;
const REORDERED = 16;
/** Edge counts from here on need 64-bit offsets. */
const INT32_EDGES = 2 ** 31;
/** Bytes read or written per call (a single read of more than 2 GiB fails). */
const PIECE_BYTES = 1 << 28;

/** A graph as a graph file holds it. */
export interface GraphFileContents {
  dictionary: VertexDictionary;
  /** The CSR; its in-edge index is already there when the file holds one. */
  csr: Csr;
}

/** Options of {@link writeGraphFile}. */
export interface GraphFileWriteOptions {
  /** Also store the in-edge index (built now unless it is already), for pull algorithms. */
  inEdges?: boolean;
  /**
   * Store offsets and positions as 64-bit floats (default: only for 2^31 edges or more, which
   * need them); true is for tests of that layout on small graphs.
   */
  offsets64?: boolean;
}

/**
 * The edge counts from which offsets are loaded wider than int32 (and than uint32): the
 * defaults are what the counts need; smaller values are for tests of the wide layouts.
 */
type OffsetLimits = Pick<EdgeOffsetsOptions, 'int32EdgeLimit' | 'uint32EdgeLimit'>;

/** Options of {@link readGraphFile}. */
export interface GraphFileReadOptions extends OffsetLimits {
  /** The name used in error messages (default: the path). */
  fileName?: string;
  /**
   * Whether to load the weights: `'auto'` (default) when the file has them, `false` never
   * (saves reading them), `true` requires them (an InputError for a graph without).
   */
  weighted?: boolean | 'auto';
}

function checkLittleEndian(): void {
  if (endianness() !== 'LE') throw new Error('graph files are little-endian: this machine is big-endian');
}

function bytesOf(array: ArrayBufferView): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/**
 * Writes `graph` to `path` in the layout above, atomically (a crash leaves the old file or
 * none, never part of one).
 * @example
 * const edges = await readEdgeList('web.tsv');
 * const { csr } = buildCsr(edges.dictionary.size, edges.sources, edges.targets);
 * await writeGraphFile('web.eddy', { dictionary: edges.dictionary, csr }, { inEdges: true });
 */
export async function writeGraphFile(
  path: string,
  graph: GraphFileContents,
  options: GraphFileWriteOptions = {},
): Promise<void> {
  checkLittleEndian();
  const { dictionary, csr } = graph;
  if (dictionary.size !== csr.vertexCount) {
    throw new ParamError(
      'graph',
      `${dictionary.size} keys for ${csr.vertexCount} vertices`,
      'one key per vertex',
    );
  }
  const sections: [string, ArrayBufferView][] = [];
  const numberKeys = dictionary.numericKeys();
  if (numberKeys !== undefined) sections.push(['KNUM', numberKeys]);
  else {
    const texts = dictionary.keys() as string[];
    const encoded = texts.map((text) => Buffer.from(text, 'utf8'));
    const offsets = new Float64Array(texts.length + 1);
    for (let i = 0; i < encoded.length; i++) offsets[i + 1] = offsets[i] + encoded[i].length;
    sections.push(['KOFF', offsets], ['KTXT', Buffer.concat(encoded)]);
  }
  // Float64 offsets are written as they are (a graph holds them from 2^32 edges on).
  const offsets64 =
    options.offsets64 ?? (csr.edgeCount >= INT32_EDGES || csr.offsets instanceof Float64Array);
  const wide = (array: EdgeOffsets) =>
    offsets64 && !(array instanceof Float64Array) ? Float64Array.from(array) : array;
  sections.push(['COFF', wide(csr.offsets)], ['CTGT', csr.targets]);
  if (csr.weights !== undefined) sections.push(['CWGT', csr.weights]);
  if (options.inEdges) {
    const inEdges = csr.inEdges();
    sections.push(
      ['IOFF', wide(inEdges.offsets)],
      ['ISRC', inEdges.sources],
      ['IPOS', wide(inEdges.edgePositions)],
    );
  }
  const flags =
    (csr.weights !== undefined ? WEIGHTED : 0) |
    (options.inEdges ? IN_EDGES : 0) |
    (numberKeys === undefined ? STRING_KEYS : 0) |
    (offsets64 ? OFFSETS_64 : 0) |
    (numberKeys !== undefined && !dictionary.ascending ? REORDERED : 0);
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(GRAPH_FILE_MAGIC, 0, 'latin1');
  header.writeUInt32LE(GRAPH_FILE_VERSION, 8);
  header.writeUInt32LE(flags, 12);
  header.writeBigUInt64LE(BigInt(csr.vertexCount), 16);
  header.writeBigUInt64LE(BigInt(csr.edgeCount), 24);
  header.writeUInt32LE(sections.length, 32);
  header.writeUInt32LE(crc32(header.subarray(0, 36)), 36);
  const file = await AtomicFile.open(path);
  try {
    await file.write(header);
    for (const [tag, array] of sections) {
      const payload = bytesOf(array);
      let checksum = 0;
      for (let at = 0; at < payload.length; at += PIECE_BYTES) {
        checksum = crc32(payload.subarray(at, at + PIECE_BYTES), checksum);
      }
      const head = Buffer.alloc(SECTION_HEAD_BYTES);
      head.write(tag, 0, 'latin1');
      head.writeUInt32LE(checksum, 4);
      head.writeBigUInt64LE(BigInt(payload.length), 8);
      await file.write(head);
      for (let at = 0; at < payload.length; at += PIECE_BYTES) {
        await file.write(payload.subarray(at, at + PIECE_BYTES));
      }
      const padding = (8 - (payload.length % 8)) % 8;
      if (padding > 0) await file.write(Buffer.alloc(padding));
    }
    await file.commit();
  } catch (error) {
    await file.abort();
    throw error;
  }
}

/** Whether `path` is a regular file that starts with the graph file magic. */
export function isGraphFile(path: string): boolean {
  let descriptor: number;
  try {
    // Not opened unless regular: opening a named pipe would take its writer's bytes.
    if (!statSync(path).isFile()) return false;
    descriptor = openSync(path, 'r');
  } catch {
    return false;
  }
  try {
    const magic = Buffer.alloc(8);
    return readSync(descriptor, magic, 0, 8, 0) === 8 && magic.toString('latin1') === GRAPH_FILE_MAGIC;
  } finally {
    closeSync(descriptor);
  }
}

/** Sequential reads of a graph file, every failure an InputError naming the file and offset. */
class GraphFileReader {
  private position = 0;
  constructor(
    private readonly descriptor: number,
    private readonly file: string,
    readonly size: number,
  ) {}

  fail(problem: string, expected?: string): never {
    throw new InputError(`${problem} (at byte ${this.position})`, {
      file: this.file,
      expected: expected ?? 'a graph file written by this version of eddy convert',
    });
  }

  /**
   * Fills `target` from the current position; a short read means a truncated file. Returns the
   * CRC-32 of the bytes, continued from `checksum`.
   */
  fill(target: Uint8Array, what: string, checksum = 0): number {
    for (let at = 0; at < target.length; ) {
      const piece = target.subarray(at, at + PIECE_BYTES);
      const read = readSync(this.descriptor, piece, 0, piece.length, this.position);
      if (read === 0) {
        this.fail(
          `truncated graph file: ${what} needs ${target.length - at} more bytes, the file has ${this.size}`,
          'a complete graph file (convert the edge list again)',
        );
      }
      checksum = crc32(piece.subarray(0, read), checksum);
      at += read;
      this.position += read;
    }
    return checksum;
  }

  /** Reads the head of the next section, which must be `tag` with `bytes` of payload. */
  private head(tag: string, bytes: number): Buffer {
    const head = Buffer.alloc(SECTION_HEAD_BYTES);
    this.fill(head, `the head of section ${tag}`);
    const found = head.toString('latin1', 0, 4);
    if (found !== tag) this.fail(`section ${JSON.stringify(found)} where ${tag} belongs`);
    const length = Number(head.readBigUInt64LE(8));
    if (length !== bytes)
      this.fail(`section ${tag} holds ${length} bytes, the header's counts make it ${bytes}`);
    return head;
  }

  /** Passes over the next section, `tag` with `bytes` of payload, without reading it. */
  skip(tag: string, bytes: number): void {
    this.head(tag, bytes);
    const end = this.position + bytes + ((8 - (bytes % 8)) % 8);
    if (end > this.size) this.fail(`truncated graph file: section ${tag} ends past the end of the file`);
    this.position = end;
  }

  /** Reads the next section, which must be `tag` with the payload's size of `target`, into it. */
  section<A extends ArrayBufferView>(tag: string, target: A): A {
    return this.sections(tag, [target])[0];
  }

  /** Reads the next section, `tag`, whose payload is the arrays of `targets` end to end, into them. */
  sections<A extends ArrayBufferView>(tag: string, targets: A[]): A[] {
    const section = this.begin(
      tag,
      targets.reduce((sum, target) => sum + target.byteLength, 0),
    );
    for (const target of targets) section.read(bytesOf(target));
    section.end();
    return targets;
  }

  /**
   * Begins the next section, `tag` with `bytes` of payload, for reading in parts in order:
   * `read` fills each part, `end` checks the checksum and passes the padding.
   */
  begin(tag: string, bytes: number): { read(part: Uint8Array): void; end(): void } {
    const head = this.head(tag, bytes);
    const start = this.position;
    let checksum = 0;
    return {
      read: (part) => {
        checksum = this.fill(part, `section ${tag}`, checksum);
      },
      end: () => {
        if (checksum !== head.readUInt32LE(4)) {
          this.position = start;
          this.fail(`section ${tag} is corrupted (its checksum does not match)`, 'an intact graph file');
        }
        const padding = (8 - (bytes % 8)) % 8;
        if (padding > 0) this.fill(Buffer.alloc(padding), `the padding of section ${tag}`);
      },
    };
  }

  get offset(): number {
    return this.position;
  }
}

/** What every load of a graph file reads first: the header, then the vertex keys. */
interface OpenedGraphFile {
  reader: GraphFileReader;
  flags: number;
  n: number;
  m: number;
  dictionary: VertexDictionary;
  /** Reads the next offsets or positions section (`length` of them), shared, in the narrowest type. */
  offsets(tag: string, length: number): EdgeOffsets;
  /** Fails unless the whole file was read. */
  finish(): void;
}

/**
 * Opens `path`, checks its header and reads its keys, then gives the rest to `load`. A graph of
 * more than `maxEdges` edges (what the load holds) is refused before anything is allocated.
 */
async function withGraphFile<T>(
  path: string,
  options: { fileName?: string; maxEdges: number } & OffsetLimits,
  load: (opened: OpenedGraphFile) => T | Promise<T>,
): Promise<T> {
  const { fileName, maxEdges } = options;
  checkLittleEndian();
  const file = fileName ?? path;
  let descriptor: number;
  try {
    descriptor = openSync(path, 'r');
  } catch (error) {
    throw new InputError(`cannot open: ${(error as Error).message}`, { file, expected: 'a graph file' });
  }
  try {
    const reader = new GraphFileReader(descriptor, file, fstatSync(descriptor).size);
    const header = Buffer.alloc(HEADER_BYTES);
    const magic = header.subarray(0, 8);
    if (readSync(descriptor, magic, 0, 8, 0) < 8 || magic.toString('latin1') !== GRAPH_FILE_MAGIC) {
      reader.fail('not an eddy graph file (no EDDYGRPH magic)', 'a file written by eddy convert');
    }
    reader.fill(header, 'the header');
    const version = header.readUInt32LE(8);
    if (version !== 1 && version !== GRAPH_FILE_VERSION) {
      reader.fail(
        `graph file version ${version}`,
        `version 1 or ${GRAPH_FILE_VERSION} (convert the edge list again)`,
      );
    }
    if (crc32(header.subarray(0, 36)) !== header.readUInt32LE(36)) {
      reader.fail('the header is corrupted (its checksum does not match)', 'an intact graph file');
    }
    const flags = header.readUInt32LE(12);
    const known = WEIGHTED | IN_EDGES | STRING_KEYS | (version === 1 ? 0 : OFFSETS_64 | REORDERED);
    if ((flags & ~known) !== 0) reader.fail(`unknown flags ${flags} for version ${version}`);
    const n = Number(header.readBigUInt64LE(16));
    const m = Number(header.readBigUInt64LE(24));
    if (n >= INT32_EDGES || m > MAX_EDGES) {
      reader.fail(
        `${n} vertices and ${m} edges: eddy holds a loaded graph in int32 vertex ids and offsets exact ` +
          `to 2^53, at most 2^31 - 1 vertices (this one would need ${approximateBytes(n, m, flags)} of memory)`,
        'a graph of fewer than 2^31 vertices',
      );
    }
    if (m > maxEdges) {
      throw new RangeError(
        `${file}: ${m} edges: a whole graph loads with at most 2^32 (${MAX_TYPED_ARRAY_LENGTH}) edges, ` +
          `its targets being one typed array of ${gibibytes(4 * m)}, and Node's typed arrays hold at most ` +
          `2^32 elements; PageRank reads the in-edge index of a file converted with --in-edges in segments`,
      );
    }
    // Before any array is allocated for them: a truncated or corrupted header claiming a huge
    // graph must not take the memory first.
    if (reader.size < HEADER_BYTES + 4 * m) {
      reader.fail(
        `truncated graph file: the header says ${m} edges, whose targets alone take ${4 * m} bytes, ` +
          `the file has ${reader.size}`,
        'a complete graph file',
      );
    }
    if (m >= INT32_EDGES && (flags & OFFSETS_64) === 0) {
      reader.fail(
        `${m} edges with 32-bit offsets`,
        'the 64-bit offsets (flag 8) eddy writes from 2^31 edges on',
      );
    }
    const offsets = (tag: string, length: number): EdgeOffsets =>
      inNarrowest(
        (flags & OFFSETS_64) === 0
          ? reader.section(tag, int32Array(length, true))
          : checkedPositions(reader, tag, reader.section(tag, float64Array(length, true)), m),
        m,
        options,
      );
    let dictionary: VertexDictionary;
    if ((flags & STRING_KEYS) === 0) {
      const keys = reader.section('KNUM', float64Array(n, true));
      dictionary =
        (flags & REORDERED) === 0
          ? VertexDictionary.fromSortedNumbers(keys)
          : VertexDictionary.fromNumbersInOrder(keys);
    } else {
      const offsets = reader.section('KOFF', new Float64Array(n + 1));
      const text = reader.section('KTXT', Buffer.alloc(offsets[n]));
      const keys: string[] = new Array(n);
      for (let i = 0; i < n; i++) keys[i] = text.toString('utf8', offsets[i], offsets[i + 1]);
      dictionary = VertexDictionary.fromStrings(keys);
    }
    const finish = () => {
      if (reader.offset !== fstatSync(descriptor).size) reader.fail('bytes after the last section');
    };
    try {
      return await load({ reader, flags, n, m, dictionary, offsets, finish });
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      throw new RangeError(
        `loading ${file} (${n} vertices, ${m} edges) needs about ${approximateBytes(n, m, flags)} of memory: ${error.message}`,
        { cause: error },
      );
    }
  } finally {
    closeSync(descriptor);
  }
}

/**
 * Loads a graph file written by {@link writeGraphFile}: every array in shared memory (worker
 * threads use it without a copy), its in-edge index too when the file holds one. A truncated,
 * corrupted or foreign file is an {@link InputError} that says which.
 * @example
 * const { dictionary, csr } = await readGraphFile('web.eddy');
 */
export async function readGraphFile(
  path: string,
  options: GraphFileReadOptions = {},
): Promise<GraphFileContents> {
  const load = { ...options, maxEdges: MAX_TYPED_ARRAY_LENGTH };
  return withGraphFile(path, load, ({ reader, flags, n, m, dictionary, offsets, finish }) => {
    const csrOffsets = offsets('COFF', n + 1);
    const targets = reader.section('CTGT', int32Array(m, true));
    if (options.weighted === true && (flags & WEIGHTED) === 0) {
      reader.fail(
        'the graph file has no weights',
        'a graph converted from an edge list with a weight column',
      );
    }
    let weights: Float64Array | undefined;
    if ((flags & WEIGHTED) !== 0) {
      if (options.weighted === false) reader.skip('CWGT', 8 * m);
      else weights = reader.section('CWGT', float64Array(m, true));
    }
    let inEdges: InEdges | undefined;
    if ((flags & IN_EDGES) !== 0) {
      inEdges = {
        offsets: offsets('IOFF', n + 1),
        sources: reader.section('ISRC', int32Array(m, true)),
        edgePositions: offsets('IPOS', m),
      };
    }
    finish();
    checkIndex(reader, n, csrOffsets, [targets], 'COFF');
    if (inEdges !== undefined) checkIndex(reader, n, inEdges.offsets, [inEdges.sources], 'IOFF');
    return { dictionary, csr: new Csr(csrOffsets, targets, weights, inEdges) };
  });
}

/** Options of {@link readGraphFilePullIndex}. */
export interface GraphFilePullOptions extends OffsetLimits {
  /** The name used in error messages (default: the path). */
  fileName?: string;
  /**
   * The largest segment of the in-edge sources in bytes (default: the driver's largest segment,
   * 8 GiB); smaller values are for tests.
   */
  segmentBytes?: number;
}

/**
 * Loads only what pulling along in-edges needs (unweighted PageRank) from a graph file that
 * holds the in-edge index (`eddy convert --in-edges`): the keys, the out-degrees, and the
 * in-edge offsets and sources, the sources in shared segments worker threads can take. About
 * 4 bytes per edge, against 16 for the whole file. Undefined when the file has no in-edge index.
 * @example
 * const pull = await readGraphFilePullIndex('web.eddy'); // then pageRank(pull, ...)
 */
export async function readGraphFilePullIndex(
  path: string,
  options: GraphFilePullOptions = {},
): Promise<{ dictionary: VertexDictionary; inEdges: InEdgeIndex } | undefined> {
  return withGraphFile(path, { ...options, maxEdges: MAX_EDGES }, (opened) => {
    const { reader, flags, n, m, dictionary, offsets, finish } = opened;
    if ((flags & IN_EDGES) === 0) return undefined;
    const outOffsets = offsets('COFF', n + 1);
    reader.skip('CTGT', 4 * m);
    if ((flags & WEIGHTED) !== 0) reader.skip('CWGT', 8 * m);
    const inOffsets = offsets('IOFF', n + 1);
    checkIndex(reader, n, outOffsets, [], 'COFF');
    checkIndex(reader, n, inOffsets, [], 'IOFF');
    const limit = Math.min(options.segmentBytes ?? MAX_SEGMENT_BYTES, MAX_SEGMENT_BYTES);
    const bounds = segmentBounds(inOffsets, Math.floor(limit / 4));
    const segments: Int32Array[] = [];
    for (let s = 0; s + 1 < bounds.length; s++) {
      segments.push(int32Array(inOffsets[bounds[s + 1]] - inOffsets[bounds[s]], true));
    }
    reader.sections('ISRC', segments);
    reader.skip('IPOS', ((flags & OFFSETS_64) === 0 ? 4 : 8) * m);
    finish();
    checkIndex(reader, n, inOffsets, segments, 'IOFF');
    const outDegrees = new Int32Array(n);
    for (let v = 0; v < n; v++) outDegrees[v] = outOffsets[v + 1] - outOffsets[v];
    const inEdges: InEdgeIndex = {
      vertexCount: n,
      offsets: inOffsets,
      sources: { bounds, arrays: segments },
      weights: undefined,
      outDegrees,
      outWeights: undefined,
    };
    return { dictionary, inEdges };
  });
}

/** `wide`, 64-bit offsets or positions of a graph of `m` edges, once checked to be positions. */
function checkedPositions(reader: GraphFileReader, tag: string, wide: Float64Array, m: number): Float64Array {
  for (let i = 0; i < wide.length; i++) {
    const value = wide[i];
    if (!(value >= 0 && value <= m && Number.isInteger(value))) {
      reader.fail(`section ${tag} holds ${value} at ${i}, not an edge position`);
    }
  }
  return wide;
}

/**
 * Offsets or positions of a graph of `m` edges as read (shared memory) in the type a graph of
 * that size holds them in (int32 below 2^31 edges, uint32 below 2^32, float64 from there): the
 * array itself when it already is, else a shared copy.
 */
function inNarrowest(stored: Int32Array | Float64Array, m: number, limits: OffsetLimits): EdgeOffsets {
  if (edgeOffsets(0, m, limits).constructor === stored.constructor) return stored;
  const copy = edgeOffsets(stored.length, m, { ...limits, share: true });
  copy.set(stored);
  return copy;
}

/** About how many bytes a graph of `n` vertices and `m` edges takes loaded (for messages). */
function approximateBytes(n: number, m: number, flags: number): string {
  let bytes = 8 * n + 8 * n + 4 * m;
  if ((flags & WEIGHTED) !== 0) bytes += 8 * m;
  if ((flags & IN_EDGES) !== 0) bytes += 8 * n + 12 * m;
  return gibibytes(bytes);
}

/**
 * Offsets from 0 to m, never decreasing, and ids below n (the per-edge `ids` in segments, none
 * when only the offsets are checked): what a checksum cannot vouch for.
 */
function checkIndex(
  reader: GraphFileReader,
  n: number,
  offsets: EdgeOffsets,
  ids: Int32Array[],
  tag: string,
) {
  let ok =
    offsets[0] === 0 && (ids.length === 0 || offsets[n] === ids.reduce((sum, part) => sum + part.length, 0));
  for (let v = 0; ok && v < n; v++) ok = offsets[v] <= offsets[v + 1];
  for (const part of ids) for (let e = 0; ok && e < part.length; e++) ok = part[e] >>> 0 < n;
  if (!ok) reader.fail(`section ${tag} describes no graph of ${n} vertices`);
}

/**
 * A graph file's CSR read a window of targets at a time, for work that visits every edge once
 * in any order (union-find): about 12 bytes per vertex besides the windows, whatever the edge
 * count, so graphs of more edges than one typed array holds (2^32) can be walked.
 */
export interface GraphFileEdgeStream<K extends VertexKey = VertexKey> {
  readonly dictionary: VertexDictionary<K>;
  /** The CSR offsets: vertex `v`'s out-edges are positions `offsets[v] .. offsets[v + 1] - 1`. */
  readonly offsets: EdgeOffsets;
  readonly edgeCount: number;
  /**
   * Reads the targets of the next `into.length` edge positions (from position 0 on, in CSR
   * order) into `into`; an id beyond the vertices is an InputError, and so, after the last
   * window, is a checksum that does not match (so a result built from the windows is dropped).
   */
  readTargets(into: Int32Array): void;
}

/**
 * Opens a graph file as a {@link GraphFileEdgeStream} and gives it to `use`, closing the file
 * when `use` is done.
 * @example
 * const labels = await streamGraphFileEdges('web.eddy', {}, (edges) => connectedComponents(edges));
 */
export async function streamGraphFileEdges<T>(
  path: string,
  options: Pick<GraphFilePullOptions, 'fileName' | 'int32EdgeLimit' | 'uint32EdgeLimit'>,
  use: (edges: GraphFileEdgeStream) => T | Promise<T>,
): Promise<T> {
  return withGraphFile(path, { ...options, maxEdges: MAX_EDGES }, async (opened) => {
    const { reader, flags, n, m, dictionary, offsets, finish } = opened;
    const csrOffsets = offsets('COFF', n + 1);
    checkIndex(reader, n, csrOffsets, [], 'COFF');
    if (csrOffsets[n] !== m) reader.fail(`section COFF ends at ${csrOffsets[n]}, not at the ${m} edges`);
    const section = reader.begin('CTGT', 4 * m);
    let position = 0;
    const readTargets = (into: Int32Array) => {
      if (position + into.length > m) throw new RangeError(`${position + into.length} targets read of ${m}`);
      section.read(bytesOf(into));
      position += into.length;
      for (let i = 0; i < into.length; i++) {
        if (into[i] >>> 0 >= n) reader.fail(`section CTGT holds ${into[i]}, not a vertex id below ${n}`);
      }
      if (position === m) section.end();
    };
    if (m === 0) section.end();
    const result = await use({ dictionary, offsets: csrOffsets, edgeCount: m, readTargets });
    if (position !== m) throw new RangeError(`${position} of the ${m} targets read`);
    if ((flags & WEIGHTED) !== 0) reader.skip('CWGT', 8 * m);
    if ((flags & IN_EDGES) !== 0) {
      reader.skip('IOFF', ((flags & OFFSETS_64) === 0 ? 4 : 8) * (n + 1));
      reader.skip('ISRC', 4 * m);
      reader.skip('IPOS', ((flags & OFFSETS_64) === 0 ? 4 : 8) * m);
    }
    finish();
    return result;
  });
}

/**
 * The edges of a graph file as {@link readEdgeList} returns them (in CSR order, sources
 * expanded from the offsets): how every reader of edge lists also reads graph files.
 * `weighted` as in {@link readGraphFile}.
 */
export async function graphFileEdges(
  path: string,
  options: Pick<EdgeListReadOptions, 'weighted' | 'fileName'> = {},
): Promise<EdgeList> {
  const { dictionary, csr } = await readGraphFile(path, options);
  return {
    dictionary,
    sources: csr.sources(),
    targets: csr.targets,
    weights: csr.weights,
    header: undefined,
    skippedLines: 0,
    firstSkipped: undefined,
  };
}
