/** Evaluation scopes: the whole job, or one superstep of an iteration (which binds its heads). */
import type { OperatorInput, PlanNode } from '../plan.js';
import type { IterationFrame } from './iteration-frame.js';

/** Results computed in one scope; nodes that do not read its heads live in the parent scope. */
export class Scope {
  readonly cache = new Map<PlanNode, Promise<OperatorInput>>();

  constructor(
    readonly parent: Scope | undefined,
    /** The iteration heads this scope binds (none for the job's root scope). */
    readonly heads: ReadonlySet<PlanNode>,
    readonly bindings: ReadonlyMap<PlanNode, OperatorInput>,
    /** The innermost iteration's frame (superstep, aggregators). */
    readonly frame: IterationFrame | undefined,
    /** Which nodes depend on `heads`, shared by every superstep of one iteration. */
    readonly memo: Map<PlanNode, boolean>,
  ) {}
}
