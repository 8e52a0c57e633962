#!/usr/bin/env bash
# Writes every lint output a speed change must not alter into OUTDIR, for `diff -r` between
# two binaries: all six formats on the bench corpus, JSON on the manual and on every fixture
# book under crates/lint/tests/fixtures (each file ends with the exit code).
#
#   scripts/lint-bench-corpus.py
#   scripts/lint-outputs.sh /path/to/old/archmanual /tmp/old
#   scripts/lint-outputs.sh target/release/archmanual /tmp/new
#   diff -r /tmp/old /tmp/new && echo identical
set -euo pipefail
bin=$(realpath "$1")
out=$(realpath -m "$2")
cd "$(dirname "$0")/.."
mkdir -p "$out"
for f in json human sarif rdjson github markdown; do
    "$bin" lint --book target/lint-bench-corpus --format "$f" > "$out/corpus.$f" 2>&1 && rc=0 || rc=$?
    echo "exit $rc" >> "$out/corpus.$f"
done
"$bin" lint --book . --format json > "$out/manual.json" 2>&1 && rc=0 || rc=$?
echo "exit $rc" >> "$out/manual.json"
find crates/lint/tests/fixtures -name book.toml -printf '%h\n' | sort | while read -r d; do
    name=$(echo "$d" | tr / _)
    "$bin" lint --book "$d" --format json > "$out/fixture.$name.json" 2>&1 && rc=0 || rc=$?
    echo "exit $rc" >> "$out/fixture.$name.json"
done
ls "$out" | wc -l | sed 's/$/ outputs written/'
