#!/usr/bin/env bash
# Discs: Blu-ray folders and images written by tests/integration/bdmv_writer.py
# and DVDs authored with dvdauthor, read by cinemateca's disc reader
# (tests/tools/disc_info) and cross-checked with libbluray's own choices
# through FFmpeg's bluray: input and with lsdvd. Encrypted-looking and
# damaged discs must give a clear error or warning, never a crash.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/lib.sh"

CINEMATECA="${CINEMATECA:-$here/../../build/src/cli/cinemateca}"
DISC_INFO="${DISC_INFO:-$(dirname "$CINEMATECA")/../../tests/tools/disc_info}"
WRITER="$here/bdmv_writer.py"
if [ ! -x "$DISC_INFO" ]; then
  fail "disc_info not built at $DISC_INFO"
  finish
  exit 1
fi
for tool in ffmpeg ffprobe dvdauthor genisoimage lsdvd python3; do
  command -v "$tool" >/dev/null || { fail "$tool is missing (scripts/setup.sh installs it)"; finish; exit 1; }
done

M="$WORK/media"
mkdir -p "$M"
# m2ts clips as a Blu-ray holds them (192-byte packets). FFmpeg's bluray:
# input only lists titles of 180 s or more, so the film lasts 190 s; at
# 160x90 it is a few MB.
make_m2ts() { # OUT SECONDS SOURCE
  ffmpeg -nostdin -v error -y -f lavfi -i "$3=size=160x90:rate=25" \
    -f lavfi -i "sine=frequency=440:sample_rate=48000" -t "$2" \
    -c:v libx264 -preset ultrafast -g 25 -pix_fmt yuv420p -c:a ac3 -b:a 64k -ac 1 \
    -metadata:s:a:0 language=eng -f mpegts -mpegts_m2ts_mode 1 "$1"
}
# The film has a second (French) audio track.
ffmpeg -nostdin -v error -y -f lavfi -i "testsrc=size=160x90:rate=25" \
  -f lavfi -i "sine=frequency=440:sample_rate=48000" -f lavfi -i "sine=frequency=660:sample_rate=48000" \
  -t 190 -map 0 -map 1 -map 2 -c:v libx264 -preset ultrafast -g 25 -pix_fmt yuv420p \
  -c:a ac3 -b:a 64k -ac 1 -metadata:s:a:0 language=eng -metadata:s:a:1 language=fra \
  -f mpegts -mpegts_m2ts_mode 1 "$M/film.m2ts" || fail "could not make the film clip"
make_m2ts "$M/interview.m2ts" 45 testsrc2 || fail "could not make the interview clip"
make_m2ts "$M/logo.m2ts" 5 smptebars || fail "could not make the logo clip"

info() { "$DISC_INFO" "$1" 2>&1; }
field() { echo "$1" | sed -n "s/^$2 //p" | head -1; }
title_line() { echo "$1" | grep "^title $2 " | head -1; }

# --- a Blu-ray folder: the film with chapters, an interview, a logo -----
BD="$WORK/The Film (2001)"
python3 "$WRITER" "$BD" --clip 00001=$M/film.m2ts --clip 00002=$M/interview.m2ts \
  --clip 00003=$M/logo.m2ts --playlist 00800=00001@0,60,120 --playlist 00001=00002 \
  --playlist 00002=00003 --name "The Film: Collector's Edition" ||
  fail "bdmv_writer failed"
