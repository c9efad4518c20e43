import type { CommandContext } from './command.js';

/**
 * Ends the computation's phase and, when the output goes to a file, starts 'writing FILE' (on a
 * terminal, the phase line and lines on stdout would share the screen).
 */
export function writingPhase(context: CommandContext): void {
  const output = context.options.output;
  context.phase(typeof output === 'string' && output !== '-' ? `writing ${output}` : undefined);
}
