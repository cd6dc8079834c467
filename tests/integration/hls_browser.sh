#!/usr/bin/env bash
# Integration: HLS in Chromium with hls.js (tests/e2e/hls.mjs): a film
# that remuxes and one that is transcoded (HEVC/AC3) play, and currentTime
# advances after a seek to the middle; a sidecar subtitle shows its cue
# at its time.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
need_browser hls.js/dist/hls.min.js

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
run_e2e 300 hls.mjs "$URL" "$FA" "$FB" "$FA:aac"
stop_server
finish
