import { describe, expect, it } from 'vitest';
import { EddyError, formatLocation, InputError, ParamError } from '../../src/core/errors.js';

describe('errors', () => {
  it('formats InputError as file:line:column with the text and what was expected', () => {
    const error = new InputError('bad vertex id', {
      file: 'edges.tsv',
      line: 12,
      column: 5,
      text: 'x7',
      expected: 'an integer',
    });
    expect(error.message).toBe('edges.tsv:12:5: bad vertex id: got "x7", expected an integer');
    expect(error).toBeInstanceOf(EddyError);
    expect(error.name).toBe('InputError');
    expect([error.file, error.line, error.column, error.text]).toEqual(['edges.tsv', 12, 5, 'x7']);
  });

  it('leaves out unknown parts of the location', () => {
    expect(formatLocation({ file: '<stdin>' })).toBe('<stdin>');
    expect(formatLocation({ file: 'a.csv', line: 3 })).toBe('a.csv:3');
    expect(new InputError('empty file', { file: 'a.csv', expected: 'a header line' }).message).toBe(
      'a.csv: empty file: expected a header line',
    );
  });

  it('shortens long offending text', () => {
    const error = new InputError('bad line', { file: 'f', line: 1, text: 'y'.repeat(500) });
    expect(error.message.length).toBeLessThan(100);
    expect(error.text).toHaveLength(500);
  });

  it('names the parameter, its value and what is accepted', () => {
    const error = new ParamError('dampingFactor', 1.5, 'a number in [0, 1)');
    expect(error.message).toBe(
      "invalid value for parameter 'dampingFactor': 1.5; expected a number in [0, 1)",
    );
    expect(error.param).toBe('dampingFactor');
    expect(new ParamError('init', 'kmeans', "'k-means++' or 'random'").message).toContain('"kmeans"');
  });
});
