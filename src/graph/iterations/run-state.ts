/**
 * What every iteration model carries across supersteps (the vertex values and the aggregators),
 * and the three things done with it alike by all models: resuming from a checkpoint, saving one
 * after a superstep, and turning it into the result.
 */
import type { Graph } from '../graph.js';
import type { VertexKey } from '../vertex-dictionary.js';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.js';
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
  const state = loadCheckpoint(directory, run.model, n);
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
  saveCheckpoint(checkpoint.dir, {
    model: run.model,
    name: run.name,
    vertexCount: run.graph.numberOfVertices(),
    superstep,
    values: run.values.store(),
    frontier: frontier(),
    aggregates: run.aggregators.snapshot(),
  });
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
