import type { TopLevelSpec } from 'vega-lite';
import { EddyError, ParamError } from '../core/errors.js';
import { type TabularData, toRecords } from './tabular.js';

/** A Vega-Lite specification (https://vega.github.io/vega-lite/docs/spec.html). */
export type ChartSpec = TopLevelSpec;

/** How a field is read on an axis: Vega-Lite's measurement types. */
export type FieldType = 'quantitative' | 'nominal' | 'ordinal' | 'temporal';

/** Options shared by the chart helpers. */
export interface ChartOptions {
  /** Title above the chart. */
  title?: string;
  /** Width of the plotting area in pixels (default 400). */
  width?: number;
  /** Height of the plotting area in pixels (default 250). */
  height?: number;
}

/** Options of {@link barSpec}, {@link lineSpec} and {@link scatterSpec}: which columns go where. */
export interface XYOptions extends ChartOptions {
  /** Column on the horizontal axis. */
  x: string;
  /** Column on the vertical axis. */
  y: string;
  /** Column whose values colour the marks (one series per value). */
  color?: string;
  /** Measurement type of `x` (default: read from the first row: numbers quantitative, dates temporal, else nominal). */
  xType?: FieldType;
  /** Measurement type of `y` (default: as for `xType`). */
  yType?: FieldType;
}

/** Options of {@link histogramSpec}. */
export interface HistogramOptions extends ChartOptions {
  /** Upper bound on the number of (nicely rounded) bins (default 30). */
  maxBins?: number;
  /** Name of the values, used as the axis title (default "value"). */
  label?: string;
}

const DEFAULT_WIDTH = 400;
const DEFAULT_HEIGHT = 250;

function frame(options: ChartOptions): { title?: string; width: number; height: number } {
  const width = options.width ?? DEFAULT_WIDTH;
  const height = options.height ?? DEFAULT_HEIGHT;
  if (!(width > 0)) throw new ParamError('width', width, 'a positive number of pixels');
  if (!(height > 0)) throw new ParamError('height', height, 'a positive number of pixels');
  return options.title === undefined ? { width, height } : { title: options.title, width, height };
}

function inferType(value: unknown): FieldType {
  if (typeof value === 'number' || typeof value === 'bigint') return 'quantitative';
  if (value instanceof Date) return 'temporal';
  return 'nominal';
}

/** Records for an x/y chart, after checking that the named columns exist. */
function xyData(data: TabularData, options: XYOptions): Record<string, unknown>[] {
  const values = toRecords(data);
  const wanted = [options.x, options.y, ...(options.color === undefined ? [] : [options.color])];
  if (values.length > 0) {
    for (const field of wanted) {
      if (!(field in values[0])) {
        throw new ParamError(
          field === options.x ? 'x' : field === options.y ? 'y' : 'color',
          field,
          `one of the data's columns: ${Object.keys(values[0]).join(', ')}`,
        );
      }
    }
  }
  return values;
}

function xyEncoding(values: Record<string, unknown>[], options: XYOptions, defaultX: FieldType | null) {
  const first = values[0] ?? {};
  return {
    x: { field: options.x, type: options.xType ?? defaultX ?? inferType(first[options.x]) },
    y: { field: options.y, type: options.yType ?? inferType(first[options.y]) },
    ...(options.color === undefined ? {} : { color: { field: options.color, type: 'nominal' as const } }),
  };
}

/**
 * A bar per row: categories (`x`, nominal by default) against a quantity (`y`). The bars keep
 * the order of the rows (Vega-Lite would sort categories by name), so a ranking stays ranked.
 */
export function barSpec(data: TabularData, options: XYOptions): ChartSpec {
  const values = xyData(data, options);
  const encoding = xyEncoding(values, options, 'nominal');
  return {
    ...frame(options),
    data: { values },
    mark: 'bar',
    encoding: { ...encoding, x: { ...encoding.x, sort: null } },
  } as ChartSpec;
}

/** A line through the rows in `x` order, one line per value of `color`. */
export function lineSpec(data: TabularData, options: XYOptions): ChartSpec {
  const values = xyData(data, options);
  return {
    ...frame(options),
    data: { values },
    mark: { type: 'line', point: values.length <= 50 },
    encoding: xyEncoding(values, options, null),
  } as ChartSpec;
}

/** A point per row, coloured by `color` (e.g. cluster labels). */
export function scatterSpec(data: TabularData, options: XYOptions): ChartSpec {
  const values = xyData(data, options);
  return {
    ...frame(options),
    data: { values },
    mark: { type: 'point', filled: true },
    encoding: xyEncoding(values, options, null),
  } as ChartSpec;
}

/** The distribution of a sample: counts of values in nicely rounded bins. */
export function histogramSpec(values: ArrayLike<number>, options: HistogramOptions = {}): ChartSpec {
  const maxBins = options.maxBins ?? 30;
  if (!Number.isInteger(maxBins) || maxBins < 1)
    throw new ParamError('maxBins', maxBins, 'a positive integer');
  const label = options.label ?? 'value';
  const records = Array.from({ length: values.length }, (_, i) => ({ [label]: values[i] }));
  return {
    ...frame(options),
    data: { values: records },
    mark: 'bar',
    encoding: {
      x: { field: label, type: 'quantitative', bin: { maxbins: maxBins } },
      y: { aggregate: 'count', type: 'quantitative', title: 'count' },
    },
  } as ChartSpec;
}

/**
 * Renders a Vega-Lite spec to an SVG document, headless: Vega's scenegraph is drawn by its
 * SVG string renderer, so no browser or canvas is involved. Vega is loaded on first use
 * (its module graph has top-level await, so it cannot be part of a `require`d graph, and a
 * table-only notebook never pays for it).
 */
export async function renderSvg(spec: ChartSpec): Promise<string> {
  const [vega, vegaLite] = await loadVega();
  const compiled = vegaLite.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Thrown when a chart is drawn without vega and vega-lite: they are optional peer dependencies
 * of eddy, needed by `eddy/notebook`'s charts only, so an install of eddy alone lacks them.
 */
export class MissingChartPackagesError extends EddyError {
  constructor(cause: unknown) {
    super(
      'eddy/notebook: charts need the packages vega and vega-lite, which are not installed; ' +
        'run: npm install vega vega-lite',
    );
    this.cause = cause;
  }
}

/**
 * Imports vega and vega-lite (`load` stands in for the import in tests); a missing package
 * becomes a {@link MissingChartPackagesError} that says what to install.
 */
export async function loadVega(
  load: () => Promise<[typeof import('vega'), typeof import('vega-lite')]> = () =>
    Promise.all([import('vega'), import('vega-lite')]),
): Promise<[typeof import('vega'), typeof import('vega-lite')]> {
  try {
    return await load();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND')
      throw new MissingChartPackagesError(error);
    throw error;
  }
}