out=$(info "$BD")
check_eq "Blu-ray folder detected" "bluray" "$(field "$out" detect)"
check_eq "Blu-ray name from META/DL/bdmt_eng.xml" "The Film: Collector's Edition" "$(field "$out" name)"
check_eq "Blu-ray main title is playlist 800" "800" "$(field "$out" main)"
check_contains "main title: 190 s, three chapters" "role=main duration=190.0 chapters=3:0.0,60.0,120.0" "$(title_line "$out" 800)"
check_contains "main title: English and French audio" "audio=eng:ac3:1,fra:ac3:1" "$(title_line "$out" 800)"
check_contains "the 45 s interview is a special feature" "role=extra duration=45.0" "$(title_line "$out" 1)"
check_contains "the 5 s logo is skipped" "role=tiny" "$(title_line "$out" 2)"
bytes=$(field "$out" bytes_read)
stream_bytes=$(du -cb "$BD"/BDMV/STREAM/*.m2ts | tail -1 | cut -f1)
if [ "${bytes:-999999999}" -lt 65536 ] && [ "$stream_bytes" -gt 1000000 ]; then
  pass "only index files read ($bytes bytes of a $stream_bytes-byte disc)"
else
  fail "read $bytes bytes of a disc whose streams hold $stream_bytes"
fi
check_eq "no warnings on a sound disc" "" "$(echo "$out" | grep '^warning' || true)"

# FFmpeg's own bluray: input (libbluray underneath) reads what we wrote.
probe=$(ffprobe -v error -show_entries format=duration:stream=codec_name:stream_tags=language \
  -of compact "bluray:$BD" 2>/dev/null)
check_contains "ffprobe bluray: sees the video" "codec_name=h264" "$probe"
check_contains "ffprobe bluray: sees the French audio" "language=fra" "$probe"
dur=$(echo "$probe" | sed -n 's/^format|duration=\([0-9]*\).*/\1/p')
check_eq "ffprobe bluray: 190 s" "190" "$dur"
check "ffmpeg reads playlist 800 to its end" ffmpeg -nostdin -v error -playlist 800 -i "bluray:$BD" -f null -
ext=$(ffprobe -v error -playlist 1 -show_entries format=duration -of csv=p=0 "bluray:$BD" 2>/dev/null | cut -d. -f1)
check_eq "ffprobe bluray: the interview playlist lasts 45 s" "45" "$ext"

# --- the same disc as an image -----------------------------------------
genisoimage -quiet -udf -V FILM -o "$WORK/The Film (2001).iso" "$BD" || fail "genisoimage failed"
iso=$(info "$WORK/The Film (2001).iso")
check_eq "Blu-ray image detected" "bluray" "$(field "$iso" detect)"
check_eq "image: same titles as the folder" "$(echo "$out" | grep '^title')" "$(echo "$iso" | grep '^title')"
check_eq "image: same name" "The Film: Collector's Edition" "$(field "$iso" name)"
iso_dur=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "bluray:$WORK/The Film (2001).iso" 2>/dev/null | cut -d. -f1)
check_eq "ffprobe bluray: reads the image too" "190" "$iso_dur"

# --- duplicate playlist ---------------------------------------------------
DUP="$WORK/dup"
python3 "$WRITER" "$DUP" --clip 00001=$M/film.m2ts --clip 00002=$M/interview.m2ts \
  --playlist 00800=00001@0,90 --playlist 00801=00001@0,90 --playlist 00010=00002 --playlist 00011=00002
out=$(info "$DUP")
check_eq "duplicates: the lower-numbered copy is main" "800" "$(field "$out" main)"
check_contains "duplicates: 801 is a duplicate" "role=duplicate" "$(title_line "$out" 801)"
check_contains "duplicates: the interview is listed once" "role=duplicate" "$(title_line "$out" 11)"
sel=$(ffprobe -v info "bluray:$DUP" 2>&1 | sed -n 's/.*selected \([0-9]*\)\.mpls.*/\1/p')
lists=$(ffprobe -v info "bluray:$DUP" 2>&1 | grep -c 'playlist 0')
check_eq "libbluray (through FFmpeg) also keeps one of the two copies" "1" "$lists"
check_contains "libbluray's copy has the film's length" "0080" "$sel"

# --- looping playlist -----------------------------------------------------
LOOP="$WORK/loop"
python3 "$WRITER" "$LOOP" --clip 00001=$M/film.m2ts --clip 00002=$M/interview.m2ts \
  --playlist 00001=00001,00001,00001 --playlist 00005=00001,00002 --playlist 00800=00001
out=$(info "$LOOP")
check_contains "loop: the 570 s playlist repeating one clip is a loop" "role=loop duration=570.0" "$(title_line "$out" 1)"
check_eq "loop: main is the longest title that does not loop" "5" "$(field "$out" main)"
check_contains "loop: the film alone is a part of the main title" "role=part" "$(title_line "$out" 800)"
sel=$(ffprobe -v info "bluray:$LOOP" 2>&1 | sed -n 's/.*selected \([0-9]*\)\.mpls.*/\1/p')
check_eq "libbluray (through FFmpeg) agrees on the main title" "00005" "$sel"

