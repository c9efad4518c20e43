import { availableParallelism } from 'node:os';
import { ParamError } from '../core/errors.js';

/**
 * Typed parameters of estimators and transformers, in the manner of Flink ML's `Param` and
 * scikit-learn's `get_params`: every parameter has a default, a description and a validator,
 * and a wrong value is a {@link ParamError} naming the parameter, the value and what is accepted.
 */

/** One parameter: its default, what it means, and which values it accepts. */
export interface ParamSpec<T> {
  /** The value used when none is given; written down so `getParams()` shows every default. */
  readonly default: T;
  /** One line, for documentation and `--help`. */
  readonly description: string;
  /** What is accepted, in words ("an integer >= 1"); used in error messages. */
  readonly accepted: string;
  /** Whether `value` is acceptable. */
  isValid(value: unknown): value is T;
}

/** A record of parameter specs, keyed by parameter name. */
export type ParamSpecs = Record<string, ParamSpec<unknown>>;

/** The value type of each parameter of a spec record. */
export type ParamValues<S extends ParamSpecs> = {
  -readonly [K in keyof S]: S[K] extends ParamSpec<infer T> ? T : never;
};

function spec<T>(
  defaultValue: T,
  description: string,
  accepted: string,
  isValid: (v: unknown) => boolean,
): ParamSpec<T> {
  return { default: defaultValue, description, accepted, isValid: isValid as (v: unknown) => v is T };
}

/** Bounds of a numeric parameter (inclusive unless `exclusiveMin`). */
export interface NumberBounds {
  min?: number;
  max?: number;
  /** `min` itself is not accepted (a learning rate > 0). */
  exclusiveMin?: boolean;
}

function boundsText({ min, max, exclusiveMin }: NumberBounds): string {
  const parts: string[] = [];
  if (min !== undefined) parts.push(`${exclusiveMin ? '>' : '>='} ${min}`);
  if (max !== undefined) parts.push(`<= ${max}`);
  return parts.join(' and ');
}

function withinBounds(value: number, { min, max, exclusiveMin }: NumberBounds): boolean {
  if (min !== undefined && (exclusiveMin ? value <= min : value < min)) return false;
  return max === undefined || value <= max;
}

