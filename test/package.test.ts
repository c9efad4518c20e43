/**
 * What the published package promises, checked statically (fast); scripts/check-package.sh (run
 * by .ci/run) installs the packed tarball into a fresh project and compiles against it.
 * Reads dist/, so run after `npm run build`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8'));

function declarationFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.d.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The package a module specifier names (`@scope/name/sub` -> `@scope/name`). */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

describe('package.json', () => {
  it('ships the Apache-2.0 licence it declares', () => {
    expect(manifest.license).toBe('Apache-2.0');
    expect(manifest.files).toContain('LICENSE');
    const licence = readFileSync(join(root, 'LICENSE'), 'utf8');
    expect(licence).toContain('Apache License');
    expect(licence).toContain('Version 2.0, January 2004');
  });

  it('gives every module the public declarations import a dependency with types', () => {
    const imported = new Set<string>();
    for (const file of declarationFiles(join(root, 'dist'))) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/(?:from|import\()\s*'([^'.][^']*)'/g)) {
        if (match[1].startsWith('eddy')) continue;
        imported.add(match[1].startsWith('node:') ? '@types/node' : packageOf(match[1]));
      }
    }
    expect(imported.size).toBeGreaterThan(3);
    const peers: Record<string, { optional?: boolean }> = manifest.peerDependenciesMeta ?? {};
    for (const name of imported) {
      const declared = name in manifest.dependencies || peers[name]?.optional === true;
      expect(declared, `${name} is imported by a declaration file`).toBe(true);
      if (name.startsWith('@types/')) continue;
      const own = JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8'));
      const typed =
        own.types !== undefined ||
        own.typings !== undefined ||
        own.exports?.['.']?.types !== undefined ||
        `@types/${name}` in manifest.dependencies;
      expect(typed, `${name} has no types of its own and @types/${name} is not a dependency`).toBe(true);
    }
  });

  it('keeps vega and vega-lite optional peers: only eddy/notebook needs them', () => {
    for (const name of ['vega', 'vega-lite']) {
      expect(manifest.dependencies[name]).toBeUndefined();
      expect(manifest.peerDependencies[name]).toBeDefined();
      expect(manifest.peerDependenciesMeta[name]).toEqual({ optional: true });
    }
  });

  it('ships the sources that the source and declaration maps point at', () => {
    const maps = tsconfig.compilerOptions.sourceMap || tsconfig.compilerOptions.declarationMap;
    expect(maps).toBe(true);
    for (const folder of tsconfig.include) expect(manifest.files).toContain(folder);
    const map = JSON.parse(readFileSync(join(root, 'dist/src/index.js.map'), 'utf8'));
    expect(existsSync(resolve(root, 'dist/src', map.sources[0]))).toBe(true);
  });

  it('exports eddy/datasets and eddy/notebook, also to tslab through typesVersions', () => {
    for (const entry of ['datasets', 'notebook']) {
      const target = manifest.exports[`./${entry}`];
      expect(existsSync(join(root, target.default)), target.default).toBe(true);
      expect(manifest.typesVersions['*'][entry]).toEqual([target.types.replace(/^\.\//, '')]);
    }
    expect(manifest.files).toContain('data');
  });
});
