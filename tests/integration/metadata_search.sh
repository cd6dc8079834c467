#!/usr/bin/env bash
# Integration: metadata from .nfo files (and their fallbacks), artwork and
# generated posters, people shared across films, release history, and
# accent- and typo-forgiving search, through the CLI.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

LIB="$WORK/films"
DB="$WORK/catalog.db"
make_clip "$WORK/base.mkv" 3

PAIN="$LIB/Pain and Glory (2019)"
mkdir -p "$PAIN/Interviews" "$PAIN/Clips"
cp "$WORK/base.mkv" "$PAIN/Pain and Glory (2019).mkv"
cp "$WORK/base.mkv" "$PAIN/Interviews/In His Own Words.mkv"
cp "$WORK/base.mkv" "$PAIN/Clips/Clip 1.mkv"
cat > "$PAIN/movie.nfo" <<'NFO'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<movie>
  <title>Pain and Glory</title>
  <originaltitle>Dolor y gloria</originaltitle>
  <year>2019</year>
  <plot>A film director past his prime, kept from work by a failing body, revisits his childhood, his first love and his mother.</plot>
  <tagline>A life remembered is a life retold.</tagline>
  <runtime>113</runtime>
  <genre>Drama</genre>
  <country>Spain</country>
  <premiered>2019-03-22</premiered>
  <director>Pedro Almodóvar</director>
  <credits>Pedro Almodóvar</credits>
  <actor><name>Antonio Banderas</name><role>Salvador Mallo</role><order>0</order></actor>
  <actor><name>Penélope Cruz</name><role>Jacinta</role><order>1</order></actor>
  <crew role="composer">Alberto Iglesias</crew>
  <crew role="producer">Agustín Almodóvar</crew>
  <uniqueid type="tmdb" default="true">519010</uniqueid>
  <release type="physical" date="2020-01-21" country="US" format="Blu-ray"/>
  <release type="festival" date="2019-05-17" event="Cannes Film Festival" section="Competition" country="FR"/>
  <release type="theatrical" date="2019-10-04" country="US" distributor="Sony Pictures Classics"/>
  <release type="festival" date="2019-09" event="Toronto International Film Festival" country="CA"/>
</movie>
NFO
cat > "$PAIN/Interviews/In His Own Words.nfo" <<'NFO'
<movie><title>Pedro Almodóvar: In His Own Words</title><plot>The director on La Movida Madrileña and his early influences.</plot></movie>
NFO
# A poster the scanner must find (any JPEG will do).
ffmpeg -nostdin -v error -f lavfi -i "color=c=red:s=60x90" -frames:v 1 "$PAIN/poster.jpg"

ALL="$LIB/All About My Mother (1999)"
mkdir -p "$ALL"
cp "$WORK/base.mkv" "$ALL/All About My Mother (1999).mkv"
cat > "$ALL/movie.nfo" <<'NFO'
<movie>
  <title>All About My Mother</title><originaltitle>Todo sobre mi madre</originaltitle><year>1999</year>
  <director>Pedro Almodovar</director>
  <actor><name>Penélope Cruz</name><role>Sister Rosa</role></actor>
  <actor><name>Cecilia Roth</name><role>Manuela</role></actor>
  <release type="festival" date="1999-05" event="Cannes Film Festival" section="Competition" country="FR"/>
</movie>
NFO
# A broken .nfo: the film falls back to its name, with a warning.
BROKEN="$LIB/Volver (2006)"
mkdir -p "$BROKEN"
cp "$WORK/base.mkv" "$BROKEN/Volver (2006).mkv"
printf '<movie><title>Volver</title><year>2006</yr></movie>' > "$BROKEN/movie.nfo"
# Hostile .nfo files: billion laughs and an external entity.
LAUGH="$LIB/Laughs (2001)"
mkdir -p "$LAUGH"
cp "$WORK/base.mkv" "$LAUGH/Laughs (2001).mkv"
{
  echo '<?xml version="1.0"?><!DOCTYPE movie [<!ENTITY a "ha">'
  prev=a
  for i in 1 2 3 4 5 6 7 8 9; do echo "<!ENTITY e$i \"&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;\">"; prev=e$i; done
  echo "]><movie><title>&$prev;</title></movie>"
} > "$LAUGH/movie.nfo"
XXE="$LIB/Secret (2002)"
mkdir -p "$XXE"
cp "$WORK/base.mkv" "$XXE/Secret (2002).mkv"
printf '<?xml version="1.0"?>\n<!DOCTYPE movie [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<movie><title>Secret</title><plot>&x;</plot></movie>\n' > "$XXE/movie.nfo"
# No poster anywhere: one is generated from the film.
NOPOSTER="$LIB/Julieta (2016)"
mkdir -p "$NOPOSTER"
make_clip "$NOPOSTER/Julieta (2016).mkv" 4

