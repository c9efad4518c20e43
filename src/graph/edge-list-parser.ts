/**
 * The byte-level edge-list parser behind {@link readEdgeList}: lines parsed straight from bytes
 * into typed arrays, without a string per line. Integer ids take a fast path (digits
 * accumulated from bytes); any other id switches the parser to string keys, kept as written.
 */

import { isUtf8 } from 'node:buffer';
import { CarryBytes } from '../core/carry-bytes.js';
import { isDecimalText, parseDecimal } from '../core/decimal.js';
import { InputError } from '../core/errors.js';
import type { Threads } from '../core/threads/driver.js';
import { allocating, MAX_TYPED_ARRAY_LENGTH } from './csr.js';
import type { EdgeList, EdgeListReadOptions } from './edge-list-reader.js';
import { parsePairs } from './pairs-kernel.js';
import { numberIntegerKeys, numberIntegerKeysOnThreads, VertexDictionary } from './vertex-dictionary.js';

const NEWLINE = 10;
const CARRIAGE_RETURN = 13;
const TAB = 9;
const SPACE = 32;
const COMMA = 44;
const HASH = 35;
const PERCENT = 37;
const DIGIT_0 = 48;
const DIGIT_9 = 57;
/** Separator code meaning "runs of spaces and tabs". */
const WHITESPACE = -1;
/** Bytes read at a time. */
export const CHUNK_BYTES = 1 << 20;
/**
 * The longest line read (16 MiB, far more than any edge needs): an input without line ends
 * (`/dev/zero`, a binary file) is an error at this length instead of filling the memory.
 */
export const MAX_LINE_BYTES = 1 << 24;
const INITIAL_EDGE_CAPACITY = 1 << 12;
/** Integer keys up to this many digits take the fast path (they fit in 31 bits). */
const FAST_KEY_DIGITS = 9;
const MAX_INTEGER_KEY = 2 ** 31 - 1;

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB || c === CARRIAGE_RETURN;
}

/** The format of an edge-list file, as {@link EdgeListParser.configure} decides it. */
export interface EdgeListSettings {
  /** Separator byte, or -1 for runs of spaces and tabs. */
  readonly separator: number;
  readonly weighted: boolean;
  /** A third column is read and dropped. */
  readonly ignoreThird: boolean;
  /** 0-based source, target (and weight) columns, when chosen (other columns are ignored). */
  readonly columns?: readonly number[];
}

/**
 * Takes the edges a parser has just parsed (integer keys as written, `sources[0 .. count - 1]`
 * and `targets[...]`, the largest key so far `maxKey`), which it then forgets: for consumers
 * that need each edge once and not the edge list (union-find).
 */
export type EdgeSink = (sources: Int32Array, targets: Int32Array, count: number, maxKey: number) => void;

/** Edges with integer keys as written (not yet numbered into dense ids). */
export interface IntegerEdges {
  sources: Int32Array;
  targets: Int32Array;
  weights: Float64Array | undefined;
  /** The largest key, -1 when there are no edges. */
  maxKey: number;
}

/**
 * Parses edge-list bytes. Fed whole lines by {@link feedChunks}; keeps the parsed edges in
 * growable typed arrays. Integer mode stores raw keys (numbered at the end); string mode stores
 * dense ids assigned in order of first appearance.
 */
