#!/usr/bin/env bash
# clang-tidy (Debian's clang-tidy 14) with the checked-in .clang-tidy over every
# .cpp of src/ (and, through its HeaderFilterRegex, the headers of src/), using
# the compile database of a configured build directory; fails on any finding.
#   scripts/lint.sh [BUILD_DIR] [FILE_REGEX]   (default build/coverage, all of src/)
# Two clang-tidy processes at a time (PILLIVERY_LINT_JOBS); the output is kept in
# BUILD_DIR/clang-tidy.log. docs/testing.md says what it costs and why the check
# set is what it is.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
build="${1:-build/coverage}"
files="${2:-^$root/src/.*\.cpp\$}"
if [ ! -f "$build/compile_commands.json" ]; then
  echo "lint: no $build/compile_commands.json; configure that preset first (cmake --preset ...)" >&2
  exit 2
fi
log="$build/clang-tidy.log"
# A built tree holds GCC's precompiled header beside cmake_pch.hxx (http's Beast),
# which clang's driver finds for `-include cmake_pch.hxx` and rejects ("not a valid
# precompiled PCH file"). The compile database clang-tidy reads hands that -include
# to the front end itself (-Xclang), which reads the header's text and no .gch.
mkdir -p "$build/clang-tidy-db"
sed -E 's#-include ([^ "]*/cmake_pch\.hxx)#-Xclang -include -Xclang \1#g' \
  "$build/compile_commands.json" >"$build/clang-tidy-db/compile_commands.json"
status=0
# run-clang-tidy colours its output; the log is kept plain.
run-clang-tidy -p "$build/clang-tidy-db" -j "${PILLIVERY_LINT_JOBS:-2}" -quiet "$files" 2>&1 |
  sed -e 's/\x1b\[[0-9;]*m//g' >"$log" || status=$?
findings=$(grep -cE '^[^ ].*:[0-9]+:[0-9]+: (warning|error): ' "$log" || true)
checked=$(grep -cE '^(/usr/bin/)?clang-tidy' "$log" || true)
if [ "$status" -ne 0 ] || [ "$findings" -ne 0 ]; then
  # Findings, and errors that stopped a file (they carry no line number).
  grep -E '^[^ ].*:[0-9]+:[0-9]+: (warning|error): |^error: |^Error while processing' "$log" |
    sort -u | head -60 >&2 || true
  echo "lint: $findings clang-tidy findings in $checked files, run-clang-tidy exit $status (all in $log)" >&2
  exit 1
fi
echo "lint: clang-tidy found nothing in $checked files of src/"
