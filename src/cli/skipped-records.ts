/**
 * The report of malformed records a stream command skipped (`--skip-invalid`): how many, and
 * the first messages, on stderr.
 */
import type { CommandContext } from './command.js';

/** Messages shown; the rest are counted. */
const MAX_REPORTED = 10;

/**
 * Tells stderr how many invalid records were skipped (`total`, some of them perhaps in an
 * earlier run) and the first of `messages` (those of this run).
 */
export function reportSkipped(
  context: CommandContext,
  command: string,
  total: number,
  messages: readonly string[],
  what: string,
): void {
  if (total === 0) return;
  const shown = messages.slice(0, MAX_REPORTED).join('\n  ');
  const more = messages.length > MAX_REPORTED ? `\n  ... and ${messages.length - MAX_REPORTED} more` : '';
  context.stderr.write(
    `eddy ${command}: skipped ${total} invalid ${what}${total === 1 ? '' : 's'}${shown ? `:\n  ${shown}` : ''}${more}\n`,
  );
}