export class EdgeListParser {
  /** The name used in error messages. */
  readonly file: string;
  private readonly onInvalid: 'error' | 'skip';
  private readonly onSkip: ((error: InputError) => void) | undefined;
  private separator = 0;
  private weighted = false;
  private ignoreThird = false;
  /** 0-based source, target (and weight) columns chosen by the user; the fast paths read 0, 1, 2. */
  private columns: readonly number[] | undefined;
  private headerPending = false;
  header: string[] | undefined;
  private integerMode = true;
  private maxKey = -1;
  private keyIds = new Map<string, number>();
  private keyTexts: string[] = [];
  sources: Int32Array = new Int32Array(INITIAL_EDGE_CAPACITY);
  targets: Int32Array = new Int32Array(INITIAL_EDGE_CAPACITY);
  weights: Float64Array | undefined;
  count = 0;
  /** Edges handed to {@link sink} so far (no longer in the arrays). */
  private drained = 0;
  /**
   * When set, the edges of every {@link parse} call go to it at the end of the call and leave
   * the arrays (integer keys only: after a switch to string keys nothing more is drained).
   */
  sink: EdgeSink | undefined;
  /** Number of the next line to parse (1-based). */
  line = 1;
  skippedLines = 0;
  firstSkipped: InputError | undefined;
  private fieldStarts = new Int32Array(4);
  private fieldEnds = new Int32Array(4);
  private configured = false;
  /**
   * After {@link configure} returned false: the bytes at the front that are whole comment or
   * blank lines before any edge, which the caller may drop (counting their lines) instead of
   * handing them to every later attempt again.
   */
  leadingCommentBytes = 0;

  constructor(file: string, onInvalid: 'error' | 'skip', onSkip?: (error: InputError) => void) {
    this.file = file;
    this.onInvalid = onInvalid;
    this.onSkip = onSkip;
  }

  /**
   * Decides separator, header and weight column from the first lines of the input. Returns false
   * when `bytes` holds too few complete lines to decide and more input may follow.
   */
  configure(bytes: Uint8Array, length: number, final: boolean, options: EdgeListReadOptions): boolean {
    const dataLines: string[] = [];
    let pos = 0;
    this.leadingCommentBytes = 0;
    while (pos < length && dataLines.length < 2) {
      let end = bytes.indexOf(NEWLINE, pos);
      if (end < 0 || end >= length) {
        if (!final) return false;
        end = length;
      }
      const text = Buffer.from(bytes.buffer, bytes.byteOffset + pos, end - pos)
        .toString('utf8')
        .replace(/\r$/, '');
      const trimmed = text.trim();
      if (trimmed !== '' && trimmed[0] !== '#' && trimmed[0] !== '%') dataLines.push(text);
      else if (dataLines.length === 0) this.leadingCommentBytes = end + 1;
      pos = end + 1;
    }
    // Header and weight detection look at two data lines: decide only once both are here (or
    // the input ended), so that the result does not depend on where chunks end.
    if (dataLines.length < 2 && !final) return false;
    const first = dataLines[0] ?? '';
    const delimiter = options.delimiter;
    const separator =
      delimiter !== undefined
        ? 'delimiter'
        : options.separator && options.separator !== 'auto'
          ? options.separator
          : first.includes('\t')
            ? 'tab'
            : first.includes(',')
              ? 'comma'
              : 'whitespace';
    this.separator =
      separator === 'delimiter'
        ? delimiter!.charCodeAt(0)
        : separator === 'tab'
          ? TAB
          : separator === 'comma'
            ? COMMA
            : WHITESPACE;
    const split = (text: string): string[] =>
      separator === 'whitespace'
        ? text.trim().split(/[ \t]+/)
        : text
            .split(separator === 'delimiter' ? delimiter! : separator === 'tab' ? '\t' : ',')
            .map((field) => field.trim());
    if (options.columns !== undefined) this.chooseColumns(options.columns.map((column) => column - 1));
    // The fields at the chosen columns (all, in order, without a choice).
    const pick = (fields: string[]): string[] =>
      this.columns === undefined ? fields : this.columns.map((column) => fields[column] ?? '');
    const firstFields = pick(split(first));
    const header = options.header ?? 'auto';
    // Auto: a header has no number in it, and the next line shows the numbers a header names
    // (a numeric weight column, or integer ids). Two lines of words are read as edges.
    const secondFields = dataLines.length === 2 ? pick(split(dataLines[1])) : [];
    const integer = (text: string | undefined): boolean => text !== undefined && /^\d+$/.test(text);
    this.headerPending =
      header === true ||
      (header === 'auto' &&
        dataLines.length === 2 &&
        !firstFields.some(isDecimalText) &&
        ((secondFields.length >= 3 && isDecimalText(secondFields[2])) ||
          (integer(secondFields[0]) && integer(secondFields[1]))));
    const edgeFields = this.headerPending
      ? dataLines[1] === undefined
        ? firstFields
        : secondFields
      : firstFields;
    const weighted = options.weighted ?? 'auto';
    // With chosen columns, a weight column is one of them (or there is none).
    this.weighted =
      this.columns === undefined
        ? weighted === true || (weighted === 'auto' && edgeFields.length >= 3)
        : this.columns.length === 3 && weighted !== false;
    this.ignoreThird = weighted === false && this.columns === undefined;
    if (this.weighted) this.weights = new Float64Array(this.sources.length);
    this.configured = true;
    return true;
  }

