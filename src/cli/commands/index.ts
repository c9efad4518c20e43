import type { CommandSpec } from '../command.js';
import generate from './generate.js';
import { kmeansCommand } from './kmeans.js';
import { linearRegressionCommand } from './linear-regression.js';
import { logisticRegressionCommand } from './logistic-regression.js';
import { predictCommand } from './predict.js';

/** Every `eddy` sub-command, in the order `eddy --help` lists them. */
export const commands: readonly CommandSpec[] = [
  generate,
  kmeansCommand,
  linearRegressionCommand,
  logisticRegressionCommand,
  predictCommand,
];
