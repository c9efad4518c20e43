/**
 * The Arrow IPC side of the graph writers, apart so that writing text never loads
 * apache-arrow (about 150 modules, a fifth of a second of every command's start).
 */
import type { Vector } from 'apache-arrow';
import type { NumericArray } from '../core/arrow.js';
import { arrow } from '../core/arrow-module.js';
import { writeFileAtomically } from '../core/atomic-file.js';
import { type OutputTarget, writeToStream } from './byte-writer.js';
import type { VertexDictionary } from './vertex-dictionary.js';
import type { EdgeArrays, ValueColumn } from './writers.js';

/**
 * The keys of `ids` as an Arrow vector: Int32 for integer keys that fit, Float64 for other
 * numbers, Utf8 for strings.
 */
export function vertexKeyVector(dictionary: VertexDictionary, ids: ArrayLike<number>): Vector {
  const numbers = dictionary.numericKeys();
  if (numbers !== undefined) {
    let integral = true;
    for (let i = 0; i < numbers.length && integral; i++) {
      integral = Number.isInteger(numbers[i]) && Math.abs(numbers[i]) <= 2 ** 31 - 1;
    }
    const keys = integral ? new Int32Array(ids.length) : new Float64Array(ids.length);
    for (let i = 0; i < ids.length; i++) keys[i] = numbers[ids[i]];
    return arrow().makeVector(keys);
  }
  const strings: string[] = new Array(ids.length);
  for (let i = 0; i < ids.length; i++) strings[i] = dictionary.keyText(ids[i]);
  return arrow().vectorFromArray(strings, new (arrow().Utf8)());
}

function valueVector(column: ValueColumn, ids: ArrayLike<number> | undefined): Vector {
  if (ArrayBuffer.isView(column)) {
    if (ids === undefined) return arrow().makeVector(column);
    const picked = new (column.constructor as { new (length: number): NumericArray })(ids.length);
    for (let i = 0; i < ids.length; i++) picked[i] = column[ids[i]] as never;
    return arrow().makeVector(picked);
  }
  const values = ids === undefined ? column : Array.from({ length: ids.length }, (_, i) => column[ids[i]]);
  return arrow().vectorFromArray(values as unknown[]);
}

function writeTable(target: OutputTarget, columns: Record<string, Vector>): Promise<void> {
  const bytes = arrow().tableToIPC(new (arrow().Table)(columns), 'file');
  return typeof target === 'string' ? writeFileAtomically(target, bytes) : writeToStream(target, bytes);
}

/** Writes the vertex table of `writeVertexTable` as an Arrow IPC file: keys, then each column. */
export function writeVertexArrow(
  target: OutputTarget,
  dictionary: VertexDictionary,
  columns: Record<string, ValueColumn>,
  keyName: string,
  order: ArrayLike<number> | undefined,
): Promise<void> {
  const ids = order ?? Int32Array.from({ length: dictionary.size }, (_, i) => i);
  const vectors: Record<string, Vector> = { [keyName]: vertexKeyVector(dictionary, ids) };
  for (const [name, column] of Object.entries(columns)) vectors[name] = valueVector(column, order);
  return writeTable(target, vectors);
}

/** Writes an edge list as an Arrow IPC file with columns source, target[, weight]. */
export function writeEdgeArrow(target: OutputTarget, edges: EdgeArrays): Promise<void> {
  const { dictionary, sources, targets, weights } = edges;
  const vectors: Record<string, Vector> = {
    source: vertexKeyVector(dictionary, sources),
    target: vertexKeyVector(dictionary, targets),
  };
  if (weights !== undefined) vectors.weight = arrow().makeVector(weights);
  return writeTable(target, vectors);
}

/** Writes the rows of `writeVertexRows` as an Arrow IPC file: key columns, then value columns. */
export function writeVertexRowsArrow(
  target: OutputTarget,
  dictionary: VertexDictionary,
  keyColumns: Record<string, Int32Array>,
  valueColumns: Record<string, Float64Array>,
): Promise<void> {
  const vectors: Record<string, Vector> = {};
  for (const [name, ids] of Object.entries(keyColumns)) vectors[name] = vertexKeyVector(dictionary, ids);
  for (const [name, values] of Object.entries(valueColumns)) vectors[name] = arrow().makeVector(values);
  return writeTable(target, vectors);
}
