/**
 * The logical plan: a DataSet is a node of a directed acyclic graph of operators, built
 * lazily by the fluent API and run only by an action (collect, count, write...). This
 * module defines the node, what an operator needs at run time, and `explain()`.
 */
import type { Aggregator, ConvergenceCriterion } from './aggregators.js';
import type { RuntimeContext } from './context.js';
import type { UserFunction } from './functions.js';
import type { CompiledKey } from './keys.js';

/** A data set materialised: one array of records per partition. */
export type Partitions = unknown[][];

/** The solution set of a running delta iteration, indexed by its key. */
export interface SolutionIndex {
  readonly key: CompiledKey;
  get(canonical: unknown): unknown;
}

/** An operator's evaluated input: its partitions, and the key index when it is a solution set. */
export interface OperatorInput {
  readonly partitions: Partitions;
  readonly solution?: SolutionIndex;
}

/** The per-record operators that may run on worker threads. */
export type RecordOperatorKind = 'map' | 'flatMap' | 'filter' | 'mapPartition' | 'reduce';

/** What an operator can use while it runs. */
export interface OperatorRuntime {
  /** The operator's name for errors: `#3 map 'parse'`. */
  readonly operator: string;
  /** Number of partitions the operator produces. */
  readonly parallelism: number;
  /** A runtime context for one partition. */
  context(partition: number): RuntimeContext;
  /**
   * Applies a record operator to every partition: on worker threads when the function is
   * exported and there is more than one partition, in the calling thread otherwise.
   */
  runRecords(
    kind: RecordOperatorKind,
    fn: UserFunction<unknown>,
    partitions: Partitions,
  ): Promise<Partitions>;
}

/** Runs one operator over its evaluated inputs. */
export type OperatorEvaluator = (
  inputs: readonly OperatorInput[],
  runtime: OperatorRuntime,
) => Partitions | Promise<Partitions>;

/** Checkpointing of an iteration between supersteps. */
export interface CheckpointOptions {
  /** Directory for checkpoint files (created when missing). */
  dir: string;
  /** Save the state every `every` supersteps (default 1). */
  every?: number;
  /**
   * Mixed into the checkpoint's fingerprint. The fingerprint covers the plan, the source of
   * its functions and the initial input, but not values functions capture from closures:
   * put those (or a version of them) here so a changed parameter does not resume old state.
   */
  tag?: string;
}

/** What bulk and delta iterations share: limits, aggregators, convergence, checkpoints. */
export interface IterationDefinition {
  readonly kind: 'bulk' | 'delta';
  readonly name: string;
  readonly maxIterations: number;
  readonly aggregators: Map<string, Aggregator<unknown>>;
  convergence?: { readonly name: string; readonly criterion: ConvergenceCriterion<unknown> };
  readonly checkpoint?: CheckpointOptions;
  /** Set once `closeWith` was called. */
  closed: boolean;
}

/** A bulk iteration, closed: the head stands for the partial solution inside the step. */
export interface BulkIterationSpec {
  readonly definition: IterationDefinition;
  readonly head: PlanNode;
  readonly initial: PlanNode;
  readonly next: PlanNode;
  readonly termination?: PlanNode;
}

/** A delta iteration, closed: solution set and workset heads, key, delta and next workset. */
export interface DeltaIterationSpec {
  readonly definition: IterationDefinition;
  readonly solutionHead: PlanNode;
  readonly worksetHead: PlanNode;
  readonly initialSolution: PlanNode;
  readonly initialWorkset: PlanNode;
  readonly key: CompiledKey;
  readonly delta: PlanNode;
  readonly nextWorkset: PlanNode;
}

/** The kinds of plan node. */
export type NodeKind = 'source' | 'operator' | 'bulk-head' | 'solution-set' | 'workset' | 'bulk' | 'delta';

/** A broadcast input of an operator. */
export interface BroadcastInput {
  readonly name: string;
  readonly node: PlanNode;
}

