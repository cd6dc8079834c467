#!/usr/bin/env bash
# Integration: a hostile network against a real server on 127.0.0.1:
# traversal attempts (encoded separators, NUL, overlong UTF-8), malformed
# request lines, wrong Host headers (DNS rebinding), huge headers and URLs,
# 500 connections at once, slow clients. After each group the server must
# still answer.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
RAW="$(dirname "$0")/httpraw.py"

LIB="$WORK/films"
DB="$WORK/catalog.db"
WEB="$WORK/web"
make_clip "$LIB/Abuse (2020)/Abuse (2020).mkv" 2
# A bigger file for slow readers: 20 MB past the clip's end.
mkdir -p "$LIB/Big (2021)"
{ cat "$LIB/Abuse (2020)/Abuse (2020).mkv"; head -c 20000000 /dev/zero; } > "$LIB/Big (2021)/Big (2021).mkv"
mkdir -p "$WEB"
echo '<!doctype html><title>app</title>' > "$WEB/index.html"
# A secret beside the library and the web root that no URL may reach.
echo 'root:x:0:0:secret' > "$WORK/secret.txt"

start_server --db "$DB" --web "$WEB" --allow-host cinemateca.lan "$LIB" || { fail "server starts"; finish; exit 1; }
PORT=${URL##*:}
listed() { curl -s "$URL/api/v1/films" | grep -q '"total":2'; }
check "the films are cataloged" wait_until 60 listed
alive() { check_eq "still serving ($1)" 200 "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$URL/api/v1/status")"; }

# Traversal: every one is refused (400) or names nothing (404), and no
# reply carries the secret or /etc/passwd.
for p in \
  "/%2e%2e%2f%2e%2e%2fsecret.txt" "/%2e%2e/%2e%2e/secret.txt" "/..%2f..%2fetc%2fpasswd" \
  "/..%5c..%5cetc%5cpasswd" "/%5c..%5c..%5cetc%5cpasswd" "/..\\..\\etc\\passwd" "/../../etc/passwd" \
  "/./index.html" "/web/../secret.txt" "/api/v1/files/1/stream/../../../../etc/passwd" \
  "/api/v1/files/%2e%2e/stream" "/api/v1/films/1%2f..%2f..%2fetc" "/api/v1/films/1%00" \
  "/index.html%00.js" "/%00" "/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd" "/%c0%af..%c0%afetc%c0%afpasswd" \
  "/%e0%80%ae%e0%80%ae/etc/passwd" "/%c1%9c..%c1%9cetc" "/%ff%fe/etc/passwd" "/%zz" "/%2" \
  "/api/v1/films/%31%2e" "/api/v1/films/1/%2e%2e/poster"; do
  code=$(curl -s --path-as-is -o "$WORK/body" -w '%{http_code}' "$URL$p")
  if [ "$code" = 400 ] || [ "$code" = 404 ]; then pass "traversal $p: $code"; else fail "traversal $p: got $code"; fi
  if grep -q "root:x:0" "$WORK/body" 2>/dev/null; then fail "traversal $p leaked a file"; fi
done
code=$(curl -s --path-as-is -o "$WORK/body" -w '%{http_code}' "$URL/etc/passwd")
check "a path that names no file is the app (a client-side route), never the file" \
  test "$code" = 200 -a -z "$(grep 'root:' "$WORK/body")"
alive "after traversal attempts"

# Raw bytes curl will not send.
h() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'; }
rawreq() { python3 "$RAW" raw "$PORT" "$1"; }
host="Host: 127.0.0.1:$PORT"
in_set() { local v="$1"; shift; for x in "$@"; do [ "$v" = "$x" ] && return 0; done; return 1; }
expect_refused() { # expect_refused DESCRIPTION HEX
  local got; got=$(rawreq "$2")
  if in_set "$got" 400 404 405 411 413 414 431 505 closed; then pass "$1: $got"; else fail "$1: got $got"; fi
}
# libmicrohttpd ends the target at a raw NUL byte: what follows it is never
# seen, so the truncated target is routed like any other URL.
check_eq "raw NUL in the target: cut there" 404 "$(rawreq "$(h "GET /api/v1/films/999999")00$(h "/../../etc/passwd HTTP/1.1
$host

")")"
expect_refused "garbage request line" "$(h "GARBAGE

")"
expect_refused "request line without a version" "$(h "GET /

")"
expect_refused "unknown HTTP version" "$(h "GET / HTTP/9.9
$host

")"
expect_refused "absolute-form target" "$(h "GET http://evil.example/ HTTP/1.1
$host

")"
expect_refused "asterisk target" "$(h "GET * HTTP/1.1
$host

")"
expect_refused "HTTP/1.1 without Host" "$(h "GET /api/v1/status HTTP/1.1

")"
expect_refused "header line without a colon" "$(h "GET /api/v1/status HTTP/1.1
$host
nonsense

")"
expect_refused "bad Content-Length" "$(h "GET /api/v1/status HTTP/1.1
$host
Content-Length: abc

")"
expect_refused "control bytes in the target" "$(h "GET /a")01$(h "b HTTP/1.1
$host

")"
expect_refused "a GET with a chunked body" "$(h "GET /api/v1/status HTTP/1.1
$host
Transfer-Encoding: chunked

ffffffffffffffff
")"
expect_refused "a body on a POST" "$(h "POST /api/v1/films HTTP/1.1
$host
Content-Length: 5

hello")"
check_eq "HTTP/1.0 without Host is answered" 200 "$(rawreq "$(h "GET /api/v1/status HTTP/1.0

")")"
check_eq "CRLF line ends with a bare LF are tolerated or refused, not crashed" 1 \
  "$(r=$(rawreq "$(h "GET /api/v1/status HTTP/1.1")0a$(h "$host")0a0a"); in_set "$r" 200 400 closed && echo 1)"
alive "after malformed requests"

# Host: IP literals, localhost and --allow-host names on our port; nothing else.
host_code() { curl -s -o /dev/null -w '%{http_code}' -H "Host: $1" "$URL/api/v1/status"; }
for ok in "127.0.0.1:$PORT" "localhost:$PORT" "LOCALHOST:$PORT" "[::1]:$PORT" "cinemateca.lan:$PORT" "CINEMATECA.LAN:$PORT" "10.0.0.7:$PORT"; do
  check_eq "Host $ok accepted" 200 "$(host_code "$ok")"
done
for bad in "evil.example" "evil.example:$PORT" "localhost" "localhost:1" "127.0.0.1:1" "127.0.0.1.evil.example:$PORT" \
  "localhost.evil.example:$PORT" "cinemateca.lan.evil:$PORT" "[::1]" "[::1" "[evil]:$PORT" "127.1:$PORT" \
  "localhost:$PORT:$PORT" "localhost:+$PORT" "localhost: $PORT" "localhost:0$PORT" "$(printf 'a%.0s' $(seq 300)):$PORT" "@:$PORT"; do
  code=$(host_code "$bad")
  check_eq "Host '${bad:0:40}' refused" 403 "$code"
done
check_contains "refusal is the JSON error" '"forbidden_host"' "$(curl -s -H 'Host: evil.example' "$URL/api/v1/status")"
check_eq "empty Host refused" 403 "$(rawreq "$(h "GET /api/v1/status HTTP/1.1
Host: 

")")"
check_eq "a rebinding page cannot read a stream either" 403 "$(host_code "evil.example:$PORT" >/dev/null; curl -s -o /dev/null -w '%{http_code}' -H "Host: evil.example:$PORT" "$URL/api/v1/files/1/stream")"
alive "after Host refusals"

# Size limits.
code=$(python3 "$RAW" bighead "$PORT" 70000)
check "a 70 KB header is refused (431/400/413)" in_set "$code" 431 400 413
code=$(python3 "$RAW" manyheaders "$PORT" 5000)
check "5000 headers are refused (431/400/413)" in_set "$code" 431 400 413
code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/films?q=$(printf 'a%.0s' $(seq 3000))")
check_eq "a 3 KB query string is 414" 414 "$code"
code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/$(printf 'a%.0s' $(seq 6000))")
check_eq "a 6 KB path is 414" 414 "$code"
code=$(python3 "$RAW" longline "$PORT" 100000)
check "a 100 KB request line is refused" in_set "$code" 414 431 400 closed
many=$(printf 'a%d=1&' $(seq 40))
check_eq "40 query parameters are refused" 414 "$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/films?$many")"
alive "after oversized requests"

