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

# make_hostile_media GOOD.mkv GOOD.mp4 DIR: damaged and absurd versions of
# two real clips in DIR: zero-length, header-only, truncated, eight seeded
# bit-flip patterns, random bytes, text named .mp4, a 100 KB and a 10 MB
# title tag, and 1,000 streams (the most Matroska's muxer writes).
make_hostile_media() {
  local good="$1" good_mp4="$2" H="$3" size
  mkdir -p "$H"
  size=$(stat -c %s "$good")
  : > "$H/Zero (2001).mkv"
  head -c 200 "$good" > "$H/Header Only (2002).mkv"
  head -c $((size / 2)) "$good" > "$H/Truncated (2003).mkv"
  head -c $(($(stat -c %s "$good_mp4") / 3)) "$good_mp4" > "$H/Truncated (2004).mp4"
  # Bit flips: the same seeded corruption every run.
  python3 - "$good" "$H" <<'PY'
import random, sys
data = open(sys.argv[1], 'rb').read()
for n in range(8):
    rnd = random.Random(n)
    b = bytearray(data)
    for _ in range(20 + n * 40):
        b[rnd.randrange(len(b))] ^= 1 << rnd.randrange(8)
    open(f"{sys.argv[2]}/Flipped {n} (2005).mkv", 'wb').write(b)
PY
  head -c 300000 /dev/urandom > "$H/Random (2006).mkv"
  echo "this is not a film" > "$H/Text (2007).mp4"
  python3 -c 'print("A" * 10_000_000, end="")' > "$H/.title.txt"
  ffmpeg -nostdin -v error -y -i "$good" -c copy \
    -metadata title="$(head -c 100000 "$H/.title.txt")" "$H/Long Title (2008).mkv" 2>/dev/null ||
    fail "could not make the long-title file"
  # A 10 MB tag through an ffmetadata file (too long for one argument).
  { echo ";FFMETADATA1"; printf 'title='; cat "$H/.title.txt"; echo; } > "$H/.meta.txt"
  ffmpeg -nostdin -v error -y -i "$good" -i "$H/.meta.txt" -map_metadata 1 -c copy \
    "$H/Huge Title (2009).mkv" 2>/dev/null || fail "could not make the 10 MB title file"
  rm -f "$H/.title.txt" "$H/.meta.txt"
  local maps=() i
  for i in $(seq 1 999); do maps+=(-map 0:a); done
  ffmpeg -nostdin -v error -y -i "$good" -map 0:v "${maps[@]}" -c copy \
    "$H/Many Streams (2010).mkv" 2>/dev/null || fail "could not make the many-streams file"
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
