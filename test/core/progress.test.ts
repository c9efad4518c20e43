import { describe, expect, it } from 'vitest';
import { createPhases, createProgress } from '../../src/core/progress.js';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, writes, write: (text: string) => writes.push(text) };
}

describe('progress', () => {
  it('draws nothing when the stream is not a terminal', () => {
    const stream = fakeStream(false);
    const progress = createProgress({ label: 'reading', stream });
    progress.update(10);
    progress.finish();
    expect(progress.enabled).toBe(false);
    expect(stream.writes).toEqual([]);
  });

  it('draws nothing when quiet, even on a terminal', () => {
    const stream = fakeStream(true);
    createProgress({ label: 'reading', stream, quiet: true }).update(5);
    expect(stream.writes).toEqual([]);
  });

  it('draws a throttled self-overwriting line with percentage, rate and note', () => {
    const stream = fakeStream(true);
    let time = 0;
    const progress = createProgress({
      label: 'reading',
      total: 200,
      unit: 'edges',
      stream,
      now: () => time,
      intervalMs: 100,
    });
    time = 1000;
    progress.update(50, 'chunk 1');
    time = 1050;
    progress.update(60);
    time = 2000;
    progress.update(100);
    progress.finish('done');
    expect(stream.writes).toHaveLength(3);
    expect(stream.writes[0]).toBe('\r\x1b[Kreading: 50/200 (25%) edges, 50/s, chunk 1');
    expect(stream.writes[2]).toBe('\r\x1b[Kreading: 100/200 (50%) edges, 50/s, done\n');
  });
});

describe('createPhases', () => {
  it("draws each phase's name while it runs; a phase of a second or more stays with its seconds", () => {
    const stream = fakeStream(true);
    let time = 0;
    const phases = createPhases({ stream, now: () => time });
    phases.next('building the graph index');
    time = 400;
    phases.next('computing');
    time = 2900;
    phases.next();
    expect(stream.writes.join('')).toBe(
      '\r\x1b[Kbuilding the graph index ...' +
        '\r\x1b[K' +
        '\r\x1b[Kcomputing ...' +
        '\r\x1b[Kcomputing: 2.5 s\n',
    );
    // Ended: nothing more to end.
    phases.next();
    expect(stream.writes).toHaveLength(4);
  });

  it('gives a message its own line and draws the phase again after it; abandon clears the line', () => {
    const stream = fakeStream(true);
    const phases = createPhases({ stream, now: () => 0 });
    phases.interrupt(() => stream.write('before any phase\n'));
    phases.next('computing');
    phases.interrupt(() => stream.write('a summary\n'));
    phases.abandon();
    expect(stream.writes.join('')).toBe(
      'before any phase\n\r\x1b[Kcomputing ...\r\x1b[Ka summary\ncomputing ...\r\x1b[K',
    );
  });

  it('draws nothing when the stream is not a terminal, or with quiet', () => {
    for (const [isTTY, quiet] of [
      [false, false],
      [true, true],
    ]) {
      const stream = fakeStream(isTTY);
      const phases = createPhases({ stream, quiet });
      phases.next('computing');
      phases.interrupt(() => stream.write('note\n'));
      phases.next();
      phases.abandon();
      expect(stream.writes).toEqual(['note\n']);
    }
  });
});
