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

# The source tree, and the binary under test: $CINEMATECA, or the default
# build's.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CINEMATECA="${CINEMATECA:-$ROOT/build/src/cli/cinemateca}"

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

# check_no_sanitizer_reports WHAT [FILE...]: a check that no AddressSanitizer,
# LeakSanitizer or UBSan report is in the FILEs (by default every server's
# stderr so far): under the sanitizers, each server run is checked too.
check_no_sanitizer_reports() {
  local what="$1" reports; shift
  [ $# -gt 0 ] || set -- "$WORK"/server-*.err
  reports=$(grep -hE 'ERROR: (Address|Leak)Sanitizer|runtime error' "$@" 2>/dev/null | head -3)
  check_eq "$what" "" "$reports"
}

# ---- the browser tests: tests/e2e/*.mjs in Debian's Chromium ----

# browser_ready [FILE...]: whether Chromium ($CHROMIUM), node and web's
# playwright-core are here, and each FILE under web/node_modules/ (e.g.
# hls.js/dist/hls.min.js); web's locked npm packages are installed first
# when one is missing. Sets CHROMIUM and SHOTS (screenshots: $SHOTS, else
# $E2E_SHOTS, else build/e2e-screenshots) and makes SHOTS.
browser_ready() {
  CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
  SHOTS="${SHOTS:-${E2E_SHOTS:-$ROOT/build/e2e-screenshots}}"
  [ -x "$CHROMIUM" ] && command -v node >/dev/null 2>&1 || return 1
  local need=(playwright-core/package.json "$@") f
  for f in "${need[@]}"; do
    if [ ! -f "$ROOT/web/node_modules/$f" ]; then
      npm ci --prefix "$ROOT/web" --no-audit --no-fund --loglevel=error >/dev/null 2>&1
      break
    fi
  done
  for f in "${need[@]}"; do
    [ -f "$ROOT/web/node_modules/$f" ] || return 1
  done
  mkdir -p "$SHOTS"
}

# browser_missing WHAT: when browser_ready is not: in CI (where the browser
# is part of the suite) a failure, elsewhere a "skip: WHAT ..." line.
browser_missing() {
  if [ -n "${CI:-}" ]; then
    fail "chromium ($CHROMIUM), node and web/node_modules are installed ($1)"
  else
    echo "skip: $1 needs chromium, node and web/node_modules (scripts/setup.sh installs them)"
  fi
}

# need_browser [FILE...]: for a test that is the browser's through and
# through: a check that browser_ready is, or else the test ends here
# (skipped, or failed in CI).
need_browser() {
  if browser_ready "$@"; then
    pass "chromium, node and web/node_modules (playwright-core${*:+ $*}) are installed"
    return 0
  fi
  browser_missing "this test"
  finish
  exit
}

# run_e2e SECONDS SCRIPT.mjs ARGS...: runs tests/e2e/SCRIPT.mjs ARGS under
# node (stopped after SECONDS) and counts its "ok - " and "FAIL - " lines
# as this test's checks; its other lines are shown, and all of its output
# stays in $E2E_OUT. Its exit 1 is "some checks failed" (counted already);
# any other failure, or no check reported at all, is a failure of its own.
run_e2e() {
  local secs="$1" script="$2" status reported=0 line; shift 2
  E2E_OUT="$WORK/${script%.mjs}.out"
  timeout "$secs" node "$ROOT/tests/e2e/$script" "$@" >"$E2E_OUT" 2>&1
  status=$?
  while IFS= read -r line; do
    case "$line" in
      "ok - "*) pass "${line#ok - }"; reported=$((reported + 1)) ;;
      "FAIL - "*) fail "${line#FAIL - }"; reported=$((reported + 1)) ;;
      *) echo "$line" ;;
    esac
  done <"$E2E_OUT"
  [ "$status" -le 1 ] || fail "the browser test $script ran to the end (exit $status)"
  [ "$reported" -gt 0 ] || fail "the browser test $script reported its checks"
  [ -z "${SHOTS:-}" ] || [[ " $* " != *" $SHOTS "* ]] || echo "screenshots: $SHOTS"
}