  /** Whether {@link configure} (or {@link configureAs}) has decided the format. */
  get isConfigured(): boolean {
    return this.configured;
  }

  /** What {@link configure} decided, for parsers of other ranges of the same file. */
  get settings(): EdgeListSettings {
    return {
      separator: this.separator,
      weighted: this.weighted,
      ignoreThird: this.ignoreThird,
      columns: this.columns,
    };
  }

  /** Reads the source, target (and weight) from these 0-based columns, on the general path. */
  private chooseColumns(columns: readonly number[]): void {
    this.columns = columns;
    const fields = Math.max(...columns) + 1;
    this.fieldStarts = new Int32Array(fields);
    this.fieldEnds = new Int32Array(fields);
  }

  /** Configures this parser as another one of the same file was, for a range after the header. */
  configureAs(settings: EdgeListSettings): void {
    this.separator = settings.separator;
    this.weighted = settings.weighted;
    this.ignoreThird = settings.ignoreThird;
    if (settings.columns !== undefined) this.chooseColumns(settings.columns);
    if (this.weighted) this.weights = new Float64Array(this.sources.length);
    this.configured = true;
  }

  /**
   * Parses into these arrays, whose length is the capacity (a parser that needs more moves to
   * arrays of its own): several threads can so fill regions of one shared array.
   */
  useArrays(sources: Int32Array, targets: Int32Array, weights: Float64Array | undefined): void {
    this.sources = sources;
    this.targets = targets;
    if (this.weighted) this.weights = weights;
  }

  /**
   * Widens the arrays to the whole of arrays that the current ones begin (after
   * {@link useArrays} with their first region), so that later regions can be appended in place.
   */
  widenTo(sources: Int32Array, targets: Int32Array, weights: Float64Array | undefined): void {
    if (this.sources.buffer !== sources.buffer || this.sources.byteOffset !== sources.byteOffset) return;
    this.sources = sources;
    this.targets = targets;
    if (this.weighted) this.weights = weights;
  }

  /** Appends edges parsed from a later range of the same file (integer mode). */
  appendIntegerEdges(edges: IntegerEdges): void {
    const added = edges.sources.length;
    const total = this.count + added;
    if (total > this.sources.length) this.resize(total);
    if (edges.sources.buffer === this.sources.buffer) {
      // A later region of the same arrays: close the gap, with no temporary copy (set would make one).
      const from = (edges.sources.byteOffset - this.sources.byteOffset) / 4;
      this.sources.copyWithin(this.count, from, from + added);
      this.targets.copyWithin(this.count, from, from + added);
      this.weights?.copyWithin(this.count, from, from + added);
    } else {
      this.sources.set(edges.sources, this.count);
      this.targets.set(edges.targets, this.count);
      if (this.weights !== undefined && edges.weights !== undefined)
        this.weights.set(edges.weights, this.count);
    }
    this.count = total;
    if (edges.maxKey > this.maxKey) this.maxKey = edges.maxKey;
  }

  /** The edges with their keys as parsed, or undefined once the parser has gone to string keys. */
  integerEdges(): IntegerEdges | undefined {
    if (!this.integerMode) return undefined;
    return {
      sources: this.sources.subarray(0, this.count),
      targets: this.targets.subarray(0, this.count),
      weights: this.weights?.subarray(0, this.count),
      maxKey: this.maxKey,
    };
  }

