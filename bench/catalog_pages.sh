#!/usr/bin/env bash
# The big-catalog numbers of issue 11: GET /api/v1/films?limit=100 for every
# sort the web app offers (both orders) and a deep page (after playing 200
# films, so the play-date and play-count sorts have something to order), at 8 connections,
# against `serve --no-watch` on bench/search.sh's 100,000-film catalog; then
# the server's RSS and private memory (/proc/PID/smaps_rollup) after that
# minute of requests. Deep pages twice: by offset=50000, and by the cursor
# (the list's "next", followed from the first page to film 50,000, then
# that ?after= URL asked again and again). Each run also gives the
# server's CPU per request (utime+stime from /proc/PID/stat over the run,
# divided by the requests wrk made), since wrk shares the cores.
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
cpu_ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
run() {
  echo "== $1"
  one "$1"
  local t0 t1 out reqs
  t0=$(cpu_ticks)
  out=$(wrk -t2 -c8 -d"${SECS}s" --latency "$URL$1")
  t1=$(cpu_ticks)
  echo "$out" | \
    awk '/Requests\/sec/ {print "  " $0} / 50%/ {print "  p50 " $2} / 99%/ {print "  p99 " $2}'
  reqs=$(echo "$out" | awk '/requests in/ {print $1}')
  [ -n "$reqs" ] && [ "$reqs" -gt 0 ] &&
    printf '  server CPU per request: %.2f ms\n' \
      "$(echo "($t1 - $t0) * 1000 / $(getconf CLK_TCK) / $reqs" | bc -l)"
  return 0
}
# The cursor of the page that starts at film 50,000 of a sort: "next"
# followed from the first page (500 films a step), or empty when the
# server gives no cursor (before schema 18).
cursor_at() {
  python3 - "$URL" "$1" <<'PY'
import json, sys, urllib.parse, urllib.request
url, query = sys.argv[1], sys.argv[2]
after, seen = None, 0
while seen < 50000:
    q = query + "&limit=%d" % min(500, 50000 - seen)
    if after:
        q += "&after=" + urllib.parse.quote(after)
    page = json.load(urllib.request.urlopen(url + "/api/v1/films?" + q))
    after = page.get("next")
    seen += len(page["items"])
    if not after:
        break
print(after or "")
PY
}
# Something to sort by play date and count: 200 films played (a progress
# report each, through the API), 50 of them to the end.
python3 - "$URL" <<'PY'
import json, sys, urllib.request
url = sys.argv[1]
films = json.load(urllib.request.urlopen(url + "/api/v1/films?limit=200&sort=random&seed=7"))["items"]
for n, f in enumerate(films):
    film = json.load(urllib.request.urlopen(url + "/api/v1/films/%d" % f["id"]))
    if not film.get("files"):
        continue
    fid = film["files"][0]["id"]
    dur = 6000.0
    pos = dur if n < 50 else 100.0 + n
    req = urllib.request.Request(url + "/api/v1/files/%d/progress" % fid, method="PUT",
                                 data=json.dumps({"position": pos, "duration": dur}).encode(),
                                 headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req).read()
PY
# Every sort the web app offers (web/library.js, web/shelf.js), both
# orders and a deep page.
for sort in title year added runtime rating release played plays random; do
  for order in asc desc; do
    run "/api/v1/films?limit=100&sort=$sort&order=$order"
  done
  run "/api/v1/films?limit=100&sort=$sort&offset=50000"
  cursor=$(cursor_at "sort=$sort")
  if [ -n "$cursor" ]; then
    run "/api/v1/films?limit=100&sort=$sort&after=$cursor"
  fi
done
run "/api/v1/films?limit=100&offset=99900"
# What the library page asks beside its list: the A-Z bar (title sort)
# and the status it polls every few seconds.
run "/api/v1/films/letters"
run "/api/v1/status"
run "/api/v1/search?q=pain"
rss=$(awk '/^VmRSS/ {print $2}' /proc/$PID/status)
priv=$(awk '/^Private_(Clean|Dirty)/ {s += $2} END {print s}' /proc/$PID/smaps_rollup)
echo "server after the runs: RSS $((rss / 1024)) MB, private $((priv / 1024)) MB"
