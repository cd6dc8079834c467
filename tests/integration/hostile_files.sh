#!/usr/bin/env bash
# Integration: the scanner against hostile media and a hostile file system.
# Every case must end with a clear error recorded, the scan finishing in
# bounded time, the catalog intact (integrity_check) and nothing already
# cataloged lost. Run against the sanitized binary by `make check`.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

LIB="$WORK/lib"
DB="$WORK/c.db"
make_clip "$WORK/good.mkv" 2
make_clip "$WORK/good.mp4" 2
mkdir -p "$LIB/Good (2000)"
cp "$WORK/good.mkv" "$LIB/Good (2000)/Good (2000).mkv"

# --- hostile media, made from real clips ---
H="$LIB/hostile"
make_hostile_media "$WORK/good.mkv" "$WORK/good.mp4" "$H"

# --- hostile file system ---
mkdir -p "$LIB/loops/A (2011)"
cp "$WORK/good.mkv" "$LIB/loops/A (2011)/A (2011).mkv"
ln -s .. "$LIB/loops/A (2011)/up"
ln -s "$LIB/loops" "$LIB/loops/A (2011)/again"
ln -s /etc "$LIB/outside"
ln -s /etc/passwd "$LIB/Passwd (2012).mkv"
ln -s "$WORK/nowhere.mkv" "$LIB/Dangling (2013).mkv"
mkdir -p "$LIB/names"
cp "$WORK/good.mkv" "$LIB/names/$(printf 'Bad\xff\xfeName (2014).mkv')"
cp "$WORK/good.mkv" "$LIB/names/$(printf 'New\nLine (2015).mkv')"
long=$(printf 'L%.0s' $(seq 1 240))
cp "$WORK/good.mkv" "$LIB/names/${long} (2016).mkv"
mkfifo "$LIB/names/Fifo (2017).mkv"

# --- files that are really playlists naming other files ---
# A film outside the library, and files in it that are an HLS playlist and
# a concat list naming that film: no reader (probe, poster) may follow.
make_clip "$WORK/outside/Secret.mkv" 2
mkdir -p "$LIB/Playlist (2018)" "$LIB/Concat (2019)"
printf '#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:2,\n%s\n#EXT-X-ENDLIST\n' \
  "$WORK/outside/Secret.mkv" >"$LIB/Playlist (2018)/Playlist (2018).mkv"
printf "ffconcat version 1.0\nfile '%s'\n" "$WORK/outside/Secret.mkv" \
  >"$LIB/Concat (2019)/Concat (2019).mkv"

start=$(date +%s)
out=$(timeout 300 "$CINEMATECA" scan --db "$DB" "$LIB" 2>&1); rc=$?
elapsed=$(( $(date +%s) - start ))
check_eq "scan of hostile input exits 0" 0 "$rc"
check "scan of hostile input finishes in bounded time (${elapsed}s)" test "$elapsed" -lt 240
for f in "Zero (2001).mkv" "Header Only (2002).mkv" "Random (2006).mkv" "Text (2007).mp4"; do
  check_contains "error reported for $f" "$f" "$out"
done
for f in "Playlist (2018)" "Concat (2019)"; do
  check_eq "a file that is a playlist ($f) is recorded as not media" 1 \
    "$(sqlite3 "$DB" "SELECT count(*) FROM files WHERE path LIKE '%/$f.mkv' AND probe_error IS NOT NULL")"
  film=$(sqlite3 "$DB" "SELECT film_id FROM files WHERE path LIKE '%/$f.mkv'")
  check "no poster cut from the film a playlist ($f) names" test ! -e "$DB.cache/posters/$film.jpg"
done
check "a poster is cut from a real film (the check above can see one)" \
  test -e "$DB.cache/posters/$(sqlite3 "$DB" "SELECT film_id FROM files WHERE path LIKE '%/Good (2000).mkv'").jpg"
check_eq "catalog passes integrity_check" ok "$(sqlite3 "$DB" 'PRAGMA integrity_check')"
check_eq "the good film is cataloged" 1 "$(sqlite3 "$DB" "SELECT count(*) FROM files WHERE path LIKE '%/Good (2000).mkv' AND probe_error IS NULL")"
check "every hostile file has a probe error or a bounded description" \
  test "$(sqlite3 "$DB" "SELECT count(*) FROM files WHERE path LIKE '%/hostile/%' AND probe_error IS NULL AND length(coalesce(tag_title,'')) > 10000")" = 0