# 500 connections at once, each with a request: all answered.
check_eq "500 concurrent connections all answered" 500 "$(python3 "$RAW" flood "$PORT" 500)"
alive "after 500 concurrent connections"
# Twice the connection limit (1,000) at once: the excess is refused, the
# rest answered, and the server carries on.
got=$(python3 "$RAW" flood "$PORT" 2000)
check "2,000 connections at once: at least 500 answered, none crashes the server (${got} answered)" test "$got" -ge 500
alive "after 2,000 concurrent connections"
# And a burst of parallel curl requests over keep-alive connections.
urls=(); for i in $(seq 1 300); do urls+=(-o /dev/null "$URL/api/v1/films?limit=$(( i % 50 + 1 ))"); done
ok=$(curl -s --no-progress-meter --parallel --parallel-max 100 -w '%{http_code}\n' "${urls[@]}" | grep -c '^200$')
check_eq "300 parallel API requests all 200" 300 "$ok"

# Slow clients hold connections; others are still served promptly.
worst=$(python3 "$RAW" slow "$PORT" 200 4 headers)
check "200 slowloris clients: others answered within 1 s (worst ${worst} ms)" test "$worst" -lt 1000
FILE=$(curl -s "$URL/api/v1/films?year=2021" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
BIG=$(curl -s "$URL/api/v1/films/$FILE" | python3 -c 'import json,sys; print(json.load(sys.stdin)["files"][0]["id"])')
worst=$(python3 "$RAW" slow "$PORT" 50 4 reader "/api/v1/files/$BIG/stream")
check "50 clients not reading a 20 MB stream: others answered within 1 s (worst ${worst} ms)" test "$worst" -lt 1000
alive "after slow clients"

# Range and conditional headers full of junk never crash the server.
S="$URL/api/v1/files/$BIG/stream"
for r in "bytes=$(printf '0-1,%.0s' $(seq 500))" "bytes=-99999999999999999999999999" "bytes=18446744073709551615-" \
  "bytes=9223372036854775807-9223372036854775807" "bytes=0-0,-1" "$(printf 'x%.0s' $(seq 2000))"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Range: $r" -H "If-Range: $r" -H "If-None-Match: $r" "$S")
  check "odd Range '${r:0:30}...': a normal status" in_set "$code" 200 206 416
done
alive "after odd ranges"

# A cataloged file swapped for a symbolic link that leaves the library
# (after the scan, before the watcher's rescan): the stream refuses it.
ABUSE=$(sqlite3 "$DB" "SELECT id FROM files WHERE path LIKE '%/Abuse (2020).mkv'")
ABUSE_PATH=$(sqlite3 "$DB" "SELECT path FROM files WHERE id = $ABUSE")
mv "$ABUSE_PATH" "$WORK/abuse.mkv"
ln -s "$WORK/secret.txt" "$ABUSE_PATH"
code=$(curl -s -o "$WORK/body" -w '%{http_code}' "$URL/api/v1/files/$ABUSE/stream")
check_eq "a file swapped for a link out of the library: 404" 404 "$code"
check "and the secret it points to is not sent" test -z "$(grep 'root:x' "$WORK/body")"
rm -f "$ABUSE_PATH"; ln -s "$WORK/abuse.mkv" "$ABUSE_PATH"
check_eq "the same through a link to a file outside: 404" 404 "$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/files/$ABUSE/stream")"
rm -f "$ABUSE_PATH"; mv "$WORK/abuse.mkv" "$ABUSE_PATH"
alive "after swapped links"

stop_server; rc=$?
check_eq "SIGTERM after all that: exit 0" 0 "$rc"
check_eq "catalog intact" ok "$(sqlite3 "$DB" 'PRAGMA integrity_check')"
finish
