/**
 * Bundles the command line (dist/src/cli/bin.js, into dist/cli/) and the package's entries
 * (dist/src/index.js, notebook/index.js and datasets/index.js, together into dist/lib/), over the
 * separate modules that tsc wrote to dist/. Node's ES module loader costs about 0.7 ms a module on
 * the machines we measure on, and the public entry has some 260: bundled, it imports in a
 * quarter of the instructions, and a command loads only the modules it uses (bench/RESULTS.md).
 * Packages stay external.
 *
 * Two things keep the bundle equal to the modules it was made from:
 * - `import.meta.url` in each module becomes that module's own file URL (relative to the
 *   bundle), so the kernel modules that worker threads load by URL are the files in dist/.
 * - The modules that tasks name by URL are registered with the calling thread's module loader
 *   (registerModuleLoaders, loaded when a task first names them), so the calling thread runs the bundled copies of its kernels and
 *   no class exists twice in one thread.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const dist = join(root, 'dist');
const bin = join(dist, 'src', 'cli', 'bin.js');
// The bundle and its chunks (modules loaded with import() stay apart, so that the packages they
// import load only when they do) all lie in this one folder.
const bundleDirectory = join(dist, 'cli');

/** The relative specifier of `file` as seen from `directory` (`./x`, `../y`). */
function specifierFrom(directory, file) {
  const path = relative(directory, file).split('\\').join('/');
  return path.startsWith('.') ? path : `./${path}`;
}


const publicEntry = join(dist, 'src', 'index.js');

/**
 * Where each export of the module `file` is defined: exported name -> the module that declares
 * it and its name there. Read from tsc's output, whose export statements take a few fixed forms;
 * a name not found here is simply imported from the public entry as written.
 */
const definitions = new Map();
function exportsOf(file) {
  const known = definitions.get(file);
  if (known) return known;
  const found = new Map();
  definitions.set(file, found);
  const text = readFileSync(file, 'utf8');
  const target = (specifier) => resolve(dirname(file), specifier);
  for (const match of text.matchAll(/^export \* from '(\.[^']+)';/gm)) {
    for (const [name, origin] of exportsOf(target(match[1]))) if (!found.has(name)) found.set(name, origin);
  }
  for (const match of text.matchAll(/^export \{([^}]*)\}( from '(\.[^']+)')?;/gm)) {
    for (const spec of match[1].split(',').map((part) => part.trim()).filter(Boolean)) {
      const [local, exported = local] = spec.split(/\s+as\s+/);
      const origin = match[3] === undefined ? { file, name: local } : exportsOf(target(match[3])).get(local);
      if (origin !== undefined) found.set(exported, origin);
    }
  }
  for (const match of text.matchAll(/^export (?:async function\*?|function\*?|class|const|let|var) ?([\w$]+)/gm)) {
    found.set(match[1], { file, name: match[1] });
  }
  return found;
}

/**
 * A command's imports from the public entry, pointed at the modules that define them. esbuild
 * places a module in a chunk by the entry points that reach it through any import, used or not,
 * so through the public entry every command would reach, and load, every module that another
 * command uses; imported from where they are defined, a command loads only its own.
 */
function importsFromDefinitions(file, text) {
  return text.replace(/^import \{([^}]*)\} from '(\.[^']*\/index\.js)';/gm, (statement, specs, specifier) => {
    if (resolve(dirname(file), specifier) !== publicEntry) return statement;
    const byModule = new Map();
    const rest = [];
    for (const spec of specs.split(',').map((part) => part.trim()).filter(Boolean)) {
      const [imported, local = imported] = spec.split(/\s+as\s+/);
      const origin = exportsOf(publicEntry).get(imported);
      if (origin === undefined) {
        rest.push(spec);
        continue;
      }
      const names = byModule.get(origin.file) ?? [];
      names.push(origin.name === local ? local : `${origin.name} as ${local}`);
      byModule.set(origin.file, names);
    }
    const lines = [...byModule].map(
      ([module, names]) => `import { ${names.join(', ')} } from '${specifierFrom(dirname(file), module)}';`,
    );
    if (rest.length > 0) lines.push(`import { ${rest.join(', ')} } from '${specifier}';`);
    return lines.join('\n');
  });
}

