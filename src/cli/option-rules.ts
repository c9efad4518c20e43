import { UsageError } from '../index.js';
import type { CommandContext } from './command.js';

/** `dampingFactor` as the user typed it: `--damping-factor`. */
export function flag(name: string): string {
  return `--${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

/**
 * What `--header` / `--no-header` say about the first line: true (it names the columns), false
 * (it is data), or undefined (neither given: the input's default). Both is a usage error.
 */
export function headerOption(context: CommandContext): boolean | undefined {
  const { header, noHeader } = context.options;
  if (header === true && noHeader === true) {
    throw new UsageError('--header and --no-header contradict each other; give one');
  }
  return header === true ? true : noHeader === true ? false : undefined;
}

/**
 * Refuses, as a usage error, the first of `names` (camelCase options) given on the command
 * line: they do not apply in the mode the command runs in, and ignoring them would hide a
 * mistake. `why` ends the message: "--seed applies to --solver sgd only".
 */
export function refuseOptions(context: CommandContext, names: readonly string[], why: string): void {
  const given = names.find((name) => context.given.has(name));
  if (given !== undefined) throw new UsageError(`${flag(given)} ${why}`);
}
