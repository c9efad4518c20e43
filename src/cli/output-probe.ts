import { extname } from 'node:path';
import { AtomicFile, UsageError } from '../index.js';
import { type CommandSpec, type OptionValues, TABLE_OUTPUT_EXTENSIONS } from './command.js';
import { camelCase } from './parse.js';

/**
 * Checks that every output file a command was given can be created, before the command runs:
 * an unwritable `--output` then fails at once, with an OutputError naming it, instead of after
 * minutes of work. The target itself is not touched (only a temporary beside it).
 */
export async function probeOutputs(command: CommandSpec, options: OptionValues): Promise<void> {
  for (const [name, spec] of Object.entries(command.options)) {
    const path = options[camelCase(name)];
    if (spec.writes !== true || typeof path !== 'string' || path === '-') continue;
    // A URL (a broker address: eddy kmeans --stream nats://... --output nats://...) is no file.
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) continue;
    if (name === 'output' && options.format === undefined) checkExtension(path, spec.extensions);
    await (await AtomicFile.open(path)).abort();
  }
}

/** Refuses an output name whose ending the command does not write (`x.parquet`). */
function checkExtension(path: string, known: readonly string[] = TABLE_OUTPUT_EXTENSIONS): void {
  const ending = extname(path).toLowerCase();
  if (ending === '' || known.includes(ending)) return;
  throw new UsageError(
    `--output '${path}': eddy does not write '${ending}' files; use one of ${known.join(', ')} (or no ending for TSV)`,
  );
}
