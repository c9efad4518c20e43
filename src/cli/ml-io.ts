import { extname, resolve } from 'node:path';
import {
  type ColumnChoice,
  formatCsvRow,
  getColumn,
  isArrowPath,
  ParamError,
  type ParamSpec,
  readTabularFile,
  Table,
  type TableColumn,
  UsageError,
  writeFileAtomically,
} from '../index.js';
import type { CommandContext, OptionSpec, PositionalSpec } from './command.js';
import { featureOptions } from './feature-options.js';
import { headerOption } from './option-rules.js';
import { writingPhase } from './writing-phase.js';

/**
 * What the ML commands share: reading tabular input (CSV with a header, or Arrow IPC), choosing
 * the feature columns from `--features` / `--ignore`, and writing TSV or Arrow IPC output.
 */

/** The tabular input of the ML commands. */
export const dataPositional: PositionalSpec = {
  name: 'data',
  description:
    'CSV (with a header unless --no-header), or Arrow IPC (.arrow/.feather); - reads CSV from stdin',
};

/** `eddy <estimator> train <data>`. */
export const trainPositionals: readonly PositionalSpec[] = [
  { name: 'action', description: 'train', choices: ['train'] },
  dataPositional,
];

/** `--model FILE`: where a `train` command saves its model. */
export const modelOption: OptionSpec = {
  type: 'string',
  valueName: 'FILE',
  writes: true,
  description: 'where to save the model (required)',
};

/** --model (where a `train` command saves), the feature columns and --weight. */
export const modelTrainingOptions: Record<string, OptionSpec> = {
  model: modelOption,
  ...featureOptions,
  weight: { type: 'string', valueName: 'COL', description: 'a column of sample weights' },
};

/**
 * The options every `train` command shares: --model, the feature columns, --weight and the
 * penalty, with the defaults of the estimator's param specs.
 */
export function trainingOptions(
  specs: { reg: ParamSpec<number> | ParamSpec<number | 'auto'>; elasticNet: ParamSpec<number> },
  elasticNetHelp: string,
): Record<string, OptionSpec> {
  return {
    ...modelTrainingOptions,
    reg: {
      type: 'number',
      default: specs.reg.default,
      min: 0,
      ...(specs.reg.default === 'auto'
        ? { choices: ['auto'], description: "regularization strength (auto: 1 / n, scikit-learn's C = 1)" }
        : { description: 'regularization strength' }),
    },
    'elastic-net': {
      type: 'number',
      default: specs.elasticNet.default,
      min: 0,
      max: 1,
      description: elasticNetHelp,
    },
  };
}

/**
 * `--columns` as column choices: `N` (1-based), `NAME`, `N=NAME` or `OLD=NAME`. An empty item
 * or a column 0 is a usage error.
 */
function columnChoices(text: string): ColumnChoice[] {
  const expected = 'a comma-separated list of column numbers (1-based), names, or N=NAME';
  const position = (item: string): number | string => {
    if (!/^\d+$/.test(item)) return item;
    if (Number(item) < 1) throw new UsageError(`--columns: column numbers start at 1, got '${text}'`);
    return Number(item);
  };
  return text.split(',').map((raw) => {
    const item = raw.trim();
    const renamed = /^([^=]*)=(.*)$/.exec(item);
    if (item === '' || (renamed !== null && (renamed[1].trim() === '' || renamed[2].trim() === ''))) {
      throw new UsageError(`--columns expects ${expected}; got '${text}'`);
    }
    return renamed === null
      ? position(item)
      : { column: position(renamed[1].trim()), name: renamed[2].trim() };
  });
}

/** Whether a column name reads as a number: a header that is probably the first row of data. */
function looksNumeric(name: string): boolean {
  return name.trim() !== '' && Number.isFinite(Number(name));
}

/**
 * Reads the input named by the data argument (`-` is CSV on stdin), with `--header`,
 * `--no-header` and `--columns` when the command has them.
 */
export async function readInput(context: CommandContext, path: string): Promise<Table> {
  const { options, given } = context;
  const header = headerOption(context) ?? true;
  const arrowInput = path !== '-' && isArrowPath(path.replace(/\.gz$/i, ''));
  if (!header && arrowInput) {
    throw new UsageError(`--no-header applies to CSV input; the Arrow file '${path}' names its columns`);
  }
  const columns = typeof options.columns === 'string' ? columnChoices(options.columns) : undefined;
  context.phase(`reading ${path === '-' ? 'stdin' : path}`);
  const frame = await readTabularFile(path, {
    stdin: context.stdin,
    header,
    columns,
  }).catch((error: unknown) => {
    // A list that names a column twice is a mistake on the command line.
    if (error instanceof ParamError && error.param === 'columns') {
      throw new UsageError(`--columns: ${error.accepted}, got ${JSON.stringify(error.value)}`);
    }
    throw error;
  });
  context.phase('computing');
  if (!arrowInput && header && !given.has('header') && frame.names.every(looksNumeric)) {
    warn(
      context,
      `the header of ${frame.source} is all numbers (${frame.names.slice(0, 3).join(', ')}${frame.names.length > 3 ? ', ...' : ''}): ` +
        'if that line is data, add --no-header (--header says it is a header)',
    );
  }
  return frame;
}

