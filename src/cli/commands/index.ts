import type { CommandSpec } from '../command.js';
import generate from './generate.js';
import pagerank from './pagerank.js';

/** Every `eddy` sub-command, in the order `eddy --help` lists them. */
export const commands: readonly CommandSpec[] = [generate, pagerank];
