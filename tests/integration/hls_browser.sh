#!/usr/bin/env bash
# Integration: HLS in Chromium with hls.js (tests/e2e/hls.mjs): a film
# that remuxes and one that is transcoded (HEVC/AC3) play, and currentTime
# advances after a seek to the middle; a sidecar subtitle shows its cue
# at its time.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ] || ! command -v node >/dev/null 2>&1 ||
   [ ! -f "$ROOT/web/node_modules/playwright-core/package.json" ] ||
   [ ! -f "$ROOT/web/node_modules/hls.js/dist/hls.min.js" ]; then
  if [ -z "${CI:-}" ]; then
    echo "skip: needs chromium, node and web/node_modules (scripts/setup.sh installs them)"
    finish
    exit $?
  fi
  fail "chromium, node, playwright-core and hls.js are installed"
  finish
  exit 1
fi

LIB="$WORK/films"
A="$LIB/Remux Film (2020)/Remux Film (2020).mkv"
B="$LIB/Transcode Film (2021)/Transcode Film (2021).mkv"
mkdir -p "$(dirname "$A")" "$(dirname "$B")"
printf '1\n00:00:11,000 --> 00:00:14,000\nEleven\n\n' >"${A%.mkv}.en.srt"
ffmpeg -nostdin -v error -y -f lavfi -i testsrc=size=320x180:rate=25 \
  -f lavfi -i sine=f=440:sample_rate=48000 -t 20 \
  -c:v libx264 -preset veryfast -g 25 -pix_fmt yuv420p -c:a aac -ac 2 "$A"
ffmpeg -nostdin -v error -y -f lavfi -i testsrc=size=320x180:rate=25 \
  -f lavfi -i sine=f=330:sample_rate=48000 -t 20 \
  -c:v libx265 -preset ultrafast -x265-params log-level=none:keyint=25:min-keyint=25 \
  -c:a ac3 -ac 6 "$B"

start_server --db "$WORK/catalog.db" --web "$ROOT/web" "$LIB" || { fail "server starts"; finish; exit 1; }
listed() { curl -s "$URL/api/v1/films" | grep -q '"total":2'; }
check "the films are cataloged" wait_until 60 listed
file_of() {
  local film
  film=$(curl -s "$URL/api/v1/films" | python3 -c 'import json,sys
for f in json.load(sys.stdin)["items"]:
    if f["title"] == sys.argv[1]: print(f["id"])' "$1")
  curl -s "$URL/api/v1/films/$film" | python3 -c 'import json,sys; print(json.load(sys.stdin)["files"][0]["id"])'
}
FA=$(file_of "Remux Film")
FB=$(file_of "Transcode Film")
# The remux film also as a transcode (caps without h264).
timeout 300 node "$ROOT/tests/e2e/hls.mjs" "$URL" "$FA" "$FB" "$FA:aac" >"$WORK/hls.out" 2>&1
status=$?
while IFS= read -r line; do
  case "$line" in
    "ok - "*) pass "${line#ok - }" ;;
    "FAIL - "*) fail "${line#FAIL - }" ;;
    *) echo "$line" ;;
  esac
done <"$WORK/hls.out"
[ "$status" -le 1 ] || fail "the browser run ended (exit $status)"
stop_server
finish
