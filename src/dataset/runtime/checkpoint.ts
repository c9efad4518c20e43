/**
 * Iteration checkpoints: the state between two supersteps written to a file, so that a run
 * that died part-way resumes from the last complete superstep. A checkpoint file is named
 * by a fingerprint of the iteration's plan (operators and their functions' source) and of
 * its initial input, so a changed program or changed data never resumes from stale state.
 */
import { createHash, type Hash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { ParamError } from '../../core/errors.js';
import { type CheckpointOptions, dependencies, type PlanNode } from '../plan.js';

/** The state saved after a superstep. */
export interface CheckpointState {
  /** The last complete superstep. */
  superstep: number;
  previousAggregates: [string, unknown][];
  /** Bulk iteration: the partial solution. */
  partitions?: unknown[][];
  /** Delta iteration: the solution set's records and the workset. */
  solution?: unknown[];
  workset?: unknown[][];
}

function hashValue(hash: Hash, value: unknown, seen: Set<unknown>): void {
  if (ArrayBuffer.isView(value)) {
    hash.update(`<${value.constructor.name}:${value.byteLength}>`);
    hash.update(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
    return;
  }
  if (typeof value !== 'object' || value === null) {
    hash.update(`${typeof value}:${String(value)};`);
    return;
  }
  if (seen.has(value)) return;
  seen.add(value);
  if (value instanceof Map) {
    hash.update('map{');
    for (const [key, item] of value) {
      hashValue(hash, key, seen);
      hashValue(hash, item, seen);
    }
    hash.update('}');
    return;
  }
  hash.update(Array.isArray(value) ? '[' : '{');
  for (const key of Array.isArray(value) ? value.keys() : Object.keys(value).sort()) {
    hash.update(`${String(key)}=`);
    hashValue(hash, (value as Record<string | number, unknown>)[key], seen);
  }
  hash.update(Array.isArray(value) ? ']' : '}');
}

/** A fingerprint of an iteration's plan, initial input and the user's tag. */
export function iterationFingerprint(
  iteration: PlanNode,
  initialInputs: readonly unknown[][][],
  tag: string,
): string {
  const hash = createHash('sha256');
  hash.update(`tag:${tag}\n`);
  const order = new Map<PlanNode, number>();
  const visit = (node: PlanNode) => {
    if (order.has(node)) return;
    order.set(node, order.size);
    for (const input of dependencies(node)) visit(input);
    hash.update(`${node.kind}|${node.signature}|${node.parallelism}|`);
    hash.update(
      dependencies(node)
        .map((input) => order.get(input))
        .join(','),
    );
    hash.update('\n');
  };
  visit(iteration);
  for (const input of initialInputs) hashValue(hash, input, new Set());
  return hash.digest('hex').slice(0, 24);
}

/** Copies typed arrays over SharedArrayBuffers (which v8.serialize refuses) into plain ones. */
function unshare(value: unknown): unknown {
  if (ArrayBuffer.isView(value)) {
    if (!(value.buffer instanceof SharedArrayBuffer)) return value;
    const copy = new (value.constructor as new (length: number) => ArrayBufferView)(
      value.byteLength / ((value as unknown as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1),
    );
    new Uint8Array(copy.buffer).set(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    return copy;
  }
  if (Array.isArray(value)) return value.map(unshare);
  if (value instanceof Map) return new Map([...value].map(([key, item]) => [key, unshare(item)]));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, unshare(item)]));
  }
  return value;
}

/** Reads and writes one iteration's checkpoint file. */
export class IterationCheckpoint {
  readonly path: string;
  readonly every: number;

  constructor(options: CheckpointOptions, fingerprint: string) {
    const every = options.every ?? 1;
    if (!Number.isInteger(every) || every < 1)
      throw new ParamError('checkpoint.every', every, 'an integer >= 1');
    if (typeof options.dir !== 'string' || options.dir === '') {
      throw new ParamError('checkpoint.dir', options.dir, 'a directory path');
    }
    this.every = every;
    this.path = join(options.dir, `iteration-${fingerprint}.checkpoint`);
    mkdirSync(options.dir, { recursive: true });
  }

  /** The saved state, or undefined when there is none. */
  load(): CheckpointState | undefined {
    if (!existsSync(this.path)) return undefined;
    return deserialize(readFileSync(this.path)) as CheckpointState;
  }

  /** Saves the state atomically: a crash while writing leaves the previous checkpoint intact. */
  save(state: CheckpointState): void {
    let bytes: Buffer;
    try {
      bytes = serialize(state);
    } catch {
      bytes = serialize(unshare(state));
    }
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, bytes);
    renameSync(temporary, this.path);
  }

  /** Removes the checkpoint once the iteration has finished. */
  clear(): void {
    rmSync(this.path, { force: true });
  }
}