check_eq "zero-length file recorded as an error" 1 "$(sqlite3 "$DB" "SELECT count(*) FROM files WHERE path LIKE '%Zero (2001).mkv' AND probe_error IS NOT NULL")"
check "many-streams file: streams bounded" test "$(sqlite3 "$DB" "SELECT count(*) FROM streams s JOIN files f ON f.id = s.file_id WHERE f.path LIKE '%Many Streams%'")" -le 64
check_eq "symlink to /etc/passwd not cataloged" 0 "$(sqlite3 "$DB" "SELECT count(*) FROM files WHERE path LIKE '%Passwd%'")"
check_eq "nothing outside the library cataloged" 0 "$(sqlite3 "$DB" "SELECT count(*) FROM files WHERE path NOT LIKE '$LIB/%'")"
check_contains "symlink leaving the library reported" "outside the library" "$out"
check_eq "symlink loop walked once" 1 "$(sqlite3 "$DB" "SELECT count(*) FROM files WHERE path LIKE '%/A (2011).mkv'")"
check_eq "name with invalid UTF-8 cataloged" 1 "$(sqlite3 "$DB" "SELECT count(*) FROM files WHERE path LIKE '%Name (2014).mkv' AND probe_error IS NULL")"
check_eq "name with a newline cataloged" 1 "$(sqlite3 "$DB" "SELECT count(*) FROM files WHERE path LIKE '%Line (2015).mkv' AND probe_error IS NULL")"
check_eq "255-byte name cataloged" 1 "$(sqlite3 "$DB" "SELECT count(*) FROM files WHERE path LIKE '%LLLL (2016).mkv' AND probe_error IS NULL")"
check_eq "a FIFO named .mkv is not a video file" 0 "$(sqlite3 "$DB" "SELECT count(*) FROM files WHERE path LIKE '%Fifo%'")"
"$CINEMATECA" films --db "$DB" --json > "$WORK/films.json"; rc=$?
check_eq "films --json works on the hostile catalog" 0 "$rc"
check "films --json output is valid JSON" python3 -c "import json; json.load(open('$WORK/films.json'))"

# A file that vanishes between two scans, and a folder that becomes
# unreadable: the first leaves the catalog, the second's films stay.
before=$(sqlite3 "$DB" 'SELECT count(*) FROM files')
rm "$H/Random (2006).mkv"
if id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null; then
  chown -R nobody "$DB" "$DB"* "$WORK" 2>/dev/null
  chmod 755 "$WORK"
  chown root "$LIB/loops"
  chmod 700 "$LIB/loops"
  out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups "$CINEMATECA" scan --db "$DB" "$LIB" 2>&1); rc=$?
  chmod 755 "$LIB/loops"
  check_eq "rescan as another user exits 0" 0 "$rc"
  check_contains "unreadable folder reported" "cannot read folder" "$out"
  check_eq "films under an unreadable folder are kept" 1 "$(sqlite3 "$DB" "SELECT count(*) FROM files WHERE path LIKE '%/A (2011).mkv'")"
  check_eq "vanished file left the catalog" $((before - 1)) "$(sqlite3 "$DB" 'SELECT count(*) FROM files')"
else
  "$CINEMATECA" scan --db "$DB" "$LIB" >/dev/null 2>&1
  check_eq "vanished file left the catalog" $((before - 1)) "$(sqlite3 "$DB" 'SELECT count(*) FROM files')"
fi

# A full disk for the catalog: file-size limit makes writes fail (EFBIG).
FULL="$WORK/full.db"
cp "$DB" "$FULL"; rm -f "$FULL-wal" "$FULL-shm"
sqlite3 "$FULL" 'PRAGMA journal_mode=WAL' >/dev/null
films_before=$(sqlite3 "$FULL" 'SELECT count(*) FROM films')
mkdir -p "$WORK/more"
for i in $(seq 1 40); do mkdir -p "$WORK/more/M $i (2020)"; cp "$WORK/good.mkv" "$WORK/more/M $i (2020)/M $i (2020).mkv"; done
# Room to open the catalog, not to write the scan's results.
limit=$(( $(stat -c %s "$FULL") / 1024 + 24 ))
out=$(bash -c "trap '' XFSZ; ulimit -f $limit; exec \"$CINEMATECA\" scan --db \"$FULL\" \"$WORK/more\"" 2>&1); rc=$?
check "full disk: scan fails" test "$rc" -ne 0
check_contains "full disk: clear message" "scan failed" "$out"
check_eq "full disk: catalog still passes integrity_check" ok "$(sqlite3 "$FULL" 'PRAGMA integrity_check')"
check_eq "full disk: nothing already cataloged lost" "$films_before" "$(sqlite3 "$FULL" "SELECT count(*) FROM films WHERE key NOT LIKE '$WORK/more/%'")"

