import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, ParamError } from '../../../src/core/errors.js';
import { pathGraph, rmatGraph } from '../../../src/graph/generators.js';
import { Graph } from '../../../src/graph/graph.js';
import { runGatherSumApplyIteration } from '../../../src/graph/iterations/gather-sum-apply.js';
import { runScatterGatherIteration } from '../../../src/graph/iterations/scatter-gather.js';
import { runVertexCentricIteration } from '../../../src/graph/iterations/vertex-centric.js';
import {
  componentsGatherSumApply,
  type NumberGraph,
  pageRankVertexCentric,
  ssspGatherSumApply,
  ssspScatterGather,
} from './algorithms.js';

/** A path 1 -> 2 -> 3 -> 4 with unit lengths. */
const path = () =>
  Graph.fromEdges<number, undefined, number>([
    [1, 2, 1],
    [2, 3, 1],
    [3, 4, 1],
  ]);

/** An R-MAT graph with weights 1..5, big enough for many supersteps. */
function rmat(): NumberGraph {
  const g = rmatGraph({ scale: 9, edgeFactor: 4, seed: 11 });
  const weights = Float64Array.from(g.sources, (_, e) => 1 + (e % 5));
  return Graph.fromArrays(g.sources, g.targets, weights) as NumberGraph;
}

describe('vertex-centric semantics', () => {
  it('computes every vertex in superstep 1, then only those with messages', () => {
    const computed: string[] = [];
    const result = runVertexCentricIteration<number, undefined, number, string>(
      path(),
      (vertex, messages, context) => {
        computed.push(`${context.getSuperstepNumber()}:${vertex.id}:${messages.toArray().join('+')}`);
        if (vertex.id === 1 && context.getSuperstepNumber() === 1) context.sendMessageToAllNeighbors('hello');
        for (const message of messages) context.sendMessageToAllNeighbors(`${message}!`);
      },
      { maxIterations: 10 },
    );
    expect(computed).toEqual(['1:1:', '1:2:', '1:3:', '1:4:', '2:2:hello', '3:3:hello!', '4:4:hello!!']);
    expect(result.iterations).toBe(4);
    expect(result.converged).toBe(true);
  });

  it('delivers every message without a combiner, one combined message with one', () => {
    const star = Graph.fromEdges<number, undefined, undefined>([
      [1, 0],
      [2, 0],
      [3, 0],
    ]);
    const seen: unknown[] = [];
    const program = (
      vertex: { id: number },
      messages: Iterable<number>,
      context: { getSuperstepNumber(): number; sendMessageToAllNeighbors(m: number): void },
    ) => {
      if (context.getSuperstepNumber() === 1) context.sendMessageToAllNeighbors(vertex.id * 10);
      else seen.push([...messages]);
    };
    runVertexCentricIteration(star, program, { maxIterations: 5 });
    runVertexCentricIteration(star, program, {
      maxIterations: 5,
      combiner: (a: number, b: number) => a * 100 + b,
    });
    runVertexCentricIteration(star, program, { maxIterations: 5, combiner: 'max' });
    expect(seen).toEqual([[10, 20, 30], [102030], [30]]);
  });

  it('stops at maxIterations without converging, and checks its options', () => {
    const ping = (_v: unknown, _m: unknown, context: { sendMessageToAllNeighbors(m: number): void }) =>
      context.sendMessageToAllNeighbors(1);
    const cycle = Graph.fromEdges([
      [1, 2],
      [2, 1],
    ]);
    const result = runVertexCentricIteration(cycle, ping, { maxIterations: 7, combiner: 'sum' });
    expect(result).toMatchObject({ iterations: 7, converged: false });
    expect(() => runVertexCentricIteration(cycle, ping, { maxIterations: 0 })).toThrow(/maxIterations/);
    expect(() =>
      runVertexCentricIteration(cycle, ping, { maxIterations: 1, direction: 'up' as 'in' }),
    ).toThrow(ParamError);
  });

  it('names the missing vertex a message was sent to', () => {
    const run = () =>
      runVertexCentricIteration<number, undefined, number, number>(
        path(),
        (vertex, _messages, context) => {
          if (vertex.id === 3) context.sendMessageTo(99, 1);
        },
        { maxIterations: 3, name: 'demo' },
      );
    expect(run).toThrow(ParamError);
    expect(run).toThrow(
      "'message target of vertex 3': 99; expected a vertex of the graph (demo, superstep 1)",
    );
  });

  it('refuses non-numeric messages with a sum/min/max combiner', () => {
    expect(() =>
      runVertexCentricIteration<number, undefined, number, number>(
        path(),
        (_vertex, _messages, context) => context.sendMessageToAllNeighbors('x' as unknown as number),
        { maxIterations: 3, combiner: 'sum' },
      ),
    ).toThrow(/a number/);
  });

  it('exposes aggregators (previous superstep), broadcast sets, vertex count and degrees on request', () => {
    const log: unknown[] = [];
    const program = {
      preSuperstep: (context: { getSuperstepNumber(): number }) =>
        log.push(`pre ${context.getSuperstepNumber()}`),
      postSuperstep: (context: { getSuperstepNumber(): number }) =>
        log.push(`post ${context.getSuperstepNumber()}`),
      compute(
        vertex: { id: number },
        _messages: unknown,
        context: import('../../../src/graph/iterations/vertex-centric.js').ComputeContext<
          number,
          undefined,
          number,
          number
        >,
      ) {
        context.aggregate('count', 1);
        context.aggregate('largest', vertex.id);
        if (vertex.id === 1) {
          log.push([
            context.getPreviousIterationAggregate('count'),
            context.getPreviousIterationAggregate('largest'),
            context.getNumberOfVertices(),
            context.getInDegree(),
            context.getOutDegree(),
            context.getBroadcastSet<number[]>('offsets')[0],
          ]);
          if (context.getSuperstepNumber() === 1) context.sendMessageTo(1, 0);
        }
      },
    };
    const options = {
      maxIterations: 5,
      aggregators: { count: 'sum', largest: 'max' } as const,
      broadcastSets: { offsets: [7] },
    };
    const result = runVertexCentricIteration(path(), program, {
      ...options,
      numberOfVertices: true,
      degrees: true,
    });
    expect(log).toEqual([
      'pre 1',
      [0, Number.NEGATIVE_INFINITY, 4, 0, 1, 7],
      'post 1',
      'pre 2',
      [4, 4, 4, 0, 1, 7],
      'post 2',
    ]);
    expect(result.aggregates).toEqual({ count: 1, largest: 1 });
    log.length = 0;
    runVertexCentricIteration(path(), program, options);
    expect(log[1]).toEqual([0, Number.NEGATIVE_INFINITY, -1, -1, -1, 7]);
    expect(() => runVertexCentricIteration(path(), program, { ...options, broadcastSets: {} })).toThrow(
      /offsets/,
    );
  });
});

