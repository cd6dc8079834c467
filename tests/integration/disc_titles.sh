#!/usr/bin/env bash
# Discs through the server: an admin chooses a disc's main title
# (GET/PUT /api/v1/films/{id}/disctitle, written as <disctitle> into the
# film's .nfo), viewers are answered as if the route did not exist; the
# disc titles' chapters reach /api/v1/files/{id}/chapters (Blu-ray
# playlist marks from tests/integration/bdmv_writer.py, DVD chapters
# authored with dvdauthor); and a DVD's picture subtitles (VobSub) are
# listed and burned into a transcoded HLS stream.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/lib.sh"

WRITER="$here/bdmv_writer.py"
for tool in ffmpeg ffprobe dvdauthor spumux python3 curl; do
  command -v "$tool" >/dev/null || { fail "$tool is missing (scripts/setup.sh installs it)"; finish; exit 1; }
done

M="$WORK/media"
LIB="$WORK/library"
mkdir -p "$M" "$LIB"
make_m2ts() { # OUT SECONDS SOURCE
  ffmpeg -nostdin -v error -y -f lavfi -i "$3=size=160x90:rate=25" \
    -f lavfi -i "sine=frequency=440:sample_rate=48000" -t "$2" \
    -c:v libx264 -preset ultrafast -g 25 -pix_fmt yuv420p -c:a ac3 -b:a 64k -ac 1 \
    -metadata:s:a:0 language=eng -f mpegts -mpegts_m2ts_mode 1 "$1"
}
make_m2ts "$M/film.m2ts" 60 testsrc && make_m2ts "$M/interview.m2ts" 40 testsrc2 ||
  fail "could not make the Blu-ray clips"
BD="$LIB/Chosen Film (2001)"
python3 "$WRITER" "$BD" --clip 00001=$M/film.m2ts --clip 00002=$M/interview.m2ts \
  --playlist 00800=00001@0,20,45.5 --playlist 00001=00002@0,12 || fail "bdmv_writer failed"

# A DVD whose main title has chapters (dvdauthor puts them on the nearest
# GOP start: 0, 19.8 and 40.2 s for 20 and 40).
make_mpg() { # OUT SECONDS SOURCE
  ffmpeg -nostdin -v error -y -f lavfi -i "$3=size=352x288:rate=25" \
    -f lavfi -i "sine=frequency=440:sample_rate=48000" -t "$2" -target pal-dvd \
    -s 352x288 -b:v 300k -maxrate 1000k -bufsize 224k -b:a 64k -ac 1 "$1"
}
make_mpg "$M/plain.mpg" 60 testsrc && make_mpg "$M/extra.mpg" 35 testsrc2 ||
  fail "could not make the DVD clips"
# A French VobSub track over the main title, multiplexed by spumux
# (dvdauthor's own tool) from a picture: a yellow box with a black edge,
# shown 1-9 s and 12-19 s. Its colours go into the title's IFO palette,
# not the stream: yellow on screen means the disc's palette was used
# (libavcodec alone would guess greys).
python3 - "$M/sub.png" <<'PY'
import struct, sys, zlib
w, h, (x0, y0, x1, y1) = 352, 288, (60, 200, 292, 260)
raw = b"".join(b"\0" + bytes(
    (2 if min(x - x0, x1 - 1 - x, y - y0, y1 - 1 - y) < 3 else 1) if x0 <= x < x1 and y0 <= y < y1 else 0
    for x in range(w)) for y in range(h))
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 3, 0, 0, 0))
    + chunk(b"PLTE", bytes([0, 0, 0, 255, 255, 0, 0, 0, 0])) + chunk(b"tRNS", bytes([0, 255, 255]))
    + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
PY
cat > "$WORK/spu.xml" <<EOF
<subpictures format="PAL"><stream>
  <spu start="00:00:01.00" end="00:00:09.00" image="$M/sub.png" />
  <spu start="00:00:12.00" end="00:00:19.00" image="$M/sub.png" />
</stream></subpictures>
EOF
spumux -s 0 "$WORK/spu.xml" < "$M/plain.mpg" > "$M/main.mpg" 2>"$WORK/spumux.log" ||
  fail "spumux failed: $(tail -2 "$WORK/spumux.log")"
cat > "$WORK/dvd.xml" <<EOF
<dvdauthor dest="$LIB/Another Film (1999)">
  <vmgm />
  <titleset>
    <titles>
      <audio lang="en" />
      <subpicture lang="fr" />
      <pgc><vob file="$M/main.mpg" chapters="0,0:20,0:40" /></pgc>
      <pgc><vob file="$M/extra.mpg" /></pgc>
    </titles>
  </titleset>
