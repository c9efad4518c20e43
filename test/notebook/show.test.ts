import { describe, expect, it } from 'vitest';
import { NotInKernelError } from '../../src/notebook/kernel-display.js';
import { createShow, show } from '../../src/notebook/show.js';

function recordingShow() {
  const shown: { contentType: string; content: string }[] = [];
  const display = { raw: (contentType: string, content: string) => shown.push({ contentType, content }) };
  return { shown, show: createShow(() => display) };
}

describe('show', () => {
  it('displays tables and raw HTML as text/html, returning nothing', () => {
    const { shown, show } = recordingShow();
    expect(show.table([{ a: '<x>' }], { limit: 1 })).toBeUndefined();
    show.html('<b>bold</b>');
    expect(shown.map((s) => s.contentType)).toEqual(['text/html', 'text/html']);
    expect(shown[0].content).toContain('<td>&lt;x&gt;</td>');
    expect(shown[1].content).toBe('<b>bold</b>');
  });

  it('displays every chart kind as one image/svg+xml document', async () => {
    const { shown, show } = recordingShow();
    const rows = [
      { x: 1, y: 2, s: 'p' },
      { x: 2, y: 3, s: 'q' },
    ];
    await show.bar(rows, { x: 's', y: 'y' });
    await show.line(rows, { x: 'x', y: 'y' });
    await show.scatter(rows, { x: 'x', y: 'y', color: 's' });
    await show.histogram([1, 2, 2, 3]);
    await show.chart({
      data: { values: rows },
      mark: 'point',
      encoding: { x: { field: 'x', type: 'quantitative' } },
    });
    expect(shown).toHaveLength(5);
    for (const { contentType, content } of shown) {
      expect(contentType).toBe('image/svg+xml');
      expect(content).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"[\s\S]*<\/svg>$/);
    }
  });

  it('outside the tslab kernel, says so and points to the string-returning functions', () => {
    expect(() => show.table([{ a: 1 }])).toThrow(NotInKernelError);
    expect(() => show.html('x')).toThrow(/outside a running tslab kernel.*htmlTable\(\) and renderSvg\(\)/);
  });
});
