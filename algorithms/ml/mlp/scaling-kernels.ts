/**
 * The passes that turn a feature matrix into the float32 rows a network trains on (the column
 * means and deviations of the standardisation, then the scaled rows), chunk by chunk so that the
 * core driver's threads share them (worker threads load this module, so it only defines
 * functions). Chunks are fixed blocks of rows and their sums are combined in chunk order by the
 * caller: the same bits at every parallelism.
 */

/** Rows of one chunk of the passes. */
export const SCALING_CHUNK_ROWS = 4096;

/** The rows of chunk `chunk` of a matrix of `data.length / columns` rows: [from, to). */
function chunkRows(data: Float64Array, columns: number, chunk: number): [number, number] {
  const rows = columns > 0 ? data.length / columns : 0;
  const from = chunk * SCALING_CHUNK_ROWS;
  return [from, Math.min(rows, from + SCALING_CHUNK_ROWS)];
}

/** The column sums of chunk `chunk`'s rows of `data` (row-major), written to `sums[chunk * columns ..]`. */
export function columnSums(data: Float64Array, columns: number, sums: Float64Array, chunk: number): void {
  const [from, to] = chunkRows(data, columns, chunk);
  const total = new Float64Array(columns);
  for (let i = from; i < to; i++) {
    const row = i * columns;
    for (let j = 0; j < columns; j++) total[j] += data[row + j];
  }
  sums.set(total, chunk * columns);
}

/** The sums of squared deviations from `means` of chunk `chunk`'s rows, written to `squares[chunk * columns ..]`. */
export function columnSquares(
  data: Float64Array,
  columns: number,
  means: Float64Array,
  squares: Float64Array,
  chunk: number,
): void {
  const [from, to] = chunkRows(data, columns, chunk);
  const total = new Float64Array(columns);
  const centre = Float64Array.from(means);
  for (let i = from; i < to; i++) {
    const row = i * columns;
    for (let j = 0; j < columns; j++) {
      const difference = data[row + j] - centre[j];
      total[j] += difference * difference;
    }
  }
  squares.set(total, chunk * columns);
}

/**
 * Chunk `chunk`'s rows as float32 in `out`: `(x - means) / deviations` per column (0 where a
 * deviation is not positive), or as they are when `means` is empty. Returns 1 when a value
 * written is not finite, else 0.
 */
export function scaledRows(
  data: Float64Array,
  columns: number,
  means: Float64Array,
  deviations: Float64Array,
  out: Float32Array,
  chunk: number,
): number {
  const [from, to] = chunkRows(data, columns, chunk);
  // 0 while every value is finite (x - x is NaN for an infinite or NaN x).
  let check = 0;
  if (means.length === 0) {
    for (let at = from * columns; at < to * columns; at++) {
      const value = Math.fround(data[at]);
      out[at] = value;
      check += value - value;
    }
    return check === 0 ? 0 : 1;
  }
  const centre = Float64Array.from(means);
  // A product by the inverse costs a quarter of a division per value (25% of this pass). It can
  // differ from the quotient in the last bit of the double, which the float32 rounding then
  // almost always hides. A deviation so small that its inverse overflows keeps the division.
  const scale = deviations.map((deviation) => (deviation > 0 ? 1 / deviation : 0));
  if (!scale.every(Number.isFinite)) return scaledRowsByDivision(data, centre, deviations, out, from, to);
  for (let i = from; i < to; i++) {
    const row = i * columns;
    for (let j = 0; j < columns; j++) {
      const value = Math.fround((data[row + j] - centre[j]) * scale[j]);
      out[row + j] = value;
      check += value - value;
    }
  }
  return check === 0 ? 0 : 1;
}

/** {@link scaledRows} dividing by the deviations, for rows [from, to). */
function scaledRowsByDivision(
  data: Float64Array,
  centre: Float64Array,
  deviations: Float64Array,
  out: Float32Array,
  from: number,
  to: number,
): number {
  const columns = centre.length;
  let check = 0;
  for (let i = from; i < to; i++) {
    const row = i * columns;
    for (let j = 0; j < columns; j++) {
      const value = Math.fround(deviations[j] > 0 ? (data[row + j] - centre[j]) / deviations[j] : 0);
      out[row + j] = value;
      check += value - value;
    }
  }
  return check === 0 ? 0 : 1;
}
