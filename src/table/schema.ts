import type { Data, RecordBatch } from 'apache-arrow';
import { arrow } from '../core/arrow-module.js';
import { InputError } from '../core/errors.js';
import { RowTypeInfo, type TypeInformation } from './types.js';

/** The names and types of a table's columns (Flink's `ResolvedSchema`). */
export class TableSchema {
  constructor(
    private readonly names: readonly string[],
    private readonly types: readonly TypeInformation[],
  ) {}

  getFieldNames(): string[] {
    return [...this.names];
  }

  getFieldTypes(): TypeInformation[] {
    return [...this.types];
  }

  getFieldCount(): number {
    return this.names.length;
  }

  /** The schema as a named row type (what `fromCollection` takes). */
  toRowType(): RowTypeInfo {
    return new RowTypeInfo(this.names, this.types);
  }

  toString(): string {
    return `(\n${this.names.map((name, j) => `  \`${name}\` ${this.types[j]}`).join(',\n')}\n)`;
  }
}

/**
 * The position of column `name`, or an error that names it and lists the columns there are.
 */
export function columnPosition(names: readonly string[], name: string, source = '<table>'): number {
  const position = names.indexOf(name);
  if (position < 0) {
    throw new InputError(`no column '${name}'`, {
      file: source,
      expected: `one of the columns ${names.map((n) => `'${n}'`).join(', ') || '(none)'}`,
    });
  }
  return position;
}

/** Refuses repeated column names, naming them. */
export function assertDistinctNames(names: readonly string[], source = '<table>'): void {
  const repeated = names.filter((name, j) => names.indexOf(name) !== j);
  if (repeated.length > 0) {
    throw new InputError(`repeated column names ${[...new Set(repeated)].map((n) => `'${n}'`).join(', ')}`, {
      file: source,
      expected: 'distinct column names (rename columns first)',
    });
  }
}

/** A record batch of the given columns (each one Data of `length` rows). */
export function batchFromColumns(
  names: readonly string[],
  columns: readonly Data[],
  length: number,
): RecordBatch {
  assertDistinctNames(names);
  const fields = names.map((name, j) => new (arrow().Field)(name, columns[j].type, true));
  const schema = new (arrow().Schema)(fields);
  const data = arrow().makeData({
    type: new (arrow().Struct)(fields),
    length,
    nullCount: 0,
    children: columns as Data[],
  });
  return new (arrow().RecordBatch)(schema, data);
}

/** The columns of a record batch, each as its single Data (a new array: callers may change it). */
export function batchColumns(batch: RecordBatch): Data[] {
  return [...batch.data.children] as Data[];
}

/** The column names of a record batch. */
export function batchNames(batch: RecordBatch): string[] {
  return batch.schema.fields.map((field) => field.name);
}