# --- encrypted-looking and damaged discs -----------------------------------
ENC="$WORK/enc"
python3 "$WRITER" "$ENC" --clip 00001=$M/interview.m2ts --playlist 00001=00001 --aacs
out=$(info "$ENC"); rc=$?
check_eq "AACS folder: refused as encrypted (exit 3)" "3" "$rc"
check_contains "AACS folder: the clear message" "this disc is encrypted: cinemateca plays only unencrypted discs" "$out"
genisoimage -quiet -udf -o "$WORK/enc.iso" "$ENC"
out=$(info "$WORK/enc.iso"); rc=$?
check_eq "AACS image: refused as encrypted (exit 3)" "3" "$rc"
check_contains "AACS image: the clear message" "this disc is encrypted" "$out"

BAD="$WORK/damaged"
python3 "$WRITER" "$BAD" --clip 00001=$M/film.m2ts --clip 00002=$M/interview.m2ts \
  --playlist 00800=00001 --playlist 00001=00002 --truncate 00800 --lie 00002
out=$(info "$BAD"); rc=$?
check_eq "damaged disc: still read (exit 0)" "0" "$rc"
check_contains "damaged disc: the truncated playlist is named" "PLAYLIST/00800.mpls: damaged playlist" "$out"
check_contains "damaged disc: the lying clip information is named" "CLIPINF/00002.clpi: claims" "$out"
rm -f "$BAD/BDMV/PLAYLIST/00001.mpls" "$BAD/BDMV/BACKUP/PLAYLIST/00001.mpls"
out=$(info "$BAD"); rc=$?
check_eq "a disc with no readable playlist fails cleanly (exit 2)" "2" "$rc"
check_contains "... saying why" "no playable title" "$out"
head -c 20 "$BD/BDMV/index.bdmv" > "$WORK/short.bdmv"
TRUNC="$WORK/truncindex"; cp -r "$DUP" "$TRUNC"
cp "$WORK/short.bdmv" "$TRUNC/BDMV/index.bdmv"; cp "$WORK/short.bdmv" "$TRUNC/BDMV/BACKUP/index.bdmv"
out=$(info "$TRUNC"); rc=$?
check_eq "a truncated index.bdmv: the playlists are still read (exit 0)" "0" "$rc"
check_contains "... and the damage is named" "BDMV/index.bdmv: damaged" "$out"
check_eq "... the film is still found" "800" "$(field "$out" main)"

# --- DVD: dvdauthor's VIDEO_TS and the same as an ISO ----------------------
make_mpg() { # OUT SECONDS SOURCE
  ffmpeg -nostdin -v error -y -f lavfi -i "$3=size=352x288:rate=25" \
    -f lavfi -i "sine=frequency=440:sample_rate=48000" -t "$2" -target pal-dvd \
    -s 352x288 -b:v 300k -maxrate 1000k -bufsize 224k -b:a 64k -ac 1 "$1"
}
make_mpg "$M/main.mpg" 60 testsrc && make_mpg "$M/extra1.mpg" 35 testsrc2 &&
  make_mpg "$M/extra2.mpg" 32 smptebars || fail "could not make the DVD clips"
cat > "$WORK/dvd.xml" <<EOF
<dvdauthor dest="$WORK/Another Film (1999)">
  <vmgm />
  <titleset>
    <titles>
      <audio lang="en" />
      <pgc><vob file="$M/main.mpg" chapters="0,0:20,0:40" /></pgc>
      <pgc><vob file="$M/extra1.mpg" /></pgc>
      <pgc><vob file="$M/extra2.mpg" /></pgc>
    </titles>
  </titleset>
</dvdauthor>
EOF
VIDEO_FORMAT=PAL dvdauthor -x "$WORK/dvd.xml" >/dev/null 2>&1 || fail "dvdauthor failed"
DVD="$WORK/Another Film (1999)"
out=$(info "$DVD")
check_eq "DVD folder detected" "dvd" "$(field "$out" detect)"
check_eq "DVD main title is title 1" "1" "$(field "$out" main)"
check_contains "DVD main: 60 s, chapters at 0, 19.8, 40.2 s" "role=main duration=60.0 chapters=3:0.0,19.8,40.2" "$(title_line "$out" 1)"
check_contains "DVD main: English audio" "audio=en:ac3:1" "$(title_line "$out" 1)"
check_contains "DVD extra 1 (35 s)" "role=extra duration=35.0" "$(title_line "$out" 2)"
check_contains "DVD extra 2 (32 s)" "role=extra duration=32.0" "$(title_line "$out" 3)"
# lsdvd (libdvdread's oldest client) must agree on lengths and chapters.
ls_out=$(lsdvd -c "$DVD" 2>/dev/null)
for t in 1 2 3; do
  len=$(echo "$ls_out" | sed -n "s/^Title: 0$t, Length: \([0-9:.]*\) Chapters: \([0-9]*\).*/\1 \2/p")
  secs=$(echo "$len" | awk '{split($1,a,":"); printf "%.1f", a[1]*3600+a[2]*60+a[3]}')
  chapters=$(echo "$len" | awk '{print $2+0}')
  mine=$(title_line "$out" $t | sed -n 's/.*duration=\([0-9.]*\) chapters=\([0-9]*\).*/\1 \2/p')
  check_eq "lsdvd agrees on title $t" "$secs $chapters" "$mine"
