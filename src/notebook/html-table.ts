import { ParamError } from '../core/errors.js';
import { type TabularData, tabularView } from './tabular.js';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]);
}

/** Options of {@link htmlTable}. */
export interface HtmlTableOptions {
  /** At most this many rows are shown (default 20); a footer says how many were left out. */
  limit?: number;
  /** The columns to show, in this order (default: all, in the data's order). */
  columns?: readonly string[];
  /** Significant digits of non-integer numbers (default 6). */
  digits?: number;
  /** A caption above the table. */
  caption?: string;
}

/** Longest text shown for one cell of nested data (arrays, objects), before it is cut. */
const MAX_CELL_TEXT = 80;

/**
 * How one value reads in a cell: integers exactly, other numbers to `digits` significant
 * digits (without trailing zeros), dates in ISO form, arrays and objects as short JSON.
 */
export function formatCell(value: unknown, digits = 6): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (Number.isInteger(value) || !Number.isFinite(value)) return String(value);
    return String(Number(value.toPrecision(digits)));
  }
  if (typeof value === 'bigint' || typeof value === 'boolean' || typeof value === 'string')
    return String(value);
  if (value instanceof Date) return value.toISOString();
  const plain = ArrayBuffer.isView(value) ? Array.from(value as unknown as ArrayLike<unknown>) : value;
  let text: string;
  try {
    text =
      JSON.stringify(plain, (_key, item) => (typeof item === 'bigint' ? String(item) : item)) ??
      String(value);
  } catch {
    text = String(value);
  }
  return text.length > MAX_CELL_TEXT ? `${text.slice(0, MAX_CELL_TEXT)}…` : text;
}

function isNumeric(value: unknown): boolean {
  return typeof value === 'number' || typeof value === 'bigint';
}

/**
 * Renders records, an Arrow table or typed-array columns as an HTML `<table>`: a header of
 * column names, at most `limit` rows, numbers right-aligned, every text escaped.
 */
export function htmlTable(data: TabularData, options: HtmlTableOptions = {}): string {
  const limit = options.limit ?? 20;
  if (!Number.isInteger(limit) || limit < 0) throw new ParamError('limit', limit, 'a non-negative integer');
  const digits = options.digits ?? 6;
  if (!Number.isInteger(digits) || digits < 1 || digits > 21) {
    throw new ParamError('digits', digits, 'an integer from 1 to 21');
  }
  const view = tabularView(data, limit);
  const columns = options.columns ?? view.columns;
  for (const column of columns) {
    if (!view.columns.includes(column)) {
      throw new ParamError('columns', column, `one of the data's columns: ${view.columns.join(', ')}`);
    }
  }
  const shown = Math.min(view.rowCount, limit);

  const parts: string[] = ['<table class="eddy-table">'];
  if (options.caption !== undefined) parts.push(`<caption>${escapeHtml(options.caption)}</caption>`);
  parts.push('<thead><tr>');
  for (const column of columns) parts.push(`<th>${escapeHtml(column)}</th>`);
  parts.push('</tr></thead><tbody>');
  for (let row = 0; row < shown; row++) {
    parts.push('<tr>');
    for (const column of columns) {
      const value = view.cell(row, column);
      const text = escapeHtml(formatCell(value, digits));
      parts.push(isNumeric(value) ? `<td style="text-align:right">${text}</td>` : `<td>${text}</td>`);
    }
    parts.push('</tr>');
  }
  parts.push('</tbody>');
  if (shown < view.rowCount) {
    parts.push(
      `<tfoot><tr><td colspan="${Math.max(columns.length, 1)}">${shown} of ${view.rowCount} rows shown</td></tr></tfoot>`,
    );
  }
  parts.push('</table>');
  return parts.join('');
}
