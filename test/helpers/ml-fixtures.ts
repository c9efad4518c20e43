import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The scikit-learn fixtures of test/fixtures/ml (made by make_fixtures.py there): data sets as
 * CSV and scikit-learn's results in expected.json.
 */
export function mlFixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/ml/${name}`, import.meta.url));
}

// biome-ignore lint/suspicious/noExplicitAny: the JSON is read as written by the script.
export const expected: any = JSON.parse(readFileSync(mlFixturePath('expected.json'), 'utf8'));
