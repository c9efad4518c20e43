/** Operator semantics, one operator at a time, at more than one parallelism. */
import { describe, expect, it } from 'vitest';
import { env, OperatorError } from '../../src/dataset/index.js';

const parallel = env({ parallelism: 3 });
const single = env({ parallelism: 1 });

describe('record operators', () => {
  it('map, flatMap, filter keep the input order', async () => {
    const numbers = parallel.generateSequence(1, 10);
    expect(await numbers.map((x) => x * 10).collect()).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(await numbers.flatMap((x) => (x <= 3 ? [x, -x] : [])).collect()).toEqual([1, -1, 2, -2, 3, -3]);
    expect(await numbers.filter((x) => x % 4 === 0).collect()).toEqual([4, 8]);
    expect(
      await numbers
        .flatMap(function* (x) {
          if (x === 2) yield* ['a', 'b'];
        })
        .collect(),
    ).toEqual(['a', 'b']);
  });

  it('mapPartition sees each partition once, with its index', async () => {
    const result = await parallel
      .generateSequence(1, 7)
      .mapPartition((values, context) => [{ partition: context.partition, values: [...values] }])
      .collect();
    expect(result).toEqual([
      { partition: 0, values: [1, 2, 3] },
      { partition: 1, values: [4, 5] },
      { partition: 2, values: [6, 7] },
    ]);
  });

  it('reduce folds everything into one record; an empty data set stays empty', async () => {
    expect(
      await parallel
        .generateSequence(1, 100)
        .reduce((a, b) => a + b)
        .collect(),
    ).toEqual([5050]);
    expect(
      await parallel
        .fromCollection<number>([])
        .reduce((a, b) => a + b)
        .collect(),
    ).toEqual([]);
    expect(
      await parallel
        .generateSequence(1, 100)
        .reduce((a, b) => a + b)
        .count(),
    ).toBe(1);
  });

  it('reduceGroup over the whole data set sees every record in order', async () => {
    const result = await parallel
      .generateSequence(1, 5)
      .reduceGroup((values) => [values.join('+')])
      .collect();
    expect(result).toEqual(['1+2+3+4+5']);
  });

  it('aggregate sums, mins and maxes fields, keeping the first record for the rest', async () => {
    const rows = [
      { name: 'a', x: 3, y: 10 },
      { name: 'b', x: -1, y: 20 },
      { name: 'c', x: 7, y: 5 },
    ];
    expect(await parallel.fromCollection(rows).aggregate('sum', 'x').and('max', 'y').collect()).toEqual([
      { name: 'a', x: 9, y: 20 },
    ]);
    expect(await parallel.fromCollection(rows).min('x').collect()).toEqual([{ name: 'a', x: -1, y: 10 }]);
    await expect(parallel.fromCollection(rows).sum('name').collect()).rejects.toThrow(
      /aggregate.*failed on record \{"name":"a".*field "name" is not a number/,
    );
  });

  it('first(n) takes records in partition order', async () => {
    expect(await parallel.generateSequence(1, 10).first(4).collect()).toEqual([1, 2, 3, 4]);
    expect(await parallel.generateSequence(1, 3).first(10).collect()).toEqual([1, 2, 3]);
  });
});

describe('keyed operators', () => {
  const people = [
    { name: 'ann', city: 'oslo', age: 31 },
    { name: 'bob', city: 'rome', age: 25 },
    { name: 'cid', city: 'oslo', age: 47 },
    { name: 'dan', city: 'rome', age: 25 },
    { name: 'eve', city: 'oslo', age: 19 },
    { name: 'fay', city: 'lima', age: 52 },
  ];

  it('distinct removes equal records, compared by value', async () => {
    const result = await parallel
      .fromCollection([
        [1, 2],
        [1, 2],
        [2, 1],
        [1, 2],
      ])
      .distinct()
      .collect();
    expect(result.sort()).toEqual([
      [1, 2],
      [2, 1],
    ]);
  });

  it('distinct by key keeps the first record of each key in input order', async () => {
    for (const environment of [single, parallel]) {
      const result = await environment.fromCollection(people).distinct('city').collect();
      expect(result.map((p) => p.name).sort()).toEqual(['ann', 'bob', 'fay']);
      const byFunction = await environment
        .fromCollection(people)
        .distinct((p) => p.age % 2)
        .collect();
      expect(byFunction.map((p) => p.name).sort()).toEqual(['ann', 'fay']);
    }
  });

  it('groupBy + reduce combines per key', async () => {
    const oldest = await parallel
      .fromCollection(people)
      .groupBy('city')
      .reduce((a, b) => (b.age > a.age ? b : a))
      .collect();
    // Ties keep the earlier record (bob before dan).
    expect(oldest.map((p) => p.name).sort()).toEqual(['bob', 'cid', 'fay']);
  });

  it('groupBy + reduceGroup sees whole groups; aggregate works per group', async () => {
    const summary = await parallel
      .fromCollection(people)
      .groupBy((p) => p.city)
      .reduceGroup((group) => [`${group[0].city}:${group.map((p) => p.name).join(',')}`])
      .collect();
    expect(summary.sort()).toEqual(['lima:fay', 'oslo:ann,cid,eve', 'rome:bob,dan']);
    const ages = await parallel.fromCollection(people).groupBy('city').sum('age').and('max', 'age').collect();
    // sum then max of the same field: max wins, as the later aggregation replaces the field.
    expect(ages.map((p) => [p.city, p.age]).sort()).toEqual([
      ['lima', 52],
      ['oslo', 47],
      ['rome', 25],
    ]);
    const totals = await parallel.fromCollection(people).groupBy('city').sum('age').collect();
    expect(totals.map((p) => [p.city, p.name, p.age]).sort()).toEqual([
      ['lima', 'fay', 52],
      ['oslo', 'ann', 97],
      ['rome', 'bob', 50],
    ]);
  });

  it('grouped first(n) with sortGroup takes the top records of each group', async () => {
    const youngest = await parallel
      .fromCollection(people)
      .groupBy('city')
      .sortGroup('age', 'asc')
      .first(2)
      .collect();
    expect(youngest.map((p) => p.name).sort()).toEqual(['ann', 'bob', 'dan', 'eve', 'fay']);
    const oldestFirst = await single
      .fromCollection(people)
      .groupBy('city')
      .sortGroup('age', 'desc')
      .sortGroup('name', 'desc')
      .reduceGroup((group) => [group.map((p) => p.name).join(',')])
      .collect();
    expect(oldestFirst.sort()).toEqual(['cid,ann,eve', 'dan,bob', 'fay']);
    const unsorted = await parallel.fromCollection(people).groupBy('city').first(1).collect();
    expect(unsorted.map((p) => p.name).sort()).toEqual(['ann', 'bob', 'fay']);
  });

  it('partitionByHash puts equal keys in one partition; rebalance evens sizes', async () => {
    const partitions = await parallel
      .fromCollection(people)
      .partitionByHash('city')
      .mapPartition((values) => [[...new Set(values.map((p) => p.city))]])
      .collect();
    const cities = partitions.flat();
    expect(cities.sort()).toEqual(['lima', 'oslo', 'rome']);
    const sizes = await parallel
      .fromCollection(people)
      .partitionByHash('city')
      .rebalance()
      .mapPartition((values) => [values.length])
      .collect();
    expect(sizes).toEqual([2, 2, 2]);
  });

  it('sortPartition sorts within partitions; with parallelism 1 it is a total order', async () => {
    const sorted = await parallel
      .fromCollection(people)
      .sortPartition('age', 'desc')
      .sortPartition('name', 'asc')
      .setParallelism(1)
      .collect();
    expect(sorted.map((p) => p.name)).toEqual(['fay', 'cid', 'ann', 'bob', 'dan', 'eve']);
    const perPartition = await parallel
      .fromCollection([5, 4, 3, 2, 1, 0])
      .sortPartition((x) => x)
      .collect();
    expect(perPartition).toEqual([4, 5, 2, 3, 0, 1]);
  });
});

describe('joins, coGroup, cross, union, project', () => {
  const left = [
    [1, 'a'],
    [2, 'b'],
    [2, 'bb'],
    [3, 'c'],
  ] as [number, string][];
  const right = [
    [2, 'x'],
    [3, 'y'],
    [4, 'z'],
  ] as [number, string][];

  const sortPairs = (pairs: unknown[]) => pairs.map((pair) => JSON.stringify(pair)).sort();

  it('inner join pairs matching keys; with() maps each pair', async () => {
    const pairs = await parallel
      .fromCollection(left)
      .join(parallel.fromCollection(right))
      .where(0)
      .equalTo(0)
      .collect();
    expect(sortPairs(pairs)).toEqual(
      sortPairs([
        [
          [2, 'b'],
          [2, 'x'],
        ],
        [
          [2, 'bb'],
          [2, 'x'],
        ],
        [
          [3, 'c'],
          [3, 'y'],
        ],
      ]),
    );
    const joined = await parallel
      .fromCollection(left)
      .join(parallel.fromCollection(right))
      .where(0)
      .equalTo(0)
      .with((l, r) => `${l[1]}${r[1]}`)
      .collect();
    expect(joined.sort()).toEqual(['bbx', 'bx', 'cy']);
  });

  it('outer joins fill the missing side with null', async () => {
    const l = parallel.fromCollection(left);
    const r = parallel.fromCollection(right);
    const leftOuter = await l
      .leftOuterJoin(r)
      .where(0)
      .equalTo(0)
      .with((a, b) => `${a[1]}-${b?.[1] ?? null}`)
      .collect();
    expect(leftOuter.sort()).toEqual(['a-null', 'b-x', 'bb-x', 'c-y']);
    const rightOuter = await l
      .rightOuterJoin(r)
      .where(0)
      .equalTo(0)
      .with((a, b) => `${a?.[1] ?? null}-${b[1]}`)
      .collect();
    expect(rightOuter.sort()).toEqual(['b-x', 'bb-x', 'c-y', 'null-z']);
    const fullOuter = await l.fullOuterJoin(r).where(0).equalTo(0).collect();
    expect(sortPairs(fullOuter)).toEqual(
      sortPairs([
        [[1, 'a'], null],
        [
          [2, 'b'],
          [2, 'x'],
        ],
        [
          [2, 'bb'],
          [2, 'x'],
        ],
        [
          [3, 'c'],
          [3, 'y'],
        ],
        [null, [4, 'z']],
      ]),
    );
  });

  it('coGroup gives both groups of every key, either side possibly empty', async () => {
    const groups = await parallel
      .fromCollection(left)
      .coGroup(parallel.fromCollection(right))
      .where(0)
      .equalTo(0)
      .with((ls, rs) => [
        `${(ls[0] ?? rs[0])[0]}:${ls.map((x) => x[1]).join('')}|${rs.map((x) => x[1]).join('')}`,
      ])
      .collect();
    expect(groups.sort()).toEqual(['1:a|', '2:bbb|x', '3:c|y', '4:|z']);
    const emptyLeft = await parallel
      .fromCollection<[number, string]>([])
      .coGroup(parallel.fromCollection(right))
      .where(0)
      .equalTo(0)
      .with((ls, rs) => [ls.length * 10 + rs.length])
      .collect();
    expect(emptyLeft).toEqual([1, 1, 1]);
  });

  it('cross pairs everything; union concatenates; project keeps fields', async () => {
    const crossed = await parallel
      .fromCollection([1, 2])
      .cross(parallel.fromCollection(['a', 'b', 'c']))
      .with((n, s) => `${n}${s}`)
      .collect();
    expect(crossed.sort()).toEqual(['1a', '1b', '1c', '2a', '2b', '2c']);
    const pairs = await single
      .fromCollection([1])
      .cross(single.fromCollection(['a']))
      .collect();
    expect(pairs).toEqual([[1, 'a']]);
    const union = await parallel.generateSequence(1, 3).union(parallel.generateSequence(7, 8)).collect();
    expect(union.sort()).toEqual([1, 2, 3, 7, 8]);
    expect(
      await single
        .fromCollection([[1, 'a', true]])
        .project(2, 0)
        .collect(),
    ).toEqual([[true, 1]]);
    expect(
      await single
        .fromCollection([{ a: 1, b: 2, c: 3 }])
        .project('c', 'a')
        .collect(),
    ).toEqual([{ c: 3, a: 1 }]);
    await expect(single.fromCollection([5]).project(0).collect()).rejects.toThrow(/project needs tuples/);
  });
});

describe('broadcast sets and the runtime context', () => {
  it('every partition reads the whole broadcast set', async () => {
    const factors = parallel.fromCollection([2, 3]);
    const result = await parallel
      .generateSequence(1, 4)
      .map((x, context) => x * context.broadcast<number>('factors').reduce((a, b) => a * b, 1))
      .withBroadcastSet(factors, 'factors')
      .collect();
    expect(result).toEqual([6, 12, 18, 24]);
  });

  it('broadcast sets and parallelism set before join/cross .with() are kept', async () => {
    const left = parallel.fromCollection([1, 2]);
    const right = parallel.fromCollection([1, 2]);
    const joined = await left
      .join(right)
      .where((x) => x)
      .equalTo((x) => x)
      .withBroadcastSet(parallel.fromCollection([100]), 'offset')
      .setParallelism(1)
      .with((l, r, context) => l + r + context.broadcast<number>('offset')[0])
      .mapPartition((values) => [values.length])
      .collect();
    expect(joined).toEqual([2]);
    const crossed = await left
      .cross(right)
      .withBroadcastSet(parallel.fromCollection([10]), 'offset')
      .with((l, r, context) => l * r * context.broadcast<number>('offset')[0])
      .collect();
    expect(crossed.sort((a, b) => a - b)).toEqual([10, 20, 20, 40]);
  });

  it('asking for an unknown broadcast set names the operator and the known sets', async () => {
    const job = parallel
      .generateSequence(1, 2)
      .map((_x, context) => context.broadcast('missing'))
      .name('reader')
      .withBroadcastSet(parallel.fromCollection([1]), 'present');
    await expect(job.collect()).rejects.toThrow(
      /map 'reader'.*no broadcast set named 'missing' \(registered: 'present'\)/,
    );
  });

  it('superstep is 0 outside iterations and aggregate() is an error there', async () => {
    expect(
      await single
        .fromCollection([1])
        .map((_x, context) => context.superstep)
        .collect(),
    ).toEqual([0]);
    await expect(
      single
        .fromCollection([1])
        .map((_x, context) => context.aggregate('a', 1))
        .collect(),
    ).rejects.toThrow(/aggregate\('a'\) called outside an iteration/);
  });
});

describe('errors', () => {
  it('a throwing function fails the job naming the operator and the record', async () => {
    const job = parallel.fromCollection([{ id: 1 }, { id: 2 }, { id: 3 }]).map(function parse(record) {
      if (record.id === 2) throw new Error('bad id');
      return record;
    });
    const error = await job.collect().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OperatorError);
    expect((error as OperatorError).message).toMatch(
      /^#\d+ map 'parse' failed on record \{"id":2\}: bad id$/,
    );
    expect((error as OperatorError).record).toEqual({ id: 2 });
    expect((error as OperatorError).cause).toBeInstanceOf(Error);
  });

  it('a key selector that returns undefined names the operator', async () => {
    const job = parallel
      .fromCollection([{ a: 1 }, { b: 2 }])
      .groupBy('a')
      .reduce((x) => x);
    await expect(job.collect()).rejects.toThrow(
      /groupBy\.reduce\(field 'a'\).*failed on record \{"b":2\}: key selector field 'a' returned undefined/,
    );
    const join = parallel
      .fromCollection([1])
      .join(parallel.fromCollection([{ k: 1 }]))
      .where((x) => x)
      .equalTo('nope' as 'k');
    await expect(join.collect()).rejects.toThrow(/join\.inner.*key selector field 'nope' returned undefined/);
  });

  it('bad parameters are ParamErrors at plan time', () => {
    expect(() => env({ parallelism: 0 })).toThrow(/parallelism/);
    expect(() => parallel.generateSequence(1, 2).first(-1)).toThrow(/count/);
    expect(() => parallel.generateSequence(1, 2).iterate(0)).toThrow(/maxIterations/);
    expect(() => parallel.generateSequence(1, 2).sortPartition((x) => x, 'up' as 'asc')).toThrow(/order/);
    expect(() => parallel.generateSequence(1, 2).groupBy(-1 as never)).toThrow(/key/);
    expect(() => parallel.generateSequence(5, 2)).toThrow(/to/);
  });

  it('an iteration head used outside its iteration is an error', async () => {
    const iteration = parallel.generateSequence(1, 2).iterate(2);
    await expect(iteration.map((x) => x).collect()).rejects.toThrow(
      /used outside its iteration.*never closed/,
    );
  });
});