</dvdauthor>
EOF
VIDEO_FORMAT=PAL dvdauthor -x "$WORK/dvd.xml" >/dev/null 2>&1 || fail "dvdauthor failed"

mkdir -p "$LIB/Plain (2010)"
make_clip "$LIB/Plain (2010)/Plain (2010).mkv" 2
DB="$WORK/catalog.db"
"$CINEMATECA" scan --db "$DB" --no-posters "$LIB" >/dev/null 2>&1
check_eq "scan" 0 "$?"
printf 'an admin password\n' | "$CINEMATECA" user add --db "$DB" --admin --password-stdin ana >/dev/null 2>&1
printf 'a viewer password\n' | "$CINEMATECA" user add --db "$DB" --password-stdin val >/dev/null 2>&1

# Stops the server and checks it ended cleanly (no sanitizer report).
stop_checked() {
  stop_server; local rc=$?
  check_eq "the server ($1) stops cleanly" "0" "$rc"
  check_no_sanitizer_reports "... with no sanitizer report" "$SERVER_LOG"
}
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
check "admin and viewer signed in" test -n "$ANA" -a -n "$VAL"
A=(-H "Cookie: cinemateca_session=$ANA" -H "Origin: $URL")
V=(-H "Cookie: cinemateca_session=$VAL" -H "Origin: $URL")
req GET "/api/v1/films?limit=50" "${A[@]}" >/dev/null
BDF=$(j "[f['id'] for f in d['items'] if f['title']=='Chosen Film'][0]")
DVDF=$(j "[f['id'] for f in d['items'] if f['title']=='Another Film'][0]")
PLAIN=$(j "[f['id'] for f in d['items'] if f['title']=='Plain'][0]")
check "both disc films and the plain one found" test -n "$BDF" -a -n "$DVDF" -a -n "$PLAIN"
# main_is FILM "DURATION KIND": whether the film's main title is that now
# (a function, so wait_until asks the server again each time).
main_is() { test "$(main_title "$1")" = "$2"; }
main_title() { # FILM: "duration kind" of its first version's first title
  req GET "/api/v1/films/$1" "${A[@]}" >/dev/null
  j "'%d %s' % (d['editions'][0]['versions'][0]['files'][0]['duration'], d['editions'][0]['versions'][0]['files'][0]['title_kind'])"
}
check_eq "the rules choose the 60 s playlist 800" "60 main" "$(main_title "$BDF")"

# ---- chapters of disc titles ----
req GET "/api/v1/films/$BDF" "${A[@]}" >/dev/null
MAIN=$(j "d['editions'][0]['versions'][0]['files'][0]['id']")
EXTRA=$(j "d['editions'][0]['versions'][0]['files'][1]['id']")
check_eq "Blu-ray main title: chapters from the playlist marks" "200 [0.0, 20.0, 45.5] ['Chapter 1', 'Chapter 2', 'Chapter 3']" \
  "$(req GET "/api/v1/files/$MAIN/chapters" "${V[@]}") $(j "[round(c['start'], 1) for c in d['chapters']]") $(j "[c['title'] for c in d['chapters']]")"
check_eq "Blu-ray main title: the last chapter ends with the title" "60" "$(j "int(round(d['chapters'][-1]['end']))")"
check_eq "Blu-ray interview (another title): its own two chapters" "200 [0.0, 12.0]" \
  "$(req GET "/api/v1/files/$EXTRA/chapters" "${V[@]}") $(j "[round(c['start'], 1) for c in d['chapters']]")"
req GET "/api/v1/films/$DVDF" "${A[@]}" >/dev/null
DMAIN=$(j "d['editions'][0]['versions'][0]['files'][0]['id']")
check_eq "DVD main title: chapters authored at 0, 0:20, 0:40 (on GOP starts)" "200 [0.0, 19.8, 40.2]" \
  "$(req GET "/api/v1/files/$DMAIN/chapters" "${V[@]}") $(j "[round(c['start'], 1) for c in d['chapters']]")"

# ---- a DVD's picture subtitles, listed and burned in ----
req GET "/api/v1/films/$DVDF" "${A[@]}" >/dev/null
check_eq "DVD main title: its French VobSub track is listed" "[('vobsub', 'fr')]" \
  "$(j "[(s['codec'], s['language']) for s in d['files'][0]['subtitles']]")"
MASTER="$URL/api/v1/files/$DMAIN/hls/master.m3u8"
plain=$(curl -s "${V[@]}" "$MASTER")
check_contains "the master playlist names the picture subtitles and the number that burns them in" \
  "# cinemateca: burn=2: fr picture subtitles (vobsub)" "$plain"
