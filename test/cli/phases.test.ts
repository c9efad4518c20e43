import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { mlFixturePath } from '../helpers/ml-fixtures.js';

/** Runs eddy with stderr (and optionally stdout) posing as a terminal; returns what each got. */
async function onTerminal(args: string[], stdoutIsTerminal = false) {
  const stderr = Object.assign(new PassThrough(), { isTTY: true });
  const stdout = Object.assign(new PassThrough(), { isTTY: stdoutIsTerminal });
  const err: string[] = [];
  const out: string[] = [];
  // Both streams' writes in the order they were made.
  const events: string[] = [];
  const write = (target: PassThrough, into: string[], name: string) => {
    const original = target.write.bind(target) as (chunk: unknown, ...rest: unknown[]) => boolean;
    (target as { write: unknown }).write = (chunk: unknown, ...rest: unknown[]) => {
      into.push(String(chunk));
      events.push(`${name}:${String(chunk)}`);
      return original(chunk, ...rest);
    };
  };
  write(stderr, err, 'stderr');
  write(stdout, out, 'stdout');
  const code = await main(args, { stdin: new PassThrough(), stdout, stderr });
  return { code, stderr: err.join(''), stdout: out.join(''), events };
}

/** `eddy clustering-coefficient data/lesmis.tsv --average` (networkx gives the same: 0.5731367499320135). */
const AVERAGE = 'average\t0.5731367499320135\n';

describe('phases after reading: shown on a terminal, each message on a line of its own', () => {
  it('a graph command shows building the index and computing, then clears them (short phases)', async () => {
    // clustering-coefficient's own progress line (finding triangles) ends with a line end.
    const run = await onTerminal(['clustering-coefficient', 'data/lesmis.tsv', '--average']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('\r\x1b[Kbuilding the graph index ...');
    expect(run.stderr).toContain('\r\x1b[Kcomputing ...');
    // Cleared at the end, or (a phase of a second or more, on a loaded machine) kept with its seconds.
    const end = run.stderr.slice(run.stderr.lastIndexOf('\r\x1b[K') + 4);
    expect(end).toMatch(/^(computing: \d+\.\d s\n)?$/);
    expect(run.stdout).toBe(AVERAGE);
  });

  it('an ML command shows reading, computing and writing; its summary is not glued to a phase line', async () => {
    const run = await onTerminal([
      'logistic-regression',
      'train',
      mlFixturePath('iris.csv'),
      '--label',
      'species',
      '--model',
      `${process.env.TMPDIR ?? '/tmp'}/eddy-phases-model.json`,
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('reading ');
    expect(run.stderr).toContain('\r\x1b[Kcomputing ...');
    // The summary starts a line: after the computing line, or the finished progress line (fitting).
    const before = run.stderr.slice(0, run.stderr.indexOf('logistic regression: 150 rows'));
    expect(before.endsWith('\r\x1b[K')).toBe(true);
    const previous = before.slice(0, -'\r\x1b[K'.length);
    expect(previous.endsWith('\r\x1b[Kcomputing ...') || /fitting: \d+ supersteps.*\n$/.test(previous)).toBe(
      true,
    );
  });

  it('stdout on the same terminal gets lines of its own too', async () => {
    const run = await onTerminal(['clustering-coefficient', 'data/lesmis.tsv', '--average'], true);
    expect(run.stdout).toBe(AVERAGE);
    // The result was written after the computing line was cleared, which is drawn again after it.
    const at = run.events.indexOf(`stdout:${AVERAGE}`);
    // Before it, the computing line or the finished progress line of the triangles it counted.
    const before = run.events[at - 2];
    const finishedProgress =
      before.startsWith('stderr:\r\x1b[Kfinding triangles: 77/77 (100%) vertices') && before.endsWith('\n');
    expect(before === 'stderr:\r\x1b[Kcomputing ...' || finishedProgress, before).toBe(true);
    expect(run.events.slice(at - 1, at + 2)).toEqual([
      'stderr:\r\x1b[K',
      `stdout:${AVERAGE}`,
      'stderr:computing ...',
    ]);
  });

  it('an error replaces the phase line; --quiet and a stderr that is no terminal show no phases', async () => {
    const failed = await onTerminal(['kmeans', '/no/such.csv', '--k', '2']);
    expect(failed.code).toBe(1);
    expect(failed.stderr.startsWith('\r\x1b[Kreading /no/such.csv ...\r\x1b[Keddy kmeans: ')).toBe(true);
    const quiet = await onTerminal(['triangles', 'data/lesmis.tsv', '--count', '-q']);
    expect(quiet.stderr).toBe('');
  });
});