/** One node of the plan. Nodes are immutable; the fluent API makes new ones. */
export interface PlanNode {
  readonly id: number;
  readonly kind: NodeKind;
  /** The operation: `map`, `groupBy.reduce`, `join(inner)`... */
  readonly operation: string;
  /** Keys and other parameters, e.g. `field 'word'`. */
  readonly detail?: string;
  /** The user's name for the operator (`.name()`), else its function's name. */
  readonly title?: string;
  /** What the node does, e.g. `map 'parse'` or `groupBy.reduce(field 'word') 'sum'`. */
  readonly label: string;
  readonly inputs: readonly PlanNode[];
  readonly broadcasts: readonly BroadcastInput[];
  /** Number of partitions it produces. */
  readonly parallelism: number;
  /** Operation, detail and the source of its functions: identifies behaviour for checkpoint fingerprints. */
  readonly signature: string;
  /** Source text of the node's functions. */
  readonly functions: readonly string[];
  readonly evaluate?: OperatorEvaluator;
  /** The iteration a head node belongs to. */
  readonly iteration?: IterationDefinition;
  readonly bulk?: BulkIterationSpec;
  readonly delta?: DeltaIterationSpec;
}

let nextId = 1;

/** Fields of a new node (id, label and signature are derived). */
export type NodeFields = Omit<PlanNode, 'id' | 'broadcasts' | 'signature' | 'label' | 'functions'> & {
  broadcasts?: readonly BroadcastInput[];
  functions?: readonly string[];
};

/** Creates a plan node with a fresh id. */
export function createNode(fields: NodeFields): PlanNode {
  const detail = fields.detail ? `(${fields.detail})` : '';
  const title = fields.title ? ` '${fields.title}'` : '';
  const functions = fields.functions ?? [];
  return {
    broadcasts: [],
    ...fields,
    functions,
    label: `${fields.operation}${detail}${title}`,
    signature: [`${fields.operation}${detail}`, ...functions].join('\n'),
    id: nextId++,
  };
}

/** A copy of a node with some fields changed and a fresh id. */
export function reviseNode(node: PlanNode, changes: Partial<NodeFields>): PlanNode {
  const { id: _id, label: _label, signature: _signature, ...fields } = node;
  return createNode({ ...fields, ...changes });
}

/** `#3 map 'parse'`: how errors and explain() name a node. */
export function nodeName(node: PlanNode): string {
  return `#${node.id} ${node.label}`;
}

/** Every node a node reads: inputs, broadcast sets, and an iteration's inner plan. */
export function dependencies(node: PlanNode): PlanNode[] {
  const result = [...node.inputs, ...node.broadcasts.map((broadcast) => broadcast.node)];
  if (node.bulk) {
    result.push(node.bulk.next);
    if (node.bulk.termination) result.push(node.bulk.termination);
  }
  if (node.delta) result.push(node.delta.delta, node.delta.nextWorkset);
  return result;
}

/** Whether `node` (transitively) reads any of `heads`. Memoised in `memo`. */
export function dependsOn(
  node: PlanNode,
  heads: ReadonlySet<PlanNode>,
  memo: Map<PlanNode, boolean>,
): boolean {
  if (heads.has(node)) return true;
  const known = memo.get(node);
  if (known !== undefined) return known;
  memo.set(node, false);
  const result = dependencies(node).some((input) => dependsOn(input, heads, memo));
  memo.set(node, result);
  return result;
}

/** The heads a closed iteration binds. */
export function iterationHeads(node: PlanNode): Set<PlanNode> {
  if (node.bulk) return new Set([node.bulk.head]);
  if (node.delta) return new Set([node.delta.solutionHead, node.delta.worksetHead]);
  return new Set();
}

/**
 * The plan as text, one line per operator in the order they run: id, what it does, its
 * inputs, broadcast sets and parallelism; iterations are shown where they begin and end
 * with their step indented between.
 */
