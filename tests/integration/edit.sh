#!/usr/bin/env bash
# Integration: editing a film in the browser's API (issue 13). An admin
# writes a film's metadata (PUT /api/v1/films/{id}/metadata), uploads a
# poster, cuts a backdrop from a frame; a viewer is answered as if the
# routes did not exist; an .nfo a person wrote is replaced only when asked,
# kept as .nfo.bak; bad input gets field errors and writes nothing; and a
# fresh scan into a NEW catalog reads every edit back from the files.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

LIB="$WORK/films"
DB="$WORK/catalog.db"
make_clip "$WORK/base.mkv" 6
mkdir -p "$LIB/amelie" "$LIB/Hand Made (1999)"
cp "$WORK/base.mkv" "$LIB/amelie/amelie.mkv"   # no .nfo, a name that says little
cp "$WORK/base.mkv" "$LIB/Hand Made (1999)/Hand Made (1999).mkv"
printf 'x' >> "$LIB/Hand Made (1999)/Hand Made (1999).mkv"
HAND='<movie><title>Hand Made</title><year>1999</year><genre>Mine</genre></movie>'
echo "$HAND" > "$LIB/Hand Made (1999)/Hand Made (1999).nfo"
"$CINEMATECA" scan --db "$DB" --no-posters "$LIB" >/dev/null 2>&1
check_eq "scan" 0 "$?"
printf 'an admin password\n' | "$CINEMATECA" user add --db "$DB" --admin --password-stdin ana >/dev/null 2>&1
printf 'a viewer password\n' | "$CINEMATECA" user add --db "$DB" --password-stdin val >/dev/null 2>&1

req() { local m="$1" p="$2"; shift 2; curl -s -o "$WORK/body" -w '%{http_code}' -X "$m" "$@" "$URL$p"; }
j() { json_get "$WORK/body" "$1"; }
JSON=(-H 'Content-Type: application/json')
login() {
  curl -s -D - -o /dev/null "${JSON[@]}" -H "Origin: $URL" \
    -d "{\"name\":\"$1\",\"password\":\"$2\"}" "$URL/api/v1/auth/login" |
    sed -n 's/^set-cookie: cinemateca_session=\([^;]*\);.*/\1/Ip' | tr -d '\r'
}

start_server --db "$DB" --no-watch "$LIB" || { fail "server starts"; finish; exit 1; }
ANA=$(login ana "an admin password"); VAL=$(login val "a viewer password")
check "admin signed in" test -n "$ANA"
check "viewer signed in" test -n "$VAL"
A=(-H "Cookie: cinemateca_session=$ANA" -H "Origin: $URL")
V=(-H "Cookie: cinemateca_session=$VAL" -H "Origin: $URL")
req GET "/api/v1/films?limit=50" "${A[@]}" >/dev/null
AM=$(j "[f['id'] for f in d['items'] if f['title'].lower()=='amelie'][0]")
HM=$(j "[f['id'] for f in d['items'] if f['title']=='Hand Made'][0]")
check "both films found" test -n "$AM" -a -n "$HM"

BODY=$(cat <<'JSON'
{"title": "Amélie", "original_title": "Le Fabuleux Destin d'Amélie Poulain",
 "sort_title": "Amelie", "year": 2001,
 "plot": "A shy waitress <decides> to change the lives of those around her & herself.",
 "tagline": "She'll change your life.",
 "genres": ["Comedy", "Romance"],
 "people": [{"name": "Jean-Pierre Jeunet", "job": "director"},
            {"name": "Guillaume Laurant", "job": "writer"},
            {"name": "Yann Tiersen", "job": "composer"},
            {"name": "Audrey Tautou", "job": "actor", "character": "Amélie Poulain"},
            {"name": "Mathieu Kassovitz", "job": "actor", "character": "Nino Quincampoix"}],
 "collection": "Jeunet's Paris",
 "edition": "Director's Cut",
 "releases": [{"type": "festival", "date": "2001-04-25", "country": "fr", "event": "Paris Film Festival"},
              {"type": "theatrical", "date": "2001-04-25", "country": "FR", "distributor": "UGC-Fox"}]}
JSON
)

# ---- who may ----
# What a route that does not exist answers, for the same method and body.
as_missing() { local m="$1"; shift; local b=(); [ "$m" != GET ] && b=("${JSON[@]}" -d "$BODY")
  echo "$(req "$m" "/api/v1/films/$AM/nosuch" "$@" "${b[@]}") $(cat "$WORK/body")"; }
as_route() { local m="$1" p="$2"; shift 2; local b=(); [ "$m" != GET ] && b=("${JSON[@]}" -d "$BODY")
  echo "$(req "$m" "$p" "$@" "${b[@]}") $(cat "$WORK/body")"; }
