import type { Progress, ProgressOptions } from '../index.js';

/** The kinds of value an option takes. Numbers are validated before a command runs. */
export type OptionType = 'string' | 'number' | 'integer' | 'boolean';

/** One `--kebab-case` option of a command. */
export interface OptionSpec {
  type: OptionType;
  /** One line for `--help`. */
  description: string;
  /** The value when the option is not given; shown in `--help`. */
  default?: string | number | boolean;
  /** A one-letter alias (`-k`). */
  short?: string;
  /** The accepted values of a string option; for a number option, words accepted besides numbers ('auto'). */
  choices?: readonly string[];
  /** Placeholder in `--help` (`--output FILE`). */
  valueName?: string;
  /** For numbers: the smallest and largest accepted value (inclusive). */
  min?: number;
  max?: number;
  /**
   * The option names a file the command writes (`-` being stdout): before the command runs, a
   * file is created and removed beside it, so that an unwritable path fails at once, not after
   * the work.
   */
  writes?: boolean;
  /**
   * For `--output`: the file endings the command knows how to write (default
   * {@link TABLE_OUTPUT_EXTENSIONS}). A name without an ending is written as TSV; another ending
   * is a usage error unless `--format` says how to write it, never silently TSV.
   */
  extensions?: readonly string[];
}

/** The endings of tabular output: TSV, CSV and Arrow IPC. */
export const TABLE_OUTPUT_EXTENSIONS: readonly string[] = ['.tsv', '.txt', '.csv', '.arrow', '.feather'];

/** Options every command accepts. */
export const commonOptions: Readonly<Record<string, OptionSpec>> = {
  help: { type: 'boolean', short: 'h', description: 'show this help and exit' },
  quiet: {
    type: 'boolean',
    short: 'q',
    description: 'no progress or summary lines on stderr (warnings and errors still show)',
  },
  debug: { type: 'boolean', description: 'show stack traces of errors' },
};

/** A positional argument of a command. */
export interface PositionalSpec {
  name: string;
  description: string;
  required?: boolean;
  /** The words it accepts (an action such as `train`), when it is not free text. */
  choices?: readonly string[];
}

/** Parsed option values, keyed by camelCase names (`--damping-factor` gives `dampingFactor`). */
export type OptionValues = Record<string, string | number | boolean | undefined>;

/** What a running command may use: its arguments, its output streams and a progress factory. */
export interface CommandContext {
  positionals: string[];
  options: OptionValues;
  /** The options given on the command line (camelCase), apart from those left at their default. */
  given: ReadonlySet<string>;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream;
  /** `--quiet` was given. */
  quiet: boolean;
  /** A progress reporter on stderr, silent unless stderr is a terminal and `--quiet` is off. */
  progress(options: Omit<ProgressOptions, 'stream' | 'quiet'>): Progress;
  /**
   * Ends the running phase and starts `label` (none: only ends): on a terminal, and without
   * `--quiet`, one line per phase on stderr with its seconds (see {@link Phases}).
   */
  phase(label?: string): void;
}

/** A sub-command of `eddy`. Each lives in its own file under `src/cli/commands/`. */
export interface CommandSpec {
  name: string;
  /** One line for `eddy --help`. */
  summary: string;
  /** More text for `eddy <command> --help`. */
  description?: string;
  positionals?: readonly PositionalSpec[];
  options: Readonly<Record<string, OptionSpec>>;
  /** Example invocations for `--help`. */
  examples?: readonly string[];
  run(context: CommandContext): Promise<void>;
}

/**
 * A command as `eddy --help` lists it, with the module that holds it loaded only when it runs:
 * a command loads the library (the public entry, about a third of a second), which `eddy --help`
 * and `eddy --version` need not.
 */
export interface CommandEntry {
  name: string;
  /** The same line as the loaded command's {@link CommandSpec.summary} (a test checks). */
  summary: string;
  load(): Promise<CommandSpec>;
}

/** An entry for a command that is already loaded (tests register their own this way). */
export function loadedCommand(spec: CommandSpec): CommandEntry {
  return { name: spec.name, summary: spec.summary, load: async () => spec };
}

/** Identity function that gives a command literal its type. */
export function defineCommand(spec: CommandSpec): CommandSpec {
  return spec;
}
