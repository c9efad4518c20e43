/**
 * The CLI is a thin layer over the public API: every module under src/cli/ imports only
 * src/index.ts, other modules of src/cli/, packages and Node's built-ins.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const cli = resolve('src/cli');
const publicEntry = resolve('src/index.ts');

function sources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every relative module a source names: static imports, re-exports and `import()`. */
function relativeImports(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)'(\.{1,2}\/[^']+)'/g))
    found.push(match[1]);
  return found;
}

/** The imports of `file` that resolve outside src/cli/ to anything but the public entry. */
function outsideImports(file: string): string[] {
  return relativeImports(readFileSync(file, 'utf8')).filter((specifier) => {
    const target = resolve(dirname(file), specifier.replace(/\.js$/, '.ts'));
    return target !== publicEntry && !target.startsWith(`${cli}/`);
  });
}

describe('src/cli imports', () => {
  it('finds the imports it checks (static, type-only, multi-line and dynamic)', () => {
    const text = [
      "import { a } from '../index.js';",
      "import type {\n  B,\n} from '../core/errors.js';",
      "export { c } from './c.js';",
      "const d = await import('../../algorithms/d.js');",
      "import 'node:fs';",
    ].join('\n');
    expect(relativeImports(text)).toEqual([
      '../index.js',
      '../core/errors.js',
      './c.js',
      '../../algorithms/d.js',
    ]);
  });

  it('every module imports only src/index.ts and modules of src/cli/', () => {
    const offending: string[] = [];
    for (const file of sources(cli)) {
      const name = relative(cli, file);
      for (const specifier of outsideImports(file)) offending.push(`${name}: ${specifier}`);
    }
    expect(offending).toEqual([]);
  });
});
