/** Iteration mechanics: loop-invariant caching, nesting, stop conditions, aggregator errors. */
import { describe, expect, it } from 'vitest';
import { countAggregator, env, maxAggregator, sumAggregator } from '../../src/dataset/index.js';

const environment = env({ parallelism: 2 });

describe('bulk iterations', () => {
  it('computes loop-invariant inputs once, and the step once per superstep', async () => {
    let staticCalls = 0;
    let stepCalls = 0;
    const table = environment.generateSequence(1, 4).map((x) => {
      staticCalls++;
      return x;
    });
    const iteration = environment.fromCollection([0]).iterate(5);
    const next = iteration
      .map((x, context) => {
        stepCalls++;
        return x + context.broadcast<number>('table').length;
      })
      .withBroadcastSet(table, 'table');
    expect(await iteration.closeWith(next).collect()).toEqual([20]);
    expect(staticCalls).toBe(4);
    expect(stepCalls).toBe(5);
  });

  it('nests: the inner iteration restarts its supersteps in every outer superstep', async () => {
    const outer = environment.fromCollection([0]).iterate(3, { name: 'outer' });
    const innerSupersteps: number[] = [];
    const inner = outer.map((x) => x).iterate(4, { name: 'inner' });
    const innerNext = inner.map((x, context) => {
      innerSupersteps.push(context.superstep);
      return x + 1;
    });
    const next = inner.closeWith(innerNext).map((x, context) => x * 10 + context.superstep);
    const result = outer.closeWith(next);
    const plan = result.explain();
    expect(plan).toMatch(
      /bulk iteration 'outer' begins[^\n]*\n {2}#\d+ partial solution 'outer'[^\n]*\n {2}#\d+ map[^\n]*\n {2}bulk iteration 'inner' begins[^\n]*\n {4}#\d+ partial solution 'inner'/,
    );
    // 0 -> 4 -> 41 -> 45 -> 452 -> 456 -> 4563
    expect(await result.collect()).toEqual([4563]);
    expect(innerSupersteps).toEqual([1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4]);
    expect(environment.lastJob!.iterations.map((report) => `${report.name}:${report.supersteps}`)).toEqual([
      'inner:4',
      'inner:4',
      'inner:4',
      'outer:3',
    ]);
  });

  it('a termination criterion stops after the first superstep in which it is empty', async () => {
    const iteration = environment.fromCollection([1, 2, 3]).iterate(100);
    const next = iteration.map((x) => x * 2);
    const result = await iteration
      .closeWith(
        next,
        next.filter((x) => x < 40),
      )
      .collect();
    // Superstep 5 makes [32, 64, 96] (32 < 40); superstep 6 makes [64, 128, 192], none < 40.
    expect(result).toEqual([64, 128, 192]);
    expect(environment.lastJob!.iterations[0]).toMatchObject({
      supersteps: 6,
      stoppedBy: 'terminationCriterion',
    });
  });

  it('a convergence criterion sees the superstep and the aggregated value', async () => {
    const calls: [number, number][] = [];
    const iteration = environment.fromCollection([10, 20]).iterate(50);
    iteration.registerConvergenceCriterion('largest', maxAggregator(), (largest, superstep) => {
      calls.push([largest, superstep]);
      return largest < 3;
    });
    const next = iteration.map((x, context) => {
      context.aggregate('largest', x / 2);
      return x / 2;
    });
    expect(await iteration.closeWith(next).collect()).toEqual([1.25, 2.5]);
    expect(calls).toEqual([
      [10, 1],
      [5, 2],
      [2.5, 3],
    ]);
  });

  it('rejects a second closeWith, duplicate aggregators and unknown aggregator names', async () => {
    const iteration = environment.fromCollection([1]).iterate(2);
    iteration.registerAggregator('a', sumAggregator());
    expect(() => iteration.registerAggregator('a', sumAggregator())).toThrow(
      /aggregator name not registered yet/,
    );
    const unknown = iteration.closeWith(
      iteration.map((x, context) => {
        context.aggregate('b', 1);
        return x;
      }),
    );
    expect(() => iteration.closeWith(iteration)).toThrow(/iteration not closed yet/);
    await expect(unknown.collect()).rejects.toThrow(/no aggregator named 'b' is registered on iteration/);
  });
});

describe('delta iterations', () => {
  it('stops on a convergence criterion, and delta records replace solution records by key', async () => {
    const solution = environment.generateSequence(1, 5).map((x): [number, number] => [x, 0]);
    const iteration = solution.iterateDelta(environment.fromCollection([1, 3]), 100, 0);
    iteration.registerConvergenceCriterion(
      'updates',
      countAggregator(),
      (_updates, superstep) => superstep >= 3,
    );
    const delta = iteration.workset
      .join(iteration.solutionSet)
      .where((x) => x)
      .equalTo(0)
      .map(([, [key, value]], context): [number, number] => {
        context.aggregate('updates', 1);
        return [key, value + 1];
      });
    const result = await iteration.closeWith(delta, iteration.workset).collect();
    expect(new Map(result)).toEqual(
      new Map([
        [1, 3],
        [2, 0],
        [3, 3],
        [4, 0],
        [5, 0],
      ]),
    );
    expect(environment.lastJob!.iterations[0]).toMatchObject({ supersteps: 3, stoppedBy: 'convergence' });
  });

  it('adds delta records with new keys, and rejects duplicate keys in the initial solution set', async () => {
    const solution = environment.fromCollection([{ id: 'a', n: 1 }]);
    const iteration = solution.iterateDelta(environment.fromCollection(['b', 'c']), 5, 'id');
    const delta = iteration.workset.map((id) => ({ id, n: 2 }));
    const result = await iteration
      .closeWith(
        delta,
        iteration.workset.filter(() => false),
      )
      .collect();
    expect(result.sort((x, y) => x.id.localeCompare(y.id))).toEqual([
      { id: 'a', n: 1 },
      { id: 'b', n: 2 },
      { id: 'c', n: 2 },
    ]);
    expect(environment.lastJob!.iterations[0]).toMatchObject({ supersteps: 1, stoppedBy: 'emptyWorkset' });
    const duplicated = environment.fromCollection([{ id: 'a' }, { id: 'a' }]);
    const bad = duplicated.iterateDelta(environment.fromCollection([1]), 2, 'id');
    await expect(bad.closeWith(bad.solutionSet, bad.workset).collect()).rejects.toThrow(
      /initial solution set has two records with key "a"/,
    );
  });

  it('joins with the solution set on its key look records up instead of scanning it', async () => {
    let keyCalls = 0;
    function byVertex(record: [number, number]): number {
      keyCalls++;
      return record[0];
    }
    const solution = environment.generateSequence(1, 1000).map((x): [number, number] => [x, x]);
    const iteration = solution.iterateDelta(environment.fromCollection([7]), 3, byVertex);
    const delta = iteration.workset
      .join(iteration.solutionSet)
      .where((x) => x)
      .equalTo(byVertex)
      .with((key, [, value]): [number, number] => [key, value + 1]);
    const result = await iteration.closeWith(delta, iteration.workset).collect();
    expect(new Map(result).get(7)).toBe(10);
    // 1000 keys to build the index, one per delta record; a scanning join would add 1000 per superstep.
    expect(keyCalls).toBe(1003);
  });
});