/** Builders for the kinds of parameter eddy uses. */
export const param = {
  /** A whole number within bounds. */
  integer(defaultValue: number, description: string, bounds: NumberBounds = {}): ParamSpec<number> {
    const range = boundsText(bounds);
    return spec(
      defaultValue,
      description,
      `an integer${range ? ` ${range}` : ''}`,
      (v) => typeof v === 'number' && Number.isInteger(v) && withinBounds(v, bounds),
    );
  },
  /** A non-empty list of whole numbers within bounds (a network's hidden layer sizes). */
  integers(
    defaultValue: readonly number[],
    description: string,
    bounds: NumberBounds = {},
  ): ParamSpec<readonly number[]> {
    const range = boundsText(bounds);
    return spec(
      defaultValue,
      description,
      `a non-empty array of integers${range ? ` ${range}` : ''}`,
      (v) =>
        Array.isArray(v) &&
        v.length > 0 &&
        v.every((n) => typeof n === 'number' && Number.isInteger(n) && withinBounds(n, bounds)),
    );
  },
  /** A finite number within bounds. */
  number(defaultValue: number, description: string, bounds: NumberBounds = {}): ParamSpec<number> {
    const range = boundsText(bounds);
    return spec(
      defaultValue,
      description,
      `a finite number${range ? ` ${range}` : ''}`,
      (v) => typeof v === 'number' && Number.isFinite(v) && withinBounds(v, bounds),
    );
  },
  /**
   * A finite number within bounds, or `'auto'`: a value the estimator derives from the data
   * (logistic regression's `reg`, scikit-learn's `C = 1`).
   */
  numberOrAuto(
    defaultValue: number | 'auto',
    description: string,
    bounds: NumberBounds = {},
  ): ParamSpec<number | 'auto'> {
    const range = boundsText(bounds);
    return spec(
      defaultValue,
      description,
      `'auto' or a finite number${range ? ` ${range}` : ''}`,
      (v) => v === 'auto' || (typeof v === 'number' && Number.isFinite(v) && withinBounds(v, bounds)),
    );
  },
  /** A boolean. */
  boolean(defaultValue: boolean, description: string): ParamSpec<boolean> {
    return spec(defaultValue, description, 'true or false', (v) => typeof v === 'boolean');
  },
  /** One of a fixed list of strings. */
  choice<const C extends readonly string[]>(
    defaultValue: C[number],
    description: string,
    choices: C,
  ): ParamSpec<C[number]> {
    return spec(
      defaultValue,
      description,
      `one of ${choices.map((c) => `'${c}'`).join(', ')}`,
      (v) => typeof v === 'string' && choices.includes(v),
    );
  },
  /** A non-empty list of distinct strings from a fixed list (Flink ML's `metricsNames`). */
  choices<const C extends readonly string[]>(
    defaultValue: readonly C[number][],
    description: string,
    choices: C,
  ): ParamSpec<readonly C[number][]> {
    return spec(
      defaultValue,
      description,
      `a non-empty array of distinct names from ${choices.map((c) => `'${c}'`).join(', ')}`,
      (v) =>
        Array.isArray(v) &&
        v.length > 0 &&
        new Set(v).size === v.length &&
        v.every((c) => typeof c === 'string' && choices.includes(c)),
    );
  },
  /** A column name (a non-empty string). */
  column(defaultValue: string, description: string): ParamSpec<string> {
    return spec(defaultValue, description, 'a column name', (v) => typeof v === 'string' && v.length > 0);
  },
  /** A column name, or none. */
  optionalColumn(description: string): ParamSpec<string | null> {
    return spec<string | null>(
      null,
      description,
      'a column name or null',
      (v) => v === null || (typeof v === 'string' && v.length > 0),
    );
  },
  /** One column name, or a list of scalar columns assembled into one feature vector. */
  columns(
    defaultValue: string | readonly string[],
    description: string,
  ): ParamSpec<string | readonly string[]> {
    return spec(
      defaultValue,
      description,
      'a column name or a non-empty array of column names',
      (v) =>
        (typeof v === 'string' && v.length > 0) ||
        (Array.isArray(v) && v.length > 0 && v.every((c) => typeof c === 'string' && c.length > 0)),
    );
  },
  /** A seed for {@link random}: any finite number or string. */
  seed(defaultValue: number | string, description: string): ParamSpec<number | string> {
    return spec(
      defaultValue,
      description,
      'a finite number or a string',
      (v) => (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'string',
    );
  },
};

/**
 * Parameter names shared by many stages, as Flink ML and scikit-learn spell them. Stages pick
 * the ones they take, so `featuresCol` means the same everywhere.
 */
export const commonParams = {
  featuresCol: param.columns(
    'features',
    "the feature column (a vector or numeric column), or a list of numeric columns; when the default 'features' is not a column, every numeric column but the label and weight columns",
  ),
  labelCol: param.column('label', 'the label column'),
  predictionCol: param.column('prediction', 'the column that receives predictions'),
  weightCol: param.optionalColumn('a column of non-negative sample weights (all 1 when null)'),
  maxIterations: param.integer(100, 'the most iterations to run', { min: 1 }),
  tolerance: param.number(1e-6, 'the convergence tolerance', { min: 0 }),
  seed: param.seed(0, 'the seed of every random choice'),
  reg: param.number(0, 'the regularization strength (0: none)', { min: 0 }),
  elasticNet: param.number(0, 'the elastic-net mixing: 0 is L2 (ridge), 1 is L1 (lasso)', { min: 0, max: 1 }),
  parallelism: param.integer(
    availableParallelism(),
    "partitions of the fit's passes over the data (the DataSet engine's worker threads; default: the number of cores); any parallelism gives the same result",
    { min: 1 },
  ),
} as const;

/**
 * Holds the parameter values of a stage. Constructed from the specs and the user's options:
 * an unknown option or a value a spec does not accept is a {@link ParamError} at once.
 * Fluent setters (`setK(2)`) are one line each over {@link Params.set}.
 */
export class Params<S extends ParamSpecs> {
  readonly specs: S;
  private readonly values: ParamValues<S>;

  constructor(specs: S, options: Partial<ParamValues<S>> = {}) {
    this.specs = specs;
    const values: Record<string, unknown> = {};
    for (const [name, paramSpec] of Object.entries(specs)) values[name] = paramSpec.default;
    this.values = values as ParamValues<S>;
    for (const [name, value] of Object.entries(options)) {
      if (value !== undefined) this.set(name as keyof S, value as ParamValues<S>[keyof S]);
    }
  }

  /** The value of one parameter. */
  get<K extends keyof S>(name: K): ParamValues<S>[K] {
    return this.values[name];
  }

  /** Sets one parameter after validating it; returns this, for chaining. */
  set<K extends keyof S>(name: K, value: ParamValues<S>[K]): this {
    // Own names only: `constructor` or `toString` are no parameters of any stage.
    const paramSpec = Object.hasOwn(this.specs, name) ? this.specs[name] : undefined;
    if (paramSpec === undefined) {
      throw new ParamError(
        String(name),
        value,
        `one of the parameters ${Object.keys(this.specs).join(', ')}`,
      );
    }
    if (!paramSpec.isValid(value)) throw new ParamError(String(name), value, paramSpec.accepted);
    this.values[name] = (Array.isArray(value) ? Object.freeze([...value]) : value) as ParamValues<S>[K];
    return this;
  }

  /** Every parameter with its current value (defaults included), as a plain object. */
  getAll(): ParamValues<S> {
    return { ...this.values };
  }
}

/** Reads saved parameter values back, failing on anything a spec does not accept. */
export function paramsFromJSON<S extends ParamSpecs>(specs: S, saved: unknown, what: string): Params<S> {
  if (saved === null || typeof saved !== 'object' || Array.isArray(saved)) {
    throw new ParamError(`${what}.params`, saved, 'an object of parameter values');
  }
  const known: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(saved)) {
    if (!Object.hasOwn(specs, name))
      throw new ParamError(`${what}.params`, name, `one of ${Object.keys(specs).join(', ')}`);
    known[name] = value;
  }
  return new Params(specs, known as Partial<ParamValues<S>>);
}

