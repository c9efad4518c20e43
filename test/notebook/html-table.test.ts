import { tableFromArrays } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParamError } from '../../src/core/errors.js';
import { escapeHtml, formatCell, htmlTable } from '../../src/notebook/html-table.js';

/** The inverse of escapeHtml, written independently of it (entity by entity). */
function unescapeHtml(html: string): string {
  return html
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&');
}

/** The texts of the `<th>` and `<td>` cells, in document order, unescaped. */
function cellTexts(html: string, tag: 'th' | 'td'): string[] {
  return [...html.matchAll(new RegExp(`<${tag}[^>]*>([^<]*)</${tag}>`, 'g'))].map((m) => unescapeHtml(m[1]));
}

function bodyRows(html: string): number {
  const body = html.slice(html.indexOf('<tbody>'), html.indexOf('</tbody>'));
  return body.split('<tr>').length - 1;
}

describe('escapeHtml', () => {
  it('escapes the five HTML metacharacters', () => {
    expect(escapeHtml(`<a href="x">Tom & Jerry's</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;',
    );
  });

  it('leaves no markup in any string and loses nothing', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const escaped = escapeHtml(text);
        expect(escaped).not.toMatch(/[<>"']/);
        expect(unescapeHtml(escaped)).toBe(text);
      }),
    );
  });
});

describe('formatCell', () => {
  it('writes integers exactly and other numbers to the requested significant digits', () => {
    expect(formatCell(12345678901)).toBe('12345678901');
    expect(formatCell(Math.PI)).toBe('3.14159');
    expect(formatCell(Math.PI, 3)).toBe('3.14');
    expect(formatCell(0.5)).toBe('0.5');
    expect(formatCell(1.23456789e-9)).toBe('1.23457e-9');
    expect(formatCell(Number.NaN)).toBe('NaN');
    expect(formatCell(Number.NEGATIVE_INFINITY)).toBe('-Infinity');
  });

  it('writes other kinds of values readably', () => {
    expect(formatCell(null)).toBe('');
    expect(formatCell(undefined)).toBe('');
    expect(formatCell(2n ** 70n)).toBe('1180591620717411303424');
    expect(formatCell(true)).toBe('true');
    expect(formatCell(new Date(Date.UTC(2024, 0, 2)))).toBe('2024-01-02T00:00:00.000Z');
    expect(formatCell(new Float64Array([1, 2.5]))).toBe('[1,2.5]');
    expect(formatCell({ a: [1, 2], b: 3n })).toBe('{"a":[1,2],"b":"3"}');
    expect(formatCell('x'.repeat(200))).toBe('x'.repeat(200));
    expect(formatCell(['x'.repeat(200)])).toBe(`["${'x'.repeat(78)}…`);
  });
});

describe('htmlTable', () => {
  const rows = [
    { vertex: 'a', rank: 0.25 },
    { vertex: 'b', rank: 0.5, extra: true },
    { vertex: 'c', rank: 0.125 },
  ];

  it('shows records with a header of every key in first-seen order', () => {
    const html = htmlTable(rows);
    expect(cellTexts(html, 'th')).toEqual(['vertex', 'rank', 'extra']);
    expect(cellTexts(html, 'td')).toEqual(['a', '0.25', '', 'b', '0.5', 'true', 'c', '0.125', '']);
    expect(html).not.toContain('<tfoot>');
  });

  it('escapes column names and values', () => {
    const html = htmlTable([{ '<th>': '<script>alert("x")</script>', 'a&b': "it's" }]);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<th><th>');
    expect(cellTexts(html, 'th')).toEqual(['<th>', 'a&b']);
    expect(cellTexts(html, 'td')).toEqual(['<script>alert("x")</script>', "it's"]);
  });

  it('escapes the caption', () => {
    expect(htmlTable(rows, { caption: 'top <3>' })).toContain('<caption>top &lt;3&gt;</caption>');
  });

  it('shows at most `limit` rows and says how many there were', () => {
    const many = Array.from({ length: 1000 }, (_, i) => ({ i }));
    const html = htmlTable(many, { limit: 5 });
    expect(bodyRows(html)).toBe(5);
    expect(cellTexts(html, 'td')).toEqual(['0', '1', '2', '3', '4', '5 of 1000 rows shown']);
    expect(bodyRows(htmlTable(many))).toBe(20);
    expect(bodyRows(htmlTable(many, { limit: 0 }))).toBe(0);
    expect(bodyRows(htmlTable(many.slice(0, 3), { limit: 5 }))).toBe(3);
  });

  it('right-aligns numeric cells only', () => {
    const html = htmlTable([{ name: 'x', count: 3, big: 4n }]);
    expect(html).toContain(
      '<td>x</td><td style="text-align:right">3</td><td style="text-align:right">4</td>',
    );
  });

  it('reads typed-array columns', () => {
    const html = htmlTable({
      id: new Int32Array([7, 8]),
      score: new Float64Array([0.1, 0.2]),
      name: ['p', 'q'],
    });
    expect(cellTexts(html, 'th')).toEqual(['id', 'score', 'name']);
    expect(cellTexts(html, 'td')).toEqual(['7', '0.1', 'p', '8', '0.2', 'q']);
  });

  it('reads Arrow tables, nulls as empty cells', () => {
    const table = tableFromArrays({ id: new Int32Array([1, 2, 3]), label: ['x', null, '<z>'] });
    const html = htmlTable(table, { limit: 2 });
    expect(cellTexts(html, 'th')).toEqual(['id', 'label']);
    expect(cellTexts(html, 'td')).toEqual(['1', 'x', '2', '', '2 of 3 rows shown']);
    expect(cellTexts(htmlTable(table), 'td').slice(-2)).toEqual(['3', '<z>']);
  });

  it('shows the chosen columns in the chosen order', () => {
    expect(cellTexts(htmlTable(rows, { columns: ['rank', 'vertex'], limit: 1 }), 'td')).toEqual([
      '0.25',
      'a',
      '1 of 3 rows shown',
    ]);
  });

  it('rejects bad options and ragged columns with the parameter named', () => {
    expect(() => htmlTable(rows, { limit: -1 })).toThrow(ParamError);
    expect(() => htmlTable(rows, { limit: 1.5 })).toThrow(/parameter 'limit'/);
    expect(() => htmlTable(rows, { digits: 0 })).toThrow(/parameter 'digits'/);
    expect(() => htmlTable(rows, { columns: ['nope'] })).toThrow(
      /'columns': "nope"; expected one of .*vertex, rank/,
    );
    expect(() => htmlTable({ a: [1, 2], b: [1] })).toThrow(/columns of equal length/);
    expect(() => htmlTable({ a: 5 } as never)).toThrow(/parameter 'data.a'/);
    expect(() => htmlTable([1, 2] as never)).toThrow(/parameter 'data\[0\]'/);
  });
});
