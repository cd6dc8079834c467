#!/usr/bin/env bash
# Integration: the web app's own player in Chromium (tests/e2e/player.mjs)
# on a film made here: 65 s with three chapters, an English (440 Hz), a
# Spanish (1000 Hz) and a commentary (220 Hz) audio track, an English .srt,
# and two extras. Checks the controls, chapter marks and a preview frame
# while hovering the seek bar, subtitles chosen in one step, up next, the
# extras offered at the end, and "cinemateca is not answering" once the
# server is stopped mid-play. After the switch to Spanish, the rendition
# the player asked for is decoded with ffmpeg and its frequency measured.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
need_browser hls.js/dist/hls.min.js

LIB="$WORK/films"
FILM="$LIB/Dos Lenguas (2019)"
mkdir -p "$FILM/Featurettes"
cat > "$WORK/meta.txt" <<'META'
;FFMETADATA1
[CHAPTER]
TIMEBASE=1/1000
START=0
END=20000
title=Opening
[CHAPTER]
TIMEBASE=1/1000
START=20000
END=45000
title=The Middle
[CHAPTER]
TIMEBASE=1/1000
START=45000
END=65000
title=End Credits
META
ffmpeg -nostdin -v error -y -f lavfi -i "testsrc=size=320x180:rate=10" \
  -f lavfi -i "sine=frequency=440:sample_rate=44100" \
  -f lavfi -i "sine=frequency=1000:sample_rate=44100" \
  -f lavfi -i "sine=frequency=220:sample_rate=44100" -i "$WORK/meta.txt" \
  -map 0:v -map 1:a -map 2:a -map 3:a -map_metadata 4 -t 65 \
  -c:v libx264 -preset ultrafast -g 20 -pix_fmt yuv420p -c:a aac -b:a 48k -ac 2 \
  -metadata:s:a:0 language=eng -metadata:s:a:1 language=spa \
  -metadata:s:a:2 language=eng -metadata:s:a:2 "title=Director's Commentary" \
  -disposition:a:0 default -disposition:a:1 0 -disposition:a:2 0 \
  "$FILM/Dos Lenguas (2019).mkv"
printf '1\n00:00:00,000 --> 00:01:05,000\nHello from the subtitles\n\n' > "$FILM/Dos Lenguas (2019).en.srt"
make_clip "$FILM/Featurettes/First Look.mp4" 3 -movflags +faststart
make_clip "$FILM/Featurettes/Second Look.mp4" 3 -movflags +faststart

start_server --db "$WORK/catalog.db" --web "$ROOT/web" "$LIB" || { fail "server starts"; finish; exit 1; }
film_file() { sqlite3 "$WORK/catalog.db" "SELECT id FROM files WHERE path LIKE '%Dos Lenguas (2019).mkv'" 2>/dev/null; }
cataloged() { [ -n "$(film_file)" ] && [ "$(sqlite3 "$WORK/catalog.db" 'SELECT count(*) FROM extras' 2>/dev/null)" = 2 ]; }
check "the film and its extras are cataloged" wait_until 300 cataloged
FILE=$(film_file)
sheet() { curl -sf "$URL/api/v1/files/$FILE/trickplay.json" >/dev/null; }
# (after the posters and keyframe indexes, at nice 19: minutes under the sanitizers)
check "the film's trickplay sheet is made in the background" wait_until 900 sheet

# The frequency of an HLS rendition's audio: zero crossings of 4 s of it
# decoded by ffmpeg (mono, 8 kHz), halved, per second.
# A rendition still being made answers 503 for a moment: asked again.
frequency() {
  local f _
  for _ in 1 2 3 4 5 6; do
    f=$(frequency_once "$1")
    [ "${f:-0}" -gt 0 ] && break
    sleep 2
  done
  echo "${f:-0}"
}
frequency_once() {
  ffmpeg -nostdin -v error -i "$1" -map 0:a:0 -ss 1 -t 4 -ac 1 -ar 8000 -f s16le - 2>/dev/null |
    python3 -c '
import sys, array
a = array.array("h"); a.frombytes(sys.stdin.buffer.read())
n = sum(1 for i in range(1, len(a)) if (a[i-1] < 0) != (a[i] < 0))
print(round(n / 2 / (len(a) / 8000.0)) if len(a) else 0)'
}
plain=$(frequency "$URL/api/v1/files/$FILE/hls/master.m3u8")
check "the default rendition is the English track (440 Hz; got $plain)" test "${plain:-0}" -ge 400 -a "${plain:-0}" -le 480

run_e2e 600 player.mjs "$URL" "$SHOTS" "$SERVER_PID"
MASTER=$(sed -n 's/^audio-master //p' "$E2E_OUT" | tail -1)

# The server was stopped by the browser test ("not answering"); the same
# catalog again, to hear the rendition the player switched to.
wait "$SERVER_PID" 2>/dev/null
if [ -n "$MASTER" ]; then
  start_server --db "$WORK/catalog.db" --web "$ROOT/web" "$LIB" || { fail "server restarts"; finish; exit 1; }
  path="/${MASTER#*://*/}"
  spanish=$(frequency "$URL$path")
  check "after the switch, the HLS rendition plays the Spanish track (1000 Hz; got $spanish)" \
    test "${spanish:-0}" -ge 950 -a "${spanish:-0}" -le 1050
  stop_server
else
  fail "the player asked for a rendition with audio=N"
fi
# Under the sanitizers, every server run here is checked too.
check_no_sanitizer_reports "the servers ran without sanitizer reports"
finish
