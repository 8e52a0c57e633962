#!/usr/bin/env bash
# Builds the book and screenshots a page with protocol diagrams in the light and the coal
# (dark) theme with headless Chromium (Debian `chromium`), so a person can check that the
# diagrams look right. The PNGs are not committed.
#
#   scripts/screenshot-diagrams.sh [PAGE] [OUT_DIR]
#   PAGE     path of the HTML page inside the built book (default: contributing/diagrams.html)
#   OUT_DIR  where to write PAGE-light.png and PAGE-coal.png (default: target/screenshots)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
page="${1:-contributing/diagrams.html}"
out="${2:-$root/target/screenshots}"
book="$root/target/screenshot-book"

if ! command -v chromium >/dev/null; then
  echo "installing chromium and a CJK font (needs root)…" >&2
  apt-get update -qq && apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
fi

# Build with the in-process driver (no mdbook install needed).
(cd "$root" && cargo run --quiet --release -- build --dest-dir "$book")
[ -f "$book/$page" ] || { echo "no such page: $book/$page" >&2; exit 2; }

mkdir -p "$out"
name="$(echo "${page%.html}" | tr '/' '-')"
dir="$(dirname "$book/$page")"
for theme in light coal; do
  # A copy of the page that selects the theme before mdBook's own theme script runs.
  copy="$dir/.shot-$theme-$(basename "$page")"
  sed "s|<head>|<head><script>try{localStorage.setItem('mdbook-theme','$theme');localStorage.setItem('mdbook-sidebar','hidden')}catch(e){}</script>|" \
    "$book/$page" > "$copy"
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --no-first-run --user-data-dir="$(mktemp -d)" \
    --hide-scrollbars --window-size=1100,"${HEIGHT:-4000}" \
    --screenshot="$out/$name-$theme.png" "file://$copy" 2>/dev/null
  rm -f "$copy"
  echo "$out/$name-$theme.png"
done