describe('scatter-gather and gather-sum-apply semantics', () => {
  it('scatter-gather only scatters from vertices updated in the previous superstep', () => {
    const scattered: string[] = [];
    runScatterGatherIteration<number, number, number, number>(
      path().mapVertices((v) => (v.id === 1 ? 0 : 100)),
      {
        scatter(vertex, context) {
          scattered.push(`${context.getSuperstepNumber()}:${vertex.id}`);
          context.sendMessageToAllNeighbors(vertex.value + 1);
        },
        gather(vertex, messages, context) {
          for (const m of messages) if (m < vertex.value) context.setNewVertexValue(m);
        },
      },
      { maxIterations: 10 },
    );
    expect(scattered).toEqual(['1:1', '1:2', '1:3', '1:4', '2:2', '3:3', '4:4']);
  });

  it('direction "in" sends values against the edges', () => {
    const g = rmat();
    const forward = ssspGatherSumApply(g, 3);
    const backward = ssspGatherSumApply(g.reverse() as NumberGraph, 3, { direction: 'in' });
    expect(backward.graph.numericVertexValues()).toEqual(forward.graph.numericVertexValues());
    const scatterBackward = ssspScatterGather(g.reverse() as NumberGraph, 3, { direction: 'in' });
    expect(scatterBackward.graph.numericVertexValues()).toEqual(forward.graph.numericVertexValues());
  });

  it('gather-sum-apply works on general values', () => {
    // Widest path (maximum bottleneck) from 'a', with edge capacities and values as {width} objects.
    const g = Graph.fromEdges<string, { width: number }, number>(
      [
        ['a', 'b', 5],
        ['a', 'c', 2],
        ['b', 'c', 4],
        ['c', 'd', 7],
      ],
      { vertexValue: (key) => ({ width: key === 'a' ? Number.POSITIVE_INFINITY : 0 }) },
    );
    const result = runGatherSumApplyIteration<string, { width: number }, number, number>(
      g,
      {
        gather: (neighbour, capacity) => Math.min(neighbour.width, capacity),
        sum: (x, y) => Math.max(x, y),
        apply: (width, current) => (width > current.width ? { width } : undefined),
      },
      { maxIterations: 10 },
    );
    expect(result.graph.getVertices().map((v) => v.value.width)).toEqual([Number.POSITIVE_INFINITY, 5, 4, 4]);
    expect(result.converged).toBe(true);
  });
});

