# Shared helpers for the integration tests (sourced, not run).
# Each test counts its checks and ends with the line "N passed, N failed".

PASSED=0
FAILED=0
WORK="$(mktemp -d "${TMPDIR:-/tmp}/cinemateca-test.XXXXXX")"
PIDS=()

cleanup() {
  for pid in "${PIDS[@]:-}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  done
  [ -n "${KEEP_WORK:-}" ] && echo "kept $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT

pass() { PASSED=$((PASSED + 1)); echo "ok - $1"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL - $1"; }

# check "description" command...: passes when the command succeeds.
check() {
  local what="$1"; shift
  if "$@" >/dev/null 2>&1; then pass "$what"; else fail "$what"; fi
}

# check_eq "description" expected actual
check_eq() {
  if [ "$2" == "$3" ]; then pass "$1"; else fail "$1 (expected '$2', got '$3')"; fi
}

# check_contains "description" needle haystack
check_contains() {
  if [[ "$3" == *"$2"* ]]; then pass "$1"; else fail "$1 (no '$2' in: ${3:0:400})"; fi
}

finish() {
  echo "$PASSED passed, $FAILED failed"
  [ "$FAILED" -eq 0 ]
}

# make_clip OUT [seconds] [extra ffmpeg output options...]
# A tiny H.264/AAC clip (160x90, 10 fps); the container follows OUT's extension.
make_clip() {
  local out="$1" secs="${2:-2}"; shift 2 || shift $#
  mkdir -p "$(dirname "$out")"
  ffmpeg -nostdin -v error -y -f lavfi -i "testsrc=size=160x90:rate=10" \
    -f lavfi -i "sine=frequency=440:sample_rate=22050" -t "$secs" \
    -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -b:a 32k -ac 1 \
    "$@" "$out"
}

# json_get FILE PYTHON-EXPR: evaluates EXPR with `d` bound to the parsed JSON.
json_get() {
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# The binary under test: $CINEMATECA, or the default build's.
CINEMATECA="${CINEMATECA:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/src/cli/cinemateca}"

# start_server SERVE-ARGS...: starts `cinemateca serve SERVE-ARGS...` on a
# free loopback port and waits for its "serving" line. Sets URL (no
# trailing slash), SERVER_PID and SERVER_LOG (its stderr); the cleanup
# trap stops it.
SERVER_N=0
start_server() {
  SERVER_N=$((SERVER_N + 1))
  local out="$WORK/server-$SERVER_N.out"
  SERVER_LOG="$WORK/server-$SERVER_N.err"
  URL=""
  "$CINEMATECA" serve --listen 127.0.0.1:0 "$@" >"$out" 2>"$SERVER_LOG" &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  local i
  for i in $(seq 1 600); do
    # (the file appears when the server's shell opens it: maybe not yet)
    URL=$(sed -n 's|^cinemateca: serving \(http://[^ ]*\)/$|\1|p' "$out" 2>/dev/null)
    [ -n "$URL" ] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.05
  done
  echo "server did not start:" >&2
  cat "$SERVER_LOG" >&2
  return 1
}

# stop_server: SIGTERM, and waits; returns its exit status.
stop_server() {
  kill -TERM "$SERVER_PID" 2>/dev/null
  wait "$SERVER_PID"
}

# wait_until SECONDS COMMAND...: polls COMMAND until it succeeds.
wait_until() {
  local limit=$(( $1 * 10 )); shift
  local i
  for i in $(seq 1 "$limit"); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  return 1
}
