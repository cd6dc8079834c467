#!/usr/bin/env bash
# End-to-end: the film editor in Debian's Chromium (tests/e2e/edit.mjs)
# against a real server, then a fresh scan into a NEW catalog that reads
# every edit back from the files the editor wrote. Screenshots go to
# $E2E_SHOTS (default: build/e2e-screenshots).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
need_browser

LIB="$WORK/films"; DB="$WORK/catalog.db"
make_clip "$WORK/base.mkv" 6
mkdir -p "$LIB/amelie" "$LIB/Hand Made (1999)"
cp "$WORK/base.mkv" "$LIB/amelie/amelie.mkv"
cp "$WORK/base.mkv" "$LIB/Hand Made (1999)/Hand Made (1999).mkv"
printf 'x' >> "$LIB/Hand Made (1999)/Hand Made (1999).mkv"
echo '<movie><title>Hand Made</title><year>1999</year></movie>' > "$LIB/Hand Made (1999)/Hand Made (1999).nfo"
ffmpeg -nostdin -v error -f lavfi -i "color=c=0x2a6f97:s=400x600" -frames:v 1 "$WORK/poster.png"
"$CINEMATECA" scan --db "$DB" --no-posters "$LIB" >/dev/null 2>&1
start_server --db "$DB" --no-watch --web "$ROOT/web" "$LIB" || { fail "server starts"; finish; exit 1; }
ids=$(curl -s "$URL/api/v1/films?limit=10" | python3 -c 'import json,sys; d={f["title"]:f["id"] for f in json.load(sys.stdin)["items"]}; print(d["amelie"], d["Hand Made"])')
read -r PLAIN HAND <<< "$ids"
run_e2e 300 edit.mjs "$URL" "$SHOTS" "$(cd "$LIB" && pwd -P)" "$PLAIN" "$HAND" "$WORK/poster.png"
stop_server

# The next scan, into a catalog that never saw the edits, reads them back.
"$CINEMATECA" scan --db "$WORK/fresh.db" --no-posters "$LIB" >/dev/null 2>&1
start_server --db "$WORK/fresh.db" --no-watch "$LIB" || { fail "server starts"; finish; exit 1; }
curl -s "$URL/api/v1/films?limit=10" > "$WORK/films.json"
ID=$(json_get "$WORK/films.json" "[f['id'] for f in d['items'] if f['title']=='Amélie'][0]")
check "a fresh catalog names the film Amélie" test -n "$ID"
curl -s "$URL/api/v1/films/$ID" > "$WORK/film.json"
check_eq "with the year and original title" "2001 Le Fabuleux Destin d'Amélie Poulain" "$(json_get "$WORK/film.json" '"%s %s" % (d["year"], d["original_title"])')"
check_eq "the genres" "Comedy,Romance" "$(json_get "$WORK/film.json" '",".join(d["genres"])')"
check_eq "the people" "Jean-Pierre Jeunet:director Audrey Tautou:actor" "$(json_get "$WORK/film.json" '" ".join(c["name"] + ":" + c["job"] for c in d["credits"])')"
check_eq "the festival" "festival 2001-04-25 FR Paris Film Festival" "$(json_get "$WORK/film.json" '" ".join("%s %s %s %s" % (r["type"], r["date"], r["country"], r["event"]) for r in d["releases"])')"
check_eq "the collection" "Jeunet's Paris" "$(json_get "$WORK/film.json" 'd["set"]["name"]')"
check_contains "the uploaded poster" "amelie-poster.jpg" "$(sqlite3 "$WORK/fresh.db" "SELECT path FROM artwork WHERE kind='poster' AND film_id=$ID")"
check_contains "the backdrop cut from the film" "amelie-fanart.jpg" "$(sqlite3 "$WORK/fresh.db" "SELECT path FROM artwork WHERE kind='backdrop' AND film_id=$ID")"
stop_server
finish
