import { afterAll, describe, expect, it } from 'vitest';
import { ParamError } from '../../../src/core/errors.js';
import { WorkerPool } from '../../../src/core/threads/worker-pool.js';
import { buildCsr } from '../../../src/graph/csr.js';
import { rmatGraph } from '../../../src/graph/generators.js';
import { Graph } from '../../../src/graph/graph.js';
import { runGatherSumApplyIteration } from '../../../src/graph/iterations/gather-sum-apply.js';
import {
  runTypedGatherSumApply,
  runTypedGatherSumApplyIteration,
  type TypedGatherSumApplyProgram,
} from '../../../src/graph/iterations/typed-gather-sum-apply.js';
import {
  dampedSum,
  dividedByLargest,
  failingApply,
  largestOrZero,
  smallestLabel,
  sumsWithLargest,
} from './fixtures/typed-programs.js';

const programs = new URL('./fixtures/typed-programs.ts', import.meta.url).href;
const exported = <F>(fn: F & { name: string }) => ({ fn, module: programs, exportName: fn.name });

// R-MAT scale 12, both directions of every edge: about 130,000 edges (above the size where
// supersteps are split over workers), isolated vertices too.
const generated = rmatGraph({ scale: 12, edgeFactor: 16, seed: 3 });
const sources = Int32Array.from([...generated.sources, ...generated.targets]);
const targets = Int32Array.from([...generated.targets, ...generated.sources]);
const weights = Float64Array.from(sources, (_, e) => 0.25 + (e % 5) / 10);
const n = generated.dictionary.size;
const { csr } = buildCsr(n, sources, targets, { weights });
const ids = Float64Array.from({ length: n }, (_, v) => v);
const weighted = new Graph<number, number, number>(generated.dictionary, csr, ids, weights);
const unweighted = new Graph<number, number, undefined>(
  generated.dictionary,
  buildCsr(n, sources, targets).csr,
  ids,
  undefined,
);
const pool = new WorkerPool({ size: 2 });
afterAll(() => pool.close());

const labels: TypedGatherSumApplyProgram = {
  combiner: 'min',
  apply: exported(smallestLabel),
  aggregators: { changes: 'sum' },
};
const untilNoChange = { aggregator: 'changes', criterion: (changes: number) => changes === 0 };

