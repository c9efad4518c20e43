import type { Table as ArrowTable, Data, RecordBatch } from 'apache-arrow';
import { arrow } from '../core/arrow-module.js';
import { InputError, ParamError } from '../core/errors.js';
import { cellReader } from './columns.js';
import { DenseVector } from './dense-vector.js';
import { assertDistinctNames, batchFromColumns, columnPosition } from './schema.js';
import { takeRows } from './take.js';
import { isDenseVectorType } from './types.js';

/**
 * The bounded-only relational operators (group-by aggregation, equi-join, sort, distinct).
 * They need every row, so they work on whole tables: each column as its list of chunks,
 * rows addressed by a global index, results gathered with `takeRows`.
 */

/** One aggregate of a group-by: the function and the column it reads (`count` also takes '*'). */
export type AggregateSpec =
  | { readonly sum: string }
  | { readonly avg: string }
  | { readonly min: string }
  | { readonly max: string }
  | { readonly count: string };

/** The chunks of column `name` of a table. */
export function columnChunks(table: ArrowTable, name: string, source?: string): Data[] {
  const names = table.schema.fields.map((field) => field.name);
  return table.getChildAt(columnPosition(names, name, source))!.data as Data[];
}

/** Reads every row of a column (across chunks) as JS values. */
function readColumn(chunks: readonly Data[]): unknown[] {
  const values: unknown[] = [];
  for (const chunk of chunks) {
    const read = cellReader(chunk);
    for (let i = 0; i < chunk.length; i++) values.push(read(i));
  }
  return values;
}

/** A hashable key for a value: numbers, strings and bigints stay as they are. */
function keyOf(value: unknown): unknown {
  if (value instanceof DenseVector) return `vector:${value}`;
  if (Array.isArray(value)) return `list:${value.join(',')}`;
  return value;
}

/** One hashable key per row over the given key columns. */
export function rowKeys(keyColumns: readonly (readonly Data[])[], rowCount: number): unknown[] {
  const columns = keyColumns.map(readColumn);
  if (columns.length === 1) return columns[0].map(keyOf);
  const keys = new Array<unknown>(rowCount);
  for (let i = 0; i < rowCount; i++) {
    keys[i] = columns.map((column) => `${typeof column[i]}:${String(keyOf(column[i]))}`).join('\u0001');
  }
  return keys;
}

/** The first row of each distinct key, in order of appearance, and the group of every row. */
function groupRows(keys: readonly unknown[]): { firstRows: Int32Array; groupOf: Int32Array } {
  const groups = new Map<unknown, number>();
  const firstRows: number[] = [];
  const groupOf = new Int32Array(keys.length);
  keys.forEach((key, i) => {
    let group = groups.get(key);
    if (group === undefined) {
      group = firstRows.length;
      groups.set(key, group);
      firstRows.push(i);
    }
    groupOf[i] = group;
  });
  return { firstRows: Int32Array.from(firstRows), groupOf };
}

/** The values of a numeric column as doubles (NaN for nulls) with a null mask. */
function numericColumn(
  chunks: readonly Data[],
  name: string,
  source: string,
): { values: Float64Array; valid: Uint8Array } {
  const type = chunks[0].type;
  if (type.typeId !== arrow().Type.Int && type.typeId !== arrow().Type.Float) {
    throw new InputError(`column '${name}' is not numeric`, {
      file: source,
      text: String(type),
      expected: 'a numeric column',
    });
  }
  const length = chunks.reduce((total, chunk) => total + chunk.length, 0);
  const values = new Float64Array(length);
  const valid = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    const vector = arrow().makeVector(chunk);
    const source = chunk.values as ArrayLike<number | bigint>;
    for (let i = 0; i < chunk.length; i++) {
      valid[offset + i] = vector.isValid(i) ? 1 : 0;
      values[offset + i] = Number(source[i]);
    }
    offset += chunk.length;
  }
  return { values, valid };
}