burned=$(curl -s "${V[@]}" "$MASTER?burn=2")
check_contains "burn=2: a rendition of its own, transcoded" "media.m3u8?o=1-tt-b2" "$burned"
check_contains "... saying so" "subtitles 2 (vobsub, fr) burned in" "$burned"
check_eq "burn= naming the audio stream: 400" "400" "$(req GET "/api/v1/files/$DMAIN/hls/master.m3u8?burn=1" "${V[@]}")"
check_eq "burn= naming no stream: 400" "400" "$(req GET "/api/v1/files/$DMAIN/hls/master.m3u8?burn=9" "${V[@]}")"
check_eq "burn= not a number: 400" "400" "$(req GET "/api/v1/files/$DMAIN/hls/master.m3u8?burn=x" "${V[@]}")"
code=$(req GET "/api/v1/files/$DMAIN/hls/init.mp4?o=1-tt-b7" "${V[@]}")
check "a rendition burning a stream the file lacks is refused ($code)" test "$code" -ge 400
COOKIE=(-headers "Cookie: cinemateca_session=$VAL"$'\r\n')
if timeout 300 ffmpeg -nostdin -v error "${COOKIE[@]}" -i "$MASTER?burn=2" -f null - >"$WORK/burn.log" 2>&1; then
  pass "ffmpeg decodes the burned-in HLS stream to the end"
else
  fail "ffmpeg decodes the burned-in HLS stream to the end ($(tail -3 "$WORK/burn.log" | tr '\n' ' '))"
