import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { connectedComponents } from '../../../algorithms/graph/connected-components.js';
import {
  AnchorMarks,
  emptyKeyForest,
  keyForestFor,
  keyForestLabels,
  linkKeyEdges,
  mergeKeyForest,
} from '../../../algorithms/graph/key-forest.js';
import type { VertexLabels } from '../../../algorithms/graph/vertex-labels.js';
import { InputError, ParamError } from '../../../src/core/errors.js';
import { WorkerPool } from '../../../src/core/threads/worker-pool.js';
import { PARALLEL_READ_MINIMUM_BYTES } from '../../../src/graph/edge-list-ranges.js';
import { readEdgeList } from '../../../src/graph/edge-list-reader.js';
import { useTempDirectories } from '../../helpers/temp-directory.js';

const tempDirectory = useTempDirectories();

const pool = new WorkerPool({ size: 2 });
afterAll(() => pool.close());
const directory = tempDirectory('eddy-file-components-');

/** The components the edge arrays give (readEdgeList, then union-find over dense ids). */
async function fromEdgeArrays(path: string): Promise<VertexLabels> {
  return connectedComponents(await readEdgeList(path, { weighted: false }));
}

/** Keys and label keys, as plain arrays, to compare two results whole. */
function rows(labels: VertexLabels): { keys: unknown[]; labels: unknown[] } {
  return { keys: labels.dictionary.keys(), labels: Array.from(labels.values as ArrayLike<unknown>) };
}

/**
 * A file just over the size that is read in ranges: 760,000 lines of `a<TAB>b` over keys up
 * to 3,000,000 from a fixed pseudo-random walk (so there are many components), with `extra`
 * lines inserted at the given line numbers.
 */
function bigFile(name: string, extra = new Map<number, string>()): string {
  const lines: string[] = [];
  let state = 11;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % 3_000_000;
  };
  for (let line = 1; lines.length < 760_000; line++) lines.push(extra.get(line) ?? `${next()}\t${next()}`);
  const path = join(directory, name);
  const body = `${lines.join('\n')}\n`;
  expect(body.length).toBeGreaterThan(PARALLEL_READ_MINIMUM_BYTES);
  writeFileSync(path, body);
  return path;
}

