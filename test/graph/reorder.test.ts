import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParamError } from '../../src/core/errors.js';
import { renumberEdges, renumberedDictionary, vertexOrder } from '../../src/graph/reorder.js';
import { VertexDictionary } from '../../src/graph/vertex-dictionary.js';

const graphs = fc
  .integer({ min: 1, max: 40 })
  .chain((n) =>
    fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 100 })),
  );

describe('vertexOrder', () => {
  it('is a permutation; degree puts higher total degree first (ties by old id); bfs gives neighbours of the first vertex the next ids', () => {
    fc.assert(
      fc.property(graphs, ([n, edges]) => {
        const sources = Int32Array.from(edges, (e) => e[0]);
        const targets = Int32Array.from(edges, (e) => e[1]);
        const degree = new Array<number>(n).fill(0);
        for (const [s, t] of edges) {
          degree[s]++;
          degree[t]++;
        }
        for (const order of ['degree', 'bfs'] as const) {
          const newId = vertexOrder(order, n, sources, targets);
          expect([...newId].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
          const oldId = new Array<number>(n);
          newId.forEach((id, old) => {
            oldId[id] = old;
          });
          if (order === 'degree') {
            for (let i = 1; i < n; i++) {
              const [a, b] = [oldId[i - 1], oldId[i]];
              expect(degree[a] > degree[b] || (degree[a] === degree[b] && a < b)).toBe(true);
            }
          } else {
            // The first vertex has the highest degree (the smallest id among ties), and its
            // distinct out-neighbours follow it in order of their edges.
            const most = Math.max(...degree);
            expect(oldId[0]).toBe(degree.indexOf(most));
            const next: number[] = [];
            for (const [s, t] of edges) if (s === oldId[0] && t !== s && !next.includes(t)) next.push(t);
            expect(oldId.slice(1, 1 + next.length)).toEqual(next);
          }
        }
      }),
    );
  });

  it('refuses an unknown order', () => {
    expect(() => vertexOrder('hilbert' as never, 1, new Int32Array(0), new Int32Array(0))).toThrow(
      ParamError,
    );
  });
});

describe('renumbering', () => {
  it('moves edges and keys together: every edge joins the same keys, and keys are found by id', () => {
    fc.assert(
      fc.property(graphs, fc.boolean(), ([n, edges], strings) => {
        const dictionary: VertexDictionary = strings
          ? VertexDictionary.fromStrings(Array.from({ length: n }, (_, v) => `k${v * 7}`))
          : VertexDictionary.fromKeys(Array.from({ length: n }, (_, v) => v * 3 - 5));
        const sources = Int32Array.from(edges, (e) => e[0]);
        const targets = Int32Array.from(edges, (e) => e[1]);
        const newId = vertexOrder('degree', n, sources, targets);
        const [s2, t2] = [sources.slice(), targets.slice()];
        renumberEdges(newId, s2, t2);
        const renumbered = renumberedDictionary(dictionary, newId);
        for (let e = 0; e < edges.length; e++) {
          expect(renumbered.key(s2[e])).toBe(dictionary.key(sources[e]));
          expect(renumbered.key(t2[e])).toBe(dictionary.key(targets[e]));
        }
        for (let v = 0; v < n; v++) expect(renumbered.id(dictionary.key(v) as never)).toBe(newId[v]);
        expect(renumbered.id((strings ? 'absent' : 0.5) as never)).toBe(-1);
        const ascending = Array.from({ length: n }, (_, v) => newId[v] === v).every(Boolean);
        if (!strings) expect(renumbered.ascending).toBe(ascending);
      }),
    );
  });

  it('finds repeated number keys on the first lookup', () => {
    const dictionary = VertexDictionary.fromNumbersInOrder(Float64Array.of(3, 1, 3));
    expect(dictionary.ascending).toBe(false);
    expect(() => dictionary.id(1)).toThrow(/distinct vertex keys/);
  });
});
