#!/usr/bin/env bash
# Integration: the HLS timeline across segments made separately. An
# HEVC/AC3 MKV with B-frames whose first part runs at 100 fps and whose
# second part runs at 10 fps: the index measures its reordering on the
# first GOPs, so later segments reorder deeper (in time) than the index
# said. Every segment of the transcoded and of the copied rendition is
# fetched; init + segments must have rising decode times across every
# boundary, and ffmpeg must play each master playlist without a word.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

LIB="$WORK/films"
DB="$WORK/catalog.db"
F="$LIB/Varying Film (2023)/Varying Film (2023).mkv"
mkdir -p "$(dirname "$F")"
ffmpeg -nostdin -v error -y -f lavfi -i "testsrc2=size=160x90:rate=100:d=8" \
  -f lavfi -i "testsrc2=size=160x90:rate=10:d=16" -f lavfi -i "sine=f=330:sample_rate=48000:d=24" \
  -filter_complex "[0:v][1:v]concat=n=2:v=1:a=0[v]" -map "[v]" -map 2:a -fps_mode passthrough \
  -c:v libx265 -preset fast \
  -x265-params log-level=none:keyint=50:min-keyint=10:bframes=4:b-pyramid=1:open-gop=0 \
  -c:a ac3 -ac 6 "$F" || { fail "could not make the film"; finish; exit 1; }

start_server --db "$DB" --web "$WORK/none" "$LIB" || { fail "server starts"; finish; exit 1; }
listed() { curl -s "$URL/api/v1/films" | grep -q '"total":1'; }
check "the film is cataloged" wait_until 60 listed
FILM=$(curl -s "$URL/api/v1/films" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
FID=$(curl -s "$URL/api/v1/films/$FILM" | python3 -c 'import json,sys; print(json.load(sys.stdin)["files"][0]["id"])')
H="$URL/api/v1/files/$FID/hls"

# rising RENDITION: init + every segment, concatenated; decode times of
# the video rise strictly from the first packet to the last.
rising() {
  local o="$1" out="$WORK/all-$1.mp4" s
  curl -sf "$H/init.mp4?o=$o" >"$out" || return 1
  for s in $(curl -sf "$H/media.m3u8?o=$o" | grep '^seg-'); do
    curl -sf "$H/$s" >>"$out" || return 1
  done
  ffprobe -v error -select_streams v -show_entries packet=dts -of csv=p=0 "$out" |
    python3 -c 'import sys
d = [int(l) for l in sys.stdin if l.strip()]
bad = [(a, b) for a, b in zip(d, d[1:]) if b <= a]
print(len(d), "packets,", len(bad), "going back", bad[:3], file=sys.stderr)
sys.exit(0 if len(d) > 200 and not bad else 1)'
}
silent() { # silent URL: ffmpeg decodes it to the end and prints nothing
  local err="$WORK/ffmpeg.err"
  ffmpeg -nostdin -v error -i "$1" -f null - 2>"$err" || return 1
  [ ! -s "$err" ] || { cat "$err" >&2; return 1; }
}

MASTER=$(curl -s "$H/master.m3u8")
check_contains "default client: both encoded" "video hevc: to h264; audio ac3: to aac" "$MASTER"
T=$(printf '%s\n' "$MASTER" | grep -v '^#' | head -1 | sed 's/.*o=//')
check "transcoded: decode times rise across every segment boundary" rising "$T"
check "transcoded: ffmpeg plays the master playlist silently" silent "$H/master.m3u8"

MASTER=$(curl -s "$H/master.m3u8?caps=hevc,aac")
check_contains "an HEVC client: video copied" "video hevc: copy" "$MASTER"
C=$(printf '%s\n' "$MASTER" | grep -v '^#' | head -1 | sed 's/.*o=//')
check "copied: decode times rise across every segment boundary" rising "$C"
check "copied: ffmpeg plays the master playlist silently" silent "$H/master.m3u8?caps=hevc,aac"

stop_server
finish
