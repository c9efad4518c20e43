/**
 * What every graph command shares: the edge-list input options, loading the positional
 * `<edges>` file (or `-` for stdin) into a CSR, and writing one line per vertex with keys
 * exactly as read (TSV by default, Arrow IPC with `--format arrow` or an `.arrow` output).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import {
  buildCsr,
  type EdgeListSeparator,
  formatForPath,
  type GraphIndex,
  InputError,
  isGraphFile,
  type OutputFormat,
  ParamError,
  readEdgeList,
  readGraphFile,
  UsageError,
  type ValueColumn,
  type VertexDictionary,
  type VertexKey,
  writeVertexRows,
  writeVertexTable,
} from '../index.js';
import type { CommandContext, OptionSpec, PositionalSpec } from './command.js';
import { headerOption } from './option-rules.js';
import { writingPhase } from './writing-phase.js';

/** The `<edges>` positional. */
export const edgesPositional: PositionalSpec = {
  name: 'edges',
  description:
    "edge list: 'source target [weight]' per line, tab/comma/space separated ('-': stdin), or a graph file from eddy convert",
  required: true,
};

/** Options for reading the edge list. */
export const edgeInputOptions: Readonly<Record<string, OptionSpec>> = {
  separator: {
    type: 'string',
    default: 'auto',
    choices: ['auto', 'tab', 'comma', 'whitespace'],
    description: 'field separator of the edge list',
  },
  delimiter: {
    type: 'string',
    valueName: 'CHAR',
    description: "any other one-character field separator, like ';' or '|' (overrides --separator)",
  },
  header: {
    type: 'boolean',
    description:
      'the first line names the columns (default: detected when it has no number and the next line has integer ids or a weight)',
  },
  'no-header': {
    type: 'boolean',
    description: 'the first line is an edge, whatever it looks like (no detection)',
  },
  columns: {
    type: 'string',
    valueName: 'S,T[,W]',
    description: 'the 1-based columns of source, target and weight in wider files (default: 1,2[,3])',
  },
  undirected: {
    type: 'boolean',
    description: 'read every line as an edge in both directions (an undirected edge list)',
  },
  'skip-invalid': {
    type: 'boolean',
    description: 'skip malformed lines (counted on stderr) instead of stopping at the first',
  },
  parallelism: {
    type: 'integer',
    default: availableParallelism(),
    min: 1,
    description: 'threads that parse a large edge list of integer ids (same result at any value)',
  },
};

/** Options for writing the result. */
export const outputOptions: Readonly<Record<string, OptionSpec>> = {
  output: { type: 'string', description: 'write here instead of stdout', valueName: 'FILE', writes: true },
  format: {
    type: 'string',
    choices: ['tsv', 'csv', 'arrow'],
    description: 'output format (default: from --output, else tsv)',
  },
};

/** Options of {@link loadGraph}. */
export interface LoadGraphOptions {
  /** Read the third column as weights: `true` needs it, `false` ignores it (saves memory). */
  weighted: boolean | 'auto';
}

/** The edges a command read, over dense ids, with the dictionary of their keys. */
export interface GraphEdges {
  dictionary: VertexDictionary;
  sources: Int32Array;
  targets: Int32Array;
  weights: Float64Array | undefined;
}

/**
 * Reads the command's `<edges>` input (reversed edges added with `--undirected`). A missing
 * file is a one-line InputError; skipped lines (`--skip-invalid`) are counted on stderr with
 * the first problem.
 */
export async function readGraphEdges(
  context: CommandContext,
  options: LoadGraphOptions,
): Promise<GraphEdges> {
  const { path, fromStdin } = edgesInput(context);
  const progress = context.progress({ label: `reading ${fromStdin ? 'stdin' : path}`, unit: 'edges' });
  const edges = await readEdgeList(fromStdin ? context.stdin : path, {
    ...edgeListFormat(context),
    weighted: options.weighted,
    onInvalid: context.options.skipInvalid ? 'skip' : 'error',
    progress,
    parallelism: context.options.parallelism as number | undefined,
  }).catch(delimiterAsUsageError);
  if (edges.skippedLines > 0) {
    context.stderr.write(
      `eddy: skipped ${edges.skippedLines} malformed line(s); the first: ${edges.firstSkipped?.message}\n`,
    );
  }
  let { sources, targets, weights } = edges;
  if (context.options.undirected) {
    // Each edge also reversed, weights repeated: the directed form of an undirected edge list.
    const count = sources.length;
    const both = (first: Int32Array, second: Int32Array) => {
      const joined = new Int32Array(2 * count);
      joined.set(first);
      joined.set(second, count);
      return joined;
    };
    [sources, targets] = [both(sources, targets), both(targets, sources)];
    if (weights !== undefined) {
      const doubled = new Float64Array(2 * count);
      doubled.set(weights);
      doubled.set(weights, count);
      weights = doubled;
    }
  }
  return { dictionary: edges.dictionary, sources, targets, weights };
}

/**
 * The command's `<edges>` input: its path, and whether it is stdin. A missing file is a
 * one-line InputError.
 */