done

genisoimage -quiet -dvd-video -udf -V ANOTHER_FILM -o "$WORK/Another Film (1999).iso" "$DVD" ||
  fail "genisoimage failed"
iso=$(info "$WORK/Another Film (1999).iso")
check_eq "DVD image detected" "dvd" "$(field "$iso" detect)"
check_eq "DVD image: same titles" "$(echo "$out" | grep '^title')" "$(echo "$iso" | grep '^title')"
check_eq "DVD image: the volume name" "ANOTHER_FILM" "$(field "$iso" name)"

# CSS: the scrambling bits set on the video packets of a copy, as on a
# pressed, encrypted DVD.
CSS="$WORK/css"; cp -r "$DVD" "$CSS"
python3 - "$CSS/VIDEO_TS/VTS_01_1.VOB" <<'PY'
import sys
p = sys.argv[1]
data = bytearray(open(p, 'rb').read())
for at in range(0, min(len(data), 64 * 2048), 2048):
    s = data[at:at + 2048]
    if s[:4] != b'\0\0\1\xba':
        continue
    pes = at + 14 + (s[13] & 7)
    if data[pes:pes + 3] == b'\0\0\1' and data[pes + 3] in (0xE0, 0xBD) or 0xC0 <= data[pes + 3] <= 0xDF:
        data[pes + 6] |= 0x10
open(p, 'wb').write(data)
PY
out=$(info "$CSS"); rc=$?
check_eq "CSS-scrambled DVD: refused as encrypted (exit 3)" "3" "$rc"
check_contains "CSS-scrambled DVD: the clear message" "this disc is encrypted: cinemateca plays only unencrypted discs (CSS)" "$out"

# --- a library: discs as versions of films, editions from names -----------
LIB="$WORK/library"
mkdir -p "$LIB/Film (2005)" "$LIB/Cut (2006)"
mv "$BD" "$LIB/"
mv "$WORK/Another Film (1999).iso" "$LIB/"
mv "$ENC" "$LIB/Locked (2010)"
mv "$DUP" "$LIB/Twice (2012)"
for n in "Film (2005) - 1080p" "Film (2005) - 2160p HDR" "Film (2005) {edition-Director's Cut} - 4K" \
         "../Cut (2006)/Cut (2006) - Director's Cut - Part 1" "../Cut (2006)/Cut (2006) - Director's Cut - Part 2"; do
  ffmpeg -nostdin -v error -y -f lavfi -i testsrc=size=160x90:rate=10 -t 2 -c:v libx264 \
    -preset ultrafast "$LIB/Film (2005)/$n.mkv" || fail "could not make $n"