fi
dur=$(ffprobe -v error "${COOKIE[@]}" -show_entries format=duration -of csv=p=0 "$MASTER?burn=2" 2>/dev/null)
check_eq "... lasting the title's 60 s" "60" "$(printf '%.0f' "${dur:-0}")"
# The box's middle (x 140-212, y 222-238), its mean red/green/blue, in the
# frames at 5 s, 10.4 s (between the two subtitles) and 15 s, with and
# without burn=.
box() { # EXTRA-QUERY
  ffmpeg -nostdin -v error "${COOKIE[@]}" -i "$MASTER$1" \
    -vf "select='eq(n\,125)+eq(n\,260)+eq(n\,375)',crop=72:16:140:222,format=rgb24" -vsync 0 \
    -f rawvideo - 2>/dev/null | python3 -c '
import sys
data = sys.stdin.buffer.read(); n = 72 * 16 * 3
print(" ".join("/".join(str(round(sum(data[k*n+c:(k+1)*n:3]) / (n // 3))) for c in range(3))
               for k in range(len(data) // n)))'
}
with=$(box "?burn=2"); without=$(box "")
echo "# the box's middle (red/green/blue) burned in: $with; without: $without"
read -r w5 w10 w15 <<< "$with"; read -r p5 p10 p15 <<< "$without"
yellow() { local r g b; IFS=/ read -r r g b <<< "$1"; [ "${r:-0}" -ge 200 ] && [ "${g:-0}" -ge 200 ] && [ "${b:-255}" -le 80 ]; }
near() { local a b; IFS=/ read -ra a <<< "$1"; IFS=/ read -ra b <<< "$2"
  for c in 0 1 2; do [ -n "${a[$c]:-}" ] && [ -n "${b[$c]:-}" ] && [ $((a[c] - b[c])) -le 12 ] && [ $((b[c] - a[c])) -le 12 ] || return 1; done; }
check "burned in: the subtitle's box at 5 s, yellow as the disc's palette says" yellow "${w5:-}"
if yellow "${w15:-}" && ! near "${w15:-}" "${p15:-}"; then
  pass "burned in: and at 15 s (its segment starts after the subtitle was sent)"
else
  fail "burned in: and at 15 s (its segment starts after the subtitle was sent)"
fi
if near "${w10:-}" "${p10:-}"; then
  pass "burned in: nothing at 10.4 s, between the subtitles (the picture as without)"
else
  fail "burned in: nothing at 10.4 s, between the subtitles (the picture as without)"
fi
if near "${w5:-}" "${p5:-}"; then fail "without burn=: no box at 5 s"; else pass "without burn=: no box at 5 s"; fi

# ---- who may choose ----
as_missing() { local m="$1"; shift; local b=(); [ "$m" != GET ] && b=("${JSON[@]}" -d '{"title":1}')
  echo "$(req "$m" "/api/v1/films/$BDF/nosuch" "$@" "${b[@]}") $(cat "$WORK/body")"; }
as_route() { local m="$1"; shift; local b=(); [ "$m" != GET ] && b=("${JSON[@]}" -d '{"title":1}')
  echo "$(req "$m" "/api/v1/films/$BDF/disctitle" "$@" "${b[@]}") $(cat "$WORK/body")"; }
for m in GET PUT; do
  check_eq "a viewer gets what a missing route gives: $m disctitle" "$(as_missing $m "${V[@]}")" "$(as_route $m "${V[@]}")"
done
check_contains "... for GET a 404" "404 " "$(as_route GET "${V[@]}")"
check_eq "no sign-in: 401" 401 "$(req PUT "/api/v1/films/$BDF/disctitle" "${JSON[@]}" -d '{"title":1}')"
check_eq "another site's page: 403" 403 "$(req PUT "/api/v1/films/$BDF/disctitle" \
  -H "Cookie: cinemateca_session=$ANA" -H 'Origin: http://evil.example' "${JSON[@]}" -d '{"title":1}')"
check "the viewer wrote nothing" test ! -e "$BD/movie.nfo"

# ---- what an admin sees and chooses ----
check_eq "admin: the disc's titles" "200" "$(req GET "/api/v1/films/$BDF/disctitle" "${A[@]}")"
check_eq "... main 800, nothing chosen" "800 None" "$(j "d['discs'][0]['main'], d['chosen']" | tr -d '(),')"
check_eq "... the two titles with their roles, lengths and chapter counts" "[(1, 'extra', 40, 2), (800, 'main', 60, 3)]" \
  "$(j "sorted((t['number'], t['role'], int(round(t['duration'])), t['chapters']) for t in d['discs'][0]['titles'])")"
check_eq "... the disc's file is the film's main file" "$MAIN" "$(j "d['discs'][0]['file_id']")"
check_eq "a film with no disc: 409 not_a_disc" "409 not_a_disc" "$(req GET "/api/v1/films/$PLAIN/disctitle" "${A[@]}") $(j "d['error']['code']")"
check_eq "no such film: 404" "404" "$(req GET "/api/v1/films/999999/disctitle" "${A[@]}")"
code=$(req PUT "/api/v1/films/$BDF/disctitle" "${A[@]}" "${JSON[@]}" -d '{"title":4242}')
check_eq "a title the disc lacks: 400 no_such_title" "400 no_such_title" "$code $(j "d['error']['code']")"
check_contains "... saying which titles there are" "no title 4242 (its titles: 1, 800)" "$(j "d['error']['message']")"
check_eq "a title that is not a number: 400" "400" "$(req PUT "/api/v1/films/$BDF/disctitle" "${A[@]}" "${JSON[@]}" -d '{"title":"800"}')"
check_eq "no title at all: 400" "400" "$(req PUT "/api/v1/films/$BDF/disctitle" "${A[@]}" "${JSON[@]}" -d '{}')"
check_eq "a negative title: 400" "400" "$(req PUT "/api/v1/films/$BDF/disctitle" "${A[@]}" "${JSON[@]}" -d '{"title":-1}')"
check_eq "POST: 405" "405" "$(req POST "/api/v1/films/$BDF/disctitle" "${A[@]}" "${JSON[@]}" -d '{"title":1}')"
check "nothing written by refused requests" test ! -e "$BD/movie.nfo"

code=$(req PUT "/api/v1/films/$BDF/disctitle" "${A[@]}" "${JSON[@]}" -d '{"title":1}')
check_eq "admin chooses playlist 1: 200, a rescan asked for" "200 1 True" "$code $(j "d['chosen'], d['rescan']" | tr -d '(),')"
check_contains "the choice is in the film's .nfo" "<disctitle>1</disctitle>" "$(cat "$BD/movie.nfo" 2>/dev/null)"
check_contains "... with the film's title" "<title>Chosen Film</title>" "$(cat "$BD/movie.nfo" 2>/dev/null)"
if wait_until 180 main_is "$BDF" "40 main"; then
  pass "after the rescan the 40 s playlist 1 is the main title"
else
  fail "after the rescan the 40 s playlist 1 is the main title (got $(main_title "$BDF"))"
fi
req GET "/api/v1/films/$BDF" "${A[@]}" >/dev/null
check_eq "... and playlist 800 (60 s) a special feature" "60" "$(j "int(round(max(x['duration'] for x in d['extras'])))")"
check_eq "GET says what is chosen" "1 1" "$(req GET "/api/v1/films/$BDF/disctitle" "${A[@]}" >/dev/null; j "d['chosen'], d['discs'][0]['main']" | tr -d '(),')"
req GET "/api/v1/films/$BDF" "${A[@]}" >/dev/null
NEWMAIN=$(j "d['editions'][0]['versions'][0]['files'][0]['id']")
check_eq "the new main title's chapters" "[0.0, 12.0]" \
  "$(req GET "/api/v1/files/$NEWMAIN/chapters" "${V[@]}" >/dev/null; j "[round(c['start'], 1) for c in d['chapters']]")"
stop_checked "the choice"

# The choice survives a fresh catalog: it lives in the .nfo.
"$CINEMATECA" scan --db "$WORK/fresh.db" --no-posters "$LIB" >/dev/null 2>&1
fresh=$("$CINEMATECA" films --db "$WORK/fresh.db" | grep -F "Chosen Film" | awk '{print $1}')
check_eq "a fresh catalog: playlist 1 is still the main title" "40" \
  "$("$CINEMATECA" film --db "$WORK/fresh.db" "$fresh" --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(int(round(d["editions"][0]["versions"][0]["files"][0]["duration"])))')"

# A person's .nfo: only <disctitle> changes; the rest (a comment, their
# layout, their elements) stays, and the file before is kept as .nfo.bak.
cat > "$BD/movie.nfo" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<!-- my notes: the 2001 release -->
<movie>
    <title>Chosen Film</title>
    <year>2001</year>
    <plot>Kept &amp; untouched.</plot>
    <disctitle>1</disctitle>
</movie>
EOF
cp "$BD/movie.nfo" "$WORK/persons.nfo"
start_server --db "$DB" --no-watch "$LIB" || { fail "server restarts"; finish; exit 1; }
ANA=$(login ana "an admin password")
A=(-H "Cookie: cinemateca_session=$ANA" -H "Origin: $URL")
code=$(req PUT "/api/v1/films/$BDF/disctitle" "${A[@]}" "${JSON[@]}" -d '{"title":null}')
check_eq "admin gives the choice back to the disc's rules: 200" "200 None" "$code $(j "d['chosen']")"
check_eq "a person's .nfo: only <disctitle> went" "$(grep -v disctitle "$WORK/persons.nfo" | tail -n +2)" \
  "$(tail -n +2 "$BD/movie.nfo")"
check_eq "... the file before kept as movie.nfo.bak" "$(cat "$WORK/persons.nfo")" "$(cat "$BD/movie.nfo.bak" 2>/dev/null)"
if wait_until 180 main_is "$BDF" "60 main"; then
  pass "after the rescan the rules' playlist 800 is the main title again"
else
  fail "after the rescan the rules' playlist 800 is the main title again (got $(main_title "$BDF"))"
fi
code=$(req PUT "/api/v1/films/$BDF/disctitle" "${A[@]}" "${JSON[@]}" -d '{"title":800}')
check_contains "choosing again adds it to the person's file, indented like the rest" "    <disctitle>800</disctitle>
</movie>" "$(cat "$BD/movie.nfo")"
check_contains "... their comment still there" "<!-- my notes: the 2001 release -->" "$(cat "$BD/movie.nfo")"
echo '<movie><title>broken' > "$BD/movie.nfo"
code=$(req PUT "/api/v1/films/$BDF/disctitle" "${A[@]}" "${JSON[@]}" -d '{"title":1}')
check_eq "an .nfo that is not XML: 409 nfo_unreadable, left as it was" "409 nfo_unreadable <movie><title>broken" \
  "$code $(j "d['error']['code']") $(cat "$BD/movie.nfo")"
stop_checked "a person's .nfo"

# ---- the web app: a viewer sees no control; an admin sees the titles,
# the chapter marks, and chooses (tests/e2e/disc.mjs) ----
if browser_ready; then
  rm -f "$BD/movie.nfo" "$BD/movie.nfo.bak"
  start_server --db "$DB" --no-watch --web "$ROOT/web" "$LIB" || { fail "server starts for the browser"; finish; exit 1; }
  ANA=$(login ana "an admin password")
  A=(-H "Cookie: cinemateca_session=$ANA" -H "Origin: $URL")
  if wait_until 180 main_is "$BDF" "60 main"; then
    pass "without its .nfo the disc's rules choose again (60 s)"
  else
    fail "without its .nfo the disc's rules choose again (60 s)"
  fi
  ANA=$(login ana "an admin password"); VAL=$(login val "a viewer password")
  run_e2e 600 disc.mjs "$URL" "$SHOTS" "$BDF" "$ANA" "$VAL" "$DVDF"
  check_contains "the browser's choice is in the .nfo" "<disctitle>1</disctitle>" "$(cat "$BD/movie.nfo" 2>/dev/null)"
  stop_checked "the browser"
else
  browser_missing "the browser part"
fi

finish
