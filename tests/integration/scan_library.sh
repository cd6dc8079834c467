#!/usr/bin/env bash
# Integration: scan a generated library of tiny clips and check what the
# catalog says, then rescan after changes (unchanged, moved, changed,
# removed), bad input, and kill -9 in the middle of a scan.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

LIB="$WORK/films"
DB="$WORK/catalog.db"
make_clip "$WORK/base.mkv" 2 -metadata:s:a:0 language=spa
make_clip "$WORK/base.mp4" 1
put() { mkdir -p "$(dirname "$LIB/$1")"; cp "$WORK/base.${2:-mkv}" "$LIB/$1"; }

put "Pain and Glory (2019)/Pain and Glory (2019).mkv"
put "Pain and Glory (2019)/Interviews/Q&A with Pedro Almodóvar and Antonio Banderas.mkv"
put "Pain and Glory (2019)/Interviews/Pedro Almodóvar - In His Own Words.mkv"
put "Pain and Glory (2019)/Clips/Clip 1.mp4" mp4
put "Pain and Glory (2019)/Clips/Clip 2.mp4" mp4
put "Pain and Glory (2019)/Clips/Clip 3.mp4" mp4
put "Pain and Glory (2019)/Pain and Glory (2019)-trailer.mkv"
put "Blade.Runner.2049.2017.2160p.UHD.BluRay.x265-GROUP.mkv"
put "1917 (2019)/1917 (2019).mp4" mp4
put "2001 A Space Odyssey (1968)/2001 A Space Odyssey (1968) - cd1.mkv"
put "2001 A Space Odyssey (1968)/2001 A Space Odyssey (1968) - cd2.mkv"
put "Amélie (2001) [imdbid-tt0211915]/Amélie (2001) [imdbid-tt0211915] - Final Cut.mkv"
put "Amélie (2001) [imdbid-tt0211915]/Amélie (2001) [imdbid-tt0211915] - 4K.mkv"
put "The Godfather Part 2.mkv"
put "8½ (1963)/8½ (1963).mkv"
put "8½ (1963)/trailer.mkv"
put "Dolor y gloria (2019) {tmdb-519010}/Dolor y gloria (2019) {tmdb-519010}.mkv"
put ".hidden/Hidden Film (2000).mkv"
put "@eaDir/Thumb (2000).mkv"
echo "not a film" > "$LIB/notes.txt"
mkdir -p "$LIB/Broken (2000)"
head -c 50000 /dev/urandom > "$LIB/Broken (2000)/Broken (2000).mkv"
: > "$LIB/Empty (2001).mkv"
cp "$WORK/base.mkv" "$LIB/$(printf 'Caf\xe9 (1999).mkv')"

out=$("$CINEMATECA" scan --db "$DB" "$LIB" 2>&1); rc=$?
check_eq "scan exits 0 although some files are bad" 0 "$rc"
check_contains "summary counts films" "films," "$out"
check_contains "summary names the corrupt file" "Broken (2000).mkv" "$out"
check_contains "summary names the empty file" "Empty (2001).mkv" "$out"

