import { readFile } from 'node:fs/promises';
import { parseDecimalText } from './decimal.js';
import { InputError } from './errors.js';

/** Options of {@link parseCsv}. */
export interface CsvOptions {
  /** Field separator. Default: guessed from the first line (comma, tab or semicolon). */
  delimiter?: string;
  /** Whether the first line names the columns (default true). Without one, columns are c0, c1, ... */
  header?: boolean;
  /** Name of the source for error messages (a path, `<stdin>`). */
  source?: string;
}

/** One CSV row as a record: numbers for numeric columns, strings otherwise. */
export type CsvRecord = Record<string, number | string>;

/** One column of a parsed CSV: numbers when every non-empty cell is a number, strings otherwise. */
export type CsvColumn = { kind: 'number'; values: Float64Array } | { kind: 'string'; values: string[] };

/** A parsed CSV file, column by column. */
export interface CsvTable {
  names: string[];
  columns: CsvColumn[];
  rowCount: number;
  /** The 1-based line on which each row starts, for error messages about a row. */
  lines: Int32Array;
  /** The delimiter that was used. */
  delimiter: string;
  /** Name of the source, as given in the options. */
  source: string;
}

const QUOTE = 34;
const NEWLINE = 10;
const RETURN = 13;

/** Guesses the delimiter from the first line: the most frequent of `,`, tab and `;` outside quotes. */
function guessDelimiter(text: string): string {
  const counts = new Map<string, number>([
    [',', 0],
    ['\t', 0],
    [';', 0],
  ]);
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && counts.has(c)) counts.set(c, counts.get(c)! + 1);
  }
  let best = ',';
  for (const [candidate, count] of counts) if (count > counts.get(best)!) best = candidate;
  return best;
}

/**
 * The value of the number cell `text[start, end)`: a decimal (core's one parser) or, with an
 * optional sign, `NaN`, `inf` or `Infinity` in any case; undefined when the cell is not a
 * number. Hex, binary and other forms that `Number()` accepts are strings here, as they are
 * for pandas.
 */
function numberCell(text: string, start: number, end: number): number | undefined {
  const value = parseDecimalText(text, start, end);
  if (!Number.isNaN(value)) return value;
  const sign = text.charCodeAt(start);
  const word = text.slice(sign === 43 || sign === 45 ? start + 1 : start, end).toLowerCase();
  if (word === 'nan') return Number.NaN;
  if (word === 'inf' || word === 'infinity') return sign === 45 ? -Infinity : Infinity;
  return undefined;
}

/**
 * The index of the first cell that is text by the CSV reader's rule (not empty, not a number
 * once trimmed): the cell that made a column a string column, for an error to name. -1 when
 * every cell is a number or empty.
 */
export function firstTextCell(values: readonly string[]): number {
  return values.findIndex((value) => {
    const trimmed = value.trim();
    return trimmed !== '' && numberCell(trimmed, 0, trimmed.length) === undefined;
  });
}

/** Growable Int32 buffer for cell offsets. */
class OffsetBuffer {
  data = new Int32Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9;
}

/**
 * Parses CSV text (RFC 4180: quoted fields, `""` escapes, newlines inside quotes, CRLF or LF).
 * Blank lines are skipped. Every row must have as many fields as the header. Columns whose
 * non-empty cells are all numbers become Float64Arrays (empty cells are NaN); others stay strings.
 * @throws InputError naming the source, line and column of a malformed row.
 */
