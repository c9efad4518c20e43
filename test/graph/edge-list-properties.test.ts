/**
 * Property tests of the edge-list reader and writer: generated edge lists with random ids,
 * separators, comments, blank lines, line endings and weights read back exactly, in any chunking,
 * and survive a write and a second read; malformed lines are reported at their line numbers.
 */
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InputError } from '../../src/core/errors.js';
import { type EdgeList, readEdgeList } from '../../src/graph/edge-list-reader.js';
import { writeEdgeList } from '../../src/graph/writers.js';

const separators = { tab: '\t', comma: ',', space: ' ' } as const;
type SeparatorName = keyof typeof separators;

/** An id: a canonical integer, or text without separators, quotes or a leading comment mark. */
const integerId = fc.nat({ max: 2 ** 31 - 1 }).map(String);
const textId = fc
  .string({ unit: fc.constantFrom(...'abcxyzABC019_-.:/é東'.split('')), minLength: 1, maxLength: 8 })
  .filter((text) => text[0] !== '#' && text[0] !== '%');
const weight = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: -1000, max: 1000 }),
  fc.constantFrom(0.1, 1e-7, 12345.678),
);

interface Case {
  separator: SeparatorName;
  weighted: boolean;
  header: boolean;
  newline: '\n' | '\r\n';
  lines: (
    | { kind: 'edge'; source: string; target: string; weight: number }
    | { kind: 'comment' | 'blank'; text: string }
  )[];
  chunk: number;
}

const caseArbitrary: fc.Arbitrary<Case> = fc
  .record({
    separator: fc.constantFrom<SeparatorName>('tab', 'comma', 'space'),
    weighted: fc.boolean(),
    header: fc.boolean(),
    newline: fc.constantFrom<'\n' | '\r\n'>('\n', '\r\n'),
    ids: fc.oneof(integerId, textId),
    lines: fc.array(
      fc.oneof(
        {
          weight: 6,
          arbitrary: fc.record({
            kind: fc.constant('edge' as const),
            source: fc.oneof(integerId, textId),
            target: fc.oneof(integerId, textId),
            weight,
          }),
        },
        {
          weight: 1,
          arbitrary: fc.record({
            kind: fc.constant('comment' as const),
            text: fc.constantFrom('# c', '% mm', '#', '  # indented'),
          }),
        },
        {
          weight: 1,
          arbitrary: fc.record({
            kind: fc.constant('blank' as const),
            text: fc.constantFrom('', '  ', '\t'),
          }),
        },
      ),
      { maxLength: 30 },
    ),
    chunk: fc.integer({ min: 1, max: 64 }),
  })
  .map(({ ids: _ids, ...rest }) => rest);

/** A number as text, keeping the sign of -0 (which String() drops). */
const numberText = (value: number): string => (Object.is(value, -0) ? '-0' : String(value));

function render(c: Case): string {
  const separator = separators[c.separator];
  const lines: string[] = [];
  if (c.header) lines.push(['source', 'target', ...(c.weighted ? ['weight'] : [])].join(separator));
  for (const line of c.lines) {
    if (line.kind !== 'edge') lines.push(line.text);
    else
      lines.push(
        [line.source, line.target, ...(c.weighted ? [numberText(line.weight)] : [])].join(separator),
      );
  }
  return lines.map((line) => line + c.newline).join('');
}

function chunked(text: string, size: number): Readable {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return Readable.from(chunks);
}

/** The edges as [source text, target text, weight?]. */
function edgesOf(list: EdgeList): (string | number)[][] {
  return Array.from(list.sources, (s, e) => {
    const edge: (string | number)[] = [list.dictionary.keyText(s), list.dictionary.keyText(list.targets[e])];
    if (list.weights) edge.push(list.weights[e]);
    return edge;
  });
}

