/**
 * Runs one command once `main` has found it: parses its options, checks its outputs, runs it and
 * turns its errors into messages and exit codes. A module of its own, imported when a command
 * runs, so that its static imports of the library are all the bundle loads at start-up.
 */
import { createProgress, EddyError, UsageError } from '../index.js';
import type { CommandContext, CommandEntry } from './command.js';
import { commandHelp } from './help.js';
import { type CliStreams, ExitCode } from './main.js';
import { probeOutputs } from './output-probe.js';
import { parseCommandArguments } from './parse.js';

function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    // An error from the system (ENOENT...) already names its path; keep its message.
    return error.message;
  }
  return String(error);
}

/** Runs `entry` with the arguments after its name and resolves to the exit code. */
export async function runCommand(
  entry: CommandEntry,
  rest: readonly string[],
  streams: CliStreams,
): Promise<number> {
  const { stdout, stderr } = streams;
  const debug = rest.includes('--debug');
  try {
    const command = await entry.load();
    const parsed = parseCommandArguments(command, rest);
    if (parsed.help) {
      stdout.write(commandHelp(command));
      return ExitCode.ok;
    }
    await probeOutputs(command, parsed.options);
    const context: CommandContext = {
      positionals: parsed.positionals,
      options: parsed.options,
      given: parsed.given,
      stdin: streams.stdin,
      stdout,
      stderr,
      quiet: parsed.quiet,
      progress: (options) => createProgress({ ...options, stream: stderr, quiet: parsed.quiet }),
    };
    await command.run(context);
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof UsageError) {
      stderr.write(`eddy ${entry.name}: ${error.message}. Run 'eddy ${entry.name} --help' for usage.\n`);
      return ExitCode.usage;
    }
    const shown = debug && error instanceof Error && error.stack ? error.stack : errorMessage(error);
    stderr.write(`eddy ${entry.name}: ${shown}\n`);
    if (!(error instanceof EddyError) && !debug && !(error as NodeJS.ErrnoException)?.code) {
      stderr.write('(an internal error: run again with --debug for the stack trace)\n');
    }
    return ExitCode.runtimeError;
  }
}
