export {
  type ColumnOptions,
  columnAsFloat64,
  columnAsTypedArray,
  matrixToTable,
  type NumericArray,
  tableFromColumns,
  tableToMatrix,
  vectorFromTypedArray,
} from './arrow.js';
export {
  AtomicFile,
  removeStaleTemporaries,
  writeFileAtomically,
} from './atomic-file.js';
export {
  CHECKPOINT_FORMAT_VERSION,
  CheckpointStore,
  type CheckpointStoreOptions,
  contentHash,
  type JobFingerprint,
  type StoredCheckpoint,
} from './checkpoint-store.js';
export {
  type CsvColumn,
  type CsvOptions,
  type CsvRecord,
  type CsvTable,
  formatCsvField,
  formatCsvRow,
  parseCsv,
  readCsvFile,
} from './csv.js';
export {
  ConvergenceError,
  describeValue,
  EddyError,
  formatLocation,
  InputError,
  type InputLocation,
  OutputError,
  ParamError,
  UsageError,
} from './errors.js';
export { DenseMatrix } from './matrix.js';
export {
  createPhases,
  createProgress,
  type Phases,
  type Progress,
  type ProgressOptions,
  type ProgressStream,
} from './progress.js';
export { type RandomSource, random, type Seed } from './random.js';
export { SparseRows } from './sparse-rows.js';
export {
  loadTensorFlow,
  type TensorFlow,
  type TensorFlowBackend,
  tensorflow,
} from './tensorflow-module.js';
export { readTextLines } from './text-lines.js';
