#!/bin/bash
# eddy against the C++ references (bench/reference, whose reader parses on every core) at
# R-MAT scale 20, edge factor 16, seed 1: pagerank (20 rounds, tolerance 0), components and
# triangle counting, each end to end from the TSV, interleaved, ROUNDS rounds (default 3);
# prints "name wall user system peakKiB".
# Usage: flock /work/tools/bench.lock bench/scale20-compare.sh [ROUNDS]  (after npm run build)
set -e
here=$(cd "$(dirname "$0")/.." && pwd)
IN=$here/bench/data/rmat20.tsv
EDDY=$here/dist/src/cli/bin.js
O=$here/bench/out/scale20; mkdir -p "$O"
[ -f "$IN" ] || node "$EDDY" generate rmat --scale 20 --edge-factor 16 --seed 1 --output "$IN"
for p in pagerank components triangles; do
  g++ -O3 -march=native -fopenmp -o "$O/cpp-$p" "$here/bench/reference/$p.cpp"
done
for r in $(seq 1 "${1:-3}"); do
  for c in eddy-pagerank cpp-pagerank eddy-components cpp-components eddy-triangles cpp-triangles; do
    case $c in
      eddy-pagerank) cmd="node $EDDY pagerank $IN --max-iterations 20 --tolerance 0 --output $O/pr.tsv";;
      cpp-pagerank) cmd="$O/cpp-pagerank $IN $O/cpp-pr.tsv 20";;
      eddy-components) cmd="node $EDDY components $IN --output $O/cc.tsv";;
      cpp-components) cmd="$O/cpp-components $IN $O/cpp-cc.tsv";;
      eddy-triangles) cmd="node $EDDY triangles $IN --count";;
      cpp-triangles) cmd="$O/cpp-triangles $IN";;
    esac
    /usr/bin/time -f "$c %e %U %S %M" $cmd 2>&1 >/dev/null | tail -1
  done
done
