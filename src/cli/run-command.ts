/**
 * Runs one command once `main` has found it: parses its options, checks its outputs, runs it and
 * turns its errors into messages and exit codes. A module of its own, imported when a command
 * runs, so that its static imports of the library are all the bundle loads at start-up.
 */
import { createPhases, createProgress, EddyError, UsageError } from '../index.js';
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
  let phases: ReturnType<typeof createPhases> | undefined;
  try {
    const command = await entry.load();
    const parsed = parseCommandArguments(command, rest);
    if (parsed.help) {
      stdout.write(commandHelp(command));
      return ExitCode.ok;
    }
    await probeOutputs(command, parsed.options);
    phases = createPhases({ stream: stderr, quiet: parsed.quiet });
    const running = phases;
    // What a command writes on stderr (a summary, a warning), or on stdout when that is the same
    // terminal, gets a line of its own, not the end of a phase's line.
    const interrupting = <S extends NodeJS.WritableStream>(stream: S): S =>
      new Proxy(stream, {
        get: (target, property) =>
          property === 'write'
            ? (...args: Parameters<S['write']>) => {
                let result = true;
                running.interrupt(() => {
                  result = (target.write as (...a: Parameters<S['write']>) => boolean)(...args);
                });
                return result;
              }
            : Reflect.get(target, property),
      });
    const context: CommandContext = {
      positionals: parsed.positionals,
      options: parsed.options,
      given: parsed.given,
      stdin: streams.stdin,
      stdout: (stdout as { isTTY?: boolean }).isTTY ? interrupting(stdout) : stdout,
      stderr: interrupting(stderr),
      quiet: parsed.quiet,
      progress: (options) => createProgress({ ...options, stream: stderr, quiet: parsed.quiet }),
      phase: (label) => running.next(label),
    };
    await command.run(context);
    phases.next();
    return ExitCode.ok;
  } catch (error) {
    phases?.abandon();
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
