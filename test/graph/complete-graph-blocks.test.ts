import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParamError } from '../../src/core/errors.js';
import { completeGraph, completeGraphBlocks } from '../../src/graph/generators.js';

describe('completeGraphBlocks', () => {
  it('gives completeGraph’s edges in the same order, in blocks of whole sources of about blockEdges', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 1, max: 100 }), (n, blockEdges) => {
        const whole = completeGraph(n);
        const { dictionary, blocks } = completeGraphBlocks(n, blockEdges);
        expect(dictionary.size).toBe(n);
        const list = [...blocks];
        for (const block of list) {
          // Whole sources: a block starts at a source's first target and ends with its last.
          expect(block.sources.length % Math.max(n - 1, 1)).toBe(0);
          expect(block.sources.length).toBeLessThanOrEqual(Math.max(blockEdges, n - 1));
        }
        const sources = list.flatMap((block) => Array.from(block.sources));
        const targets = list.flatMap((block) => Array.from(block.targets));
        expect(sources).toEqual(Array.from(whole.sources));
        expect(targets).toEqual(Array.from(whole.targets));
        // The blocks can be iterated again, with the same edges.
        expect([...blocks].flatMap((block) => Array.from(block.targets))).toEqual(targets);
      }),
      { numRuns: 100, seed: 16 },
    );
  });

  it('completeGraph refuses more edges than it can hold, pointing to the blocks', () => {
    expect(() => completeGraph(46342)).toThrow(ParamError);
    expect(() => completeGraph(46342)).toThrow(/completeGraphBlocks makes 46342 vertices a block at a time/);
  });
});
