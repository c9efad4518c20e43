import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/core/progress.js';

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
