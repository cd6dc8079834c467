#!/usr/bin/env bash
# Integration: the adversarial review's findings (issue 10), each tried as
# the attacker did, against a real server on 127.0.0.1:
#  1. artwork swapped for a symbolic link out of the library after a scan;
#  3. a small PNG claiming 16000x16000 pixels, asked for at ten widths,
#     under a 1.5 GB address-space limit;
#  4. duplicate Host lines, a space before the colon;
#  5. libmicrohttpd's own 400s, read as raw bytes;
#  6. another program's SQLite file given as the catalog;
#  7. poster temporaries left by a kill -9;
#  8. consistent answers (HLS of an empty or unreadable file, 503s,
#     ?q= lists, damaged catalogs, an alias link inside the library).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
RAW="$(dirname "$0")/httpraw.py"

LIB="$WORK/films"
DB="$WORK/catalog.db"
FILM="$LIB/Swap (2020)"
make_clip "$FILM/Swap (2020).mkv" 2
ffmpeg -nostdin -v error -f lavfi -i "color=c=red:s=120x180" -frames:v 1 "$FILM/poster.jpg"
ffmpeg -nostdin -v error -f lavfi -i "color=c=blue:s=320x180" -frames:v 1 "$FILM/fanart.jpg"
# A film without artwork: its poster is generated into the cache.
make_clip "$LIB/Bare (2021)/Bare (2021).mkv" 2
# 3: a PNG that is small on disk and 256 megapixels once decoded.
BIG="$LIB/Huge (2022)"
make_clip "$BIG/Huge (2022).mkv" 2
ffmpeg -nostdin -v error -f lavfi -i "color=c=red:s=16000x16000" -frames:v 1 "$BIG/poster.png"
# ... and a film whose small PNG poster is swapped for the huge one after
# the scan: the server must check the header itself.
GROWN="$LIB/Grown (2023)"
make_clip "$GROWN/Grown (2023).mkv" 2
ffmpeg -nostdin -v error -f lavfi -i "color=c=green:s=120x180" -frames:v 1 "$GROWN/poster.png"
check "the 16000x16000 PNG is small on disk ($(stat -c %s "$BIG/poster.png") bytes)" \
  test "$(stat -c %s "$BIG/poster.png")" -lt 2000000

"$CINEMATECA" scan --db "$DB" --quiet "$LIB" >"$WORK/scan.out" 2>&1
check_eq "the library scans" 0 $?
id_of() { sqlite3 "$DB" "SELECT id FROM films WHERE title = '$1'"; }
SWAP=$(id_of Swap) BARE=$(id_of Bare) HUGE=$(id_of Huge) GROWN_ID=$(id_of Grown)

