#!/usr/bin/env bash
# The Jellyfin API's numbers of issue 14, beside the native API on the same
# server and data: /Items?IncludeItemTypes=Movie&Limit=100 (list rows, and
# with Fields that need whole records) and /Items/{id}, against
# /api/v1/films?limit=100 and /api/v1/films/{id}, on a generated catalog of
# 10,000 films (bench/gen_catalog.c, as bench/catalog_pages.sh makes its
# 100,000). wrk at 8 connections for SECONDS_EACH seconds each (default 5);
# p50 and p99 from wrk's latency distribution, and the server's CPU time
# per request (load-independent). The catalog has no account,
# so the server runs in local mode (loopback): no sign-in in the way.
#
#   bench/jellyfin.sh [CATALOG.db]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${BUILD:-build}"
BIN="${CINEMATECA:-$BUILD/src/cli/cinemateca}"
SECS="${SECONDS_EACH:-5}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/cinemateca-jf-bench.XXXXXX")"
PID=""
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT

DB="${1:-}"
if [ -z "$DB" ]; then
  ninja -C "$BUILD" bench/gen_catalog >/dev/null
  cp "$BUILD/bench/gen_catalog" "$WORK/gen"
  DB="$WORK/catalog.db"
  "$WORK/gen" generate "$DB" 10000 30000 >/dev/null
fi

"$BIN" serve --no-watch --db "$DB" --listen 127.0.0.1:0 >"$WORK/out" 2>"$WORK/err" &
PID=$!
for _ in $(seq 1 600); do
  URL=$(sed -n 's|^cinemateca: serving \(http://[^ ]*\)/$|\1|p' "$WORK/out")
  [ -n "$URL" ] && break
  sleep 0.1
done
[ -n "$URL" ] || { cat "$WORK/err"; exit 1; }
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%F)"
echo "catalog: $(sqlite3 "$DB" 'SELECT count(*) FROM films') films, $(du -m "$DB" | cut -f1) MB"
# The server's own CPU time per request (utime + stime from /proc over
# N sequential requests): what a request costs, whatever the machine's load.
ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
cpu() {
  local n=${CPU_REQUESTS:-100} before after i
  before=$(ticks)
  for i in $(seq 1 "$n"); do curl -s -o /dev/null "$URL$1"; done
  after=$(ticks)
  printf '  server CPU: %.2f ms a request (%d requests)\n' \
    "$(echo "($after - $before) * 1000 / $(getconf CLK_TCK) / $n" | bc -l)" "$n"
}
run() {
  echo "== $1"
  cpu "$1"
  local t
  t=$(curl -s -o "$WORK/body" -w '%{time_total} %{http_code}' "$URL$1")
  printf '  alone: %.1f ms (HTTP %s, %s bytes)\n' "$(echo "${t% *} * 1000" | bc -l)" "${t#* }" \
    "$(stat -c %s "$WORK/body")"
  # The server's CPU over the wrk run too, divided by the requests wrk
  # made: thousands of requests, so the clock tick's 10 ms hardly matter.
  local before after
  before=$(ticks)
  wrk -t2 -c8 -d"${SECS}s" --latency "$URL$1" > "$WORK/wrk"
  after=$(ticks)
  awk '/Requests\/sec/ {print "  " $0} / 50%/ {print "  p50 " $2} / 99%/ {print "  p99 " $2}' "$WORK/wrk"
  local n
  n=$(awk '/requests in/ {print $1}' "$WORK/wrk")
  [ -n "$n" ] && [ "$n" -gt 0 ] && printf '  server CPU under wrk: %.3f ms a request (%d requests)\n' \
    "$(echo "($after - $before) * 1000 / $(getconf CLK_TCK) / $n" | bc -l)" "$n"
}
ID=$(sqlite3 "$DB" 'SELECT id FROM films ORDER BY id LIMIT 1 OFFSET 5000')
GUID="c1d3ca7e00000001$(printf '%016x' "$ID")"
run "/api/v1/films?limit=100"
run "/Items?IncludeItemTypes=Movie&Recursive=true&Limit=100&Fields=PrimaryImageAspectRatio,Genres"
run "/Items?IncludeItemTypes=Movie&Recursive=true&Limit=100&Fields=Overview,People,MediaSources"
run "/Items?IncludeItemTypes=Movie&Recursive=true&Limit=100&StartIndex=9000&SortBy=PremiereDate&SortOrder=Descending"
run "/api/v1/films/$ID"
run "/Items/$GUID"