function aggregateColumn(
  table: ArrowTable,
  spec: AggregateSpec,
  output: string,
  groupOf: Int32Array,
  groupCount: number,
  source: string,
): Data {
  const [fn, column] = Object.entries(spec)[0] as [string, string];
  if (fn === 'count') {
    const counts = new BigInt64Array(groupCount);
    if (column === '*') for (const g of groupOf) counts[g]++;
    else {
      const chunks = columnChunks(table, column, source);
      let row = 0;
      for (const chunk of chunks) {
        const vector = arrow().makeVector(chunk);
        for (let i = 0; i < chunk.length; i++, row++) if (vector.isValid(i)) counts[groupOf[row]]++;
      }
    }
    return arrow().makeData({ type: new (arrow().Int64)(), length: groupCount, data: counts });
  }
  const chunks = columnChunks(table, column, source);
  if (fn === 'min' || fn === 'max') {
    const { values, valid } = numericOrComparable(chunks, column, source);
    const best = new Int32Array(groupCount).fill(-1);
    const better =
      fn === 'min'
        ? (a: unknown, b: unknown) => compareValues(a, b) < 0
        : (a: unknown, b: unknown) => compareValues(a, b) > 0;
    for (let i = 0; i < groupOf.length; i++) {
      if (!valid[i]) continue;
      const g = groupOf[i];
      if (best[g] < 0 || better(values[i], values[best[g]])) best[g] = i;
    }
    return takeRows(chunks, best);
  }
  if (fn !== 'sum' && fn !== 'avg') {
    throw new ParamError(output, spec, 'one of { sum | avg | min | max | count: column }');
  }
  const { values, valid } = numericColumn(chunks, column, source);
  const sums = new Float64Array(groupCount);
  const counts = new Float64Array(groupCount);
  for (let i = 0; i < values.length; i++) {
    if (!valid[i]) continue;
    sums[groupOf[i]] += values[i];
    counts[groupOf[i]]++;
  }
  if (fn === 'avg') {
    const nullBitmap = new Uint8Array((groupCount + 7) >> 3);
    let nullCount = 0;
    for (let g = 0; g < groupCount; g++) {
      sums[g] /= counts[g];
      if (counts[g] > 0) nullBitmap[g >> 3] |= 1 << (g & 7);
      else nullCount++;
    }
    return arrow().makeData({
      type: new (arrow().Float64)(),
      length: groupCount,
      nullCount,
      nullBitmap,
      data: sums,
    });
  }
  if (chunks[0].type.typeId === arrow().Type.Int) {
    const integral = new BigInt64Array(groupCount);
    for (let g = 0; g < groupCount; g++) {
      if (!Number.isSafeInteger(sums[g])) {
        throw new InputError(`the sum of column '${column}' overflows`, {
          file: source,
          expected: 'sums below 2^53',
        });
      }
      integral[g] = BigInt(sums[g]);
    }
    return arrow().makeData({ type: new (arrow().Int64)(), length: groupCount, data: integral });
  }
  return arrow().makeData({ type: new (arrow().Float64)(), length: groupCount, data: sums });
}

function numericOrComparable(
  chunks: readonly Data[],
  name: string,
  source: string,
): { values: unknown[]; valid: Uint8Array } {
  if (isDenseVectorType(chunks[0].type)) {
    throw new InputError(`column '${name}' holds vectors, which have no order`, {
      file: source,
      expected: 'a numeric, string or boolean column',
    });
  }
  const values = readColumn(chunks);
  return { values, valid: Uint8Array.from(values, (value) => (value === null ? 0 : 1)) };
}

