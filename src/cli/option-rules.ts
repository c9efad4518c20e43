import { UsageError } from '../index.js';
import type { CommandContext } from './command.js';

/** `dampingFactor` as the user typed it: `--damping-factor`. */
export function flag(name: string): string {
  return `--${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
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