const cliSource = /[\\/]dist[\\/]src[\\/]cli[\\/]/;
/** Keeps each module's own `import.meta.url` (its file in dist/) in a bundle written to `directory`. */
function ownUrls(directory) {
  return {
    name: 'own-import-meta-url',
    setup(context) {
      context.onLoad({ filter: /[\\/]dist[\\/].*\.js$/ }, (args) => {
        const read = readFileSync(args.path, 'utf8');
        const text = cliSource.test(args.path) ? importsFromDefinitions(args.path, read) : read;
        if (!text.includes('import.meta.url')) return text === read ? undefined : { contents: text, loader: 'js' };
        const own = `new URL(${JSON.stringify(specifierFrom(directory, args.path))}, import.meta.url).href`;
        return { contents: text.replaceAll('import.meta.url', `(${own})`), loader: 'js' };
      });
    },
  };
}

// The library's modules are declarations: no top-level statement of theirs does anything that a
// command needs unless it uses an export of that module (checked by the bundle test). Saying so
// lets a command load the modules whose exports it uses, not the whole public entry that it
// imports from. The one exception, the model types that `loadModel` can read, registers itself
// at the top level of each model's module: the registry below names those modules for it.
const withoutSideEffects = /[\\/]dist[\\/](src|algorithms)[\\/]/;
const sideEffectFree = {
  name: 'library-without-side-effects',
  setup(context) {
    context.onResolve({ filter: /^\.\.?\// }, (args) => {
      const path = resolve(args.resolveDir, args.path);
      if (!withoutSideEffects.test(path) || /[\\/]cli[\\/]bin\.js$/.test(path)) return undefined;
      return { path, sideEffects: false };
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  plugins: [sideEffectFree, ownUrls(bundleDirectory)],
  logLevel: 'warning',
};

/** The .js files under `directory`, at any depth. */
function jsFiles(directory) {
  return readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .map((entry) => join(entry.parentPath, entry.name));
}

// The modules that register model types at their top level, for `loadModel` (eddy predict): all
// of the library's, since a saved model may be of any type, whichever modules a command imports.
const modelTypeModules = [...jsFiles(join(dist, 'src')), ...jsFiles(join(dist, 'algorithms'))]
  .filter((file) => !cliSource.test(file) && /^registerModelType\(/m.test(readFileSync(file, 'utf8')))
  .sort();

// The package's entries other than the command line (package.json "exports").
const libraryEntries = {
  index: publicEntry,
  notebook: join(dist, 'src', 'notebook', 'index.js'),
  datasets: join(dist, 'src', 'datasets', 'index.js'),
};

/** Pass 1 of a bundle: the modules `entries` reach, the model types' included. */
async function reachedFrom(entries) {
  const first = await build({
    ...common,
    entryPoints: [...entries, ...modelTypeModules],
    outdir: bundleDirectory,
    write: false,
    metafile: true,
  });
  return new Set(Object.keys(first.metafile.inputs).map((input) => resolve(root, input)));
}

/**
 * The modules tasks name by URL among `reached`: targets of `new URL('./x...', import.meta.url)`
 * and modules that export their own functions with `exported(fn, import.meta.url)`. Worker
 * entries stay out.
 */
function namedModules(reached) {
  const named = new Set();
  for (const file of reached) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/new URL\(\s*[`'"](\.\.?\/[^`'"$]+)/g)) {
      const base = resolve(dirname(file), match[1]).replace(/\.$/, '');
      const target = base.endsWith('.js') ? base : `${base}.js`;
      if (reached.has(target)) named.add(target);
    }
    if (/exported\([^)]*import\.meta\.url\)/.test(text.replace(/^\s*\*.*$/gm, ''))) named.add(file);
  }
  return [...named].filter((file) => !/worker-entry\.js$/.test(file)).sort();
}

/**
 * The registry every entry of a bundle in `directory` imports first: loaders of the `named`
 * modules (registered with the calling thread's loader, so that it runs the bundled copies of its
 * kernels and no class exists twice in one thread) and, for the command line, of the modules that
 * register model types. The command line's loaders import when a task first names a module, so
 * that start-up does not pay for the kernels a command never uses; the package's entries already
 * hold every module, so theirs hand over the module they import.
 */
function registry(directory, named, { lazy }) {
  const from = (file) => JSON.stringify(specifierFrom(directory, file));
  const url = (file) => `new URL(${from(file)}, import.meta.url).href`;
  const loader = `import { registerModuleLoaders } from ${from(join(dist, 'src/core/threads/module-export.js'))};`;
  if (!lazy) {
    return [
      loader,
      ...named.map((file, index) => `import * as module${index} from ${from(file)};`),
      'registerModuleLoaders([',
      ...named.map((file, index) => `  [${url(file)}, async () => module${index}],`),
      ']);',
    ].join('\n');
  }
  return [
    loader,
    'registerModuleLoaders([',
    ...named.map((file) => `  [${url(file)}, () => import(${from(file)})],`),
    ']);',
    `import { registerModelTypeModules } from ${from(join(dist, 'src/ml/persistence.js'))};`,
    'registerModelTypeModules([',
    ...modelTypeModules.map((file) => `  () => import(${from(file)}),`),
    ']);',
  ].join('\n');
}

/**
 * Bundles `entries` (name -> the module the entry re-exports, or runs) into `directory`: one file
 * per entry, chunks shared between them, the registry first in each (its body runs before
 * anything else).
 */
async function bundleInto(directory, entries, { reexport }) {
  const named = namedModules(await reachedFrom(Object.values(entries)));
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });
  const statement = reexport ? 'export * from' : 'import';
  const contents = Object.fromEntries(
    Object.entries(entries).map(([name, file]) => [
      name,
      `import './eddy-registry.js';\n${statement} ${JSON.stringify(specifierFrom(directory, file))};\n`,
    ]),
  );
  await build({
    ...common,
    splitting: true,
    outdir: directory,
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    entryPoints: Object.keys(contents).map((name) => ({ in: `eddy-entry:${name}`, out: name })),
    plugins: [
      sideEffectFree,
      ownUrls(directory),
      {
        name: 'entries-and-registry',
        setup(context) {
          context.onResolve({ filter: /^eddy-entry:/ }, (args) => ({
            path: args.path.slice('eddy-entry:'.length),
            namespace: 'eddy-entry',
          }));
          context.onLoad({ filter: /.*/, namespace: 'eddy-entry' }, (args) => ({
            contents: contents[args.path],
            resolveDir: directory,
            loader: 'js',
          }));
          context.onResolve({ filter: /^\.\/eddy-registry\.js$/ }, () => ({ path: 'registry', namespace: 'eddy' }));
          context.onLoad({ filter: /.*/, namespace: 'eddy' }, () => ({
            contents: registry(directory, named, { lazy: !reexport }),
            resolveDir: directory,
            loader: 'js',
          }));
        },
      },
    ],
  });
}

// Pass 2: the command line.
await bundleInto(bundleDirectory, { eddy: bin }, { reexport: false });
writeFileSync(bin, `#!/usr/bin/env node\nimport '../../cli/eddy.js';\n`);

// Pass 3: the package's other entries, bundled apart from the command line (whose chunks are cut
// per command) and together with each other, so that a class is one class whichever of them a
// program imports it from. Importing the public entry then reads a few files instead of some 260
// modules one by one (bench/RESULTS.md). Each entry file becomes the bundle's (its declarations
// stay as tsc wrote them); the modules behind it stay in dist/ for the worker threads, which load
// their kernels by URL.
const libraryDirectory = join(dist, 'lib');
await bundleInto(libraryDirectory, libraryEntries, { reexport: true });
for (const [name, file] of Object.entries(libraryEntries)) {
  const target = specifierFrom(dirname(file), join(libraryDirectory, `${name}.js`));
  writeFileSync(file, `export * from ${JSON.stringify(target)};\n`);
}