"$CINEMATECA" films --db "$DB" --json > "$WORK/films.json"; rc=$?
check_eq "films --json exits 0" 0 "$rc"
J="$WORK/films.json"
titles=$(json_get "$J" '"|".join(sorted(f["title"] for f in d["films"]))')
check_contains "Pain and Glory is a film" "Pain and Glory" "$titles"
check_contains "scene name gives Blade Runner 2049" "Blade Runner 2049" "$titles"
check_contains "numeric title 1917 survives" "|1917|" "|$titles|"
check_contains "a lone 'Part 2' stays in the title" "The Godfather Part 2" "$titles"
check_contains "2001 A Space Odyssey survives" "2001 A Space Odyssey" "$titles"
check_contains "Unicode title kept: Amélie" "Amélie" "$titles"
check_contains "Unicode title kept: 8½" "8½" "$titles"
check_contains "Dolor y gloria kept" "Dolor y gloria" "$titles"
check "hidden folders are ignored" test "$(json_get "$J" 'sum("Hidden" in f["title"] for f in d["films"])')" = 0
check "NAS junk folders are ignored" test "$(json_get "$J" 'sum("Thumb" in f["title"] for f in d["films"])')" = 0
check "no extra shows up as a film" test "$(json_get "$J" 'sum(("Clip" in f["title"]) or ("trailer" in f["title"].lower()) or ("Words" in f["title"]) for f in d["films"])')" = 0
film() { json_get "$J" "[f for f in d['films'] if f['title']==\"$1\"][0]$2"; }
check_eq "Blade Runner year" 2017 "$(film 'Blade Runner 2049' "['year']")"
check_eq "1917 year" 2019 "$(film 1917 "['year']")"
check_eq "2001 has two ordered parts" "[1, 2]" "$(json_get "$J" "[x['part'] for x in [f for f in d['films'] if f['title']=='2001 A Space Odyssey'][0]['files']]")"
check_eq "Amélie has two versions" "['4K', 'Final Cut']" "$(json_get "$J" "sorted(x['version'] for x in [f for f in d['films'] if f['title']=='Amélie'][0]['files'])")"
check_eq "Amélie keeps its IMDb id" "tt0211915" "$(film 'Amélie' "['ids']['imdb']")"
check_eq "Dolor y gloria keeps its TMDB id" "519010" "$(film 'Dolor y gloria' "['ids']['tmdb']")"
check_eq "8½ has its trailer" "trailer" "$(film '8½' "['extras'][0]['type']")"
check_eq "Pain and Glory extras by type" "['clip', 'clip', 'clip', 'interview', 'interview', 'trailer']" \
  "$(json_get "$J" "sorted(x['type'] for x in [f for f in d['films'] if f['title']=='Pain and Glory'][0]['extras'])")"
check_eq "probe: container" "mkv" "$(film 'Pain and Glory' "['files'][0]['container']")"
check_eq "probe: video codec and size" "h264 160x90" "$(json_get "$J" "(lambda v: '%s %dx%d' % (v['codec'], v['width'], v['height']))([f for f in d['films'] if f['title']=='Pain and Glory'][0]['files'][0]['video'])")"
check_eq "probe: audio language" "spa" "$(film 'Pain and Glory' "['files'][0]['audio'][0]['language']")"
check "probe: duration about 2 s" python3 -c "import sys; sys.exit(not 1.5 < $(film 'Pain and Glory' "['files'][0]['duration']") < 2.6)"
check "paths are absolute" test "$(json_get "$J" 'all(x["path"].startswith("/") for f in d["films"] for x in f["files"]+f["extras"])')" = True
check "a file name that is not UTF-8 is cataloged" test "$(json_get "$J" 'sum(f["title"].startswith("Caf") for f in d["films"])')" = 1

# The plain listing.
list=$("$CINEMATECA" films --db "$DB")
check_contains "plain listing shows parts" "2001 A Space Odyssey (1968)  parts: 2" "$list"
check_contains "plain listing shows versions" "Amélie (2001)  parts: 1  versions: 2" "$list"

# Rescan of an unchanged library: nothing probed.
out=$("$CINEMATECA" scan --db "$DB" "$LIB" 2>&1)
check_contains "no-change rescan adds and changes nothing" "0 added, 0 changed, 0 removed, 0 moved" "$out"

# Move a film to a new folder: same file id, same film id.
old_id=$(film 'Pain and Glory' "['files'][0]['id']")
old_film=$(film 'Pain and Glory' "['id']")
mkdir -p "$LIB/Almodóvar"
mv "$LIB/Pain and Glory (2019)" "$LIB/Almodóvar/Pain and Glory (2019)"
out=$("$CINEMATECA" scan --db "$DB" "$LIB" 2>&1)
check_contains "moved folder is seen as moved, not removed" "0 added, 0 changed, 0 removed, 7 moved" "$out"
"$CINEMATECA" films --db "$DB" --json > "$J"
check_eq "moved file keeps its id" "$old_id" "$(film 'Pain and Glory' "['files'][0]['id']")"
check_eq "moved film keeps its id" "$old_film" "$(film 'Pain and Glory' "['id']")"
check_contains "moved file has its new path" "/Almodóvar/Pain and Glory (2019)/" "$(film 'Pain and Glory' "['files'][0]['path']")"

