import { parseArgs } from 'node:util';
import { UsageError } from '../index.js';
import { type CommandSpec, commonOptions, type OptionSpec, type OptionValues } from './command.js';
import { didYouMean } from './suggest.js';

/** `damping-factor` becomes `dampingFactor`. */
export function camelCase(kebab: string): string {
  return kebab.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

function convert(name: string, spec: OptionSpec, raw: string): string | number {
  if (spec.type === 'string') {
    if (spec.choices && !spec.choices.includes(raw)) {
      throw new UsageError(`--${name} must be one of ${spec.choices.join(', ')}; got '${raw}'`);
    }
    return raw;
  }
  // A number option's words ('auto') stand in for a value the command derives.
  if (spec.choices?.includes(raw)) return raw;
  const value = raw.trim() === '' ? Number.NaN : Number(raw);
  if (!Number.isFinite(value)) {
    const words = spec.choices ? ` or ${spec.choices.join(', ')}` : '';
    throw new UsageError(`--${name} expects a number${words}; got '${raw}'`);
  }
  if (spec.type === 'integer' && !Number.isInteger(value)) {
    throw new UsageError(`--${name} expects a whole number; got '${raw}'`);
  }
  if (spec.min !== undefined && value < spec.min)
    throw new UsageError(`--${name} must be at least ${spec.min}; got ${raw}`);
  if (spec.max !== undefined && value > spec.max)
    throw new UsageError(`--${name} must be at most ${spec.max}; got ${raw}`);
  return value;
}

/** A value that parseArgs would take for an option (`-1`, `-.5`, `-1e3`) but is a number. */
const NEGATIVE_NUMBER = /^-\.?\d/;

/**
 * Joins `--k -1` into `--k=-1`: parseArgs refuses a value that starts with '-' as ambiguous, and
 * a negative number should reach the option's own bounds check instead. (Only boolean options
 * have one-letter forms.)
 */
function joinNegativeValues(argv: readonly string[], specs: Readonly<Record<string, OptionSpec>>): string[] {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      joined.push(...argv.slice(i));
      break;
    }
    const name = arg.slice(2);
    const spec = arg.startsWith('--') && Object.hasOwn(specs, name) ? specs[name] : undefined;
    const next = argv[i + 1];
    if (spec !== undefined && spec.type !== 'boolean' && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      joined.push(`--${name}=${next}`);
      i++;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}

/** A parseArgs error as a UsageError, with the closest option suggested for an unknown one. */
function usageErrorOf(error: Error, specs: Readonly<Record<string, OptionSpec>>): UsageError {
  const message = error.message.replace(/\. To specify a positional argument.*$/s, '');
  const unknown = /^Unknown option '(--?)([^'=]*)/.exec(message);
  if (unknown === null) return new UsageError(message);
  const known = Object.keys(specs).map((name) => `--${name}`);
  const hint = unknown[1] === '--' ? didYouMean(`--${unknown[2]}`, known) : '';
  return new UsageError(`${message.replace(/^Unknown option/, 'unknown option')}${hint}`);
}

/**
 * Checks positionals that take fixed words (`train`): a data path where the action goes names
 * the missing action instead of the last positional.
 */
function checkChoices(command: CommandSpec, positionals: readonly string[]): void {
  const expected = command.positionals ?? [];
  for (let i = 0; i < Math.min(positionals.length, expected.length); i++) {
    const { name, choices } = expected[i];
    if (choices === undefined || choices.includes(positionals[i])) continue;
    const words = choices.map((choice) => `'${choice}'`).join(' or ');
    if (positionals.length < expected.filter((p) => p.required !== false).length) {
      const usage = expected.map((p, j) => (j === i ? choices.join('|') : `<${p.name}>`)).join(' ');
      throw new UsageError(
        `missing <${name}> ${words} before '${positionals[i]}' (usage: eddy ${command.name} ${usage})`,
      );
    }
    throw new UsageError(`unknown ${name} '${positionals[i]}'; expected ${words}`);
  }
}

/** The result of parsing a command's arguments. */
export interface ParsedArguments {
  positionals: string[];
  options: OptionValues;
  /** The options given on the command line (camelCase names). */
  given: Set<string>;
  help: boolean;
  quiet: boolean;
  debug: boolean;
}

/**
 * Parses a command's arguments strictly: unknown options, missing values, wrong types and
 * missing or extra positionals are `UsageError`s (exit code 2), never ignored.
 */
export function parseCommandArguments(command: CommandSpec, argv: readonly string[]): ParsedArguments {
  const specs: Record<string, OptionSpec> = { ...commonOptions, ...command.options };
  const config: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const [name, spec] of Object.entries(specs)) {
    config[name] = {
      type: spec.type === 'boolean' ? 'boolean' : 'string',
      ...(spec.short ? { short: spec.short } : {}),
    };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: joinNegativeValues(argv, specs),
      options: config,
      strict: true,
      allowPositionals: true,
      allowNegative: false,
    });
  } catch (error) {
    throw usageErrorOf(error as Error, specs);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const help = values.help === true;
  const options: OptionValues = {};
  const given = new Set<string>();
  for (const [name, spec] of Object.entries(command.options)) {
    const raw = values[name];
    const key = camelCase(name);
    if (raw === undefined) options[key] = spec.default;
    else {
      options[key] = typeof raw === 'boolean' ? raw : convert(name, spec, raw);
      given.add(key);
    }
  }
  const positionals = parsed.positionals;
  if (!help) {
    checkChoices(command, positionals);
    const expected = command.positionals ?? [];
    const required = expected.filter((p) => p.required !== false).length;
    if (positionals.length < required) {
      throw new UsageError(`missing argument <${expected[positionals.length].name}>`);
    }
    if (positionals.length > expected.length) {
      throw new UsageError(`unexpected argument '${positionals[expected.length]}'`);
    }
  }
  return { positionals, options, given, help, quiet: values.quiet === true, debug: values.debug === true };
}
