import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { tableFromIPC } from 'apache-arrow';
import { checkArrowIpcBytes } from '../core/arrow-ipc-check.js';
import { arrow } from '../core/arrow-module.js';
import { parseCsv } from '../core/csv.js';
import { InputError, ParamError } from '../core/errors.js';
import { gunzipIfCompressed, inputKind, streamedChunks } from '../core/input-bytes.js';
import { Table } from '../table/table.js';
import type { TableColumn } from '../table/typed-columns.js';
import {
  chooseNumericColumns,
  type NumericCsv,
  parseNumericCsv,
  positionalNames,
  readNumericCsvFile,
} from './numeric-csv.js';

/** File name endings read as Arrow IPC (file or stream format); everything else is CSV. */
export const ARROW_EXTENSIONS = ['.arrow', '.feather', '.ipc', '.arrows'] as const;

/** Whether a path names an Arrow IPC file by its ending. */
export function isArrowPath(path: string): boolean {
  return (ARROW_EXTENSIONS as readonly string[]).includes(extname(path).toLowerCase());
}

/**
 * One column that {@link readTabularFile} reads: its 1-based position; its name (in a file
 * without a header: the name given to the column at this choice's place in the list); or
 * either of those read under a new `name`.
 */
export type ColumnChoice = number | string | { readonly column: number | string; readonly name: string };

/** Options of {@link readTabularFile}. */
export interface TabularReadOptions {
  /** Where `-` reads CSV from. */
  stdin?: NodeJS.ReadableStream;
  /**
   * Whether the first line of a CSV names the columns (default true). Without a header, the
   * first line is data and the columns are named by their 1-based position, "1", "2", ...
   * (the numbers `columns` takes). Arrow files always name their columns: `false` is an error.
   */
  header?: boolean;
  /**
   * The columns to read, in this order (default: all of them). A column of the file that is
   * not chosen is left out of the table, as if the file did not have it.
   */
  columns?: readonly ColumnChoice[];
}

/**
 * Reads tabular ML input: Arrow IPC when the name ends in .arrow/.feather/.ipc/.arrows, CSV
 * otherwise (with a header line unless `header: false`). `-` reads CSV from `stdin` when one is
 * given. Gzip is decompressed (known by a `.gz` ending, which the format's ending precedes, or
 * by its first bytes; on stdin too), and a named pipe, `<(...)` or `/dev/stdin` is read as a
 * stream. `columns` chooses and names the columns; one that is not in the file is an
 * {@link InputError} naming the file.
 */
export async function readTabularFile(path: string, options: TabularReadOptions = {}): Promise<Table> {
  const { stdin, header = true, columns } = options;
  const csv = { header, columns };
  if (path === '-' && stdin !== undefined) {
    const chunks = gunzipIfCompressed(stdin as AsyncIterable<Uint8Array>, '<stdin>');
    return tableFromCsvBytes(await readAll(chunks), '<stdin>', csv);
  }
  const arrowFile = isArrowPath(path.replace(/\.gz$/i, ''));
  if (arrowFile && !header) {
    throw new ParamError('header', false, 'true for an Arrow file, whose columns have names');
  }
  const kind = inputKind(path);
  if (kind !== 'regular') {
    const bytes = await readAll(streamedChunks(path, path, 1 << 20));
    return arrowFile ? tableFromArrowBytes(bytes, path, columns) : tableFromCsvBytes(bytes, path, csv);
  }
  if (arrowFile) return tableFromArrowBytes(await readFile(path), path, columns);
  const numeric = await readNumericCsvFile(path, { header });
  if (numeric !== undefined) return tableFromNumericCsv(numeric, path, columns, header);
  return tableFromCsvText(new TextDecoder().decode(await readFile(path)), path, csv);
}

/** How a CSV is read: whether it has a header, and the columns to read. */
export type CsvReadOptions = Pick<TabularReadOptions, 'header' | 'columns'>;

/**
 * Where the `columns` of a read come from in a file whose columns are `names` (the header's,
 * or positions): 0-based indices and the names the table gives them.
 */
