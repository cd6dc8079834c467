#!/usr/bin/env bash
# Integration: watch state over the API (progress, watched marks, Continue
# watching, the watched filter), kept through rescans, a moved folder, a
# renamed file, a file that leaves and comes back, and kill -9 in the middle
# of a storm of progress reports.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
HERE="$(cd "$(dirname "$0")" && pwd)"

LIB="$WORK/films"
DB="$WORK/catalog.db"
make_clip "$WORK/base.mkv" 4
for t in "Alpha (2001)" "Beta (2002)" "Gamma (2003)"; do
  mkdir -p "$LIB/$t"
  cp "$WORK/base.mkv" "$LIB/$t/$t.mkv"
  printf '%s' "$t" >> "$LIB/$t/$t.mkv" # a fingerprint of its own
done
"$CINEMATECA" scan --db "$DB" --no-posters "$LIB" >/dev/null 2>&1
check_eq "scan" 0 "$?"

get() { curl -s -o "$WORK/body" -w '%{http_code}' "$URL$1" "${@:2}"; }
put() { curl -s -o "$WORK/body" -w '%{http_code}' -X PUT -H 'Content-Type: application/json' --data "$2" "$URL$1"; }
j() { json_get "$WORK/body" "$1"; }
film_id() { get "/api/v1/films?limit=500" >/dev/null; j "[f['id'] for f in d['items'] if f['title']=='$1'][0]"; }
file_of() { get "/api/v1/films/$1" >/dev/null; j "d['files'][0]['id']"; }

start_server --db "$DB" --no-watch "$LIB" || exit 1
ALPHA=$(film_id Alpha); BETA=$(film_id Beta)
ALPHA_FILE=$(file_of "$ALPHA"); BETA_FILE=$(file_of "$BETA")

get "/api/v1/films/$ALPHA" >/dev/null
check_eq "a film carries watch state" "0.0 False 0 None" \
  "$(j '"%s %s %s %s" % (d["watch"]["position"], d["watch"]["watched"], d["watch"]["play_count"], d["watch"]["last_played"])')"
check_eq "and so do its files" "False" "$(j 'd["files"][0]["watch"]["watched"]')"
check_eq "and it says it is online" "False" "$(j 'd["offline"]')"

check_eq "progress: 200" 200 "$(put "/api/v1/files/$ALPHA_FILE/progress" '{"position":1.5,"duration":4}')"
check_eq "the answer is the stored state" "1.5 False" "$(j '"%s %s" % (d["watch"]["position"], d["watch"]["watched"])')"
check_contains "last_played is ISO 8601 UTC" "T" "$(j 'd["watch"]["last_played"]')"
# last_played is kept to the second: Beta's report comes a second later,
# so "most recent first" has an order to show.
sleep 1.1
check_eq "progress: Beta" 200 "$(put "/api/v1/files/$BETA_FILE/progress" '{"position":2,"duration":4}')"
get /api/v1/continue >/dev/null
check_eq "continue: most recent first, in the films list's shape" "Beta Alpha" "$(j '" ".join(i["title"] for i in d["items"])')"
check_eq "continue items carry poster_url and watch" "True" "$(j 'all("poster_url" in i and "watch" in i for i in d["items"])')"
check_eq "past 90%: watched" 200 "$(put "/api/v1/files/$BETA_FILE/progress" '{"position":3.8,"duration":4}')"
check_eq "watched, position back to 0, one play" "0.0 True 1" "$(j '"%s %s %s" % (d["watch"]["position"], d["watch"]["watched"], d["watch"]["play_count"])')"
put "/api/v1/files/$BETA_FILE/progress" '{"position":3.9,"duration":4}' >/dev/null
check_eq "the end reported twice is one play" "1" "$(j 'd["watch"]["play_count"]')"
get /api/v1/continue >/dev/null
check_eq "a watched film leaves Continue watching" "Alpha" "$(j '" ".join(i["title"] for i in d["items"])')"
get "/api/v1/films?watched=true" >/dev/null
check_eq "filter watched=true" "Beta" "$(j '" ".join(i["title"] for i in d["items"])')"
get "/api/v1/films?watched=false" >/dev/null
check_eq "filter watched=false" "Alpha Gamma" "$(j '" ".join(i["title"] for i in d["items"])')"
check_eq "filter: a bad value is a 400" 400 "$(get "/api/v1/films?watched=maybe")"
check_eq "mark watched by hand" 200 "$(curl -s -o "$WORK/body" -w '%{http_code}' -X PUT "$URL/api/v1/films/$ALPHA/watched")"
check_eq "the film is watched" "True" "$(j 'd["watch"]["watched"]')"
check_eq "mark unwatched" 200 "$(curl -s -o "$WORK/body" -w '%{http_code}' -X DELETE "$URL/api/v1/films/$ALPHA/watched")"
check_eq "unwatched, the play counted" "False 1" "$(j '"%s %s" % (d["watch"]["watched"], d["watch"]["play_count"])')"
put "/api/v1/files/$ALPHA_FILE/progress" '{"position":1.5,"duration":4}' >/dev/null

# Bad input: clear errors, nothing stored.
check_eq "no such file: 404" 404 "$(put /api/v1/files/999999/progress '{"position":1}')"
check_eq "no such film: 404" 404 "$(curl -s -o /dev/null -w '%{http_code}' -X PUT "$URL/api/v1/films/999999/watched")"
for body in '' 'x' '[]' '{}' '{"position":-1}' '{"position":"10"}' '{"position":1e300}' '{"position":1,"duration":-2}' \
    '{"position":1,"position":2}'; do
  check_eq "bad body '$body': 400" 400 "$(put "/api/v1/files/$ALPHA_FILE/progress" "$body")"
