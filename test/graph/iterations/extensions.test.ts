// The iteration models' extensions for library algorithms: a convergence criterion over an
// aggregator, uncombined numeric messages in typed lists (with broadcasts pulled over in-edges),
// MessageIterator.copyInto, and the empty graph.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParamError } from '../../../src/core/errors.js';
import { buildCsr } from '../../../src/graph/csr.js';
import { rmatGraph } from '../../../src/graph/generators.js';
import { Graph } from '../../../src/graph/graph.js';
import { runGatherSumApplyIteration } from '../../../src/graph/iterations/gather-sum-apply.js';
import { NumberListInbox } from '../../../src/graph/iterations/inboxes.js';
import { GeneralInbox, type Inbox, MessageIterator } from '../../../src/graph/iterations/messages.js';
import { runScatterGatherIteration } from '../../../src/graph/iterations/scatter-gather.js';
import { runVertexCentricIteration } from '../../../src/graph/iterations/vertex-centric.js';

/** A cycle 0 -> 1 -> ... -> n-1 -> 0: messages never die out on it. */
const cycle = (n: number) =>
  Graph.fromEdges<number, number, undefined>(
    Array.from({ length: n }, (_, v) => [v, (v + 1) % n] as const),
  ).mapVertices((vertex) => vertex.id);

describe('convergence criterion', () => {
  const options = (stopAt: number) => ({
    maxIterations: 50,
    aggregators: { largest: 'max' as const },
    convergence: { aggregator: 'largest', criterion: (value: unknown) => (value as number) >= stopAt },
  });

  it('stops each model after the first superstep whose aggregate satisfies it, converged', () => {
    const steps: number[] = [];
    const vertexCentric = runVertexCentricIteration<number, number, undefined, number>(
      cycle(4),
      (vertex, _messages, context) => {
        context.aggregate('largest', context.getSuperstepNumber());
        context.sendMessageToAllNeighbors(vertex.value);
        if (vertex.id === 0) steps.push(context.getSuperstepNumber());
      },
      options(5),
    );
    expect(vertexCentric).toMatchObject({ iterations: 5, converged: true, aggregates: { largest: 5 } });
    expect(steps).toEqual([1, 2, 3, 4, 5]);

    const scatterGather = runScatterGatherIteration<number, number, undefined, number>(
      cycle(4),
      {
        scatter: (vertex, context) => context.sendMessageToAllNeighbors(vertex.value),
        gather(vertex, _messages, context) {
          context.aggregate('largest', context.getSuperstepNumber());
          context.setNewVertexValue(vertex.value);
        },
      },
      options(3),
    );
    expect(scatterGather).toMatchObject({ iterations: 3, converged: true });

    const gatherSumApply = runGatherSumApplyIteration<number, number, undefined, number>(
      cycle(4),
      {
        gather: (value) => value,
        sum: 'sum',
        apply: (_sum, current, context) => {
          context.aggregate('largest', context.getSuperstepNumber());
          return current + 1;
        },
      },
      options(2),
    );
    expect(gatherSumApply).toMatchObject({ iterations: 2, converged: true });
  });

  it('leaves the run to maxIterations when it never holds, unconverged', () => {
    const result = runScatterGatherIteration<number, number, undefined, number>(
      cycle(3),
      {
        scatter: (vertex, context) => context.sendMessageToAllNeighbors(vertex.value),
        gather: (vertex, _messages, context) => context.setNewVertexValue(vertex.value),
      },
      { ...options(1), maxIterations: 4, aggregators: { largest: 'max' } },
    );
    expect(result).toMatchObject({ iterations: 4, converged: false });
  });

  it('names a criterion that is not a function or an aggregator that is not registered', () => {
    const program = (
      vertex: { value: number },
      _messages: unknown,
      context: { sendMessageToAllNeighbors(m: number): void },
    ) => context.sendMessageToAllNeighbors(vertex.value);
    expect(() =>
      runVertexCentricIteration(cycle(3), program, {
        maxIterations: 3,
        convergence: { aggregator: 'nothing', criterion: () => true },
      }),
    ).toThrow(/convergence\.aggregator.*a registered aggregator \(none\)/);
    expect(() =>
      runVertexCentricIteration(cycle(3), program, {
        maxIterations: 3,
        aggregators: { changes: 'sum' },
        convergence: { aggregator: 'changes', criterion: 0 as unknown as () => boolean },
      }),
    ).toThrow(ParamError);
  });
});

