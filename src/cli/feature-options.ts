import type { OptionSpec } from './command.js';

/**
 * The `--features` and `--ignore` options of the ML commands, in a module of their own so that
 * a command's spec can name them without loading the readers and writers of ml-io.ts.
 */
export const featureOptions: Record<string, OptionSpec> = {
  features: {
    type: 'string',
    valueName: 'A,B,...',
    description:
      'the feature columns (default: every column but the label and ignored ones; all must be numeric)',
  },
  ignore: { type: 'string', valueName: 'A,B,...', description: 'columns to leave out of the features' },
};
