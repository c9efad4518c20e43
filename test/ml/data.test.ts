import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC, tableToIPC } from 'apache-arrow';
import fc from 'fast-check';
import { Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { DenseMatrix } from '../../src/core/matrix.js';
import { classLabels, extractFeatures, numericLabels, sampleWeights } from '../../src/ml/data.js';
import { toTable } from '../../src/ml/table-input.js';
import { readTabularFile, tableFromCsvText } from '../../src/ml/tabular-file.js';
import { Table } from '../../src/table/table.js';

const csv = 'a,b,label\n1,2,x\n3,4,y\n5,6,x\n';

describe('class labels', () => {
  it('index numeric labels by their sorted distinct values, small whole numbers or not', () => {
    const label = fc.oneof(
      fc.integer({ min: 0, max: 12 }),
      fc.integer({ min: 65530, max: 65540 }),
      fc.constantFrom(-1, -0, 0.5, 2.25, 1e9),
    );
    fc.assert(
      fc.property(fc.array(label, { minLength: 1, maxLength: 60 }), (values) => {
        const { classes, indices } = classLabels(Table.fromColumns({ y: Float64Array.from(values) }), 'y');
        const expected = [...new Set(values.map((v) => (Object.is(v, -0) ? 0 : v)))].sort((a, b) => a - b);
        expect(classes).toEqual(expected);
        expect(Array.from(indices)).toEqual(values.map((v) => expected.indexOf(v)));
      }),
    );
  });
});

describe('feature extraction', () => {
  it('takes every numeric column but the label by default, or the listed ones', () => {
    const frame = tableFromCsvText(csv, 'data.csv');
    const all = extractFeatures(frame, 'features', ['label']);
    expect(all.featuresCol).toEqual(['a', 'b']);
    expect(Array.from(all.matrix.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(extractFeatures(frame, ['b']).matrix.data)).toEqual([2, 4, 6]);
    expect(classLabels(frame, 'label')).toEqual({ classes: ['x', 'y'], indices: Int32Array.of(0, 1, 0) });
  });

  it('names the file, line and column of every problem', () => {
    const text = tableFromCsvText('a,colour,y\n1,red,2\n2,blue,3\n', 'cars.csv');
    expect(() => extractFeatures(text, 'features', ['y'])).toThrow(
      'cars.csv:2: feature column \'colour\' is not numeric: got "red"',
    );
    const missing = tableFromCsvText('a,b\n1,2\n3,\n', 'gaps.csv');
    expect(() => extractFeatures(missing, 'features')).toThrow(
      'gaps.csv:3: missing or non-finite value in feature column \'b\': got "NaN", expected a finite number',
    );
    expect(() => numericLabels(tableFromCsvText(csv, 'data.csv'), 'price')).toThrow(
      "data.csv: no label column 'price': expected one of the columns a, b, label",
    );
    expect(() => numericLabels(tableFromCsvText(csv, 'data.csv'), 'label')).toThrow(
      "data.csv:2: label column 'label' is not numeric",
    );
    expect(() => sampleWeights(tableFromCsvText('w\n1\n-2\n', 'w.csv'), 'w')).toThrow(
      'w.csv:3: bad sample weight',
    );
  });
});

describe('frames', () => {
  it('wrap matrices, rows, ml-matrix and labelled data without losing values', () => {
    const rows = [
      [1, 2],
      [3, 4],
    ];
    for (const data of [rows, DenseMatrix.fromRows(rows), new Matrix(rows)]) {
      const frame = toTable(data);
      expect(frame.names).toEqual(['features']);
      expect(extractFeatures(frame, 'features').matrix.toRows()).toEqual(rows);
    }
    const labelled = toTable({ features: rows, labels: ['a', 'b'], weights: [1, 2] });
    expect(labelled.names).toEqual(['features', 'label', 'weight']);
  });

  it('round-trip through Arrow IPC with vector, number and string columns', async () => {
    const frame = Table.fromTypedColumns(
      ['v', 'n', 's'],
      [
        {
          kind: 'vector',
          values: DenseMatrix.fromRows([
            [1, 2],
            [3, 4],
            [5, 6],
          ]),
        },
        { kind: 'number', values: Float64Array.of(7, 8, 9) },
        { kind: 'string', values: ['p', 'q', 'r'] },
      ],
    );
    const back = Table.fromArrow(tableFromIPC(tableToIPC(frame.toArrow())));
    expect(back.names).toEqual(['v', 'n', 's']);
    expect(back.columns.map((c) => c.kind)).toEqual(['vector', 'number', 'string']);
    expect((back.columns[0].values as DenseMatrix).toRows()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const directory = mkdtempSync(join(tmpdir(), 'eddy-data-'));
    writeFileSync(join(directory, 'f.arrow'), tableToIPC(frame.toArrow(), 'file'));
    const read = await readTabularFile(join(directory, 'f.arrow'));
    expect(Array.from(read.columns[1].values as Float64Array)).toEqual([7, 8, 9]);
  });
});
