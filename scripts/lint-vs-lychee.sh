#!/usr/bin/env bash
# Lint on the 2.5 MB corpus side by side with `lychee --dump` (link extraction only), runs
# alternating so machine load hits both; prints each run and the medians.
#
#   cargo bench -p archmanual-lint --bench throughput   # writes target/lint-bench-corpus
#   cargo build --release --bin archmanual
#   scripts/lint-vs-lychee.sh [RUNS]                     # default 9; LYCHEE=/path/to/lychee
set -euo pipefail
runs=${1:-9}
root=$(cd "$(dirname "$0")/.." && pwd)
am="$root/target/release/archmanual"
lychee=${LYCHEE:-lychee}
cd "$root/target/lint-bench-corpus"
t() { /usr/bin/time -f "%e %U %M" "$@" > /dev/null 2>> /tmp/lint-vs-lychee.$$ || true; tail -n1 /tmp/lint-vs-lychee.$$; }
"$am" lint --book . --format json > /dev/null || true     # warm the page cache
"$lychee" --dump --offline --no-progress 'src/**/*.md' > /dev/null
: > /tmp/lint-vs-lychee.$$
declare -a A L
for i in $(seq "$runs"); do
  A+=("$(t "$am" lint --book . --format json)")
  L+=("$(t "$lychee" --dump --offline --no-progress 'src/**/*.md')")
  echo "run $i: archmanual lint ${A[-1]} | lychee --dump ${L[-1]}   (wall s, user s, max RSS KiB)"
done
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for k in 1 2 3; do
  am_k=$(printf '%s\n' "${A[@]}" | cut -d' ' -f$k | median)
  ly_k=$(printf '%s\n' "${L[@]}" | cut -d' ' -f$k | median)
  echo "median field $k: archmanual lint $am_k, lychee --dump $ly_k"
done
rm -f /tmp/lint-vs-lychee.$$
