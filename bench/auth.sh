#!/usr/bin/env bash
# Sign-in benchmark (issue 12):
#   - what one sign-in costs (argon2id, 3 passes over 64 MiB), one at a time;
#   - sign-ins per second with 8 clients signing in at once, and the p99 of
#     other requests (GET /api/v1/films) while they do, against the same
#     requests on a quiet server;
#   - whether the time of a failed sign-in tells that a name exists: wrong
#     passwords for 20 existing accounts against 20 names that do not exist,
#     interleaved, one attempt per name (so no rate limit is hit: each
#     account gets one failure, each source address at most ten).
# Usage: bench/auth.sh [seconds per run]   (default 10). Needs wrk (bench/serve.sh installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${BUILD:-build}"
[ -n "${CINEMATECA:-}" ] || ninja -C "$BUILD" >/dev/null
BIN="${CINEMATECA:-$PWD/$BUILD/src/cli/cinemateca}"
SECS="${1:-10}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/cinemateca-bench.XXXXXX")"
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; sleep 0.3; rm -rf "$WORK"; }
trap cleanup EXIT

mkdir -p "$WORK/lib/A Film (2000)"
ffmpeg -nostdin -v error -f lavfi -i testsrc=size=160x90:rate=10 -t 2 -c:v libx264 "$WORK/lib/A Film (2000)/A Film (2000).mkv"
"$BIN" scan --db "$WORK/c.db" "$WORK/lib" >/dev/null
echo "bench password" | "$BIN" user add --db "$WORK/c.db" --password-stdin ana >/dev/null
for i in $(seq 1 20); do echo "password $i!" | "$BIN" user add --db "$WORK/c.db" --password-stdin "user$i" >/dev/null; done
"$BIN" serve --db "$WORK/c.db" --listen 127.0.0.1:0 --no-watch > "$WORK/out" 2>"$WORK/err" &
PIDS+=("$!")
for _ in $(seq 1 100); do URL=$(sed -n 's|^cinemateca: serving \(http://[^ ]*\)/$|\1|p' "$WORK/out"); [ -n "$URL" ] && break; sleep 0.1; done
LOGIN="$URL/api/v1/auth/login"
body() { printf '{"name":"%s","password":"%s"}' "$1" "$2"; }
# t NAME PASSWORD [curl options]: seconds the sign-in took, and its status.
t() { curl -s -o /dev/null -w '%{time_total} %{http_code}\n' -H 'Content-Type: application/json' "${@:3}" -d "$(body "$1" "$2")" "$LOGIN"; }
stats() { sort -n | awk '{v[NR]=$1} END {printf "median %.1f ms, p10 %.1f ms, p90 %.1f ms (n=%d)", v[int(NR/2)+1]*1000, v[int(NR*0.1)+1]*1000, v[int(NR*0.9)+1]*1000, NR}'; }

echo "== one sign-in at a time"
for i in $(seq 1 20); do t ana "bench password"; done > "$WORK/one"
grep -c ' 200$' "$WORK/one" | xargs echo "signed in:"
awk '{print $1}' "$WORK/one" | stats; echo

COOKIE=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' -d "$(body ana "bench password")" "$LOGIN" |
  sed -n 's/^set-cookie: cinemateca_session=\([^;]*\);.*/\1/Ip' | tr -d '\r')
api_p99() { wrk -t2 -c8 -d"${SECS}s" --latency -H "Cookie: cinemateca_session=$COOKIE" "$URL/api/v1/films" |
  awk '/^Requests\/sec/ {r=$2} $1=="99%" {p=$2} END {printf "%s req/s, p99 %s", r, p}'; }
echo "== other requests (GET /api/v1/films, signed in, 8 connections)"
echo "quiet server:          $(api_p99)"
END=$(( $(date +%s) + SECS + 1 ))
for c in $(seq 1 8); do
  ( n=0; while [ "$(date +%s)" -lt "$END" ]; do t ana "bench password" >> "$WORK/many.$c"; done ) &
  PIDS+=("$!")
done
sleep 0.5
echo "during 8 sign-in loops: $(api_p99)"
wait "${PIDS[@]:1}" 2>/dev/null || true
PIDS=("${PIDS[0]}")
cat "$WORK"/many.* > "$WORK/many"
echo "sign-ins: $(grep -c ' 200$' "$WORK/many") in about $SECS s ($(awk -v s="$SECS" 'END {printf "%.1f", NR/s}' "$WORK/many")/s), other answers: $(grep -vc ' 200$' "$WORK/many" || true)"
echo "sign-in latency under that load: $(awk '{print $1}' "$WORK/many" | stats)"

echo
echo "== does the time of a failure tell whether the name exists?"
for i in $(seq 1 20); do
  a="127.0.0.$(( 2 + i % 4 ))"
  echo "known $(t "user$i" "wrong password" --interface "$a")"
  echo "unknown $(t "nobody$i" "wrong password" --interface "$a")"
done > "$WORK/exist"
grep -c ' 401$' "$WORK/exist" | xargs echo "answered 401 (of 40):"
echo "existing names, wrong password: $(awk '$1=="known" {print $2}' "$WORK/exist" | stats)"
echo "names that do not exist:        $(awk '$1=="unknown" {print $2}' "$WORK/exist" | stats)"

echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(date -u +%Y-%m-%d), libsodium $(pkg-config --modversion libsodium)"
