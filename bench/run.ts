/**
 * Runs benchmark suites: `npm run bench -- <suite> [suite ...]`, or all of them without
 * arguments. Each suite is a module in bench/suites/ exporting `run(): Promise<void>` that
 * prints its figures (medians of several runs, ratios against peers measured in the same run).
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const suitesDirectory = join(dirname(fileURLToPath(import.meta.url)), 'suites');
const available = readdirSync(suitesDirectory, { withFileTypes: true })
  .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
  .map((entry) => entry.name.replace(/\.ts$/, ''))
  .sort();
const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(
    `unknown bench suite(s): ${unknown.join(', ')}; available: ${available.join(', ') || 'none'}`,
  );
  process.exit(2);
}
for (const name of requested.length > 0 ? requested : available) {
  console.log(`\n=== bench: ${name}`);
  const suite = (await import(pathToFileURL(join(suitesDirectory, `${name}.ts`)).href)) as {
    run(): Promise<void>;
  };
  await suite.run();
}
