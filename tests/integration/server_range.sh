#!/usr/bin/env bash
# Integration: direct play over HTTP: the Range matrix (RFC 9110 single
# ranges, 416s, several ranges), HEAD, ETag / Last-Modified with
# If-None-Match, If-Modified-Since and If-Range, and a file changed under
# the server.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

LIB="$WORK/films"
DB="$WORK/catalog.db"
F="$LIB/Range Test (2020)/Range Test (2020).mkv"
make_clip "$F" 4
SIZE=$(stat -c %s "$F")

start_server --db "$DB" --web "$WORK/none" "$LIB" || { fail "server starts"; finish; exit 1; }
listed() { curl -s "$URL/api/v1/films" | grep -q '"total":1'; }
check "the film is cataloged" wait_until 60 listed
FILM=$(curl -s "$URL/api/v1/films" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
FILE=$(curl -s "$URL/api/v1/films/$FILM" | python3 -c 'import json,sys; print(json.load(sys.stdin)["files"][0]["id"])')
S="$URL/api/v1/files/$FILE/stream"

# req [curl options...]: GET (or HEAD with -I) the stream; body in $WORK/body,
# headers in $WORK/headers; prints the status.
req() { curl -s -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' "$@" "$S"; }
hdr() { grep -i "^$1:" "$WORK/headers" | head -1 | cut -d' ' -f2- | tr -d '\r'; }
expect_bytes() { # expect_bytes FIRST COUNT: the body is those bytes of the file
  cmp -s "$WORK/body" <(tail -c +"$(( $1 + 1 ))" "$F" | head -c "$2")
}

check_eq "full GET: 200" 200 "$(req)"
check_eq "full GET: Content-Length" "$SIZE" "$(hdr Content-Length)"
check_eq "full GET: Accept-Ranges" bytes "$(hdr Accept-Ranges)"
check "full GET: the whole file" cmp -s "$WORK/body" "$F"

check_eq "bytes=0-99: 206" 206 "$(req -H 'Range: bytes=0-99')"
check_eq "bytes=0-99: Content-Range" "bytes 0-99/$SIZE" "$(hdr Content-Range)"
check_eq "bytes=0-99: Content-Length" 100 "$(hdr Content-Length)"
check "bytes=0-99: the right bytes" expect_bytes 0 100

check_eq "bytes=100-: 206" 206 "$(req -H 'Range: bytes=100-')"
check_eq "bytes=100-: Content-Range" "bytes 100-$((SIZE - 1))/$SIZE" "$(hdr Content-Range)"
check "bytes=100-: the right bytes" expect_bytes 100 $((SIZE - 100))

check_eq "bytes=-100: 206" 206 "$(req -H 'Range: bytes=-100')"
check_eq "bytes=-100: Content-Range" "bytes $((SIZE - 100))-$((SIZE - 1))/$SIZE" "$(hdr Content-Range)"
check "bytes=-100: the last 100 bytes" expect_bytes $((SIZE - 100)) 100

check_eq "bytes=5000-5000: one byte" "206 1" "$(req -H 'Range: bytes=5000-5000') $(hdr Content-Length)"
check "bytes=5000-5000: the right byte" expect_bytes 5000 1
check_eq "last byte" "206 bytes $((SIZE - 1))-$((SIZE - 1))/$SIZE" "$(req -H "Range: bytes=$((SIZE - 1))-") $(hdr Content-Range)"
check_eq "end past the file is clamped" "206 bytes 10-$((SIZE - 1))/$SIZE" "$(req -H "Range: bytes=10-$((SIZE + 5000))") $(hdr Content-Range)"
check_eq "suffix longer than the file: the whole file" "206 bytes 0-$((SIZE - 1))/$SIZE" "$(req -H "Range: bytes=-$((SIZE * 3))") $(hdr Content-Range)"
check_eq "whitespace and case tolerated" 206 "$(req -H 'Range: Bytes = 0-9')"
check_eq "huge numbers do not overflow" 416 "$(req -H 'Range: bytes=99999999999999999999999-')"

check_eq "bytes=100-50: 416" 416 "$(req -H 'Range: bytes=100-50')"
check_eq "416 names the size" "bytes */$SIZE" "$(hdr Content-Range)"
check_eq "bytes=-0: 416" 416 "$(req -H 'Range: bytes=-0')"
check_eq "start at the size: 416" 416 "$(req -H "Range: bytes=$SIZE-")"
check_eq "past the end: 416" 416 "$(req -H "Range: bytes=$((SIZE + 10))-$((SIZE + 20))")"

# Several ranges are answered with the whole file (200), as RFC 9110 allows.
check_eq "several ranges: 200 with the whole file" "200 $SIZE" "$(req -H 'Range: bytes=0-9,20-29') $(hdr Content-Length)"
check_eq "several ranges, one unsatisfiable: 200" 200 "$(req -H "Range: bytes=0-9,$((SIZE + 1))-")"
# A Range that does not parse, or of another unit, is ignored.
for bad in "bytes=abc" "bytes=" "bytes=-" "bytes=--5" "items=0-9" "bytes 0-9" "bytes=0-9x" "bytes=1-2-3" ""; do
  check_eq "ignored Range '$bad': 200" 200 "$(req -H "Range: $bad")"
done

# HEAD
check_eq "HEAD: 200" 200 "$(req -I)"
check_eq "HEAD: Content-Length is the file's" "$SIZE" "$(hdr Content-Length)"
check_eq "HEAD: no body" 0 "$(curl -s -I -o /dev/null -w '%{size_download}' "$S")"
check_eq "HEAD with Range: 206" "206 100" "$(req -I -H 'Range: bytes=0-99') $(hdr Content-Length)"

# Validators
req >/dev/null
ETAG=$(hdr ETag)
LM=$(hdr Last-Modified)
check "ETag is a strong quoted tag" test "${ETAG:0:1}" = '"'
check_contains "Last-Modified is an HTTP date" "GMT" "$LM"
check_eq "If-None-Match same tag: 304" 304 "$(req -H "If-None-Match: $ETAG")"
check_eq "304 has no body" 0 "$(curl -s -o /dev/null -w '%{size_download}' -H "If-None-Match: $ETAG" "$S")"
check_eq "304 repeats the ETag" "$ETAG" "$(hdr ETag)"
check_eq "If-None-Match in a list: 304" 304 "$(req -H "If-None-Match: \"x\", $ETAG")"
check_eq "If-None-Match weak form matches (weak comparison): 304" 304 "$(req -H "If-None-Match: W/$ETAG")"
check_eq "If-None-Match *: 304" 304 "$(req -H 'If-None-Match: *')"
check_eq "If-None-Match other tag: 200" 200 "$(req -H 'If-None-Match: "other"')"
check_eq "If-Modified-Since = Last-Modified: 304" 304 "$(req -H "If-Modified-Since: $LM")"
check_eq "If-Modified-Since long ago: 200" 200 "$(req -H 'If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT')"
check_eq "If-Modified-Since garbage: 200" 200 "$(req -H 'If-Modified-Since: yesterday')"
check_eq "If-None-Match wins over If-Modified-Since" 200 "$(req -H 'If-None-Match: "other"' -H "If-Modified-Since: $LM")"

check_eq "If-Range same ETag: 206" 206 "$(req -H 'Range: bytes=0-99' -H "If-Range: $ETAG")"
check_eq "If-Range other ETag: 200 whole file" "200 $SIZE" "$(req -H 'Range: bytes=0-99' -H 'If-Range: "other"') $(hdr Content-Length)"
check_eq "If-Range weak ETag never matches: 200" 200 "$(req -H 'Range: bytes=0-99' -H "If-Range: W/$ETAG")"
check_eq "If-Range = Last-Modified: 206" 206 "$(req -H 'Range: bytes=0-99' -H "If-Range: $LM")"
check_eq "If-Range other date: 200" 200 "$(req -H 'Range: bytes=0-99' -H 'If-Range: Sun, 06 Nov 1994 08:49:37 GMT')"
check_eq "If-Range with an unsatisfiable range that does not apply: 200" 200 "$(req -H 'Range: bytes=100-50' -H 'If-Range: "other"')"

# The file changes under the server: new validators, stale If-Range is a full reply.
sleep 1.1
printf 'appended' >> "$F"
NEWSIZE=$(stat -c %s "$F")
check_eq "changed file: old ETag no longer 304" 200 "$(req -H "If-None-Match: $ETAG")"
check "changed file: a new ETag" test "$(hdr ETag)" != "$ETAG"
check_eq "changed file: stale If-Range gets the whole new file" "200 $NEWSIZE" "$(req -H 'Range: bytes=0-99' -H "If-Range: $ETAG") $(hdr Content-Length)"

# Media players use ranges to seek: ffprobe and ffmpeg over HTTP.
check "ffprobe reads the stream" ffprobe -v error "$S"
check "ffmpeg seeks to 2 s and decodes" ffmpeg -nostdin -v error -ss 2 -i "$S" -frames:v 1 -f null -

# Keep-alive: many range requests on one connection.
out=$(curl -s -w '%{num_connects}\n' -H 'Range: bytes=0-9' -o /dev/null "$S" -o /dev/null "$S" \
  -o /dev/null "$S" -o /dev/null "$S" | paste -sd+ | bc)
check_eq "keep-alive: four requests, one connection" 1 "$out"

stop_server
finish
