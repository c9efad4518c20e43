import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { VertexDictionary } from '../../src/graph/vertex-dictionary.js';
import { VertexResult } from '../../src/graph/vertex-result.js';

describe('VertexResult', () => {
  const dictionary = VertexDictionary.fromStrings(['a', 'b', 'c']);

  it('iterates, looks up by key and converts to Arrow', () => {
    const result = new VertexResult(dictionary, Float64Array.from([0.5, 0.25, 0.25]));
    expect([...result]).toEqual([
      ['a', 0.5],
      ['b', 0.25],
      ['c', 0.25],
    ]);
    expect(result.get('b')).toBe(0.25);
    expect(result.get('zz')).toBeUndefined();
    const table = result.toTable('rank');
    expect(table.getChild('vertex')!.toArray()).toEqual(['a', 'b', 'c']);
    expect(Array.from(table.getChild('rank')!.toArray() as Float64Array)).toEqual([0.5, 0.25, 0.25]);
  });

  it('gives integer keys an Int32 key column, other numbers Float64', () => {
    const integers = new VertexResult(VertexDictionary.fromKeys([5, 9]), Int32Array.from([1, 2])).toTable();
    expect(String(integers.schema.fields[0].type)).toBe('Int32');
    expect(Array.from(integers.getChild('vertex')!.toArray() as Int32Array)).toEqual([5, 9]);
    const fractions = new VertexResult(VertexDictionary.fromKeys([0.5]), Int32Array.from([1])).toTable();
    expect(String(fractions.schema.fields[0].type)).toBe('Float64');
  });

  it('covers a subset of vertices and writes only those', async () => {
    const subset = new VertexResult(dictionary, ['x', 'y'], Int32Array.from([2, 0]));
    expect(subset.size).toBe(2);
    expect(subset.has('b')).toBe(false);
    expect(subset.get('a')).toBe('y');
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    await subset.write(stream);
    expect(Buffer.concat(chunks).toString()).toBe('c\tx\na\ty\n');
  });
});