describe('edge-list round trips (property)', () => {
  it('reads what was written, in any chunking, and reads its own output back the same', async () => {
    await fc.assert(
      fc.asyncProperty(caseArbitrary, async (c) => {
        const options = {
          header: c.header,
          weighted: c.weighted && c.lines.some((l) => l.kind === 'edge'),
        } as const;
        const expected = c.lines
          .filter((line) => line.kind === 'edge')
          .map((line) => [line.source, line.target, ...(options.weighted ? [line.weight] : [])]);
        const text = render(c);
        const list = await readEdgeList(chunked(text, c.chunk), options);
        expect(edgesOf(list)).toEqual(expected);
        expect(list.header !== undefined).toBe(c.header);
        for (const format of ['tsv', 'csv'] as const) {
          const out: Buffer[] = [];
          const sink = new (await import('node:stream')).PassThrough();
          sink.on('data', (chunk: Buffer) => out.push(chunk));
          await writeEdgeList(sink, list, { format });
          const again = await readEdgeList(Buffer.concat(out), { header: false, weighted: options.weighted });
          expect(edgesOf(again)).toEqual(expected);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('malformed lines (property)', () => {
  const malformed = fc.constantFrom(
    'only-one-field',
    '1 2 3 4',
    'a,,b',
    '1\t2\tnot-a-number',
    '7 8 1e',
    '9 9 --1',
  );

  it('reports every malformed line with its line number, or the first one as an error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof({ weight: 4, arbitrary: fc.constant('good') }, { weight: 1, arbitrary: malformed }),
          {
            minLength: 1,
            maxLength: 25,
          },
        ),
        fc.integer({ min: 1, max: 16 }),
        async (kinds, chunk) => {
          // A weighted, whitespace-separated file: "i i+1 w" lines, with malformed ones mixed in.
          const lines = kinds.map((kind, i) => (kind === 'good' ? `${i} ${i + 1} 0.5` : kind));
          const text = `# weighted edges\n${lines.join('\n')}\n`;
          const badLines = kinds.flatMap((kind, i) => (kind === 'good' ? [] : [i + 2]));
          const skipped: InputError[] = [];
          const list = await readEdgeList(chunked(text, chunk), {
            onInvalid: 'skip',
            header: false,
            weighted: true,
            separator: 'whitespace',
            onSkip: (error) => skipped.push(error),
          });
          expect(skipped.map((error) => error.line)).toEqual(badLines);
          expect(list.skippedLines).toBe(badLines.length);
          expect(list.sources.length).toBe(kinds.length - badLines.length);
          const failure = await readEdgeList(Buffer.from(text), {
            header: false,
            weighted: true,
            separator: 'whitespace',
          }).then(
            () => undefined,
            (error: InputError) => error,
          );
          expect(failure?.line).toBe(badLines[0]);
          if (failure) expect(failure.message).toMatch(new RegExp(`^<stdin>:${badLines[0]}:\\d+: `));
        },
      ),
      { numRuns: 100 },
    );
  });
});

/** `text`'s bytes cut at the given positions (sorted, deduplicated, within the text). */
function cutAt(text: string, cuts: number[]): Readable {
  const bytes = Buffer.from(text);
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    if (point > start) chunks.push(bytes.subarray(start, point));
    start = Math.max(start, point);
  }
  return Readable.from(chunks);
}

describe('chunk boundaries (property)', () => {
  it('reads any edge list in any chunking as it reads it whole, header and weights detected alike', async () => {
    await fc.assert(
      fc.asyncProperty(caseArbitrary, fc.array(fc.nat(), { maxLength: 12 }), async (c, cuts) => {
        const text = render(c);
        const whole = await readEdgeList(Buffer.from(text), { onInvalid: 'skip' });
        const pieces = await readEdgeList(cutAt(text, cuts), { onInvalid: 'skip' });
        expect(pieces.header).toEqual(whole.header);
        expect(pieces.weights !== undefined).toBe(whole.weights !== undefined);
        expect(pieces.skippedLines).toBe(whole.skippedLines);
        expect(edgesOf(pieces)).toEqual(edgesOf(whole));
      }),
      { numRuns: 300 },
    );
  });

  it('takes a header that a pipe delivers in its own chunk as a header', async () => {
    const list = await readEdgeList(
      Readable.from([Buffer.from('source,target\n'), Buffer.from('1,2\n3,4\n')]),
    );
    expect(list.header).toEqual(['source', 'target']);
    expect(edgesOf(list)).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
  });
});