  /** Sizes the edge arrays for about `edges` edges, so that a large file is not copied while growing. */
  reserve(edges: number): void {
    if (edges > this.sources.length) this.resize(edges);
  }

  private resize(wanted: number): void {
    // Node's typed arrays end at 2^32 elements: grow to that, then refuse with the size.
    const capacity = this.count < MAX_TYPED_ARRAY_LENGTH ? Math.min(wanted, MAX_TYPED_ARRAY_LENGTH) : wanted;
    const bytes = (this.weights === undefined ? 8 : 16) * capacity;
    allocating(`the edge arrays of ${capacity} edges`, bytes, () => this.grow(capacity));
  }

  private grow(capacity: number): void {
    const sources = new Int32Array(capacity);
    sources.set(this.sources.subarray(0, this.count));
    this.sources = sources;
    const targets = new Int32Array(capacity);
    targets.set(this.targets.subarray(0, this.count));
    this.targets = targets;
    if (this.weights !== undefined) {
      const weights = new Float64Array(capacity);
      weights.set(this.weights.subarray(0, this.count));
      this.weights = weights;
    }
  }

  /**
   * Parses the complete lines in `bytes[start, end)`; `bytes[end - 1]` must be a newline.
   * Integer fast paths handle `digits SEP digits [SEP weight]` lines in one pass
   * ({@link parsePairs} those without a weight, unless separated by runs of blanks); any other
   * line (comments, string ids, errors) goes to {@link parseLine}.
   */
  parse(bytes: Uint8Array, start: number, end: number): void {
    let pos = start;
    const separator = this.separator;
    const whitespace = separator === WHITESPACE;
    const weighted = this.weighted;
    const ignoreThird = this.ignoreThird;
    let sources = this.sources;
    let targets = this.targets;
    let weights = this.weights;
    let count = this.count;
    let line = this.line;
    let maxKey = this.maxKey;
    const pairs = !weighted && !whitespace;
    // Chosen columns are read by parseLine alone.
    const fast = this.columns === undefined;
    while (pos < end) {
      if (fast && pairs && this.integerMode && !this.headerPending) {
        // Runs of plain `id SEP id` lines; parseLine takes whatever line stops them (it also
        // grows full arrays).
        this.count = count;
        this.line = line;
        this.maxKey = maxKey;
        pos = this.parsePairs(bytes, pos, end);
        count = this.count;
        line = this.line;
        maxKey = this.maxKey;
        if (pos >= end) break;
      } else if (fast && this.integerMode && !this.headerPending) {
        if (count === sources.length) {
          this.count = count;
          this.resize(Math.max(INITIAL_EDGE_CAPACITY, count * 2));
          sources = this.sources;
          targets = this.targets;
          weights = this.weights;
        }
        const lineStart = pos;
        // Source id.
        let c = bytes[pos];
        let source = c - DIGIT_0;
        let length = 1;
        if (source >= 0 && source <= 9) {
          c = bytes[++pos];
          while (c >= DIGIT_0 && c <= DIGIT_9) {
            source = source * 10 + (c - DIGIT_0);
            length++;
            c = bytes[++pos];
          }
          if (
            length <= FAST_KEY_DIGITS &&
            (length === 1 || bytes[lineStart] !== DIGIT_0) &&
            (c === separator || (whitespace && (c === SPACE || c === TAB)))
          ) {
            c = bytes[++pos];
            if (whitespace) while (c === SPACE || c === TAB) c = bytes[++pos];
            // Target id.
            const targetStart = pos;
            let target = c - DIGIT_0;
            if (target >= 0 && target <= 9) {
              length = 1;
              c = bytes[++pos];
              while (c >= DIGIT_0 && c <= DIGIT_9) {
                target = target * 10 + (c - DIGIT_0);
                length++;
                c = bytes[++pos];
              }
              if (length <= FAST_KEY_DIGITS && (length === 1 || bytes[targetStart] !== DIGIT_0)) {
                let weight = Number.NaN;
                if (!weighted) {
                  if (c === CARRIAGE_RETURN) c = bytes[++pos];
                  // An ignored third column: skip to the end of the line (a fourth column is
                  // an error, which the general path reports).
                  if (ignoreThird && (c === separator || (whitespace && (c === SPACE || c === TAB)))) {
                    let probe = pos + 1;
                    while (
                      bytes[probe] !== NEWLINE &&
                      bytes[probe] !== separator &&
                      !(whitespace && (bytes[probe] === SPACE || bytes[probe] === TAB))
                    )
                      probe++;
                    if (bytes[probe] === NEWLINE) {
                      pos = probe;
                      c = NEWLINE;
                    }
                  }
                } else if (c === separator || (whitespace && (c === SPACE || c === TAB))) {
                  c = bytes[++pos];
                  if (whitespace) while (c === SPACE || c === TAB) c = bytes[++pos];
                  const weightStart = pos;
                  while (
                    c !== NEWLINE &&
                    c !== CARRIAGE_RETURN &&
                    c !== separator &&
                    c !== SPACE &&
                    c !== TAB
                  ) {
                    c = bytes[++pos];
                  }
                  weight = parseDecimal(bytes, weightStart, pos);
                  if (c === CARRIAGE_RETURN) c = bytes[++pos];
                }
                // (`weight - weight` is 0 only for a finite weight: NaN and an overflow go to parseLine.)
                if (c === NEWLINE && (!weighted || weight - weight === 0)) {
                  sources[count] = source;
                  targets[count] = target;
                  if (weighted) weights![count] = weight;
                  count++;
                  if (source > maxKey) maxKey = source;
                  if (target > maxKey) maxKey = target;
                  pos++;
                  line++;
                  continue;
                }
              }
            }
          }
        }
        pos = lineStart;
      }
      this.count = count;
      this.line = line;
      this.maxKey = maxKey;
      pos = this.parseLine(bytes, pos);
      sources = this.sources;
      targets = this.targets;
      weights = this.weights;
      count = this.count;
      line = this.line;
      maxKey = this.maxKey;
    }
    this.count = count;
    this.line = line;
    this.maxKey = maxKey;
    if (this.sink !== undefined && count >= this.sinkBatch) this.drain();
  }

