import { writeFileAtomically } from '../core/atomic-file.js';
import type { Progress } from '../core/progress.js';
import type { Table } from '../table/table.js';
import { loadData, type MLData } from './data.js';
import { installFluentAccessors, type ParamSpecs, Params, type ParamValues } from './params.js';

/**
 * The stage types of a pipeline, as in Flink ML: an {@link Estimator} learns from data and
 * returns a {@link Model}; a {@link Transformer} (every model is one) adds columns to data.
 */

/** What every saved stage looks like: its type, its parameters, and the learned state beside them. */
export interface StageJSON {
  type: string;
  params: Record<string, unknown>;
  [field: string]: unknown;
}

/** A stage with typed parameters: `get('k')`, `set('k', 8)` (chainable), `getParams()`. */
export abstract class WithParams<S extends ParamSpecs> {
  protected readonly params: Params<S>;

  constructor(specs: S, options: Partial<ParamValues<S>> = {}) {
    this.params = new Params(specs, options);
    installFluentAccessors(Object.getPrototypeOf(this), specs);
  }

  /** Every parameter with its value, defaults included. */
  getParams(): ParamValues<S> {
    return this.params.getAll();
  }

  /** One parameter's value. */
  get<K extends keyof S>(name: K): ParamValues<S>[K] {
    return this.params.get(name);
  }

  /** Sets one parameter (validated at once); returns this, for chaining. */
  set<K extends keyof S>(name: K, value: ParamValues<S>[K]): this {
    this.params.set(name, value);
    return this;
  }
}

/** A stage that adds columns to data: a fitted model, or a stateless stage like VectorAssembler. */
export abstract class Transformer<S extends ParamSpecs = ParamSpecs> extends WithParams<S> {
  /** The `type` written in saved JSON, which {@link loadModel} dispatches on. */
  abstract readonly type: string;

  /** Transforms a table; the input columns are kept and shared, new ones are appended. */
  abstract transformTable(frame: Table): Table;

  /** Learned state to save next to the parameters (nothing for stateless stages). */
  protected abstract stateJSON(): Record<string, unknown>;

  /**
   * Loads what {@link transformTable} needs and cannot load synchronously (TensorFlow.js for a
   * network); nothing for most stages. {@link transform} and pipelines await it.
   */
  async ready(): Promise<void> {}

  /**
   * Transforms data (in memory, or a CSV / Arrow IPC file) into a {@link Table} with the new
   * columns: its columns are typed (nothing is converted to Arrow until a relational operation,
   * SQL or `toArrow()` asks for it).
   */
  async transform(data: MLData): Promise<Table> {
    await this.ready();
    return this.transformTable(await loadData(data));
  }

  /** The stage as plain JSON: `{ type, params, ...state }`. */
  toJSON(): StageJSON {
    return { type: this.type, params: { ...this.params.getAll() }, ...this.stateJSON() };
  }

  /** Writes {@link toJSON} to a file, atomically: a failed save leaves the previous file as it was. */
  async save(path: string): Promise<void> {
    await writeFileAtomically(path, `${JSON.stringify(this.toJSON())}\n`);
  }
}

/** A fitted model: a transformer learned by an {@link Estimator}. */
export type Model = Transformer;

/** Options of the estimators whose `fit` reports how far it has come. */
export interface FitOptions {
  /**
   * Told how the fit advances, in the estimator's own steps (supersteps of its passes over the
   * data, trees, boosting rounds); the count never goes back.
   */
  progress?: Progress;
}

/** A stage that learns a model from data. Parameters are validated when set. */
export abstract class Estimator<S extends ParamSpecs, M extends Transformer> extends WithParams<S> {
  /** Learns from a table; what {@link fit} and pipelines call. */
  abstract fitTable(frame: Table): M;

  /**
   * Loads what {@link fitTable} needs and cannot load synchronously (TensorFlow.js for a
   * network); nothing for most estimators. {@link fit} and pipelines await it.
   */
  async ready(): Promise<void> {}

  /** Learns from data: in memory, or a CSV / Arrow IPC file path. */
  async fit(data: MLData): Promise<M> {
    await this.ready();
    return this.fitTable(await loadData(data));
  }
}
