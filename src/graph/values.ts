/**
 * Storage of per-vertex and per-edge values. Numbers go in a `Float64Array` (what numeric
 * kernels read directly), absent values (Gelly's NullValue) take no memory at all, and any
 * other values live in a plain array.
 */

/** Values indexed by dense id: numbers typed, nothing stored for all-undefined. */
export type ValueStore<V> = Float64Array | V[] | undefined;

/** The value at `index`. */
export function valueAt<V>(store: ValueStore<V>, index: number): V {
  return (store === undefined ? undefined : store[index]) as V;
}

/**
 * Stores `count` values given by `get`, choosing the representation from what they are:
 * all undefined → nothing, all numbers → `Float64Array`, otherwise an array.
 */
export function storeValues<V>(count: number, get: (index: number) => V): ValueStore<V> {
  let allNumbers = true;
  let allUndefined = true;
  const values: V[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const value = get(i);
    values[i] = value;
    if (typeof value !== 'number') allNumbers = false;
    if (value !== undefined) allUndefined = false;
  }
  if (allUndefined && count > 0) return undefined;
  if (allNumbers) return Float64Array.from(values as number[]);
  return values;
}

/** The values at `indices`, in that order, in the same representation. */
export function pickValues<V>(store: ValueStore<V>, indices: ArrayLike<number>): ValueStore<V> {
  if (store === undefined) return undefined;
  if (store instanceof Float64Array) {
    const picked = new Float64Array(indices.length);
    for (let i = 0; i < indices.length; i++) picked[i] = store[indices[i]];
    return picked;
  }
  const picked: V[] = new Array(indices.length);
  for (let i = 0; i < indices.length; i++) picked[i] = store[indices[i]];
  return picked;
}

/** Two stores one after the other (for unions and additions). */
export function concatValues<V>(
  first: ValueStore<V>,
  firstCount: number,
  second: ValueStore<V>,
  secondCount: number,
): ValueStore<V> {
  if (first === undefined && second === undefined) return undefined;
  return storeValues(firstCount + secondCount, (i) =>
    i < firstCount ? valueAt(first, i) : valueAt(second, i - firstCount),
  );
}
