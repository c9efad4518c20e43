import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { readEdgeList } from '../../src/graph/edge-list-reader.js';

/** Ids of non-separator bytes (no tab, comma, space, line end, comment mark), at least one letter. */
const idBytes = fc
  .uint8Array({ minLength: 1, maxLength: 4 })
  .map((bytes) =>
    Buffer.concat([
      Buffer.from('v'),
      Buffer.from(bytes.filter((b) => ![9, 10, 13, 32, 44, 35, 37].includes(b))),
    ]),
  );

describe('readEdgeList: vertex ids that are not UTF-8', () => {
  it('refuses invalid UTF-8 in an id, naming the line, instead of merging ids into one vertex', async () => {
    const text = Buffer.concat([Buffer.from('a\xff\tb\n', 'latin1'), Buffer.from('a\xfe\tb\n', 'latin1')]);
    await expect(readEdgeList(text)).rejects.toThrow(
      /<stdin>:1:1: invalid UTF-8 in a vertex id: got "a\uFFFD", expected ids in UTF-8/,
    );
    const skipped = await readEdgeList(Buffer.concat([text, Buffer.from('c\td\n')]), { onInvalid: 'skip' });
    expect(skipped.skippedLines).toBe(2);
    expect(skipped.dictionary.size).toBe(2);
    // A U+FFFD written as such (valid UTF-8) is an id like any other.
    const literal = await readEdgeList(Buffer.from('a\uFFFD\tb\n'));
    expect(literal.dictionary.key(0)).toBe('a\uFFFD');
  });

  it('fuzzed: distinct byte ids are distinct vertices, or the read fails with an InputError', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(idBytes, idBytes), { minLength: 1, maxLength: 20 }),
        async (edges) => {
          const text = Buffer.concat(edges.flatMap(([s, t]) => [s, Buffer.from('\t'), t, Buffer.from('\n')]));
          const ids = edges.flat();
          try {
            const list = await readEdgeList(text);
            expect(ids.every((id) => isUtf8(id))).toBe(true);
            expect(list.dictionary.size).toBe(new Set(ids.map((id) => id.toString('hex'))).size);
          } catch (error) {
            expect(error).toBeInstanceOf(InputError);
            expect((error as Error).message).toMatch(/invalid UTF-8 in a vertex id/);
            expect(ids.every((id) => isUtf8(id))).toBe(false);
          }
        },
      ),
      { numRuns: 300, seed: 16 },
    );
  });
});
