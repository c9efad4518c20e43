/**
 * Writers for graph results: per-vertex values (PageRank scores, component labels) and edge
 * lists, as TSV/CSV text or Arrow IPC. Vertex keys are written exactly as they were read.
 */
import type { NumericArray } from '../core/arrow.js';
import { ParamError } from '../core/errors.js';
import type { Threads } from '../core/threads/driver.js';
import { ByteWriter, type OutputTarget } from './byte-writer.js';
import type { VertexDictionary, VertexKey } from './vertex-dictionary.js';
import { linesInParallel, numberColumns, writeVertexLines } from './vertex-lines.js';

/** Output formats: tab- or comma-separated text, or Arrow IPC (file format). */
export type OutputFormat = 'tsv' | 'csv' | 'arrow';

/** The format an output path implies: `.arrow`/`.feather` → Arrow IPC, `.csv` → CSV, else TSV. */
export function formatForPath(path: string | undefined): OutputFormat {
  if (path === undefined) return 'tsv';
  const lower = path.toLowerCase();
  if (lower.endsWith('.arrow') || lower.endsWith('.feather')) return 'arrow';
  if (lower.endsWith('.csv')) return 'csv';
  return 'tsv';
}

/** A column of per-vertex (or per-edge) values: numbers in a typed array, or any values. */
export type ValueColumn = NumericArray | readonly (number | string | boolean | null)[];

/**
 * Options of {@link writeVertexTable}. The threads format large text tables of numeric keys
 * and number columns (default: every core); the bytes are the same at any parallelism.
 */
export interface VertexTableWriteOptions extends Threads {
  /** Output format (default: from the path, TSV for streams). */
  format?: OutputFormat;
  /** Write a header line with the column names (text formats; default false). */
  header?: boolean;
  /** Name of the key column (default `vertex`). */
  keyColumn?: string;
  /** Which vertices to write, in this order (dense ids; default: all, by id). */
  order?: ArrayLike<number>;
}

/** Options of {@link writeEdgeList}. */
export interface EdgeListWriteOptions {
  /** Output format (default: from the path, TSV for streams). */
  format?: OutputFormat;
  /** Write a `source target [weight]` header line (text formats; default false). */
  header?: boolean;
}

/** Edges over dense ids, with the dictionary that names their ends. */
export interface EdgeArrays<K extends VertexKey = VertexKey> {
  dictionary: VertexDictionary<K>;
  sources: Int32Array;
  targets: Int32Array;
  weights?: Float64Array;
}

/**
 * Edges made a block at a time (a generator's output too large to hold, such as a complete
 * graph of a million vertices): written as each block comes, never held whole.
 */
export interface EdgeBlocks<K extends VertexKey = VertexKey> {
  dictionary: VertexDictionary<K>;
  blocks: Iterable<{ sources: Int32Array; targets: Int32Array }>;
}

/** All the blocks' edges in two arrays (Arrow's writer takes whole columns). */
function joinBlocks<K extends VertexKey>(edges: EdgeBlocks<K>): EdgeArrays<K> {
  const blocks = [...edges.blocks];
  const total = blocks.reduce((sum, block) => sum + block.sources.length, 0);
  const sources = new Int32Array(total);
  const targets = new Int32Array(total);
  let at = 0;
  for (const block of blocks) {
    sources.set(block.sources, at);
    targets.set(block.targets, at);
    at += block.sources.length;
  }
  return { dictionary: edges.dictionary, sources, targets };
}

const TAB = 9;
const COMMA = 44;
const NEWLINE = 10;