export function parseCsv(text: string, options: CsvOptions = {}): CsvTable {
  const source = options.source ?? '<csv>';
  const delimiter = options.delimiter ?? guessDelimiter(text);
  if (delimiter.length !== 1)
    throw new InputError('the delimiter must be one character', { file: source, text: delimiter });
  const separator = delimiter.charCodeAt(0);
  const hasHeader = options.header ?? true;
  const length = text.length;

  // Cells are recorded as [start, end) offsets into `text`, row-major; a quoted cell's
  // unescaped value is kept aside (quotes are rare in numeric data, so this stays cheap).
  const starts = new OffsetBuffer();
  const ends = new OffsetBuffer();
  const quoted = new Map<number, string>();
  const rowLines = new OffsetBuffer();
  let names: string[] | undefined;
  let width = -1;
  let line = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  const lineText = (from: number) => {
    const newline = text.indexOf('\n', from);
    return text.slice(from, newline === -1 ? length : newline).replace(/\r$/, '');
  };

  while (i < length) {
    const rowLine = line;
    const rowStart = i;
    let lineStart = i;
    const firstCell = starts.length;
    let fields = 0;
    let startsQuoted = false;
    for (;;) {
      if (text.charCodeAt(i) === QUOTE) {
        if (fields === 0) startsQuoted = true;
        const fieldColumn = i - lineStart + 1;
        let parts = '';
        let from = ++i;
        for (;;) {
          if (i >= length) {
            throw new InputError('unterminated quoted field', {
              file: source,
              line: rowLine,
              column: fieldColumn,
              expected: 'a closing "',
            });
          }
          const c = text.charCodeAt(i);
          if (c === QUOTE) {
            if (text.charCodeAt(i + 1) === QUOTE) {
              parts += text.slice(from, i + 1);
              i += 2;
              from = i;
              continue;
            }
            break;
          }
          if (c === NEWLINE) {
            line++;
            lineStart = i + 1;
          }
          i++;
        }
        quoted.set(starts.length, parts + text.slice(from, i));
        starts.push(from);
        ends.push(i);
        i++;
        const after = text.charCodeAt(i);
        if (i < length && after !== separator && after !== NEWLINE && after !== RETURN) {
          throw new InputError('text after a closing quote', {
            file: source,
            line,
            column: i - lineStart + 1,
            text: lineText(lineStart),
            expected: `a delimiter ${JSON.stringify(delimiter)} or the end of the line`,
          });
        }
      } else {
        starts.push(i);
        let c = text.charCodeAt(i);
        while (i < length && c !== separator && c !== NEWLINE && c !== RETURN) c = text.charCodeAt(++i);
        ends.push(i);
      }
      fields++;
      if (i < length && text.charCodeAt(i) === separator) {
        i++;
        if (i >= length) {
          starts.push(i);
          ends.push(i);
          fields++;
          break;
        }
        continue;
      }
      break;
    }
    if (text.charCodeAt(i) === RETURN) i++;
    if (text.charCodeAt(i) === NEWLINE) i++;
    line++;

    if (fields === 1 && !startsQuoted && ends.data[firstCell] === starts.data[firstCell]) {
      starts.length = ends.length = firstCell; // a blank line
      continue;
    }
    if (names === undefined && hasHeader) {
      names = [];
      for (let cell = firstCell; cell < starts.length; cell++) {
        names.push((quoted.get(cell) ?? text.slice(starts.data[cell], ends.data[cell])).trim());
        quoted.delete(cell);
      }
      starts.length = ends.length = firstCell;
      width = names.length;
      continue;
    }
    if (width === -1) width = fields;
    if (fields !== width) {
      throw new InputError(`row has ${fields} fields`, {
        file: source,
        line: rowLine,
        column: 1,
        text: lineText(rowStart),
        expected: `${width} fields${hasHeader ? ' like the header' : ' like the first row'}`,
      });
    }
    rowLines.push(rowLine);
  }

  if (names === undefined) {
    if (hasHeader) throw new InputError('empty CSV input', { file: source, expected: 'a header line' });
    names = Array.from({ length: Math.max(width, 0) }, (_, j) => `c${j}`);
  }
  // A set, not indexOf per name: a header of 80,000 columns took seconds.
  const seen = new Set<string>();
  const duplicate = names.find((name) => seen.size === seen.add(name).size);
  if (duplicate !== undefined) {
    throw new InputError('duplicate column name in the header', {
      file: source,
      line: 1,
      text: duplicate,
      expected: 'distinct names',
    });
  }

  const rowCount = rowLines.length;
  const columnCount = names.length;
  const columns: CsvColumn[] = names.map((_, j) => {
    // A column is numeric when every cell (spaces around it trimmed) is a number or empty.
    const values = new Float64Array(rowCount);
    let numeric = true;
    for (let r = 0; r < rowCount && numeric; r++) {
      const cell = r * columnCount + j;
      const quotedValue = quoted.get(cell);
      let value: number | undefined;
      if (quotedValue !== undefined) {
        const trimmed = quotedValue.trim();
        value = trimmed === '' ? Number.NaN : numberCell(trimmed, 0, trimmed.length);
      } else {
        let start = starts.data[cell];
        let end = ends.data[cell];
        while (start < end && isSpace(text.charCodeAt(start))) start++;
        while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
        value = end === start ? Number.NaN : numberCell(text, start, end);
      }
      if (value === undefined) numeric = false;
      else values[r] = value;
    }
    if (!numeric) {
      const strings = new Array<string>(rowCount);
      for (let r = 0; r < rowCount; r++) {
        const cell = r * columnCount + j;
        strings[r] = quoted.get(cell) ?? text.slice(starts.data[cell], ends.data[cell]);
      }
      return { kind: 'string', values: strings };
    }
    return { kind: 'number', values };
  });
  return { names, columns, rowCount, lines: rowLines.data.slice(0, rowCount), delimiter, source };
}

/** Reads and parses a CSV file (UTF-8). `source` in errors is the path. */
export async function readCsvFile(path: string, options: Omit<CsvOptions, 'source'> = {}): Promise<CsvTable> {
  const text = await readFile(path, 'utf8');
  return parseCsv(text, { ...options, source: path });
}

/** Formats one CSV field: quoted when it holds the delimiter, a quote or a line break. */
export function formatCsvField(value: string | number | boolean | null | undefined, delimiter = ','): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  if (text.includes(delimiter) || text.includes('"') || text.includes('\n') || text.includes('\r')) {
    return `"${text.replaceAll('"', '""')}"`;
  }
  return text;
}

/** Formats one CSV record (without the line break). */
export function formatCsvRow(
  values: readonly (string | number | boolean | null | undefined)[],
  delimiter = ',',
): string {
  return values.map((value) => formatCsvField(value, delimiter)).join(delimiter);
}
