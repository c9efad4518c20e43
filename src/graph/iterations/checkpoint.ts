/**
 * Checkpoints of graph iterations: the whole state between two supersteps (vertex values,
 * pending messages or the active frontier, aggregator values), written to a directory so that
 * a resumed run continues exactly where the saved one was and ends with the same result.
 * Typed arrays are stored as base64 of their bytes; other values as JSON (with non-finite
 * numbers and undefined kept), so general vertex values and messages must be JSON-like.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../core/errors.js';

/** The state of an iteration after `superstep` completed supersteps. */
export interface IterationState {
  model: string;
  name: string;
  vertexCount: number;
  superstep: number;
  values: unknown;
  /** Pending messages (vertex-centric) or the active frontier (scatter-gather, GSA). */
  frontier: unknown;
  aggregates: Record<string, unknown>;
}

const FILE_NAME = 'checkpoint.json';

function encode(value: unknown): unknown {
  if (value instanceof Float64Array)
    return { $f64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  if (value instanceof Int32Array)
    return { $i32: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  if (typeof value === 'number' && !Number.isFinite(value)) return { $number: String(value) };
  if (value === undefined) return { $undefined: true };
  if (Array.isArray(value)) return value.map(encode);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
  }
  return value;
}

function bytes(base64: string): ArrayBuffer {
  const buffer = Buffer.from(base64, 'base64');
  return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
}

function decode(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decode);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.$f64 === 'string') return new Float64Array(bytes(record.$f64));
    if (typeof record.$i32 === 'string') return new Int32Array(bytes(record.$i32));
    if (typeof record.$number === 'string') return Number(record.$number);
    if (record.$undefined === true) return undefined;
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, decode(v)]));
  }
  return value;
}

/** Writes the state to `directory` (atomically: a reader never sees half a checkpoint). */
export function saveCheckpoint(directory: string, state: IterationState): void {
  mkdirSync(directory, { recursive: true });
  const path = join(directory, FILE_NAME);
  writeFileSync(`${path}.partial`, JSON.stringify(encode(state)));
  renameSync(`${path}.partial`, path);
}

/** Reads the checkpoint in `directory`, checking it belongs to this model and graph. */
export function loadCheckpoint(directory: string, model: string, vertexCount: number): IterationState {
  const path = join(directory, FILE_NAME);
  if (!existsSync(path))
    throw new InputError('no checkpoint', { file: path, expected: 'a checkpoint written by an iteration' });
  let state: IterationState;
  try {
    state = decode(JSON.parse(readFileSync(path, 'utf8'))) as IterationState;
  } catch (error) {
    throw new InputError('unreadable checkpoint', { file: path, text: (error as Error).message });
  }
  if (state.model !== model) {
    throw new InputError('checkpoint of another iteration model', {
      file: path,
      text: state.model,
      expected: model,
    });
  }
  if (state.vertexCount !== vertexCount) {
    throw new InputError('checkpoint of another graph', {
      file: path,
      text: `${state.vertexCount} vertices`,
      expected: `${vertexCount} vertices`,
    });
  }
  return state;
}
