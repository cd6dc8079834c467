#!/usr/bin/env bash
# Formats every C file of the tree with the committed .clang-format
# (clang-format 14, Debian 12's).
#   scripts/format.sh           rewrites the files that differ
#   scripts/format.sh --check   rewrites nothing; lists them, and exits 1 if any
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "format: clang-format is not installed (make setup)"; exit 2; }
mapfile -t files < <(git ls-files '*.c' '*.h')
if [ "${1:-}" = --check ]; then
  bad=0
  for f in "${files[@]}"; do
    if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
      echo "not formatted: $f (scripts/format.sh fixes it)"
      bad=$((bad + 1))
    fi
  done
  echo "format: ${#files[@]} files, $bad not formatted"
  [ "$bad" -eq 0 ]
else
  clang-format -i "${files[@]}"
fi
