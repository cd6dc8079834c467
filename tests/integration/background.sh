#!/usr/bin/env bash
# Integration: the background pass after a scan, as `serve` runs it: films
# are in the catalog before their posters; posters are cut for films without
# one; every playable file gets a keyframe index stored in the catalog (in
# media's serialized format); a file that changes loses its old index and
# gets a new one; an unplayable file gets none and breaks nothing.
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
finish
