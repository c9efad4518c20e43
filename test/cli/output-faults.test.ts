/**
 * Faults on the way out: for every command that writes a file, an unwritable target, a full
 * device, a file-size limit hit while writing over a previous file (a full file system without
 * mounting one: `ulimit -f 0` makes every write of a regular file fail, with SIGXFSZ ignored)
 * and a directory removed while the command runs. Each ends with exit code 1, a message naming
 * the path, no temporary file left and the previous file as it was. Runs the built CLI.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = 'dist/src/cli/bin.js';
const iris = 'test/fixtures/ml/iris.csv';
const lesmis = 'data/lesmis.tsv';
const root = mkdtempSync(join(tmpdir(), 'eddy-output-faults-'));
const models = join(root, 'models');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Collects a child's output and exit status. */
function finished(child: ChildProcess): Promise<Run> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

/** Runs the built CLI; with `sizeLimit`, under `ulimit -f 0` (every write of a file fails). */
function eddy(args: readonly string[], options: { sizeLimit?: boolean } = {}): Promise<Run> {
  const child = options.sizeLimit
    ? spawn('bash', ['-c', 'trap "" XFSZ; ulimit -f 0; exec node "$@"', 'bash', bin, ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
      })
    : spawn('node', [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  return finished(child);
}

let device: string | undefined;
/** A device that refuses every write: a private copy of /dev/full where we may make one. */
function fullDevice(): string {
  if (device === undefined) {
    const copy = join(root, 'full');
    const made =
      process.getuid?.() === 0 && spawnSync('mknod', ['-m', '666', copy, 'c', '1', '7']).status === 0;
    device = made ? copy : '/dev/full';
  }
  return device;
}

/** A command that writes the file given by `option`, with the arguments that make it do so. */
interface Writer {
  name: string;
  args: (target: string) => string[];
  /** Other files the command writes before the target (train's model before its --output). */
  writesFirst?: boolean;
}

const graphCommands: [string, string[]][] = [
  ['pagerank', []],
  ['hits', []],
  ['components', []],
  ['sssp', ['--source', 'Valjean']],
  ['label-propagation', []],
  ['community-detection', []],
  ['triangles', []],
  ['clustering-coefficient', []],
  ['jaccard', []],
  ['adamic-adar', []],
];

const kmeansIris = ['kmeans', iris, '--k', '3', '--ignore', 'species', '-q'];
const linearTrain = [
  'linear-regression',
  'train',
  iris,
  '--label',
  'petal_width_cm',
  '--ignore',
  'species',
  '-q',
];
const logisticTrain = ['logistic-regression', 'train', iris, '--label', 'species', '-q'];
const mlpTrain = ['mlp', 'train', iris, '--label', 'species', '--hidden', '2', '--epochs', '1', '-q'];

const writers: Writer[] = [
  ...graphCommands.map(([name, flags]) => ({
    name: `${name} --output`,
    args: (target: string) => [name, lesmis, ...flags, '--output', target],
  })),
  {
    name: 'generate --output',
    args: (target) => ['generate', 'cycle', '--vertex-count', '300', '--output', target],
  },
  { name: 'kmeans --output', args: (target) => [...kmeansIris, '--output', target] },
  { name: 'kmeans --model', args: (target) => [...kmeansIris, '--model', target] },
  {
    name: 'predict --output',
    args: (target) => ['predict', iris, '--model', join(models, 'kmeans.json'), '--output', target],
  },
  { name: 'linear-regression --model', args: (target) => [...linearTrain, '--model', target] },
  {
    name: 'linear-regression --output',
    writesFirst: true,
    args: (target) => [
      ...linearTrain,
      '--model',
      join(root, `linear-${basename(target)}.json`),
      '--output',
      target,
    ],
  },
  { name: 'logistic-regression --model', args: (target) => [...logisticTrain, '--model', target] },
  {
    name: 'logistic-regression --output',
    writesFirst: true,
    args: (target) => [
      ...logisticTrain,
      '--model',
      join(root, `logistic-${basename(target)}.json`),
      '--output',
      target,
    ],
  },
  { name: 'mlp --model', args: (target) => [...mlpTrain, '--model', target] },
  {
    name: 'mlp --output',
    writesFirst: true,
    args: (target) => [
      ...mlpTrain,
      '--model',
      join(root, `mlp-${basename(target)}.json`),
      '--output',
      target,
    ],
  },
];

beforeAll(async () => {
  expect(existsSync(bin), 'dist/ is missing: run npm run build').toBe(true);
  mkdirSync(models);
  const saved = await eddy([...kmeansIris, '--model', join(models, 'kmeans.json')]);
  expect(saved.status).toBe(0);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

let runs = 0;
function freshDirectory(): string {
  const directory = join(root, `run-${runs++}`);
  mkdirSync(directory);
  return directory;
}

// Each case runs its own processes on its own files: they run side by side.
describe.concurrent.each(writers)('$name', (writer) => {
  it('an unwritable target: exit 1, the path named, nothing written', async () => {
    const arrow = /^(kmeans|predict|generate|jaccard|pagerank) --output$/.test(writer.name);
    for (const target of arrow
      ? ['/no/such/dir/out.tsv', '/no/such/dir/out.arrow']
      : ['/no/such/dir/out.tsv']) {
      const run = await eddy(writer.args(target));
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`cannot write ${target}: no such directory`);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });

  it('a full device: exit 1, the path named, the device left a device', async () => {
    const device = fullDevice();
    const run = await eddy(writer.args(device));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`cannot write ${device}: no space left on the device`);
    expect(statSync(device).isCharacterDevice()).toBe(true);
  });

  it('a write that fails over a previous file: exit 1, the previous file intact, no temporary left', async () => {
    const directory = freshDirectory();
    const target = join(directory, 'result.tsv');
    writeFileSync(target, 'previous content\n');
    const run = await eddy(writer.args(target), { sizeLimit: true });
    expect(run.status).toBe(1);
    // A train command saves its model first: that write is the one that fails.
    expect(run.stderr).toMatch(writer.writesFirst ? /cannot write \S+\.json: / : `cannot write ${target}: `);
    expect(run.stderr).toContain('the file would exceed the size limit');
    expect(readFileSync(target, 'utf8')).toBe('previous content\n');
    expect(readdirSync(directory)).toEqual(['result.tsv']);
  });
});

/** Spawns the CLI with `input` on stdin and removes `directory` once the command has read most of it. */
async function removeDirectoryMidRun(
  args: readonly string[],
  input: string,
  directory: string,
): Promise<Run> {
  const child = spawn('node', [bin, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const run = finished(child);
  // The input is much larger than a pipe's buffer: the write completes only once the command
  // (past its start-up and its output check) is reading it.
  await new Promise<void>((resolve, reject) =>
    child.stdin!.write(input, (error) => (error ? reject(error) : resolve())),
  );
  rmSync(directory, { recursive: true });
  child.stdin!.end();
  return run;
}

function edgeInput(): string {
  const lines: string[] = [];
  for (let i = 0; i < 60_000; i++) lines.push(`${i % 5000}\t${(i * 7919) % 5000}`);
  return `${lines.join('\n')}\n`;
}

function csvInput(): string {
  const lines = ['x,y'];
  for (let i = 0; i < 40_000; i++) lines.push(`${(i % 97) / 7},${((i * 31) % 89) / 5}`);
  return `${lines.join('\n')}\n`;
}

describe('a directory removed while the command reads its input', () => {
  const cases: [string, (directory: string) => string[], () => string][] = [
    ['pagerank', (d) => ['pagerank', '-', '--output', join(d, 'out.tsv')], edgeInput],
    ['jaccard', (d) => ['jaccard', '-', '--output', join(d, 'out.arrow')], edgeInput],
    ['kmeans', (d) => ['kmeans', '-', '--k', '2', '-q', '--output', join(d, 'out.tsv')], csvInput],
    [
      'linear-regression',
      (d) => ['linear-regression', 'train', '-', '--label', 'y', '-q', '--model', join(d, 'model.json')],
      csvInput,
    ],
    [
      'predict',
      (d) => ['predict', '-', '--model', join(models, 'xy.json'), '--output', join(d, 'out.tsv')],
      csvInput,
    ],
  ];

  beforeAll(async () => {
    const data = join(root, 'xy.csv');
    writeFileSync(data, csvInput());
    expect((await eddy(['kmeans', data, '--k', '2', '-q', '--model', join(models, 'xy.json')])).status).toBe(
      0,
    );
  });

  it.each(cases)('%s: exit 1, the path named, no file appears', async (_, args, input) => {
    const directory = freshDirectory();
    const run = await removeDirectoryMidRun(args(directory), input(), directory);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`cannot write ${directory}/`);
    expect(run.stderr).toContain('no such directory');
    expect(existsSync(directory)).toBe(false);
  });

  it('generate (no input to hold it): removed once its temporary file appears, mid-write', async () => {
    const directory = freshDirectory();
    const child = spawn(
      'node',
      [bin, 'generate', 'rmat', '--scale', '16', '--output', join(directory, 'rmat.tsv')],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const run = finished(child);
    let exited = false;
    child.on('close', () => (exited = true));
    // The edge list (a million lines) is written through a temporary beside the target.
    while (!exited && !readdirSync(directory).some((name) => name.includes('.eddy-tmp-'))) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    rmSync(directory, { recursive: true });
    const { status, stderr } = await run;
    expect(status).toBe(1);
    expect(stderr).toContain(`cannot write ${join(directory, 'rmat.tsv')}: no such directory`);
    expect(existsSync(directory)).toBe(false);
  });
});

describe('standard output', () => {
  it('a full device behind stdout is one line and exit 1', () => {
    const device = fullDevice();
    for (const args of [
      ['pagerank', lesmis],
      ['kmeans', iris, '--k', '3', '--ignore', 'species', '-q'],
    ]) {
      const run = spawnSync('bash', ['-c', 'exec node "$@" > "$DEVICE"', 'bash', bin, ...args], {
        encoding: 'utf8',
        env: { ...process.env, DEVICE: device },
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toBe(
        'eddy: cannot write to standard output: ENOSPC: no space left on device, write\n',
      );
    }
  });
});
