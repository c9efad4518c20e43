#!/usr/bin/env bash
# Installs eddy as a user would and checks what they meet first: the packed tarball installed
# into a fresh project with TypeScript alone (no @types/node: eddy brings the types its
# declarations need; no vega, an optional peer dependency), a file importing 'eddy' and
# 'eddy/datasets' compiled with --strict and without skipLibCheck, then run; every source map
# in the tarball points at a file that ships; eddy/notebook without vega says what to install;
# the installed eddy command finds the bundled data. Run after `npm run build`; .ci/run calls
# it. Needs the npm registry (or its cache).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== npm pack"
tarball=$(npm pack --ignore-scripts --silent --pack-destination "$work" | tail -1)
mkdir "$work/unpacked"
tar -xzf "$work/$tarball" -C "$work/unpacked"

echo "== source maps point at shipped files"
node - "$work/unpacked/package" <<'EOF'
const { readFileSync, existsSync, readdirSync } = require('node:fs');
const { join, dirname, resolve } = require('node:path');
const root = process.argv[2];
const missing = [];
let maps = 0;
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (entry.name.endsWith('.map')) {
      maps++;
      const map = JSON.parse(readFileSync(path, 'utf8'));
      for (const source of map.sources) {
        const target = resolve(dirname(path), map.sourceRoot ?? '', source);
        if (!existsSync(target)) missing.push(`${path.slice(root.length + 1)} -> ${source}`);
      }
    }
  }
};
walk(root);
if (maps === 0) throw new Error('no source maps in the package: expected dist/**/*.map');
if (missing.length > 0) {
  console.error(`${missing.length} source map entries point at files the package does not ship, e.g.`);
  console.error(missing.slice(0, 5).join('\n'));
  process.exit(1);
}
console.log(`${maps} source maps, every source shipped`);
EOF
test -f "$work/unpacked/package/LICENSE" || { echo "LICENSE is not in the package" >&2; exit 1; }

echo "== install into a fresh TypeScript project"
project="$work/project"
mkdir "$project"
cd "$project"
typescript=$(node -p "require('$root/node_modules/typescript/package.json').version")
cat > package.json <<'EOF'
{ "name": "eddy-user", "version": "1.0.0", "private": true, "type": "module" }
EOF
npm install --no-audit --no-fund --prefer-offline --loglevel=error \
  "$work/$tarball" "typescript@$typescript"
if [ -d node_modules/vega ] || [ -d node_modules/vega-lite ]; then
  echo "vega or vega-lite was installed with eddy: they should be optional peer dependencies" >&2
  exit 1
fi
cat > tsconfig.json <<'EOF'
{
  "compilerOptions": {
    "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext",
    "strict": true, "skipLibCheck": false, "outDir": "out"
  },
  "files": ["main.ts"]
}
EOF
cat > main.ts <<'EOF'
import { DenseMatrix, Graph, pageRank } from 'eddy';
import { datasetNames, datasetPath, loadDataset } from 'eddy/datasets';

const ranks = pageRank(Graph.fromEdges([['a', 'b'], ['b', 'c'], ['c', 'a']]));
const shape: readonly number[] = DenseMatrix.fromRows([[1, 2]]).toNdArray().shape;
const iris = await loadDataset('iris');
console.log(ranks.top(1)[0][0], shape.join('x'), iris.numRows, datasetNames().length > 0, datasetPath('karate'));
EOF
echo "== tsc --strict"
# TensorFlow.js 4.22's own declarations (reached through the types of eddy's KerasEstimator) fail
# TypeScript 5's index-signature checks without skipLibCheck; eddy's declarations must pass, so
# only errors in @tensorflow's files are let through, and counted.
if ! node node_modules/typescript/bin/tsc -p . > tsc.log; then
  if grep 'error TS' tsc.log | grep -qv '^node_modules/@tensorflow/'; then
    cat tsc.log >&2
    exit 1
  fi
  echo "(errors only in TensorFlow.js's own declarations: $(grep -c 'error TS' tsc.log))"
fi
echo "== run"
node out/main.js
cat > notebook.mjs <<'EOF'
import { renderSvg } from 'eddy/notebook';
const error = await renderSvg({ mark: 'point', data: { values: [] } }).catch((e) => e);
if (!(error instanceof Error) || !error.message.includes('npm install vega vega-lite')) {
  console.error('eddy/notebook without vega should say what to install, got:', error);
  process.exit(1);
}
console.log('eddy/notebook without vega:', error.message);
EOF
node notebook.mjs
echo "== the eddy command finds the bundled data"
iris=$(npx --no-install eddy datasets path iris)
[ "$iris" = "$project/node_modules/eddy/data/iris.csv" ] && [ -s "$iris" ] || {
  echo "eddy datasets path iris printed '$iris', expected $project/node_modules/eddy/data/iris.csv" >&2
  exit 1
}
echo "== package checks passed"
