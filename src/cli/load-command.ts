import { existsSync } from 'node:fs';
import type { CommandSpec } from './command.js';

/**
 * The command `name` alone, from its own module (`commands/<name>.js`, which exports its spec),
 * so that `eddy <name>` loads only what that command imports rather than the modules of every
 * command (DuckDB, Vega, the graph algorithms ...). Undefined when no module is named so or it
 * exports no spec of that name: the caller falls back to the whole registry.
 */
export async function loadCommand(name: string | undefined): Promise<CommandSpec | undefined> {
  if (name === undefined || !/^[a-z][a-z0-9-]*$/.test(name) || name === 'index') return undefined;
  const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const url = new URL(`./commands/${name}${extension}`, import.meta.url);
  if (!existsSync(url)) return undefined;
  const exports = Object.values((await import(url.href)) as Record<string, unknown>);
  return exports.find(
    (value): value is CommandSpec =>
      typeof value === 'object' &&
      value !== null &&
      (value as CommandSpec).name === name &&
      typeof (value as CommandSpec).run === 'function',
  );
}
