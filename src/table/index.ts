export type { ColumnFunction, ColumnValues, RowFunction, RowObject } from './batch-operations.js';
export { ColumnBatch } from './batch-operations.js';
export { denseVectorData, vectorColumnToMatrix } from './columns.js';
export { DenseVector, formatJavaDouble, Vectors } from './dense-vector.js';
export {
  type CollectableDataSet,
  CollectionStream,
  RowStream,
  StreamExecutionEnvironment,
  StreamTableEnvironment,
} from './environment.js';
export type { AggregateSpec, JoinType, SortKey } from './relational.js';
export { TableSchema } from './schema.js';
export { quoteIdentifier, SqlEngine, SqlError } from './sql.js';
export { DEFAULT_BATCH_SIZE, rowsToBatches, StreamingTable } from './streaming-table.js';
export { GroupedTable, type JoinOn, type Row, Table } from './table.js';
export type { TableColumn, TypedColumnOptions } from './typed-columns.js';
export {
  DenseVectorTypeInfo,
  RowTypeInfo,
  TypeInformation,
  type TypeKind,
  Types,
} from './types.js';
