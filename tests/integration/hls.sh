#!/usr/bin/env bash
# Integration: HLS through the real server, checked with real clients.
# A film that remuxes (H.264/AAC MKV with an embedded SRT track and a
# sidecar .es.forced.srt) and one that must be transcoded (HEVC/AC3):
# ffmpeg decodes each master playlist to the end without an error, ffprobe
# sees H.264/AAC, a middle segment asked for first (a seek) comes back, the
# WebVTT parses, and past the transcode limit the server answers 503.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

LIB="$WORK/films"
DB="$WORK/catalog.db"
A="$LIB/Remux Film (2020)/Remux Film (2020).mkv"
B="$LIB/Transcode Film (2021)/Transcode Film (2021).mkv"
C="$LIB/Third Film (2022)/Third Film (2022).mkv"
mkdir -p "$(dirname "$A")" "$(dirname "$B")" "$(dirname "$C")"
printf '1\n00:00:01,000 --> 00:00:02,500\nHello <b>there</b> & welcome\n\n2\n00:00:08,000 --> 00:00:09,000\nBye\n\n' >"$WORK/en.srt"
printf '1\n00:00:03,000 --> 00:00:04,000\nHola\n\n' >"${A%.mkv}.es.forced.srt"
# A sidecar that is a link out of the library: never listed, never read.
printf '1\n00:00:03,000 --> 00:00:04,000\nSecret\n\n' >"$WORK/outside.srt"
ln -s "$WORK/outside.srt" "${A%.mkv}.fr.srt"
ffmpeg -nostdin -v error -y -f lavfi -i testsrc=size=320x180:rate=25 \
  -f lavfi -i sine=f=440:sample_rate=48000 -i "$WORK/en.srt" -t 14 \
  -map 0:v -map 1:a -map 2:s -c:v libx264 -preset veryfast -g 25 -pix_fmt yuv420p \
  -c:a aac -ac 2 -c:s srt -metadata:s:s:0 language=eng "$A"
for f in "$B" "$C"; do
  ffmpeg -nostdin -v error -y -f lavfi -i testsrc=size=320x180:rate=25 \
    -f lavfi -i sine=f=330:sample_rate=48000 -t 8 \
    -c:v libx265 -preset ultrafast -x265-params log-level=none:keyint=25:min-keyint=25 \
    -c:a ac3 -ac 6 "$f"
done

export CINEMATECA_HLS_TRANSCODES=1
start_server --db "$DB" --web "$WORK/none" "$LIB" || { fail "server starts"; finish; exit 1; }
listed() { curl -s "$URL/api/v1/films" | grep -q '"total":3'; }
check "the films are cataloged" wait_until 60 listed
# Sidecar subtitles are the scanner's to find (the server lists no folder):
# wait for the first scan to end, then read what the catalog holds.
scanned() { curl -s "$URL/api/v1/status" | grep -q '"state": *"idle"'; }
check "the first scan ends" wait_until 60 scanned
check_eq "catalog: the forced Spanish sidecar, with its flags" "srt|es|1" \
  "$(sqlite3 "$DB" "SELECT format || '|' || language || '|' || is_forced FROM subtitles WHERE path LIKE '%.es.forced.srt'")"
check_eq "catalog: no sidecar linking out of the library" 0 \
  "$(sqlite3 "$DB" "SELECT count(*) FROM subtitles WHERE path LIKE '%outside%' OR path LIKE '%.fr.srt'")"
