/**
 * eddy/notebook: rich output for Jupyter notebooks run by the tslab kernel. Results show as
 * HTML tables and charts as SVG rendered headless from Vega-Lite specs. Charts need the
 * optional peer dependencies vega and vega-lite (`npm install vega vega-lite`); without them
 * drawing a chart throws a {@link MissingChartPackagesError} that says so, and tables still work.
 *
 * ```ts
 * import { show } from 'eddy/notebook';
 * show.table(rows, { limit: 10 });
 * await show.histogram(sample, { title: 'a normal sample' });
 * ```
 * @packageDocumentation
 */
export {
  barSpec,
  type ChartOptions,
  type ChartSpec,
  type FieldType,
  type HistogramOptions,
  histogramSpec,
  lineSpec,
  loadVega,
  MissingChartPackagesError,
  renderSvg,
  scatterSpec,
  type XYOptions,
} from './charts.js';
export { escapeHtml, formatCell, type HtmlTableOptions, htmlTable } from './html-table.js';
export { type NotebookDisplay, NotInKernelError, tslabDisplay } from './kernel-display.js';
export { createShow, type Show, show } from './show.js';
export {
  type ArrowConvertible,
  type TabularData,
  type TabularView,
  tabularView,
  toRecords,
} from './tabular.js';