# Change a file's content: re-probed.
make_clip "$LIB/1917 (2019)/1917 (2019).mp4" 3
out=$("$CINEMATECA" scan --db "$DB" "$LIB" 2>&1)
check_contains "changed file is re-probed" "0 added, 1 changed" "$out"
"$CINEMATECA" films --db "$DB" --json > "$J"
check "changed file has its new duration" python3 -c "import sys; sys.exit(not 2.5 < $(film 1917 "['files'][0]['duration']") < 3.6)"

# Remove a film: it leaves the catalog.
rm -r "$LIB/8½ (1963)"
out=$("$CINEMATECA" scan --db "$DB" "$LIB" 2>&1)
check_contains "removed files leave the catalog" "2 removed" "$out"
"$CINEMATECA" films --db "$DB" --json > "$J"
check_eq "removed film is gone" 0 "$(json_get "$J" 'sum(f["title"]=="8½" for f in d["films"])')"

# Bad invocations: clear message, non-zero exit.
out=$("$CINEMATECA" scan --db "$DB" "$WORK/no-such-folder" 2>&1); rc=$?
check "missing folder fails" test "$rc" -ne 0
check_contains "missing folder is named" "no-such-folder" "$out"
mkdir -p "$WORK/ro"; chmod 555 "$WORK/ro"
if [ "$(id -u)" -ne 0 ]; then
  out=$("$CINEMATECA" scan --db "$WORK/ro/c.db" "$LIB" 2>&1); rc=$?
  check "unwritable database fails" test "$rc" -ne 0
fi
out=$("$CINEMATECA" scan --db /proc/cinemateca.db "$LIB" 2>&1); rc=$?
check "database in an unwritable place fails" test "$rc" -ne 0
check_contains "unwritable database is explained" "cinemateca.db" "$out"
"$CINEMATECA" scan 2>/dev/null; rc=$?
check_eq "usage error exits 2" 2 "$rc"

# kill -9 at random moments: the catalog stays consistent and the next
# scan completes the work.
BIG="$WORK/big"
for i in $(seq 1 150); do
  mkdir -p "$BIG/Film $i (2000)"
  cp "$WORK/base.mkv" "$BIG/Film $i (2000)/Film $i (2000).mkv"
  printf '%08d' "$i" >> "$BIG/Film $i (2000)/Film $i (2000).mkv"   # distinct content
done
KDB="$WORK/kill.db"
RANDOM=42
ok=1
for round in 1 2 3 4 5 6; do
  "$CINEMATECA" scan --quiet --db "$KDB" "$BIG" & pid=$!
  sleep "0.$((RANDOM % 9 + 1))"
  kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  [ "$(sqlite3 "$KDB" 'PRAGMA integrity_check')" = ok ] || ok=0
done
check "integrity_check ok after every kill -9" test "$ok" = 1
"$CINEMATECA" scan --quiet --db "$KDB" "$BIG"
check_eq "scan after kills completes the work" 150 "$(sqlite3 "$KDB" 'SELECT count(*) FROM films')"
check_eq "no file lost or doubled" 150 "$(sqlite3 "$KDB" 'SELECT count(*) FROM files')"
out=$("$CINEMATECA" scan --db "$KDB" "$BIG" 2>&1)
check_contains "and a further rescan has nothing to do" "0 added, 0 changed, 0 removed, 0 moved, 150 unchanged" "$out"

# More files than a scan keeps in flight at once (128 probes): every one
# is probed and saved in one cold scan, each with its streams.
FDB="$WORK/fresh.db"
out=$("$CINEMATECA" scan --no-posters --db "$FDB" "$BIG" 2>&1)
check_contains "a cold scan of more files than probes in flight adds every one" \
  "150 added, 0 changed, 0 removed, 0 moved, 0 unchanged, 0 failed" "$out"
check_eq "and each file has its video and audio stream" 150 \
  "$(sqlite3 "$FDB" "SELECT count(*) FROM (SELECT file_id FROM streams GROUP BY file_id
                                           HAVING sum(type = 'video') = 1 AND sum(type = 'audio') = 1)")"

finish
