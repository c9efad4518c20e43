import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineCommand } from '../../src/cli/command.js';
import { commands } from '../../src/cli/commands/index.js';
import { InputError } from '../../src/core/errors.js';
import { runCli } from '../helpers/cli.js';

const echo = defineCommand({
  name: 'echo',
  summary: 'prints its options as JSON',
  positionals: [{ name: 'input', description: 'a file' }],
  options: {
    'damping-factor': { type: 'number', default: 0.85, description: 'the damping factor', min: 0, max: 1 },
    'max-iterations': { type: 'integer', default: 100, description: 'iterations at most', min: 1 },
    init: {
      type: 'string',
      default: 'k-means++',
      choices: ['k-means++', 'random'],
      description: 'how to start',
    },
    weighted: { type: 'boolean', description: 'use weights' },
  },
  async run(context) {
    context.stdout.write(
      `${JSON.stringify({ positionals: context.positionals, options: context.options })}\n`,
    );
  },
});
const failing = defineCommand({
  name: 'fail',
  summary: 'fails on purpose',
  options: { internal: { type: 'boolean', description: 'throw a plain Error' } },
  async run(context) {
    if (context.options.internal) throw new TypeError('cannot read x of undefined');
    throw new InputError('bad line', {
      file: 'edges.tsv',
      line: 3,
      column: 2,
      text: 'a b c d',
      expected: '2 or 3 columns',
    });
  },
});
const testCommands = [echo, failing];

describe('eddy CLI', () => {
  it('lists every command with one line in --help', async () => {
    const run = await runCli(['--help'], { commands: testCommands });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ {2}echo +prints its options as JSON$/m);
    expect(run.stdout).toMatch(/^ {2}fail +fails on purpose$/m);
  });

  it('prints usage and exits 2 without a command', async () => {
    const run = await runCli([], { commands: testCommands });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('Usage: eddy <command>');
  });

  it('prints the version', async () => {
    const run = await runCli(['--version']);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('shows each option with its default in <command> --help', async () => {
    const run = await runCli(['echo', '--help'], { commands: testCommands });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: eddy echo <input> [options]');
    expect(run.stdout).toMatch(/--damping-factor N +the damping factor \[default: 0\.85\]/);
    expect(run.stdout).toMatch(
      /--init VALUE +how to start \(k-means\+\+ \| random\) \[default: k-means\+\+\]/,
    );
    expect(run.stdout).toContain('--quiet');
    expect((await runCli(['help', 'echo'], { commands: testCommands })).stdout).toBe(run.stdout);
  });

  it('parses typed options into camelCase with defaults', async () => {
    const run = await runCli(['echo', 'edges.tsv', '--damping-factor', '0.9', '--weighted'], {
      commands: testCommands,
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      positionals: ['edges.tsv'],
      options: { dampingFactor: 0.9, maxIterations: 100, init: 'k-means++', weighted: true },
    });
  });

  it.each([
    [['echo', 'f', '--nope'], /unknown option '--nope'/],
    [['echo', 'f', '--damping-factor', 'abc'], /--damping-factor expects a number; got 'abc'/],
    [['echo', 'f', '--damping-factor', '1.5'], /--damping-factor must be at most 1/],
    [['echo', 'f', '--max-iterations', '2.5'], /expects a whole number/],
    [['echo', 'f', '--init', 'kmeans'], /--init must be one of k-means\+\+, random; got 'kmeans'/],
    [['echo'], /missing argument <input>/],
    [['echo', 'a', 'b'], /unexpected argument 'b'/],
    [['echo', 'f', '--damping-factor'], /argument missing/],
  ])('rejects bad usage %j with exit code 2', async (argv, message) => {
    const run = await runCli(argv, { commands: testCommands });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain("Run 'eddy echo --help'");
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('rejects an unknown command with exit code 2', async () => {
    const run = await runCli(['pagerankk'], { commands: testCommands });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown command 'pagerankk'");
  });

  it('reports a runtime error in one line with exit code 1, stack only with --debug', async () => {
    const run = await runCli(['fail'], { commands: testCommands });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('eddy fail: edges.tsv:3:2: bad line: got "a b c d", expected 2 or 3 columns\n');
    const debug = await runCli(['fail', '--debug'], { commands: testCommands });
    expect(debug.code).toBe(1);
    expect(debug.stderr).toContain('at ');
  });

  it('marks internal errors as such', async () => {
    const run = await runCli(['fail', '--internal'], { commands: testCommands });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('cannot read x of undefined');
    expect(run.stderr).toContain('--debug');
  });

  it('registers commands with unique names, their own summaries and documented options', async () => {
    const names = commands.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const entry of commands) {
      const command = await entry.load();
      expect([command.name, command.summary]).toEqual([entry.name, entry.summary]);
      for (const [name, option] of Object.entries(command.options)) {
        expect(name).toMatch(/^[a-z][a-z0-9-]*$/);
        expect(option.description.length).toBeGreaterThan(0);
      }
    }
  });

  it('runs as the built executable with real exit codes (npm test builds first)', () => {
    expect(existsSync('dist/src/cli/bin.js'), 'dist/ is missing: run npm run build').toBe(true);
    const help = execFileSync('node', ['dist/src/cli/bin.js', '--help'], { encoding: 'utf8' });
    expect(help).toContain('Usage: eddy <command>');
    const unknown = spawnSync('node', ['dist/src/cli/bin.js', 'no-such-command'], { encoding: 'utf8' });
    expect(unknown.status).toBe(2);
  });
});
