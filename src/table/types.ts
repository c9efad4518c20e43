import type { DataType, FixedSizeList, Float64 } from 'apache-arrow';
import { arrow } from '../core/arrow-module.js';
import { ParamError } from '../core/errors.js';

/** The kinds of column a table holds, named as Flink's `Types`. */
export type TypeKind = 'DOUBLE' | 'FLOAT' | 'LONG' | 'INT' | 'BOOLEAN' | 'STRING' | 'DENSE_VECTOR' | 'ARROW';

/**
 * The type of one column, as Flink's `TypeInformation`. Each maps onto one Arrow type:
 * DOUBLE Float64, FLOAT Float32, LONG Int64 (values are bigints), INT Int32, BOOLEAN Bool,
 * STRING Utf8, DENSE_VECTOR FixedSizeList<Float64>. Arrow types without a Flink name
 * (dates, lists, ...) are carried as ARROW with their Arrow type.
 */
export class TypeInformation {
  constructor(
    readonly kind: TypeKind,
    /** The Arrow type, for kind ARROW only. */
    readonly arrowType?: DataType,
  ) {}

  toString(): string {
    return this.kind === 'ARROW' ? `ARROW(${String(this.arrowType)})` : this.kind;
  }
}

/**
 * The type of a dense-vector column (Flink ML's `DenseVectorTypeInfo`). The dimension is
 * optional: when left out it is taken from the data, and every vector of a column must have it.
 */
export class DenseVectorTypeInfo extends TypeInformation {
  constructor(readonly dimension?: number) {
    super('DENSE_VECTOR');
    if (dimension !== undefined && !(Number.isInteger(dimension) && dimension > 0)) {
      throw new ParamError('dimension', dimension, 'a positive integer');
    }
  }

  override toString(): string {
    return this.dimension === undefined ? 'DENSE_VECTOR' : `DENSE_VECTOR(${this.dimension})`;
  }
}

/** The type of a row with named fields (Flink's `Types.ROW_NAMED`). */
export class RowTypeInfo {
  constructor(
    readonly names: readonly string[],
    readonly types: readonly TypeInformation[],
  ) {
    if (names.length !== types.length) {
      throw new ParamError('types', types.map(String), `${names.length} types, one per field name`);
    }
    if (new Set(names).size !== names.length) throw new ParamError('names', names, 'distinct field names');
  }

  getFieldNames(): string[] {
    return [...this.names];
  }

  getFieldTypes(): TypeInformation[] {
    return [...this.types];
  }

  toString(): string {
    return `ROW<${this.names.map((name, j) => `${name} ${this.types[j]}`).join(', ')}>`;
  }
}

const DOUBLE = new TypeInformation('DOUBLE');
const FLOAT = new TypeInformation('FLOAT');
const LONG = new TypeInformation('LONG');
const INT = new TypeInformation('INT');
const BOOLEAN = new TypeInformation('BOOLEAN');
const STRING = new TypeInformation('STRING');

/** Flink's `Types`: the column types, and named row types built from them. */
export const Types = {
  DOUBLE,
  FLOAT,
  LONG,
  INT,
  BOOLEAN,
  STRING,
  /** A dense-vector column (the same as `new DenseVectorTypeInfo(dimension)`). */
  DENSE_VECTOR: (dimension?: number): DenseVectorTypeInfo => new DenseVectorTypeInfo(dimension),
  /** A row type with the given field names and types. */
  ROW_NAMED: (names: readonly string[], types: readonly TypeInformation[]): RowTypeInfo =>
    new RowTypeInfo(names, types),
};

/** Whether an Arrow type is a dense-vector column: FixedSizeList of Float64. */
export function isDenseVectorType(type: DataType): type is FixedSizeList<Float64> {
  return (
    type.typeId === arrow().Type.FixedSizeList &&
    (type as FixedSizeList).children[0].type.typeId === arrow().Type.Float
  );
}

/** The Arrow type of a dense-vector column of the given dimension. */
export function denseVectorArrowType(dimension: number): FixedSizeList<Float64> {
  return new (arrow().FixedSizeList)(dimension, new (arrow().Field)('value', new (arrow().Float64)(), false));
}

/** The column type of an Arrow type. */
export function typeOfArrow(type: DataType): TypeInformation {
  if (isDenseVectorType(type) && (type.children[0].type as Float64).precision === arrow().Precision.DOUBLE) {
    return new DenseVectorTypeInfo(type.listSize);
  }
  // Compare type ids, not classes: tables read from IPC carry the generic classes (Int_, Float).
  const { bitWidth, isSigned, precision } = type as unknown as {
    bitWidth: number;
    isSigned: boolean;
    precision: number;
  };
  if (type.typeId === arrow().Type.Float && precision === arrow().Precision.DOUBLE) return DOUBLE;
  if (type.typeId === arrow().Type.Float && precision === arrow().Precision.SINGLE) return FLOAT;
  if (type.typeId === arrow().Type.Int && isSigned && bitWidth === 64) return LONG;
  if (type.typeId === arrow().Type.Int && isSigned && bitWidth === 32) return INT;
  if (type.typeId === arrow().Type.Bool) return BOOLEAN;
  if (type.typeId === arrow().Type.Utf8) return STRING;
  return new TypeInformation('ARROW', type);
}

/** The Arrow type of a column type; `dimension` completes a vector type that lacks one. */
export function arrowTypeOf(info: TypeInformation, dimension?: number): DataType {
  switch (info.kind) {
    case 'DOUBLE':
      return new (arrow().Float64)();
    case 'FLOAT':
      return new (arrow().Float32)();
    case 'LONG':
      return new (arrow().Int64)();
    case 'INT':
      return new (arrow().Int32)();
    case 'BOOLEAN':
      return new (arrow().Bool)();
    case 'STRING':
      return new (arrow().Utf8)();
    case 'DENSE_VECTOR': {
      const size = (info as DenseVectorTypeInfo).dimension ?? dimension;
      if (size === undefined)
        throw new ParamError('type', String(info), 'a dense-vector type with a dimension');
      return denseVectorArrowType(size);
    }
    case 'ARROW':
      return info.arrowType as DataType;
  }
}
