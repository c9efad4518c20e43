/** The writable side a progress reporter draws on (process.stderr by default). */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** What is being done, shown first ("reading edges.tsv"). */
  label: string;
  /** The total amount of work, when known, for a percentage. */
  total?: number;
  /** Unit of the counts ("edges", "points"). */
  unit?: string;
  /** Where to draw; defaults to process.stderr. */
  stream?: ProgressStream;
  /** Forces reporting off (`--quiet`). Reporting is also off when the stream is not a terminal. */
  quiet?: boolean;
  /** Minimum milliseconds between redraws (default 100). */
  intervalMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/** Reports how far long work has come. All methods are no-ops when reporting is off. */
export interface Progress {
  /** Whether anything is drawn at all. */
  readonly enabled: boolean;
  /** Sets the amount done so far (and optionally a short note, like "superstep 3"). */
  update(done: number, note?: string): void;
  /** Ends the line, leaving the final figures on screen. */
  finish(note?: string): void;
}

function formatCount(value: number): string {
  if (value >= 1e9) return `${(value / 1e9).toFixed(2)}G`;
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (value >= 1e4) return `${(value / 1e3).toFixed(1)}k`;
  return String(Math.round(value));
}

/**
 * A progress reporter that draws one self-overwriting line on stderr, only when stderr is
 * a terminal and the user did not ask for quiet: piped output and CI logs stay clean.
 */
export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const enabled = !options.quiet && stream.isTTY === true;
  const now = options.now ?? (() => performance.now());
  const interval = options.intervalMs ?? 100;
  const started = now();
  let lastDraw = Number.NEGATIVE_INFINITY;
  let lastDone = 0;
  let lastNote: string | undefined;

  const line = (done: number, note: string | undefined): string => {
    const elapsedSeconds = (now() - started) / 1000;
    let text = `${options.label}: ${formatCount(done)}`;
    if (options.total !== undefined && options.total > 0) {
      text += `/${formatCount(options.total)} (${Math.min(100, (100 * done) / options.total).toFixed(0)}%)`;
    }
    if (options.unit) text += ` ${options.unit}`;
    if (elapsedSeconds > 0 && done > 0) text += `, ${formatCount(done / elapsedSeconds)}/s`;
    if (note) text += `, ${note}`;
    return text;
  };

  return {
    enabled,
    update(done: number, note?: string) {
      lastDone = done;
      lastNote = note;
      if (!enabled) return;
      const time = now();
      if (time - lastDraw < interval) return;
      lastDraw = time;
      stream.write(`\r\x1b[K${line(done, note)}`);
    },
    finish(note?: string) {
      if (!enabled) return;
      stream.write(`\r\x1b[K${line(lastDone, note ?? lastNote)}\n`);
    },
  };
}

/**
 * A command's consecutive phases after its input is read ("building the graph index",
 * "computing", "writing FILE"): on a terminal, each shows its name while it runs, and one that
 * took a second or more then stays as a line with its seconds, so that a long computation is
 * never a silent wait. Nothing is drawn
 * when the stream is not a terminal or `quiet` is set.
 */
export interface Phases {
  /** Ends the running phase (a line with its seconds when it took a second or more) and starts `label`; without one, only ends. */
  next(label?: string): void;
  /** Clears the running phase's line without ending it (an error message takes its place). */
  abandon(): void;
  /** Runs `write` (a message on the same stream) on a line of its own, the phase's line drawn again after it. */
  interrupt(write: () => void): void;
}

/** Phases drawn on `stream` (process.stderr by default), as {@link Phases} says. */
export function createPhases(
  options: { stream?: ProgressStream; quiet?: boolean; now?: () => number } = {},
): Phases {
  const stream = options.stream ?? process.stderr;
  const enabled = !options.quiet && stream.isTTY === true;
  const now = options.now ?? (() => performance.now());
  let running: { label: string; started: number } | undefined;
  return {
    next(label?: string) {
      if (!enabled) return;
      if (running) {
        // A phase under a second leaves no line: only the long ones are worth a record.
        const seconds = (now() - running.started) / 1000;
        stream.write(seconds < 1 ? '\r\x1b[K' : `\r\x1b[K${running.label}: ${seconds.toFixed(1)} s\n`);
      }
      running = label === undefined ? undefined : { label, started: now() };
      if (running) stream.write(`\r\x1b[K${running.label} ...`);
    },
    abandon() {
      if (enabled && running) stream.write('\r\x1b[K');
      running = undefined;
    },
    interrupt(write: () => void) {
      if (!enabled || !running) return write();
      stream.write('\r\x1b[K');
      write();
      stream.write(`${running.label} ...`);
    },
  };
}