function resolveColumns(
  names: readonly string[],
  columns: readonly ColumnChoice[],
  header: boolean,
  source: string,
): { indices: number[]; names: string[] } {
  // A map, not indexOf per choice: files with tens of thousands of columns exist.
  const byName = new Map(names.map((name, j) => [name, j]));
  const indexOf = (column: number | string): number => {
    if (typeof column === 'number') {
      if (!Number.isInteger(column) || column < 1) {
        throw new ParamError('columns', column, 'a 1-based column number');
      }
      if (column > names.length) {
        throw new InputError(`no column ${column}`, {
          file: source,
          expected: `a column number from 1 to ${names.length}`,
        });
      }
      return column - 1;
    }
    const index = byName.get(column);
    if (index === undefined) {
      throw new InputError(`no column '${column}'`, {
        file: source,
        expected: `one of the columns ${names.join(', ') || '(none)'}`,
      });
    }
    return index;
  };
  const indices: number[] = [];
  const chosenNames: string[] = [];
  columns.forEach((choice, place) => {
    if (typeof choice === 'object') {
      if (typeof choice.name !== 'string' || choice.name === '') {
        throw new ParamError('columns', choice, 'a non-empty name for the column');
      }
      indices.push(indexOf(choice.column));
      chosenNames.push(choice.name);
    } else if (typeof choice === 'string' && !header) {
      // Without a header, a name names the column at its place in the list.
      if (place >= names.length) {
        throw new InputError(`no column ${place + 1} to name '${choice}'`, {
          file: source,
          expected: `at most ${names.length} names`,
        });
      }
      indices.push(place);
      chosenNames.push(choice);
    } else {
      const index = indexOf(choice);
      indices.push(index);
      chosenNames.push(names[index]);
    }
  });
  const seen = new Set<string>();
  const duplicate = chosenNames.find((name) => seen.size === seen.add(name).size);
  if (duplicate !== undefined) throw new ParamError('columns', duplicate, 'each column name once');
  return { indices, names: chosenNames };
}

/** The table with only the chosen columns, in their order and under their names. */
function chooseColumns(frame: Table, columns: readonly ColumnChoice[] | undefined, header: boolean): Table {
  if (columns === undefined) return frame;
  const chosen = resolveColumns(frame.names, columns, header, frame.source);
  return Table.fromTypedColumns(
    chosen.names,
    chosen.indices.map((j) => frame.columns[j]),
    { source: frame.source, lines: frame.lines, rowCount: frame.numRows },
  );
}

function tableFromArrowBytes(
  bytes: Uint8Array,
  path: string,
  columns: readonly ColumnChoice[] | undefined,
): Table {
  checkArrowIpcBytes(bytes, path);
  let table: ReturnType<typeof tableFromIPC>;
  try {
    table = arrow().tableFromIPC(bytes);
  } catch (error) {
    throw new InputError(`not an Arrow IPC file: ${(error as Error).message}`, { file: path });
  }
  return chooseColumns(Table.fromArrow(table, path), columns, true);
}

/** CSV bytes as a table: the all-numeric fast path when it applies, the general reader otherwise. */
export function tableFromCsvBytes(bytes: Uint8Array, source: string, options: CsvReadOptions = {}): Table {
  const numeric = parseNumericCsv(bytes, { header: options.header });
  if (numeric === undefined) return tableFromCsvText(new TextDecoder().decode(bytes), source, options);
  return tableFromNumericCsv(numeric, source, options.columns, options.header);
}

/** A table over an all-numeric CSV already parsed, with only the `columns` chosen (default: all). */
export function tableFromNumericCsv(
  numeric: NumericCsv,
  source: string,
  columns?: readonly ColumnChoice[],
  header = true,
): Table {
  if (columns !== undefined) {
    const chosen = resolveColumns(numeric.names, columns, header, source);
    const identity =
      chosen.indices.length === numeric.names.length && chosen.indices.every((index, j) => index === j);
    // Renamed only: the matrix as it is; otherwise a row-major copy of the chosen columns.
    numeric = identity
      ? { ...numeric, names: chosen.names }
      : chooseNumericColumns(numeric, chosen.indices, chosen.names);
  }
  return tableOverNumericCsv(numeric, source);
}

function tableOverNumericCsv(numeric: NumericCsv, source: string): Table {
  // Built without Table.fromTypedColumns, whose length checks would read every column:
  // the columns are made from the matrix only when something reads one (the estimators read
  // the matrix). The parser has checked that every row has every column.
  const columns: TableColumn[] = numeric.names.map((_, j) => ({
    kind: 'number',
    get values() {
      return numeric.columns[j];
    },
  }));
  return Table.fromCheckedColumns(
    {
      names: numeric.names,
      columns,
      rowCount: numeric.matrix.rows,
      lines: numeric.lines,
      rowMajor: numeric.matrix,
    },
    source,
  );
}

/**
 * Parses CSV text into a table (with a header line unless `header: false`, the columns then
 * named "1", "2", ...); rows keep their line numbers for error messages.
 */
export function tableFromCsvText(text: string, source: string, options: CsvReadOptions = {}): Table {
  const header = options.header ?? true;
  const csv = parseCsv(text, { source, header });
  if (csv.names.length === 0) {
    throw new InputError('empty file', {
      file: source,
      expected: header ? 'a header line' : 'a line of data',
    });
  }
  const names = header ? csv.names : positionalNames(csv.names.length);
  const frame = Table.fromTypedColumns(names, csv.columns, {
    source,
    lines: csv.lines,
    rowCount: csv.rowCount,
  });
  return chooseColumns(frame, options.columns, header);
}

async function readAll(stream: AsyncIterable<Uint8Array | string>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}