for route in "PUT /api/v1/films/$AM/metadata" "GET /api/v1/films/$AM/metadata" \
    "POST /api/v1/films/$AM/poster" "POST /api/v1/films/$AM/backdrop" \
    "POST /api/v1/films/$AM/poster/frame?t=1" "POST /api/v1/films/$AM/backdrop/frame?t=1"; do
  set -- $route
  check_eq "a viewer gets what a missing route gives: $route" "$(as_missing "$1" "${V[@]}")" "$(as_route "$1" "$2" "${V[@]}")"
done
check_contains "for GET, a 404" "404 " "$(as_route GET "/api/v1/films/$AM/metadata" "${V[@]}")"
check_eq "no sign-in: 401" 401 "$(req PUT "/api/v1/films/$AM/metadata" "${JSON[@]}" -d "$BODY")"
check_eq "another site's page: 403" 403 \
  "$(req PUT "/api/v1/films/$AM/metadata" -H "Cookie: cinemateca_session=$ANA" -H 'Origin: http://evil.example' "${JSON[@]}" -d "$BODY")"
check "the viewer wrote nothing" test ! -e "$LIB/amelie/amelie.nfo"
check_eq "the viewer still reads the film" 200 "$(req GET "/api/v1/films/$AM" "${V[@]}")"

# ---- bad input: field errors, nothing written ----
bad() { req PUT "/api/v1/films/$AM/metadata" "${A[@]}" "${JSON[@]}" -d "$1"; }
check_eq "a year out of range: 400" 400 "$(bad '{"year": 1500}')"
check_eq "the error names the field" "invalid a year from 1870 to 2200, or empty" "$(j 'd["error"]["code"] + " " + d["error"]["fields"]["year"]')"
check_eq "an empty title: 400" 400 "$(bad '{"title": "  "}')"
check_eq "named" True "$(j '"title" in d["error"]["fields"]')"
check_eq "a release of no known type" "releases.1" \
  "$(bad '{"releases": [{"type":"festival"},{"type":"bootleg"}]}' >/dev/null; j '",".join(d["error"]["fields"])')"
check_eq "a bad release date" 400 "$(bad '{"releases": [{"type":"festival","date":"2001-13-01"}]}')"
check_eq "a person without a name" "people.0" "$(bad '{"people": [{"job":"actor"}]}' >/dev/null; j '",".join(d["error"]["fields"])')"
check_eq "a crew member playing a character" 400 "$(bad '{"people": [{"name":"X","job":"director","character":"Y"}]}')"
check_eq "genres that are not a list" 400 "$(bad '{"genres": "Comedy"}')"
check_eq "several bad fields at once" "genres,year" "$(bad '{"genres": 3, "year": "2001"}' >/dev/null; j '",".join(sorted(d["error"]["fields"]))')"
check_eq "not JSON: 400" 400 "$(bad '{"title": ')"
check_eq "not an object: 400" 400 "$(bad '[1,2]')"
check_eq "duplicate keys: 400" 400 "$(bad '{"title":"a","title":"b"}')"
check_eq "not JSON by type: 415" 415 "$(req PUT "/api/v1/films/$AM/metadata" "${A[@]}" -H 'Content-Type: text/plain' -d '{}')"
big=$(python3 -c 'print("{\"plot\":\"" + "x" * 600000 + "\"}")')
check_eq "a body over 512 KiB: 413" 413 "$(printf '%s' "$big" | req PUT "/api/v1/films/$AM/metadata" "${A[@]}" "${JSON[@]}" --data-binary @-)"
check_eq "no such film: 404" 404 "$(req PUT /api/v1/films/999999/metadata "${A[@]}" "${JSON[@]}" -d '{}')"
check "nothing was written by bad input" test ! -e "$LIB/amelie/amelie.nfo"

# ---- a good edit ----
check_eq "no .nfo yet" "False False" "$(req GET "/api/v1/films/$AM/metadata" "${A[@]}" >/dev/null; j '"%s %s" % (d["nfo_exists"], d["nfo_hand_written"])')"
check_eq "the edit is saved" 200 "$(req PUT "/api/v1/films/$AM/metadata" "${A[@]}" "${JSON[@]}" -d "$BODY")"
check "an .nfo beside the film" test -s "$LIB/amelie/amelie.nfo"
check_contains "marked as ours" "written by cinemateca" "$(head -2 "$LIB/amelie/amelie.nfo")"
check_contains "text escaped" "&lt;decides&gt;" "$(cat "$LIB/amelie/amelie.nfo")"
check_eq "no temporary left" "" "$(ls "$LIB/amelie" | grep '\.tmp\.' || true)"
req GET "/api/v1/films/$AM" "${A[@]}" >/dev/null
check_eq "the catalog has it at once" "Amélie 2001 Le Fabuleux Destin d'Amélie Poulain" \
  "$(j '"%s %s %s" % (d["title"], d["year"], d["original_title"])')"