function list(value: string | number | boolean | undefined): string[] {
  return typeof value === 'string'
    ? value
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== '')
    : [];
}

/**
 * The feature columns: `--features` as given, or every column except `exclude` (the label, the
 * weight) and `--ignore`. Each named column must exist; numeric checks come with the data.
 */
export function chooseFeatures(
  context: CommandContext,
  frame: Table,
  exclude: readonly string[] = [],
): string[] {
  const ignored = list(context.options.ignore);
  for (const name of [...ignored, ...exclude]) getColumn(frame, name);
  const named = list(context.options.features);
  for (const name of named) getColumn(frame, name, 'feature column');
  const features =
    named.length > 0
      ? named
      : frame.names.filter((name) => !ignored.includes(name) && !exclude.includes(name));
  if (features.length === 0)
    throw new UsageError('no feature columns are left; check --features and --ignore');
  return features;
}

/** The value of a required string option, or a usage error naming it. */
export function requiredOption(context: CommandContext, name: string, kebab: string): string {
  const value = context.options[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${kebab} is required`);
  return value;
}

/**
 * Writes named columns as TSV with a header (stdout, or `--output FILE`), CSV when the output
 * name ends in .csv, or Arrow IPC when it ends in .arrow/.feather.
 */
export async function writeColumns(
  context: CommandContext,
  names: readonly string[],
  columns: readonly TableColumn[],
): Promise<void> {
  writingPhase(context);
  const output = context.options.output;
  const table = Table.fromTypedColumns(names, columns, {
    source: typeof output === 'string' ? output : '<stdout>',
  });
  const rowCount = table.numRows;
  if (typeof output === 'string' && isArrowPath(output)) {
    // Arrow loads only when a command writes Arrow, not at every command's start-up.
    const { tableToIPC } = await import('apache-arrow');
    await writeFileAtomically(output, tableToIPC(table.toArrow(), 'file'));
    return;
  }
  const separator = typeof output === 'string' && extname(output).toLowerCase() === '.csv' ? ',' : '\t';
  const lines: string[] = [formatCsvRow(names, separator)];
  for (let i = 0; i < rowCount; i++) {
    lines.push(
      formatCsvRow(
        columns.map((column) => cell(column, i)),
        separator,
      ),
    );
  }
  const text = `${lines.join('\n')}\n`;
  if (typeof output === 'string' && output !== '-') {
    await writeFileAtomically(output, text);
  } else {
    context.stdout.write(text);
  }
}

function cell(column: TableColumn, row: number): string | number {
  if (column.kind === 'vector') return Array.from(column.values.row(row)).join(',');
  if (column.kind === 'sparse') return Array.from(column.values.denseRow(row)).join(',');
  if (column.kind === 'tokens') return column.values[row].join(' ');
  return column.values[row];
}

/**
 * Refuses `--output` naming the `--model` file: one would overwrite the other (the model read
 * by predict, or the model just saved by train).
 */
export function refuseOutputOverModel(context: CommandContext): void {
  const { output, model } = context.options;
  if (
    typeof output === 'string' &&
    typeof model === 'string' &&
    output !== '-' &&
    resolve(output) === resolve(model)
  ) {
    throw new UsageError(`--output and --model name the same file '${output}'`);
  }
}

/** A one-line note on stderr, unless `--quiet`. */
export function note(context: CommandContext, text: string): void {
  if (!context.quiet) context.stderr.write(`${text}\n`);
}

/** A one-line warning on stderr: shown with `--quiet` too, which hides progress and notes only. */
export function warn(context: CommandContext, text: string): void {
  context.stderr.write(`warning: ${text}\n`);
}

/** What `eddy <estimator> train <data>` reads before it fits. */
export interface TrainingInput {
  label: string;
  modelPath: string;
  /** The sample-weight column, or null. */
  weight: string | null;
  frame: Table;
  /** The feature columns: --features, or every column but the label, the weight and --ignore. */
  featuresCol: string[];
}

/**
 * Checks `train <data>` and the required --label and --model, reads the data, and picks the
 * feature columns; a missing label column is named as such.
 */
export async function readTrainingInput(context: CommandContext): Promise<TrainingInput> {
  // The action is checked with the arguments (it has choices).
  const path = context.positionals[1];
  const label = requiredOption(context, 'label', 'label');
  const modelPath = requiredOption(context, 'model', 'model');
  refuseOutputOverModel(context);
  const weight = typeof context.options.weight === 'string' ? context.options.weight : null;
  const frame = await readInput(context, path);
  getColumn(frame, label, 'label column');
  if (weight !== null) getColumn(frame, weight, 'weight column');
  const featuresCol = chooseFeatures(context, frame, weight === null ? [label] : [label, weight]);
  return { label, modelPath, weight, frame, featuresCol };
}