start=$(date +%s)
out=$(timeout 120 "$CINEMATECA" scan --db "$DB" "$LIB" 2>&1); rc=$?
check_eq "scan exits 0" 0 "$rc"
check "hostile .nfo files do not hang the scan" test $(( $(date +%s) - start )) -lt 100
check_contains "broken .nfo reported" "Volver (2006)/movie.nfo" "$out"

"$CINEMATECA" films --db "$DB" --json > "$WORK/films.json"
fid() { json_get "$WORK/films.json" "[f['id'] for f in d['films'] if f['title']==\"$1\"][0]"; }
PAIN_ID=$(fid "Pain and Glory")
"$CINEMATECA" film --db "$DB" --json "$PAIN_ID" > "$WORK/pain.json"; rc=$?
check_eq "film --json exits 0" 0 "$rc"
P="$WORK/pain.json"
check_eq "original title from .nfo" "Dolor y gloria" "$(json_get "$P" "d['original_title']")"
check_eq "runtime from .nfo" 113 "$(json_get "$P" "d['runtime']")"
check_eq "genres" "['Drama']" "$(json_get "$P" "d['genres']")"
check_eq "tmdb id" 519010 "$(json_get "$P" "d['ids']['tmdb']")"
check_contains "plot" "failing body" "$(json_get "$P" "d['plot']")"
check_eq "director" "Pedro Almodóvar" "$(json_get "$P" "[c['name'] for c in d['credits'] if c['job']=='director'][0]")"
check_eq "actor with character" "Salvador Mallo" "$(json_get "$P" "[c['character'] for c in d['credits'] if c['name']=='Antonio Banderas'][0]")"
check_eq "composer from <crew>" "Alberto Iglesias" "$(json_get "$P" "[c['name'] for c in d['credits'] if c['job']=='composer'][0]")"
check_eq "producer from <crew>" "Agustín Almodóvar" "$(json_get "$P" "[c['name'] for c in d['credits'] if c['job']=='producer'][0]")"
check_eq "releases in date order" "2019-05-17 2019-09 2019-10-04 2020-01-21" "$(json_get "$P" "' '.join(r['date'] for r in d['releases'])")"
check_eq "Cannes release has its section" "Competition" "$(json_get "$P" "[r['section'] for r in d['releases'] if r['event']=='Cannes Film Festival'][0]")"
check_eq "theatrical release has its distributor" "Sony Pictures Classics" "$(json_get "$P" "[r['distributor'] for r in d['releases'] if r['type']=='theatrical'][0]")"
check_eq "Blu-ray release" "Blu-ray" "$(json_get "$P" "[r['format'] for r in d['releases'] if r['type']=='physical'][0]")"
check_eq "extra title from its own .nfo" "Pedro Almodóvar: In His Own Words" "$(json_get "$P" "[x['title'] for x in d['extras'] if x['type']=='interview'][0]")"
check_contains "extra plot from its own .nfo" "Movida" "$(json_get "$P" "[x['plot'] for x in d['extras'] if x['type']=='interview'][0]")"
check_contains "poster found beside the film" "/poster.jpg" "$(json_get "$P" "d['artwork']['poster']")"

JUL_ID=$(fid "Julieta")
"$CINEMATECA" film --db "$DB" --json "$JUL_ID" > "$WORK/jul.json"
poster=$(json_get "$WORK/jul.json" "d['artwork']['poster']")
check_eq "a poster is generated for a film without one" True "$(json_get "$WORK/jul.json" "d['artwork']['poster_generated']")"
check_contains "generated poster lives beside the catalog" "$DB.cache/" "$poster"
check "generated poster is a JPEG" bash -c "ffprobe -v error -show_entries stream=codec_name -of csv=p=0 '$poster' | grep -q mjpeg"
check "nothing was written into the library folder" test -z "$(find "$NOPOSTER" -newer "$NOPOSTER/Julieta (2016).mkv" -type f)"

check_eq "broken .nfo: film keeps its name" 1 "$(json_get "$WORK/films.json" "sum(f['title']=='Volver' for f in d['films'])")"
check_eq "billion laughs: no expansion in the title" 0 "$(sqlite3 "$DB" "SELECT count(*) FROM films WHERE title LIKE '%hahaha%'")"
check_eq "external entity: /etc/passwd never read" 0 "$(sqlite3 "$DB" "SELECT count(*) FROM films WHERE coalesce(plot,'') LIKE '%root:%'")"

