import type { CommandContext, CommandEntry } from './command.js';
import { commands as registeredCommands } from './commands/index.js';
import { commandHelp, mainHelp } from './help.js';
import { didYouMean } from './suggest.js';
import { packageVersion } from './version.js';

/** The streams a CLI run reads and writes; tests pass their own. */
export interface CliStreams {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** Exit codes: 0 success, 1 runtime error, 2 bad usage. */
export const ExitCode = { ok: 0, runtimeError: 1, usage: 2 } as const;

function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    // An error from the system (ENOENT...) already names its path; keep its message.
    return error.message;
  }
  return String(error);
}

/**
 * Runs `eddy` with the given arguments (without `node` and the script) and resolves to the
 * exit code. Never calls process.exit, so it can run inside tests.
 */
export async function main(
  argv: readonly string[],
  streams: CliStreams = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
  commands: readonly CommandEntry[] = registeredCommands,
): Promise<number> {
  const { stdout, stderr } = streams;
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const target = first === 'help' ? commands.find((c) => c.name === rest[0]) : undefined;
    stdout.write(target ? commandHelp(await target.load()) : mainHelp(commands, packageVersion()));
    return first === undefined ? ExitCode.usage : ExitCode.ok;
  }
  if (first === '--version' || first === '-v') {
    stdout.write(`${packageVersion()}\n`);
    return ExitCode.ok;
  }
  const entry = commands.find((c) => c.name === first);
  if (!entry) {
    const hint = didYouMean(
      first,
      commands.map((c) => c.name),
    );
    stderr.write(`eddy: unknown command '${first}'${hint}. Run 'eddy --help' for the list of commands.\n`);
    return ExitCode.usage;
  }
  const debug = rest.includes('--debug');
  // The library loads when a command runs, not for `eddy --help`.
  const [
    { createPhases, createProgress, EddyError, UsageError },
    { parseCommandArguments },
    { probeOutputs },
  ] = await Promise.all([import('../index.js'), import('./parse.js'), import('./output-probe.js')]);
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