  /** Edges the parser gathers before it hands them to the {@link sink} (0: after every parse). */
  sinkBatch = 0;

  /** Hands the edges parsed so far to the {@link sink} (integer keys only). */
  drain(): void {
    if (this.sink === undefined || !this.integerMode || this.count === 0) return;
    this.sink(this.sources, this.targets, this.count, this.maxKey);
    this.drained += this.count;
    this.count = 0;
  }

  /** Edges parsed so far, those handed to a {@link sink} included. */
  get edgesRead(): number {
    return this.drained + this.count;
  }

  /**
   * The common case alone, in WebAssembly (pairs-kernel.ts): lines `id SEP id` (then LF or
   * CRLF, or a third column that is ignored) with canonical integer ids of at most 9 digits.
   * Returns where the first other line (or a full edge array) starts.
   */
  private parsePairs(bytes: Uint8Array, start: number, end: number): number {
    const { separator, ignoreThird, sources, targets, count } = this;
    const into = { separator, ignoreThird, sources, targets };
    const { next, pairs, maxKey } = parsePairs(
      bytes,
      start,
      end,
      into,
      count,
      sources.length - count,
      this.maxKey,
    );
    this.line += pairs;
    this.count += pairs;
    this.maxKey = maxKey;
    return next;
  }

  /** Parses one line of any kind starting at `start`; returns where the next line starts. */
  private parseLine(bytes: Uint8Array, start: number): number {
    const newline = bytes.indexOf(NEWLINE, start);
    const next = newline + 1;
    let end = newline;
    while (end > start && isBlank(bytes[end - 1])) end--;
    let first = start;
    while (first < end && isBlank(bytes[first])) first++;
    if (first === end || bytes[first] === HASH || bytes[first] === PERCENT) {
      this.line++;
      return next;
    }
    // Split into at most four fields (a fourth is always an error), or up to the last chosen column.
    const starts = this.fieldStarts;
    const ends = this.fieldEnds;
    const maxFields = starts.length;
    let fields = 0;
    let pos = first;
    const separator = this.separator;
    while (fields < maxFields) {
      let fieldEnd = pos;
      if (separator === WHITESPACE) {
        while (fieldEnd < end && bytes[fieldEnd] !== SPACE && bytes[fieldEnd] !== TAB) fieldEnd++;
      } else {
        while (fieldEnd < end && bytes[fieldEnd] !== separator) fieldEnd++;
      }
      let fieldStart = pos;
      let trimmedEnd = fieldEnd;
      while (fieldStart < trimmedEnd && isBlank(bytes[fieldStart])) fieldStart++;
      while (trimmedEnd > fieldStart && isBlank(bytes[trimmedEnd - 1])) trimmedEnd--;
      starts[fields] = fieldStart;
      ends[fields] = trimmedEnd;
      fields++;
      if (fieldEnd >= end) break;
      pos = fieldEnd + 1;
      if (separator === WHITESPACE) while (pos < end && (bytes[pos] === SPACE || bytes[pos] === TAB)) pos++;
    }
    if (this.headerPending) {
      this.headerPending = false;
      this.header = [];
      for (let i = 0; i < fields; i++) this.header.push(this.text(bytes, starts[i], ends[i]));
      this.line++;
      return next;
    }
    const columns = this.columns;
    const expectedFields = columns === undefined ? (this.weighted ? 3 : 2) : maxFields;
    const problem = (message: string, column: number, text: string, expected: string): number => {
      const error = new InputError(message, {
        file: this.file,
        line: this.line,
        column: this.text(bytes, start, column).length + 1,
        text,
        expected,
      });
      if (this.onInvalid === 'error') throw error;
      this.skippedLines++;
      this.firstSkipped ??= error;
      this.onSkip?.(error);
      this.line++;
      return next;
    };
    const columnsWanted =
      columns !== undefined
        ? `at least ${maxFields} columns (source, target${this.weighted ? ', weight' : ''} in columns ${columns.map((column) => column + 1).join(',')})`
        : this.weighted
          ? '3 columns (source, target, weight)'
          : this.ignoreThird
            ? '2 or 3 columns (source, target[, ignored])'
            : '2 columns (source, target)';
    if (fields < expectedFields) {
      return problem(`too few columns (${fields})`, end, this.text(bytes, first, end), columnsWanted);
    }
    const allowedFields = this.ignoreThird ? 3 : expectedFields;
    if (columns === undefined && fields > allowedFields) {
      return problem('too many columns', starts[allowedFields], this.text(bytes, first, end), columnsWanted);
    }
    const [s, t, w] = columns ?? [0, 1, 2];
    for (const i of [s, t]) {
      if (starts[i] === ends[i]) return problem('empty vertex id', starts[i], '', 'a vertex id');
    }
    let weight = 0;
    if (this.weighted) {
      weight = parseDecimal(bytes, starts[w], ends[w]);
      if (Number.isNaN(weight)) {
        return problem(
          'bad edge weight',
          starts[w],
          this.text(bytes, starts[w], ends[w]),
          'a decimal number',
        );
      }
      if (!Number.isFinite(weight)) {
        return problem(
          'edge weight out of range',
          starts[w],
          this.text(bytes, starts[w], ends[w]),
          'a finite number (magnitude below 1.8e308)',
        );
      }
    }
    if (this.count === this.sources.length) this.resize(Math.max(INITIAL_EDGE_CAPACITY, this.count * 2));
    if (this.integerMode) {
      const source = integerKey(bytes, starts[s], ends[s]);
      const target = integerKey(bytes, starts[t], ends[t]);
      if (source >= 0 && target >= 0) {
        this.addEdge(source, target, weight);
        if (source > this.maxKey) this.maxKey = source;
        if (target > this.maxKey) this.maxKey = target;
        this.line++;
        return next;
      }
      this.switchToStrings();
    }
    const sourceKey = this.text(bytes, starts[s], ends[s]);
    const targetKey = this.text(bytes, starts[t], ends[t]);
    // Invalid UTF-8 decodes to U+FFFD, so ids that differ only in such bytes would be one vertex.
    if (sourceKey.includes('\uFFFD') || targetKey.includes('\uFFFD')) {
      for (const field of [s, t]) {
        if (!isUtf8(bytes.subarray(starts[field], ends[field]))) {
          const key = this.text(bytes, starts[field], ends[field]);
          return problem('invalid UTF-8 in a vertex id', starts[field], key, 'ids in UTF-8');
        }
      }
    }
    this.addEdge(this.stringId(sourceKey), this.stringId(targetKey), weight);
    this.line++;
    return next;
  }

