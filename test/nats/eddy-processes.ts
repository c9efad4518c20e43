/**
 * `eddy` processes of the JetStream command-line tests, started from dist/. After each test,
 * any still running is killed and what it wrote to stderr is shown: a worker that hangs (on a
 * loaded CI machine, say) then says where, instead of the test only timing out.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterEach, expect } from 'vitest';

/** Registers the after-each cleanup; returns how to start `eddy ARGS`. */
export function useEddyProcesses(): (args: string[]) => ChildProcess {
  const running: { child: ChildProcess; args: string[]; stderr: string[] }[] = [];
  afterEach(() => {
    for (const { child, args, stderr } of running.splice(0)) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      child.kill('SIGKILL');
      console.error(`still running after the test, killed: eddy ${args.join(' ')}\n${stderr.join('')}`);
    }
  });
  return (args) => {
    expect(existsSync('dist/src/cli/bin.js'), 'dist/ is missing: run npm run build').toBe(true);
    const child = spawn(process.execPath, ['dist/src/cli/bin.js', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stderr: string[] = [];
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
    running.push({ child, args, stderr });
    return child;
  };
}
