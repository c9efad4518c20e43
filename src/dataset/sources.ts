/** File sources: CSV (through core/csv, one record per row) and Arrow IPC (file or stream format). */
import { readFile } from 'node:fs/promises';
import type { tableFromIPC } from 'apache-arrow';
import { checkArrowIpcBytes } from '../core/arrow-ipc-check.js';
import { arrow } from '../core/arrow-module.js';
import { type CsvColumn, type CsvRecord, readCsvFile } from '../core/csv.js';
import { InputError } from '../core/errors.js';

/** The type a CSV column must have: any number, an integer, or text. */
export type CsvFieldType = 'number' | 'integer' | 'string';

/** Options of `readCsv`. */
export interface ReadCsvOptions {
  /** Whether the first line names the columns (default true); without one they are c0, c1, ... */
  header?: boolean;
  /** Field separator (default: guessed from the first line). */
  delimiter?: string;
  /**
   * Required types of columns, checked for every row: a cell that is not of the type is an
   * InputError naming the file and line. A 'string' column whose cells all look numeric
   * gets each number's shortest text (core/csv parses such columns as numbers, so "1.50"
   * comes back as "1.5" and "007" as "7"). Columns not listed keep the type the parser found.
   */
  types?: Record<string, CsvFieldType>;
}

/** A CSV row: numbers for numeric columns (NaN for an empty cell), strings otherwise. */

function checkColumn(
  path: string,
  name: string,
  column: CsvColumn,
  type: CsvFieldType,
  lines: Int32Array,
): CsvColumn {
  if (type === 'string') {
    return column.kind === 'string' ? column : { kind: 'string', values: Array.from(column.values, String) };
  }
  if (column.kind === 'string') {
    const row = column.values.findIndex((value) => value !== '' && !Number.isFinite(Number(value)));
    throw new InputError(`column '${name}' is not numeric`, {
      file: path,
      line: lines[Math.max(row, 0)],
      text: column.values[Math.max(row, 0)],
      expected: type === 'integer' ? 'an integer' : 'a number',
    });
  }
  if (type === 'integer') {
    const row = column.values.findIndex((value) => !Number.isInteger(value));
    if (row >= 0) {
      throw new InputError(`column '${name}' is not an integer column`, {
        file: path,
        line: lines[row],
        text: String(column.values[row]),
        expected: 'an integer',
      });
    }
  }
  return column;
}

/** Reads a CSV file into row records. */
export async function readCsvRecords(path: string, options: ReadCsvOptions): Promise<CsvRecord[]> {
  const table = await readCsvFile(path, { header: options.header, delimiter: options.delimiter });
  const columns = table.columns.slice();
  for (const [name, type] of Object.entries(options.types ?? {})) {
    const index = table.names.indexOf(name);
    if (index < 0) {
      throw new InputError(`no column '${name}'`, {
        file: path,
        line: 1,
        expected: `one of ${table.names.join(', ')}`,
      });
    }
    columns[index] = checkColumn(path, name, columns[index], type, table.lines);
  }
  const records: CsvRecord[] = new Array(table.rowCount);
  for (let row = 0; row < table.rowCount; row++) {
    // Null prototype: a column named __proto__ is a field like any other.
    const record: CsvRecord = Object.create(null);
    for (let column = 0; column < columns.length; column++)
      record[table.names[column]] = columns[column].values[row];
    records[row] = record;
  }
  return records;
}

/** Reads an Arrow IPC file or stream into row records (one field per column). */
export async function readArrowRecords(path: string): Promise<Record<string, unknown>[]> {
  const bytes = await readFile(path);
  // Arrow's reader returns an empty table for bytes it does not recognise, so check the
  // format's signature first: "ARROW1" for files, a 0xFFFFFFFF continuation for streams.
  const isFile = bytes.subarray(0, 6).toString('latin1') === 'ARROW1';
  const isStream = bytes.length >= 4 && bytes.readUInt32LE(0) === 0xffffffff;
  const problem = { file: path, expected: 'an Arrow IPC file or stream (.arrow, .feather)' };
  if (!isFile && !isStream) throw new InputError('not an Arrow IPC file or stream', problem);
  checkArrowIpcBytes(bytes, path);
  let table: ReturnType<typeof tableFromIPC>;
  try {
    table = arrow().tableFromIPC(bytes);
  } catch (error) {
    throw new InputError(`unreadable Arrow data (${(error as Error).message})`, problem);
  }
  const names = table.schema.fields.map((field) => field.name);
  const columns = names.map((name) => table.getChild(name)!);
  const records: Record<string, unknown>[] = new Array(table.numRows);
  for (let row = 0; row < table.numRows; row++) {
    const record: Record<string, unknown> = {};
    for (let column = 0; column < names.length; column++) record[names[column]] = columns[column].get(row);
    records[row] = record;
  }
  return records;
}