done
DB="$WORK/catalog.db"
scan_out=$("$CINEMATECA" scan --db "$DB" "$LIB" 2>&1); rc=$?
check_eq "library with discs: scan succeeds" "0" "$rc"
check_contains "scan: six films" "6 films" "$scan_out"
check_contains "scan: the encrypted disc is a named problem" "Locked (2010): this disc is encrypted: cinemateca plays only unencrypted discs" "$scan_out"
list=$("$CINEMATECA" films --db "$DB")
check_eq "no .m2ts, .vob or .ifo listed as a film" "" "$(echo "$list" | grep -iE 'm2ts|vob|ifo|bdmv|video_ts' || true)"
film_json() { # TITLE: that film's --json
  local id
  id=$(echo "$list" | grep -F "$1" | head -1 | awk '{print $1}')
  "$CINEMATECA" film --db "$DB" "$id" --json
}
py() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
bd=$(film_json "The Film (2001)")
check_eq "Blu-ray folder: one edition, one version" "1 1" "$(echo "$bd" | py 'len(d["editions"]), len(d["editions"][0]["versions"])')"
check_eq "Blu-ray folder: version kind bluray, labels null" "bluray None None" "$(echo "$bd" | py 'd["editions"][0]["versions"][0]["kind"], d["editions"][0]["label"], d["editions"][0]["versions"][0]["label"]' | tr -d "(),'")"
check_eq "Blu-ray folder: its main title first, title_kind main" "main" "$(echo "$bd" | py 'd["editions"][0]["versions"][0]["files"][0]["title_kind"]')"
check_eq "Blu-ray folder: runtime is the main title's 190 s" "190" "$(echo "$bd" | py 'int(d["editions"][0]["runtime"])')"
check_eq "Blu-ray folder: main title's French audio" "fra" "$(echo "$bd" | py 'd["editions"][0]["versions"][0]["files"][0]["audio"][1]["language"]')"
check_eq "Blu-ray folder: the files list has the disc once" "1" "$(echo "$bd" | py 'len(d["files"])')"
check_eq "Blu-ray folder: the interview is the version's second title, title_kind extra" "extra 45" "$(echo "$bd" | py '"%s %d" % (d["editions"][0]["versions"][0]["files"][1]["title_kind"], d["editions"][0]["versions"][0]["files"][1]["duration"])')"
check_eq "Blu-ray folder: the logo is left out" "2" "$(echo "$bd" | py 'len(d["editions"][0]["versions"][0]["files"])')"
check_eq "Blu-ray folder: the interview is a special feature typed other" "other 45" "$(echo "$bd" | py '"%s %d" % (d["extras"][0]["type"], d["extras"][0]["duration"])')"
dvd=$(film_json "Another Film (1999)")
check_eq "DVD image: a dvd version of 60 s" "dvd 60" "$(echo "$dvd" | py 'd["editions"][0]["versions"][0]["kind"], int(d["editions"][0]["runtime"])' | tr -d "(),'")"
check_eq "DVD image: its two short titles are special features" "2" "$(echo "$dvd" | py 'len(d["extras"])')"
again=$("$CINEMATECA" scan --db "$DB" "$LIB" 2>&1)
check_contains "a rescan finds nothing changed" "0 added, 0 changed, 0 removed" "$again"
check_eq "a rescan keeps the disc's special features" "2" "$(film_json "Another Film (1999)" | py 'len(d["extras"])')"
ed=$(film_json "Film (2005)")
check_eq "Film (2005): default edition and Director's Cut" "[None, \"Director's Cut\"]" "$(echo "$ed" | py '[e["label"] for e in d["editions"]]')"
check_eq "Film (2005): default edition's versions 1080p and 4K HDR" "['1080p', '4K HDR']" "$(echo "$ed" | py '[v["label"] for v in d["editions"][0]["versions"]]')"
check_eq "Film (2005): the cut's version is 4K" "4K" "$(echo "$ed" | py 'd["editions"][1]["versions"][0]["label"]')"
check_eq "Film (2005): files list unchanged (three files)" "3" "$(echo "$ed" | py 'len(d["files"])')"
cut=$(film_json "Cut (2006)")
check_eq "Cut (2006): one edition, the Director's Cut, parts 1 and 2 in order" "Director's Cut [1, 2]" "$(echo "$cut" | py '"%s %s" % (d["editions"][0]["label"], [f["part"] for f in d["editions"][0]["versions"][0]["files"]])')"
# The same through the API.
start_server --db "$DB" --web "$here/../../web" "$LIB" || fail "server starts"
if [ -n "${URL:-}" ]; then
  id=$(echo "$list" | grep -F "The Film (2001)" | awk '{print $1}')
  api=$(curl -s "$URL/api/v1/films/$id")
  check_eq "API: the same editions as film --json" "$(echo "$bd" | py 'json.dumps(d["editions"], sort_keys=True)')" "$(echo "$api" | py 'json.dumps(d["editions"], sort_keys=True)')"
  # Disc titles play over HLS, end to end, through the disc readers.
  play_title() { # NAME FILE_ID EXPECTED_SECONDS
    local master="$URL/api/v1/files/$2/hls/master.m3u8" log="$WORK/play-$2.log" dur
    check_contains "$1: master playlist" "#EXTM3U" "$(curl -s "$master")"
    if timeout 300 ffmpeg -nostdin -v error -i "$master" -f null - >"$log" 2>&1; then
      pass "$1: ffmpeg decodes the HLS stream to the end"
    else
      fail "$1: ffmpeg decodes the HLS stream to the end ($(tail -3 "$log" | tr '\n' ' '))"
    fi
    dur=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$master" 2>/dev/null)
    check_eq "$1: HLS duration is the title's ($3 s, within 1 s)" "yes" \
      "$(awk -v d="${dur:-0}" -v e="$3" 'BEGIN { print (d - e < 1 && e - d < 1) ? "yes" : "no (" d ")" }')"
  }
  fid=$(echo "$bd" | py 'd["editions"][0]["versions"][0]["files"][0]["id"]')
  play_title "Blu-ray folder main title (playlist 800)" "$fid" 190
  fid=$(echo "$bd" | py 'd["editions"][0]["versions"][0]["files"][1]["id"]')
  play_title "Blu-ray folder interview (playlist 1)" "$fid" 45
  did=$(echo "$list" | grep -F "Another Film (1999)" | awk '{print $1}')
  fid=$(echo "$dvd" | py 'd["editions"][0]["versions"][0]["files"][0]["id"]')
  play_title "DVD image main title (title 1)" "$fid" 60
  fid=$(echo "$dvd" | py 'd["extras"][0]["file_id"]')
  play_title "DVD image extra (title 2)" "$fid" 35
  # Watch state: shared by the versions of one edition, separate across
  # editions (Film (2005): 1080p and 4K HDR of the default edition, 4K of
  # the Director's Cut).
  eid=$(echo "$list" | grep -F "Film (2005)" | awk '{print $1}')
  efile() { echo "$ed" | py "d['editions'][$1]['versions'][$2]['files'][0]['id']"; }
  f1080=$(efile 0 0); f4k=$(efile 0 1); fcut=$(efile 1 0)
  code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/json' \
    --data '{"position":1.2,"duration":2}' "$URL/api/v1/files/$f1080/progress")
  check_eq "progress reported on the 1080p version" "200" "$code"
  sleep 1 # the watch writer commits on its own thread
  watch_of() { curl -s "$URL/api/v1/films/$eid" | py "[f['watch']['position'] for f in d['files'] if f['id'] == $1][0]"; }
  check_eq "the 4K HDR version of the same edition resumes there" "1.2" "$(watch_of "$f4k")"
  check_eq "the Director's Cut keeps its own state" "0.0" "$(watch_of "$fcut")"
  code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/json' \
    --data '{"position":0.5,"duration":2}' "$URL/api/v1/files/$fcut/progress")
  sleep 1.1
  check_eq "the Director's Cut's own position" "0.5" "$(watch_of "$fcut")"
  check_eq "... while the default edition keeps its own" "1.2" "$(watch_of "$f1080")"
  stop_server
