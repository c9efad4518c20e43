import { formatJavaDouble } from './dense-vector.js';
import type { TableSchema } from './schema.js';

/** A cell as Flink prints it: `<NULL>`, doubles with Java's formatting, vectors as `[0.0, 0.3]`. */
export function formatCell(value: unknown, kind: string): string {
  if (value === null || value === undefined) return '<NULL>';
  if (typeof value === 'number' && (kind === 'DOUBLE' || kind === 'FLOAT')) return formatJavaDouble(value);
  if (Array.isArray(value)) return `[${value.join(', ')}]`;
  return String(value);
}

/** Draws rows as Flink's `TableResult.print()` does: a boxed, right-aligned grid and a row count. */
export function formatTable(schema: TableSchema, rows: readonly (readonly unknown[])[]): string {
  const names = schema.getFieldNames();
  const kinds = schema.getFieldTypes().map((type) => type.kind);
  const cells = rows.map((row) => row.map((value, j) => formatCell(value, kinds[j])));
  const widths = names.map((name, j) => Math.max(name.length, ...cells.map((row) => row[j].length)));
  const rule = `+${widths.map((width) => '-'.repeat(width + 2)).join('+')}+`;
  const line = (values: readonly string[]): string =>
    `| ${values.map((value, j) => value.padStart(widths[j])).join(' | ')} |`;
  const count = rows.length === 1 ? '1 row in set' : `${rows.length} rows in set`;
  if (rows.length === 0) return `${rule}\n${line(names)}\n${rule}\nEmpty set`;
  return [rule, line(names), rule, ...cells.map(line), rule, count].join('\n');
}