# Files that vanish or change while a scan runs (between the listing and
# the probe): 300 files, half deleted and a quarter truncated as soon as
# the scan starts. The scan must finish cleanly, and the next one must
# leave exactly the files that are still there.
RACE="$WORK/race"
for i in $(seq 1 300); do
  mkdir -p "$RACE/R $i (2019)"
  cp "$WORK/good.mkv" "$RACE/R $i (2019)/R $i (2019).mkv"
done
"$CINEMATECA" scan --quiet --db "$WORK/race.db" "$RACE" > "$WORK/race.out" 2>&1 & scan_pid=$!
for i in $(seq 1 2 300); do rm -f "$RACE/R $i (2019)/R $i (2019).mkv"; done
for i in $(seq 2 4 300); do : > "$RACE/R $i (2019)/R $i (2019).mkv"; done
wait "$scan_pid"; rc=$?
check_eq "files vanishing mid-scan: the scan exits 0" 0 "$rc"
check_eq "files vanishing mid-scan: integrity_check" ok "$(sqlite3 "$WORK/race.db" 'PRAGMA integrity_check')"
echo "mid-scan: the first scan saw $(sqlite3 "$WORK/race.db" 'SELECT count(*) FROM files') files, $(sqlite3 "$WORK/race.db" 'SELECT count(*) FROM files WHERE probe_error IS NOT NULL') failed"
"$CINEMATECA" scan --quiet --db "$WORK/race.db" "$RACE" >/dev/null 2>&1
check_eq "the next scan keeps exactly the files still there" 150 "$(sqlite3 "$WORK/race.db" 'SELECT count(*) FROM files')"
check_eq "and the emptied ones are recorded as failures" 75 "$(sqlite3 "$WORK/race.db" 'SELECT count(*) FROM files WHERE probe_error IS NOT NULL')"

# A library on a read-only mount, and a catalog on a tmpfs that fills up,
# where this machine lets the test mount (root, or a user namespace).
if mkdir -p "$WORK/ro" && mount --bind "$WORK/more" "$WORK/ro" 2>/dev/null; then
  if mount -o remount,ro,bind "$WORK/ro" 2>/dev/null; then
    listing_before=$(cd "$WORK/ro" && find . | sort | md5sum)
    out=$("$CINEMATECA" scan --db "$WORK/ro.db" "$WORK/ro" 2>&1); rc=$?
    check_eq "read-only library: scan exits 0" 0 "$rc"
    check_eq "read-only library: every film cataloged" 40 "$(sqlite3 "$WORK/ro.db" 'SELECT count(*) FROM films')"
    check_eq "read-only library: nothing written into it" "$listing_before" "$(cd "$WORK/ro" && find . | sort | md5sum)"
  else
    echo "skip - read-only remount not permitted here"
  fi
  umount "$WORK/ro"
else
  echo "skip - mounting not permitted here: read-only library case not run"
fi
# 8 MB: "room again" must be room for a scan's write-ahead log, which a
# background pass reading alongside can keep from being checkpointed (seen
# at 1.5 MB for these 40 films on a 370 kB catalog).
if mkdir -p "$WORK/tmpfs" && mount -t tmpfs -o size=8m tmpfs "$WORK/tmpfs" 2>/dev/null; then
  cp "$DB" "$WORK/tmpfs/c.db"; rm -f "$WORK/tmpfs/c.db-wal" "$WORK/tmpfs/c.db-shm"
  films_before=$(sqlite3 "$WORK/tmpfs/c.db" 'SELECT count(*) FROM films')
  # Leave a few kilobytes free.
  head -c "$(( $(df -B1 --output=avail "$WORK/tmpfs" | tail -1) - 16384 ))" /dev/zero > "$WORK/tmpfs/filler" 2>/dev/null
  out=$("$CINEMATECA" scan --db "$WORK/tmpfs/c.db" "$WORK/more" 2>&1); rc=$?
  check "full tmpfs: scan fails" test "$rc" -ne 0
  check_contains "full tmpfs: clear message" "No space left on device" "$out"
  rm -f "$WORK/tmpfs/filler"
  check_eq "full tmpfs: catalog passes integrity_check" ok "$(sqlite3 "$WORK/tmpfs/c.db" 'PRAGMA integrity_check')"
  check_eq "full tmpfs: nothing already cataloged lost" "$films_before" "$(sqlite3 "$WORK/tmpfs/c.db" "SELECT count(*) FROM films WHERE key NOT LIKE '$WORK/more/%'")"
  out=$("$CINEMATECA" scan --db "$WORK/tmpfs/c.db" "$WORK/more" 2>&1); rc=$?
  check_eq "full tmpfs: with room again the scan completes" 0 "$rc" || echo "$out" | tail -5 | sed "s/^/# /"
  umount "$WORK/tmpfs"
else
  echo "skip - mounting not permitted here: tmpfs full-disk case not run (the ulimit case above ran)"
fi

finish