/** Checks that every key can be written in the text format, and says how to write them. */
function keyWriter(
  dictionary: VertexDictionary,
  separator: number,
): (writer: ByteWriter, id: number) => void {
  const numbers = dictionary.numericKeys();
  if (numbers !== undefined) return (writer, id) => writer.number(numbers[id]);
  const keys = dictionary.keys() as string[];
  const quoted: (string | undefined)[] = new Array(keys.length);
  for (let id = 0; id < keys.length; id++) {
    const key = keys[id];
    if (separator === TAB) {
      if (/[\t\n\r]/.test(key)) {
        throw new ParamError('vertex key', key, 'a key without tabs or line breaks (or write CSV or Arrow)');
      }
    } else if (/[",\n\r]/.test(key)) {
      quoted[id] = `"${key.replaceAll('"', '""')}"`;
    }
  }
  return (writer, id) => writer.text(quoted[id] ?? keys[id]);
}

function writeValue(writer: ByteWriter, value: unknown, separator: number): void {
  if (typeof value === 'number') writer.number(value);
  else if (value === null || value === undefined) return;
  else {
    const text = String(value);
    writer.text(separator === COMMA && /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  }
}

/**
 * Writes one line per vertex: its key as read, then each column's value (TSV by default), or
 * an Arrow IPC table with the key column first.
 * @example
 * await writeVertexTable('ranks.tsv', graph.dictionary, { rank: scores });
 */
export async function writeVertexTable(
  target: OutputTarget,
  dictionary: VertexDictionary,
  columns: Record<string, ValueColumn>,
  options: VertexTableWriteOptions = {},
): Promise<void> {
  const format = options.format ?? formatForPath(typeof target === 'string' ? target : undefined);
  const names = Object.keys(columns);
  for (const name of names) {
    if (columns[name].length !== dictionary.size) {
      throw new ParamError(
        `columns.${name}`,
        `${columns[name].length} values`,
        `${dictionary.size} (one per vertex)`,
      );
    }
  }
  const keyName = options.keyColumn ?? 'vertex';
  const order = options.order;
  if (format === 'arrow') {
    await (await import('./arrow-writer.js')).writeVertexArrow(target, dictionary, columns, keyName, order);
    return;
  }
  const separator = format === 'csv' ? COMMA : TAB;
  const writeKey = keyWriter(dictionary, separator);
  await writeThrough(target, async (writer) => {
    if (options.header) {
      writer.text([keyName, ...names].join(String.fromCharCode(separator)));
      writer.byte(NEWLINE);
    }
    const values = names.map((name) => columns[name]);
    const numericKeys = dictionary.numericKeys();
    const numbers = numberColumns(values);
    if (
      order === undefined &&
      numericKeys !== undefined &&
      numbers !== undefined &&
      linesInParallel(numericKeys.length, numbers, options)
    ) {
      await writeVertexLines(writer, numericKeys, numbers, separator, options);
      return;
    }
    const count = order === undefined ? dictionary.size : order.length;
    for (let i = 0; i < count; i++) {
      const id = order === undefined ? i : order[i];
      writeKey(writer, id);
      for (let c = 0; c < values.length; c++) {
        writer.byte(separator);
        writeValue(writer, values[c][id], separator);
      }
      writer.byte(NEWLINE);
      if (writer.full) await writer.flush();
    }
  });
}

/**
 * Runs `write` on a {@link ByteWriter} of `target` and closes it; a file appears only when
 * everything was written, and a failure leaves no temporary file behind.
 */
async function writeThrough(
  target: OutputTarget,
  write: (writer: ByteWriter) => Promise<void>,
): Promise<void> {
  const writer = await ByteWriter.open(target);
  try {
    await write(writer);
  } catch (error) {
    await writer.abort();
    throw error;
  }
  await writer.close();
}

/**
 * Writes rows of vertex keys and numbers (vertex pairs with a score, triangles): each key
 * column holds dense ids, one row per index, written as the keys were read; each value column
 * one number per row. Text by default; Arrow IPC gets key columns then value columns.
 * @example
 * await writeVertexRows('pairs.tsv', graph.dictionary, { first, second }, { score });
 */
export async function writeVertexRows(
  target: OutputTarget,
  dictionary: VertexDictionary,
  keyColumns: Record<string, Int32Array>,
  valueColumns: Record<string, Float64Array> = {},
  options: { format?: OutputFormat } = {},
): Promise<void> {
  const format = options.format ?? formatForPath(typeof target === 'string' ? target : undefined);
  if (format === 'arrow') {
    await (await import('./arrow-writer.js')).writeVertexRowsArrow(
      target,
      dictionary,
      keyColumns,
      valueColumns,
    );
    return;
  }
  const separator = format === 'csv' ? COMMA : TAB;
  const writeKey = keyWriter(dictionary, separator);
  const keyArrays = Object.values(keyColumns);
  const valueArrays = Object.values(valueColumns);
  const rows = keyArrays[0]?.length ?? 0;
  await writeThrough(target, async (writer) => {
    for (let row = 0; row < rows; row++) {
      for (let c = 0; c < keyArrays.length; c++) {
        if (c > 0) writer.byte(separator);
        writeKey(writer, keyArrays[c][row]);
      }
      for (const values of valueArrays) {
        writer.byte(separator);
        writer.number(values[row]);
      }
      writer.byte(NEWLINE);
      if (writer.full) await writer.flush();
    }
  });
}

/**
 * Writes an edge list: `source SEP target [SEP weight]` per line with keys as read (TSV by
 * default), or an Arrow IPC table with columns source, target[, weight]. In CSV, keys holding a
 * comma or a quote are quoted (RFC 4180); eddy's reader does not unquote, so such keys read
 * back only through TSV or Arrow. {@link EdgeBlocks} are written as each block comes (Arrow IPC
 * joins them first: its columns are whole).
 */
export async function writeEdgeList(
  target: OutputTarget,
  edges: EdgeArrays | EdgeBlocks,
  options: EdgeListWriteOptions = {},
): Promise<void> {
  const format = options.format ?? formatForPath(typeof target === 'string' ? target : undefined);
  if (format === 'arrow') {
    const whole = 'blocks' in edges ? joinBlocks(edges) : edges;
    await (await import('./arrow-writer.js')).writeEdgeArrow(target, whole);
    return;
  }
  const { dictionary } = edges;
  const weights = 'blocks' in edges ? undefined : edges.weights;
  const blocks = 'blocks' in edges ? edges.blocks : [edges];
  const separator = format === 'csv' ? COMMA : TAB;
  const numbers = dictionary.numericKeys();
  const integral = numbers?.every((key) => Number.isInteger(key) && key >= 0) === true;
  // The generator's path (hundreds of millions of bytes): integer keys, no weights.
  const integerKeys = numbers !== undefined && integral && weights === undefined ? numbers : undefined;
  const writeKey = integerKeys === undefined ? keyWriter(dictionary, separator) : undefined;
  await writeThrough(target, async (writer) => {
    if (options.header) {
      const names = weights === undefined ? ['source', 'target'] : ['source', 'target', 'weight'];
      writer.text(names.join(String.fromCharCode(separator)));
      writer.byte(NEWLINE);
    }
    for (const { sources, targets } of blocks) {
      if (integerKeys !== undefined) {
        for (let e = 0; e < sources.length; e++) {
          writer.integer(integerKeys[sources[e]]);
          writer.byte(separator);
          writer.integer(integerKeys[targets[e]]);
          writer.byte(NEWLINE);
          if (writer.full) await writer.flush();
        }
        continue;
      }
      const write = writeKey!;
      for (let e = 0; e < sources.length; e++) {
        write(writer, sources[e]);
        writer.byte(separator);
        write(writer, targets[e]);
        if (weights !== undefined) {
          writer.byte(separator);
          writer.number(weights[e]);
        }
        writer.byte(NEWLINE);
        if (writer.full) await writer.flush();
      }
    }
  });
}
