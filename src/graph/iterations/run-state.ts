/**
 * What every iteration model carries across supersteps (the vertex values and the aggregators),
 * and the three things done with it alike by all models: resuming from a checkpoint, saving one
 * after a superstep, and turning it into the result.
 */
import type { Graph } from '../graph.js';
import type { VertexKey } from '../vertex-dictionary.js';
import { GraphCheckpoints, graphFingerprint } from './checkpoint.js';
import type { Aggregators, GraphCheckpointOptions, IterationResult } from './options.js';
import { WorkingValues } from './working-values.js';

/** One run of an iteration model. */
export interface IterationRun<K extends VertexKey, VV, EV> {
  /** The model's name, stored in checkpoints so another model's checkpoint is refused. */
  model: string;
  /** The iteration's name (options.name). */
  name: string;
  graph: Graph<K, VV, EV>;
  values: WorkingValues<VV>;
  aggregators: Aggregators;
  /** The checkpoints this run writes, opened at its first checkpoint. */
  checkpoints?: GraphCheckpoints;
}

function checkpointsIn<K extends VertexKey, VV, EV>(run: IterationRun<K, VV, EV>, directory: string) {
  return new GraphCheckpoints(directory, { model: run.model, graph: graphFingerprint(run.graph) });
}

/**
 * Restores the values and aggregators from the checkpoint in `directory`; returns the superstep
 * it was taken after and the model's frontier (pending messages or active vertices).
 */
export function resumeRun<K extends VertexKey, VV, EV>(
  run: IterationRun<K, VV, EV>,
  directory: string,
): { superstep: number; frontier: unknown } {
  const n = run.graph.numberOfVertices();
  const state = checkpointsIn(run, directory).load();
  const restored = new WorkingValues<VV>(state.values as Float64Array | VV[], n);
  for (let v = 0; v < n; v++) run.values.set(v, restored.get(v));
  run.aggregators.restore(state.aggregates);
  return { superstep: state.superstep, frontier: state.frontier };
}

/**
 * Saves the run after `superstep` when the options ask for a checkpoint there; the frontier is
 * read only on the supersteps that are saved.
 */
export function checkpointAfterSuperstep<K extends VertexKey, VV, EV>(
  checkpoint: GraphCheckpointOptions | undefined,
  run: IterationRun<K, VV, EV>,
  superstep: number,
  frontier: () => unknown,
): void {
  if (checkpoint === undefined || superstep % (checkpoint.every ?? 1) !== 0) return;
  saveRun(checkpoint, run, superstep, frontier(), false);
}

function saveRun<K extends VertexKey, VV, EV>(
  checkpoint: GraphCheckpointOptions,
  run: IterationRun<K, VV, EV>,
  superstep: number,
  frontier: unknown,
  complete: boolean,
): void {
  run.checkpoints ??= checkpointsIn(run, checkpoint.dir);
  run.checkpoints.save(
    {
      model: run.model,
      name: run.name,
      vertexCount: run.graph.numberOfVertices(),
      superstep,
      values: run.values.store(),
      frontier,
      aggregates: run.aggregators.snapshot(),
    },
    complete,
  );
}

/**
 * Marks the end of a checkpointed run: its final state, saved as complete, so that resuming
 * from it ends at once with the same result (or continues with a larger `maxIterations`).
 */
export function checkpointAtEnd<K extends VertexKey, VV, EV>(
  checkpoint: GraphCheckpointOptions | undefined,
  run: IterationRun<K, VV, EV>,
  superstep: number,
  frontier: unknown,
): void {
  if (checkpoint !== undefined) saveRun(checkpoint, run, superstep, frontier, true);
}

/** The result of a finished run: the graph with the final values. */
export function runResult<K extends VertexKey, VV, EV>(
  run: IterationRun<K, VV, EV>,
  superstep: number,
  converged: boolean,
): IterationResult<K, VV, EV> {
  return {
    graph: run.graph.withVertexValueStore(run.values.store()),
    iterations: superstep,
    converged,
    aggregates: run.aggregators.snapshot(),
  };
}
