#!/usr/bin/env bash
# Integration (issue 10, item 2): one client asking for every HLS segment
# of a transcoded 600 s film at once must not stall the server. While 151
# segment requests run in parallel, a 100-byte range of another film and
# /api/v1/status still answer, and succeed (the bound, 5 s, is generous:
# this is about answering at all, not about speed). Segments that were not
# ready are refused with 503 and a Retry-After, and a later request for
# one of them gets it.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

LIB="$WORK/films"
DB="$WORK/catalog.db"
LONG="$LIB/Long Film (2019)/Long Film (2019).mkv"
OTHER="$LIB/Other Film (2018)/Other Film (2018).mkv"
mkdir -p "$(dirname "$LONG")"
# 600 s at 96x54 and 5 fps: seconds to make, and every segment of its
# transcoded rendition is real work for the server.
ffmpeg -nostdin -v error -y -f lavfi -i "testsrc2=size=96x54:rate=5" \
  -f lavfi -i "sine=f=330:sample_rate=48000" -t 600 -c:v libx264 -preset ultrafast -g 50 \
  -pix_fmt yuv420p -c:a aac -b:a 32k -ac 1 "$LONG" || { fail "could not make the film"; finish; exit 1; }
make_clip "$OTHER" 4

start_server --db "$DB" --web "$WORK/none" "$LIB" || { fail "server starts"; finish; exit 1; }
listed() { curl -s "$URL/api/v1/films" | grep -q '"total":2'; }
check "the films are cataloged" wait_until 60 listed
file_of() { # file_of TITLE: the file id of the film with that title
  local film
  film=$(curl -s "$URL/api/v1/films" | python3 -c 'import json,sys
for f in json.load(sys.stdin)["items"]:
    if f["title"] == sys.argv[1]: print(f["id"])' "$1")
  curl -s "$URL/api/v1/films/$film" | python3 -c 'import json,sys; print(json.load(sys.stdin)["files"][0]["id"])'
}
FL=$(file_of "Long Film")
FO=$(file_of "Other Film")
H="$URL/api/v1/files/$FL/hls"
# The transcoded rendition (video and sound encoded), named as the master
# playlist of a client that plays neither would name it.
MEDIA=$(curl -s --max-time 60 "$H/media.m3u8?o=1-tt")
SEGS=$(printf '%s\n' "$MEDIA" | grep '^seg-')
check_eq "600 s in 151 transcoded segments" 151 "$(printf '%s\n' "$SEGS" | grep -c .)"

mkdir -p "$WORK/segs"
PARALLEL=()
i=0
for s in $SEGS; do
  curl -s --max-time 90 -D "$WORK/segs/$i.h" -o /dev/null -w '%{http_code}\n' "$H/$s" \
    >"$WORK/segs/$i.code" 2>/dev/null &
  PARALLEL+=($!)
  i=$((i + 1))
done
sleep 2 # the segment requests are in

RANGE=$(curl -s --max-time 5 -r 0-99 -o "$WORK/range" -w '%{http_code}' "$URL/api/v1/files/$FO/stream")
check_eq "while they run: a 100-byte range of another film answers" 206 "$RANGE"
check_eq "...with 100 bytes" 100 "$(stat -c %s "$WORK/range" 2>/dev/null)"
STATUS=$(curl -s --max-time 5 -o "$WORK/status" -w '%{http_code}' "$URL/api/v1/status")
check_eq "while they run: /api/v1/status answers" 200 "$STATUS"
# Another client (another loopback address): its HLS requests are not
# counted with the first one's.
MASTER=$(curl -s --interface 127.0.0.2 --max-time 20 -o /dev/null -w '%{http_code}' \
  "$URL/api/v1/files/$FO/hls/master.m3u8")
check_eq "while they run: another client gets another film's master playlist" 200 "$MASTER"

for pid in "${PARALLEL[@]}"; do wait "$pid"; done
OK=$(cat "$WORK"/segs/*.code | grep -c '^200$')
BUSY=$(cat "$WORK"/segs/*.code | grep -c '^503$')
OTHERS=$(cat "$WORK"/segs/*.code | grep -vc '^200$\|^503$')
echo "# parallel segment requests: $OK answered 200, $BUSY answered 503"
check_eq "every parallel request got an answer (200 or 503)" 0 "$OTHERS"
check "some of them were served" test "$OK" -ge 1
retry_after() { # every 503 carries Retry-After
  local c
  for c in "$WORK"/segs/*.code; do
    [ "$(cat "$c")" = 503 ] || continue
    grep -qi '^Retry-After: [0-9]' "${c%.code}.h" || return 1
  done
}
check "every 503 carries Retry-After" retry_after
LAST=$(printf '%s\n' "$SEGS" | tail -1)
fetch_last() { [ "$(curl -s --max-time 60 -o /dev/null -w '%{http_code}' "$H/$LAST")" = 200 ]; }
check "asked again, a refused segment comes" wait_until 120 fetch_last

stop_server
finish
