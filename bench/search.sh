#!/usr/bin/env bash
# Search benchmark: a synthetic catalog of FILMS films and PEOPLE people
# (default 100,000 and 300,000) written through the catalog API, then the
# latency of 1,000 searches drawn from it (title prefixes as typed, full
# titles, names with and without accents, names with one typo, characters,
# original titles, words it does not have), after a warm-up pass. Prints
# wall-clock and CPU time: on a shared machine the first includes waiting
# for a core.
# Usage: bench/search.sh [films] [people]
#   BUILD=dir   the Meson build to link against (default: build)
#   KEEP=1      keep the generated catalog in ~/.cache/cinemateca-bench for reruns
set -euo pipefail
cd "$(dirname "$0")/.."
FILMS="${1:-100000}"
PEOPLE="${2:-300000}"
BUILD="${BUILD:-build}"
[ -f "$BUILD/build.ninja" ] || meson setup "$BUILD" >/dev/null
ninja -C "$BUILD" src/catalog/libcc.a src/util/libcu.a src/media/libcm.a >/dev/null

WORK="$(mktemp -d "${TMPDIR:-/tmp}/cinemateca-search-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
BIN="$WORK/gen_catalog"
ninja -C "$BUILD" bench/gen_catalog >/dev/null
cp "$BUILD/bench/gen_catalog" "$BIN"

if [ "${KEEP:-0}" = 1 ]; then
  DIR="${XDG_CACHE_HOME:-$HOME/.cache}/cinemateca-bench/search-$FILMS-$PEOPLE"
  mkdir -p "$DIR"
else
  DIR="$WORK"
fi
DB="$DIR/catalog.db"
if [ ! -f "$DIR/complete" ]; then
  rm -f "$DB" "$DB-wal" "$DB-shm" "$DIR/queries.txt"
  echo "generating $FILMS films and $PEOPLE people..."
  "$BIN" generate "$DB" "$FILMS" "$PEOPLE"
  touch "$DIR/complete"
fi
# A kept catalog from an older schema is upgraded (and re-indexed) on open.
"$BIN" generate "$DB" 0 0 >/dev/null
[ -f "$DIR/queries.txt" ] || "$BIN" queries "$DB" "$DIR/queries.txt"
echo "catalog: $(du -h "$DB" | cut -f1), load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
"$BIN" query "$DB" "$DIR/queries.txt"

echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ {printf "%.1f GB RAM", $2/1048576}' /proc/meminfo), $(date -u +%Y-%m-%d)"
echo "sqlite $(pkg-config --modversion sqlite3)"
