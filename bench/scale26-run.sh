#!/bin/bash
# R-MAT scale 26, edge factor 16, seed 1 (1,073,741,824 edges): eddy against the C++
# references (bench/reference, parallel parse) end to end from the TSV, then eddy from graph
# files converted with --in-edges in the edge list's order and by degree. Each command holds
# /work/tools/bench.lock only while it runs (other sessions' short benchmarks go between) and
# runs under /usr/bin/time: "name wall user system peakKiB" lines, then the phase times.
# Usage: bench/scale26-run.sh DIR [STEPS] (after npm run build; DIR holds or gets rmat26.tsv;
# STEPS: a subset of "tsv convert binary", default all).
set -e
here=$(cd "$(dirname "$0")/.." && pwd)
D=${1:?usage: bench/scale26-run.sh DIR [STEPS]}
steps=${2:-tsv convert binary}
IN=$D/rmat26.tsv
EDDY=$here/dist/src/cli/bin.js
mkdir -p "$D/bin"
[ -f "$IN" ] || flock /work/tools/bench.lock /usr/bin/time -f "generate %e %U %S %M" \
  node "$EDDY" generate rmat --scale 26 --edge-factor 16 --seed 1 --output "$IN"
for p in pagerank components; do
  g++ -O3 -march=native -fopenmp -o "$D/bin/cpp-$p" "$here/bench/reference/$p.cpp"
done
run() {
  local name=$1; shift
  echo "== $name $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
  flock /work/tools/bench.lock /usr/bin/time -f "$name %e %U %S %M" "$@" 2>&1 | grep -v '^\[' || true
}
for step in $steps; do
  case $step in
    tsv)
      run eddy-pagerank-tsv node "$EDDY" pagerank "$IN" --max-iterations 20 --tolerance 0 --timings \
        --output "$D/pr.tsv"
      run cpp-pagerank-tsv "$D/bin/cpp-pagerank" "$IN" "$D/cpp-pr.tsv" 20
      run eddy-components-tsv node "$EDDY" components "$IN" --timings --output "$D/cc.tsv"
      run cpp-components-tsv "$D/bin/cpp-components" "$IN" "$D/cpp-cc.tsv"
      ;;
    convert)
      run eddy-convert-none node "$EDDY" convert "$IN" "$D/rmat26.eddy" --in-edges --timings
      run eddy-convert-degree node "$EDDY" convert "$IN" "$D/rmat26-degree.eddy" --in-edges \
        --reorder degree --timings
      ;;
    binary)
      for order in none degree; do
        file=$D/rmat26.eddy
        [ $order = degree ] && file=$D/rmat26-degree.eddy
        run "eddy-pagerank-$order" node "$EDDY" pagerank "$file" --max-iterations 20 --tolerance 0 \
          --timings --output "$D/pr-$order.tsv"
        run "eddy-components-$order" node "$EDDY" components "$file" --timings --output "$D/cc-$order.tsv"
      done
      ;;
  esac
done
