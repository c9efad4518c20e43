import { readFile } from 'node:fs/promises';
import { InputError, ParamError } from '../core/errors.js';
import type { StageJSON, Transformer } from './stage.js';

/**
 * Saved models: every model and pipeline is JSON `{ "type": ..., "params": {...}, ...state }`.
 * Each model type registers how to read itself back, so {@link loadModel} (and `eddy predict`)
 * can open any saved model without being told its type.
 */

type Reader = (json: StageJSON, source: string) => Transformer;

const readers = new Map<string, Reader>();

/** Registers the reader of one model type (done by each model's module when it is imported). */
export function registerModelType(type: string, reader: Reader): void {
  readers.set(type, reader);
}

const unloaded: (() => Promise<unknown>)[] = [];

/**
 * Names modules that register model types without loading them yet: the bundled command line
 * (scripts/bundle-cli.mjs) loads only the modules a command uses, and {@link loadModel} loads
 * these before it reads a file, so that it can read a model of any type.
 */
export function registerModelTypeModules(loaders: Iterable<() => Promise<unknown>>): void {
  unloaded.push(...loaders);
}

/** The model types that can be read back. */
export function modelTypes(): string[] {
  return [...readers.keys()].sort();
}

/** Checks that `json` is a saved stage, optionally of the expected type; `source` names it in errors. */
export function checkStageJSON(json: unknown, source: string, expectedType?: string): StageJSON {
  if (
    json === null ||
    typeof json !== 'object' ||
    Array.isArray(json) ||
    typeof (json as StageJSON).type !== 'string'
  ) {
    throw new InputError('not an eddy model: no "type" field', {
      file: source,
      expected: 'a JSON object saved by model.save()',
    });
  }
  const stage = json as StageJSON;
  if (expectedType !== undefined && stage.type !== expectedType) {
    throw new InputError(`wrong model type '${stage.type}'`, {
      file: source,
      expected: `a '${expectedType}' model`,
    });
  }
  // A model written by hand or by another tool may leave its parameters out: defaults apply.
  if (stage.params === undefined) return { ...stage, params: {} };
  if (stage.params === null || typeof stage.params !== 'object' || Array.isArray(stage.params)) {
    throw new InputError(`'${stage.type}' model has no "params" object`, {
      file: source,
      expected: 'a saved model',
    });
  }
  return stage;
}

/** A numeric array field of a saved model, checked. */
export function jsonNumbers(json: StageJSON, field: string, source: string): number[] {
  const value = json[field];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new InputError(`'${json.type}' model field "${field}" is not a list of numbers`, {
      file: source,
      expected: 'finite numbers',
    });
  }
  return value;
}

/** A saved classifier's class labels: all numbers or all strings. */
export function jsonClassLabels(json: StageJSON, field: string, source: string): number[] | string[] {
  const value = json[field];
  if (
    !Array.isArray(value) ||
    !(value.every((c) => typeof c === 'number') || value.every((c) => typeof c === 'string'))
  ) {
    throw new InputError(`'${json.type}' model field "${field}" is not a list of labels`, {
      file: source,
      expected: 'numbers or strings',
    });
  }
  return value;
}

/** A field of a saved model holding equal-length rows of numbers. */
export function jsonRows(json: StageJSON, field: string, source: string): number[][] {
  const value = json[field];
  const ok =
    Array.isArray(value) &&
    value.length > 0 &&
    value.every(
      (row) =>
        Array.isArray(row) &&
        row.length === (value[0] as unknown[]).length &&
        row.every((v) => typeof v === 'number' && Number.isFinite(v)),
    );
  if (!ok) {
    throw new InputError(`'${json.type}' model field "${field}" is not a list of equal-length number rows`, {
      file: source,
      expected: 'number[][]',
    });
  }
  return value as number[][];
}

/** Reads any registered model (or pipeline) back from its JSON. */
export function modelFromJSON(json: unknown, source = '<json>'): Transformer {
  const stage = checkStageJSON(json, source);
  const reader = readers.get(stage.type);
  if (reader === undefined) {
    throw new InputError(`unknown model type '${stage.type}'`, {
      file: source,
      expected: `one of ${modelTypes().join(', ')}`,
    });
  }
  try {
    return reader(stage, source);
  } catch (error) {
    // A saved parameter a spec refuses is bad input, and the message names the file it is in.
    if (error instanceof ParamError) throw new InputError(error.message, { file: source });
    throw error;
  }
}

/** Parses a model file's text, reporting a file that is not JSON in one line. */
export async function readModelJSON(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`not a model file: ${(error as Error).message.replace(/\s+/g, ' ')}`, {
      file: path,
      expected: 'JSON written by model.save() or --model',
    });
  }
}

/** Loads any saved model or pipeline from a file, ready to use (TensorFlow.js started for a network). */
export async function loadModel(path: string): Promise<Transformer> {
  await Promise.all(unloaded.splice(0).map((load) => load()));
  const model = modelFromJSON(await readModelJSON(path), path);
  await model.ready();
  return model;
}
