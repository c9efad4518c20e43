import {
  Table as ArrowTable,
  DateDay,
  makeVector,
  tableFromIPC,
  tableToIPC,
  vectorFromArray,
} from 'apache-arrow';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { KMeans } from '../../algorithms/ml/kmeans/index.js';
import { LinearRegression } from '../../algorithms/ml/linear-regression.js';
import { LogisticRegression } from '../../algorithms/ml/logistic-regression.js';
import { HashingTF } from '../../algorithms/ml/text/hashing-tf.js';
import { Tokenizer } from '../../algorithms/ml/text/tokenizer.js';
import { InputError } from '../../src/core/errors.js';
import { DenseMatrix } from '../../src/core/matrix.js';
import { random } from '../../src/core/random.js';
import { denseVectorData } from '../../src/table/columns.js';
import { SqlEngine } from '../../src/table/sql.js';
import { Table } from '../../src/table/table.js';
import type { TableColumn } from '../../src/table/typed-columns.js';

/**
 * eddy's one table model: a Table holds Arrow batches or typed columns, and ML stages, the
 * relational operations and SQL all take the same Table.
 */

const SPECIES = ['ash', 'birch', 'cedar'];

/** 240 rows: a vector column of three features, a numeric target and a string class. */
function typedData(): Table {
  const rng = random(17);
  const n = 240;
  const features = new DenseMatrix(n, 3);
  const target = new Float64Array(n);
  const species: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    for (let j = 0; j < 3; j++) features.data[i * 3 + j] = rng.normal(c * 2 + j, 1);
    target[i] = 1.5 * features.get(i, 0) - 2 * features.get(i, 2) + rng.normal(0, 0.1);
    species.push(SPECIES[c]);
  }
  return Table.fromTypedColumns(
    ['features', 'target', 'species'],
    [
      { kind: 'vector', values: features },
      { kind: 'number', values: target },
      { kind: 'string', values: species },
    ],
  );
}

/** The same data as Arrow tables: built by the Table API, read back from IPC, and in two batches. */
function arrowForms(typed: Table): Table[] {
  const column = (name: string) => typed.columns[typed.names.indexOf(name)].values;
  const built = Table.fromColumns({
    features: column('features') as DenseMatrix,
    target: column('target') as Float64Array,
    species: column('species') as string[],
  });
  const fromIpc = Table.fromArrow(tableFromIPC(tableToIPC(typed.toArrow())), 'ipc');
  const twoBatches = built.limit(100).unionAll(built.limit(1000, 100));
  expect(twoBatches.getBatches()).toHaveLength(2);
  return [built, fromIpc, twoBatches];
}

