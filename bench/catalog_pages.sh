#!/usr/bin/env bash
# The big-catalog numbers of issue 11: GET /api/v1/films?limit=100 for every
# sort the web app offers (both orders) and a deep page, at 8 connections,
# against `serve --no-watch` on bench/search.sh's 100,000-film catalog; then
# the server's RSS and private memory (/proc/PID/smaps_rollup) after that
# minute of requests.
#
#   bench/catalog_pages.sh [CATALOG.db]     (default: generates one, ~40 min)
#
# CINEMATECA (the binary) and SECONDS_EACH (default 5) may be set.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${BUILD:-build}"
BIN="${CINEMATECA:-$BUILD/src/cli/cinemateca}"
SECS="${SECONDS_EACH:-5}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/cinemateca-pages-bench.XXXXXX")"
PID=""
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT

DB="${1:-}"
if [ -z "$DB" ]; then
  ninja -C "$BUILD" bench/gen_catalog >/dev/null
  cp "$BUILD/bench/gen_catalog" "$WORK/gen"
  DB="$WORK/catalog.db"
  "$WORK/gen" generate "$DB" 100000 300000
fi

"$BIN" serve --no-watch --db "$DB" --listen 127.0.0.1:0 >"$WORK/out" 2>"$WORK/err" &
PID=$!
for _ in $(seq 1 600); do
  URL=$(sed -n 's|^cinemateca: serving \(http://[^ ]*\)/$|\1|p' "$WORK/out")
  [ -n "$URL" ] && break
  sleep 0.1
done
[ -n "$URL" ] || { cat "$WORK/err"; exit 1; }
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(date -u +%F)"
echo "catalog: $(du -m "$DB" | cut -f1) MB"
one() {
  local t
  t=$(curl -s -o /dev/null -w '%{time_total}' "$URL$1")
  printf '  alone: %.1f ms\n' "$(echo "$t * 1000" | bc -l)"
}
run() {
  echo "== $1"
  one "$1"
  wrk -t2 -c8 -d"${SECS}s" --latency "$URL$1" | \
    awk '/Requests\/sec/ {print "  " $0} / 50%/ {print "  p50 " $2} / 99%/ {print "  p99 " $2}'
}
for sort in title year added runtime; do
  for order in asc desc; do
    run "/api/v1/films?limit=100&sort=$sort&order=$order"
  done
  run "/api/v1/films?limit=100&sort=$sort&offset=50000"
done
run "/api/v1/films?limit=100&offset=99900"
run "/api/v1/search?q=pain"
rss=$(awk '/^VmRSS/ {print $2}' /proc/$PID/status)
priv=$(awk '/^Private_(Clean|Dirty)/ {s += $2} END {print s}' /proc/$PID/smaps_rollup)
echo "server after the runs: RSS $((rss / 1024)) MB, private $((priv / 1024)) MB"
