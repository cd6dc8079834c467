#!/usr/bin/env bash
# Integration: what the player's own controls ask of the server.
# - Trickplay: after a scan, serve's background pass cuts a sheet of preview
#   frames per file (one every 10 s, 160 px wide), trickplay.json names its
#   layout and URL, the sheet is a JPEG of columns x rows tiles, and the
#   routes are guarded as the file's stream is (a signed URL works; nothing
#   else without a session when accounts exist).
# - Chapters: /chapters lists what the probe recorded.
# - Compression: JSON and the web app's text go gzip or brotli when the
#   client asks, with Vary: Accept-Encoding; never media (stream, HLS
#   segments, images, trickplay sheets); a refused coding (q=0) is honoured.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

LIB="$WORK/films"
DB="$WORK/catalog.db"
# 65 s with three chapters: 6 tiles at one every 10 s.
META="$WORK/chapters.txt"
cat > "$META" <<'META'
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
mkdir -p "$LIB/Volver (2006)"
ffmpeg -nostdin -v error -y -f lavfi -i "testsrc=size=854x480:rate=5" \
  -f lavfi -i "sine=frequency=440:sample_rate=22050" -i "$META" -map_metadata 2 -map 0 -map 1 \
  -t 65 -c:v libx264 -preset ultrafast -g 25 -pix_fmt yuv420p -c:a aac -b:a 32k -ac 1 \
  "$LIB/Volver (2006)/Volver (2006).mkv"

start_server --db "$DB" "$LIB" || { fail "server starts"; finish; exit 1; }
cataloged() { [ -n "$(sqlite3 "$DB" "SELECT id FROM files LIMIT 1" 2>/dev/null)" ]; }
check "the film is cataloged" wait_until 300 cataloged
FILE=$(sqlite3 "$DB" "SELECT id FROM files LIMIT 1")
has_sheet() { curl -sf "$URL/api/v1/files/$FILE/trickplay.json" >/dev/null; }
check "the background pass makes trickplay sheets" wait_until 600 has_sheet
curl -s "$URL/api/v1/files/$FILE/trickplay.json" > "$WORK/tp.json"
check_eq "one tile every 10 s" 10.0 "$(json_get "$WORK/tp.json" 'd["interval"]')"
check_eq "tiles 160 px wide" 160 "$(json_get "$WORK/tp.json" 'd["tile_width"]')"
check_eq "tile height from the aspect (16:9)" 90 "$(json_get "$WORK/tp.json" 'd["tile_height"]')"
check_eq "six tiles for 65 s" 6 "$(json_get "$WORK/tp.json" 'd["tiles"]')"
SHEET=$(json_get "$WORK/tp.json" 'd["sheets"][0]')
check_eq "one sheet, by URL" "/api/v1/files/$FILE/trickplay-0.jpg" "$SHEET"
curl -s -D "$WORK/sheet.h" -o "$WORK/sheet.jpg" -H 'Accept-Encoding: gzip, br' "$URL$SHEET"
dims=$(ffprobe -v error -select_streams v:0 -show_entries stream=width,height -of csv=p=0 "$WORK/sheet.jpg")
check_eq "the sheet is a JPEG of 10 columns, one row" "1600,90" "$dims"
check_contains "the sheet is image/jpeg" "image/jpeg" "$(cat "$WORK/sheet.h")"
if grep -qi '^content-encoding' "$WORK/sheet.h"; then fail "images are never compressed"; else pass "images are never compressed"; fi
# Tile 2 (20-30 s) differs from tile 0 (testsrc moves): the frames are
# really from their times, not one frame repeated.
ffmpeg -nostdin -v error -y -i "$WORK/sheet.jpg" -vf "crop=160:90:0:0" "$WORK/t0.png"
ffmpeg -nostdin -v error -y -i "$WORK/sheet.jpg" -vf "crop=160:90:320:0" "$WORK/t2.png"
if cmp -s "$WORK/t0.png" "$WORK/t2.png"; then fail "tiles differ over time"; else pass "tiles differ over time"; fi
check_eq "no sheet 1" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/files/$FILE/trickplay-1.jpg")"
check_eq "no sheet 01 (one spelling per sheet)" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/files/$FILE/trickplay-01.jpg")"
check_eq "no trickplay for an unknown file" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/files/999/trickplay.json")"
check "the sheet is in the catalog's cache" test -f "$DB.cache/trickplay/$FILE-$(stat -c %s "$LIB/Volver (2006)/Volver (2006).mkv")-"*.txt

curl -s "$URL/api/v1/files/$FILE/chapters" > "$WORK/ch.json"
check_eq "three chapters" 3 "$(json_get "$WORK/ch.json" 'len(d["chapters"])')"
check_eq "chapter titles and starts" "Opening@0 The Middle@20 End Credits@45" \
  "$(json_get "$WORK/ch.json" '" ".join("%s@%d" % (c["title"], round(c["start"])) for c in d["chapters"])')"

# ---- compression ----
hdr() { curl -s -D - -o "$WORK/body" "$@" | tr -d '\r'; }
h=$(hdr -H 'Accept-Encoding: gzip' "$URL/api/v1/films")
check_contains "JSON gzip'd when asked" "Content-Encoding: gzip" "$h"
check_contains "JSON says Vary: Accept-Encoding" "Vary: Accept-Encoding" "$h"
check "the gzip body is the JSON" sh -c "gzip -dc '$WORK/body' | python3 -c 'import json,sys; json.load(sys.stdin)'"
h=$(hdr -H 'Accept-Encoding: gzip, deflate, br' "$URL/api/v1/films/1")
check_contains "JSON in brotli when asked (preferred to gzip)" "Content-Encoding: br" "$h"
if command -v python3 >/dev/null && python3 -c 'import brotli' 2>/dev/null; then
  check "the brotli body is the JSON" python3 -c "import brotli,json; json.loads(brotli.decompress(open('$WORK/body','rb').read()))"