done
big=$(python3 -c 'print("{\"position\":1,\"pad\":\"" + "x" * 5000 + "\"}")')
check_eq "a body over 4 KiB: 413" 413 "$(put "/api/v1/files/$ALPHA_FILE/progress" "$big")"
check_eq "GET on progress: 405" 405 "$(get "/api/v1/files/$ALPHA_FILE/progress")"
check_eq "PUT on a read-only route: 405" 405 "$(put /api/v1/films '{}')"
check_eq "DELETE on progress: 405" 405 "$(curl -s -o /dev/null -w '%{http_code}' -X DELETE "$URL/api/v1/files/$ALPHA_FILE/progress")"
get "/api/v1/files/$ALPHA_FILE/stream" -r 0-99 >/dev/null
check_eq "streams still answer" 100 "$(stat -c %s "$WORK/body")"
stop_server
check_eq "catalog intact" ok "$(sqlite3 "$DB" 'PRAGMA integrity_check')"

state() { # film title -> "position watched play_count" from the catalog through the API
  get "/api/v1/films/$(film_id "$1")" >/dev/null
  j '"%s %s %s" % (d["watch"]["position"], d["watch"]["watched"], d["watch"]["play_count"])'
}

# Rescans, a moved folder, a renamed file.
"$CINEMATECA" scan --db "$DB" --no-posters "$LIB" >/dev/null 2>&1
mv "$LIB/Alpha (2001)" "$LIB/Alpha Moved (2001)"
"$CINEMATECA" scan --db "$DB" --no-posters "$LIB" >/dev/null 2>&1
mv "$LIB/Beta (2002)/Beta (2002).mkv" "$LIB/Beta (2002)/Beta (2002) - Renamed.mkv"
"$CINEMATECA" scan --db "$DB" --no-posters "$LIB" > "$WORK/scan.out" 2>&1
start_server --db "$DB" --no-watch "$LIB" || exit 1
check_eq "after a rescan and a moved folder: the file keeps its id" "$ALPHA_FILE" "$(file_of "$(film_id "Alpha Moved")")"
check_eq "and its watch state" "1.5 False 1" "$(state "Alpha Moved")"
check_eq "a renamed file keeps its watch state" "0.0 True 1" "$(state Beta)"
stop_server

# A file that leaves the catalog and comes back (a later scan): its state
# was set aside, and it finds it again by size and fingerprint.
mv "$LIB/Alpha Moved (2001)" "$WORK/away"
"$CINEMATECA" scan --db "$DB" --no-posters "$LIB" >/dev/null 2>&1
check_eq "a removed file's watch state is kept aside" 1 "$(sqlite3 "$DB" "SELECT count(*) FROM watch WHERE file_id = -$ALPHA_FILE")"
mv "$WORK/away" "$LIB/Alpha Back (2001)"
"$CINEMATECA" scan --db "$DB" --no-posters "$LIB" >/dev/null 2>&1
start_server --db "$DB" --no-watch "$LIB" || exit 1
check_eq "back again: the watch state follows it" "1.5 False 1" "$(state "Alpha Back")"
stop_server

# kill -9 in a storm of progress reports from 20 clients: the catalog
# passes integrity_check and keeps every report the server acknowledged.
for i in $(seq 1 20); do
  mkdir -p "$LIB/Storm $i (1990)"
  cp "$WORK/base.mkv" "$LIB/Storm $i (1990)/Storm $i (1990).mkv"
  printf 'storm%d' "$i" >> "$LIB/Storm $i (1990)/Storm $i (1990).mkv"
done
"$CINEMATECA" scan --db "$DB" --no-posters "$LIB" >/dev/null 2>&1
start_server --db "$DB" --no-watch "$LIB" || exit 1
FILES=$(sqlite3 "$DB" "SELECT id FROM files WHERE path LIKE '%/Storm %' ORDER BY id" | tr '\n' ' ')
python3 "$HERE/progress_storm.py" "$URL" 30 "$WORK/storm.txt" $FILES &
STORM=$!
PIDS+=("$STORM")
# Killed while reports flow: once every client has had some committed.
storming() { [ "$(sqlite3 "$DB" "SELECT count(*) FROM watch WHERE position > 3 AND file_id IN (${FILES// /,}0)")" -ge 20 ]; }
check "the storm is under way" wait_until 60 storming
kill -9 "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null
wait "$STORM"
acked=$(wc -l < "$WORK/storm.txt")
check "the storm got reports acknowledged before the kill ($acked)" test "$acked" -gt 20
check_eq "after kill -9: integrity_check" ok "$(sqlite3 "$DB" 'PRAGMA integrity_check')"
check "after kill -9: every acknowledged report is there" python3 - "$DB" "$WORK/storm.txt" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
last = {}
for line in open(sys.argv[2]):
    f, pos, _ = line.split()
    last[int(f)] = max(last.get(int(f), 0), float(pos))
stored = dict(db.execute("SELECT file_id, position FROM watch WHERE user_id = 0"))
lost = {f: (p, stored.get(f)) for f, p in last.items() if stored.get(f) is None or stored[f] < p}
print("lost:", lost) if lost else None
sys.exit(1 if lost else 0)
PY

finish