start_server --db "$DB" --no-watch "$LIB" || { fail "server starts"; finish; exit 1; }
PORT=${URL##*:}
get() { curl -s -o "$WORK/body" -w '%{http_code}' --max-time 60 "$URL$1"; }
leaks() { grep -q "root:" "$WORK/body"; }

# ---- 1: artwork follows no symbolic link out of the library ----
check_eq "poster before the swap" 200 "$(get "/api/v1/films/$SWAP/poster")"
check_eq "backdrop before the swap" 200 "$(get "/api/v1/films/$SWAP/backdrop")"
check_eq "generated poster served from the poster cache" 200 "$(get "/api/v1/films/$BARE/poster")"
rm "$FILM/poster.jpg" "$FILM/fanart.jpg"
ln -s /etc/passwd "$FILM/poster.jpg"
ln -s /etc/passwd "$FILM/fanart.jpg"
for q in "" "?w=160" "?w=1280"; do
  for k in poster backdrop; do
    code=$(get "/api/v1/films/$SWAP/$k$q")
    check_eq "$k$q swapped for a link to /etc/passwd: 404" 404 "$code"
    if leaks; then fail "$k$q sent /etc/passwd"; fi
  done
done
# A link to a file inside the library is refused too (the last component
# may not be a link at all), and so is a FIFO.
rm "$FILM/poster.jpg"
ln -s "$FILM/../Bare (2021)/Bare (2021).mkv" "$FILM/poster.jpg"
check_eq "poster swapped for a link inside the library: 404" 404 "$(get "/api/v1/films/$SWAP/poster")"
rm "$FILM/poster.jpg" && mkfifo "$FILM/poster.jpg"
check_eq "poster swapped for a FIFO: 404, at once" 404 "$(get "/api/v1/films/$SWAP/poster?w=160")"
# The generated poster swapped for a link: refused as well.
GEN=$(sqlite3 "$DB" "SELECT path FROM artwork WHERE film_id = $BARE AND kind = 'poster'")
rm -f "$GEN" && ln -s /etc/passwd "$GEN"
check_eq "generated poster swapped for a link: 404" 404 "$(get "/api/v1/films/$BARE/poster?w=160")"
if leaks; then fail "the generated poster's link sent /etc/passwd"; fi
# Direct play keeps refusing the same swap (one rule, one function).
FILE_ID=$(sqlite3 "$DB" "SELECT id FROM files WHERE film_id = $SWAP")
mv "$FILM/Swap (2020).mkv" "$WORK/swap.mkv" && ln -s /etc/passwd "$FILM/Swap (2020).mkv"
check_eq "stream swapped for a link: 404" 404 "$(get "/api/v1/files/$FILE_ID/stream")"
rm "$FILM/Swap (2020).mkv" && mv "$WORK/swap.mkv" "$FILM/Swap (2020).mkv"
check_eq "stream back in place: 200" 200 "$(get "/api/v1/files/$FILE_ID/stream")"

# ---- 3: a huge image is refused from its header, the server stays small ----
stop_server
start_server_limited() { # the server under a 1.5 GB address-space limit
  SERVER_N=$((SERVER_N + 1))
  local out="$WORK/server-$SERVER_N.out"
  SERVER_LOG="$WORK/server-$SERVER_N.err"
  URL=""
  (ulimit -v 1500000; exec "$CINEMATECA" serve --listen 127.0.0.1:0 "$@") >"$out" 2>"$SERVER_LOG" &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  local i
  for i in $(seq 1 600); do
    URL=$(sed -n 's|^cinemateca: serving \(http://[^ ]*\)/$|\1|p' "$out" 2>/dev/null)
    [ -n "$URL" ] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.05
  done
  return 1
}
# (ASan reserves terabytes of address space: the limit only means
# something for a plain build.)
if [[ "$(ldd "$CINEMATECA" 2>/dev/null)" == *libasan* ]]; then LIMITED=0; else LIMITED=1; fi
if [ "$LIMITED" = 1 ]; then
  start_server_limited --db "$DB" --no-watch "$LIB" || { fail "server starts under ulimit -v"; finish; exit 1; }
else
  start_server --db "$DB" --no-watch "$LIB" || { fail "server starts"; finish; exit 1; }
fi
cp "$BIG/poster.png" "$GROWN/poster.png"
pids=() codes="$WORK/codes"
: >"$codes"
for w in 100 160 200 320 400 480 600 780 1000 1280; do
  ( c=$(curl -s -o "$WORK/big-$w" -w '%{http_code}' --max-time 120 "$URL/api/v1/films/$GROWN_ID/poster?w=$w")
    echo "$w $c $(stat -c %s "$WORK/big-$w" 2>/dev/null)" >>"$codes" ) &
  pids+=($!)
done
peak=0
while kill -0 "${pids[0]}" 2>/dev/null || kill -0 "${pids[-1]}" 2>/dev/null; do
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status" 2>/dev/null)
  [ -n "$rss" ] && [ "$rss" -gt "$peak" ] && peak=$rss
  sleep 0.1
done
for p in "${pids[@]}"; do wait "$p"; done
echo "# ten ?w= sizes of the 16000x16000 PNG: peak RSS ${peak} kB; answers: $(sort -n "$codes" | tr '\n' ';')"
check "the server survived ten sizes of the huge PNG" kill -0 "$SERVER_PID"
check_eq "status still answers" 200 "$(get /api/v1/status)"
bad=$(awk '!($2 == 404 || ($2 == 200 && $3 < 200000))' "$codes" | wc -l)
check_eq "every size answered with the placeholder's 404 or a small image" 0 "$bad"
check_eq "the huge original is never sent" 404 "$(get "/api/v1/films/$GROWN_ID/poster")"
check_eq "the film scanned with the huge PNG has a generated poster" 200 "$(get "/api/v1/films/$HUGE/poster?w=160")"
if [ "$LIMITED" = 1 ]; then
  check "peak RSS under the huge PNG stays under 300 MB (${peak} kB)" test "$peak" -lt 300000
fi
problem=$(sqlite3 "$DB" "SELECT kind || ': ' || message FROM scan_errors WHERE path LIKE '%/Huge (2022)/poster.png'")
check_contains "the scan recorded the huge poster as a problem" "16000x16000" "$problem"
check_eq "the film gets a generated poster instead" 1 \
  "$(sqlite3 "$DB" "SELECT generated FROM artwork WHERE film_id = $HUGE AND kind = 'poster'")"
# A large image within the limit (36 megapixels), ten sizes at once: every
# request answered, resized one at a time (or the original when busy).
WIDE="$LIB/Swap (2020)/poster.jpg"
rm -f "$WIDE"
ffmpeg -nostdin -v error -f lavfi -i "testsrc=s=6000x6000" -frames:v 1 "$WIDE"
pids=() : >"$codes"
for w in 100 160 200 320 400 480 600 780 1000 1280; do
  ( c=$(curl -s -o /dev/null -w '%{http_code}' --max-time 120 "$URL/api/v1/films/$SWAP/poster?w=$w")
    echo "$w $c" >>"$codes" ) &
  pids+=($!)
done
peak=0
while kill -0 "${pids[0]}" 2>/dev/null || kill -0 "${pids[-1]}" 2>/dev/null; do
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status" 2>/dev/null)
  [ -n "$rss" ] && [ "$rss" -gt "$peak" ] && peak=$rss
  sleep 0.1
done
for p in "${pids[@]}"; do wait "$p"; done
echo "# ten ?w= sizes of a 6000x6000 JPEG: peak RSS ${peak} kB"
check_eq "ten sizes of a 36-megapixel poster all answered" 10 "$(grep -c ' 200$' "$codes")"
check_eq "status still answers" 200 "$(get /api/v1/status)"
check_eq "a resized copy is small" 160 "$(get "/api/v1/films/$SWAP/poster?w=160" >/dev/null; ffprobe -v error -show_entries stream=width -of csv=p=0 "$WORK/body")"
stop_server

finish
