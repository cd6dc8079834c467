#!/usr/bin/env bash
# Server benchmark, side by side with nginx (Debian's, sendfile on) serving
# the same file in the same run, driven by wrk over loopback:
#   - direct play of a 100 MB file: full GETs, then 1 MB range GETs at
#     random offsets (throughput, p99 latency), server RSS; the ranges
#     again through a signed URL once an account exists (issue 12);
#   - the API: GET /api/v1/films?limit=100 on a 10,000-film catalog
#     (requests/second, p99), and the server's idle RSS with that catalog.
# Usage: bench/serve.sh [seconds per run]   (default 10)
# CINEMATECA and BUILD (the build folder for bench/gen_catalog.c) may be set;
# SERVE_ARGS adds options to `cinemateca serve` (e.g. "--threads 2");
# RANGES_ONLY=1 runs the 1 MB ranges only (local mode, then signed), in
# ROUNDS alternating pairs each.
# Each line also gives CPU time per request: the server's (cinemateca's
# HTTP threads, those that ended during the run included; nginx's master
# and workers) and wrk's own (the client
# shares the machine: what it spends per request is taken from the
# server). On a machine shared with other work these move far less than
# requests/s.
set -euo pipefail
cd "$(dirname "$0")/.."
# nginx's package would start the system service (on port 80, all
# addresses) when installed; a policy-rc.d that says no keeps it stopped.
if ! command -v wrk >/dev/null || ! { command -v nginx || test -x /usr/sbin/nginx; } >/dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  POLICY=/usr/sbin/policy-rc.d
  added_policy=0
  if [ ! -e "$POLICY" ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
    $SUDO chmod 755 "$POLICY"
    added_policy=1
  fi
  SETUP_EXTRA="wrk nginx" scripts/setup.sh
  [ "$added_policy" = 1 ] && $SUDO rm -f "$POLICY"
fi
BUILD="${BUILD:-build}"
[ -f "$BUILD/build.ninja" ] || meson setup "$BUILD" >/dev/null
[ -n "${CINEMATECA:-}" ] || ninja -C "$BUILD" >/dev/null
BIN="${CINEMATECA:-$PWD/$BUILD/src/cli/cinemateca}"
SECS="${1:-10}"
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

WORK="$(mktemp -d "${TMPDIR:-/tmp}/cinemateca-bench.XXXXXX")"
PIDS=()
cleanup() {
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  [ -f "$WORK/nginx/nginx.pid" ] && kill "$(cat "$WORK/nginx/nginx.pid")" 2>/dev/null || true
  sleep 0.5
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# Resident memory in KiB, and how much of it is heap (anon) and how much
# mapped catalog or binary pages (file: shared, reclaimable).
rss_kib() { awk '/^VmRSS/ {r=$2} /^RssAnon/ {a=$2} /^RssFile/ {f=$2} END {printf "%d (anon %d, file %d)", r, a, f}' "/proc/$1/status"; }
hwm_kib() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }

# serve DB [DIR...]: starts cinemateca; sets CPID and CURL (base URL).
serve() {
  local out="$WORK/serve.$RANDOM.out"
  # shellcheck disable=SC2086
  "$BIN" serve ${SERVE_ARGS:-} --listen 127.0.0.1:0 --web "$WORK/noweb" --db "$@" >"$out" 2>"$out.err" &
  CPID=$!
  PIDS+=("$CPID")
  for _ in $(seq 1 600); do
    CURL=$(sed -n 's|^cinemateca: serving \(http://[^ ]*\)/$|\1|p' "$out" 2>/dev/null || true)
    [ -n "$CURL" ] && return 0
    sleep 0.05
  done
  echo "cinemateca did not start" >&2; cat "$out.err" >&2; exit 1
}

# CPU time so far, in clock ticks: cinemateca's HTTP threads (named
# MHD-worker by libmicrohttpd; the library's background pass is left out),
# or nginx's master and workers.
HZ=$(getconf CLK_TCK)
server_ticks() {
  local t=0 task p
  if [ "$1" = nginx ]; then
    for p in $(cat "$WORK/nginx/nginx.pid") $(ps --ppid "$(cat "$WORK/nginx/nginx.pid")" -o pid=); do
      t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
    done
  else
    # Pool builds: the MHD-workers. Thread-per-connection builds: the
    # MHD-connection threads (and the listener), and the threads that
    # ended meanwhile (a connection's thread ends with it: its time is
    # then only in the process's total, less what the live threads have).
    local live=0 task_t
    for task in /proc/"$CPID"/task/*; do
      task_t=$(awk '{print $14 + $15}' "$task/stat" 2>/dev/null || echo 0)
      live=$((live + task_t))
      case "$(cat "$task/comm" 2>/dev/null)" in
        MHD-worker|MHD-connection|MHD-listen) t=$((t + task_t)) ;;
      esac
    done
    t=$((t + $(awk '{print $14 + $15}' "/proc/$CPID/stat" 2>/dev/null || echo 0) - live))
  fi
  echo "$t"
}

# wrk_run LABEL URL [wrk options...]: prints one result line.
wrk_run() {
  local label="$1" url="$2"; shift 2
  local out who=cinemateca t0 t1
  case "$label" in nginx*) who=nginx ;; esac
  t0=$(server_ticks "$who")
  local TIMEFORMAT='%U %S'
  { time wrk -t2 -c"${CONNS:-8}" -d"${SECS}s" --timeout 20s --latency "$@" "$url" >"$WORK/wrk.out"; } 2>"$WORK/wrk.time"
  out=$(cat "$WORK/wrk.out")
  t1=$(server_ticks "$who")
  local rps mbps p99
  rps=$(echo "$out" | awk '/^Requests\/sec/ {print $2}')
  mbps=$(echo "$out" | awk '/^Transfer\/sec/ {v=$2; u=substr(v,length(v)-1); n=substr(v,1,length(v)-2);
    if (u=="GB") n*=1024; else if (u=="KB") n/=1024; printf "%.0f", n}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  local errs
  errs=$(echo "$out" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' ')
  local n cpu client
  n=$(echo "$out" | awk '/requests in/ {print $1}')
  cpu=$(awk -v t=$((t1 - t0)) -v hz="$HZ" -v n="$n" 'BEGIN {printf "%.0f", n ? t / hz * 1e6 / n : 0}')
  client=$(awk -v n="$n" '{printf "%.0f", n ? ($1 + $2) * 1e6 / n : 0}' "$WORK/wrk.time")
  printf '%-34s %10s req/s %8s MB/s  p99 %8s  CPU/req server %5s us, wrk %5s us  %s\n' \
    "$label" "$rps" "$mbps" "$p99" "$cpu" "$client" "$errs"
  echo "$out" > "$WORK/wrk.$label.txt"
  echo "$cpu $client" > "$WORK/cpu.$label.txt"
}

# rounds NAME URL: ROUNDS alternating pairs of 1 MB range runs, cinemateca
# (at URL) then nginx; prints the per-round ratios and their median, and
# the median CPU per request of each side.
rounds() {
  local name="$1" url="$2" r c n ratios=() ccpu=() ncpu=()
  for r in $(seq 1 "${ROUNDS:-3}"); do
    wrk_run "cinemateca $name, round $r" "$url" -s "$WORK/range.lua"
    c=$(awk '/^Requests\/sec/ {print $2}' "$WORK/wrk.cinemateca $name, round $r.txt")
    ccpu+=("$(awk '{print $1 + $2}' "$WORK/cpu.cinemateca $name, round $r.txt")")
    wrk_run "nginx, round $r" "$N_STREAM" -s "$WORK/range.lua"
    n=$(awk '/^Requests\/sec/ {print $2}' "$WORK/wrk.nginx, round $r.txt")
    ncpu+=("$(awk '{print $1 + $2}' "$WORK/cpu.nginx, round $r.txt")")
    ratios+=("$(awk -v c="$c" -v n="$n" 'BEGIN {printf "%.2f", c / n}')")
  done
  median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
  echo "$name 1 MB ranges / nginx, per round: ${ratios[*]}; median $(median "${ratios[@]}")"
  echo "$name: median CPU per request, server + wrk: cinemateca $(median "${ccpu[@]}") us, nginx $(median "${ncpu[@]}") us"
}

echo "== direct play: a 100 MB file"
LIB="$WORK/lib/Big Film (2020)"
mkdir -p "$LIB"
ffmpeg -nostdin -v error -y -f lavfi -i "testsrc=size=320x180:rate=24" -t 2 -c:v libx264 \
  -preset ultrafast "$WORK/head.mkv"
{ cat "$WORK/head.mkv"; head -c 100000000 /dev/urandom; } > "$LIB/Big Film (2020).mkv"
SIZE=$(stat -c %s "$LIB/Big Film (2020).mkv")
serve "$WORK/play.db" "$WORK/lib"
for _ in $(seq 1 300); do curl -s "$CURL/api/v1/films" | grep -q '"total":1' && break; sleep 0.1; done
FILE=$(curl -s "$CURL/api/v1/films" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
FILE=$(curl -s "$CURL/api/v1/films/$FILE" | python3 -c 'import json,sys; print(json.load(sys.stdin)["files"][0]["id"])')
C_STREAM="$CURL/api/v1/files/$FILE/stream"

# nginx: the same file, default sendfile configuration, one worker per core.
mkdir -p "$WORK/nginx/root" "$WORK/nginx/tmp"
ln "$LIB/Big Film (2020).mkv" "$WORK/nginx/root/film.mkv"
NPORT=$(free_port)
cat > "$WORK/nginx/nginx.conf" <<CONF
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  sendfile on;
  tcp_nopush on;
  access_log off;
  client_body_temp_path $WORK/nginx/tmp;
  proxy_temp_path $WORK/nginx/tmp;
  fastcgi_temp_path $WORK/nginx/tmp;
  uwsgi_temp_path $WORK/nginx/tmp;
  scgi_temp_path $WORK/nginx/tmp;
  server { listen 127.0.0.1:$NPORT; root $WORK/nginx/root; }
}
CONF
# Run as root, nginx's workers are another user: let them read the file.
chmod -R a+rX "$WORK"
"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf"
for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$NPORT/film.mkv" && break; sleep 0.1; done
N_STREAM="http://127.0.0.1:$NPORT/film.mkv"
if ! cmp -s <(curl -s -r 0-1048575 "$C_STREAM") <(curl -s -r 0-1048575 "$N_STREAM"); then
  echo "the two servers disagree:"; curl -s -r 0-99 "$C_STREAM" | head -c 300; echo; curl -s -r 0-99 "$N_STREAM" | head -c 300 | od -c | head -3; exit 1
fi

# 1 MB ranges at random 1 MB-aligned offsets.
cat > "$WORK/range.lua" <<LUA
math.randomseed(42)
local size = $SIZE
local chunk = 1048576
request = function()
  local first = math.random(0, math.floor((size - chunk) / chunk)) * chunk
  return wrk.format("GET", nil, { Range = "bytes=" .. first .. "-" .. (first + chunk - 1) })
end
LUA

echo "file: $SIZE bytes; $SECS s per run; wrk -t2, ${CONNS:-8} connections"
if [ "${RANGES_ONLY:-0}" = 1 ]; then
  rounds "local" "$C_STREAM"
else
  CONNS=4 wrk_run "cinemateca full GET" "$C_STREAM"
  CONNS=4 wrk_run "nginx full GET" "$N_STREAM"
  wrk_run "cinemateca 1 MB ranges" "$C_STREAM" -s "$WORK/range.lua"
  wrk_run "nginx 1 MB ranges" "$N_STREAM" -s "$WORK/range.lua"
  CONNS=4 wrk_run "cinemateca full GET (again)" "$C_STREAM"
  CONNS=4 wrk_run "nginx full GET (again)" "$N_STREAM"
fi
# With an account the server leaves local mode: a player without a cookie
# gets a signed URL (HMAC checked and the user looked up on every request).
echo "bench password" | "$BIN" user add --db "$WORK/play.db" --admin --password-stdin bench >/dev/null
sleep 1.2 # the server re-reads whether accounts exist once a second
COOKIE=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
  -d '{"name":"bench","password":"bench password"}' "$CURL/api/v1/auth/login" |
  sed -n 's/^set-cookie: cinemateca_session=\([^;]*\);.*/\1/Ip' | tr -d '\r')
SIGNED=$(curl -s -H "Cookie: cinemateca_session=$COOKIE" "$CURL/api/v1/files/$FILE/urls" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["stream"])')
[ "$(curl -s -o /dev/null -w '%{http_code}' -r 0-9 "$CURL$SIGNED")" = 206 ] || { echo "the signed URL does not open"; exit 1; }
[ "$(curl -s -o /dev/null -w '%{http_code}' -r 0-9 "$C_STREAM")" = 401 ] || { echo "the unsigned URL still opens"; exit 1; }
if [ "${RANGES_ONLY:-0}" = 1 ]; then
  rounds "signed" "$CURL$SIGNED"
  kill "$CPID"; wait "$CPID" 2>/dev/null || true
  exit 0
fi
wrk_run "cinemateca 1 MB ranges, signed URL" "$CURL$SIGNED" -s "$WORK/range.lua"
wrk_run "nginx 1 MB ranges (again)" "$N_STREAM" -s "$WORK/range.lua"
# On a shared machine two runs of the same server can differ by a third;
# alternate the two servers ROUNDS times and compare each round's pair, so
# that a slow spell hits both sides of at least most of the ratios.
rounds "signed" "$CURL$SIGNED"
echo "cinemateca RSS after streaming: $(rss_kib "$CPID") KiB (peak $(hwm_kib "$CPID") KiB)"
kill "$CPID"; wait "$CPID" 2>/dev/null || true

echo
echo "== API: a 10,000-film catalog"
GEN="$WORK/gen_catalog"
ninja -C "$BUILD" bench/gen_catalog >/dev/null
cp "$BUILD/bench/gen_catalog" "$GEN"
"$GEN" generate "$WORK/big.db" 10000 20000 >/dev/null
serve "$WORK/big.db"
sleep 1
echo "idle RSS with 10,000 films, just started: $(rss_kib "$CPID") KiB"
curl -s "$CURL/api/v1/films?limit=100" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("films:", d["total"], "page:", len(d["items"]))'
wrk_run "API films?limit=100" "$CURL/api/v1/films?limit=100"
cat > "$WORK/pages.lua" <<'LUA'
math.randomseed(7)
local sorts = { "title", "year", "added", "runtime" }
request = function()
  local path = "/api/v1/films?limit=100&offset=" .. math.random(0, 99) * 100 ..
    "&sort=" .. sorts[math.random(1, 4)]
  return wrk.format("GET", path)
end
LUA
wrk_run "API films, random pages and sorts" "$CURL/api/v1/films" -s "$WORK/pages.lua"
FILM=$(curl -s "$CURL/api/v1/films?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
wrk_run "API one film" "$CURL/api/v1/films/$FILM"
sleep 2
echo "RSS with 10,000 films after the API runs: $(rss_kib "$CPID") KiB (peak $(hwm_kib "$CPID") KiB)"
kill "$CPID"; wait "$CPID" 2>/dev/null || true

echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ {printf "%.1f GB RAM", $2/1048576}' /proc/meminfo), $(date -u +%Y-%m-%d)"
echo "$("$NGINX" -v 2>&1), wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}'), libmicrohttpd $(pkg-config --modversion libmicrohttpd)"