describe('an empty graph', () => {
  it('runs no superstep on any model', () => {
    const empty = Graph.fromEdges<number, number, undefined>([]);
    const never = () => {
      throw new Error('no vertex to run');
    };
    expect(runVertexCentricIteration(empty, never, { maxIterations: 5 })).toMatchObject({
      iterations: 0,
      converged: true,
    });
    expect(
      runScatterGatherIteration(empty, { scatter: never, gather: never }, { maxIterations: 5 }),
    ).toMatchObject({ iterations: 0, converged: true });
    expect(
      runGatherSumApplyIteration(empty, { gather: never, sum: 'min', apply: never }, { maxIterations: 5 }),
    ).toMatchObject({ iterations: 0, converged: true });
  });
});

/** What an inbox delivers: each receiver (ascending) with its messages in order. */
function delivered<M>(inbox: Inbox<M>): [number, M[]][] {
  const iterator = new MessageIterator<M>();
  return Array.from(inbox.receivers(), (v) => {
    inbox.load(v, iterator);
    return [v, iterator.toArray()];
  });
}

/** One superstep's sends: to one vertex, to a range of targets, or a broadcast along out-edges. */
type Send =
  | { kind: 'send'; target: number; message: number | string }
  | { kind: 'all'; sender: number; message: number }
  | { kind: 'broadcast'; sender: number; message: number };

