import { firstTextCell } from '../core/csv.js';
import { InputError } from '../core/errors.js';
import { DenseMatrix } from '../core/matrix.js';
import { DataSet } from '../dataset/dataset.js';
import type { Table } from '../table/table.js';
import { tableFromDataSet } from './dataset-input.js';
import { getColumn, type InMemoryData, rowLocation, toTable } from './table-input.js';

/**
 * Getting estimator inputs out of data: the feature matrix, labels and weights, with every
 * problem (a text column among the features, a missing label column, NaN) reported as one line
 * that names the file, the line and the column.
 */

/**
 * Anything an estimator's `fit` or a model's `transform` accepts: in-memory data, a file path,
 * or a DataSet (of row chunks, rows of numbers, or records with named fields).
 */
export type MLData = InMemoryData | string | Pick<DataSet<unknown>, 'collect'>;

/** Resolves data to a table, reading a CSV or Arrow IPC file when given a path and running a DataSet's plan. */
export async function loadData(data: MLData): Promise<Table> {
  // The file readers (CSV and Arrow IPC, on every core) load with the first path given: a stream
  // job, which never reads a table file, starts without them.
  if (typeof data === 'string') return (await import('./tabular-file.js')).readTabularFile(data);
  if (data instanceof DataSet) return tableFromDataSet(data);
  return toTable(data as InMemoryData);
}

/** The name the feature-column parameters default to (Flink ML's `featuresCol`). */
export const DEFAULT_FEATURES_COL = 'features';

/** Features taken out of a table, with the columns they came from. */
export interface Features {
  matrix: DenseMatrix;
  /**
   * The feature columns as a model should remember them: one vector column name, or the list
   * of scalar columns (also when they were picked by default), so `transform` finds the same.
   */
  featuresCol: string | readonly string[];
}

function notNumeric(frame: Table, name: string, values: readonly string[]): InputError {
  const row = firstTextCell(values);
  return new InputError(`feature column '${name}' is not numeric`, {
    ...rowLocation(frame, Math.max(row, 0)),
    text: row >= 0 ? values[row] : '',
    expected: `numbers (leave the column out, or index it with StringIndexer / OneHotEncoder)`,
  });
}

/** Throws for the first value of `values` (`width` per row) that is not finite, naming its row. */
function checkFinite(frame: Table, name: string, values: Float64Array, width: number): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new InputError(`missing or non-finite value in feature column '${name}'`, {
        ...rowLocation(frame, Math.floor(i / width)),
        text: String(values[i]),
        expected: 'a finite number',
      });
    }
  }
}

/**
 * The feature matrix of a table. `featuresCol` names a vector or numeric column, or lists scalar
 * columns. When it is the default `'features'` and the table has no such column, every column
 * but those in `exclude` (the label, the weight) is a feature, and each must be numeric.
 * Vector columns are returned without a copy. Every value is checked to be finite unless
 * `checkValues` is false (for a caller that checks on its own pass over the values, and calls
 * this again to report where when one is not).
 */