fi

# The .nfo chooses the main title (<disctitle>): here the 45 s playlist 1,
# so the 190 s playlist 800 becomes a special feature.
LIB2="$WORK/library2"
mkdir -p "$LIB2"
cp -r "$LIB/The Film (2001)" "$LIB2/Chosen (2003)"
printf '<movie><title>Chosen</title><year>2003</year><disctitle>1</disctitle></movie>\n' > "$LIB2/Chosen (2003)/movie.nfo"
cp -r "$LIB/The Film (2001)" "$LIB2/Wrong (2004)"
printf '<movie><title>Wrong</title><year>2004</year><disctitle>4242</disctitle></movie>\n' > "$LIB2/Wrong (2004)/movie.nfo"
scan_out=$("$CINEMATECA" scan --db "$WORK/catalog2.db" "$LIB2" 2>&1)
list=$("$CINEMATECA" films --db "$WORK/catalog2.db")
DB="$WORK/catalog2.db"
ch=$(film_json "Chosen (2003)")
check_eq ".nfo <disctitle>1: the main title is playlist 1 (45 s)" "main 45" "$(echo "$ch" | py '"%s %d" % (d["editions"][0]["versions"][0]["files"][0]["title_kind"], d["editions"][0]["versions"][0]["files"][0]["duration"])')"
check_eq "... and playlist 800 (190 s) is a special feature" "190" "$(echo "$ch" | py 'int(max(x["duration"] for x in d["extras"]))')"
check_contains ".nfo naming a title the disc lacks: said, and the disc's own choice kept" "<disctitle>4242</disctitle> in the .nfo: the disc has no such title" "$scan_out"
check_eq "... the rules' main title (190 s)" "190" "$(film_json "Wrong (2004)" | py 'int(d["editions"][0]["versions"][0]["files"][0]["duration"])')"

finish