describe('the typed gather-sum-apply path', () => {
  it("gives the generic model's labels (min combiner), bit-identical at parallelism 1, 2 and 3", async () => {
    const generic = runGatherSumApplyIteration(
      unweighted,
      { gather: (label) => label, sum: 'min', apply: (offered, current) => Math.min(offered, current) },
      { maxIterations: 100 },
    );
    const expected = Array.from(generic.graph.numericVertexValues()!);
    const options = { maxIterations: 100, convergence: untilNoChange };
    const here = runTypedGatherSumApplyIteration(unweighted, labels, options);
    expect(Array.from(here.graph.numericVertexValues()!)).toEqual(expected);
    expect(here.converged).toBe(true);
    // Both count the superstep in which nothing changed.
    expect(here.iterations).toBe(generic.iterations);
    expect(here.aggregates).toEqual({ changes: 0 });
    for (const parallelism of [1, 2, 3]) {
      const many = await runTypedGatherSumApplyIteration(unweighted, labels, {
        ...options,
        parallelism,
        pool,
      });
      expect(Array.from(many.graph.numericVertexValues()!)).toEqual(expected);
      expect(many.iterations).toBe(here.iterations);
    }
  });

  it("gives the generic model's weighted sums (sum combiner), bit-identical at parallelism 1, 2 and 3", async () => {
    const steps = 12;
    const generic = runGatherSumApplyIteration<number, number, number, number>(
      weighted,
      {
        gather: (value, weight) => value * weight,
        sum: 'sum',
        apply: (sum) => 0.5 * sum + 0.125,
      },
      { maxIterations: steps },
    );
    const expected = Array.from(generic.graph.numericVertexValues()!);
    const program: TypedGatherSumApplyProgram = {
      combiner: 'sum',
      apply: exported(dampedSum),
      aggregators: { largest: 'max', change: 'sum' },
    };
    const inDegrees = Float64Array.from(csr.inDegrees());
    const options = { maxIterations: steps, arrays: [inDegrees], parameters: [0.125] };
    const here = runTypedGatherSumApplyIteration(weighted, program, options);
    expect(Array.from(here.graph.numericVertexValues()!)).toEqual(expected);
    expect(here.aggregates.largest).toBe(Math.max(...expected));
    for (const parallelism of [1, 2, 3]) {
      const many = await runTypedGatherSumApplyIteration(weighted, program, {
        ...options,
        parallelism,
        pool,
      });
      expect(Array.from(many.graph.numericVertexValues()!)).toEqual(expected);
      expect(many.aggregates).toEqual(here.aggregates);
      expect(many.iterations).toBe(steps);
    }
  });

  it("adds each vertex's messages in in-edge order, one at a time (the sum combiner's exact bits)", async () => {
    // Values whose sums round differently in another order: the combiner's unrolled loop must
    // add left to right, as this plain loop does.
    const values = Float64Array.from({ length: n }, (_, v) => 1 / (v + 3) + (v % 7) * 1e-3);
    const inEdges = unweighted.csr.inEdges();
    const expected = new Float64Array(n);
    for (let v = 0; v < n; v++) {
      let sum = 0;
      for (let e = inEdges.offsets[v]; e < inEdges.offsets[v + 1]; e++) sum += values[inEdges.sources[e]];
      expected[v] = sum;
    }
    function sumInReverse(v: number): number {
      let sum = 0;
      for (let e = inEdges.offsets[v + 1] - 1; e >= inEdges.offsets[v]; e--)
        sum += values[inEdges.sources[e]];
      return sum;
    }
    // The order matters on this graph: summed backwards, some vertices get other bits.
    expect(Array.from({ length: n }, (_, v) => sumInReverse(v))).not.toEqual(Array.from(expected));
    const program: TypedGatherSumApplyProgram = {
      combiner: 'sum',
      apply: exported(sumsWithLargest),
      aggregators: { largest: 'max' },
    };
    const here = runTypedGatherSumApply(inEdges, values, program, { maxIterations: 1 });
    expect(here.values).toEqual(expected);
    const many = await runTypedGatherSumApply(inEdges, values, program, {
      maxIterations: 1,
      parallelism: 2,
      pool,
    });
    expect(many.values).toEqual(expected);
  });

  it('runs a finish after the aggregates and a second step over the out-edges, bit-identical at parallelism 1, 2 and 3', async () => {
    // Written out: sums over in-edges, divided by their largest, then the largest of those
    // over the out-edges (0 for none), which the next superstep's sums read.
    const supersteps = 6;
    const inEdges = unweighted.csr.inEdges();
    const { offsets, targets } = unweighted.csr;
    let sent = Float64Array.from(ids);
    const first = new Float64Array(n);
    const second = new Float64Array(n);
    let change = 0;
    for (let superstep = 0; superstep < supersteps; superstep++) {
      let largest = Number.NEGATIVE_INFINITY;
      for (let v = 0; v < n; v++) {
        let sum = 0;
        for (let e = inEdges.offsets[v]; e < inEdges.offsets[v + 1]; e++) sum += sent[inEdges.sources[e]];
        first[v] = sum;
        if (sum > largest) largest = sum;
      }
      for (let v = 0; v < n; v++) first[v] = largest > 0 ? first[v] / largest : first[v];
      change = 0;
      for (let v = 0; v < n; v++) {
        let most = Number.NEGATIVE_INFINITY;
        for (let e = offsets[v]; e < offsets[v + 1]; e++) most = Math.max(most, first[targets[e]]);
        const value = most === Number.NEGATIVE_INFINITY ? 0 : most;
        change += Math.abs(value - (superstep === 0 ? ids[v] : second[v]));
        second[v] = value;
      }
      sent = Float64Array.from(second);
    }
    const program: TypedGatherSumApplyProgram = {
      combiner: 'sum',
      apply: exported(sumsWithLargest),
      finish: exported(dividedByLargest),
      steps: [{ edges: 1, combiner: 'max', apply: exported(largestOrZero) }],
      aggregators: { largest: 'max', change: 'sum' },
    };
    const indexes = [inEdges, { offsets, sources: targets }];
    const options = { maxIterations: supersteps };
    const here = runTypedGatherSumApply(indexes, ids, program, options);
    expect(Array.from(here.values)).toEqual(Array.from(first));
    expect(here.stepValues[0]).toBe(here.values);
    expect(Array.from(here.stepValues[1])).toEqual(Array.from(second));
    expect(here.aggregates.change).toBeCloseTo(change, 6);
    const graphForm = runTypedGatherSumApplyIteration(unweighted, program, options);
    expect(Array.from(graphForm.graph.numericVertexValues()!)).toEqual(Array.from(first));
    for (const parallelism of [1, 2, 3]) {
      const many = await runTypedGatherSumApply(indexes, ids, program, { ...options, parallelism, pool });
      expect(many.stepValues.map((values) => Array.from(values))).toEqual(
        here.stepValues.map((values) => Array.from(values)),
      );
      expect(many.aggregates).toEqual(here.aggregates);
    }
  });

  it('reports every superstep to a progress, counts never going backwards', () => {
    const seen: number[] = [];
    let finished = 0;
    const progress = { enabled: true, update: (done: number) => seen.push(done), finish: () => finished++ };
    const result = runTypedGatherSumApplyIteration(unweighted, labels, {
      maxIterations: 100,
      convergence: untilNoChange,
      progress,
    });
    expect(seen).toEqual(Array.from({ length: result.iterations }, (_, i) => i + 1));
    expect(finished).toBe(1);
  });

  it('refuses bad programs and options, and a plain apply function on several threads', async () => {
    const inEdges = csr.inEdges();
    const run = (program: Partial<TypedGatherSumApplyProgram>, options: object = {}) =>
      runTypedGatherSumApply(
        inEdges,
        ids,
        { combiner: 'sum', apply: smallestLabel, ...program },
        {
          maxIterations: 3,
          ...options,
        },
      );
    expect(() => run({ combiner: 'product' as 'sum' })).toThrow(ParamError);
    expect(() => run({}, { maxIterations: 0 })).toThrow(/maxIterations/);
    expect(() => run({}, { convergence: untilNoChange })).toThrow(/convergence.aggregator/);
    expect(() => run({ aggregators: { changes: 'mean' as 'sum' } })).toThrow(/aggregators.changes/);
    expect(() => run({}, { arrays: [new Float64Array(3)] })).toThrow(/arrays/);
    expect(() => run({ steps: [{ edges: 1, combiner: 'sum', apply: smallestLabel }] })).toThrow(
      /steps\[0\]\.edges/,
    );
    expect(() => run({ steps: [{ edges: 0, combiner: 'mean' as 'sum', apply: smallestLabel }] })).toThrow(
      /steps\[0\]\.combiner/,
    );
    expect(() =>
      runTypedGatherSumApply(
        [inEdges, { offsets: inEdges.offsets.subarray(1), sources: inEdges.sources }],
        ids,
        {
          combiner: 'sum',
          apply: smallestLabel,
        },
        { maxIterations: 1 },
      ),
    ).toThrow(/initialValues/);
    expect(() => runTypedGatherSumApply(inEdges, ids.subarray(1), labels, { maxIterations: 1 })).toThrow(
      /initialValues/,
    );
    await expect(
      runTypedGatherSumApply(
        inEdges,
        ids,
        { combiner: 'min', apply: smallestLabel },
        {
          maxIterations: 2,
          parallelism: 2,
          pool,
        },
      ),
    ).rejects.toThrow(/exported function/);
    await expect(
      runTypedGatherSumApply(
        inEdges,
        ids,
        { combiner: 'min', apply: exported(smallestLabel), finish: dividedByLargest },
        { maxIterations: 2, parallelism: 2, pool },
      ),
    ).rejects.toThrow(/finish/);
    await expect(
      runTypedGatherSumApply(
        inEdges,
        ids,
        { combiner: 'min', apply: exported(failingApply) },
        {
          maxIterations: 2,
          parallelism: 2,
          pool,
        },
      ),
    ).rejects.toThrow(/apply failed at vertex 5/);
    expect(() =>
      runTypedGatherSumApplyIteration(
        new Graph(generated.dictionary, csr, undefined, weights) as unknown as Graph<
          number,
          number,
          Float64Array
        >,
        labels,
        { maxIterations: 1 },
      ),
    ).toThrow(/vertex values/);
  });
});
