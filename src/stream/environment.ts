import type { CheckpointOptions } from './checkpoint.js';

/** Options of a {@link StreamEnvironment}. */
export interface StreamEnvironmentOptions {
  /** Take checkpoints (and resume from them); without this a job keeps no checkpoints. */
  checkpoint?: CheckpointOptions;
  /**
   * The processing-time clock in milliseconds (default `Date.now`). Tests pass their own to make
   * processing-time windows deterministic.
   */
  clock?: () => number;
}

/**
 * Where streams run: the checkpoint settings and the clock shared by every stream made from it.
 * `DataStream.from(source, env)` starts a pipeline in an environment.
 */
export class StreamEnvironment {
  readonly checkpoint: CheckpointOptions | undefined;
  readonly clock: () => number;

  constructor(options: StreamEnvironmentOptions = {}) {
    this.checkpoint = options.checkpoint;
    this.clock = options.clock ?? Date.now;
  }
}
