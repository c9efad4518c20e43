import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { ParamError } from '../../src/core/errors.js';
import { readEdgeList } from '../../src/graph/edge-list-reader.js';
import { VertexDictionary } from '../../src/graph/vertex-dictionary.js';
import { formatForPath, writeEdgeList, writeVertexTable } from '../../src/graph/writers.js';

async function captured(write: (stream: PassThrough) => Promise<void>): Promise<string> {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  await write(stream);
  return Buffer.concat(chunks).toString('utf8');
}

const directory = mkdtempSync(join(tmpdir(), 'eddy-write-'));

describe('writeVertexTable', () => {
  const strings = VertexDictionary.fromStrings(['alice', 'b,ob', 'ca"rol']);

  it('writes keys as read, then the values, as TSV or CSV', async () => {
    const ranks = Float64Array.from([0.25, 0.5, 1 / 3]);
    const tsv = await captured((s) =>
      writeVertexTable(s, VertexDictionary.fromKeys([7, 10, 3]), { rank: ranks, label: ['x', 'y', 'z'] }),
    );
    expect(tsv).toBe(`3\t0.25\tx\n7\t0.5\ty\n10\t${1 / 3}\tz\n`);
    const csv = await captured((s) =>
      writeVertexTable(s, strings, { rank: ranks }, { format: 'csv', header: true, order: [2, 0] }),
    );
    expect(csv).toBe(`vertex,rank\n"ca""rol",${1 / 3}\nalice,0.25\n`);
  });

  it('writes Arrow IPC with the key column first', async () => {
    const path = join(directory, 'ranks.arrow');
    await writeVertexTable(path, strings, { rank: Float64Array.from([1, 2, 3]) });
    const table = tableFromIPC(readFileSync(path));
    expect(table.schema.fields.map((f) => f.name)).toEqual(['vertex', 'rank']);
    expect(table.getChild('vertex')!.toArray()).toEqual(['alice', 'b,ob', 'ca"rol']);
    expect(Array.from(table.getChild('rank')!.toArray() as Float64Array)).toEqual([1, 2, 3]);
  });

  it('refuses columns of the wrong length and keys TSV cannot hold', async () => {
    await expect(writeVertexTable(new PassThrough(), strings, { rank: new Float64Array(2) })).rejects.toThrow(
      ParamError,
    );
    await expect(
      writeVertexTable(new PassThrough(), VertexDictionary.fromStrings(['a\tb']), { x: [1] }),
    ).rejects.toThrow(/without tabs/);
  });
});

describe('writeEdgeList', () => {
  it('round-trips integer and string edge lists with weights through a file', async () => {
    for (const text of ['5\t1\n1\t5\n9\t5\n', 'x\ty\t0.5\ny\tz\t-2\n']) {
      const list = await readEdgeList(Buffer.from(text));
      const path = join(directory, 'edges.tsv');
      await writeEdgeList(path, list);
      expect(readFileSync(path, 'utf8')).toBe(text);
    }
  });

  it('writes CSV with a header and Arrow tables', async () => {
    const list = await readEdgeList(Buffer.from('1 2 3\n2 1 4\n'));
    expect(await captured((s) => writeEdgeList(s, list, { format: 'csv', header: true }))).toBe(
      'source,target,weight\n1,2,3\n2,1,4\n',
    );
    const path = join(directory, 'edges.arrow');
    await writeEdgeList(path, list);
    const table = tableFromIPC(readFileSync(path));
    expect(Array.from(table.getChild('source')!.toArray() as Int32Array)).toEqual([1, 2]);
    expect(Array.from(table.getChild('weight')!.toArray() as Float64Array)).toEqual([3, 4]);
  });

  it('picks the format from the output name', () => {
    expect(formatForPath('a.arrow')).toBe('arrow');
    expect(formatForPath('a.FEATHER')).toBe('arrow');
    expect(formatForPath('a.csv')).toBe('csv');
    expect(formatForPath('a.tsv')).toBe('tsv');
    expect(formatForPath(undefined)).toBe('tsv');
  });
});
