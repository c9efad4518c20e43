import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { type EdgeList, type EdgeListReadOptions, readEdgeList } from '../../src/graph/edge-list-reader.js';

/** The edges of a read edge list as [source key, target key(, weight)] triples. */
function edgesOf(list: EdgeList): (string | number)[][] {
  return Array.from(list.sources, (s, e) => {
    const edge: (string | number)[] = [list.dictionary.key(s), list.dictionary.key(list.targets[e])];
    if (list.weights) edge.push(list.weights[e]);
    return edge;
  });
}

const read = (text: string, options?: EdgeListReadOptions) => readEdgeList(Buffer.from(text), options);

/** Feeds the text one byte per chunk: every line crosses a chunk boundary. */
const readByteByByte = (text: string, options?: EdgeListReadOptions) =>
  readEdgeList(Readable.from(Array.from(Buffer.from(text), (byte) => Buffer.from([byte]))), options);

describe('readEdgeList', () => {
  it('reads tab, comma and whitespace separated integer edge lists', async () => {
    for (const text of ['1\t2\n2\t3\n3\t1\n', '1,2\n2,3\n3,1', '1 2\n2    3\n  3\t 1  \n']) {
      const list = await read(text);
      expect(edgesOf(list)).toEqual([
        [1, 2],
        [2, 3],
        [3, 1],
      ]);
      expect(list.dictionary.kind).toBe('number');
      expect(list.weights).toBeUndefined();
    }
  });

  it('numbers integer keys ascending', async () => {
    const list = await read('10\t5\n5\t7\n');
    expect(list.dictionary.keys()).toEqual([5, 7, 10]);
    expect(Array.from(list.sources)).toEqual([2, 0]);
    expect(Array.from(list.targets)).toEqual([0, 1]);
  });

  it('ignores a UTF-8 byte order mark', async () => {
    const list = await read('\ufeffa,b\nb,c\n');
    expect(list.dictionary.keys()).toEqual(['a', 'b', 'c']);
    expect(edgesOf(await readByteByByte('\ufeff1\t2\n'))).toEqual([[1, 2]]);
  });

  it('skips # and % comments, blank lines and CRLF endings', async () => {
    const text = '# SNAP header\n% matrix market comment\n\n1\t2\r\n  # indented comment\n2\t3\r\n\r\n';
    expect(edgesOf(await read(text))).toEqual([
      [1, 2],
      [2, 3],
    ]);
  });

  it('reads a weight column and keeps weights exact', async () => {
    const list = await read('1\t2\t0.1\n2\t3\t-1e-7\n3\t1\t12345678901234567890\n4\t1\t+.5\n');
    expect(list.weights).toBeDefined();
    expect(edgesOf(list)).toEqual([
      [1, 2, 0.1],
      [2, 3, -1e-7],
      [3, 1, Number('12345678901234567890')],
      [4, 1, 0.5],
    ]);
  });

  it('ignores a third column when weighted is false', async () => {
    const list = await read('1 2 1999\n2 3\n', { weighted: false });
    expect(list.weights).toBeUndefined();
    expect(edgesOf(list)).toEqual([
      [1, 2],
      [2, 3],
    ]);
  });

  it('reads two-column lines on the integer fast path when a third column is ignored', async () => {
    for (const [text, expected] of [
      [
        '1\t2\n2\t3\t7\r\n3\t1\n',
        [
          [1, 2],
          [2, 3],
          [3, 1],
        ],
      ],
      [
        '1 2\n2 3  x\n',
        [
          [1, 2],
          [2, 3],
        ],
      ],
    ] as const) {
      expect(edgesOf(await read(text, { weighted: false }))).toEqual(expected);
    }
    await expect(read('1\t2\n2\t3\t4\t5\n', { weighted: false })).rejects.toThrow(/:2:\d+: too many columns/);
  });

  it('detects a header line, or takes a declared one', async () => {
    const detected = await read('source,target,weight\na,b,2\nb,c,3\n');
    expect(detected.header).toEqual(['source', 'target', 'weight']);
    expect(edgesOf(detected)).toEqual([
      ['a', 'b', 2],
      ['b', 'c', 3],
    ]);
    // Two lines of names are indistinguishable from string ids: no header unless declared.
    expect((await read('from to\nx y\n')).header).toBeUndefined();
    const declared = await read('# comment first\nfrom to\nx y\n', { header: true });
    expect(declared.header).toEqual(['from', 'to']);
    expect(edgesOf(declared)).toEqual([['x', 'y']]);
    expect((await read('a\tb\n1\t2\n', { header: false })).dictionary.kind).toBe('string');
    const integers = await read('src dst\n1 2\n');
    expect(integers.header).toEqual(['src', 'dst']);
    expect(edgesOf(integers)).toEqual([[1, 2]]);
    // A word line followed by a mixed line is data: string ids can be digits too.
    expect((await read('alice bob\n12 carol\n')).header).toBeUndefined();
  });

  it('keeps ids as written: a non-canonical integer switches the whole file to string keys', async () => {
    const list = await read('1\t2\n2\t01\n1\tnode x\n');
    expect(list.dictionary.kind).toBe('string');
    expect(list.dictionary.keys()).toEqual(['1', '2', '01', 'node x']);
    expect(edgesOf(list)).toEqual([
      ['1', '2'],
      ['2', '01'],
      ['1', 'node x'],
    ]);
    const utf8 = await read('straße,café\ncafé,東京\n');
    expect(utf8.dictionary.keys()).toEqual(['straße', 'café', '東京']);
  });

  it('gives the same result whatever the chunk boundaries', async () => {
    const text = '# c\n1\t2\t0.5\n300\t2\t1\nx\t2\t-3\n\n4\t5\t6\n';
    expect(edgesOf(await readByteByByte(text))).toEqual(edgesOf(await read(text)));
    const long = Array.from({ length: 1500 }, (_, i) => `${i}\t${(i * 7) % 1500}`).join('\n');
    expect(edgesOf(await readByteByByte(long))).toEqual(edgesOf(await read(long)));
  });

  it('reads files and streams, and names them in errors', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'eddy-read-'));
    const path = join(directory, 'edges.tsv');
    writeFileSync(path, '1\t2\n2\t3\n');
    expect(edgesOf(await readEdgeList(path))).toEqual([
      [1, 2],
      [2, 3],
    ]);
    writeFileSync(path, '1\t2\n2\n');
    await expect(readEdgeList(path)).rejects.toThrow(`${path}:2:2: too few columns (1)`);
    await expect(readEdgeList(Readable.from([Buffer.from('1 2 3 4\n')]))).rejects.toThrow(/^<stdin>:1:/);
  });

  it('reports malformed lines with line, column, text and what was expected', async () => {
    const error = await read('1\t2\t1.5\n2\t3\tabc\n').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(
      '<stdin>:2:5: bad edge weight: got "abc", expected a decimal number',
    );
    await expect(read('a,b\nc,,d\n')).rejects.toThrow('<stdin>:2:4: too many columns');
    await expect(read('a,b\n,d\n')).rejects.toThrow('<stdin>:2:1: empty vertex id');
    await expect(read('1 2\n2 3 4\n', { fileName: 'g.txt' })).rejects.toThrow(
      'g.txt:2:5: too many columns: got "2 3 4", expected 2 columns (source, target)',
    );
    await expect(read('1 2 3\n2 3\n')).rejects.toThrow(/:2:4: too few columns \(2\).*3 columns/);
  });

  it('skips and counts malformed lines with onInvalid: skip', async () => {
    const list = await read('1\t2\n2\n3\t4\n5\t6\t7\n', { onInvalid: 'skip' });
    expect(edgesOf(list)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(list.skippedLines).toBe(2);
    expect(list.firstSkipped?.line).toBe(2);
    await expect(read('1 2\n', { onInvalid: 'ignore' as 'skip' })).rejects.toThrow(/onInvalid/);
  });

  it('reads an empty input or one with only comments as no edges', async () => {
    for (const text of ['', '# nothing\n', '\n\n']) {
      const list = await read(text);
      expect(list.sources.length).toBe(0);
      expect(list.dictionary.size).toBe(0);
    }
  });
});

