import type { CommandSpec } from '../command.js';
import { kmeansStreamCommand } from './kmeans-stream.js';

/** Every `eddy` sub-command, in the order `eddy --help` lists them. */
export const commands: readonly CommandSpec[] = [kmeansStreamCommand];