export function extractFeatures(
  frame: Table,
  featuresCol: string | readonly string[],
  exclude: readonly (string | null)[] = [],
  checkValues = true,
): Features {
  const check = checkValues ? checkFinite : () => {};
  let names: readonly string[];
  if (typeof featuresCol === 'string') {
    const index = frame.names.indexOf(featuresCol);
    if (index >= 0) {
      const column = frame.columns[index];
      if (column.kind === 'vector') {
        check(frame, featuresCol, column.values.data, column.values.columns);
        return { matrix: column.values, featuresCol };
      }
      if (column.kind === 'sparse') {
        // Estimators on dense rows (KMeans, LogisticRegression) take sparse vectors densified.
        const matrix = column.values.toDense();
        check(frame, featuresCol, matrix.data, matrix.columns);
        return { matrix, featuresCol };
      }
      names = [featuresCol];
    } else if (featuresCol === DEFAULT_FEATURES_COL) {
      names = frame.names.filter((name) => !exclude.includes(name));
      if (names.length === 0) {
        throw new InputError('no feature columns', {
          file: frame.source,
          expected: `columns other than ${exclude.filter((e) => e !== null).join(', ')}`,
        });
      }
    } else {
      getColumn(frame, featuresCol, 'feature column');
      names = [];
    }
  } else {
    names = featuresCol;
  }
  const width = names.length;
  const fromRowMajor = rowMajorFeatures(frame, names);
  if (fromRowMajor !== undefined) return { matrix: fromRowMajor, featuresCol: names };
  const matrix = new DenseMatrix(frame.numRows, width);
  names.forEach((name, j) => {
    const column = getColumn(frame, name, 'feature column');
    if (column.kind === 'string') throw notNumeric(frame, name, column.values);
    if (column.kind === 'tokens') {
      throw new InputError(`feature column '${name}' holds token lists`, {
        file: frame.source,
        expected: 'numbers or vectors (turn tokens into vectors with CountVectorizer or HashingTF)',
      });
    }
    if (column.kind === 'vector' || column.kind === 'sparse') {
      throw new InputError(`feature column '${name}' holds vectors`, {
        file: frame.source,
        expected: 'scalar numeric columns when several are listed',
      });
    }
    const values = column.values;
    check(frame, name, values, 1);
    for (let i = 0; i < values.length; i++) matrix.data[i * width + j] = values[i];
  });
  return { matrix, featuresCol: names };
}

/**
 * The categorical features among `featuresCol` (a vector column, a numeric column, or a list of
 * numeric columns, as {@link extractFeatures} returns it), by their index among the features,
 * with their number of categories: what the columns' `categories` say (see `TableColumn`).
 */
export function featureCategories(
  frame: Table,
  featuresCol: string | readonly string[],
): Map<number, number> {
  const names = typeof featuresCol === 'string' ? [featuresCol] : featuresCol;
  const found = new Map<number, number>();
  names.forEach((name, j) => {
    const index = frame.names.indexOf(name);
    if (index < 0) return;
    const column = frame.columns[index];
    if (column.kind === 'number' && column.categories !== undefined) found.set(j, column.categories);
    else if (column.kind === 'vector' && column.categories !== undefined && names.length === 1)
      for (const [slot, count] of column.categories) found.set(slot, count);
  });
  return found;
}

/**
 * The features straight from a table's row-major matrix (the numbers are known finite there):
 * the matrix itself when the features are all its columns in order, else a row-by-row copy.
 */
function rowMajorFeatures(frame: Table, names: readonly string[]): DenseMatrix | undefined {
  const source = frame.rowMajor;
  if (source === undefined) return undefined;
  const indices = names.map((name) => frame.names.indexOf(name));
  if (indices.some((index) => index < 0 || index >= source.columns)) return undefined;
  if (indices.length === source.columns && indices.every((index, j) => index === j)) return source;
  const width = indices.length;
  const matrix = new DenseMatrix(source.rows, width);
  for (let i = 0; i < source.rows; i++) {
    for (let j = 0; j < width; j++) matrix.data[i * width + j] = source.data[i * source.columns + indices[j]];
  }
  return matrix;
}

/** A numeric label column (regression targets), every value finite. */
export function numericLabels(frame: Table, labelCol: string): Float64Array {
  const column = getColumn(frame, labelCol, 'label column');
  if (column.kind !== 'number') {
    const at = column.kind === 'string' ? firstTextCell(column.values) : 0;
    throw new InputError(`label column '${labelCol}' is not numeric`, {
      ...rowLocation(frame, Math.max(at, 0)),
      text: column.kind === 'string' ? column.values[Math.max(at, 0)] : 'a vector',
      expected: 'numbers for a regression target',
    });
  }
  for (let i = 0; i < column.values.length; i++) {
    if (!Number.isFinite(column.values[i])) {
      throw new InputError(`missing or non-finite value in label column '${labelCol}'`, {
        ...rowLocation(frame, i),
        text: String(column.values[i]),
        expected: 'a finite number',
      });
    }
  }
  return column.values;
}

