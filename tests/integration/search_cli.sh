#!/usr/bin/env bash
# Integration: `cinemateca search` as a script sees it: exit statuses, the
# exact JSON shape, plain output, limits, and a catalog written by an older
# cinemateca (schema version 1) upgraded and indexed by the next scan.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

LIB="$WORK/films"
DB="$WORK/catalog.db"
make_clip "$WORK/base.mkv" 1
for f in "Volver (2006)" "Talk to Her (2002)" "Julieta (2016)" "Matador (1986)"; do
  mkdir -p "$LIB/$f"
  cp "$WORK/base.mkv" "$LIB/$f/$f.mkv"
done
mkdir -p "$LIB/Untitled Home Movie"
cp "$WORK/base.mkv" "$LIB/Untitled Home Movie/Untitled Home Movie.mkv"
mkdir -p "$LIB/Volver (2006)/Trailers"
cp "$WORK/base.mkv" "$LIB/Volver (2006)/Trailers/Volver Teaser.mkv"
cat > "$LIB/Volver (2006)/movie.nfo" <<'NFO'
<movie><title>Volver</title><year>2006</year>
  <director>Pedro Almodóvar</director>
  <actor><name>Penélope Cruz</name><role>Raimunda</role></actor>
  <actor><name>Carmen Maura</name><role>Irene</role></actor>
</movie>
NFO
"$CINEMATECA" scan --db "$DB" "$LIB" >/dev/null 2>&1
check_eq "scan exits 0" 0 "$?"

# Exit statuses.
"$CINEMATECA" search >/dev/null 2>&1; check_eq "no arguments: usage (2)" 2 "$?"
"$CINEMATECA" search --db "$DB" >/dev/null 2>&1; check_eq "no query: usage (2)" 2 "$?"
"$CINEMATECA" search --db "$DB" --limit 0 volver >/dev/null 2>&1; check_eq "bad limit: usage (2)" 2 "$?"
"$CINEMATECA" search --db "$DB" --bogus volver >/dev/null 2>&1; check_eq "unknown option: usage (2)" 2 "$?"
err=$("$CINEMATECA" search --db "$WORK/nope.db" volver 2>&1 >/dev/null); rc=$?
check_eq "missing catalog: 1" 1 "$rc"
check_contains "missing catalog: says so" "does not exist" "$err"
"$CINEMATECA" search --db "$DB" --json zzzzqqqq > "$WORK/none.json"; rc=$?
check_eq "nothing found: still 0" 0 "$rc"
check_eq "nothing found: three empty groups" '{"films": [], "people": [], "extras": []}' \
  "$(json_get "$WORK/none.json" "json.dumps(d)")"

# The JSON shape, exactly.
"$CINEMATECA" search --db "$DB" --json volver > "$WORK/v.json"
check_eq "top-level keys" "['extras', 'films', 'people']" "$(json_get "$WORK/v.json" "sorted(d)")"
check_eq "film keys" "['id', 'title', 'year']" "$(json_get "$WORK/v.json" "sorted(d['films'][0])")"
check_eq "the film" "Volver 2006" "$(json_get "$WORK/v.json" "d['films'][0]['title'] + ' ' + str(d['films'][0]['year'])")"
check_eq "extra keys" "['film_id', 'id', 'title', 'type']" "$(json_get "$WORK/v.json" "sorted(d['extras'][0])")"
check_eq "the extra belongs to the film" True "$(json_get "$WORK/v.json" "d['extras'][0]['film_id'] == d['films'][0]['id']")"
check_eq "the extra is a trailer" trailer "$(json_get "$WORK/v.json" "d['extras'][0]['type']")"
"$CINEMATECA" film --db "$DB" --json "$(json_get "$WORK/v.json" "d['films'][0]['id']")" > "$WORK/film.json"
check_eq "extra ids are the film record's" "$(json_get "$WORK/film.json" "[x['id'] for x in d['extras']]")" \
  "$(json_get "$WORK/v.json" "[x['id'] for x in d['extras']]")"
"$CINEMATECA" search --db "$DB" --json penelope > "$WORK/p.json"
check_eq "person keys" "['id', 'name']" "$(json_get "$WORK/p.json" "sorted(d['people'][0])")"
check_eq "person found without accents" "Penélope Cruz" "$(json_get "$WORK/p.json" "d['people'][0]['name']")"
check_eq "her film through her" Volver "$(json_get "$WORK/p.json" "d['films'][0]['title']")"
"$CINEMATECA" search --db "$DB" --json untitled > "$WORK/u.json"
check_eq "unknown year is null" None "$(json_get "$WORK/u.json" "d['films'][0]['year']")"

# Several arguments are one query; limits.
"$CINEMATECA" search --db "$DB" --json talk to > "$WORK/t.json"
check_eq "several arguments, one query" "Talk to Her" "$(json_get "$WORK/t.json" "d['films'][0]['title']")"
"$CINEMATECA" search --db "$DB" --json --limit 1 a > "$WORK/l.json"
check_eq "--limit caps each group" 1 "$(json_get "$WORK/l.json" "len(d['films'])")"

# Plain output: grouped, readable.
out=$("$CINEMATECA" search --db "$DB" cruz); rc=$?
check_eq "plain output exits 0" 0 "$rc"
check_contains "plain: films heading" "films:" "$out"
check_contains "plain: the film with its year" "Volver (2006)" "$out"
check_contains "plain: people heading" "people:" "$out"
out=$("$CINEMATECA" search --db "$DB" zzzzqqqq)
check_contains "plain: nothing found" "nothing found" "$out"