describe('one table model', () => {
  const engine = new SqlEngine();
  afterAll(() => engine.close());

  it('fits the same models from a Table of Arrow batches as from typed columns', async () => {
    const typed = typedData();
    const linear = await new LinearRegression({ labelCol: 'target' }).fit(typed);
    const kmeans = await new KMeans({ k: 3, seed: 5 }).fit(typed);
    const logistic = await new LogisticRegression({ labelCol: 'species', reg: 0.01 }).fit(typed);
    for (const table of arrowForms(typed)) {
      const other = await new LinearRegression({ labelCol: 'target' }).fit(table);
      expect(Array.from(other.coefficients)).toEqual(Array.from(linear.coefficients));
      expect(other.intercept).toBe(linear.intercept);
      const clusters = await new KMeans({ k: 3, seed: 5 }).fit(table);
      expect(Array.from(clusters.centroids.data)).toEqual(Array.from(kmeans.centroids.data));
      const classes = await new LogisticRegression({ labelCol: 'species', reg: 0.01 }).fit(table);
      expect(Array.from(classes.coefficients.data)).toEqual(Array.from(logistic.coefficients.data));
      expect(classes.classes).toEqual(logistic.classes);
    }
    // The fit is a real one: the coefficients are near the ones the data was made with.
    expect(linear.coefficients[0]).toBeCloseTo(1.5, 1);
    expect(linear.coefficients[2]).toBeCloseTo(-2, 1);
  });

  it('gives a Table from transform that select, filter and SQL take', async () => {
    const typed = typedData();
    const model = await new KMeans({ k: 3, seed: 5 }).fit(typed);
    const scored = await model.transform(arrowForms(typed)[0]);
    expect(scored).toBeInstanceOf(Table);
    expect(scored.names).toEqual(['features', 'target', 'species', 'prediction']);
    const predictions = scored.columns[3].values as Float64Array;
    const counts = [0, 1, 2].map((c) => predictions.filter((p) => p === c).length);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(240);

    const zero = scored.select('species', 'prediction').filter((row) => row.prediction === 0);
    expect(zero.getSchema().getFieldNames()).toEqual(['species', 'prediction']);
    expect(zero.numRows).toBe(counts[0]);

    engine.createTemporaryView('scored', scored);
    const perCluster = await engine.sqlQuery(
      'SELECT prediction, COUNT(*) AS n FROM scored GROUP BY prediction ORDER BY prediction',
    );
    expect(perCluster.collect()).toEqual(counts.map((n, c) => [c, BigInt(n)]));
  });

  it('shares the Float64Array of number and vector columns with Arrow, both ways', () => {
    const values = Float64Array.from([1, 2, 3]);
    const flat = Float64Array.from([1, 2, 3, 4, 5, 6]);
    const typed = Table.fromTypedColumns(
      ['x', 'v'],
      [
        { kind: 'number', values },
        { kind: 'vector', values: new DenseMatrix(3, 2, flat) },
      ],
    );
    const arrow = typed.toArrow();
    expect(arrow.getChild('x')!.data[0].values.buffer).toBe(values.buffer);
    expect(arrow.getChild('v')!.data[0].children[0].values.buffer).toBe(flat.buffer);
    expect(typed.column('x').data[0].values.buffer).toBe(values.buffer);

    const fromArrow = Table.fromArrow(
      new ArrowTable({ x: makeVector(values), v: makeVector(denseVectorData(flat, 2)) }),
    );
    const [x, v] = fromArrow.columns;
    expect(x.kind === 'number' && x.values.buffer).toBe(values.buffer);
    expect(v.kind === 'vector' && v.values.data.buffer).toBe(flat.buffer);
    expect(v.kind === 'vector' && v.values.get(2, 1)).toBe(6);
  });

  it("reads an Arrow number column's nulls as NaN without writing into Arrow's buffer", () => {
    const table = Table.fromRows([{ x: 1.5 }, { x: null }, { x: 3 }], undefined, 'nulls');
    const arrowValues = table.column('x').data[0].values as Float64Array;
    const typed = table.columns[0].values as Float64Array;
    expect(Array.from(typed)).toEqual([1.5, Number.NaN, 3]);
    expect(typed.buffer).not.toBe(arrowValues.buffer);
    expect(arrowValues[1]).toBe(0);
  });

  it('converts token and sparse columns for the relational operations; SQL names the column it cannot take', async () => {
    const documents = Table.fromTypedColumns(['text'], [{ kind: 'string', values: ['a b a', 'c', 'b c d'] }]);
    const words = new Tokenizer({ inputCol: 'text', outputCol: 'words' }).transformTable(documents);
    const hashed = new HashingTF({ inputCol: 'words', outputCol: 'tf', numFeatures: 8 }).transformTable(
      words,
    );

    const long = hashed.filter((row) => (row.words as string[]).length > 1).select('words');
    expect(long.collect()).toEqual([[['a', 'b', 'a']], [['b', 'c', 'd']]]);
    // Back from Arrow, the columns are what the stages made.
    const back = Table.fromArrow(tableFromIPC(tableToIPC(hashed.toArrow())));
    expect(back.columns[1]).toEqual(hashed.columns[1]);
    const [sparseBack, sparse] = [back.columns[2], hashed.columns[2]];
    expect(sparseBack.kind === 'sparse' && sparseBack.values.toDense()).toEqual(
      sparse.kind === 'sparse' && sparse.values.toDense(),
    );

    engine.createTemporaryView('words', hashed.select('text', 'words'));
    const query = engine.sqlQuery('SELECT text FROM words');
    await expect(query).rejects.toThrow(InputError);
    await expect(engine.sqlQuery('SELECT text FROM words')).rejects.toThrow("column 'words'");
    // Every query loads the views it has not loaded yet: the refused one goes first.
    engine.dropTemporaryView('words');
    engine.createTemporaryView('tf', hashed.select('tf'));
    await expect(engine.sqlQuery('SELECT * FROM tf')).rejects.toThrow("column 'tf'");
  });

  it('keeps typed columns, categories included, through Arrow and IPC (property)', () => {
    const column = (rows: number): fc.Arbitrary<TableColumn> =>
      fc.oneof(
        fc
          .record({
            values: fc.array(fc.double({ noNaN: true }), { minLength: rows, maxLength: rows }),
            categories: fc.option(fc.integer({ min: 1, max: 9 }), { nil: undefined }),
          })
          .map(({ values, categories }) => ({
            kind: 'number' as const,
            values: Float64Array.from(values),
            ...(categories === undefined ? {} : { categories }),
          })),
        fc
          .array(fc.string(), { minLength: rows, maxLength: rows })
          .map((values) => ({ kind: 'string' as const, values })),
        fc.array(fc.double({ noNaN: true }), { minLength: rows * 2, maxLength: rows * 2 }).map((values) => ({
          kind: 'vector' as const,
          values: new DenseMatrix(rows, 2, Float64Array.from(values)),
        })),
        fc
          .array(fc.array(fc.string(), { maxLength: 3 }), { minLength: rows, maxLength: rows })
          .map((values) => ({ kind: 'tokens' as const, values })),
      );
    const tables = fc
      .integer({ min: 1, max: 6 })
      .chain((rows) => fc.array(column(rows), { minLength: 1, maxLength: 4 }));
    fc.assert(
      fc.property(tables, (columns) => {
        const names = columns.map((_, j) => `c${j}`);
        const typed = Table.fromTypedColumns(names, columns);
        const back = Table.fromArrow(tableFromIPC(tableToIPC(typed.toArrow())));
        expect(back.names).toEqual(names);
        expect(back.numRows).toBe(typed.numRows);
        expect(back.columns).toEqual(columns);
      }),
      { numRuns: 60 },
    );
  });

  it('names the column an Arrow type has no typed form for', () => {
    const dates = Table.fromArrow(
      new ArrowTable({ when: vectorFromArray([new Date(0), new Date(86_400_000)], new DateDay()) }),
      'dates.arrow',
    );
    expect(dates.numRows).toBe(2);
    expect(() => dates.columns).toThrow("column 'when' has Arrow type Date");
  });
});