describe('readEdgeList: weights out of range', () => {
  it('reports a weight that overflows to Infinity with file and line, on both parse paths', async () => {
    for (const text of ['1\t2\t0.5\n2\t3\t1e400\n', 'a\tb\t0.5\nb\tc\t-1e400\n']) {
      const error = await readEdgeList(Buffer.from(text), { fileName: 'w.tsv' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).message).toMatch(
        /^w\.tsv:2:\d+: edge weight out of range: got "-?1e400", expected a finite number/,
      );
    }
    const skipped = await read('1 2 1e400\n2 3 2\n', { onInvalid: 'skip' });
    expect(edgesOf(skipped)).toEqual([[2, 3, 2]]);
    expect(skipped.skippedLines).toBe(1);
  });
});

describe('readEdgeList: gzip input', () => {
  it('reads gzip bytes and a gzip stream in small chunks as the plain text', async () => {
    const text = '# weighted\nsource\ttarget\tweight\n1\t2\t0.5\n2\t3\t1.25\n3\t1\t-2\n';
    const plain = await read(text);
    const compressed = gzipSync(Buffer.from(text));
    const fromBytes = await readEdgeList(compressed);
    expect(edgesOf(fromBytes)).toEqual(edgesOf(plain));
    expect(fromBytes.header).toEqual(['source', 'target', 'weight']);
    const pieces = Array.from({ length: compressed.length }, (_, i) => compressed.subarray(i, i + 1));
    expect(edgesOf(await readEdgeList(Readable.from(pieces)))).toEqual(edgesOf(plain));
  });
});