/** Orders numbers, bigints, strings and booleans; nulls come last. */
export function compareValues(a: unknown, b: unknown): number {
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  const x = a as number | bigint;
  const y = b as number | bigint;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Group-by aggregation: one row per distinct key, key columns first, then the aggregates. */
export function groupByAggregate(
  table: ArrowTable,
  keys: readonly string[],
  aggregates: Readonly<Record<string, AggregateSpec>>,
  source = '<table>',
): RecordBatch {
  const keyChunks = keys.map((key) => columnChunks(table, key, source));
  const { firstRows, groupOf } = groupRows(rowKeys(keyChunks, table.numRows));
  const groupCount = keys.length === 0 ? 1 : firstRows.length;
  if (keys.length === 0) groupOf.fill(0);
  const outputNames = [...keys, ...Object.keys(aggregates)];
  assertDistinctNames(outputNames, source);
  const columns = [
    ...keyChunks.map((chunks) => takeRows(chunks, firstRows)),
    ...Object.entries(aggregates).map(([output, spec]) =>
      aggregateColumn(table, spec, output, groupOf, groupCount, source),
    ),
  ];
  return batchFromColumns(outputNames, columns, groupCount);
}

/** How a join keeps rows: inner keeps matches only, left keeps every left row. */
export type JoinType = 'inner' | 'left';

/**
 * Equi-join on key columns (`leftKeys[i] = rightKeys[i]`). The result has the left columns,
 * then the right ones; a right key with the same name as its left key appears once.
 */
export function equiJoin(
  left: ArrowTable,
  right: ArrowTable,
  leftKeys: readonly string[],
  rightKeys: readonly string[],
  type: JoinType,
  source = '<table>',
): RecordBatch {
  if (leftKeys.length !== rightKeys.length || leftKeys.length === 0) {
    throw new ParamError(
      'on',
      { left: leftKeys, right: rightKeys },
      'the same number (at least one) of left and right keys',
    );
  }
  const leftNames = left.schema.fields.map((field) => field.name);
  const rightNames = right.schema.fields.map((field) => field.name);
  const merged = rightNames.filter(
    (name) => !rightKeys.some((key, i) => key === name && leftKeys[i] === name),
  );
  assertDistinctNames([...leftNames, ...merged], `${source} (join)`);

  const buildKeys = rowKeys(
    rightKeys.map((key) => columnChunks(right, key, source)),
    right.numRows,
  );
  const index = new Map<unknown, number[]>();
  buildKeys.forEach((key, row) => {
    if (key === null) return; // null keys never match, as in SQL
    const rows = index.get(key);
    if (rows) rows.push(row);
    else index.set(key, [row]);
  });
  const probeKeys = rowKeys(
    leftKeys.map((key) => columnChunks(left, key, source)),
    left.numRows,
  );
  const leftRows: number[] = [];
  const rightRows: number[] = [];
  probeKeys.forEach((key, row) => {
    const matches = key === null ? undefined : index.get(key);
    if (matches) {
      for (const match of matches) {
        leftRows.push(row);
        rightRows.push(match);
      }
    } else if (type === 'left') {
      leftRows.push(row);
      rightRows.push(-1);
    }
  });
  const leftIndices = Int32Array.from(leftRows);
  const rightIndices = Int32Array.from(rightRows);
  const columns = [
    ...leftNames.map((name) => takeRows(columnChunks(left, name), leftIndices)),
    ...merged.map((name) => takeRows(columnChunks(right, name), rightIndices)),
  ];
  return batchFromColumns([...leftNames, ...merged], columns, leftIndices.length);
}

/** A sort key: a column name (ascending) or a column with its direction. */
export type SortKey = string | { readonly column: string; readonly order?: 'asc' | 'desc' };

/** The row order that sorts a table by the keys (stable: ties keep their order). */
export function sortOrder(table: ArrowTable, keys: readonly SortKey[], source = '<table>'): Int32Array {
  const columns = keys.map((key) => {
    const name = typeof key === 'string' ? key : key.column;
    const descending = typeof key !== 'string' && key.order === 'desc';
    return {
      values: numericOrComparable(columnChunks(table, name, source), name, source).values,
      sign: descending ? -1 : 1,
    };
  });
  const order = Array.from({ length: table.numRows }, (_, i) => i);
  order.sort((a, b) => {
    for (const { values, sign } of columns) {
      const c = compareValues(values[a], values[b]);
      if (c !== 0) return values[a] === null || values[b] === null ? c : sign * c;
    }
    return 0;
  });
  return Int32Array.from(order);
}

/** The first row of each distinct row (every column is part of the key). */
export function distinctRows(table: ArrowTable): Int32Array {
  const names = table.schema.fields.map((field) => field.name);
  return groupRows(
    rowKeys(
      names.map((name) => columnChunks(table, name)),
      table.numRows,
    ),
  ).firstRows;
}
