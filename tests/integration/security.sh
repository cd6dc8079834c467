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

# ---- 4, 5: the request head, on raw bytes ----
start_server --db "$DB" --no-watch "$LIB" || { fail "server starts"; finish; exit 1; }
PORT=${URL##*:}
# raw_reply TEXT: sends TEXT (\n becomes CRLF) and saves the raw reply.
raw_reply() {
  python3 - "$PORT" "$1" "$WORK/raw" <<'PY'
import socket, sys
port, text, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
s = socket.create_connection(("127.0.0.1", port), timeout=10)
s.sendall(text.replace("\\n", "\r\n").encode())
data = b""
try:
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
        s.settimeout(0.5)
except OSError:
    pass
open(out, "wb").write(data)
PY
}
# well_formed: one status line, a JSON error body exactly Content-Length long.
well_formed() {
  python3 - "$WORK/raw" "$1" <<'PY'
import json, sys
data, want = open(sys.argv[1], "rb").read(), sys.argv[2]
head, sep, body = data.partition(b"\r\n\r\n")
lines = head.split(b"\r\n")
status = lines[0].split(b" ")[1].decode() if lines[0].startswith(b"HTTP/1.1 ") else "none"
length = [int(l.split(b":", 1)[1]) for l in lines[1:] if l.lower().startswith(b"content-length:")]
ok = (sep and status == want and data.count(b"HTTP/1.1 ") == 1 and len(length) == 1
      and len(body) == length[0] and "error" in json.loads(body))
print("ok" if ok else "malformed: %r" % data[:300])
PY
}
H="Host: 127.0.0.1:$PORT"
for case in "two Host lines, the good one first|GET /api/v1/status HTTP/1.1\n$H\nHost: evil.example\n\n" \
            "two Host lines, both good|GET /api/v1/status HTTP/1.1\n$H\n$H\n\n" \
            "a space before the colon of Host|GET /api/v1/status HTTP/1.1\nHost : evil.example\n\n" \
            "a space before the colon of a good Host|GET /api/v1/status HTTP/1.1\nHost : 127.0.0.1:$PORT\n\n" \
            "a space before the colon of another header|GET /api/v1/status HTTP/1.1\n$H\nAccept : */*\n\n" \
            "HTTP/1.1 without Host|GET /api/v1/status HTTP/1.1\n\n"; do
  raw_reply "${case#*|}"
  check_eq "${case%%|*}: a well-formed 400" ok "$(well_formed 400)"
done
raw_reply "GET /api/v1/status HTTP/1.1\n$H\n\n"
check_eq "one good Host: 200" 200 "$(head -c 12 "$WORK/raw" | cut -c10-12)"
raw_reply "GET /api/v1/status HTTP/1.0\n\n"
check_eq "HTTP/1.0 without Host: 200" 200 "$(head -c 12 "$WORK/raw" | cut -c10-12)"
# A malformed Content-Length: libmicrohttpd 0.9.75 would answer it itself
# with its status line and headers twice; cs_prehead answers first.
for cl in "-1" "0, 0" "5 " "+5"; do
  raw_reply "GET /api/v1/status HTTP/1.1\n$H\nContent-Length: $cl\n\n"
  check_eq "Content-Length: '$cl': a well-formed 400" ok "$(well_formed 400)"
  check_eq "Content-Length: '$cl': no header twice" "" \
    "$(tr -d '\r' < "$WORK/raw" | sed '/^$/q' | sed 's/:.*//' | sort | uniq -d)"
done
raw_reply "GET /api/v1/status HTTP/1.1\n$H\nContent-Length: 99999999999999999999999\n\n"
check_eq "Content-Length past 2^64: a well-formed 413" ok "$(well_formed 413)"
# The same on a kept-alive connection, after a good request was answered.
first=$(python3 - "$PORT" "$WORK/raw" <<'PY'
import socket, sys, time
port, out = int(sys.argv[1]), sys.argv[2]
s = socket.create_connection(("127.0.0.1", port), timeout=10)
host = "Host: 127.0.0.1:%d\r\n" % port
s.sendall(("GET /api/v1/status HTTP/1.1\r\n" + host + "\r\n").encode())
time.sleep(0.5)
first = s.recv(65536)
s.sendall(("GET /api/v1/status HTTP/1.1\r\n" + host + "Content-Length: -1\r\n\r\n").encode())
data = b""
s.settimeout(5)
try:
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
except OSError:
    pass
open(out, "wb").write(data)
print(first.split(b"\r\n")[0].decode())
PY
)
check_eq "kept alive: the first request answered" "HTTP/1.1 200 OK" "$first"
check_eq "kept alive: the second request, malformed, gets a well-formed 400" ok "$(well_formed 400)"

# ---- 8: consistent answers ----
code=$(curl -s -D "$WORK/h" -o "$WORK/body" -w '%{http_code}' "$URL/api/v1/films?q=zzzzqqqq")
check_eq "films?q=<no match>: 200" 200 "$code"
check_eq "films?q=<no match> has total, offset and limit" "0 0 50" \
  "$(json_get "$WORK/body" "'%s %s %s' % (d['total'], d['offset'], d['limit'])")"
# An empty file and a file the server may not read: HLS answers as the stream does.
EMPTY="$LIB/Empty (2024)"
mkdir -p "$EMPTY" && : >"$EMPTY/Empty (2024).mkv"
stop_server
"$CINEMATECA" scan --db "$DB" --quiet "$LIB" >/dev/null 2>&1
start_server --db "$DB" --no-watch "$LIB" || { fail "server starts"; finish; exit 1; }
EMPTY_ID=$(sqlite3 "$DB" "SELECT id FROM files WHERE path LIKE '%/Empty (2024).mkv'")
stream=$(get "/api/v1/files/$EMPTY_ID/stream" -r 0-1023)
hls=$(get "/api/v1/files/$EMPTY_ID/hls/master.m3u8")
echo "# empty file: stream $stream, HLS master $hls"
check "HLS master of an empty file: a 4xx, not 500 ($hls)" test "${hls:0:1}" = 4
stop_server

# ---- 8: a damaged catalog, an alias link, 503 with Retry-After ----
head -c 8192 /dev/urandom >"$WORK/damaged.db"
for cmd in films search; do
  if [ $cmd = search ]; then out=$("$CINEMATECA" search --db "$WORK/damaged.db" swap 2>&1); else out=$("$CINEMATECA" films --db "$WORK/damaged.db" 2>&1); fi
  check_contains "$cmd on a damaged catalog says it is damaged" "damaged" "$out"
  if [[ "$out" == *"version -1"* ]]; then fail "$cmd still speaks of schema version -1"; fi
done
ALIAS="$WORK/alias-lib"
make_clip "$ALIAS/Films/Real (2019)/Real (2019).mkv" 2
ln -s "$ALIAS/Films/Real (2019)" "$ALIAS/Favourite"
mkdir -p "$ALIAS/Loop" && ln -s "$ALIAS/Loop" "$ALIAS/Loop/again"
"$CINEMATECA" scan --db "$WORK/alias.db" --quiet --no-posters "$ALIAS" >/dev/null 2>&1
alias_msg=$(sqlite3 "$WORK/alias.db" "SELECT message FROM scan_errors WHERE path LIKE '%Favourite%' OR path LIKE '%Real (2019)'")
loop_msg=$(sqlite3 "$WORK/alias.db" "SELECT message FROM scan_errors WHERE path LIKE '%/again'")
check_contains "an alias link is reported as the same folder" "same folder as" "$alias_msg"
if [[ "$alias_msg" == *"loop"* ]]; then fail "an alias link is called a loop"; fi
check_contains "a real loop is still called a loop" "symbolic link loop" "$loop_msg"
# The catalog swapped for junk after the start: the request threads' catalog
# connections are opened at start (cs_server.c, open_spares), so they keep
# reading the catalog they opened and never meet the junk. (A thread that
# had to open one and could not would answer 503 with Retry-After:
# cs_server_db; no request can reach that from outside any more.)
mkdir -p "$WORK/empty-lib"
start_server --db "$WORK/busy.db" --no-watch "$WORK/empty-lib" || { fail "server starts"; finish; exit 1; }
mv "$WORK/busy.db" "$WORK/busy.db.real" && head -c 8192 /dev/urandom >"$WORK/busy.db"
code=$(curl -s -D "$WORK/h" -o "$WORK/body" -w '%{http_code}' "$URL/api/v1/films")
check_eq "a catalog swapped for junk after the start: the one opened at start answers" 200 "$code"
check_eq "and it is the real catalog, not the junk" True "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("items" in d and d["total"] == 0)' "$WORK/body")"
stop_server

# ---- 6: another program's SQLite file is never taken for a catalog ----
sqlite3 "$WORK/other.db" "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('mine');"
before=$(sqlite3 "$WORK/other.db" .dump | md5sum)
out=$("$CINEMATECA" scan --db "$WORK/other.db" --quiet "$WORK/empty-lib" 2>&1); rc=$?
check "scan --db on another program's database fails" test "$rc" -ne 0
check_contains "scan says it is not a catalog" "not a cinemateca catalog" "$out"
out=$("$CINEMATECA" serve --db "$WORK/other.db" --listen 127.0.0.1:0 --no-watch "$WORK/empty-lib" 2>&1); rc=$?
check "serve --db on another program's database fails" test "$rc" -ne 0
check_contains "serve says it is not a catalog" "not a cinemateca catalog" "$out"
for cmd in films search; do
  if [ $cmd = search ]; then out=$("$CINEMATECA" search --db "$WORK/other.db" x 2>&1); else out=$("$CINEMATECA" films --db "$WORK/other.db" 2>&1); fi
  check_contains "$cmd says it is not a catalog" "not a cinemateca catalog" "$out"
done
check_eq "the other program's database is unchanged" "$before" "$(sqlite3 "$WORK/other.db" .dump | md5sum)"
check_eq "... and has no tables of ours" 1 "$(sqlite3 "$WORK/other.db" "SELECT count(*) FROM sqlite_master")"
sqlite3 "$WORK/marked.db" "PRAGMA application_id = 1234; CREATE TABLE films (x);"
out=$("$CINEMATECA" scan --db "$WORK/marked.db" --quiet "$WORK/empty-lib" 2>&1)
check_contains "a database marked by another program is refused" "application_id" "$out"
check_eq "our catalogs are marked (\"Cine\")" 1130983013 "$(sqlite3 "$DB" "PRAGMA application_id")"
# A catalog from before the mark: adopted, not refused.
sqlite3 "$DB" "PRAGMA application_id = 0"
out=$("$CINEMATECA" films --db "$DB" 2>&1)
check_contains "an unmarked catalog of ours still reads" "Swap" "$out"
"$CINEMATECA" scan --db "$DB" --quiet --no-posters "$LIB" >/dev/null 2>&1
check_eq "an unmarked catalog of ours is marked by the next scan" 1130983013 "$(sqlite3 "$DB" "PRAGMA application_id")"

# ---- 7: poster temporaries of a killed writer are swept at start ----
PDIR="$DB.cache/posters"
mkdir -p "$PDIR"
# A PID whose process has ended (by itself: a signal sent to a child
# before it execs could run this shell's EXIT trap there).
/bin/true & dead=$!; wait "$dead"
echo partial >"$PDIR/$BARE.jpg.tmp.$dead"
echo partial >"$PDIR/$BARE.jpg.tmp.$dead.3"
sleep 100 & alive_pid=$!; PIDS+=("$alive_pid")
echo writing >"$PDIR/$HUGE.jpg.tmp.$alive_pid"
echo keep >"$PDIR/notes.txt"
"$CINEMATECA" scan --db "$DB" --quiet "$LIB" >/dev/null 2>&1
check "scan removes a poster temporary whose writer is gone" test ! -e "$PDIR/$BARE.jpg.tmp.$dead"
check "... and the .N form" test ! -e "$PDIR/$BARE.jpg.tmp.$dead.3"
check "... but not one a live process is writing" test -e "$PDIR/$HUGE.jpg.tmp.$alive_pid"
check "... nor other files" test -e "$PDIR/notes.txt"
mkdir -p "$DB.cache/resized"
echo partial >"$DB.cache/resized/1-poster-160-0000000000000000.jpg.tmp.$dead"
start_server --db "$DB" --no-watch "$LIB" || { fail "server starts"; finish; exit 1; }
check "serve removes a resized copy's temporary whose writer is gone" test ! -e "$DB.cache/resized/1-poster-160-0000000000000000.jpg.tmp.$dead"
stop_server
kill "$alive_pid" 2>/dev/null

finish
