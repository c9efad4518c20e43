/**
 * The solution set of an iteration: the vertex values, updated in place superstep by
 * superstep. Numbers stay in a `Float64Array`; a value of another type moves the store to an array.
 */
import type { ValueStore } from '../values.js';

/** Mutable vertex values by dense id. */
export class WorkingValues<VV> {
  /** Numeric values, while every value is a number. */
  numbers: Float64Array | undefined;
  private general: VV[] | undefined;

  constructor(store: ValueStore<VV>, vertexCount: number) {
    if (store instanceof Float64Array) this.numbers = store.slice();
    else this.general = store === undefined ? new Array(vertexCount).fill(undefined) : [...store];
  }

  get(id: number): VV {
    return (this.numbers !== undefined ? this.numbers[id] : this.general![id]) as VV;
  }

  set(id: number, value: VV): void {
    if (this.numbers !== undefined) {
      if (typeof value === 'number') {
        this.numbers[id] = value;
        return;
      }
      this.general = Array.from(this.numbers) as VV[];
      this.numbers = undefined;
    }
    this.general![id] = value;
  }

  /** The values as a store for a new graph. */
  store(): ValueStore<VV> {
    return this.numbers ?? this.general;
  }
}
