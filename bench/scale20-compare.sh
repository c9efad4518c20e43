#!/bin/bash
# eddy against the C++ references (bench/reference, whose reader parses on every core) at
# R-MAT scale 20, edge factor 16, seed 1: pagerank (20 rounds, tolerance 0), components and
# triangle counting, each end to end from the TSV, interleaved, ROUNDS rounds (default 3);
# prints "name wall user system peakKiB load".
# Usage: flock /work/tools/bench.lock bench/scale20-compare.sh [ROUNDS]  (after npm run build)
# Environment: COMMANDS (default "pagerank components triangles") picks the algorithms;
# BEFORE=<another built checkout> interleaves its eddy too (rows "before-...").
set -e
here=$(cd "$(dirname "$0")/.." && pwd)
IN=$here/bench/data/rmat20.tsv
EDDY=$here/dist/src/cli/bin.js
O=$here/bench/out/scale20; mkdir -p "$O"
COMMANDS=${COMMANDS:-pagerank components triangles}
[ -f "$IN" ] || node "$EDDY" generate rmat --scale 20 --edge-factor 16 --seed 1 --output "$IN"
contestants=()
for p in $COMMANDS; do
  g++ -O3 -march=native -fopenmp -o "$O/cpp-$p" "$here/bench/reference/$p.cpp"
  [ -n "$BEFORE" ] && contestants+=("before-$p")
  contestants+=("eddy-$p" "cpp-$p")
done
for r in $(seq 1 "${1:-3}"); do
  for c in "${contestants[@]}"; do
    bin=$EDDY
    case $c in before-*) bin=$BEFORE/dist/src/cli/bin.js;; esac
    case $c in
      *-pagerank) cmd="node $bin pagerank $IN --max-iterations 20 --tolerance 0 --output $O/pr.tsv";;
      *-components) cmd="node $bin components $IN --output $O/cc.tsv";;
      *-triangles) cmd="node $bin triangles $IN --count";;
    esac
    case $c in
      cpp-pagerank) cmd="$O/cpp-pagerank $IN $O/cpp-pr.tsv 20";;
      cpp-components) cmd="$O/cpp-components $IN $O/cpp-cc.tsv";;
      cpp-triangles) cmd="$O/cpp-triangles $IN";;
    esac
    echo "$(/usr/bin/time -f "$c %e %U %S %M" $cmd 2>&1 >/dev/null | tail -1) $(cut -d' ' -f1 /proc/loadavg)"
  done
done
