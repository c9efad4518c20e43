/** Writing a data set's records to files: CSV (through core/csv) and Arrow IPC. */
import { tableFromColumns } from '../core/arrow.js';
import { arrow } from '../core/arrow-module.js';
import { writeFileAtomically } from '../core/atomic-file.js';
import { formatCsvRow } from '../core/csv.js';
import { describeValue, ParamError } from '../core/errors.js';

/** Options of `writeCsv`. */
export interface WriteCsvOptions {
  /** Field separator (default ','). */
  delimiter?: string;
  /** Write a header line of field names (default true for objects; tuples have none unless `names` is given). */
  header?: boolean;
  /** Column names: for objects, which fields and in what order (default: the first record's fields). */
  names?: string[];
}

type Cell = string | number | boolean | null | undefined;

function cell(value: unknown): Cell {
  if (
    value === null ||
    value === undefined ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
  ) {
    return value;
  }
  if (typeof value === 'bigint') return value.toString();
  throw new ParamError(
    'record field',
    describeValue(value),
    'a string, number, boolean, bigint or null for CSV',
  );
}

/** Writes records as CSV: objects by field name, tuples (arrays) by position, anything else as one column. */
export async function writeCsvRecords(
  path: string,
  records: readonly unknown[],
  options: WriteCsvOptions = {},
): Promise<void> {
  const delimiter = options.delimiter ?? ',';
  const lines: string[] = [];
  const first = records[0];
  const objects = typeof first === 'object' && first !== null && !Array.isArray(first);
  const names = options.names ?? (objects ? Object.keys(first) : undefined);
  if (names && (options.header ?? objects)) lines.push(formatCsvRow(names, delimiter));
  for (const record of records) {
    let values: Cell[];
    if (Array.isArray(record)) values = record.map(cell);
    else if (typeof record === 'object' && record !== null) {
      values = (names ?? Object.keys(record)).map((name) => cell((record as Record<string, unknown>)[name]));
    } else values = [cell(record)];
    lines.push(formatCsvRow(values, delimiter));
  }
  await writeFileAtomically(path, lines.length > 0 ? `${lines.join('\n')}\n` : '');
}

/** Writes records (objects with the same fields) as an Arrow IPC file: numbers as Float64, bigints as Int64. */
export async function writeArrowFile(path: string, records: readonly unknown[]): Promise<void> {
  const first = records[0];
  if (records.length > 0 && (typeof first !== 'object' || first === null || Array.isArray(first))) {
    throw new ParamError(
      'records',
      describeValue(first),
      'objects (one Arrow column per field) for writeArrow',
    );
  }
  const names = records.length > 0 ? Object.keys(first as object) : [];
  const columns: Record<string, Float64Array | BigInt64Array | unknown[]> = {};
  for (const name of names) {
    const values = records.map((record) => (record as Record<string, unknown>)[name]);
    if (values.every((value) => typeof value === 'number'))
      columns[name] = Float64Array.from(values as number[]);
    else if (values.every((value) => typeof value === 'bigint'))
      columns[name] = BigInt64Array.from(values as bigint[]);
    else columns[name] = values;
  }
  await writeFileAtomically(path, arrow().tableToIPC(tableFromColumns(columns), 'file'));
}
