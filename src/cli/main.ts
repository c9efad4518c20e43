import type { CommandEntry } from './command.js';
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
  // The library loads when a command runs, not for `eddy --help`.
  const { runCommand } = await import('./run-command.js');
  return runCommand(entry, rest, streams);
}