# People are shared across films: one Penélope Cruz in two films.
check_eq "one person per name" 1 "$(sqlite3 "$DB" "SELECT count(*) FROM people WHERE name = 'Penélope Cruz'")"
CRUZ=$(sqlite3 "$DB" "SELECT id FROM people WHERE name = 'Penélope Cruz'")
"$CINEMATECA" person --db "$DB" --json "$CRUZ" > "$WORK/cruz.json"; rc=$?
check_eq "person --json exits 0" 0 "$rc"
check_eq "her films, in year order" "All About My Mother|Pain and Glory" "$(json_get "$WORK/cruz.json" "'|'.join(f['title'] for f in d['films'])")"
check_eq "her role in Pain and Glory" "Jacinta" "$(json_get "$WORK/cruz.json" "[f['roles'][0]['character'] for f in d['films'] if f['title']=='Pain and Glory'][0]")"
check_contains "collaborators" "Antonio Banderas" "$(json_get "$WORK/cruz.json" "[c['name'] for c in d['collaborators']]")"

# Search, through the CLI.
search() { "$CINEMATECA" search --db "$DB" --json "$1" > "$WORK/s.json" 2>/dev/null; }
for q in almodovar Almodóvar ALMODOVAR; do
  search "$q"
  check_contains "search '$q' finds the director" "Pedro Almodóvar" "$(json_get "$WORK/s.json" "[p['name'] for p in d['people']]")"
  check_contains "search '$q' finds his film" "Pain and Glory" "$(json_get "$WORK/s.json" "[f['title'] for f in d['films']]")"
done
search penelope
check_contains "search 'penelope' finds Penélope Cruz" "Penélope Cruz" "$(json_get "$WORK/s.json" "[p['name'] for p in d['people']]")"
search dolor
check_contains "search 'dolor' finds the film by original title" "Pain and Glory" "$(json_get "$WORK/s.json" "[f['title'] for f in d['films']]")"
search "salvador mallo"
check_contains "search by character" "Pain and Glory" "$(json_get "$WORK/s.json" "[f['title'] for f in d['films']]")"
search "pain gl"
check_eq "prefix search as you type" "Pain and Glory" "$(json_get "$WORK/s.json" "d['films'][0]['title']")"
search almodvar
check_contains "one typo forgiven: almodvar" "Pedro Almodóvar" "$(json_get "$WORK/s.json" "[p['name'] for p in d['people']]")"
search banderes
check_contains "one typo forgiven: banderes" "Antonio Banderas" "$(json_get "$WORK/s.json" "[p['name'] for p in d['people']]")"
search "in his own words"
check_contains "extras are searchable" "In His Own Words" "$(json_get "$WORK/s.json" "[x['title'] for x in d['extras']]")"
# Six film folders above: Pain and Glory, All About My Mother, Volver,
# Laughs, Secret, Julieta.
films_before=$(sqlite3 "$DB" 'SELECT count(*) FROM films')
check_eq "six films in the catalog" 6 "$films_before"
search '"); DROP TABLE films; --'; rc=$?
check_eq "hostile query exits 0" 0 "$rc"
check_eq "hostile query is harmless" "$films_before" "$(sqlite3 "$DB" 'SELECT count(*) FROM films')"
out=$("$CINEMATECA" search --db "$DB" almodovar); rc=$?
check_eq "plain search exits 0" 0 "$rc"
check_contains "plain search lists the film" "Pain and Glory" "$out"

# Rescan after editing the .nfo: the change is picked up, stale credits go.
sed -i 's|<crew role="composer">Alberto Iglesias</crew>||' "$PAIN/movie.nfo"
touch -d '+2 seconds' "$PAIN/movie.nfo"
out=$("$CINEMATECA" scan --db "$DB" "$LIB" 2>&1)
check_contains "edited .nfo is read again" "1 .nfo files read" "$out"
"$CINEMATECA" film --db "$DB" --json "$PAIN_ID" > "$P"
check_eq "removed credit is gone" 0 "$(json_get "$P" "sum(c['job']=='composer' for c in d['credits'])")"
out=$("$CINEMATECA" scan --db "$DB" "$LIB" 2>&1)
check "an unchanged .nfo is not read again" bash -c "! grep -q '.nfo files read' <<< \"$out\" || grep -q ' 0 .nfo files read' <<< \"$out\""
check_eq "a person dropped from the .nfo leaves the catalog" 0 "$(sqlite3 "$DB" "SELECT count(*) FROM people WHERE name = 'Alberto Iglesias'")"
search iglesias
check_eq "and search no longer finds him" "[]" "$(json_get "$WORK/s.json" "d['people']")"

finish
