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
# --dry-run -Werror prints each difference as an error and fails on the first
# file that has one; run per file (two at a time) to list every such file.
differing=$(printf '%s\0' "${files[@]}" |
  xargs -0 -P 2 -I{} sh -c 'clang-format --dry-run -Werror --style=file "$1" >/dev/null 2>&1 || echo "$1"' _ {} |
  sort)
if [ -n "$differing" ]; then
  count=$(printf '%s\n' "$differing" | wc -l)
  printf '%s\n' "$differing" | head -40 | sed 's/^/  not formatted: /' >&2
  echo "format: $count of ${#files[@]} files differ from .clang-format; scripts/format.sh --fix rewrites them" >&2
  exit 1
fi
echo "format: ${#files[@]} files match .clang-format"