export function edgesInput(context: CommandContext): { path: string; fromStdin: boolean } {
  const path = context.positionals[0];
  // /dev/stdin is the command's stdin whatever it is: a socket (as Node's child processes
  // get) cannot be opened by that name.
  const fromStdin = path === '-' || path === '/dev/stdin';
  if (!fromStdin && !existsSync(path)) {
    throw new InputError('no such file', { file: path, expected: 'an edge-list file (or - for stdin)' });
  }
  return { path, fromStdin };
}

/** How the options say the edge list is written: separator, delimiter, header, columns. */
export function edgeListFormat(context: CommandContext): {
  separator: EdgeListSeparator | 'auto';
  delimiter: string | undefined;
  header: boolean | 'auto';
  columns: number[] | undefined;
} {
  return {
    separator: context.options.separator as EdgeListSeparator | 'auto',
    delimiter: context.options.delimiter as string | undefined,
    header: headerOption(context) ?? 'auto',
    columns: columnsOption(context.options.columns as string | undefined),
  };
}

/** Rethrows a reader's error; a delimiter the reader refuses is a mistake on the command line. */
export function delimiterAsUsageError(error: unknown): never {
  if (error instanceof ParamError && error.param === 'delimiter') {
    throw new UsageError(`--delimiter: ${error.accepted}, got ${JSON.stringify(error.value)}`);
  }
  throw error;
}

/** `--columns S,T[,W]` as numbers; a value that is not a list of 2 or 3 integers is a usage error. */
function columnsOption(text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+(,\d+){1,2}$/.test(text.replace(/\s/g, ''))) {
    throw new UsageError(`--columns must be S,T or S,T,W (1-based column numbers), got '${text}'`);
  }
  return text.replace(/\s/g, '').split(',').map(Number);
}

/** Reads the command's `<edges>` input ({@link readGraphEdges}) into a graph index. */
export async function loadGraph(context: CommandContext, options: LoadGraphOptions): Promise<GraphIndex> {
  const path = context.positionals[0];
  if (!context.options.undirected && isGraphFile(path)) {
    // Its CSR as stored (no rebuild), its in-edge index too when it has one.
    const { dictionary, csr } = await readGraphFile(path, { weighted: options.weighted });
    return { dictionary, csr };
  }
  const { dictionary, sources, targets, weights } = await readGraphEdges(context, options);
  context.phase('building the graph index');
  const { csr } = buildCsr(dictionary.size, sources, targets, { weights });
  context.phase('computing');
  return { dictionary, csr };
}

/** The output format the options ask for. */
function outputFormat(context: CommandContext): OutputFormat {
  const output = context.options.output as string | undefined;
  const format = (context.options.format as OutputFormat | undefined) ?? formatForPath(output);
  if (format === 'arrow' && output === undefined && (context.stdout as { isTTY?: boolean }).isTTY) {
    throw new InputError('refusing to write Arrow IPC bytes to a terminal', {
      file: '<stdout>',
      expected: '--output FILE.arrow, or a pipe',
    });
  }
  return format;
}

/** Writes one line (or Arrow row) per vertex: the key as read, then each column's value. */
export async function writeVertexColumns(
  context: CommandContext,
  dictionary: VertexDictionary,
  columns: Record<string, ValueColumn>,
  order?: ArrayLike<number>,
): Promise<void> {
  const format = outputFormat(context);
  writingPhase(context);
  await writeVertexTable(
    (context.options.output as string | undefined) ?? context.stdout,
    dictionary,
    columns,
    { format, order, parallelism: context.options.parallelism as number | undefined },
  );
}

/**
 * Writes rows of vertex keys (by dense id, one Int32Array per key column) and numbers: vertex
 * pairs with a score, triangles. Text keeps keys as read; Arrow gets key and number columns.
 */
export async function writeKeyRows(
  context: CommandContext,
  dictionary: VertexDictionary,
  keyColumns: Record<string, Int32Array>,
  valueColumns: Record<string, Float64Array> = {},
): Promise<void> {
  const format = outputFormat(context);
  writingPhase(context);
  const output = (context.options.output as string | undefined) ?? context.stdout;
  await writeVertexRows(output, dictionary, keyColumns, valueColumns, { format });
}

/** Prints `name<TAB>value` lines (summary figures: counts, coefficients). */
export function writeFigures(context: CommandContext, figures: Record<string, number>): void {
  const lines = Object.entries(figures).map(([name, value]) => `${name}\t${value}\n`);
  context.stdout.write(lines.join(''));
}

/**
 * The dense id of the vertex a `--source`-like option names, the text read as a number when
 * the graph's keys are numbers. A key that is not in the graph is a one-line error.
 */
export function vertexOption<K extends VertexKey>(
  context: CommandContext,
  graph: GraphIndex<K>,
  option: string,
): K {
  const text = String(
    context.options[option.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase())],
  );
  const key = (graph.dictionary.kind === 'number' ? Number(text) : text) as K;
  if (text.trim() === '' || !graph.dictionary.has(key)) {
    throw new InputError(`--${option} is not a vertex of the graph`, {
      file: context.positionals[0] === '-' ? '<stdin>' : context.positionals[0],
      text,
      expected:
        graph.dictionary.size === 0
          ? 'a non-empty graph'
          : 'the key of a vertex, as written in the edge list',
    });
  }
  return key;
}
