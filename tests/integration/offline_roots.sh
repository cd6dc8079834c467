#!/usr/bin/env bash
# Integration: a library folder that goes away (an empty mount point, a
# vanished folder, another device under the same path) is offline: nothing
# is removed, the API says "offline":true, and the films come back with
# their ids and watch state; scan --purge-missing removes what is gone.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

DB="$WORK/catalog.db"
LIB="$WORK/mnt/films"       # the library root, a mount point of sorts
make_clip "$WORK/base.mkv" 2
for t in "One (2001)" "Two (2002)"; do
  mkdir -p "$LIB/$t"
  cp "$WORK/base.mkv" "$LIB/$t/$t.mkv"
  printf '%s' "$t" >> "$LIB/$t/$t.mkv"
done
films() { "$CINEMATECA" films --db "$DB" 2>/dev/null | awk '{print $1}' | tr '\n' ' '; }
scan() { "$CINEMATECA" scan --db "$DB" --no-posters "$@" > "$WORK/scan.out" 2>&1; }

scan "$LIB"
check_eq "scan" 0 "$?"
IDS=$(films)
check_eq "two films" 2 "$(echo $IDS | wc -w)"

# Watch state to keep.
start_server --db "$DB" --no-watch "$LIB" || exit 1
curl -s "$URL/api/v1/films/1" > "$WORK/film.json"
FILE=$(json_get "$WORK/film.json" 'd["files"][0]["id"]')
curl -s -X PUT --data '{"position":1,"duration":2}' "$URL/api/v1/files/$FILE/progress" >/dev/null
stop_server

# 1. An empty mount point: the disk's files are not there any more.
mkdir "$WORK/away"
mv "$LIB"/* "$WORK/away/"
scan "$LIB"
check_eq "an empty root: the scan runs (exit 0)" 0 "$?"
check_contains "it says the folder is offline" "offline" "$(cat "$WORK/scan.out")"
check_contains "and that nothing was removed" "nothing was removed" "$(cat "$WORK/scan.out")"
check_eq "every film is kept, with its id" "$IDS" "$(films)"
start_server --db "$DB" --no-watch "$LIB" || exit 1
curl -s "$URL/api/v1/films" > "$WORK/films.json"
check_eq "the API marks its films offline" "True True" "$(json_get "$WORK/films.json" '" ".join(str(i["offline"]) for i in d["items"])')"
curl -s "$URL/api/v1/films/1" > "$WORK/film.json"
check_eq "an offline film keeps its watch state" "1.0" "$(json_get "$WORK/film.json" 'd["watch"]["position"]')"
curl -s "$URL/api/v1/status" > "$WORK/status.json"
check_eq "status names the offline folder" "['$LIB']" "$(json_get "$WORK/status.json" '[r["path"] for r in d["offline_roots"]]')"
check_eq "status says why and since when" "True True" \
  "$(json_get "$WORK/status.json" 'str(bool(d["offline_roots"][0]["reason"])) + " " + str(d["offline_roots"][0]["since"].endswith("Z"))')"
check_eq "status: the catalog's size on disk" True "$(json_get "$WORK/status.json" 'd["catalog"]["bytes"] >= '"$(stat -c %s "$DB")")"
check_eq "status: no transcode running" 0 "$(json_get "$WORK/status.json" 'd["transcodes"]["running"]')"
check_eq "status: today's backup listed" "$(date -u +%F).db" "$(json_get "$WORK/status.json" 'd["backups"][0]["name"]')"
stop_server
check_eq "its watch state is still in the catalog" 1 "$(sqlite3 "$DB" 'SELECT count(*) FROM watch WHERE file_id > 0')"

# 2. The disk comes back: the films are online again, as they were.
mv "$WORK/away"/* "$LIB/"
scan "$LIB"
check_contains "back: nothing added or removed" "0 added, 0 changed, 0 removed" "$(cat "$WORK/scan.out")"
check_eq "back: the same ids" "$IDS" "$(films)"
check_eq "back: online" 0 "$(sqlite3 "$DB" 'SELECT offline FROM roots')"
start_server --db "$DB" --no-watch "$LIB" || exit 1
check_eq "back: status lists no offline folder" "[]" "$(curl -s "$URL/api/v1/status" > "$WORK/status.json"; json_get "$WORK/status.json" 'd["offline_roots"]')"
stop_server

# 3. The folder vanishes altogether.
mv "$LIB" "$WORK/films-away"
scan "$LIB"
check_eq "a vanished root: the scan runs (exit 0)" 0 "$?"
check_contains "it is offline" "offline" "$(cat "$WORK/scan.out")"
check_eq "nothing removed" "$IDS" "$(films)"
mv "$WORK/films-away" "$LIB"

# 4. Another file system mounted over the same path (a tmpfs, in a user
# and mount namespace of the scan's own), holding none of the library's
# files: offline, nothing removed, nothing added.
if unshare -rm true 2>/dev/null; then
  unshare -rm sh -c 'mount -t tmpfs none "$1" && mkdir -p "$1/Stranger (1999)" &&
    cp "$2" "$1/Stranger (1999)/Stranger (1999).mkv" &&
    exec "$3" scan --db "$4" --no-posters "$1"' sh "$LIB" "$WORK/base.mkv" "$CINEMATECA" "$DB" \
    > "$WORK/scan.out" 2>&1
  check_contains "another device without its files: offline" "another device" "$(cat "$WORK/scan.out")"
  check_eq "nothing removed, nothing added" "$IDS" "$(films)"
  scan "$LIB"
  check_eq "the right disk again: online" 0 "$(sqlite3 "$DB" 'SELECT offline FROM roots')"
else
  pass "another device: skipped (no user namespaces to mount a file system in)"
fi

# 5. What is really gone can be removed on purpose.
mv "$LIB"/* "$WORK/away/"
scan "$LIB"
check_eq "without --purge-missing: kept" "$IDS" "$(films)"
scan --purge-missing "$LIB"
check_contains "--purge-missing removes them" "2 removed" "$(cat "$WORK/scan.out")"
check_eq "the catalog is empty" "" "$(films | tr -d ' ')"
check_eq "their watch state is set aside, not lost" 1 "$(sqlite3 "$DB" 'SELECT count(*) FROM watch WHERE file_id < 0')"
check_eq "catalog intact" ok "$(sqlite3 "$DB" 'PRAGMA integrity_check')"

finish
