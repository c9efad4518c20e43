import { describe, expect, it } from 'vitest';
import { OneHotEncoder, type OneHotEncoderModel } from '../../../algorithms/ml/one-hot-encoder.js';
import {
  MinMaxScaler,
  type MinMaxScalerModel,
  StandardScaler,
  type StandardScalerModel,
} from '../../../algorithms/ml/scalers.js';
import {
  type IndexToString,
  StringIndexer,
  type StringIndexerModel,
} from '../../../algorithms/ml/string-indexer.js';
import { VectorAssembler } from '../../../algorithms/ml/vector-assembler.js';
import type { DenseMatrix } from '../../../src/core/matrix.js';
import { modelFromJSON } from '../../../src/ml/persistence.js';
import { getColumn } from '../../../src/ml/table-input.js';
import { tableFromCsvText } from '../../../src/ml/tabular-file.js';
import type { Table } from '../../../src/table/table.js';

const frame = tableFromCsvText('a,b,colour\n1,10,red\n2,10,blue\n3,10,red\n6,10,green\n', 'f.csv');

function vectors(result: Table, name: string): number[][] {
  return (getColumn(result, name).values as DenseMatrix).toRows();
}

/** A saved-and-loaded copy of a stage, to check that persistence keeps behaviour. */
function reload<T>(stage: { toJSON(): unknown }): T {
  return modelFromJSON(JSON.parse(JSON.stringify(stage.toJSON()))) as T;
}

describe('feature stages', () => {
  it('StandardScaler: zero mean, unit population variance; constant columns unscaled', async () => {
    const model = await new StandardScaler({ inputCol: ['a', 'b'] }).fit(frame);
    const scaled = vectors(reload<StandardScalerModel>(model).transformTable(frame), 'scaled');
    const column = scaled.map((row) => row[0]);
    const mean = column.reduce((s, v) => s + v, 0) / 4;
    expect(mean).toBeCloseTo(0, 12);
    expect(column.reduce((s, v) => s + (v - mean) ** 2, 0) / 4).toBeCloseTo(1, 12);
    expect(scaled.map((row) => row[1])).toEqual([0, 0, 0, 0]);
    expect(model.std[0]).toBeCloseTo(Math.sqrt(3.5), 12);
  });

  it('MinMaxScaler: onto [min, max], constant columns at min', async () => {
    const model = await new MinMaxScaler({ inputCol: ['a', 'b'], min: -1, max: 1 }).fit(frame);
    const scaled = vectors(reload<MinMaxScalerModel>(model).transformTable(frame), 'scaled');
    expect(scaled.map((row) => row[0])).toEqual([-1, -0.6, -0.2, 1].map((v) => expect.closeTo(v, 12)));
    expect(scaled.map((row) => row[1])).toEqual([-1, -1, -1, -1]);
    expect(() => new MinMaxScaler({ min: 1, max: 1 })).toThrow("parameter 'max'");
  });

  it('StringIndexer by frequency then alphabet, its inverse, and unseen values', async () => {
    const model = await new StringIndexer({ inputCol: 'colour', outputCol: 'index' }).fit(frame);
    expect(model.labels).toEqual(['red', 'blue', 'green']);
    const indexed = reload<StringIndexerModel>(model).transformTable(frame);
    expect(Array.from(getColumn(indexed, 'index').values as Float64Array)).toEqual([0, 1, 0, 2]);
    const back = reload<IndexToString>(model.inverse({ outputCol: 'again' })).transformTable(indexed);
    expect(getColumn(back, 'again').values).toEqual(['red', 'blue', 'red', 'green']);
    const unseen = tableFromCsvText('colour\nred\npink\n', 'new.csv');
    expect(() => model.transformTable(unseen)).toThrow(
      'new.csv:3: value not seen when the indexer was fitted: got "pink"',
    );
    model.set('handleInvalid', 'keep');
    expect(Array.from(getColumn(model.transformTable(unseen), 'index').values as Float64Array)).toEqual([
      0, 3,
    ]);
  });

  it('OneHotEncoder with and without the last category', async () => {
    const indexed = (
      await new StringIndexer({ inputCol: 'colour', outputCol: 'index' }).fit(frame)
    ).transformTable(frame);
    const model = await new OneHotEncoder({ inputCol: 'index', outputCol: 'onehot' }).fit(indexed);
    expect(vectors(reload<OneHotEncoderModel>(model).transformTable(indexed), 'onehot')).toEqual([
      [1, 0],
      [0, 1],
      [1, 0],
      [0, 0],
    ]);
    model.set('dropLast', false);
    expect(vectors(model.transformTable(indexed), 'onehot')[3]).toEqual([0, 0, 1]);
  });

  it('VectorAssembler joins numeric and vector columns in order', () => {
    const assembled = new VectorAssembler({ inputCols: ['b', 'a'], outputCol: 'v' }).transformTable(frame);
    const twice = reload<VectorAssembler>(
      new VectorAssembler({ inputCols: ['v', 'a'], outputCol: 'w' }),
    ).transformTable(assembled);
    expect(vectors(twice, 'w')[3]).toEqual([10, 6, 6]);
    expect(() => new VectorAssembler({ inputCols: ['colour'] }).transformTable(frame)).toThrow(
      "f.csv:2: feature column 'colour' is not numeric",
    );
  });
});
