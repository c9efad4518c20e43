#!/bin/bash
# `eddy components` end to end at R-MAT scale 18: an older build (OLD: its dist/src/cli/bin.js,
# e.g. `git archive <commit>` built in a temporary folder) against this tree at --parallelism
# 1 and 2 and the C++ reference, interleaved, 5 rounds; prints "name wall user system peakKiB".
# Usage: flock /work/tools/bench.lock bench/components-compare.sh OLD_TREE  (after npm run build)
set -e
here=$(cd "$(dirname "$0")/.." && pwd)
IN=$here/bench/data/rmat18.tsv
NEW=$here/dist/src/cli/bin.js
OLD=$1/dist/src/cli/bin.js
O=$here/bench/out/components; mkdir -p "$O"
g++ -O3 -march=native -fopenmp -o "$O/cpp-components" "$here/bench/reference/components.cpp"
for r in 1 2 3 4 5; do
  for c in old new1 new2 cpp; do
    case $c in
      old) cmd="node $OLD components $IN --output $O/old.tsv";;
      new1) cmd="node $NEW components $IN --parallelism 1 --output $O/new1.tsv";;
      new2) cmd="node $NEW components $IN --parallelism 2 --output $O/new2.tsv";;
      cpp) cmd="$O/cpp-components $IN $O/cpp.tsv";;
    esac
    /usr/bin/time -f "$c %e %U %S %M" $cmd 2>&1 >/dev/null | tail -1
  done
done
cmp "$O/old.tsv" "$O/new1.tsv" && cmp "$O/old.tsv" "$O/new2.tsv" && echo "old = new1 = new2 (byte-identical)"
[ "$(sort "$O/old.tsv" | md5sum)" = "$(sort "$O/cpp.tsv" | md5sum)" ] && echo "same lines as C++"