file_of() { # file_of TITLE: the file id of the film with that title
  local film
  film=$(curl -s "$URL/api/v1/films" | python3 -c 'import json,sys
for f in json.load(sys.stdin)["items"]:
    if f["title"] == sys.argv[1]: print(f["id"])' "$1")
  curl -s "$URL/api/v1/films/$film" | python3 -c 'import json,sys; print(json.load(sys.stdin)["files"][0]["id"])'
}
FA=$(file_of "Remux Film")
FB=$(file_of "Transcode Film")
FC=$(file_of "Third Film")
HA="$URL/api/v1/files/$FA/hls"
HB="$URL/api/v1/files/$FB/hls"

# plays URL SECONDS: ffmpeg decodes URL to the end, no error output, and
# the decoded duration is within one segment (6 s) of SECONDS.
plays() {
  local err="$WORK/ffmpeg.err" prog="$WORK/progress"
  ffmpeg -nostdin -v error -i "$1" -progress "$prog" -f null - 2>"$err" || return 1
  [ -s "$err" ] && { cat "$err" >&2; return 1; }
  local t
  t=$(sed -n 's/^out_time_us=//p' "$prog" | tail -1)
  python3 -c 'import sys; sys.exit(0 if abs(int(sys.argv[1])/1e6 - float(sys.argv[2])) <= 6 else 1)' "$t" "$2"
}
codecs() { ffprobe -v error -show_entries stream=codec_name -of csv=p=0 "$1" | awk 'NF && !seen[$0]++' | paste -sd, -; }

# ---- remux ----
MASTER=$(curl -s "$HA/master.m3u8")
check_contains "remux master: H.264 codecs" 'CODECS="avc1.' "$MASTER"
check_contains "remux master: copies both" "video h264: copy; audio aac: copy" "$MASTER"
check_contains "remux master: embedded subtitles listed" 'URI="subs/s2.m3u8"' "$MASTER"
check_contains "remux master: sidecar listed, forced" 'LANGUAGE="es",DEFAULT=NO,AUTOSELECT=YES,FORCED=YES,URI="subs/x0.m3u8"' "$MASTER"
check "a sidecar linking out of the library is not listed" test "${MASTER/LANGUAGE=\"fr\"/}" = "$MASTER"
MEDIA_URI=$(printf '%s\n' "$MASTER" | grep -v '^#' | head -1)
MEDIA=$(curl -s "$HA/$MEDIA_URI")
check_contains "media playlist: VOD" "#EXT-X-PLAYLIST-TYPE:VOD" "$MEDIA"
check_contains "media playlist: ends" "#EXT-X-ENDLIST" "$MEDIA"
SEGS=$(printf '%s\n' "$MEDIA" | grep -c '^seg-')
check_eq "media playlist: 14 s in 6 s segments" 3 "$SEGS"
MID=$(printf '%s\n' "$MEDIA" | grep '^seg-1\.')
check_eq "a middle segment first (a seek): 200" 200 "$(curl -s -o "$WORK/mid.m4s" -w '%{http_code}' "$HA/$MID")"
check_eq "the same segment again" 200 "$(curl -s -o "$WORK/mid2.m4s" -w '%{http_code}' "$HA/$MID")"
check "cut again, the same bytes" cmp -s "$WORK/mid.m4s" "$WORK/mid2.m4s"
check "remux: ffmpeg plays the master playlist to the end" plays "$HA/master.m3u8" 14
check_eq "remux: ffprobe sees h264,aac" "h264,aac" "$(codecs "$HA/$MEDIA_URI")"
T0=$(date +%s%N)
curl -s -o /dev/null "$HA/$(printf '%s\n' "$MEDIA" | grep '^seg-2\.')"
echo "# uncached remux segment: $(( ($(date +%s%N) - T0) / 1000000 )) ms"

# ---- subtitles ----
curl -s "$HA/subs/s2.vtt" >"$WORK/en.vtt"
check_contains "embedded WebVTT: the cue, escaped" "Hello there &amp; welcome" "$(cat "$WORK/en.vtt")"
check_contains "embedded WebVTT: mapped to the segments" "X-TIMESTAMP-MAP=MPEGTS:" "$(cat "$WORK/en.vtt")"
check "embedded WebVTT parses" ffmpeg -nostdin -v error -i "$WORK/en.vtt" -c:s webvtt -f webvtt -y "$WORK/en2.vtt"
check_contains "sidecar WebVTT" "Hola" "$(curl -s "$HA/subs/x0.vtt")"
check_contains "subtitle playlist" "x0.vtt" "$(curl -s "$HA/subs/x0.m3u8")"
check_eq "the link's place has no track: 404" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$HA/subs/x1.vtt")"
check_eq "unknown subtitle track: 404" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$HA/subs/s9.vtt")"

# ---- transcode ----
MASTER=$(curl -s "$HB/master.m3u8")
check_contains "transcode master: encodes both" "video hevc: to h264; audio ac3: to aac" "$MASTER"
check_contains "transcode master: 720p cap keeps small sizes" "RESOLUTION=320x180" "$MASTER"
BURI=$(printf '%s\n' "$MASTER" | grep -v '^#' | head -1)
BMEDIA=$(curl -s "$HB/$BURI")
LAST=$(printf '%s\n' "$BMEDIA" | grep '^seg-' | tail -1)
T0=$(date +%s%N)
check_eq "transcode: the last segment first (a seek)" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$HB/$LAST")"
echo "# transcoded segment after a seek: $(( ($(date +%s%N) - T0) / 1000000 )) ms"
check "transcode: ffmpeg plays the master playlist to the end" plays "$HB/master.m3u8" 8
check_eq "transcode: ffprobe sees h264,aac" "h264,aac" "$(codecs "$HB/$BURI")"

# The limit is one transcode: a second film is refused while the first
# playback's worker lives.
CMEDIA=$(curl -s "$URL/api/v1/files/$FC/hls/$BURI")
CSEG=$(printf '%s\n' "$CMEDIA" | grep '^seg-' | head -1)
check_eq "past the transcode limit: 503" 503 "$(curl -s -o "$WORK/busy.json" -w '%{http_code}' "$URL/api/v1/files/$FC/hls/$CSEG")"
check_contains "503 says why" "already converting" "$(cat "$WORK/busy.json")"

# ---- bad requests ----
check_eq "segment without a rendition: 400" 400 "$(curl -s -o /dev/null -w '%{http_code}' "$HA/seg-0.m4s")"
check_eq "segment past the end: 404" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$HA/seg-99.m4s?o=1-cc")"
check_eq "unknown HLS file: 404" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$HA/other.txt")"
check_eq "no such file id: 404" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/files/999999/hls/master.m3u8")"
check_eq "a bad audio choice: 400" 400 "$(curl -s -o /dev/null -w '%{http_code}' "$HA/master.m3u8?audio=x")"

stop_server
finish
