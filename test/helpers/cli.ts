import { PassThrough } from 'node:stream';
import { type CommandSpec, loadedCommand } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';

/** The result of one in-process CLI run. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `eddy` in-process with captured streams; `stdin` is fed from the given text. */
export async function runCli(
  argv: string[],
  options: { stdin?: string; commands?: readonly CommandSpec[] } = {},
): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  stdin.end(options.stdin ?? '');
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const code = await main(argv, { stdin, stdout, stderr }, options.commands?.map(loadedCommand));
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}