check_contains "plot" "<decides>" "$(j 'd["plot"]')"
check_eq "genres" "Comedy,Romance" "$(j '",".join(d["genres"])')"
check_contains "the director" "Jean-Pierre Jeunet" "$(cat "$WORK/body")"
check_contains "the cast with roles" "Nino Quincampoix" "$(cat "$WORK/body")"
check_contains "the composer" "Yann Tiersen" "$(cat "$WORK/body")"
check_contains "the festival" "Paris Film Festival" "$(cat "$WORK/body")"
check_contains "the collection" "Jeunet's Paris" "$(cat "$WORK/body")"
cp "$WORK/body" "$WORK/after-edit.json"
req GET "/api/v1/search?q=Tiersen" "${A[@]}" >/dev/null
check_contains "search finds the new name" "Amélie" "$(cat "$WORK/body")"
check_eq "a second edit keeps the first as .bak" 200 \
  "$(req PUT "/api/v1/films/$AM/metadata" "${A[@]}" "${JSON[@]}" -d '{"tagline": "Changed."}')"
check_contains ".nfo.bak holds the previous one" "She'll change your life." "$(cat "$LIB/amelie/amelie.nfo.bak")"
check_eq "members left out are kept" "Changed. Amélie 5 2" \
  "$(req GET "/api/v1/films/$AM" "${A[@]}" >/dev/null; j '"%s %s %d %d" % (d["tagline"], d["title"], len(d["credits"]), len(d["releases"]))')"
check_eq "the edition names the film's cut (after the rescan it asks for)" "Director's Cut" \
  "$(wait_until 20 sh -c "curl -s -H 'Cookie: cinemateca_session=$ANA' '$URL/api/v1/films/$AM' | grep -q \"Director's Cut\""; req GET "/api/v1/films/$AM" "${A[@]}" >/dev/null; j 'd["editions"][0]["label"]')"

# ---- an .nfo a person wrote ----
check_eq "the hand-written .nfo is seen as such" "True True" \
  "$(req GET "/api/v1/films/$HM/metadata" "${A[@]}" >/dev/null; j '"%s %s" % (d["nfo_exists"], d["nfo_hand_written"])')"
check_eq "not replaced without asking: 409" "409 nfo_hand_written" \
  "$(s=$(req PUT "/api/v1/films/$HM/metadata" "${A[@]}" "${JSON[@]}" -d '{"title":"Hand Made, edited"}'); echo "$s $(j 'd["error"]["code"]')")"
check_eq "the person's file is untouched" "$HAND" "$(cat "$LIB/Hand Made (1999)/Hand Made (1999).nfo")"
check_eq "replaced when asked" 200 \
  "$(req PUT "/api/v1/films/$HM/metadata" "${A[@]}" "${JSON[@]}" -d '{"title":"Hand Made, edited","overwrite":true}')"
check_eq "and kept as .nfo.bak" "$HAND" "$(cat "$LIB/Hand Made (1999)/Hand Made (1999).nfo.bak")"
check_eq "what the person's .nfo said stays (genre)" "Mine" \
  "$(req GET "/api/v1/films/$HM" "${A[@]}" >/dev/null; j '",".join(d["genres"])')"

# ---- artwork ----
ffmpeg -nostdin -v error -f lavfi -i "color=c=red:s=200x300" -frames:v 1 "$WORK/poster.png"
check_eq "a PNG poster uploaded" 200 \
  "$(req POST "/api/v1/films/$AM/poster" "${A[@]}" -H 'Content-Type: image/png' --data-binary @"$WORK/poster.png")"
check "written as <video>-poster.jpg" test -s "$LIB/amelie/amelie-poster.jpg"
check_eq "a JPEG now" "mjpeg" "$(ffprobe -v error -show_entries stream=codec_name -of csv=p=0 "$LIB/amelie/amelie-poster.jpg")"
check_eq "served" 200 "$(req GET "/api/v1/films/$AM/poster" "${A[@]}")"
check_eq "the served poster is red" "red" "$(ffmpeg -v error -i "$WORK/body" -vf scale=1:1 -f rawvideo -pix_fmt rgb24 - | python3 -c 'import sys; r,g,b=sys.stdin.buffer.read(3); print("red" if r>200 and g<60 and b<60 else (r,g,b))')"
ffmpeg -nostdin -v error -f lavfi -i "color=c=blue:s=200x300" -frames:v 1 "$WORK/poster2.jpg"
check_eq "a second poster" 200 \
  "$(req POST "/api/v1/films/$AM/poster" "${A[@]}" -H 'Content-Type: image/jpeg' --data-binary @"$WORK/poster2.jpg")"
