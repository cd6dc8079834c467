#!/usr/bin/env bash
# End-to-end: browsing a big, messy library in Debian's Chromium
# (tests/e2e/home.mjs): 300 films named every which way, few .nfo files, a
# Collections/Studio Ghibli/ folder; the home rows, the A-Z bar, a
# collection page, search (its full results page, why a film matched,
# empty groups), TV mode with arrow keys only, the filter sheet at phone
# width, and axe-core on every page. Screenshots go to $E2E_SHOTS
# (default: build/e2e-screenshots).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
need_browser axe-core/axe.min.js

# ---- the messy library: one tiny clip, copied (each copy made unique) ----
LIB="$WORK/films"
DB="$WORK/catalog.db"
make_clip "$WORK/base.mkv" 1 -s 64x36
python3 - "$WORK/base.mkv" "$LIB" <<'PY'
import os, random, sys
base, lib = sys.argv[1], sys.argv[2]
clip = open(base, 'rb').read()
made = []

def put(rel, nfo=None):
    path = os.path.join(lib, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    # Unique bytes per copy: no two files share a fingerprint.
    open(path, 'wb').write(clip + rel.encode())
    if nfo:
        stem = os.path.splitext(path)[0]
        open(stem + '.nfo', 'w', encoding='utf-8').write(nfo)
    made.append(rel)

def folder(title, ext='mkv', nfo=None, under=''):
    put(os.path.join(under, title, f'{title}.{ext}'), nfo)

# Titles a librarian has opinions about, in several languages.
for t in ['Amélie (2001)', 'Amour (2012)', 'Zoo (2018)', 'Die Hard (1988)', 'Das Boot (1981)',
          'Les Misérables (2012)', 'El Dorado (1966)', 'Il Postino (1994)', 'Gattaca (1997)',
          'Goodfellas (1990)', '2 Fast 2 Furious (2003)', '10 Things I Hate About You (1999)',
          '2001 A Space Odyssey (1968)', '8½ (1963)', 'The Others (2001)', 'A Clockwork Orange (1971)',
          'An Education (2009)', 'Los Olvidados (1950)', 'Yojimbo (1961)', 'Ikiru (1952)',
          'Ça (2017)', 'Édith et Marcel (1983)', 'Öndög (2019)']:
    folder(t)
put('Alien.mkv')                                        # no year, flat
put('Blade.Runner.2049.2017.1080p.BluRay.x264-GROUP.mkv')  # a release name
put('the.third.man.1949.720p.mkv')
# A Studio Ghibli folder: no .nfo, no <set>.
for t in ['Spirited Away (2001)', 'My Neighbor Totoro (1988)', 'Princess Mononoke (1997)',
          "Kiki's Delivery Service (1989)", 'Porco Rosso (1992)']:
    folder(t, under='Collections/Studio Ghibli')
# The few .nfo files.
folder('Pain and Glory (2019)', nfo='''<movie><title>Pain and Glory</title>
<originaltitle>Dolor y gloria</originaltitle><year>2019</year><country>Spain</country>
<director>Pedro Almodóvar</director>
<actor><name>Antonio Banderas</name><role>Salvador Mallo</role></actor>
<ratings><rating name="imdb" max="10"><value>7.5</value></rating></ratings>
<mpaa>R</mpaa><tag>semi-autobiographical</tag><genre>Drama</genre>
<release type="festival" date="2019-05-17" event="Cannes Film Festival" section="Competition" country="FR"/>
</movie>''')
folder('The Godfather (1972)', nfo='''<movie><title>The Godfather</title><year>1972</year>
<set><name>The Godfather Collection</name></set><genre>Crime</genre></movie>''')
folder('The Godfather Part II (1974)', nfo='''<movie><title>The Godfather Part II</title><year>1974</year>
<set><name>The Godfather Collection</name></set><genre>Crime</genre></movie>''')
folder('La Haine (1995)', nfo='''<movie><title>La Haine</title><year>1995</year><country>France</country>
<genre>Drama</genre></movie>''')
# Filler to 300: two words each, a fixed shuffle, years or none.
words = ['Harbour', 'Lantern', 'Meridian', 'Orchard', 'Quarry', 'River', 'Summer', 'Tangier',
         'Umbrella', 'Velvet', 'Winter', 'Bridges', 'Copper', 'Falcon', 'Nightfall', 'Juniper',
         'Kestrel', 'Paper', 'Salt', 'Thunder', 'Violet', 'Willow', 'Ember', 'Horizon']
rnd = random.Random(13)
n = 0
while len(made) < 300:
    a, b = rnd.choice(words), rnd.choice(words)
    year = rnd.choice([None, rnd.randrange(1930, 2024)])
    n += 1
    title = f'{a} {b} {n}' + (f' ({year})' if year else '')
    if rnd.random() < 0.3:
        put(f'{title}.mp4')            # flat files beside the folders
    else:
        folder(title, ext=rnd.choice(['mkv', 'mp4']))
PY
check "the messy library has 300 video files" test "$(find "$LIB" -type f \( -name '*.mkv' -o -name '*.mp4' \) | wc -l)" -eq 300
"$CINEMATECA" scan --db "$DB" "$LIB" > "$WORK/scan.out" 2>&1
check "the messy library scans" test $? -eq 0
start_server --db "$DB" --no-watch --web "$ROOT/web" "$LIB" || { fail "server starts"; finish; exit 1; }
FILMS=$(curl -s "$URL/api/v1/films?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
check_eq "the catalog holds 300 films" 300 "$FILMS"

# The API behind it, as curl sees it.
code() { curl -s -o /dev/null -w '%{http_code}' "$URL$1"; }
check_eq "a sort it does not know is a 400 naming it" 400 "$(code '/api/v1/films?sort=shelf')"
check_contains "the 400 lists the sorts" "rating, release, played, plays or random" "$(curl -s "$URL/api/v1/films?sort=x")"
for bad in 'rating=11' 'rating=x' 'resolution=8k' 'hdr=yes' 'audio=spanish' 'release=cinema' 'collection=0' 'seed=-1'; do
  check_eq "films?$bad is a 400" 400 "$(code "/api/v1/films?$bad")"
done
check_eq "the old parameters still work together" 200 "$(code '/api/v1/films?genre=drama&decade=1990&sort=year&order=desc&limit=20')"
check_eq "no such collection: 404" 404 "$(code /api/v1/collections/999999)"
check_eq "more like a film that does not exist: 404" 404 "$(code /api/v1/films/999999/similar)"
LETTERS=$(curl -s "$URL/api/v1/films/letters" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["total"], sum(l["count"] for l in d["letters"]))')
check_eq "the A-Z counts add up to every film" "300 300" "$LETTERS"
R1=$(curl -s "$URL/api/v1/films?sort=random&seed=7&limit=300" | python3 -c 'import json,sys; print(",".join(str(f["id"]) for f in json.load(sys.stdin)["items"]))')
R2=$( (curl -s "$URL/api/v1/films?sort=random&seed=7&limit=150"; curl -s "$URL/api/v1/films?sort=random&seed=7&limit=150&offset=150") | python3 -c '
import json,sys
ids=[]
for line in sys.stdin.read().replace("}{", "}\n{").splitlines():
    ids += [str(f["id"]) for f in json.loads(line)["items"]]
print(",".join(ids))')
check_eq "a random order is the same across pages of one seed" "$R1" "$R2"
check "a random order covers every film once" test "$(echo "$R1" | tr ',' '\n' | sort -u | wc -l)" -eq 300
WHY=$(curl -s "$URL/api/v1/search?q=mallo" | python3 -c 'import json,sys; print(json.load(sys.stdin)["films"][0]["matched"])')
check_contains "search says a film matched by its character" "Salvador Mallo" "$WHY"

run_e2e 600 home.mjs "$URL" "$SHOTS"
stop_server
check_no_sanitizer_reports "the server stops cleanly (no sanitizer reports)" "$SERVER_LOG"
finish