/** A class label as written in the data: a number, or a string. */
export type ClassLabel = number | string;

/** Class labels as indices into `classes` (sorted: numbers ascending, strings by code unit). */
export interface ClassLabels {
  classes: ClassLabel[];
  indices: Int32Array;
}

/** A class-label column: numbers or strings, none missing. */
export function classLabels(frame: Table, labelCol: string): ClassLabels {
  const column = getColumn(frame, labelCol, 'label column');
  if (column.kind === 'vector') {
    throw new InputError(`label column '${labelCol}' holds vectors`, {
      file: frame.source,
      expected: 'class labels',
    });
  }
  const values = column.values as ArrayLike<ClassLabel>;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === '' || (typeof value === 'number' && !Number.isFinite(value))) {
      throw new InputError(`missing value in label column '${labelCol}'`, {
        ...rowLocation(frame, i),
        text: String(value),
        expected: 'a class label',
      });
    }
  }
  if (column.kind === 'number') {
    const small = smallIntegerClassLabels(values as ArrayLike<number>);
    if (small) return small;
  }
  const distinct = [...new Set(Array.from(values))];
  const classes =
    column.kind === 'number'
      ? (distinct as number[]).sort((a, b) => a - b)
      : (distinct as string[]).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const indexOf = new Map<ClassLabel, number>(classes.map((c, i) => [c, i]));
  const indices = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) indices[i] = indexOf.get(values[i])!;
  return { classes, indices };
}

/** Labels below this bound that are whole numbers are indexed through a table. */
const SMALL_LABEL_LIMIT = 1 << 16;

/**
 * {@link classLabels} of numeric labels that are all whole numbers in [0, 65536), the usual
 * case, through a table instead of a hash of each value (a tenth of the time on 200,000
 * labels); undefined for any other labels.
 */
function smallIntegerClassLabels(values: ArrayLike<number>): ClassLabels | undefined {
  let largest = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (!(value >= 0 && value < SMALL_LABEL_LIMIT && value === Math.floor(value))) return undefined;
    if (value > largest) largest = value;
  }
  const index = new Int32Array(largest + 1).fill(-1);
  for (let i = 0; i < values.length; i++) index[values[i]] = 0;
  const classes: number[] = [];
  for (let label = 0; label <= largest; label++) {
    if (index[label] === 0) {
      index[label] = classes.length;
      classes.push(label);
    }
  }
  const indices = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) indices[i] = index[values[i]];
  return { classes, indices };
}

/** The class labels a classifier trains on: {@link classLabels}, at least two classes. */
export function trainingClassLabels(frame: Table, labelCol: string): ClassLabels {
  const labels = classLabels(frame, labelCol);
  if (labels.classes.length < 2) {
    throw new InputError(`label column '${labelCol}' has only one class`, {
      file: frame.source,
      text: String(labels.classes[0] ?? ''),
      expected: 'at least two classes',
    });
  }
  return labels;
}

/** Sample weights from `weightCol` (all 1 when it is null); each must be finite and >= 0. */
export function sampleWeights(frame: Table, weightCol: string | null): Float64Array {
  if (weightCol === null) return new Float64Array(frame.numRows).fill(1);
  const column = getColumn(frame, weightCol, 'weight column');
  if (column.kind !== 'number') {
    throw new InputError(`weight column '${weightCol}' is not numeric`, {
      file: frame.source,
      expected: 'non-negative numbers',
    });
  }
  for (let i = 0; i < column.values.length; i++) {
    const weight = column.values[i];
    if (!(weight >= 0) || !Number.isFinite(weight)) {
      throw new InputError(`bad sample weight in column '${weightCol}'`, {
        ...rowLocation(frame, i),
        text: String(weight),
        expected: 'a finite number >= 0',
      });
    }
  }
  return column.values;
}
