/**
 * Importing the public entry loads no native module: DuckDB (half a second, 80 MB) loads on the
 * first SQL query. Every `eddy` command imports the entry, so this is the CLI's start-up too.
 * Runs the built entry in a fresh process.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { expect, it } from 'vitest';

it('import of the public entry loads no native module; the first SQL query loads DuckDB', () => {
  expect(existsSync('dist/src/index.js'), 'dist/ is missing: run npm run build').toBe(true);
  const script = `
    const natives = () => process.report.getReport().sharedObjects.filter((path) => path.endsWith('.node'));
    const eddy = await import('./dist/src/index.js');
    const atImport = natives();
    const engine = new eddy.SqlEngine();
    const table = await engine.sqlQuery('SELECT 42 AS answer');
    await engine.close();
    console.log(JSON.stringify({ atImport, afterQuery: natives(), rows: table.numRows }));`;
  const run = spawnSync('node', ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  const { atImport, afterQuery, rows } = JSON.parse(run.stdout) as Record<string, unknown>;
  expect(atImport).toEqual([]);
  expect((afterQuery as string[]).some((path) => path.includes('duckdb'))).toBe(true);
  expect(rows).toBe(1);
});