export function explainPlan(root: PlanNode, action: string): string {
  const lines: string[] = [];
  const printed = new Set<PlanNode>();

  const describe = (node: PlanNode): string => {
    const reads = node.inputs.map((input) => `#${input.id}`);
    const extras = node.broadcasts.map(
      (broadcast) => `broadcast '${broadcast.name}' <- #${broadcast.node.id}`,
    );
    const from = reads.length > 0 ? ` <- ${reads.join(', ')}` : '';
    const extra = extras.length > 0 ? `, ${extras.join(', ')}` : '';
    return `${nodeName(node)}${from}  [parallelism ${node.parallelism}${extra}]`;
  };

  const visit = (
    node: PlanNode,
    depth: number,
    inside: ReadonlySet<PlanNode>,
    memo: Map<PlanNode, boolean>,
  ) => {
    if (printed.has(node)) return;
    const indent = '  '.repeat(depth);
    // A node that does not read the enclosing iteration's heads runs once, outside it.
    if (inside.size > 0 && !dependsOn(node, inside, memo)) return;
    if (node.kind === 'bulk-head' || node.kind === 'solution-set' || node.kind === 'workset') {
      printed.add(node);
      lines.push(`${indent}${describe(node)}`);
      return;
    }
    if (node.bulk || node.delta) {
      for (const input of node.inputs) visit(input, depth, inside, memo);
      const heads = iterationHeads(node);
      const innerMemo = new Map<PlanNode, boolean>();
      const definition = (node.bulk ?? node.delta)!.definition;
      const inner = node.bulk
        ? [node.bulk.next, ...(node.bulk.termination ? [node.bulk.termination] : [])]
        : [node.delta!.delta, node.delta!.nextWorkset];
      // Loop-invariant inputs of the step first: they are computed once and cached.
      const invariant: PlanNode[] = [];
      const collect = (candidate: PlanNode, seen: Set<PlanNode>) => {
        if (seen.has(candidate)) return;
        seen.add(candidate);
        if (!dependsOn(candidate, heads, innerMemo)) invariant.push(candidate);
        else {
          // A nested iteration's step is printed with that iteration, not here.
          const reads =
            candidate.bulk || candidate.delta
              ? [...candidate.inputs, ...candidate.broadcasts.map((b) => b.node)]
              : dependencies(candidate);
          for (const input of reads) collect(input, seen);
        }
      };
      const seen = new Set<PlanNode>();
      for (const step of inner) collect(step, seen);
      for (const input of invariant) visit(input, depth, inside, memo);
      const limits = [`maxIterations ${definition.maxIterations}`];
      if (node.delta) limits.push(`key ${node.delta.key.description}`);
      for (const [name, aggregator] of definition.aggregators)
        limits.push(`aggregator '${name}' (${aggregator.description})`);
      if (definition.convergence) limits.push(`converges on '${definition.convergence.name}'`);
      if (definition.checkpoint)
        limits.push(`checkpoint every ${definition.checkpoint.every ?? 1} in ${definition.checkpoint.dir}`);
      lines.push(`${indent}${definition.kind} iteration '${definition.name}' begins (${limits.join(', ')})`);
      for (const step of inner) visit(step, depth + 1, heads, innerMemo);
      const closing = node.bulk
        ? `next #${node.bulk.next.id}${node.bulk.termination ? `, terminates when #${node.bulk.termination.id} is empty` : ''}`
        : `solution delta #${node.delta!.delta.id}, next workset #${node.delta!.nextWorkset.id}`;
      lines.push(`${indent}${definition.kind} iteration '${definition.name}' ends (${closing})`);
      printed.add(node);
      lines.push(`${indent}${describe(node)}`);
      return;
    }
    for (const input of dependencies(node)) visit(input, depth, inside, memo);
    printed.add(node);
    lines.push(`${indent}${describe(node)}`);
  };

  visit(root, 0, new Set(), new Map());
  lines.push(`sink: ${action} <- #${root.id}`);
  return lines.join('\n');
}
