/**
 * Property tests: for random inputs, every program gives the same result at parallelism
 * 1, 2 and 4 (the same records; the same order where the program defines one), and the
 * same result as a plain-JavaScript reference.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DataSet, type ExecutionEnvironment, env, sumAggregator } from '../../src/dataset/index.js';

const environments = [1, 2, 4].map((parallelism) => env({ parallelism }));
const runs = { numRuns: 40 };

/** Runs `program` in every environment and returns the results. */
async function atEveryParallelism<T>(
  program: (environment: ExecutionEnvironment) => DataSet<T>,
): Promise<T[][]> {
  return Promise.all(environments.map((environment) => program(environment).collect()));
}

const sortedJson = (records: unknown[]) => records.map((record) => JSON.stringify(record)).sort();
const pairs = fc.array(fc.tuple(fc.integer({ min: 0, max: 8 }), fc.integer({ min: -50, max: 50 })), {
  maxLength: 60,
});

describe('results do not depend on parallelism', () => {
  it('map, filter, flatMap keep the input order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 80 }), async (values) => {
        const results = await atEveryParallelism((environment) =>
          environment
            .fromCollection(values)
            .map((x) => x * 3)
            .filter((x) => x % 2 === 0)
            .flatMap((x) => [x, x + 1]),
        );
        const expected = values
          .map((x) => x * 3)
          .filter((x) => x % 2 === 0)
          .flatMap((x) => [x, x + 1]);
        for (const result of results) expect(result).toEqual(expected);
      }),
      runs,
    );
  });

  it('groupBy + reduce equals a Map-based sum', async () => {
    await fc.assert(
      fc.asyncProperty(pairs, async (records) => {
        const results = await atEveryParallelism((environment) =>
          environment
            .fromCollection(records)
            .groupBy(0)
            .reduce((a, b) => [a[0], a[1] + b[1]] as [number, number]),
        );
        const expected = new Map<number, number>();
        for (const [key, value] of records) expected.set(key, (expected.get(key) ?? 0) + value);
        for (const result of results) {
          expect(result).toHaveLength(expected.size);
          expect(new Map(result)).toEqual(expected);
        }
      }),
      runs,
    );
  });

  it('distinct by key keeps the first record of each key', async () => {
    await fc.assert(
      fc.asyncProperty(pairs, async (records) => {
        const results = await atEveryParallelism((environment) =>
          environment.fromCollection(records).distinct(0),
        );
        const firsts = new Map<number, [number, number]>();
        for (const record of records) if (!firsts.has(record[0])) firsts.set(record[0], record);
        for (const result of results) expect(sortedJson(result)).toEqual(sortedJson([...firsts.values()]));
      }),
      runs,
    );
  });

  it('inner and full outer joins equal nested loops', async () => {
    await fc.assert(
      fc.asyncProperty(pairs, pairs, async (left, right) => {
        const inner = await atEveryParallelism((environment) =>
          environment.fromCollection(left).join(environment.fromCollection(right)).where(0).equalTo(0),
        );
        const expectedInner = left.flatMap((l) => right.filter((r) => r[0] === l[0]).map((r) => [l, r]));
        for (const result of inner) expect(sortedJson(result)).toEqual(sortedJson(expectedInner));
        const full = await atEveryParallelism((environment) =>
          environment
            .fromCollection(left)
            .fullOuterJoin(environment.fromCollection(right))
            .where(0)
            .equalTo(0),
        );
        const expectedFull = [
          ...expectedInner,
          ...left.filter((l) => !right.some((r) => r[0] === l[0])).map((l) => [l, null]),
          ...right.filter((r) => !left.some((l) => l[0] === r[0])).map((r) => [null, r]),
        ];
        for (const result of full) expect(sortedJson(result)).toEqual(sortedJson(expectedFull));
      }),
      runs,
    );
  });

  it('coGroup sees the same groups', async () => {
    await fc.assert(
      fc.asyncProperty(pairs, pairs, async (left, right) => {
        const results = await atEveryParallelism((environment) =>
          environment
            .fromCollection(left)
            .coGroup(environment.fromCollection(right))
            .where(0)
            .equalTo(0)
            .with((ls, rs) => [[(ls[0] ?? rs[0])[0], ls.map((l) => l[1]), rs.map((r) => r[1])]]),
        );
        const keys = [...new Set([...left, ...right].map(([key]) => key))];
        const expected = keys.map((key) => [
          key,
          left.filter((l) => l[0] === key).map((l) => l[1]),
          right.filter((r) => r[0] === key).map((r) => r[1]),
        ]);
        for (const result of results) expect(sortedJson(result)).toEqual(sortedJson(expected));
      }),
      runs,
    );
  });

  it('a sort at parallelism 1 and grouped top-n are identical everywhere', async () => {
    await fc.assert(
      fc.asyncProperty(pairs, async (records) => {
        const sorted = await atEveryParallelism((environment) =>
          environment.fromCollection(records).sortPartition(1, 'desc').sortPartition(0).setParallelism(1),
        );
        const expected = [...records].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
        for (const result of sorted) expect(result).toEqual(expected);
        const top = await atEveryParallelism((environment) =>
          environment.fromCollection(records).groupBy(0).sortGroup(1, 'asc').first(2),
        );
        for (const result of top) expect(sortedJson(result)).toEqual(sortedJson(top[0]));
      }),
      runs,
    );
  });

  it('a bulk iteration with an aggregator reaches the same state and aggregates', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 40 }), async (values) => {
        const seen = environments.map(() => new Map<number, number | undefined>());
        const results = await Promise.all(
          environments.map((environment, e) => {
            const iteration = environment.fromCollection(values).iterate(4);
            iteration.registerAggregator('total', sumAggregator());
            const next = iteration.map((x, context) => {
              context.aggregate('total', x);
              seen[e].set(context.superstep, context.previousAggregate<number>('total'));
              return (x * 7 + 3) % 101;
            });
            return iteration.closeWith(next).collect();
          }),
        );
        for (const result of results) expect(result).toEqual(results[0]);
        if (values.length > 0) for (const map of seen) expect([...map]).toEqual([...seen[0]]);
      }),
      runs,
    );
  });

  it('a delta iteration (connected components) gives the same solution set', async () => {
    const edges = fc.array(fc.tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 15 })), {
      maxLength: 25,
    });
    await fc.assert(
      fc.asyncProperty(edges, async (edgeList) => {
        const results = await atEveryParallelism((environment) => {
          const vertices = environment.generateSequence(0, 15).map((v): [number, number] => [v, v]);
          const links = environment
            .fromCollection(edgeList)
            .flatMap(([a, b]) => [[a, b] as [number, number], [b, a] as [number, number]]);
          const iteration = vertices.iterateDelta(vertices, 50, 0);
          const changes = iteration.workset
            .join(links)
            .where(0)
            .equalTo(0)
            .with(([, component], [, to]): [number, number] => [to, component])
            .groupBy(0)
            .min(1)
            .join(iteration.solutionSet)
            .where(0)
            .equalTo(0)
            .filter(([candidate, current]) => candidate[1] < current[1])
            .map(([candidate]) => candidate);
          return iteration.closeWith(changes, changes);
        });
        for (const result of results) expect(new Map(result)).toEqual(new Map(results[0]));
      }),
      runs,
    );
  });
});
