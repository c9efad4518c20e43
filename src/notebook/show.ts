import {
  barSpec,
  type ChartSpec,
  type HistogramOptions,
  histogramSpec,
  lineSpec,
  renderSvg,
  scatterSpec,
  type XYOptions,
} from './charts.js';
import { type HtmlTableOptions, htmlTable } from './html-table.js';
import { type NotebookDisplay, tslabDisplay } from './kernel-display.js';
import type { TabularData } from './tabular.js';

/**
 * One-line rich output for notebook cells. Tables are synchronous; charts are rendered by
 * Vega, which is asynchronous, so chart calls are awaited: `await show.bar(rows, { x, y })`.
 * Every call displays its result and returns nothing, so the cell prints nothing else.
 */
export interface Show {
  /** An HTML table of records, an Arrow table or typed-array columns. */
  table(data: TabularData, options?: HtmlTableOptions): void;
  /** Raw HTML, displayed as is (not escaped: build it with {@link escapeHtml}). */
  html(html: string): void;
  /** Any Vega-Lite spec, rendered to SVG. */
  chart(spec: ChartSpec): Promise<void>;
  /** A bar chart of `y` per category `x`. */
  bar(data: TabularData, options: XYOptions): Promise<void>;
  /** A line chart of `y` over `x`. */
  line(data: TabularData, options: XYOptions): Promise<void>;
  /** A scatter plot of `y` against `x`. */
  scatter(data: TabularData, options: XYOptions): Promise<void>;
  /** A histogram of a sample. */
  histogram(values: ArrayLike<number>, options?: HistogramOptions): Promise<void>;
}

/**
 * A {@link Show} that writes to `display`. The notebook's `show` writes to the running tslab
 * kernel; tests (or another front end) pass their own display.
 */
export function createShow(display: () => NotebookDisplay): Show {
  const chart = async (spec: ChartSpec) => {
    const svg = await renderSvg(spec);
    display().raw('image/svg+xml', svg);
  };
  return {
    table(data, options) {
      display().raw('text/html', htmlTable(data, options));
    },
    html(html) {
      display().raw('text/html', html);
    },
    chart,
    bar: (data, options) => chart(barSpec(data, options)),
    line: (data, options) => chart(lineSpec(data, options)),
    scatter: (data, options) => chart(scatterSpec(data, options)),
    histogram: (values, options) => chart(histogramSpec(values, options)),
  };
}

/** Rich output in the tslab kernel: `show.table(rows)`, `await show.histogram(sample)`. */
export const show: Show = createShow(tslabDisplay);
