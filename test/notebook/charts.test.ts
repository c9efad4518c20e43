import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import {
  barSpec,
  histogramSpec,
  lineSpec,
  loadVega,
  MissingChartPackagesError,
  renderSvg,
  scatterSpec,
} from '../../src/notebook/charts.js';

/** The `<g>` group vega draws for the data marks (role "mark"), by mark type. */
function markGroup(svg: string, type: 'rect' | 'line' | 'symbol'): string {
  const start = svg.indexOf(`class="mark-${type} role-mark`);
  expect(start, `a mark-${type} group in the SVG`).toBeGreaterThan(0);
  return svg.slice(start, svg.indexOf('</g>', start));
}

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

describe('chart specs', () => {
  it('bar: one bar per row, nominal x, quantitative y read from the data', () => {
    const spec = barSpec([{ k: 'a', v: 1 }], { x: 'k', y: 'v', title: 't' });
    expect(spec).toMatchObject({
      title: 't',
      width: 400,
      height: 250,
      mark: 'bar',
      data: { values: [{ k: 'a', v: 1 }] },
      encoding: { x: { field: 'k', type: 'nominal', sort: null }, y: { field: 'v', type: 'quantitative' } },
    });
  });

  it('bar: keeps the bars in the order of the rows', async () => {
    const svg = await renderSvg(
      barSpec(
        [
          { name: 'zeta', value: 3 },
          { name: 'alpha', value: 2 },
          { name: 'mu', value: 1 },
        ],
        { x: 'name', y: 'value' },
      ),
    );
    const labels = svg.slice(svg.indexOf('role-axis-label'));
    const positions = ['zeta', 'alpha', 'mu'].map((name) => labels.indexOf(`>${name}</text>`));
    expect(positions.every((position) => position > 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('line and scatter read typed-array columns and Arrow tables', () => {
    const columns = { t: new Float64Array([0, 1, 2]), y: new Float64Array([1, 4, 9]) };
    const line = lineSpec(columns, { x: 't', y: 'y', xType: 'ordinal' });
    expect(line).toMatchObject({
      data: {
        values: [
          { t: 0, y: 1 },
          { t: 1, y: 4 },
          { t: 2, y: 9 },
        ],
      },
      encoding: { x: { field: 't', type: 'ordinal' }, y: { field: 'y', type: 'quantitative' } },
    });
    const table = tableFromArrays({ a: new Float64Array([0.5]), b: new Float64Array([2]), c: ['x'] });
    const scatter = scatterSpec(table, { x: 'a', y: 'b', color: 'c' });
    expect(scatter).toMatchObject({
      data: { values: [{ a: 0.5, b: 2, c: 'x' }] },
      encoding: { color: { field: 'c', type: 'nominal' } },
    });
  });

  it('names the option whose column is missing', () => {
    expect(() => barSpec([{ k: 'a', v: 1 }], { x: 'k', y: 'w' })).toThrow(
      /parameter 'y': "w"; expected one of the data's columns: k, v/,
    );
    expect(() => lineSpec([{ k: 'a', v: 1 }], { x: 'k', y: 'v', color: 'c' })).toThrow(/parameter 'color'/);
  });

  it('rejects bad sizes and bin counts', () => {
    expect(() => histogramSpec([1], { maxBins: 0 })).toThrow(/parameter 'maxBins'/);
    expect(() => histogramSpec([1], { width: -5 })).toThrow(/parameter 'width'/);
  });
});

describe('renderSvg', () => {
  it('draws a bar chart as SVG with one rect per bar and escaped labels', async () => {
    const svg = await renderSvg(
      barSpec(
        [
          { name: 'a<b', value: 3 },
          { name: 'c', value: 5 },
          { name: 'd', value: 1 },
        ],
        { x: 'name', y: 'value', title: 'Tom & Jerry' },
      ),
    );
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(count(markGroup(svg, 'rect'), /<path /g)).toBe(3);
    expect(svg).toContain('a&lt;b');
    expect(svg).toContain('Tom &amp; Jerry');
    // The plotting area (the frame's background) has the default size, 400 x 250.
    expect(svg).toContain('class="background" aria-hidden="true" d="M0.5,0.5h400v250h-400Z"');
  });

  it('draws a histogram whose bar heights are the bin counts', async () => {
    // 1, 2 and 3 values in bins [0,1), [1,2), [2,3): bar heights proportional to 1:2:3.
    const sample = [0.5, 1.2, 1.7, 2.1, 2.5, 2.9];
    const svg = await renderSvg(histogramSpec(sample, { maxBins: 3 }));
    const bars = markGroup(svg, 'rect');
    const heights = [...bars.matchAll(/d="M[\d.-]+,[\d.-]+h[\d.-]+v([\d.-]+)h/g)].map((m) => Number(m[1]));
    expect(heights).toHaveLength(3);
    const sorted = [...heights].sort((a, b) => a - b);
    expect(sorted[1] / sorted[0]).toBeCloseTo(2, 6);
    expect(sorted[2] / sorted[0]).toBeCloseTo(3, 6);
  });

  it('draws a line chart as one path and a scatter plot as one symbol per point', async () => {
    const columns = { x: new Float64Array([0, 1, 2, 3]), y: new Float64Array([0, 1, 4, 9]) };
    const line = await renderSvg(lineSpec(columns, { x: 'x', y: 'y' }));
    expect(count(markGroup(line, 'line'), /<path /g)).toBe(1);
    const scatter = await renderSvg(scatterSpec(columns, { x: 'x', y: 'y' }));
    expect(count(markGroup(scatter, 'symbol'), /<path /g)).toBe(4);
  });
});

describe('loadVega', () => {
  it('says what to install when vega or vega-lite is missing (they are optional peer dependencies)', async () => {
    const missing = Object.assign(new Error("Cannot find package 'vega'"), { code: 'ERR_MODULE_NOT_FOUND' });
    const error = await loadVega(() => Promise.reject(missing)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingChartPackagesError);
    expect((error as Error).message).toContain('npm install vega vega-lite');
    expect((error as Error).cause).toBe(missing);
  });

  it('passes any other failure on unchanged, and loads both modules when installed', async () => {
    const other = new Error('disk on fire');
    await expect(loadVega(() => Promise.reject(other))).rejects.toBe(other);
    const [vega, vegaLite] = await loadVega();
    expect(typeof vega.View).toBe('function');
    expect(typeof vegaLite.compile).toBe('function');
  });
});