  private addEdge(source: number, target: number, weight: number): void {
    this.sources[this.count] = source;
    this.targets[this.count] = target;
    if (this.weights !== undefined) this.weights[this.count] = weight;
    this.count++;
  }

  private text(bytes: Uint8Array, start: number, end: number): string {
    // The reader always parses its own Buffer: decode in place, without a view object per id.
    return bytes instanceof Buffer
      ? bytes.toString('utf8', start, end)
      : Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8');
  }

  private stringId(key: string): number {
    let id = this.keyIds.get(key);
    if (id === undefined) {
      id = this.keyTexts.length;
      this.keyIds.set(key, id);
      this.keyTexts.push(key);
    }
    return id;
  }

  /** Re-reads the integer keys parsed so far as strings, numbered by first appearance. */
  private switchToStrings(): void {
    this.integerMode = false;
    for (let e = 0; e < this.count; e++) {
      this.sources[e] = this.stringId(String(this.sources[e]));
      this.targets[e] = this.stringId(String(this.targets[e]));
    }
  }

  /** The parsed edges, numbered into dense ids. */
  finish(): EdgeList {
    const dictionary = this.integerMode
      ? numberIntegerKeys(
          this.sources.subarray(0, this.count),
          this.targets.subarray(0, this.count),
          this.maxKey,
        )
      : VertexDictionary.fromStrings(this.keyTexts, this.keyIds);
    return this.numbered(dictionary);
  }

