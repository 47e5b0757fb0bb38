#!/usr/bin/env bash
# Checks that every C++ file of src/ tests/ fuzz/ bench/ is formatted as
# .clang-format says (clang-format 14, Debian bookworm); exits 1 and names the
# files that differ. `scripts/format.sh --fix` rewrites them in place instead.
# Only files git knows are read, so build trees and node_modules stay out.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mode=check
case "${1:-}" in
  "") ;;
  --fix) mode=fix ;;
  *) echo "usage: scripts/format.sh [--fix]" >&2; exit 2 ;;
esac
mapfile -t files < <(git ls-files -- 'src/*.cpp' 'src/*.hpp' 'tests/*.cpp' 'tests/*.hpp' \
  'fuzz/*.cpp' 'fuzz/*.hpp' 'bench/*.cpp' 'bench/*.hpp')
if [ "$mode" = fix ]; then
  printf '%s\0' "${files[@]}" | xargs -0 -n 50 -P 2 clang-format -i --style=file
  echo "format: ${#files[@]} files formatted"
  exit 0
fi
# --dry-run -Werror reports each difference as an error naming its file and
# goes on to the next file; the names are gathered from those reports (one
# clang-format at a time, so that their reports do not interleave: a few seconds).
command -v clang-format >/dev/null || { echo "format: clang-format is not installed" >&2; exit 2; }
differing=$(printf '%s\0' "${files[@]}" |
  { xargs -0 -n 40 clang-format --dry-run -Werror --style=file 2>&1 >/dev/null || true; } |
  sed -nE 's/^(.+):[0-9]+:[0-9]+: error: .*clang-format-violations.*/\1/p' | sort -u)
if [ -n "$differing" ]; then
  count=$(printf '%s\n' "$differing" | wc -l)
  printf '%s\n' "$differing" | head -40 | sed 's/^/  not formatted: /' >&2
  echo "format: $count of ${#files[@]} files differ from .clang-format; scripts/format.sh --fix rewrites them" >&2
  exit 1
fi
echo "format: ${#files[@]} files match .clang-format"
