#!/usr/bin/env bash
# Progress reports under load: 1 MB range GETs (wrk) on a 100 MB file,
# alone, then while 100 clients send 1,000 progress reports per second in
# all (PUT /api/v1/files/{id}/progress, 10 a second each), then alone
# again; prints the range throughput and p99 of each run side by side,
# and the report rate reached with its own p99.
# Usage: bench/progress.sh [seconds per run]   (default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || SETUP_EXTRA="wrk" scripts/setup.sh
BUILD="${BUILD:-build}"
[ -n "${CINEMATECA:-}" ] || ninja -C "$BUILD" >/dev/null
BIN="${CINEMATECA:-$PWD/$BUILD/src/cli/cinemateca}"
SECS="${1:-10}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/cinemateca-bench.XXXXXX")"
CPID=""
cleanup() { [ -n "$CPID" ] && kill "$CPID" 2>/dev/null; sleep 0.3; rm -rf "$WORK"; }
trap cleanup EXIT

LIB="$WORK/lib"
mkdir -p "$LIB/Big Film (2020)"
ffmpeg -nostdin -v error -y -f lavfi -i "testsrc=size=320x180:rate=24" -t 2 -c:v libx264 \
  -preset ultrafast "$WORK/head.mkv"
{ cat "$WORK/head.mkv"; head -c 100000000 /dev/urandom; } > "$LIB/Big Film (2020)/Big Film (2020).mkv"
for i in $(seq 1 100); do
  mkdir -p "$LIB/Watched $i (1990)"
  { cat "$WORK/head.mkv"; printf 'w%d' "$i"; } > "$LIB/Watched $i (1990)/Watched $i (1990).mkv"
done
SIZE=$(stat -c %s "$LIB/Big Film (2020)/Big Film (2020).mkv")
"$BIN" scan --db "$WORK/c.db" --no-posters --quiet "$LIB"
"$BIN" serve --db "$WORK/c.db" --no-watch --listen 127.0.0.1:0 --web "$WORK/noweb" "$LIB" > "$WORK/out" 2> "$WORK/err" &
CPID=$!
for _ in $(seq 1 300); do
  URL=$(sed -n 's|^cinemateca: serving \(http://[^ ]*\)/$|\1|p' "$WORK/out"); [ -n "$URL" ] && break; sleep 0.05
done
BIG=$(sqlite3 "$WORK/c.db" "SELECT id FROM files WHERE path LIKE '%Big Film%'")
SMALL=$(sqlite3 "$WORK/c.db" "SELECT id FROM files WHERE path LIKE '%Watched %'" | tr '\n' ' ')
sleep 2 # the server's own start-up scan

cat > "$WORK/range.lua" <<LUA
math.randomseed(42)
local size = $SIZE
local chunk = 1048576
request = function()
  local first = math.random(0, math.floor(size / chunk) - 2) * chunk
  return wrk.format("GET", nil, { Range = "bytes=" .. first .. "-" .. (first + chunk - 1) })
end
LUA
# The CPU time so far (user + system, clock ticks) of the server's HTTP
# threads (libmicrohttpd's "MHD-worker"s) and of its watch writer
# ("cc-watch"): on a machine shared with other work this moves far less
# than latencies, and the library's background pass (keyframe indexes,
# thumbnails of the 101 films) is left out.
HZ=$(getconf CLK_TCK)
# Thread-per-connection builds: the "MHD-connection" threads and the
# listener instead of the workers, and the threads that ended meanwhile (a
# connection's thread ends with it; its time is then only in the process's
# total, less what the live threads have: a background thread that ends
# during a run would count too).
cpu_ticks() {
  local t=0 task live=0 task_t
  for task in /proc/"$CPID"/task/*; do
    task_t=$(awk '{print $14 + $15}' "$task/stat" 2>/dev/null || echo 0)
    live=$((live + task_t))
    case "$(cat "$task/comm" 2>/dev/null)" in
      MHD-worker|MHD-connection|MHD-listen|cc-watch) t=$((t + task_t)) ;;
    esac
  done
  t=$((t + $(awk '{print $14 + $15}' "/proc/$CPID/stat" 2>/dev/null || echo 0) - live))
  echo "$t"
}
ranges() {
  local out t0 t1 n
  t0=$(cpu_ticks)
  out=$(wrk -t2 -c8 -d"${SECS}s" --timeout 20s --latency -s "$WORK/range.lua" "$URL/api/v1/files/$BIG/stream")
  t1=$(cpu_ticks)
  n=$(echo "$out" | awk '/requests in/ {print $1}')
  printf '%-44s %8s req/s  p99 %8s  server CPU %s ms/s, %s us a range\n' "$1" \
    "$(echo "$out" | awk '/^Requests\/sec/ {print $2}')" "$(echo "$out" | awk '$1=="99%" {print $2}')" \
    "$(awk -v t=$((t1 - t0)) -v hz="$HZ" -v s="$SECS" 'BEGIN {printf "%.0f", t / hz * 1000 / s}')" \
    "$(awk -v t=$((t1 - t0)) -v hz="$HZ" -v n="$n" 'BEGIN {printf "%.0f", t / hz * 1e6 / n}')"
}

# The reports come from bench/reports.c: one thread and epoll for the 100
# clients, so the load generator takes little of the CPU it shares with
# the server (the Python threads it replaces took a good part of a core).
REPORTS="${REPORTS:-$(dirname "$BIN")/../../bench/reports}"
[ -x "$REPORTS" ] || ninja -C "$BUILD" bench/reports >/dev/null
PORT="${URL##*:}"

echo "100 MB file, 1 MB ranges at random offsets, wrk -t2 -c8, $SECS s per run; $(nproc) cores"
ranges "ranges alone"
"$REPORTS" "$PORT" "$SECS" $SMALL > "$WORK/reports.out" &
RPID=$!
sleep 0.5
ranges "ranges with 1,000 reports/s from 100 clients"
wait "$RPID"
echo "  reports: $(cat "$WORK/reports.out")"
ranges "ranges alone (again)"
# The reports alone: what one costs the server (its CPU over the run, per
# report answered).
t0=$(cpu_ticks)
"$REPORTS" "$PORT" "$SECS" $SMALL > "$WORK/reports.out"
t1=$(cpu_ticks)
n=$(sed -n 's/.*, \([0-9]*\) in all$/\1/p' "$WORK/reports.out")
echo "reports alone: $(cat "$WORK/reports.out"); server CPU $(awk -v t=$((t1 - t0)) -v hz="$HZ" -v n="$n" 'BEGIN {printf "%.0f", t / hz * 1e6 / n}') us a report"
echo "catalog rows written: $(sqlite3 "$WORK/c.db" 'SELECT count(*) FROM watch'), integrity: $(sqlite3 "$WORK/c.db" 'PRAGMA integrity_check')"
