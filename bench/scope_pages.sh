#!/usr/bin/env bash
# What a restricted user's requests cost on bench/search.sh's 100,000-film
# catalog: the films list (several sorts), a film page, the genre menu, the
# status and a search, at 8 connections, as an admin and as two viewers
# limited to library folders: "vic" (every film's folder, so 100,000
# visible films, the largest set) and "pat" (a folder a third of the films
# were moved to). Each binary given runs on its own copy of the catalog,
# one after the other in the same run, so an older build can be compared
# side by side (a catalog is migrated forward by the newer one only).
#
#   bench/scope_pages.sh CATALOG.db [OLD_BINARY]
#
# CINEMATECA (the new binary) and SECONDS_EACH (default 5) may be set.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${BUILD:-build}"
BIN="${CINEMATECA:-$BUILD/src/cli/cinemateca}"
SECS="${SECONDS_EACH:-5}"
SRC_DB="${1:?usage: bench/scope_pages.sh CATALOG.db [OLD_BINARY]}"
OLD="${2:-}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/cinemateca-scope-bench.XXXXXX")"
PID=""
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(date -u +%F)"
echo "catalog: $(du -m "$SRC_DB" | cut -f1) MB"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
# run WHO PATH: one request alone, then wrk at 8 connections with WHO's cookie.
run() {
  local who="$1" path="$2" cookie t t0 t1 out reqs
  cookie=$(awk '$6 == "cinemateca_session" {print $7}' "$WORK/$who.jar")
  t=$(curl -s -o /dev/null -w '%{time_total} %{http_code}' -b "$WORK/$who.jar" "$URL$path")
  t0=$(cpu_ticks)
  out=$(wrk -t2 -c8 -d"${SECS}s" --latency -H "Cookie: cinemateca_session=$cookie" "$URL$path")
  t1=$(cpu_ticks)
  reqs=$(echo "$out" | awk '/requests in/ {print $1}')
  printf '%-6s %-44s %s alone %6.1f ms  p50 %-8s p99 %-8s CPU/req %s ms\n' "$who" "$path" \
    "${t#* }" "$(echo "${t% *} * 1000" | bc -l)" \
    "$(echo "$out" | awk '/ 50%/ {print $2}')" "$(echo "$out" | awk '/ 99%/ {print $2}')" \
    "$(echo "($t1 - $t0) * 1000 / $(getconf CLK_TCK) / ${reqs:-1}" | bc -l | xargs printf '%.2f')"
}

bench_one() {
  local bin="$1" name="$2" db="$WORK/$2.db"
  echo
  echo "== $name: $("$bin" --version 2>/dev/null || echo "$bin")"
  sqlite3 "$SRC_DB" ".backup '$db'"
  # A third of the films to a folder of their own (pat's).
  sqlite3 "$db" "UPDATE files SET root = '/bench-b' WHERE film_id % 3 = 0"
  printf 'admin password\n' | "$bin" user add --db "$db" --admin --password-stdin ana >/dev/null
  printf 'viewer password\n' | "$bin" user add --db "$db" --password-stdin vic >/dev/null
  printf 'viewer password\n' | "$bin" user add --db "$db" --password-stdin pat >/dev/null
  "$bin" serve --no-watch --db "$db" --listen 127.0.0.1:0 >"$WORK/out" 2>"$WORK/err" &
  PID=$!
  URL=""
  for _ in $(seq 1 600); do
    URL=$(sed -n 's|^cinemateca: serving \(http://[^ ]*\)/$|\1|p' "$WORK/out")
    [ -n "$URL" ] && break
    sleep 0.1
  done
  [ -n "$URL" ] || { cat "$WORK/err"; exit 1; }
  login() {
    curl -s -o /dev/null -c "$WORK/$1.jar" -H 'Content-Type: application/json' \
      -d "{\"name\":\"$1\",\"password\":\"$2\"}" "$URL/api/v1/auth/login"
  }
  login ana "admin password"
  patch() {
    curl -s -o /dev/null -b "$WORK/ana.jar" -H "Origin: $URL" -H 'Content-Type: application/json' \
      -X PATCH -d "$2" "$URL/api/v1/users/$1"
  }
  patch 2 '{"roots":["/bench","/bench-b"]}'
  patch 3 '{"roots":["/bench-b"]}'
  login vic "viewer password"
  login pat "viewer password"
  local film
  film=$(curl -s -b "$WORK/ana.jar" "$URL/api/v1/films?limit=1&sort=title&offset=3" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
  # A film pat may see (its id a multiple of three).
  film=$(( (film / 3 + 1) * 3 ))
  for who in ana vic pat; do
    for q in "sort=title" "sort=year&order=desc" "sort=added&order=desc" "sort=played" \
      "sort=random"; do
      run "$who" "/api/v1/films?limit=100&$q"
    done
    run "$who" "/api/v1/films/$film"
    run "$who" "/api/v1/genres"
    run "$who" "/api/v1/status"
    run "$who" "/api/v1/search?q=pain"
  done
  local rss
  rss=$(awk '/^VmRSS/ {print $2}' /proc/$PID/status)
  echo "server RSS after the runs: $((rss / 1024)) MB"
  kill "$PID"
  wait "$PID" 2>/dev/null || true
  PID=""
  rm -f "$db" "$db-wal" "$db-shm"
}

[ -n "$OLD" ] && bench_one "$OLD" old
bench_one "$BIN" new
