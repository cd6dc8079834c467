#!/usr/bin/env bash
# Integration: `cinemateca serve` on a generated library, every API
# endpoint through curl (pagination, filters, errors), streaming checked
# with ffprobe, artwork with ?w=, the web app and its client-side routes,
# and films added and removed while the server runs.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

LIB="$WORK/films"
DB="$WORK/catalog.db"
WEB="$WORK/web"
make_clip "$WORK/base.mkv" 3
make_clip "$WORK/base.mp4" 2

PAIN="$LIB/Pain and Glory (2019)"
mkdir -p "$PAIN/Interviews"
cp "$WORK/base.mkv" "$PAIN/Pain and Glory (2019).mkv"
cp "$WORK/base.mkv" "$PAIN/Interviews/In His Own Words.mkv"
cp "$WORK/base.mkv" "$PAIN/Pain and Glory (2019)-trailer.mkv"
cat > "$PAIN/movie.nfo" <<'NFO'
<movie>
  <title>Pain and Glory</title><originaltitle>Dolor y gloria</originaltitle><year>2019</year>
  <plot>A film director revisits his childhood.</plot><runtime>113</runtime>
  <genre>Drama</genre>
  <director>Pedro Almodóvar</director>
  <actor><name>Antonio Banderas</name><role>Salvador Mallo</role><order>0</order></actor>
  <actor><name>Penélope Cruz</name><role>Jacinta</role><order>1</order></actor>
  <release type="theatrical" date="2019-10-04" country="US"/>
  <release type="festival" date="2019-05-17" event="Cannes Film Festival" country="FR"/>
</movie>
NFO
ffmpeg -nostdin -v error -f lavfi -i "color=c=red:s=600x900" -frames:v 1 "$PAIN/poster.jpg"

ALL="$LIB/All About My Mother (1999)"
mkdir -p "$ALL"
cp "$WORK/base.mkv" "$ALL/All About My Mother (1999).mkv"
cat > "$ALL/movie.nfo" <<'NFO'
<movie>
  <title>All About My Mother</title><year>1999</year><genre>Drama</genre><genre>Comedy</genre>
  <director>Pedro Almodóvar</director>
  <actor><name>Penélope Cruz</name><role>Sister Rosa</role></actor>
  <release type="festival" date="1999-05-15" event="Cannes Film Festival" country="FR"/>
</movie>
NFO
mkdir -p "$LIB/1917 (2019)"
cp "$WORK/base.mp4" "$LIB/1917 (2019)/1917 (2019).mp4"
for i in $(seq 1 12); do
  mkdir -p "$LIB/Film $i ($((1960 + i)))"
  cp "$WORK/base.mkv" "$LIB/Film $i ($((1960 + i)))/Film $i ($((1960 + i))).mkv"
  printf '%08d' "$i" >> "$LIB/Film $i ($((1960 + i)))/Film $i ($((1960 + i))).mkv"
done

mkdir -p "$WEB/js" "$WEB/node_modules/hls.js/dist" "$WEB/.git"
echo '<!doctype html><title>cinemateca app</title>' > "$WEB/index.html"
echo 'export const x = 1;' > "$WEB/js/app.js"
echo 'body { color: black }' > "$WEB/style.css"
echo '/* hls */' > "$WEB/node_modules/hls.js/dist/hls.min.js"
echo 'secret' > "$WEB/.git/config"

