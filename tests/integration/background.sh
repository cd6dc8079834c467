#!/usr/bin/env bash
# Integration: the background pass after a scan, as `serve` runs it: films
# are in the catalog before their posters; posters are cut for films without
# one; every playable file gets a keyframe index stored in the catalog (in
# media's serialized format); a file that changes loses its old index and
# gets a new one; an unplayable file gets none and breaks nothing; a file
# that gives no poster or index is not read again until it changes.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

LIB="$WORK/films"
DB="$WORK/catalog.db"
make_clip "$LIB/Volver (2006)/Volver (2006).mkv" 3
make_clip "$LIB/Julieta (2016)/Julieta (2016).mp4" 2
mkdir -p "$LIB/Broken (2001)"
head -c 5000 /dev/urandom > "$LIB/Broken (2001)/Broken (2001).mkv"

q() { sqlite3 "$DB" "$1" 2>/dev/null; }
indexed() { [ "$(q 'SELECT count(*) FROM keyframes')" = "$1" ]; }
postered() { [ "$(q "SELECT count(*) FROM artwork WHERE kind = 'poster' AND generated = 1")" = "$1" ]; }

start_server --db "$DB" "$LIB" || { fail "server starts"; finish; exit 1; }
check "both playable files get a keyframe index" wait_until 60 indexed 2
check "both films get a generated poster" wait_until 60 postered 2
check_eq "the broken file has none" 0 \
  "$(q "SELECT count(*) FROM keyframes k JOIN files f ON f.id = k.file_id WHERE f.path LIKE '%Broken%'")"
check_eq "indexes are media's format (non-empty blobs)" 2 \
  "$(q 'SELECT count(*) FROM keyframes WHERE length(data) > 16')"
VOLVER=$(q "SELECT id FROM files WHERE path LIKE '%Volver%'")
old=$(q "SELECT hex(data) FROM keyframes WHERE file_id = $VOLVER")

# Streaming goes on while the pass runs.
code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/files/$VOLVER/hls/master.m3u8")
check_eq "HLS master playlist answers" 200 "$code"

# The file changes (longer, other content): the old index goes, a new one comes.
make_clip "$WORK/new.mkv" 6
mv "$WORK/new.mkv" "$LIB/Volver (2006)/Volver (2006).mkv"
changed() {
  local now
  now=$(q "SELECT hex(data) FROM keyframes WHERE file_id = $VOLVER")
  [ -n "$now" ] && [ "$now" != "$old" ]
}
check "a changed file gets a new index" wait_until 90 changed

stop_server
check_eq "the server stops cleanly with the pass done" 0 "$?"

# A film with no picture (sound only): it probes, but gives neither a
# poster nor a keyframe index. The failure is remembered with the file as
# it was, and the file is not read again on every pass, only once it
# changes (before: tried again on every pass).
ffmpeg -nostdin -v error -y -f lavfi -i "sine=frequency=330:sample_rate=22050" -t 2 \
  -c:a aac -b:a 32k "$WORK/radio.mka"
mkdir -p "$LIB/Radio (1999)"
cp "$WORK/radio.mka" "$LIB/Radio (1999)/Radio (1999).mkv"
attempts() { grep -c "no $1 .*Radio" "$2"; }
export CINEMATECA_LOG=debug
"$CINEMATECA" scan --db "$DB" "$LIB" >/dev/null 2>"$WORK/scan1.err"
check_eq "scan: the sound-only film probes" "" \
  "$(q "SELECT probe_error FROM files WHERE path LIKE '%Radio%'")"
check_eq "scan: its poster is tried once" 1 "$(attempts poster "$WORK/scan1.err")"
check_eq "the failure is recorded with the file's size" \
  "poster $(stat -c %s "$LIB/Radio (1999)/Radio (1999).mkv")" \
  "$(q "SELECT r.work, r.size FROM retries r JOIN files f ON f.id = r.file_id WHERE f.path LIKE '%Radio%'" | tr '|' ' ')"
"$CINEMATECA" scan --db "$DB" "$LIB" >/dev/null 2>"$WORK/scan2.err"
check_eq "the next scan does not try the unchanged file again" 0 "$(attempts poster "$WORK/scan2.err")"

start_server --db "$DB" "$LIB" || { fail "server starts"; finish; exit 1; }
radio_failed() { [ "$(q "SELECT count(*) FROM retries r JOIN files f ON f.id = r.file_id WHERE f.path LIKE '%Radio%' AND work = 'keyframes'")" = 1 ]; }
check "the background pass records its failed keyframe index" wait_until 60 radio_failed
FIRST_LOG="$SERVER_LOG"
stop_server
start_server --db "$DB" "$LIB" || { fail "server starts"; finish; exit 1; }
make_clip "$LIB/Hable con ella (2002)/Hable con ella (2002).mkv" 2
indexed_new() { [ "$(q "SELECT count(*) FROM keyframes k JOIN files f ON f.id = k.file_id WHERE f.path LIKE '%Hable%'")" = 1 ]; }
check "a pass runs again (a new film gets its index)" wait_until 90 indexed_new
check_eq "that pass reads the unchanged sound-only file no more" 0 "$(attempts "keyframe index" "$SERVER_LOG")"
stop_server
check_eq "(the first pass had tried it once)" 1 "$(attempts "keyframe index" "$FIRST_LOG")"

# The file changes: it is tried again.
ffmpeg -nostdin -v error -y -f lavfi -i "sine=frequency=220:sample_rate=22050" -t 3 \
  -c:a aac -b:a 32k "$WORK/radio3.mka"
mv "$WORK/radio3.mka" "$LIB/Radio (1999)/Radio (1999).mkv"
"$CINEMATECA" scan --db "$DB" "$LIB" >/dev/null 2>"$WORK/scan3.err"
check_eq "a changed file is tried again" 1 "$(attempts poster "$WORK/scan3.err")"
finish
