/**
 * Builders of the binary keyed operators: `a.join(b).where(keyA).equalTo(keyB)` (inner and
 * outer joins, optionally `.with(fn)`) and `a.coGroup(b).where(keyA).equalTo(keyB).with(fn)`.
 */
import type { RuntimeContext } from './context.js';
import { DataSet, JoinedDataSet, keySources } from './dataset.js';
import { functionName, functionSource } from './functions.js';
import { type CompiledKey, compileKey, type KeySelector } from './keys.js';
import { createNode } from './plan.js';
import { coGroupEvaluator, type JoinKind } from './runtime/keyed-operators.js';

/** `left.join(right)`: say which keys to compare with `where` and `equalTo`. */
export class JoinBuilder<L, R, LO, RO> {
  /** @internal */
  constructor(
    private readonly left: DataSet<L>,
    private readonly right: DataSet<R>,
    private readonly kind: JoinKind,
  ) {}

  /** The left side's key. */
  where(key: KeySelector<L>): { equalTo(key: KeySelector<R>): JoinedDataSet<LO, RO> } {
    return {
      equalTo: (rightKey: KeySelector<R>) =>
        JoinedDataSet.create<LO, RO>(
          this.left as unknown as DataSet<never>,
          this.right as unknown as DataSet<never>,
          this.kind,
          key,
          rightKey,
          undefined,
        ),
    };
  }
}

/** The function of a coGroup: both groups of one key (either may be empty). */
export type CoGroupFunction<L, R, O> = (
  left: readonly L[],
  right: readonly R[],
  context: RuntimeContext,
) => Iterable<O>;

/** `left.coGroup(right)`: say which keys to compare, then the function with `with`. */
export class CoGroupBuilder<L, R> {
  /** @internal */
  constructor(
    private readonly left: DataSet<L>,
    private readonly right: DataSet<R>,
  ) {}

  /** The left side's key. */
  where(key: KeySelector<L>): {
    equalTo(key: KeySelector<R>): { with<O>(fn: CoGroupFunction<L, R, O>): DataSet<O> };
  } {
    return {
      equalTo: (rightKey: KeySelector<R>) => ({
        with: <O>(fn: CoGroupFunction<L, R, O>): DataSet<O> => {
          const leftCompiled = compileKey(key, 'where') as CompiledKey;
          const rightCompiled = compileKey(rightKey, 'equalTo') as CompiledKey;
          const node = createNode({
            kind: 'operator',
            operation: 'coGroup',
            detail: `${leftCompiled.description} = ${rightCompiled.description}`,
            title: functionName(fn),
            inputs: [this.left.node, this.right.node],
            parallelism: this.left.environment.parallelism,
            functions: [...keySources(key, rightKey), functionSource(fn)],
            evaluate: coGroupEvaluator(
              leftCompiled,
              rightCompiled,
              fn as unknown as (
                left: readonly unknown[],
                right: readonly unknown[],
                context: never,
              ) => Iterable<unknown>,
            ),
          });
          return new DataSet<O>(this.left.environment, node);
        },
      }),
    };
  }
}