describe('uncombined numeric messages in typed lists', () => {
  const graph = rmatGraph({ scale: 5, edgeFactor: 3, seed: 4 });
  const n = 32;
  const { csr } = buildCsr(n, graph.sources, graph.targets, {});
  const sendArbitrary = fc.oneof(
    fc.record({
      kind: fc.constant('send' as const),
      target: fc.integer({ min: 0, max: n - 1 }),
      message: fc.oneof(
        { weight: 9, arbitrary: fc.double({ noNaN: true }) },
        { weight: 1, arbitrary: fc.string() },
      ),
    }),
    fc.record({
      kind: fc.constant('all' as const),
      sender: fc.integer({ min: 0, max: n - 1 }),
      message: fc.double(),
    }),
    fc.record({
      kind: fc.constant('broadcast' as const),
      sender: fc.integer({ min: 0, max: n - 1 }),
      message: fc.double(),
    }),
  );
  /** A superstep's sends with broadcasts in ascending sender order, as the models make them. */
  const superstepArbitrary = fc.array(sendArbitrary, { maxLength: 40 });

  function play(inbox: Inbox<number | string>, sends: readonly Send[]): void {
    for (const send of sends) {
      const { offsets, targets } = csr;
      if (send.kind === 'send') inbox.send(send.target, send.message);
      else if (send.kind === 'broadcast' && inbox instanceof NumberListInbox)
        inbox.broadcast(send.sender, send.message);
      else if (inbox instanceof NumberListInbox && send.kind === 'all') {
        inbox.sendToAll(targets, offsets[send.sender], offsets[send.sender + 1], send.message);
      } else {
        for (let e = offsets[send.sender]; e < offsets[send.sender + 1]; e++)
          inbox.send(targets[e], send.message);
      }
    }
  }

  it('deliver the messages a GeneralInbox delivers, in the same order, superstep after superstep', () => {
    fc.assert(
      fc.property(fc.array(superstepArbitrary, { minLength: 1, maxLength: 3 }), (supersteps) => {
        const typed = new NumberListInbox<number | string>(n, csr);
        const general = new GeneralInbox<number | string>(n);
        for (const sends of supersteps) {
          play(typed, sends);
          play(general, sends);
          expect(typed.count).toBe(general.count);
          expect(delivered(typed)).toEqual(delivered(general));
          expect(typed.snapshot()).toEqual(general.snapshot());
          typed.clear();
          general.clear();
        }
      }),
      { numRuns: 300 },
    );
  });

  it('pull a superstep of broadcasts over the in-edges with the pushed order, and restore a snapshot', () => {
    const typed = new NumberListInbox<number>(n, csr);
    const general = new GeneralInbox<number>(n);
    const broadcasts: Send[] = Array.from({ length: n }, (_, v) => ({
      kind: 'broadcast',
      sender: v,
      message: v * 1.5,
    }));
    play(typed as Inbox<number | string>, broadcasts);
    play(general as Inbox<number | string>, broadcasts);
    expect(delivered(typed)).toEqual(delivered(general));
    const restored = new NumberListInbox<number>(n, csr);
    restored.restore(typed.snapshot());
    expect(delivered(restored)).toEqual(delivered(general));
  });

  it('give vertex-centric runs the same answers as the general path', () => {
    const start = Graph.fromArrays(graph.sources, graph.targets).mapVertices((vertex) => vertex.id);
    const run = (execution: 'auto' | 'general') =>
      runVertexCentricIteration<number, number, undefined, number>(
        start,
        (vertex, messages, context) => {
          let sum = vertex.value;
          for (const message of messages) sum = (sum * 31 + message) % 1_000_003;
          context.setNewVertexValue(sum);
          if (context.getSuperstepNumber() < 6) context.sendMessageToAllNeighbors(sum);
        },
        { maxIterations: 10, execution },
      );
    const auto = run('auto');
    const general = run('general');
    expect(auto.iterations).toBe(6);
    expect(general.iterations).toBe(6);
    expect(auto.graph.numericVertexValues()).toEqual(general.graph.numericVertexValues());
  });

  it('copyInto copies a vertex’s messages into a typed array and counts them', () => {
    const iterator = new MessageIterator<number>();
    const target = new Int32Array(4);
    iterator.setRange([9, 8, 7, 6, 5], 1, 3);
    expect(iterator.copyInto(target)).toBe(3);
    expect([...target]).toEqual([8, 7, 6, 0]);
    iterator.setSingle(4);
    expect(iterator.copyInto(target)).toBe(1);
    expect(target[0]).toBe(4);
    iterator.setEmpty();
    expect(iterator.copyInto(target)).toBe(0);
  });
});

describe('message pairs', () => {
  it('arrive consecutively, per edge in the messaging direction, senders ascending', () => {
    const graph = Graph.fromEdges<number, number, number>([
      [2, 1, 0.5],
      [1, 3, 2],
      [3, 1, 4],
    ]).mapVertices((vertex) => vertex.id * 10);
    const received = new Map<number, number[]>();
    runScatterGatherIteration<number, number, number, number>(
      graph,
      {
        scatter: (vertex, context) =>
          context.sendMessagePairsAlongEdges(vertex.value, (weight) => weight * 100),
        gather: (vertex, messages) => {
          received.set(vertex.id, messages.toArray());
        },
      },
      { maxIterations: 1, direction: 'all' },
    );
    // Vertex 1 hears from 2 (edge 2 -> 1), then from 3 along its out-edge 3 -> 1, then along
    // its in-edge 1 -> 3.
    expect(received.get(1)).toEqual([20, 50, 30, 400, 30, 200]);
    expect(received.get(2)).toEqual([10, 50]);
    expect(received.get(3)).toEqual([10, 200, 10, 400]);
  });

  it('are refused with a sum/min/max combiner, which would combine them', () => {
    const graph = Graph.fromEdges<number, number, number>([[1, 2, 1]]).mapVertices(() => 1);
    expect(() =>
      runScatterGatherIteration<number, number, number, number>(
        graph,
        {
          scatter: (vertex, context) => context.sendMessagePairsAlongEdges(vertex.value, (weight) => weight),
          gather: () => {},
        },
        { maxIterations: 1, combiner: 'sum' },
      ),
    ).toThrow(/combiner.*none for message pairs/);
  });
});