# A catalog from before search (version 1): the search tables gone, the
# version put back. The next scan upgrades it and indexes what is there.
sqlite3 "$DB" "DROP TRIGGER scope_films_insert; DROP TRIGGER scope_films_delete; DROP TRIGGER scope_films_mpaa; DROP TRIGGER scope_files_insert; DROP TRIGGER scope_files_delete; DROP TRIGGER scope_files_update; DROP TABLE scope_stamp; DROP TRIGGER film_plays_watch_insert; DROP TRIGGER film_plays_watch_update; DROP TRIGGER film_plays_watch_delete; DROP TRIGGER film_plays_files_update; DROP TRIGGER film_plays_files_delete; DROP TABLE film_plays; DROP TRIGGER film_list_films_insert; DROP TRIGGER film_list_genres_insert; DROP TRIGGER film_list_genres_delete; DROP TRIGGER film_list_genres_update; DROP TRIGGER film_list_poster_insert; DROP TRIGGER film_list_poster_delete; DROP TRIGGER film_list_poster_update; DROP TRIGGER film_list_director_insert; DROP TRIGGER film_list_director_delete; DROP TRIGGER film_list_director_update; DROP TRIGGER film_list_director_name; DROP TRIGGER film_list_files_insert; DROP TRIGGER film_list_files_update; DROP TRIGGER film_list_files_delete; DROP TRIGGER film_list_streams_insert; DROP TRIGGER film_list_streams_delete; DROP TRIGGER film_list_streams_update; DROP TABLE film_list_rows; DROP INDEX films_list_year; DROP INDEX films_list_rating; DROP INDEX films_list_release;
  DROP TABLE search_films; DROP TABLE search_plots; DROP TABLE search_people;
  DROP TABLE search_extras; DROP TABLE search_keys; DROP TABLE search_typos;
  DROP TABLE keyframes; DROP TABLE subtitles; DROP TABLE scan_status;
  DROP TABLE watch; DROP TABLE roots; DROP TABLE favorites; DROP TRIGGER IF EXISTS watch_file_gone;
  DROP TRIGGER IF EXISTS watch_file_new; DROP TRIGGER IF EXISTS watch_file_print;
  DROP TRIGGER films_sort_insert; DROP TRIGGER films_sort_dates; DROP TRIGGER films_sort_releases_insert; DROP TRIGGER films_sort_releases_update; DROP TRIGGER films_sort_releases_delete; DROP TRIGGER films_sort_ratings_insert; DROP TRIGGER films_sort_ratings_update; DROP TRIGGER films_sort_ratings_delete; DROP INDEX films_sort_rating_asc; DROP INDEX films_sort_rating_desc; DROP INDEX films_sort_release_asc; DROP INDEX films_sort_release_desc; DROP INDEX films_sort_shuffle; DROP INDEX ratings_film; ALTER TABLE films DROP COLUMN sort_rating; ALTER TABLE films DROP COLUMN sort_release; ALTER TABLE films DROP COLUMN sort_shuffle;
  DROP INDEX films_sort_title; DROP INDEX films_sort_year_asc; DROP INDEX films_sort_year_desc; DROP INDEX films_sort_added; DROP INDEX films_sort_runtime; DROP TRIGGER films_runtime_files_insert; DROP TRIGGER films_runtime_files_update; DROP TRIGGER films_runtime_files_delete; DROP TRIGGER films_runtime_update; ALTER TABLE films DROP COLUMN sort_runtime;
  DROP INDEX files_version; DROP TABLE versions; DROP TABLE editions;
  ALTER TABLE files DROP COLUMN version_id; ALTER TABLE files DROP COLUMN disc_title;
  ALTER TABLE files DROP COLUMN title_kind; DROP TABLE retries;
  DROP TRIGGER shares_file_gone; DROP TRIGGER shares_file_new; DROP TRIGGER shares_file_print;
  DROP TABLE share_views; DROP TABLE share_grants; DROP TABLE shares;
  DROP TRIGGER collections_left_update; DROP TRIGGER collections_left_delete; DROP INDEX films_shelf; DROP INDEX films_collection; ALTER TABLE films DROP COLUMN sort_key; ALTER TABLE films DROP COLUMN collection_id; DROP TABLE collections;
  DROP TRIGGER user_prefs_gone; DROP TABLE user_prefs; DROP TABLE settings;
  DROP INDEX films_updated; DROP INDEX files_probed; PRAGMA user_version = 1;"
"$CINEMATECA" search --db "$DB" volver >/dev/null 2>&1
check_eq "an old catalog is not searched read-only" 1 "$?"
"$CINEMATECA" scan --db "$DB" "$LIB" >/dev/null 2>&1
check_eq "rescan upgrades it" 0 "$?"
check "schema is current" test "$(sqlite3 "$DB" 'PRAGMA user_version')" -gt 1
"$CINEMATECA" search --db "$DB" --json almodvar > "$WORK/m.json"
check_eq "indexed after the upgrade (with a typo)" "Pedro Almodóvar" "$(json_get "$WORK/m.json" "d['people'][0]['name']")"
check_eq "catalog intact" ok "$(sqlite3 "$DB" 'PRAGMA integrity_check')"

finish
