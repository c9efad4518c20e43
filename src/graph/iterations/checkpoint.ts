/**
 * Checkpoints of graph iterations: the whole state between two supersteps (vertex values,
 * pending messages or the active frontier, aggregator values), kept in core's checkpoint store
 * so that a resumed run continues exactly where the saved one was and ends with the same result.
 * A checkpoint names its iteration model and a hash of the graph it ran on (the CSR, edge and
 * initial vertex values): it is refused for another model or another graph, and when corrupt.
 */
import {
  CheckpointStore,
  contentHash,
  parseValuePayload,
  valuePayload,
} from '../../core/checkpoint-store.js';
import { InputError } from '../../core/errors.js';
import type { Graph } from '../graph.js';
import type { VertexKey } from '../vertex-dictionary.js';

/** The state of an iteration after `superstep` completed supersteps. */
export interface IterationState {
  model: string;
  name: string;
  vertexCount: number;
  superstep: number;
  values: unknown;
  /** Pending messages (vertex-centric) or the active frontier (scatter-gather, GSA). */
  frontier: unknown;
  aggregates: Record<string, unknown>;
}

/** What a graph iteration's checkpoints are checked against: its model and its graph. */
export interface GraphIterationIdentity {
  model: string;
  /** See {@link graphFingerprint}. */
  graph: string;
}

/** The graph part of a checkpoint's fingerprint: sizes and a hash of the CSR, its weights and the initial vertex values. */
export function graphFingerprint<K extends VertexKey, VV, EV>(graph: Graph<K, VV, EV>): string {
  const { csr } = graph;
  const hash = contentHash(csr.offsets, csr.targets, csr.weights ?? null, graph.vertexValueStore());
  return `${csr.vertexCount} vertices, ${csr.edgeCount} edges, hash ${hash}`;
}

/** The checkpoints of one graph iteration run in a directory. */
export class GraphCheckpoints {
  private readonly store: CheckpointStore;
  private lastId: number | undefined;

  constructor(directory: string, identity: GraphIterationIdentity) {
    this.store = new CheckpointStore({
      directory,
      kind: 'graph-iteration',
      fingerprint: { 'iteration model': identity.model, graph: identity.graph },
      retain: 1,
    });
  }

  /**
   * Writes the state atomically (see core/atomic-file); the first write of a run creates the
   * directory and removes temporary files a killed run left. `complete` marks the state a run
   * ended with: resuming from it continues (with a larger `maxIterations`) or ends at once.
   */
  save(state: IterationState, complete = false): void {
    if (this.lastId === undefined) {
      this.store.prepareSync();
      this.lastId = this.store.latestIdSync();
    }
    this.lastId++;
    this.store.writeSync(this.lastId, valuePayload(state), complete);
  }

  /** Reads and verifies the latest checkpoint, refusing one of another model or graph. */
  load(): IterationState {
    const stored = this.store.latestSync();
    if (stored === undefined) {
      throw new InputError('no checkpoint', {
        file: this.store.directory,
        expected: 'a checkpoint written by an iteration',
      });
    }
    const state = parseValuePayload(stored) as IterationState | null;
    if (state === null || typeof state !== 'object' || !Number.isSafeInteger(state.superstep)) {
      throw new InputError('refused checkpoint: not the state of a graph iteration', { file: stored.path });
    }
    return state;
  }
}
