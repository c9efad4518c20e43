import { type FluentParams, type ParamValues, param, paramsFromJSON } from '../../../src/ml/params.js';
import { checkStageJSON, registerModelType } from '../../../src/ml/persistence.js';
import { Transformer } from '../../../src/ml/stage.js';
import type { Table } from '../../../src/table/table.js';
import { sparseFromMaps, tokensColumn } from './columns.js';

/** Parameters of {@link HashingTF}, Spark ML's names and defaults. */
export const hashingTFParams = {
  inputCol: param.column('tokens', 'the column of token lists'),
  outputCol: param.column('features', 'the column that receives the hashed term-count vectors (sparse)'),
  numFeatures: param.integer(1 << 18, 'the length of the vectors: terms are hashed into this many buckets', {
    min: 1,
  }),
  binary: param.boolean(false, 'whether every nonzero count becomes 1'),
};

type Specs = typeof hashingTFParams;

const encoder = new TextEncoder();

/** MurmurHash3 (x86, 32 bits) of `bytes` with `seed`, as a signed 32-bit integer (Java's int). */
export function murmurHash3(bytes: Uint8Array, seed: number): number {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h = seed | 0;
  const whole = bytes.length & ~3;
  const mix = (k: number) => {
    let m = Math.imul(k, c1);
    m = (m << 15) | (m >>> 17);
    return Math.imul(m, c2);
  };
  for (let i = 0; i < whole; i += 4) {
    const k = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    h ^= mix(k);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const rest = bytes.length & 3;
  if (rest > 0) {
    let tail = 0;
    for (let i = rest - 1; i >= 0; i--) tail = (tail << 8) | bytes[whole + i];
    h ^= mix(tail);
  }
  h ^= bytes.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** Spark's seed for HashingTF. */
const SEED = 42;

/** Flink ML's fluent setters and getters, defined at run time by WithParams. */
export interface HashingTF extends FluentParams<Specs, HashingTF> {}

/**
 * Term counts by feature hashing (Spark ML's and Flink ML's HashingTF): a term's bucket is the
 * MurmurHash3 (x86, 32-bit) of its UTF-8 bytes with seed 42, modulo numFeatures made
 * non-negative, as in Spark 3. No vocabulary to learn; distinct terms may share a bucket.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: WithParams defines the accessors of the interface.
export class HashingTF extends Transformer<Specs> {
  readonly type = 'hashing-tf';

  constructor(options: Partial<ParamValues<Specs>> = {}) {
    super(hashingTFParams, options);
  }

  /** The bucket of one term. */
  indexOf(term: string): number {
    const buckets = this.get('numFeatures');
    return ((murmurHash3(encoder.encode(term), SEED) % buckets) + buckets) % buckets;
  }

  transformTable(frame: Table): Table {
    const binary = this.get('binary');
    const rows = tokensColumn(frame, this.get('inputCol')).map((tokens) => {
      const counts = new Map<number, number>();
      for (const token of tokens) {
        const bucket = this.indexOf(token);
        counts.set(bucket, binary ? 1 : (counts.get(bucket) ?? 0) + 1);
      }
      return counts;
    });
    const values = sparseFromMaps(this.get('numFeatures'), rows);
    return frame.withTypedColumn(this.get('outputCol'), { kind: 'sparse', values });
  }

  protected stateJSON(): Record<string, unknown> {
    return {};
  }

  static fromJSON(json: unknown, source = '<json>'): HashingTF {
    const stage = checkStageJSON(json, source, 'hashing-tf');
    return new HashingTF(paramsFromJSON(hashingTFParams, stage.params, 'hashing-tf').getAll());
  }
}

registerModelType('hashing-tf', HashingTF.fromJSON);
