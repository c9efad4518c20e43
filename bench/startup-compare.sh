#!/bin/bash
# Start-up of eddy: an older build (OLD: a tree with its own dist/, e.g. `git archive <commit>`
# built in a temporary folder) against this tree, interleaved, ROUNDS rounds (default 9); prints
# "build case wall user system" per run, then the median wall and CPU (user + system) per case.
# Cases: `eddy --help`, importing the public entry, `eddy pagerank` and `eddy components` on
# data/lesmis.tsv (all start-up), `eddy components` on R-MAT 20 (RMAT20, default
# bench/data/rmat20.tsv), `eddy kmeans --stream` on 2,000 NDJSON points, and, with
# NATS=nats://HOST:PORT/SUBJECT (a stream of points), one `eddy kmeans --stream` NATS worker of a
# fresh group per run.
# Usage: flock /work/tools/bench.lock bench/startup-compare.sh OLD_TREE  (after npm run build)
set -e
here=$(cd "$(dirname "$0")/.." && pwd)
old=$(cd "$1" && pwd)
rounds=${ROUNDS:-9}
rmat20=${RMAT20:-$here/bench/data/rmat20.tsv}
out=$(mktemp -d /tmp/eddy-startup.XXXXXX)
trap 'rm -rf "$out"' EXIT
node -e "for (let i = 0; i < 2000; i++) console.log(JSON.stringify([i % 7, (i * 13) % 11]))" > "$out/points.ndjson"
cases="help index pagerank components components-rmat20 kmeans-stream"
[ -n "$NATS" ] && cases="$cases kmeans-nats"
for round in $(seq "$rounds"); do
  for c in $cases; do
    for build in old new; do
      tree=$here; [ $build = old ] && tree=$old
      bin="$tree/dist/src/cli/bin.js"
      case $c in
        help) cmd=(node "$bin" --help);;
        index) cmd=(node -e "import('$tree/dist/src/index.js')");;
        pagerank) cmd=(node "$bin" pagerank "$here/data/lesmis.tsv" --output "$out/$build.tsv");;
        components) cmd=(node "$bin" components "$here/data/lesmis.tsv" --output "$out/$build.tsv");;
        components-rmat20) cmd=(node "$bin" components "$rmat20" --output "$out/$build.tsv");;
        kmeans-stream) cmd=(node "$bin" kmeans --stream "$out/points.ndjson" --k 3 --output "$out/$build.ndjson");;
        kmeans-nats) cmd=(node "$bin" kmeans --stream "$NATS" --k 3 --group "startup-$build-$round-$$" --idle-timeout 200 --quiet --model "$out/$build.json");;
      esac
      /usr/bin/time -f "$build $c %e %U %S" -o "$out/time" "${cmd[@]}" > /dev/null
      cat "$out/time"
    done
  done
done | tee "$out/runs"
node -e "
const rows = require('fs').readFileSync('$out/runs', 'utf8').trim().split('\n').map((l) => l.split(' '));
const median = (v) => { v.sort((a, b) => a - b); const m = v.length >> 1; return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2; };
for (const c of '$cases'.split(' ')) {
  const of = (b, f) => median(rows.filter((r) => r[0] === b && r[1] === c).map(f));
  const wall = (r) => +r[2], cpu = (r) => +r[3] + +r[4];
  console.log(c.padEnd(18), 'wall old', of('old', wall).toFixed(3), 'new', of('new', wall).toFixed(3),
    '| cpu old', of('old', cpu).toFixed(3), 'new', of('new', cpu).toFixed(3));
}"