fi
h=$(hdr "$URL/api/v1/films")
if [[ "$h" == *Content-Encoding* ]]; then fail "no coding without Accept-Encoding"; else pass "no coding without Accept-Encoding"; fi
check_contains "Vary even when not compressed" "Vary: Accept-Encoding" "$h"
h=$(hdr -H 'Accept-Encoding: br;q=0, gzip;q=0.5' "$URL/api/v1/films")
check_contains "q=0 refuses brotli" "Content-Encoding: gzip" "$h"
h=$(hdr -H 'Accept-Encoding: gzip' "$URL/app.js")
check_contains "the web app's scripts gzip'd" "Content-Encoding: gzip" "$h"
check "the gzip'd script is app.js" sh -c "gzip -dc '$WORK/body' | cmp -s - '$(dirname "$0")/../../web/app.js'"
h=$(hdr -H 'Accept-Encoding: br' "$URL/vendor/hls.min.js")
check_contains "hls.js in brotli (precompressed at build)" "Content-Encoding: br" "$h"
size_br=$(stat -c %s "$WORK/body")
size_plain=$(curl -s "$URL/vendor/hls.min.js" | wc -c)
check "brotli'd hls.js is smaller than a third of it" test "$((size_br * 3))" -lt "$size_plain"
etag=$(echo "$h" | sed -n 's/^ETag: //p')
check_eq "revalidating the brotli copy: 304" 304 \
  "$(curl -s -o /dev/null -w '%{http_code}' -H 'Accept-Encoding: br' -H "If-None-Match: $etag" "$URL/vendor/hls.min.js")"
check_eq "the brotli ETag is not the plain file's" 200 \
  "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$URL/vendor/hls.min.js")"
h=$(hdr -H 'Accept-Encoding: gzip, br' "$URL/")
check_contains "the page itself compressed" "Content-Encoding: br" "$h"
check_contains "the page keeps its CSP" "Content-Security-Policy:" "$h"
h=$(hdr -H 'Accept-Encoding: gzip, br' -H 'Range: bytes=0-99' "$URL/api/v1/files/$FILE/stream")
if [[ "$h" == *Content-Encoding* ]]; then fail "the stream is never compressed"; else pass "the stream is never compressed"; fi
check_contains "the stream still honours Range" "206" "$(echo "$h" | head -1)"
h=$(hdr -H 'Accept-Encoding: gzip, br' "$URL/api/v1/files/$FILE/hls/master.m3u8")
MEDIA=$(grep -v '^#' "$WORK/body" | head -1)
h=$(hdr -H 'Accept-Encoding: gzip, br' "$URL/api/v1/files/$FILE/hls/$MEDIA")
SEG=$(grep -v '^#' "$WORK/body" | head -1)
INIT=$(sed -n 's/.*URI="\([^"]*\)".*/\1/p' "$WORK/body" | head -1)
for part in "$INIT" "$SEG"; do
  h=$(hdr -H 'Accept-Encoding: gzip, br' "$URL/api/v1/files/$FILE/hls/$part")
  code=$(echo "$h" | head -1)
  for _ in $(seq 1 60); do [[ "$code" == *503* ]] || break; sleep 0.5
    h=$(hdr -H 'Accept-Encoding: gzip, br' "$URL/api/v1/files/$FILE/hls/$part"); code=$(echo "$h" | head -1); done
  check_contains "HLS $part answers" "200" "$code"
  if [[ "$h" == *Content-Encoding* ]]; then fail "HLS $part never compressed"; else pass "HLS $part never compressed"; fi
done
h=$(hdr -H 'Accept-Encoding: gzip, br' "$URL/api/v1/films/1/poster")
if [[ "$h" == *Content-Encoding* ]]; then fail "posters never compressed"; else pass "posters never compressed"; fi

# Quality: a transcode capped at a height the player's menu offers.
curl -s -o "$WORK/m360.m3u8" -w '%{http_code}' "$URL/api/v1/files/$FILE/hls/master.m3u8?caps=none&height=360" > "$WORK/code"
check_eq "master with height=360 answers" 200 "$(cat "$WORK/code")"
check_contains "it announces 640x360" "RESOLUTION=640x360" "$(cat "$WORK/m360.m3u8")"
check_contains "its rendition is named for the height" "-h360" "$(cat "$WORK/m360.m3u8")"
check_eq "a height not offered is refused" 400 \
  "$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/files/$FILE/hls/master.m3u8?caps=none&height=500")"
check_eq "a rendition name with an odd height is refused" 400 \
  "$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/files/$FILE/hls/media.m3u8?o=1-tt-h500")"
got=$(ffprobe -v error -select_streams v:0 -show_entries stream=width,height -of csv=p=0 \
  "$URL/api/v1/files/$FILE/hls/master.m3u8?caps=none&height=360" 2>/dev/null | head -1)
check_eq "the transcoded picture is 640x360 (from 854x480)" "640,360" "$got"

# A restricted route stays restricted: with an account, no session, 401.
stop_server
printf "a long enough password\n" | "$CINEMATECA" user add --db "$DB" --admin --password-stdin admin >/dev/null 2>&1
start_server --db "$DB" "$LIB" || { fail "server restarts"; finish; exit 1; }
check_eq "trickplay.json needs a session once accounts exist" 401 \
  "$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/files/$FILE/trickplay.json")"
check_eq "so do chapters" 401 "$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/files/$FILE/chapters")"
stop_server
check_eq "the server stops cleanly" 0 "$?"
# Under the sanitizers, every server run here is checked too.
check_no_sanitizer_reports "the servers ran without sanitizer reports"
finish