describe('explain()', () => {
  it('lists operators with keys and parallelism, and marks where iterations begin and end', () => {
    const environment = env({ parallelism: 4 });
    const words = environment.fromCollection(['a b', 'b c']).flatMap(function tokenize(line: string) {
      return line.split(' ');
    });
    const counts = words
      .map((word) => ({ word, count: 1 }))
      .groupBy('word')
      .sum('count');
    const iteration = counts.iterate(5, { name: 'loop' });
    const next = iteration.map(function bump(record) {
      return { ...record, count: record.count + 1 };
    });
    const plan = iteration.closeWith(next).explain().split('\n');
    expect(plan).toEqual([
      expect.stringMatching(/^#\d+ fromCollection\(2 records\) {2}\[parallelism 4\]$/),
      expect.stringMatching(/^#\d+ flatMap 'tokenize' <- #\d+ {2}\[parallelism 4\]$/),
      expect.stringMatching(/^#\d+ map <- #\d+ {2}\[parallelism 4\]$/),
      expect.stringMatching(
        /^#\d+ groupBy\.aggregate\(field 'word'; sum "count"\) <- #\d+ {2}\[parallelism 4\]$/,
      ),
      "bulk iteration 'loop' begins (maxIterations 5)",
      expect.stringMatching(/^ {2}#\d+ partial solution 'loop' {2}\[parallelism 4\]$/),
      expect.stringMatching(/^ {2}#\d+ map 'bump' <- #\d+ {2}\[parallelism 4\]$/),
      expect.stringMatching(/^bulk iteration 'loop' ends \(next #\d+\)$/),
      expect.stringMatching(/^#\d+ bulk iteration 'loop' <- #\d+ {2}\[parallelism 4\]$/),
      expect.stringMatching(/^sink: collect <- #\d+$/),
    ]);
  });

  it('shows broadcast inputs, loop-invariant inputs before the iteration, and reduce at parallelism 1', () => {
    const environment = env({ parallelism: 2 });
    const points = environment.generateSequence(1, 10).name('points');
    const iteration = environment.fromCollection([0]).iterate(3, { name: 'fit' });
    const next = points
      .map((x) => x)
      .withBroadcastSet(iteration, 'model')
      .reduce((a, b) => a + b);
    const text = iteration.closeWith(next).explain();
    expect(text).toMatch(
      /#(\d+) generateSequence\(1\.\.10\) 'points'[^\n]*\n(.*\n)*bulk iteration 'fit' begins/,
    );
    expect(text).toMatch(/map <- #\d+ {2}\[parallelism 2, broadcast 'model' <- #\d+\]/);
    expect(text).toMatch(/reduce <- #\d+ {2}\[parallelism 1\]/);
  });

  it('shows a delta iteration with its key, heads, step and checkpoint', () => {
    const environment = env({ parallelism: 2 });
    const vertices = environment.generateSequence(0, 3).map((v): [number, number] => [v, v]);
    const edges = environment.fromCollection<[number, number]>([[0, 1]]);
    const iteration = vertices.iterateDelta(vertices, 10, 0, {
      name: 'cc',
      checkpoint: { dir: 'ckpt', every: 2 },
    });
    const changes = iteration.workset
      .join(edges)
      .where(0)
      .equalTo(0)
      .with(([, component], [, to]): [number, number] => [to, component])
      .join(iteration.solutionSet)
      .where(0)
      .equalTo(0)
      .map(([candidate]) => candidate);
    const lines = iteration.closeWith(changes, changes).explain().split('\n');
    expect(lines).toContain(
      "delta iteration 'cc' begins (maxIterations 10, key index 0, checkpoint every 2 in ckpt)",
    );
    expect(lines.filter((line) => line.startsWith('  '))).toEqual([
      expect.stringMatching(/^ {2}#\d+ workset 'cc' {2}\[parallelism 2\]$/),
      expect.stringMatching(/^ {2}#\d+ join\.inner\(index 0 = index 0\) <- #\d+, #\d+/),
      expect.stringMatching(/^ {2}#\d+ solution set\(key index 0\) 'cc'/),
      expect.stringMatching(/^ {2}#\d+ join\.inner\(index 0 = index 0\)/),
      expect.stringMatching(/^ {2}#\d+ map <- #\d+/),
    ]);
    expect(lines.at(-3)).toMatch(/^delta iteration 'cc' ends \(solution delta #(\d+), next workset #\1\)$/);
  });
});
