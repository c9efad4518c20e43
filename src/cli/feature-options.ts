import type { OptionSpec } from './command.js';

/**
 * `--header`, `--no-header` and `--columns`: how the ML commands read a CSV's columns, the
 * options the graph commands have for edge lists (`--columns` there takes positions only).
 */
export const tableInputOptions: Record<string, OptionSpec> = {
  header: {
    type: 'boolean',
    description:
      'the first line names the columns (the default for CSV; says so when its names are all numbers)',
  },
  'no-header': {
    type: 'boolean',
    description: 'the first line is data: the columns are named by their 1-based position, 1, 2, ...',
  },
  columns: {
    type: 'string',
    valueName: 'C,C,...',
    description:
      'read only these columns, in order: N (the N-th, 1-based), NAME (by the header; without one, names the column at its place) or N=NAME / OLD=NAME (renamed)',
  },
};

/**
 * The `--features` and `--ignore` options of the ML commands (with how their input is read), in
 * a module of their own so that a command's spec can name them without loading the readers and
 * writers of ml-io.ts.
 */
export const featureOptions: Record<string, OptionSpec> = {
  ...tableInputOptions,
  features: {
    type: 'string',
    valueName: 'A,B,...',
    description:
      'the feature columns (default: every column but the label and ignored ones; all must be numeric)',
  },
  ignore: { type: 'string', valueName: 'A,B,...', description: 'columns to leave out of the features' },
};
