#!/bin/sh
# PageRank (20 rounds, tolerance 0) and components on graph files of one edge list stored in
# the edge list's order, by degree and in BFS order (eddy convert --reorder), interleaved.
# Usage: bench/reorder-compare.sh EDGES ROUNDS (run under flock /work/tools/bench.lock).
set -e
edges=$1
rounds=${2:-5}
out=bench/out/reorder
mkdir -p $out
eddy="node dist/src/cli/bin.js"
for order in none degree bfs; do
  $eddy convert "$edges" $out/$order.eddy --in-edges --reorder $order --timings
done
uptime
for round in $(seq 1 "$rounds"); do
  for order in none degree bfs; do
    for parallelism in 1 2; do
      /usr/bin/time -f "$order p$parallelism pagerank wall %e user %U sys %S rss %M" \
        $eddy pagerank $out/$order.eddy --max-iterations 20 --tolerance 0 --parallelism $parallelism \
        --timings --output /dev/null
    done
    /usr/bin/time -f "$order components wall %e user %U sys %S rss %M" \
      $eddy components $out/$order.eddy --output /dev/null
  done
done
uptime