describe('connected components of an edge-list file, linked as it is parsed', () => {
  it('gives the labels of union-find over the edge arrays at parallelism 1, 2 and 3', async () => {
    const extra = new Map([
      [1, 'source\ttarget'],
      [2, '# a comment'],
      [400_000, '% another'],
      [500_000, ''],
      [600_000, '7\t7\tignored third column'],
    ]);
    const path = bigFile('edges.tsv', extra);
    const expected = rows(await fromEdgeArrays(path));
    expect(new Set(expected.labels).size).toBeGreaterThan(1000);
    for (const parallelism of [1, 2, 3]) {
      const phases: string[] = [];
      const labels = await connectedComponents(path, {
        parallelism,
        pool,
        onPhase: (phase) => phases.push(phase),
      });
      expect(rows(labels)).toEqual(expected);
      expect(phases).toEqual(['read', 'link']);
    }
  });

  it('goes back to the one-thread reader for string ids, wherever they first appear', async () => {
    // Line 3: in the head, which is tried first (line 1 would be a header); 700,000: a worker's range.
    for (const line of [3, 700_000]) {
      const path = bigFile(`strings-${line}.tsv`, new Map([[line, 'alice\tbob']]));
      const expected = rows(await fromEdgeArrays(path));
      expect(typeof expected.keys[0]).toBe('string');
      const labels = await connectedComponents(path, { parallelism: 2, pool });
      expect(rows(labels)).toEqual(expected);
    }
  });

  it('keys far sparser than the edges (up to 2^31 - 1) go to the reader, which sorts them', async () => {
    const small = join(directory, 'sparse.tsv');
    writeFileSync(small, '2147483647\t5\n5\t7\n1000000000\t2147483000\n');
    expect(rows(await connectedComponents(small, { parallelism: 2, pool }))).toEqual({
      keys: [5, 7, 1000000000, 2147483000, 2147483647],
      labels: [5, 5, 1000000000, 1000000000, 5],
    });
    const big = bigFile('sparse-later.tsv', new Map([[700_000, '3\t2000000000']]));
    const labels = await connectedComponents(big, { parallelism: 2, pool });
    expect(rows(labels)).toEqual(rows(await fromEdgeArrays(big)));
    expect(labels.get(2000000000)).toBe(labels.get(3));
  });

  it('refuses the reader options readEdgeList refuses (a delimiter that is a digit)', async () => {
    const path = join(directory, 'digits.tsv');
    writeFileSync(path, '1\t2\n');
    const error = await connectedComponents(path, { read: { delimiter: '1' } }).catch((caught) => caught);
    expect(error).toBeInstanceOf(ParamError);
    expect((error as ParamError).param).toBe('delimiter');
  });

  it('reports a malformed line in a later range with its line number', async () => {
    const path = bigFile('malformed.tsv', new Map([[700_000, '1\t2\t3\t4']]));
    const error = await connectedComponents(path, { parallelism: 2, pool }).catch((caught) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toContain('too many columns');
    expect((error as InputError).line).toBe(700_000);
  });

  it('small files of any ids: the labels of the edge arrays', async () => {
    const key = fc.oneof(fc.nat(50), fc.constantFrom('a', 'b', '007'));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(key, key), { maxLength: 40 }), async (pairs) => {
        const path = join(directory, 'small.tsv');
        writeFileSync(path, pairs.map(([s, t]) => `${s}\t${t}\n`).join(''));
        const expected = rows(await fromEdgeArrays(path));
        for (const parallelism of [1, 2]) {
          expect(rows(await connectedComponents(path, { parallelism, pool }))).toEqual(expected);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('the key forest', () => {
  it('merged from forests of any split of the edges, linked in batches of any size: each key labelled by its smallest key', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(60), fc.nat(60)), { maxLength: 100, size: 'large' }),
        fc.array(fc.nat(2), { minLength: 100, maxLength: 100 }),
        fc.integer({ min: 1, max: 8 }),
        (pairs, parts, batch) => {
          // Oracle: repeated relaxation of the smallest key over the edges.
          const present = new Set(pairs.flat());
          const smallest = new Map([...present].map((key) => [key, key]));
          for (let changed = true; changed; ) {
            changed = false;
            for (const [s, t] of pairs) {
              const low = Math.min(smallest.get(s)!, smallest.get(t)!);
              if (smallest.get(s)! > low || smallest.get(t)! > low) changed = true;
              smallest.set(s, low);
              smallest.set(t, low);
            }
          }
          const keys = [...present].sort((a, b) => a - b);
          // Each edge to one of three forests, which start small and grow; each forest links its
          // edges `batch` at a time (the first batch chooses its anchor, later ones use the marks).
          const forests = [0, 1, 2].map(() => emptyKeyForest(1));
          const marks = [0, 1, 2].map(() => new AnchorMarks(1));
          for (const part of [0, 1, 2]) {
            const edges = pairs.filter((_, e) => parts[e] === part);
            for (let from = 0; from < edges.length; from += batch) {
              const some = edges.slice(from, from + batch);
              forests[part] = keyForestFor(forests[part], Math.max(...some.flat()));
              marks[part].roomFor(forests[part]);
              const sources = Int32Array.from(some, ([s]) => s);
              const targets = Int32Array.from(some, ([, t]) => t);
              linkKeyEdges(forests[part], sources, targets, some.length, marks[part]);
            }
          }
          forests.sort((a, b) => b.length - a.length);
          for (const other of forests.slice(1)) mergeKeyForest(forests[0], other);
          const result = keyForestLabels(forests[0]);
          expect(Array.from(result.keys)).toEqual(keys);
          expect(Array.from(result.labels, (label) => keys[label])).toEqual(
            keys.map((key) => smallest.get(key)),
          );
        },
      ),
    );
  });
});
