#!/usr/bin/env bash
# Lint on the 3 MB corpus side by side with `lychee --dump` (link extraction only), runs
# alternating so machine load hits both; prints each run (with the 1-minute load average
# when it started) and the medians.
#
#   cargo bench -p archmanual-lint --bench throughput   # writes target/lint-bench-corpus
#   cargo build --release --bin archmanual
#   scripts/lint-vs-lychee.sh [RUNS]                     # default 9; LYCHEE=/path/to/lychee
#
# BEFORE=/path/to/an/older/archmanual adds a third column (the same runs, alternating).
set -euo pipefail
runs=${1:-9}
root=$(cd "$(dirname "$0")/.." && pwd)
am="$root/target/release/archmanual"
lychee=${LYCHEE:-lychee}
before=${BEFORE:-}
cd "$root/target/lint-bench-corpus"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
# wall s, user+sys CPU s, max RSS KiB
t() {
  /usr/bin/time -o "$tmp" -f "%e %U %S %M" "$@" > /dev/null 2>&1 || true
  awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$tmp"
}
lint() { t "$1" lint --book . --format json; }
dump() { t "$lychee" --dump --offline --no-progress 'src/**/*.md'; }
lint "$am" > /dev/null # warm the page cache
dump > /dev/null
declare -a A L B LOAD
for i in $(seq "$runs"); do
  LOAD+=("$(cut -d' ' -f1 /proc/loadavg)")
  A+=("$(lint "$am")")
  L+=("$(dump)")
  line="run $i (load ${LOAD[-1]}): archmanual lint ${A[-1]} | lychee --dump ${L[-1]}"
  if [[ -n "$before" ]]; then
    B+=("$(lint "$before")")
    line+=" | before ${B[-1]}"
  fi
  echo "$line   (wall s, user+sys s, max RSS KiB)"
done
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for k in 1 2 3; do
  name=$(echo "wall user+sys maxRSS" | cut -d' ' -f$k)
  line="median $name: archmanual lint $(printf '%s\n' "${A[@]}" | cut -d' ' -f$k | median)"
  line+=", lychee --dump $(printf '%s\n' "${L[@]}" | cut -d' ' -f$k | median)"
  if [[ -n "$before" ]]; then
    line+=", before $(printf '%s\n' "${B[@]}" | cut -d' ' -f$k | median)"
  fi
  echo "$line"
done
echo "load average (1 min) at the runs: ${LOAD[*]}"
