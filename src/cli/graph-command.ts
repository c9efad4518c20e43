/**
 * What every graph command shares: the edge-list input options, loading the positional
 * `<edges>` file (or `-` for stdin) into a CSR, and writing one line per vertex with keys
 * exactly as read (TSV by default, Arrow IPC with `--format arrow` or an `.arrow` output).
 */
import { existsSync } from 'node:fs';
import type { GraphIndex } from '../../algorithms/graph/graph-index.js';
import { InputError } from '../core/errors.js';
import { buildCsr } from '../graph/csr.js';
import { type EdgeListSeparator, readEdgeList } from '../graph/edge-list-reader.js';
import type { VertexDictionary } from '../graph/vertex-dictionary.js';
import { formatForPath, type OutputFormat, type ValueColumn, writeVertexTable } from '../graph/writers.js';
import type { CommandContext, OptionSpec, PositionalSpec } from './command.js';

/** The `<edges>` positional. */
export const edgesPositional: PositionalSpec = {
  name: 'edges',
  description: "edge list: 'source target [weight]' per line, tab/comma/space separated ('-': stdin)",
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
  'skip-invalid': {
    type: 'boolean',
    description: 'skip malformed lines (counted on stderr) instead of stopping at the first',
  },
};

/** Options for writing the result. */
export const outputOptions: Readonly<Record<string, OptionSpec>> = {
  output: { type: 'string', description: 'write here instead of stdout', valueName: 'FILE' },
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

/**
 * Reads the command's `<edges>` input into a graph index. A missing file is a one-line
 * InputError; skipped lines (`--skip-invalid`) are counted on stderr with the first problem.
 */
export async function loadGraph(context: CommandContext, options: LoadGraphOptions): Promise<GraphIndex> {
  const path = context.positionals[0];
  const fromStdin = path === '-';
  if (!fromStdin && !existsSync(path)) {
    throw new InputError('no such file', { file: path, expected: 'an edge-list file (or - for stdin)' });
  }
  const progress = context.progress({ label: `reading ${fromStdin ? 'stdin' : path}`, unit: 'edges' });
  const edges = await readEdgeList(fromStdin ? context.stdin : path, {
    separator: context.options.separator as EdgeListSeparator | 'auto',
    weighted: options.weighted,
    onInvalid: context.options.skipInvalid ? 'skip' : 'error',
    progress,
  });
  if (edges.skippedLines > 0) {
    context.stderr.write(
      `eddy: skipped ${edges.skippedLines} malformed line(s); the first: ${edges.firstSkipped?.message}\n`,
    );
  }
  const { csr } = buildCsr(edges.dictionary.size, edges.sources, edges.targets, { weights: edges.weights });
  return { dictionary: edges.dictionary, csr };
}

/** Writes one line (or Arrow row) per vertex: the key as read, then each column's value. */
export async function writeVertexColumns(
  context: CommandContext,
  dictionary: VertexDictionary,
  columns: Record<string, ValueColumn>,
  order?: ArrayLike<number>,
): Promise<void> {
  const output = context.options.output as string | undefined;
  const format = (context.options.format as OutputFormat | undefined) ?? formatForPath(output);
  if (format === 'arrow' && output === undefined && (context.stdout as { isTTY?: boolean }).isTTY) {
    throw new InputError('refusing to write Arrow IPC bytes to a terminal', {
      file: '<stdout>',
      expected: '--output FILE.arrow, or a pipe',
    });
  }
  await writeVertexTable(output ?? context.stdout, dictionary, columns, { format, order });
}