describe('checkpoints', () => {
  it('a vertex-centric run resumed from a checkpoint ends exactly like an uninterrupted one', () => {
    const g = rmat();
    const directory = mkdtempSync(join(tmpdir(), 'eddy-checkpoint-'));
    const full = pageRankVertexCentric(g, 30);
    const first = pageRankVertexCentric(g, 12, { checkpoint: { dir: directory, every: 5 } });
    expect(first.iterations).toBe(12);
    const resumed = pageRankVertexCentric(g, 30, { resumeFrom: directory });
    expect(resumed.iterations).toBe(30);
    expect(resumed.graph.numericVertexValues()).toEqual(full.graph.numericVertexValues());
    expect(resumed.aggregates).toEqual(full.aggregates);
  });

  it('scatter-gather and GSA runs cut short after 3 supersteps resume to the same end', () => {
    // A 40-vertex path: both algorithms need about 40 supersteps.
    const line = pathGraph(40);
    const g = Graph.fromArrays(
      line.sources,
      line.targets,
      new Float64Array(line.sources.length).fill(1),
    ) as NumberGraph;
    for (const run of [
      (extra: object) => ssspScatterGather(g, 0, extra),
      (extra: object) => componentsGatherSumApply(g, extra),
    ]) {
      const directory = mkdtempSync(join(tmpdir(), 'eddy-checkpoint-'));
      const full = run({});
      expect(full.iterations).toBeGreaterThan(3);
      const cut = run({ checkpoint: { dir: directory }, maxIterations: 3 });
      expect(cut.converged).toBe(false);
      expect(cut.graph.numericVertexValues()).not.toEqual(full.graph.numericVertexValues());
      const resumed = run({ resumeFrom: directory });
      expect(resumed.graph.numericVertexValues()).toEqual(full.graph.numericVertexValues());
      expect(resumed.iterations).toBe(full.iterations);
      expect(resumed.converged).toBe(true);
    }
  });

  it('refuses a checkpoint of another model or graph', () => {
    const directory = mkdtempSync(join(tmpdir(), 'eddy-checkpoint-'));
    ssspGatherSumApply(rmat(), 0, { checkpoint: { dir: directory }, maxIterations: 2 });
    expect(() => ssspScatterGather(rmat(), 0, { resumeFrom: directory })).toThrow(InputError);
    expect(() => ssspGatherSumApply(path() as NumberGraph, 1, { resumeFrom: directory })).toThrow(
      /another graph/,
    );
    expect(() =>
      ssspGatherSumApply(path() as NumberGraph, 1, { resumeFrom: join(directory, 'none') }),
    ).toThrow(/no checkpoint/);
  });

  it('refuses a checkpoint of a graph with the same vertices but other edges (a hash of its CSR)', () => {
    const directory = mkdtempSync(join(tmpdir(), 'eddy-checkpoint-'));
    const ring = (step: number) =>
      Graph.fromArrays(
        Array.from({ length: 30 }, (_, v) => v),
        Array.from({ length: 30 }, (_, v) => (v + step) % 30),
        new Float64Array(30).fill(1),
      ) as NumberGraph;
    ssspGatherSumApply(ring(1), 0, { checkpoint: { dir: directory }, maxIterations: 2 });
    expect(() => ssspGatherSumApply(ring(2), 0, { resumeFrom: directory })).toThrow(/another graph/);
    expect(ssspGatherSumApply(ring(1), 0, { resumeFrom: directory }).iterations).toBe(30);
  });
});

describe('Graph iteration methods', () => {
  it('run the same iterations as the functions', () => {
    const g = path().mapVertices((v) => (v.id === 1 ? 0 : Number.POSITIVE_INFINITY));
    const gsa = g.runGatherSumApplyIteration<number>(
      { gather: (d, w) => d + w, sum: 'min', apply: (c, d) => Math.min(c, d) },
      { maxIterations: 10 },
    );
    expect(Array.from(gsa.graph.numericVertexValues()!)).toEqual([0, 1, 2, 3]);
    const scatterGather = g.runScatterGatherIteration<number>(
      {
        scatter: (v, context) => context.sendMessagesAlongEdges((w) => v.value + w),
        gather: (v, messages, context) => {
          for (const m of messages) if (m < v.value) context.setNewVertexValue(m);
        },
      },
      { maxIterations: 10, combiner: 'min' },
    );
    expect(scatterGather.graph.numericVertexValues()).toEqual(gsa.graph.numericVertexValues());
    const pregel = g.runVertexCentricIteration<number>(
      (v, messages, context) => {
        let best = v.value;
        for (const m of messages) best = Math.min(best, m);
        if (best < v.value || (context.getSuperstepNumber() === 1 && best === 0)) {
          context.setNewVertexValue(best);
          context.sendMessagesAlongEdges((w) => best + w);
        }
      },
      { maxIterations: 10, combiner: 'min' },
    );
    expect(pregel.graph.numericVertexValues()).toEqual(gsa.graph.numericVertexValues());
  });
});