check "the first kept as .bak" test -s "$LIB/amelie/amelie-poster.jpg.bak"
head -c 5000 /dev/urandom > "$WORK/noise.jpg"
check_eq "not an image: 400" 400 "$(req POST "/api/v1/films/$AM/poster" "${A[@]}" --data-binary @"$WORK/noise.jpg")"
python3 - "$WORK/huge.png" <<'PY'
import struct, sys, zlib
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
w = h = 20000
raw = zlib.compress(b"\0" * 64)
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IDAT", raw) + chunk(b"IEND", b""))
PY
check_eq "a 400-megapixel header: 413, not decoded" 413 "$(req POST "/api/v1/films/$AM/poster" "${A[@]}" --data-binary @"$WORK/huge.png")"
head -c $((11 * 1024 * 1024)) /dev/zero > "$WORK/big.bin"
check_eq "an upload over 10 MB: 413" 413 "$(req POST "/api/v1/films/$AM/backdrop" "${A[@]}" --data-binary @"$WORK/big.bin")"
check_eq "the blue poster still there" "blue" "$(ffmpeg -v error -i "$LIB/amelie/amelie-poster.jpg" -vf scale=1:1 -f rawvideo -pix_fmt rgb24 - | python3 -c 'import sys; r,g,b=sys.stdin.buffer.read(3); print("blue" if b>200 and r<60 else (r,g,b))')"
check_eq "a backdrop from the frame at 3 s" 200 "$(req POST "/api/v1/films/$AM/backdrop/frame?t=3" "${A[@]}")"
check "written as <video>-fanart.jpg" test -s "$LIB/amelie/amelie-fanart.jpg"
check_eq "a frame of the film (160x90)" "160,90" "$(ffprobe -v error -show_entries stream=width,height -of csv=p=0 "$LIB/amelie/amelie-fanart.jpg")"
check_eq "served as the backdrop" 200 "$(req GET "/api/v1/films/$AM/backdrop" "${A[@]}")"
check_eq "a time past the end: 400" 400 "$(req POST "/api/v1/films/$AM/poster/frame?t=60" "${A[@]}")"
check_eq "no time: 400" 400 "$(req POST "/api/v1/films/$AM/poster/frame" "${A[@]}")"
check_eq "a time that is not a number: 400" 400 "$(req POST "/api/v1/films/$AM/poster/frame?t=abc" "${A[@]}")"
check_eq "GET on a frame route: 405" 405 "$(req GET "/api/v1/films/$AM/poster/frame?t=1" "${A[@]}")"
check_eq "no temporary left beside the film" "" "$(ls "$LIB/amelie" | grep '\.tmp\.' || true)"
stop_server

# ---- a fresh catalog reads it all back from the files ----
DB2="$WORK/fresh.db"
"$CINEMATECA" scan --db "$DB2" --no-posters "$LIB" >/dev/null 2>&1
check_eq "a fresh scan" 0 "$?"
start_server --db "$DB2" --no-watch "$LIB" || { fail "server starts"; finish; exit 1; }
req GET "/api/v1/films?limit=50" >/dev/null
AM2=$(j "[f['id'] for f in d['items'] if f['title']=='Amélie'][0]")
check "the new catalog names the film Amélie" test -n "$AM2"
req GET "/api/v1/films/$AM2" >/dev/null
check_eq "its year, original and sort title" "2001 Le Fabuleux Destin d'Amélie Poulain Amelie" \
  "$(j '"%s %s %s" % (d["year"], d["original_title"], d.get("sort_title"))')"
check_eq "the same genres" "Comedy,Romance" "$(j '",".join(d["genres"])')"
check_contains "the same people" "Nino Quincampoix" "$(cat "$WORK/body")"
check_contains "the composer" "Yann Tiersen" "$(cat "$WORK/body")"
check_contains "the festival" "Paris Film Festival" "$(cat "$WORK/body")"
check_contains "the collection" "Jeunet's Paris" "$(cat "$WORK/body")"
check_contains "the edition" "Director's Cut" "$(cat "$WORK/body")"
check_eq "the poster is the uploaded one" "blue" "$(req GET "/api/v1/films/$AM2/poster" >/dev/null; ffmpeg -v error -i "$WORK/body" -vf scale=1:1 -f rawvideo -pix_fmt rgb24 - | python3 -c 'import sys; r,g,b=sys.stdin.buffer.read(3); print("blue" if b>200 and r<60 else (r,g,b))')"
check_eq "the backdrop is the frame" 200 "$(req GET "/api/v1/films/$AM2/backdrop")"
stop_server
check_eq "catalog intact" ok "$(sqlite3 "$DB" 'PRAGMA integrity_check')"
finish