# get PATH [curl options...]: fetches into $WORK/body, prints the status.
get() { local p="$1"; shift; curl -s -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' "$@" "$URL$p"; }
j() { json_get "$WORK/body" "$1"; }
hdr() { grep -i "^$1:" "$WORK/headers" | head -1 | cut -d' ' -f2- | tr -d '\r'; }

start_server --db "$DB" --web "$WEB" "$LIB" || { fail "server starts"; finish; exit 1; }
pass "server starts and prints its URL"
scanned() { get /api/v1/status >/dev/null; [ "$(j 'd["scan"]["scans"] >= 1 and d["scan"]["state"] == "idle"')" = True ]; }
check "the background scan completes" wait_until 60 scanned

# status
check_eq "status answers 200" 200 "$(get /api/v1/status)"
check_eq "status: version" "$("$CINEMATECA" --version | cut -d' ' -f2)" "$(j 'd["version"]')"
check_eq "status: roots" "['$(cd "$LIB" && pwd -P)']" "$(j 'd["roots"]')"
check_eq "status: film count" 15 "$(j 'd["counts"]["films"]')"
check_eq "status: watching" True "$(j 'd["scan"]["watching"]')"
check_contains "JSON content type" "application/json" "$(hdr Content-Type)"

# films: shape, defaults, pagination
check_eq "films answers 200" 200 "$(get /api/v1/films)"
check_eq "films: total" 15 "$(j 'd["total"]')"
check_eq "films: default limit shows all 15" 15 "$(j 'len(d["items"])')"
check_eq "films: item fields" "['director', 'genres', 'hdr', 'id', 'offline', 'original_title', 'poster_url', 'resolution', 'runtime', 'sort_key', 'title', 'watch', 'year']" \
  "$(j 'sorted(d["items"][0].keys())')"
# Shelved as a librarian would (issue 13): a leading article aside,
# numbers in natural order ("Film 2" before "Film 10").
check_eq "films: sorted by title" True "$(j '[i["title"] for i in d["items"]] == sorted([i["title"] for i in d["items"]], key=lambda t: [(0, int(w), "") if w.isdigit() else (1, 0, w) for w in __import__("re").findall(r"[0-9]+|[^0-9]+", __import__("re").sub(r"^(the|a|an) ", "", t.lower()))])')"
PAIN_ID=$(j '[i["id"] for i in d["items"] if i["title"]=="Pain and Glory"][0]')
ALL_ID=$(j '[i["id"] for i in d["items"] if i["title"]=="All About My Mother"][0]')
check_eq "films: poster_url for a film with a poster" "/api/v1/films/$PAIN_ID/poster" \
  "$(j "[i['poster_url'] for i in d['items'] if i['id']==$PAIN_ID][0]")"
check_eq "films: genres as a list" "['Comedy', 'Drama']" "$(j "sorted([i['genres'] for i in d['items'] if i['id']==$ALL_ID][0])")"
check_eq "films: original title" "Dolor y gloria" "$(j "[i['original_title'] for i in d['items'] if i['id']==$PAIN_ID][0]")"
get "/api/v1/films?limit=5&offset=0" >/dev/null; page1=$(j '[i["id"] for i in d["items"]]'); total1=$(j 'd["total"]')
get "/api/v1/films?limit=5&offset=5" >/dev/null; page2=$(j '[i["id"] for i in d["items"]]')
get "/api/v1/films?limit=5&offset=10" >/dev/null; page3=$(j '[i["id"] for i in d["items"]]')
check_eq "pagination: total stays the same" 15 "$total1"
check "pagination: pages are disjoint and cover everything" python3 -c "
a,b,c=$page1,$page2,$page3
import sys; sys.exit(not (len(a)==5 and len(b)==5 and len(c)==5 and len(set(a+b+c))==15))"
get "/api/v1/films?limit=5&offset=100" >/dev/null
check_eq "pagination: past the end is empty" 0 "$(j 'len(d["items"])')"
get "/api/v1/films?sort=year&order=asc&limit=1" >/dev/null
check_eq "sort=year asc" 1961 "$(j 'd["items"][0]["year"]')"
get "/api/v1/films?sort=year&order=desc&limit=1" >/dev/null
check_eq "sort=year desc" 2019 "$(j 'd["items"][0]["year"]')"
check_eq "sort=runtime answers" 200 "$(get '/api/v1/films?sort=runtime')"
check_eq "sort=added answers" 200 "$(get '/api/v1/films?sort=added&order=desc')"

# filters
get "/api/v1/films?genre=drama" >/dev/null
check_eq "filter: genre (any case)" "['All About My Mother', 'Pain and Glory']" "$(j 'sorted(i["title"] for i in d["items"])')"
get "/api/v1/films?year=2019" >/dev/null
check_eq "filter: year" "['1917', 'Pain and Glory']" "$(j 'sorted(i["title"] for i in d["items"])')"
get "/api/v1/films?decade=1990" >/dev/null
check_eq "filter: decade" "['All About My Mother']" "$(j 'sorted(i["title"] for i in d["items"])')"
get "/api/v1/films?festival=cannes" >/dev/null
check_eq "filter: festival" 2 "$(j 'd["total"]')"
get "/api/v1/films?genre=Drama&year=1999" >/dev/null
check_eq "filters combine" "['All About My Mother']" "$(j 'sorted(i["title"] for i in d["items"])')"

# bad parameters: 400 with the error shape
for bad in "limit=0" "limit=501" "limit=x" "offset=-1" "sort=bogus" "order=up" "year=abc" "decade=1995" "person=0" "year=%ff" "genre=%00"; do
  check_eq "400 for ?$bad" 400 "$(get "/api/v1/films?$bad")"
done
get "/api/v1/films?limit=0" >/dev/null
check_eq "error shape: code" bad_request "$(j 'd["error"]["code"]')"
check_contains "error shape: message" "must be" "$(j 'd["error"]["message"]')"

# one film: the whole record, the CLI's encoder plus URLs
check_eq "film answers 200" 200 "$(get /api/v1/films/$PAIN_ID)"
cp "$WORK/body" "$WORK/film.json"
check_eq "film: title" "Pain and Glory" "$(j 'd["title"]')"
check_eq "film: synopsis" "A film director revisits his childhood." "$(j 'd["plot"]')"
check_eq "film: credits carry person ids" True "$(j 'all(isinstance(c["person_id"], int) and c["person_id"] > 0 for c in d["credits"])')"
check_eq "film: releases in date order" "['2019-05-17', '2019-10-04']" "$(j '[r["date"] for r in d["releases"]]')"
check_eq "film: extras are typed" "['interview', 'trailer']" "$(j 'sorted(x["type"] for x in d["extras"])')"
check_eq "film: extras have their own file ids and stream URLs" True \
  "$(j 'all(x["stream_url"] == "/api/v1/files/%d/stream" % x["file_id"] for x in d["extras"])')"
check_eq "film: files have stream URLs" "/api/v1/files/$(j 'd["files"][0]["id"]')/stream" "$(j 'd["files"][0]["stream_url"]')"
check_eq "film: files have paths, parts, streams" "True 1 h264" "$(j '"%s %d %s" % (d["files"][0]["path"].startswith("/"), d["files"][0]["part"], d["files"][0]["video"]["codec"])')"
check_eq "film: poster_url" "/api/v1/films/$PAIN_ID/poster" "$(j 'd["poster_url"]')"
check_eq "film: no backdrop" None "$(j 'd["backdrop_url"]')"
"$CINEMATECA" film --db "$DB" --json "$PAIN_ID" > "$WORK/cli.json"
check "film: the API record is the CLI's plus URLs" python3 -c "
import json, sys
api = json.load(open('$WORK/film.json')); cli = json.load(open('$WORK/cli.json'))
for k in ('poster_url', 'backdrop_url', 'watch', 'offline', 'collection'): api.pop(k)
for f in api['files']: f.pop('stream_url'); f.pop('watch')
for x in api['extras']: x.pop('stream_url'); x.pop('url'); x.pop('watch')
sys.exit(api != cli)"
FILE_ID=$(j 'd["files"][0]["id"]')
EXTRA_ID=$(j '[x["id"] for x in d["extras"] if x["type"]=="interview"][0]')
DIRECTOR_ID=$(j '[c["person_id"] for c in d["credits"] if c["job"]=="director"][0]')
CRUZ_ID=$(j '[c["person_id"] for c in d["credits"] if c["name"]=="Penélope Cruz"][0]')
for missing in /api/v1/films/999999 /api/v1/films/0 /api/v1/films/abc /api/v1/films/-1 /api/v1/films/007 \
    /api/v1/people/999999 /api/v1/extras/999999 /api/v1/files/999999/stream /api/v1/films/999999/poster \
    /api/v1/nothing /api/v2/films /api /api/v1/films/1/nothing; do
  check_eq "404 for $missing" 404 "$(get "$missing")"
done
get /api/v1/films/999999 >/dev/null
check_eq "404 error code" not_found "$(j 'd["error"]["code"]')"

# person and filters by person
check_eq "person answers 200" 200 "$(get /api/v1/people/$DIRECTOR_ID)"
check_eq "person: name" "Pedro Almodóvar" "$(j 'd["name"]')"
check_eq "person: films with roles" "['All About My Mother', 'Pain and Glory']" "$(j 'sorted(f["title"] for f in d["films"])')"
check_eq "person: each film carries its poster_url" "/api/v1/films/$PAIN_ID/poster" \
  "$(j "[f['poster_url'] for f in d['films'] if f['film_id']==$PAIN_ID][0]")"
check_eq "person: collaborators" True "$(j 'any(c["name"]=="Penélope Cruz" and c["films"]==2 for c in d["collaborators"])')"
"$CINEMATECA" person --db "$DB" --json "$DIRECTOR_ID" > "$WORK/cli-person.json"
check "person: same record as the CLI" python3 -c "
import json, sys; sys.exit(json.load(open('$WORK/body')) != json.load(open('$WORK/cli-person.json')))"
get "/api/v1/films?person=$CRUZ_ID" >/dev/null
check_eq "filter: person" 2 "$(j 'd["total"]')"

# extra
check_eq "extra answers 200" 200 "$(get /api/v1/extras/$EXTRA_ID)"
check_eq "extra: type and film" "interview $PAIN_ID" "$(j '"%s %d" % (d["type"], d["film"]["id"])')"
check_eq "extra: its film's poster_url" "/api/v1/films/$PAIN_ID/poster" "$(j 'd["film"]["poster_url"]')"
check_eq "extra: stream URL" True "$(j 'd["file"]["stream_url"].endswith("/stream")')"

# festivals and genres
check_eq "festivals answers 200" 200 "$(get /api/v1/festivals)"
check_eq "festivals: counted" True "$(j 'any("Cannes" in i["name"] and i["count"]==2 for i in d["items"])')"
check_eq "genres answers 200" 200 "$(get /api/v1/genres)"
check_eq "genres: counted" "[('Comedy', 1), ('Drama', 2)]" "$(j 'sorted((i["name"], i["count"]) for i in d["items"])')"

# search (the catalog's full-text search)
if [ "$(get '/api/v1/search?q=almodovar')" = 200 ]; then
  pass "search answers 200"
  check_eq "search: groups" "['extras', 'films', 'people']" "$(j 'sorted(d.keys())')"
  get '/api/v1/search?q=pain' >/dev/null
  check_eq "search: a film hit carries its poster_url" "/api/v1/films/$PAIN_ID/poster" \
    "$(j "[f['poster_url'] for f in d['films'] if f['id']==$PAIN_ID][0]")"
  get '/api/v1/search?q=almodovar' >/dev/null
  check_eq "search: finds the person without accents" True "$(j 'any(p["name"]=="Pedro Almodóvar" for p in d["people"])')"
  get '/api/v1/films?q=pain' >/dev/null
  check_eq "films?q= restricts the list" "Pain and Glory" "$(j '"|".join(i["title"] for i in d["items"])')"
  get '/api/v1/films?q=zzzzqqq' >/dev/null
  check_eq "films?q= with no match is empty" 0 "$(j 'd["total"]')"
  check_eq "search: empty query is fine" 200 "$(get '/api/v1/search?q=')"
else
  fail "search answers 200 (got $(get '/api/v1/search?q=almodovar'))"
fi

# streaming
check_eq "stream answers 200" 200 "$(get /api/v1/files/$FILE_ID/stream)"
check_eq "stream: Content-Type by container" "video/x-matroska" "$(hdr Content-Type)"
check_eq "stream: Accept-Ranges" bytes "$(hdr Accept-Ranges)"
check "stream: the bytes are the file's" cmp "$WORK/body" "$PAIN/Pain and Glory (2019).mkv"
probe=$(ffprobe -v error -show_entries stream=codec_name -show_entries format=duration -of csv=p=0 "$URL/api/v1/files/$FILE_ID/stream" 2>&1)
check_contains "ffprobe reads the stream URL: video" h264 "$probe"
check_contains "ffprobe reads the stream URL: audio" aac "$probe"
get "/api/v1/films?year=2019" >/dev/null
MP4_FILM=$(j '[i["id"] for i in d["items"] if i["title"]=="1917"][0]')
get /api/v1/films/$MP4_FILM >/dev/null
MP4_FILE=$(j 'd["files"][0]["id"]')
get /api/v1/files/$MP4_FILE/stream >/dev/null
check_eq "stream: mp4 Content-Type" video/mp4 "$(hdr Content-Type)"
check "ffmpeg can seek in the stream (ranges)" ffmpeg -nostdin -v error -ss 1 -i "$URL/api/v1/files/$MP4_FILE/stream" -frames:v 1 -f null -

# artwork
check_eq "poster answers 200" 200 "$(get /api/v1/films/$PAIN_ID/poster)"
check_eq "poster: JPEG" image/jpeg "$(hdr Content-Type)"
check_contains "poster: cacheable" "max-age" "$(hdr Cache-Control)"
check "poster: the original file" cmp "$WORK/body" "$PAIN/poster.jpg"
etag=$(hdr ETag)
check_eq "poster: If-None-Match gives 304" 304 "$(get /api/v1/films/$PAIN_ID/poster -H "If-None-Match: $etag")"
check_eq "poster ?w=200 answers 200" 200 "$(get "/api/v1/films/$PAIN_ID/poster?w=200")"
check_eq "poster ?w=200 is resized to an allowed width (320)" 320 \
  "$(ffprobe -v error -show_entries stream=width -of csv=p=0 "$WORK/body")"
check "resized copy is cached" test -n "$(ls "$DB.cache/resized/" 2>/dev/null)"
check_eq "poster ?w=99999 is clamped (1280 at most, never upscaled)" 600 \
  "$(get "/api/v1/films/$PAIN_ID/poster?w=99999" >/dev/null; ffprobe -v error -show_entries stream=width -of csv=p=0 "$WORK/body")"
check_eq "poster ?w=abc is 400" 400 "$(get "/api/v1/films/$PAIN_ID/poster?w=abc")"
check_eq "no backdrop: 404" 404 "$(get /api/v1/films/$PAIN_ID/backdrop)"
check_eq "generated poster for a film without one" 200 "$(get /api/v1/films/$ALL_ID/poster)"

# the web app
check_eq "web: / answers 200" 200 "$(get /)"
check_contains "web: / is index.html" "cinemateca app" "$(cat "$WORK/body")"
check_contains "web: html type" "text/html" "$(hdr Content-Type)"
check_contains "web: pages carry a Content-Security-Policy" "script-src 'self'" "$(hdr Content-Security-Policy)"
check_eq "web: a module" 200 "$(get /js/app.js)"
check_contains "web: javascript type" "text/javascript" "$(hdr Content-Type)"
check_eq "web: css" "text/css; charset=utf-8" "$(get /style.css >/dev/null; hdr Content-Type)"
check_eq "web: hls.js at /vendor/hls.min.js" 200 "$(get /vendor/hls.min.js)"
check_eq "web: node_modules is not served as is" 404 "$(get /node_modules/hls.js/dist/hls.min.js)"
check_eq "web: dotfiles are not served" 404 "$(get /.git/config)"
check_eq "web: nor anything under a dot-folder" 404 "$(get /.git/nothing)"
check_eq "web: client-side route gets the app" 200 "$(get /film/12)"
check_contains "web: client-side route is index.html" "cinemateca app" "$(cat "$WORK/body")"
check_eq "web: a missing asset is 404" 404 "$(get /missing.js)"
check_eq "web: HEAD" 200 "$(curl -s -o /dev/null -w '%{http_code}' -I "$URL/")"
check_eq "web: POST is 405" 405 "$(get / -X POST -d x=1)"
check_contains "405 names the allowed methods" "GET" "$(hdr Allow)"
check_eq "a GET with a body is 400" 400 "$(get /api/v1/films -X GET -d x=1)"
check_eq "DELETE is 405" 405 "$(get /api/v1/films/1 -X DELETE)"
check_eq "still serving after refusals" 200 "$(get /api/v1/status)"

# live updates: a film copied in appears, a film deleted disappears
mkdir -p "$WORK/incoming"
cp "$WORK/base.mkv" "$WORK/incoming/Talk to Her (2002).mkv"
printf 'new' >> "$WORK/incoming/Talk to Her (2002).mkv"
mv "$WORK/incoming/Talk to Her (2002).mkv" "$LIB/"
has_film() { get "/api/v1/films?year=2002" >/dev/null; [ "$(j 'len(d["items"])')" = "$1" ]; }
check "a film copied in appears without a restart" wait_until 30 has_film 1
get "/api/v1/films?year=2002" >/dev/null
NEW_ID=$(j 'd["items"][0]["id"]')
get /api/v1/films/$NEW_ID >/dev/null
NEW_FILE=$(j 'd["files"][0]["id"]')
check_eq "the new film streams" 200 "$(get /api/v1/files/$NEW_FILE/stream)"
rm "$LIB/Talk to Her (2002).mkv"
check "a film deleted disappears" wait_until 30 has_film 0
check_eq "its stream is gone" 404 "$(get /api/v1/files/$NEW_FILE/stream)"
check_eq "its record is gone" 404 "$(get /api/v1/films/$NEW_ID)"

# clean shutdown
stop_server; rc=$?
check_eq "SIGTERM: exit 0" 0 "$rc"
check_eq "catalog intact after shutdown" ok "$(sqlite3 "$DB" 'PRAGMA integrity_check')"

# The API answers at once while the first scan of a bigger library runs.
BIG="$WORK/big"
for i in $(seq 1 200); do
  mkdir -p "$BIG/Busy $i (2000)"
  cp "$WORK/base.mkv" "$BIG/Busy $i (2000)/Busy $i (2000).mkv"
  printf '%08d' "$i" >> "$BIG/Busy $i (2000)/Busy $i (2000).mkv"
done
# The scan is pinned under way while the next requests run: a helper takes
# the catalog's write lock at a moment the status row says "scanning" and
# keeps it, so the scan can neither finish nor say it did until the helper
# lets go. However fast the machine, "under way" below is certain. The
# hold lasts 5 s at the most (the scan's writes give up after 10 s), so
# only curl runs inside it; the answers are read after.
python3 "$(dirname "$0")/hold_scan.py" "$WORK/busy.db" "$WORK/let-go" 60 5 >"$WORK/pin" &
PIN_PID=$!
PIDS+=("$PIN_PID")
check "the scan's watcher looks before the server starts" wait_until 60 grep -qx looking "$WORK/pin"
start_server --db "$WORK/busy.db" --web "$WEB" "$BIG"
check "the first scan is caught under way" wait_until 60 grep -qx 'pinned\|missed' "$WORK/pin"
t=$(curl -s -o "$WORK/status.json" -w '%{time_total}' "$URL/api/v1/status")
t_films=$(curl -s -o "$WORK/films.json" -w '%{time_total}' "$URL/api/v1/films?limit=5")
touch "$WORK/let-go"
wait "$PIN_PID"
check_eq "... and held there (the catalog's write lock)" pinned "$(tail -1 "$WORK/pin")"
check "status answers within 1 s of start (${t} s)" python3 -c "import sys; sys.exit(not $t < 1.0)"
check_eq "status: the scan is under way" True \
  "$(json_get "$WORK/status.json" 'd["scan"]["state"] in ("starting", "scanning")')"
check "films answer during the scan (${t_films} s)" python3 -c "import sys; sys.exit(not $t_films < 1.0)"
check_eq "... a page of them" 5 "$(json_get "$WORK/films.json" 'd["limit"]')"
progressed() { get /api/v1/status >/dev/null; [ "$(j 'd["scan"]["probed"] > 0 or d["scan"]["scans"] > 0')" = True ]; }
check "status reports progress" wait_until 60 progressed
done_scanning() { get /api/v1/status >/dev/null; [ "$(j 'd["scan"]["scans"]')" = 1 ]; }
check "the scan finishes" wait_until 120 done_scanning
check_eq "every film is there" 200 "$(get /api/v1/films?limit=1 >/dev/null; j 'd["total"]')"
stop_server
# SIGTERM and SIGINT in the middle of a scan: a clean stop, exit 0.
for sig in TERM INT; do
  rm -f "$WORK/busy.db" "$WORK/busy.db-wal" "$WORK/busy.db-shm"
  start_server --db "$WORK/busy.db" --web "$WEB" "$BIG"
  sleep 0.5
  kill -"$sig" "$SERVER_PID"
  wait "$SERVER_PID"; rc=$?
  check_eq "SIG$sig during a scan: exit 0" 0 "$rc"
  check_eq "SIG$sig during a scan: catalog intact" ok "$(sqlite3 "$WORK/busy.db" 'PRAGMA integrity_check')"
done

# no web app: a plain note, not a crash; and no library folders at all
start_server --db "$DB" --web "$WORK/no-such-web"
check_eq "no web app: / answers" 200 "$(get /)"
check_contains "no web app: a plain note" "web app was not found" "$(cat "$WORK/body")"
check_eq "no web app: API still works" 200 "$(get /api/v1/films)"
check_eq "no library folders: status has no scan" None "$(get /api/v1/status >/dev/null; j 'd["scan"]')"
stop_server
"$CINEMATECA" serve --listen 127.0.0.1:0 --db "$DB" "$WORK/no-such-folder" >/dev/null 2>&1; rc=$?
check_eq "a missing library folder fails at start" 1 "$rc"
"$CINEMATECA" serve --listen nonsense --db "$DB" "$LIB" >/dev/null 2>&1; rc=$?
check_eq "a bad listen address fails at start" 1 "$rc"
"$CINEMATECA" serve "$LIB" >/dev/null 2>&1; rc=$?
check_eq "serve without --db is a usage error" 2 "$rc"

finish
