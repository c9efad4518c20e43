/**
 * Properties: a pattern without negation finds exactly the matches of a brute-force enumerator
 * over all subsequences of small random streams, for every contiguity (next, followedBy,
 * followedByAny) and quantifier (single, times, times range, oneOrMore, timesOrMore, optional,
 * consecutive, allowCombinations). The enumerator states Flink's rules directly: a match gives
 * each step a run of events in its count range; two events of one step obey the step's inner
 * contiguity, the first event of a step obeys that step's contiguity to the event before it
 * (whatever skipped optional steps lie between); "strict" means adjacent, "relaxed" that no
 * event in between satisfies the step's condition, "any" nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NFA } from '../../src/cep/nfa.js';
import { Pattern } from '../../src/cep/pattern.js';

type Contiguity = 'strict' | 'relaxed' | 'any';

interface StepSpec {
  names: string[];
  contiguity: Contiguity;
  quantifier: 'single' | 'times' | 'range' | 'oneOrMore' | 'timesOrMore';
  count: number;
  optional: boolean;
  inner: Contiguity;
}

interface Letter {
  index: number;
  name: string;
}

const stepArbitrary: fc.Arbitrary<StepSpec> = fc.record({
  names: fc.subarray(['a', 'b', 'c'], { minLength: 1 }),
  contiguity: fc.constantFrom<Contiguity>('strict', 'relaxed', 'any'),
  quantifier: fc.constantFrom('single', 'times', 'range', 'oneOrMore', 'timesOrMore'),
  count: fc.integer({ min: 1, max: 2 }),
  optional: fc.boolean(),
  inner: fc.constantFrom<Contiguity>('strict', 'relaxed', 'any'),
});

/** How many events a step takes when it takes any: [min, max] (an optional step may also take none). */
function range(step: StepSpec): [number, number] {
  switch (step.quantifier) {
    case 'single':
      return [1, 1];
    case 'times':
      return [step.count, step.count];
    case 'range':
      return [1, step.count + 1];
    case 'oneOrMore':
      return [1, Number.POSITIVE_INFINITY];
    default:
      return [step.count, Number.POSITIVE_INFINITY];
  }
}

function build(steps: StepSpec[]): Pattern<Letter> {
  let pattern: Pattern<Letter> | undefined;
  steps.forEach((step, i) => {
    const name = `s${i}`;
    if (pattern === undefined) pattern = Pattern.begin<Letter>(name);
    else if (step.contiguity === 'strict') pattern = pattern.next(name);
    else if (step.contiguity === 'relaxed') pattern = pattern.followedBy(name);
    else pattern = pattern.followedByAny(name);
    pattern.where((e) => step.names.includes(e.name));
    if (step.quantifier === 'times') pattern.times(step.count);
    else if (step.quantifier === 'range') pattern.times(1, step.count + 1);
    else if (step.quantifier === 'oneOrMore') pattern.oneOrMore();
    else if (step.quantifier === 'timesOrMore') pattern.timesOrMore(step.count);
    if (step.quantifier !== 'single') {
      if (step.inner === 'strict') pattern.consecutive();
      else if (step.inner === 'any') pattern.allowCombinations();
    }
    if (step.optional) pattern.optional();
  });
  return pattern!;
}

/** Every match by brute force, each written `step:index ...`. */
function enumerate(steps: StepSpec[], stream: Letter[]): string[] {
  const found: string[] = [];
  const fits = (step: StepSpec, i: number) => step.names.includes(stream[i].name);
  const contiguous = (contiguity: Contiguity, step: StepSpec, from: number, to: number) => {
    if (from < 0 || contiguity === 'any') return true;
    if (contiguity === 'strict') return to === from + 1;
    for (let i = from + 1; i < to; i++) if (fits(step, i)) return false;
    return true;
  };
  const visit = (s: number, last: number, taken: string[]) => {
    if (s === steps.length) {
      if (taken.length > 0) found.push(taken.join(' '));
      return;
    }
    const step = steps[s];
    const [low, high] = range(step);
    if (step.optional) visit(s + 1, last, taken);
    const extend = (count: number, previous: number, run: string[]) => {
      for (let i = previous + 1; i < stream.length; i++) {
        if (!fits(step, i)) continue;
        const ok =
          count === 0
            ? contiguous(step.contiguity, step, previous, i)
            : contiguous(step.inner, step, previous, i);
        if (!ok) continue;
        const next = [...run, `s${s}:${i}`];
        if (count + 1 >= low) visit(s + 1, i, next);
        if (count + 1 < high) extend(count + 1, i, next);
      }
    };
    extend(0, last, taken);
  };
  visit(0, -1, []);
  return found.sort();
}

function runNfa(steps: StepSpec[], stream: Letter[]): string[] {
  const nfa = new NFA(build(steps));
  const found: string[] = [];
  for (const letter of stream) {
    for (const match of nfa.process(letter, letter.index)) {
      found.push(
        Object.entries(match)
          .flatMap(([name, events]) => events.map((e) => `${name}:${e.index}`))
          .join(' '),
      );
    }
  }
  return found.sort();
}

const streamArbitrary = fc
  .array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 7 })
  .map((names) => names.map((name, index) => ({ index, name })));

describe('NFA against a brute-force enumerator of subsequences', () => {
  it('finds the same matches for random patterns without negation', () => {
    fc.assert(
      fc.property(
        fc.array(stepArbitrary, { minLength: 1, maxLength: 3 }),
        streamArbitrary,
        (steps, stream) => {
          expect(runNfa(steps, stream)).toEqual(enumerate(steps, stream));
        },
      ),
      { numRuns: 3000, seed: 21 },
    );
  });

  for (const contiguity of ['strict', 'relaxed', 'any'] as const) {
    for (const quantifier of ['single', 'times', 'range', 'oneOrMore', 'timesOrMore'] as const) {
      it(`agrees for a ${contiguity} ${quantifier} step between two single steps`, () => {
        fc.assert(
          fc.property(stepArbitrary, streamArbitrary, (middle, stream) => {
            const steps: StepSpec[] = [
              {
                names: ['a'],
                contiguity: 'strict',
                quantifier: 'single',
                count: 1,
                optional: false,
                inner: 'relaxed',
              },
              { ...middle, contiguity, quantifier },
              {
                names: ['c'],
                contiguity: 'relaxed',
                quantifier: 'single',
                count: 1,
                optional: false,
                inner: 'relaxed',
              },
            ];
            expect(runNfa(steps, stream)).toEqual(enumerate(steps, stream));
          }),
          { numRuns: 300, seed: 7 },
        );
      });
    }
  }
});
