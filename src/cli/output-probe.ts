import { AtomicFile } from '../index.js';
import type { CommandSpec, OptionValues } from './command.js';
import { camelCase } from './parse.js';

/**
 * Checks that every output file a command was given can be created, before the command runs:
 * an unwritable `--output` then fails at once, with an OutputError naming it, instead of after
 * minutes of work. The target itself is not touched (only a temporary beside it).
 */
export async function probeOutputs(command: CommandSpec, options: OptionValues): Promise<void> {
  for (const [name, spec] of Object.entries(command.options)) {
    const path = options[camelCase(name)];
    if (spec.writes !== true || typeof path !== 'string' || path === '-') continue;
    await (await AtomicFile.open(path)).abort();
  }
}
