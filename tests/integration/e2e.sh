#!/usr/bin/env bash
# End-to-end: the web app in Debian's Chromium (playwright-core) against a
# real `cinemateca demo` on 127.0.0.1. Screenshots go to $E2E_SHOTS
# (default: build/e2e-screenshots).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
need_browser

# The demo, on a free port: the server prints "cinemateca: serving URL".
DEMO="$WORK/demo"
"$CINEMATECA" demo --dir "$DEMO" --listen 127.0.0.1:0 > "$WORK/demo.out" 2> "$WORK/demo.err" &
SERVER=$!
PIDS+=("$SERVER")
URL=""
for _ in $(seq 1 600); do
  URL=$(sed -n 's/^cinemateca: serving \(http[^ ]*\).*/\1/p' "$WORK/demo.out" | head -1)
  [ -n "$URL" ] && break
  kill -0 "$SERVER" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$URL" ]; then
  fail "cinemateca demo starts and prints its URL ($(tail -5 "$WORK/demo.err" | tr '\n' ' '))"
  finish
  exit 1
fi
pass "cinemateca demo builds its library and serves it at $URL"
check "the demo library has its marker" test -f "$DEMO/.cinemateca-demo"
check "the demo catalog lives in the demo folder" test -f "$DEMO/.cinemateca/catalog.db"

# A 20 s film for the watch-state scenario (the demo's are a few seconds).
make_clip "$WORK/long.mp4" 20 -movflags +faststart
LONG_CLIP="$WORK/long.mp4" run_e2e 600 web.mjs "${URL%/}" "$SHOTS" "$DEMO"

# The demo again on the same folder: no rebuild, and it serves at once.
kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
before=$(stat -c %Y "$DEMO/.cinemateca-demo")
"$CINEMATECA" demo --dir "$DEMO" --listen 127.0.0.1:0 > "$WORK/demo2.out" 2> "$WORK/demo2.err" &
SERVER=$!
PIDS+=("$SERVER")
for _ in $(seq 1 100); do
  grep -q "^cinemateca: serving" "$WORK/demo2.out" 2>/dev/null && break
  sleep 0.1
done
check_contains "a second demo run serves" "serving" "$(cat "$WORK/demo2.out")"
if grep -q 'building the demo library' "$WORK/demo2.err"; then
  fail "a second demo run does not rebuild the library"
else
  pass "a second demo run does not rebuild the library"
fi
check_eq "the demo library is kept as it was" "$before" "$(stat -c %Y "$DEMO/.cinemateca-demo")"
kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null

# A folder of real films is never turned into a demo.
mkdir -p "$WORK/films"
touch "$WORK/films/My Film (2001).mkv"
"$CINEMATECA" demo --dir "$WORK/films" --listen 127.0.0.1:0 > "$WORK/demo3.out" 2> "$WORK/demo3.err"
check_eq "demo refuses a folder that holds other files" 1 "$?"
check_eq "and leaves it as it was" "My Film (2001).mkv" "$(ls -A "$WORK/films")"

# Under the sanitizers, the server's shutdown is checked too.
check_no_sanitizer_reports "the demo server stops cleanly (no sanitizer reports)" \
  "$WORK/demo.err" "$WORK/demo2.err" "$WORK/demo3.err"

finish
