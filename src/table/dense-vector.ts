/**
 * Flink ML's dense vector: a fixed-length array of doubles. A column of them is stored
 * in Arrow as FixedSizeList<Float64> (one flat Float64Array underneath); a DenseVector
 * object only exists when a single row is handed to user code.
 */
export class DenseVector {
  /** The values, shared with the caller (no copy). */
  readonly values: Float64Array;

  constructor(values: Float64Array) {
    this.values = values;
  }

  /** The number of elements. */
  size(): number {
    return this.values.length;
  }

  /** Element `i`. */
  get(i: number): number {
    return this.values[i];
  }

  /** The values (the backing array, as Flink's `toArray` returns its `double[]`). */
  toArray(): Float64Array {
    return this.values;
  }

  /** Element-wise equality. */
  equals(other: DenseVector): boolean {
    if (other.values.length !== this.values.length) return false;
    for (let i = 0; i < this.values.length; i++) if (other.values[i] !== this.values[i]) return false;
    return true;
  }

  /** Flink's format: `[0.0, 0.3]` (Java's `Arrays.toString(double[])`). */
  toString(): string {
    return `[${Array.from(this.values, formatJavaDouble).join(', ')}]`;
  }

  toJSON(): number[] {
    return Array.from(this.values);
  }
}

/**
 * A double the way Java's `Double.toString` writes it, so that printed vectors read as in
 * Flink: integral values keep `.0`, and scientific notation (`1.0E-4`, `1.5E7`) is used
 * outside [1e-3, 1e7).
 */
export function formatJavaDouble(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    const text = String(value);
    return text.includes('.') ? text : `${text}.0`;
  }
  const [mantissa, exponent] = value.toExponential().split('e');
  const digits = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${digits}E${exponent.startsWith('+') ? exponent.slice(1) : exponent}`;
}

/** Factory of vectors, as Flink ML's `Vectors`. */
export const Vectors = {
  /** A dense vector holding a copy of `values`. */
  dense(values: ArrayLike<number>): DenseVector {
    return new DenseVector(Float64Array.from(values));
  },
};