/**
 * Flink ML's fluent accessors of a stage's parameters: `setK(2)` (returns the stage, for
 * chaining) and `getK()`, one pair per parameter. Stage classes declare them by merging this
 * type into their interface; {@link installFluentAccessors} defines them at run time.
 */
export type FluentParams<S extends ParamSpecs, Self> = {
  [K in keyof S & string as `set${Capitalize<K>}`]: (value: ParamValues<S>[K]) => Self;
} & {
  [K in keyof S & string as `get${Capitalize<K>}`]: () => ParamValues<S>[K];
};

const withAccessors = new WeakSet<object>();

/**
 * Defines `setX(value)` and `getX()` on a stage's prototype for every parameter `x` of its
 * specs (once per class), over the stage's `set(name, value)` and `get(name)`. A name the
 * class already has (such as `getParams`) is left alone.
 */
export function installFluentAccessors(prototype: object, specs: ParamSpecs): void {
  if (withAccessors.has(prototype)) return;
  withAccessors.add(prototype);
  for (const name of Object.keys(specs)) {
    const suffix = name[0].toUpperCase() + name.slice(1);
    if (!(`set${suffix}` in prototype)) {
      Object.defineProperty(prototype, `set${suffix}`, {
        value(this: { set(name: string, value: unknown): unknown }, value: unknown) {
          return this.set(name, value);
        },
        configurable: true,
        writable: true,
      });
    }
    if (!(`get${suffix}` in prototype)) {
      Object.defineProperty(prototype, `get${suffix}`, {
        value(this: { get(name: string): unknown }) {
          return this.get(name);
        },
        configurable: true,
        writable: true,
      });
    }
  }
}