  /** {@link finish} with integer keys numbered on the core driver's threads: the same ids. */
  async finishOnThreads(threads: Threads): Promise<EdgeList> {
    if (!this.integerMode) return this.finish();
    const sources = this.sources.subarray(0, this.count);
    const targets = this.targets.subarray(0, this.count);
    return this.numbered(await numberIntegerKeysOnThreads(sources, targets, this.maxKey, threads));
  }

  /** The parsed edges (already numbered into dense ids) with `dictionary`. */
  private numbered(dictionary: EdgeList['dictionary']): EdgeList {
    const sources = this.sources.subarray(0, this.count);
    const targets = this.targets.subarray(0, this.count);
    return {
      dictionary,
      sources,
      targets,
      weights: this.weights?.subarray(0, this.count),
      header: this.header,
      skippedLines: this.skippedLines,
      firstSkipped: this.firstSkipped,
    };
  }
}

/** A canonical non-negative integer key (no sign, no leading zero, below 2^31), or -1. */
function integerKey(bytes: Uint8Array, start: number, end: number): number {
  const length = end - start;
  if (length === 0 || length > 10 || (length > 1 && bytes[start] === DIGIT_0)) return -1;
  let value = 0;
  for (let pos = start; pos < end; pos++) {
    const digit = bytes[pos] - DIGIT_0;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value <= MAX_INTEGER_KEY ? value : -1;
}

/**
 * Feeds a parser the bytes of `chunks`: configures it from the first lines (unless it already
 * is), then parses the complete lines of each chunk where they lie. Only a line split across
 * chunks is copied (into a small carry buffer), so the input is never copied wholesale and no
 * string is made per line. `fileBytes` (0 when unknown) sizes the edge arrays.
 */
export async function feedChunks(
  parser: EdgeListParser,
  chunks: AsyncIterable<Uint8Array | string>,
  fileBytes: number,
  options: EdgeListReadOptions,
): Promise<void> {
  const carry = new CarryBytes();
  let sized = false;
  const size = (bytes: Uint8Array, length: number): void => {
    // Size the arrays from the first lines so that a large file is not copied while growing.
    if (fileBytes > 0) {
      const lineBytes = Math.max(4, length / Math.max(1, countNewlines(bytes, length)));
      parser.reserve(Math.ceil((fileBytes / lineBytes) * 1.05) + 16);
    }
    sized = true;
  };
  // Until the format is known, bytes gather in the carry buffer.
  let atStart = true;
  const configure = (final: boolean): boolean => {
    // A UTF-8 byte order mark (spreadsheet exports) is not part of the first id.
    const bytes = carry.bytes;
    if (atStart && carry.length >= 3) {
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) carry.dropFront(3);
      atStart = false;
    }
    if (!parser.configure(bytes, carry.length, final, options)) {
      // Comment lines before the first edge are read once, not again with every chunk (a
      // file that starts with many would take time quadratic in their length).
      const comments = parser.leadingCommentBytes;
      if (comments > 0) {
        parser.line += countNewlines(bytes, comments);
        carry.dropFront(comments);
      }
      return false;
    }
    size(bytes, carry.length);
    // (A negative start would make lastIndexOf search from the end of the buffer.)
    const end = carry.length > 0 ? bytes.lastIndexOf(NEWLINE, carry.length - 1) + 1 : 0;
    if (end > 0) parser.parse(bytes, 0, end);
    carry.dropFront(end);
    return true;
  };
  // The line being carried (after any complete lines not yet parsed) must end within the limit.
  const checkLineLength = (): void => {
    const lineStart = carry.length > 0 ? carry.bytes.lastIndexOf(NEWLINE, carry.length - 1) + 1 : 0;
    if (carry.length - lineStart <= MAX_LINE_BYTES) return;
    throw new InputError(`line longer than ${MAX_LINE_BYTES} bytes`, {
      file: parser.file,
      line: parser.line + countNewlines(carry.bytes, lineStart),
      expected: 'lines of text ending in a line feed (is this a text edge list?)',
    });
  };
  for await (const chunk of chunks) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (!parser.isConfigured) {
      carry.append(bytes, 0, bytes.length);
      if (!configure(false)) checkLineLength();
      continue;
    }
    if (!sized) size(bytes, bytes.length);
    let start = 0;
    if (carry.length > 0) {
      const newline = bytes.indexOf(NEWLINE);
      if (newline < 0) {
        carry.append(bytes, 0, bytes.length);
        checkLineLength();
        continue;
      }
      carry.append(bytes, 0, newline + 1);
      parser.parse(carry.bytes, 0, carry.length);
      carry.length = 0;
      start = newline + 1;
    }
    const end = bytes.lastIndexOf(NEWLINE) + 1;
    if (end > start) parser.parse(bytes, start, end);
    carry.append(bytes, Math.max(start, end), bytes.length);
    checkLineLength();
    options.progress?.update(parser.edgesRead);
  }
  if (!parser.isConfigured) configure(true);
  if (carry.length > 0) {
    if (carry.bytes[carry.length - 1] !== NEWLINE) carry.append(NEWLINE_BYTE, 0, 1);
    parser.parse(carry.bytes, 0, carry.length);
  }
  options.progress?.update(parser.edgesRead);
}

const NEWLINE_BYTE = Uint8Array.of(NEWLINE);

function countNewlines(bytes: Uint8Array, length: number): number {
  let count = 0;
  for (let i = 0; i < length; i++) if (bytes[i] === NEWLINE) count++;
  return count;
}
