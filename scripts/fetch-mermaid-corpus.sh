#!/usr/bin/env bash
# Fetches mermaid-js/mermaid at a pinned commit and cuts its sequence diagrams
# into DEST (NNN.mmd + INDEX.tsv + SOURCES.md), the corpus that
# crates/mdbook-protocol/tests/corpus.rs runs when ARCHMANUAL_MERMAID_CORPUS=DEST.
#
# Usage: scripts/fetch-mermaid-corpus.sh DEST
#   MERMAID_CHECKOUT=DIR  use an existing checkout (any commit) instead of cloning
#
# Then: ARCHMANUAL_MERMAID_CORPUS=DEST cargo test -p mdbook-protocol --test corpus
set -euo pipefail

# The commit the corpus tests were written against (REJECTED_BY_MERMAID cites
# its sequenceDiagram.spec.js line numbers). Change both together.
MERMAID_COMMIT=df032c942c32f805a7f4cd1cf30a565e610bc4f1
MERMAID_URL=${MERMAID_URL:-https://github.com/mermaid-js/mermaid.git}
FILES=(
  docs/syntax/sequenceDiagram.md
  packages/mermaid/src/docs/syntax/sequenceDiagram.md
  packages/mermaid/src/diagrams/sequence/sequenceDiagram.spec.js
  demos/sequence.html
  docs/diagrams/mermaid-api-sequence.mmd
)

if [[ $# -ne 1 ]]; then
  echo "usage: $0 DEST" >&2
  exit 2
fi
dest=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

src=${MERMAID_CHECKOUT:-}
if [[ -z $src ]]; then
  src=$(mktemp -d)
  trap 'rm -rf "$src"' EXIT
  # Only the five files, at the pinned commit: no full history, no blobs we do not read.
  git -C "$src" init -q
  git -C "$src" remote add origin "$MERMAID_URL"
  git -C "$src" config core.sparseCheckout true
  printf '%s\n' "${FILES[@]}" > "$src/.git/info/sparse-checkout"
  git -C "$src" fetch -q --depth 1 --filter=blob:none origin "$MERMAID_COMMIT"
  git -C "$src" checkout -q FETCH_HEAD
fi
for f in "${FILES[@]}"; do
  [[ -f $src/$f ]] || { echo "$src/$f: missing (is this a mermaid-js/mermaid checkout?)" >&2; exit 2; }
done

rm -rf "$dest"
python3 "$here/cut-mermaid-corpus.py" "$src" "$dest"