describe('readEdgeList: chosen columns', () => {
  const wide = '# FromNodeId\tToNodeId\tTime\tScore\n1\t2\t100\t0.5\n2\t3\t200\t1.5\n3\t1\t300\t-1\n';
  it('reads source, target and weight from the chosen columns, in any chunking', async () => {
    expect(edgesOf(await read(wide, { columns: [1, 2] }))).toEqual([
      [1, 2],
      [2, 3],
      [3, 1],
    ]);
    const chosen = [
      [2, 1, 0.5],
      [3, 2, 1.5],
      [1, 3, -1],
    ];
    expect(edgesOf(await read(wide, { columns: [2, 1, 4] }))).toEqual(chosen);
    expect(edgesOf(await readByteByByte(wide, { columns: [2, 1, 4] }))).toEqual(chosen);
    const strings = await read('a,x,b\nb,y,c\n', { columns: [1, 3] });
    expect(edgesOf(strings)).toEqual([
      ['a', 'b'],
      ['b', 'c'],
    ]);
  });

  it('reports a line without the chosen columns, and refuses a bad choice', async () => {
    await expect(read('1 2 3\n4 5\n', { columns: [1, 3], fileName: 'w.txt' })).rejects.toThrow(
      /^w\.txt:2:\d+: too few columns \(2\): got "4 5", expected at least 3 columns \(source, target in columns 1,3\)/,
    );
    for (const columns of [[1], [1, 1], [0, 2], [1, 2, 3, 4], [1.5, 2]]) {
      await expect(read('1 2\n', { columns })).rejects.toThrow(/invalid value for parameter 'columns'/);
    }
  });
});

describe('readEdgeList: --delimiter and leading comments (issue 22)', () => {
  it('splits fields at any one-character delimiter, in one chunk or byte by byte', async () => {
    const text = 'from;to;w\na b;c;1.5\nc;d;2\n';
    for (const reader of [read, readByteByByte]) {
      const list = await reader(text, { delimiter: ';' });
      expect(list.header).toEqual(['from', 'to', 'w']);
      expect(edgesOf(list)).toEqual([
        ['a b', 'c', 1.5],
        ['c', 'd', 2],
      ]);
    }
    expect(edgesOf(await read('1|2\n2|3\n', { delimiter: '|' }))).toEqual([
      [1, 2],
      [2, 3],
    ]);
    // The delimiter wins over the separator the first line suggests.
    expect(edgesOf(await read('x,1|y,2\n', { delimiter: '|' }))).toEqual([['x,1', 'y,2']]);
  });

  it('refuses a delimiter that ids or weights would contain', async () => {
    for (const delimiter of ['a', '7', '.', '-', '\n', ';;', '', 'é']) {
      await expect(read('1;2\n', { delimiter })).rejects.toThrow(/delimiter/);
    }
  });

  it('reads the comment lines before the first edge once, whatever the chunks', async () => {
    const comments = '# a comment line of a SNAP-style header, repeated many times over\n'.repeat(20_000);
    const text = `${comments}1\t2\n2\t3\nx\n`;
    const chunks: Buffer[] = [];
    for (let at = 0; at < text.length; at += 4096) chunks.push(Buffer.from(text.slice(at, at + 4096)));
    const scanned: number[] = [];
    const { EdgeListParser } = await import('../../src/graph/edge-list-parser.js');
    const configure = EdgeListParser.prototype.configure;
    EdgeListParser.prototype.configure = function (this: InstanceType<typeof EdgeListParser>, ...args) {
      scanned.push(args[1]);
      return configure.apply(this, args);
    };
    try {
      const error = await readEdgeList(Readable.from(chunks), { onInvalid: 'error' }).catch(
        (e: unknown) => e,
      );
      // The line number still counts the comment lines.
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).line).toBe(20_003);
      const list = await readEdgeList(Readable.from(chunks), { onInvalid: 'skip' });
      expect(edgesOf(list)).toEqual([
        [1, 2],
        [2, 3],
      ]);
    } finally {
      EdgeListParser.prototype.configure = configure;
    }
    // Every attempt sees only what came after the comments already read: linear in all.
    const total = scanned.reduce((a, b) => a + b, 0);
    expect(scanned.length).toBeGreaterThan(300);
    expect(total).toBeLessThan(8 * text.length);
  });
});
