import { parseArgs } from 'node:util';
import { UsageError } from '../index.js';
import { type CommandSpec, commonOptions, type OptionSpec, type OptionValues } from './command.js';

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
  const value = raw.trim() === '' ? Number.NaN : Number(raw);
  if (!Number.isFinite(value)) throw new UsageError(`--${name} expects a number; got '${raw}'`);
  if (spec.type === 'integer' && !Number.isInteger(value)) {
    throw new UsageError(`--${name} expects a whole number; got '${raw}'`);
  }
  if (spec.min !== undefined && value < spec.min)
    throw new UsageError(`--${name} must be at least ${spec.min}; got ${raw}`);
  if (spec.max !== undefined && value > spec.max)
    throw new UsageError(`--${name} must be at most ${spec.max}; got ${raw}`);
  return value;
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
      args: [...argv],
      options: config,
      strict: true,
      allowPositionals: true,
      allowNegative: false,
    });
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new UsageError(`${message.replace(/^Unknown option/, 'unknown option')}`);
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
