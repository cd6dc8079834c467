#!/usr/bin/env bash
# Integration: `cinemateca serve --dlna` seen by a UPnP control point that
# nobody here wrote (GUPnP through python3-gi), on a private network: two
# network namespaces made here joined by a veth pair (10.231.0.1/24 server,
# 10.231.0.2/24 client, multicast routed on the veth), never the real
# network. The client discovers the server by SSDP, browses the whole tree,
# parses every DIDL-Lite answer with GUPnP-AV, searches for "almodovar" and
# ffprobe reads a res URL. Then the hostile inputs: DTDs and entities,
# oversized and chunked bodies, injection in SearchCriteria, eventing, and
# a client outside --dlna-allow. Without namespaces (not root, or no
# `ip netns`) the unicast parts run on loopback and the rest is reported
# as skipped, not passed.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
HERE="$(cd "$(dirname "$0")" && pwd)"
PY=/usr/bin/python3

LIB="$WORK/films"
DB="$WORK/catalog.db"
make_clip "$WORK/base.mp4" 2
make_clip "$WORK/base.mkv" 2
printf '1\n00:00:00,200 --> 00:00:01,500\nLos motores se han parado.\n\n' > "$WORK/es.srt"
ffmpeg -nostdin -v error -y -i "$WORK/base.mkv" -i "$WORK/es.srt" -map 0 -map 1 -c copy \
  -c:s srt -metadata:s:s:0 language=spa "$WORK/subbed.mkv"

# A special feature no DLNA profile fits (MPEG-4 Part 2 and MP3 in AVI): it
# gets a transcoded MPEG-TS res besides its own. 6 s, a keyframe a second.
ffmpeg -nostdin -v error -y -f lavfi -i "testsrc=size=320x180:rate=10" \
  -f lavfi -i "sine=frequency=440:sample_rate=44100" -t 6 -c:v mpeg4 -g 10 -q:v 6 \
  -c:a libmp3lame -b:a 48k "$WORK/old.avi"

PAIN="$LIB/Pain and Glory (2019)"
mkdir -p "$PAIN/Interviews"
cp "$WORK/base.mp4" "$PAIN/Pain and Glory (2019).mp4"
cp "$WORK/old.avi" "$PAIN/Interviews/In His Own Words.avi"
cat > "$PAIN/movie.nfo" <<'NFO'
<movie><title>Pain and Glory</title><originaltitle>Dolor y gloria</originaltitle><year>2019</year>
  <plot>An ageing director &amp; his memories: "cinema" &lt;as&gt; a way out.</plot>
  <genre>Drama</genre><director>Pedro Almodóvar</director>
  <actor><name>Antonio Banderas</name><order>0</order></actor>
  <actor><name>Penélope Cruz</name><order>1</order></actor>
  <release type="festival" date="2019-05-17" event="Cannes Film Festival" country="FR"/>
</movie>
NFO
ffmpeg -nostdin -v error -f lavfi -i "color=c=red:s=300x450" -frames:v 1 "$PAIN/poster.jpg"
ALL="$LIB/All About My Mother (1999)"
mkdir -p "$ALL"
cp "$WORK/base.mkv" "$ALL/All About My Mother (1999).mkv"
cat > "$ALL/movie.nfo" <<'NFO'
<movie><title>All About My Mother</title><year>1999</year><genre>Drama</genre>
  <mpaa>PG-13</mpaa><director>Pedro Almodóvar</director></movie>
NFO
QUIET="$LIB/Quiet Engines (2016)"
mkdir -p "$QUIET"
cp "$WORK/subbed.mkv" "$QUIET/Quiet Engines (2016).mkv"
cat > "$QUIET/movie.nfo" <<'NFO'
<movie><title>Quiet Engines</title><year>2016</year><genre>Science Fiction</genre>
  <director>Maeve Ashdown</director></movie>
NFO
TWO="$LIB/Two Parts (2001)"
mkdir -p "$TWO"
cp "$WORK/base.mp4" "$TWO/Two Parts (2001) - Part 1.mp4"
cp "$WORK/base.mp4" "$TWO/Two Parts (2001) - Part 2.mp4"
"$CINEMATECA" scan --db "$DB" "$LIB" >/dev/null 2>&1 || fail "scan"
# A server that listens beyond loopback needs an account (the web and API
# ask for sign-in; DLNA, which has none, shows what the admin chose).
printf 'a long enough password\n' | "$CINEMATECA" user add --db "$DB" --admin --password-stdin admin >/dev/null 2>&1 ||
  fail "an admin account"
# A viewer limited to PG-13: of the films, only All About My Mother has a
# rating (a film without one is hidden from a limited user).
printf 'a long enough password\n' | "$CINEMATECA" user add --db "$DB" --password-stdin viewer >/dev/null 2>&1 ||
  fail "a viewer account"
sqlite3 "$DB" "UPDATE users SET max_cert = 'PG-13' WHERE name = 'viewer'" || fail "the viewer's limit"

# soap URL SERVICE ACTION ARGS-XML [curl options...]: prints the reply body.
soap() {
  local url="$1" svc="$2" action="$3" args="$4"; shift 4
  curl -s --max-time 20 -X POST -H 'Content-Type: text/xml; charset="utf-8"' \
    -H "SOAPACTION: \"urn:schemas-upnp-org:service:$svc:1#$action\"" "$@" \
    --data-binary "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><u:$action xmlns:u=\"urn:schemas-upnp-org:service:$svc:1\">$args</u:$action></s:Body></s:Envelope>" \
    "$url/dlna/control/$(echo "$svc" | sed 's/ContentDirectory/cds/;s/ConnectionManager/cms/')"
}
search_args() {
  printf '<ContainerID>0</ContainerID><SearchCriteria>%s</SearchCriteria><Filter>*</Filter><StartingIndex>0</StartingIndex><RequestedCount>0</RequestedCount><SortCriteria></SortCriteria>' "$1"
}
# msearch HOST PORT: a unicast M-SEARCH for MediaServer:1; prints the answers.
msearch() {
  $PY - "$1" "$2" <<'PYEOF'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(3)
s.sendto(b'M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "ssdp:discover"\r\n'
         b'MX: 1\r\nST: urn:schemas-upnp-org:device:MediaServer:1\r\n\r\n', (sys.argv[1], int(sys.argv[2])))
try:
    print(s.recvfrom(4096)[0].decode())
except socket.timeout:
    print('no answer')
PYEOF
}

# The checks that need only unicast HTTP and SSDP; $RUN runs a command on
# the client's side, $URL is the server as the client reaches it.
hostile_checks() {
  local r
  r=$(soap "$URL" ContentDirectory Browse "<ObjectID>0</ObjectID><BrowseFlag>BrowseMetadata</BrowseFlag><Filter>*</Filter><StartingIndex>0</StartingIndex><RequestedCount>0</RequestedCount><SortCriteria></SortCriteria>" 2>/dev/null)
  check_contains "BrowseMetadata of the root" "parentID=&quot;-1&quot;" "$r"
  r=$(curl -s --max-time 10 -X POST -H 'SOAPACTION: "urn:schemas-upnp-org:service:ContentDirectory:1#Browse"' \
      --data-binary '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><u:Browse xmlns:u="urn:schemas-upnp-org:service:ContentDirectory:1"><ObjectID>&b;</ObjectID></u:Browse></s:Body></s:Envelope>' \
      -w ' %{http_code}' "$URL/dlna/control/cds")
  check_contains "a SOAP body with a DTD and entities is refused with a fault" "<errorCode>401</errorCode>" "$r"
  check_contains "... as HTTP 500" " 500" "$r"
  r=$(curl -s --max-time 10 -X POST -H 'SOAPACTION: "urn:schemas-upnp-org:service:ContentDirectory:1#Browse"' \
      --data-binary '<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><u:Browse xmlns:u="urn:schemas-upnp-org:service:ContentDirectory:1"><ObjectID xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="file:///etc/passwd" parse="text"/></ObjectID></u:Browse></s:Body></s:Envelope>' \
      "$URL/dlna/control/cds")
  check_contains "an XInclude in an argument is refused" "<errorCode>401</errorCode>" "$r"
  [[ "$r" != *root:* ]] && pass "no file content leaks through XInclude" || fail "XInclude leaked a file"
  head -c 70000 /dev/zero | tr '\0' 'a' > "$WORK/big.xml"
  r=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' -X POST --data-binary @"$WORK/big.xml" "$URL/dlna/control/cds")
  check_eq "a 70 KB SOAP body is refused" "413" "$r"
  r=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' -X POST -H 'Transfer-Encoding: chunked' --data-binary @"$WORK/big.xml" "$URL/dlna/control/cds")
  check_eq "a chunked SOAP body is refused" "411" "$r"
  r=$(soap "$URL" ContentDirectory Search "$(search_args 'dc:title contains &quot;x&quot;) or 1=1 --&quot;')")
  check_contains "SearchCriteria that does not parse: fault 708" "<errorCode>708</errorCode>" "$r"
  r=$(soap "$URL" ContentDirectory Search "$(search_args 'dc:title contains &quot;x%&quot; or dc:title = &quot;'"'"') OR 1=1 --&quot;')")
  check_contains "SQL in a quoted value is just text: nothing matches" "<TotalMatches>0</TotalMatches>" "$r"
  r=$(soap "$URL" ContentDirectory Search "$(search_args '*')")
  check_contains "Search * finds every main file (5)" "<TotalMatches>5</TotalMatches>" "$r"
  r=$(soap "$URL" ContentDirectory Search "$(search_args 'upnp:genre = &quot;drama&quot; and dc:date &lt; &quot;2000&quot;')")
  check_contains "genre and date criteria" "All About My Mother" "$r"
  [[ "$r" != *"Pain and Glory"* ]] && pass "a film from 2019 is not before 2000" || fail "date comparison"
  r=$(soap "$URL" ContentDirectory Browse "<ObjectID>film/999999</ObjectID><BrowseFlag>BrowseDirectChildren</BrowseFlag><Filter>*</Filter><StartingIndex>0</StartingIndex><RequestedCount>0</RequestedCount><SortCriteria></SortCriteria>")
  check_contains "an unknown object: fault 701" "<errorCode>701</errorCode>" "$r"
  r=$(soap "$URL" ContentDirectory Browse "<ObjectID>films/all</ObjectID><BrowseFlag>BrowseDirectChildren</BrowseFlag><Filter>*</Filter><StartingIndex>0</StartingIndex><RequestedCount>0</RequestedCount><SortCriteria>+upnp:album</SortCriteria>")
  check_contains "an unsupported sort: fault 709" "<errorCode>709</errorCode>" "$r"
  r=$(soap "$URL" ContentDirectory Browse "<ObjectID>films/all</ObjectID><BrowseFlag>BrowseDirectChildren</BrowseFlag><Filter>*</Filter><StartingIndex>1</StartingIndex><RequestedCount>2</RequestedCount><SortCriteria>-dc:date</SortCriteria>")
  check_contains "paging: two films from the second" "<NumberReturned>2</NumberReturned><TotalMatches>4</TotalMatches>" "$r"
  r=$(echo "$r" | $PY -c 'import sys,html,re; print(" ".join(re.findall(r"<dc:title>([^<]*)", html.unescape(sys.stdin.read()))))')
  check_eq "sorted by date, newest first" "Quiet Engines Two Parts" "$r"
  r=$(soap "$URL" ConnectionManager GetProtocolInfo "")
  check_contains "GetProtocolInfo lists MP4" "http-get:*:video/mp4:DLNA.ORG_OP=01" "$r"
  r=$(soap "$URL" ConnectionManager GetCurrentConnectionInfo "<ConnectionID>0</ConnectionID>")
  check_contains "GetCurrentConnectionInfo for connection 0" "<Direction>Output</Direction>" "$r"
  # Search honours ContainerID and SortCriteria.
  r=$(soap "$URL" ContentDirectory Search "<ContainerID>genre/Drama</ContainerID><SearchCriteria>*</SearchCriteria><Filter>*</Filter><StartingIndex>0</StartingIndex><RequestedCount>0</RequestedCount><SortCriteria>-dc:date</SortCriteria>")
  check_contains "Search in genre/Drama: its two films only" "<TotalMatches>2</TotalMatches>" "$r"
  r=$(echo "$r" | $PY -c 'import sys,html,re; print(" ".join(re.findall(r"<dc:title>([^<]*)", html.unescape(sys.stdin.read()))))')
  check_eq "... newest first (SortCriteria -dc:date)" "Pain and Glory All About My Mother" "$r"
  r=$(soap "$URL" ContentDirectory Search "<ContainerID>no/such</ContainerID><SearchCriteria>*</SearchCriteria><Filter>*</Filter><StartingIndex>0</StartingIndex><RequestedCount>0</RequestedCount><SortCriteria></SortCriteria>")
  check_contains "Search in an unknown container: fault 710" "<errorCode>710</errorCode>" "$r"
  # childCount on every container.
  r=$(soap "$URL" ContentDirectory Browse "<ObjectID>0</ObjectID><BrowseFlag>BrowseDirectChildren</BrowseFlag><Filter>*</Filter><StartingIndex>0</StartingIndex><RequestedCount>0</RequestedCount><SortCriteria></SortCriteria>")
  r=$(echo "$r" | $PY -c 'import sys,html,re; t=html.unescape(sys.stdin.read()); print(" ".join("%s=%s" % m for m in re.findall(r"<container id=\"([^\"]*)\"[^>]*childCount=\"(\d+)\"", t)), len(re.findall("<container ", t)))')
  check_eq "the root's containers all carry childCount (films 6, recent 4, continue 0)" "films=6 recent=4 continue=0 3" "$r"
  r=$(soap "$URL" ContentDirectory Browse "<ObjectID>films/all</ObjectID><BrowseFlag>BrowseDirectChildren</BrowseFlag><Filter>*</Filter><StartingIndex>0</StartingIndex><RequestedCount>0</RequestedCount><SortCriteria></SortCriteria>")
  r=$(echo "$r" | $PY -c 'import sys,html,re; t=html.unescape(sys.stdin.read()); print(len(re.findall("<container ", t)), len(re.findall("<container [^>]*childCount=", t)))')
  check_eq "every film container carries childCount" "4 4" "$r"
  # Samsung's bookmark: recorded as the view's watch state, read back as a
  # resume position, and the film is then in Continue watching.
  local item
  item=$(soap "$URL" ContentDirectory Search "$(search_args 'dc:title = &quot;Quiet Engines&quot;')" | $PY -c 'import sys,html,re; print(re.findall(r"<item id=\"([^\"]*)\"", html.unescape(sys.stdin.read()))[0])')
  r=$(soap "$URL" ContentDirectory X_SetBookmark "<CategoryType>1</CategoryType><RID>0</RID><ObjectID>$item</ObjectID><PosSecond>1</PosSecond>")
  check_contains "X_SetBookmark is accepted" "X_SetBookmarkResponse" "$r"
  r=$(soap "$URL" ContentDirectory X_SetBookmark "<CategoryType>1</CategoryType><RID>0</RID><ObjectID>film/999999/file/1</ObjectID><PosSecond>1</PosSecond>")
  check_contains "X_SetBookmark on an unknown object: fault 701" "<errorCode>701</errorCode>" "$r"
  sleep 1 # the watch writer commits on its own thread
  r=$(soap "$URL" ContentDirectory Browse "<ObjectID>$item</ObjectID><BrowseFlag>BrowseMetadata</BrowseFlag><Filter>*</Filter><StartingIndex>0</StartingIndex><RequestedCount>0</RequestedCount><SortCriteria></SortCriteria>")
  check_contains "the item carries the resume position" "&lt;upnp:lastPlaybackPosition&gt;0:00:01.000" "$r"
  check_contains "... and Samsung's bookmark" "&lt;sec:dcmInfo&gt;BM=1&lt;" "$r"
  r=$(soap "$URL" ContentDirectory Browse "<ObjectID>continue</ObjectID><BrowseFlag>BrowseDirectChildren</BrowseFlag><Filter>*</Filter><StartingIndex>0</StartingIndex><RequestedCount>0</RequestedCount><SortCriteria></SortCriteria>")
  check_contains "Continue watching holds the film" "Quiet Engines" "$r"
  check_contains "... and only it" "<TotalMatches>1</TotalMatches>" "$r"
  gena_checks
  r=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' -H 'Host: evil.example:80' "$URL/dlna/description.xml")
  check_eq "a foreign Host (DNS rebinding) is refused" "403" "$r"
  kill -0 "$SPID" 2>/dev/null && pass "the server survived the hostile requests" || fail "the server died"
}

# gena_checks: SUBSCRIBE, renewal and UNSUBSCRIBE by hand; a callback
# anywhere but the subscriber's own address is refused (CallStranger).
# $CLIENT_IP is the address the server sees the client at.
gena_checks() {
  local r sid
  r=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' -X SUBSCRIBE -H 'CALLBACK: <http://192.0.2.1/x>' -H 'NT: upnp:event' "$URL/dlna/event/cds")
  check_eq "SUBSCRIBE with a callback at another host is refused (CallStranger): 412" "412" "$r"
  r=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' -X SUBSCRIBE -H 'CALLBACK: <http://attacker.example/x>' -H 'NT: upnp:event' "$URL/dlna/event/cms")
  check_eq "... a callback by name too (nothing is looked up)" "412" "$r"
  r=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' -X SUBSCRIBE -H "CALLBACK: <http://$CLIENT_IP:9/ok><http://192.0.2.1/x>" -H 'NT: upnp:event' "$URL/dlna/event/cds")
  check_eq "... and a list with any foreign callback in it" "412" "$r"
  r=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' -X SUBSCRIBE -H "CALLBACK: <http://$CLIENT_IP:9/x>" -H 'NT: upnp:other' "$URL/dlna/event/cds")
  check_eq "SUBSCRIBE with a wrong NT: 412" "412" "$r"
  r=$(curl -s --max-time 10 -D - -o /dev/null -X SUBSCRIBE -H "CALLBACK: <http://$CLIENT_IP:9/x>" -H 'NT: upnp:event' -H 'TIMEOUT: Second-999999' "$URL/dlna/event/cds" | tr -d '\r')
  check_contains "SUBSCRIBE with a callback at the subscriber's own address: 200" "HTTP/1.1 200" "$r"
  check_contains "... TIMEOUT capped at 1800 s" "TIMEOUT: Second-1800" "$r"
  sid=$(printf '%s\n' "$r" | sed -n 's/^SID: //Ip')
  check "... with a SID" test -n "$sid"
  r=$(curl -s --max-time 10 -D - -o /dev/null -X SUBSCRIBE -H "SID: $sid" -H 'TIMEOUT: Second-300' "$URL/dlna/event/cds" | tr -d '\r')
  check_contains "a renewal with the SID: 200 and the TIMEOUT asked" "TIMEOUT: Second-300" "$r"
  r=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' -X SUBSCRIBE -H "SID: $sid" -H 'NT: upnp:event' "$URL/dlna/event/cds")
  check_eq "a renewal with NT as well: 400" "400" "$r"
  r=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' -X SUBSCRIBE -H "SID: $sid" "$URL/dlna/event/cms")
  check_eq "a renewal at the other service's URL: 412" "412" "$r"
  r=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' -X UNSUBSCRIBE -H "SID: $sid" "$URL/dlna/event/cds")
  check_eq "UNSUBSCRIBE: 200" "200" "$r"
  r=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' -X UNSUBSCRIBE -H "SID: $sid" "$URL/dlna/event/cds")
  check_eq "... twice: 412 (no such subscription)" "412" "$r"
  r=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' -X SUBSCRIBE -H "SID: $sid" "$URL/dlna/event/cds")
  check_eq "a renewal after UNSUBSCRIBE: 412" "412" "$r"
  local codes="" i
  for i in $(seq 1 9); do
    codes="$codes $(curl -s --max-time 10 -o /dev/null -w '%{http_code}' -X SUBSCRIBE -H "CALLBACK: <http://$CLIENT_IP:9/n$i>" -H 'NT: upnp:event' "$URL/dlna/event/cms")"
  done
  check_contains "subscriptions are bounded per address (8): the 9th is refused with 503" " 503" "$codes"
  r=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' -X NOTIFY "$URL/dlna/event/cds")
  check_eq "another method on an event URL: 405" "405" "$r"
}

# ts_checks URL "PROFILE TIMESEEK CONVERTED RES_COUNT" (as GUPnP-AV read the
# DIDL-Lite; empty on loopback): the transcoded MPEG-TS of the AVI extra,
# read end to end by ffmpeg, and a time seek into it.
ts_checks() {
  local ts="$1" seen="$2" r full seek hdr
  local efile
  efile=$(sqlite3 "$DB" "SELECT id FROM files WHERE path LIKE '%In His Own Words.avi'")
  check_eq "the AVI extra's transcoded res is /dlna/ts/FILE" "$URL/dlna/ts/$efile" "$ts"
  if [ -n "$seen" ]; then
    check_eq "GUPnP-AV reads its protocolInfo: AVC_TS profile, time seek only, converted; two res" \
      "AVC_TS_MP_SD_AAC_MULT5_ISO True True 2" "$seen"
  fi
  r=$($RUN curl -sI --max-time 60 "$ts" | tr -d '\r')
  check_contains "HEAD on the MPEG-TS: video/mpeg" "Content-Type: video/mpeg" "$r"
  check_contains "... its contentFeatures say OP=10 (time seek) and CI=1" "DLNA.ORG_OP=10;DLNA.ORG_CI=1" "$r"
  r=$($RUN ffprobe -v error -show_entries stream=codec_name -of csv=p=0 "$ts" 2>&1 | grep -v '^$' | sort -u | tr '\n' ' ')
  check_eq "ffprobe reads the MPEG-TS: H.264 and AAC" "aac h264 " "$r"
  r=$($RUN ffmpeg -nostdin -v error -i "$ts" -map 0:v -vsync 0 -f framecrc - 2>"$WORK/ts.err" | grep -c '^0,')
  check_eq "ffmpeg decodes the whole MPEG-TS: 60 pictures (6 s at 10/s)" "60" "$r"
  check_eq "... without an error" "" "$(head -c 300 "$WORK/ts.err")"
  $RUN curl -s --max-time 60 -o "$WORK/full.ts" "$ts"
  hdr=$($RUN curl -s --max-time 60 -D - -o "$WORK/seek.ts" -H 'TimeSeekRange.dlna.org: npt=2-' "$ts" | tr -d '\r')
  r=$(printf '%s\n' "$hdr" | sed -n 's/^TimeSeekRange.dlna.org: //p')
  check "TimeSeekRange npt=2- is answered with the range sent: from 2 s to the end ($r)" \
    $PY -c 'import re,sys; m=re.fullmatch(r"npt=2\.000-([0-9.]+)/([0-9.]+)", sys.argv[1]); sys.exit(not (m and m[1] == m[2] and 5.9 <= float(m[2]) <= 6.2))' "$r"
  full=$(ffprobe -v error -show_entries format=start_time -of csv=p=0 "$WORK/full.ts")
  seek=$(ffprobe -v error -show_entries format=start_time -of csv=p=0 "$WORK/seek.ts")
  r=$($PY -c 'import sys; d=float(sys.argv[2])-float(sys.argv[1]); print("%.1f" % d)' "$full" "$seek")
  check_eq "the seeked stream's first picture is 2 s after the whole stream's" "2.0" "$r"
  r=$(ffmpeg -nostdin -v error -i "$WORK/seek.ts" -map 0:v -vsync 0 -f framecrc - 2>/dev/null | grep -c '^0,')
  check "... and holds the last 4 s (about 40 pictures: $r)" test "$r" -ge 38 -a "$r" -le 42
  r=$($RUN curl -s --max-time 60 -o /dev/null -w '%{http_code}' -H 'TimeSeekRange.dlna.org: npt=60-' "$ts")
  check_eq "a time seek past the end: 416" "416" "$r"
  r=$($RUN curl -s --max-time 60 -o /dev/null -w '%{http_code}' -H 'TimeSeekRange.dlna.org: npt=x-' "$ts")
  check_eq "a malformed TimeSeekRange: 400" "400" "$r"
  local mfile
  mfile=$(sqlite3 "$DB" "SELECT id FROM files WHERE path LIKE '%All About My Mother (1999).mkv'")
  r=$($RUN curl -s --max-time 60 -o /dev/null -w '%{http_code}' "$URL/dlna/ts/$mfile")
  check_eq "a file that plays as it is has no transcode (404)" "404" "$r"
  r=$($RUN curl -s --max-time 10 -o /dev/null -w '%{http_code}' -H 'TimeSeekRange.dlna.org: npt=1-' "$URL/dlna/res/$mfile")
  check_eq "a time seek on a file's own res (bytes only): 406" "406" "$r"
}

# Usage errors come first, with a clear message.
r=$("$CINEMATECA" serve --db "$DB" --listen 127.0.0.1:0 --dlna --dlna-user nobody-here 2>&1); rc=$?
check_contains "--dlna-user naming no account is refused" "no such user" "$r"
r=$("$CINEMATECA" serve --db "$WORK/x.db" --dlna-name x 2>&1); rc=$?
check_eq "--dlna-name without --dlna is a usage error" "2" "$rc"
r=$("$CINEMATECA" serve --db "$WORK/x.db" --dlna --listen '[::1]:0' 2>&1); rc=$?
check_contains "--dlna on an IPv6 address is refused" "needs an IPv4 --listen" "$r"
r=$("$CINEMATECA" serve --db "$WORK/x.db" --dlna --listen 127.0.0.1:0 --dlna-allow 10.0.0/8 2>&1); rc=$?
check_contains "a malformed --dlna-allow is refused" "not an IPv4 CIDR" "$r"

NETNS=0
if [ "$(id -u)" = 0 ] && command -v ip >/dev/null && ip netns add "cin-dl-probe-$$" 2>/dev/null; then
  ip netns del "cin-dl-probe-$$"
  NETNS=1
fi

if [ "$NETNS" = 1 ]; then
  NS_S="cin-dl-s-$$"; NS_C="cin-dl-c-$$"; VS="cdls$$"; VC="cdlc$$"
  ns_cleanup() {
    [ -n "${SPID:-}" ] && kill "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null
    ip netns del "$NS_S" 2>/dev/null
    ip netns del "$NS_C" 2>/dev/null
    cleanup
  }
  trap ns_cleanup EXIT
  ip netns add "$NS_S" && ip netns add "$NS_C" &&
    ip link add "$VS" type veth peer name "$VC" &&
    ip link set "$VS" netns "$NS_S" && ip link set "$VC" netns "$NS_C" &&
    ip -n "$NS_S" addr add 10.231.0.1/24 dev "$VS" && ip -n "$NS_C" addr add 10.231.0.2/24 dev "$VC" &&
    ip -n "$NS_S" link set lo up && ip -n "$NS_C" link set lo up &&
    ip -n "$NS_S" link set "$VS" up && ip -n "$NS_C" link set "$VC" up &&
    ip -n "$NS_S" route add 224.0.0.0/4 dev "$VS" && ip -n "$NS_C" route add 224.0.0.0/4 dev "$VC"
  check_eq "a private network of two namespaces" "0" "$?"
  RUN="ip netns exec $NS_C"
  CLIENT_IP=10.231.0.2

  # start_dlna ARGS...: the server in its namespace; sets URL, UDN, SPID.
  start_dlna() {
    local out="$WORK/dlna-$RANDOM.out"
    ip netns exec "$NS_S" "$CINEMATECA" serve --db "$DB" --listen 10.231.0.1:0 --no-watch \
      --dlna --dlna-name 'Films & "friends" <test>' "$@" >"$out" 2>"$WORK/dlna.err" &
    SPID=$!
    PIDS+=("$SPID")
    URL=""; UDN=""
    for _ in $(seq 1 400); do
      URL=$(sed -n 's|^cinemateca: serving \(http://[^ ]*\)/$|\1|p' "$out")
      UDN=$(sed -n 's|^cinemateca: DLNA media server \(uuid:[^ ]*\) at .*|\1|p' "$out")
      [ -n "$URL" ] && [ -n "$UDN" ] && return 0
      kill -0 "$SPID" 2>/dev/null || break
      sleep 0.05
    done
    cat "$WORK/dlna.err" >&2
    return 1
  }
  start_dlna || fail "the DLNA server starts"

  # The real client, on the other side of the veth.
  # It stays subscribed to the ContentDirectory's events: once it has the
  # initial event, a changed .nfo is rescanned and it must be told.
  rm -f "$WORK/subscribed"
  $RUN $PY "$HERE/dlna_client.py" "$VC" "$UDN" almodovar 90 "$WORK/subscribed" > "$WORK/client.json" 2>"$WORK/client.err" &
  CPID=$!
  PIDS+=("$CPID")
  wait_until 80 test -s "$WORK/subscribed"
  sed -i 's|<year>2016</year>|<year>2016</year><plot>Engines fall silent.</plot>|' "$QUIET/movie.nfo"
  touch "$QUIET/movie.nfo"
  "$CINEMATECA" scan --db "$DB" "$LIB" >/dev/null 2>&1 || fail "the rescan"
  wait "$CPID"
  cat "$WORK/client.err" | grep -v '^$' | head -5 >&2
  check_eq "GUPnP subscribes to the ContentDirectory's events and gets the initial SystemUpdateID" \
    "True" "$(json_get "$WORK/client.json" "d['subscribed']")"
  check_eq "... and, after the rescan of a changed film, a NOTIFY with a new SystemUpdateID" \
    "True" "$(json_get "$WORK/client.json" "len(d['events']) >= 2 and d['events'][-1] != d['events'][0]")"
  check_eq "... which is what GetSystemUpdateID says now" \
    "$($RUN curl -s --max-time 20 -X POST -H 'SOAPACTION: "urn:schemas-upnp-org:service:ContentDirectory:1#GetSystemUpdateID"' \
        --data-binary '<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><u:GetSystemUpdateID xmlns:u="urn:schemas-upnp-org:service:ContentDirectory:1"/></s:Body></s:Envelope>' \
        "$URL/dlna/control/cds" | sed -n 's|.*<Id>\([0-9]*\)</Id>.*|\1|p')" \
    "$(json_get "$WORK/client.json" "d['events'][-1]")"
  check_eq "... and the subscription was never lost" "None" "$(json_get "$WORK/client.json" "d['subscription_lost']")"
  check_eq "GUPnP discovers the server by SSDP" "True" "$(json_get "$WORK/client.json" "d['found']")"
  check_eq "no errors while browsing the whole tree" "[]" "$(json_get "$WORK/client.json" "d['errors']")"
  check_eq "every main file and extra is an item (5 films' files + 1 extra)" "6" "$(json_get "$WORK/client.json" "d['items']")"
  check_eq "the special feature is a videoItem" "1" "$(json_get "$WORK/client.json" "d['extras']")"
  check_eq "every res carries a protocolInfo" "0" "$(json_get "$WORK/client.json" "d['res_missing_protocol']")"
  check "many DIDL-Lite answers parsed by GUPnP-AV" test "$(json_get "$WORK/client.json" "d['didl_answers']")" -gt 20
  check_eq "the root is called after the server" "cinemateca" "$(json_get "$WORK/client.json" "d['root_title']")"
  check_contains "films are movies" "object.item.videoItem.movie" "$(json_get "$WORK/client.json" "d['classes']")"
  check_contains "a film with two parts shows both" "Two Parts (part 2)" "$(json_get "$WORK/client.json" "d['titles']")"
  check_eq "search for almodovar finds his two films (accents folded)" \
    "['All About My Mother', 'Pain and Glory']" "$(json_get "$WORK/client.json" "sorted(d['search_titles'])")"
  check_contains "sort capabilities" "dc:title" "$(json_get "$WORK/client.json" "d['sort_caps']")"
  check_eq "Samsung's X_GetFeatureList" "True" "$(json_get "$WORK/client.json" "d['feature_list']")"
  RES=$(json_get "$WORK/client.json" "d['res_url']")
  SRT=$(json_get "$WORK/client.json" "d['srt_url']")
  check_contains "the res URL is on the server's address" "http://10.231.0.1:" "$RES"
  r=$($RUN ffprobe -v error -show_entries stream=codec_type -of csv=p=0 "$RES" 2>&1 | sort -u | tr '\n' ' ')
  check_eq "ffprobe reads the res URL" "audio video " "$r"
  r=$($RUN curl -sI --max-time 10 -H 'getcontentFeatures.dlna.org: 1' "$RES" | tr -d '\r')
  check_contains "HEAD: transferMode.dlna.org" "transferMode.dlna.org: Streaming" "$r"
  check_contains "HEAD: contentFeatures.dlna.org with the same profile as the res" "contentFeatures.dlna.org: DLNA.ORG_PN=AVC_MKV_MP_SD_AAC_MULT5;DLNA.ORG_OP=01" "$r"
  r=$($RUN curl -s --max-time 10 -r 0-99 -o /dev/null -w '%{http_code} %{size_download}' "$RES")
  check_eq "Range on the res" "206 100" "$r"
  r=$($RUN curl -s --max-time 20 "$SRT")
  check_contains "the SRT res of the embedded subtitle" "00:00:00,200 --> 00:00:01,500" "$r"
  # The transcoded MPEG-TS res of the AVI special feature.
  TS=$(json_get "$WORK/client.json" "d['ts_url']")
  ts_checks "$TS" "$(json_get "$WORK/client.json" "d['ts_profile']") $(json_get "$WORK/client.json" "d['ts_timeseek']") $(json_get "$WORK/client.json" "d['ts_converted']") $(json_get "$WORK/client.json" "d['ts_items_res']")"
  # VLC's UPnP services discovery (vlc-plugin-base), driven headless
  # through its rc interface as an unprivileged user (VLC refuses root):
  # it must list the server, browse its tree and play the first film.
  if command -v cvlc >/dev/null && id nobody >/dev/null 2>&1; then
    # Polled, not slept: on a loaded machine VLC can take well past 10 s to
    # list the server. Ask for the playlist each second until the server is
    # in it (or 40 s pass), open it, then until a film plays (or 20 s pass).
    VLC_OUT="$WORK/vlc.out"
    : >"$VLC_OUT"
    chmod 666 "$VLC_OUT"
    ( for _ in $(seq 1 40); do
        echo playlist; sleep 1
        grep -q 'Films & "friends" <test>' "$VLC_OUT" && break
      done
      echo "goto 4"
      for _ in $(seq 1 20); do
        sleep 1; echo playlist
        grep -qE '^\|? *\*[0-9]+ - .*\([0-9:]+\)' "$VLC_OUT" && break
      done
      sleep 1; echo quit ) |
      timeout 90 ip netns exec "$NS_C" runuser -u nobody -- stdbuf -oL cvlc -I rc \
        --services-discovery upnp --no-video --aout dummy >"$VLC_OUT" 2>/dev/null || true
    r=$(cat "$VLC_OUT")
    check_contains "VLC's UPnP discovery lists the server" 'Films & "friends" <test>' "$r"
    check_contains "VLC browses the tree" "All films" "$r"
    r=$(echo "$r" | grep -E '^\|? *\*[0-9]+ - .*\([0-9:]+\)' | head -1)
    check_contains "VLC plays a film it found (the current item has a duration)" "All About My Mother" "$r"
  else
    echo "# skipped: cvlc or the nobody user is missing: VLC's discovery was NOT tested"
  fi
  r=$(msearch 10.231.0.1 1900 | tr -d '\r')
  [[ "$r" == "no answer" ]] && r=$($RUN bash -c "$(declare -f msearch); PY=$PY msearch 10.231.0.1 1900" | tr -d '\r')
  check_contains "a unicast M-SEARCH is answered with the description's LOCATION" "LOCATION: $URL/dlna/description.xml" "$r"
  check_contains "... and the CACHE-CONTROL" "CACHE-CONTROL: max-age=1800" "$r"
  d=$($RUN curl -s --max-time 10 "$URL/dlna/description.xml")
  check_contains "the friendly name, escaped" "Films &amp; &quot;friends&quot; &lt;test&gt;" "$d"
  printf '%s' "$d" > "$WORK/description.xml"
  $PY -c 'import sys, xml.dom.minidom as m; m.parseString(open(sys.argv[1],"rb").read())' "$WORK/description.xml" 2>/dev/null &&
    pass "the description is well-formed XML" || fail "the description is not XML"

  # The hostile checks, from the client's namespace.
  soap() { local u="$1"; shift; $RUN bash -c "$(declare -f _soap); _soap \"\$@\"" _ "$u" "$@"; }
  _soap() {
    local url="$1" svc="$2" action="$3" args="$4"; shift 4
    curl -s --max-time 20 -X POST -H 'Content-Type: text/xml; charset="utf-8"' \
      -H "SOAPACTION: \"urn:schemas-upnp-org:service:$svc:1#$action\"" "$@" \
      --data-binary "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><u:$action xmlns:u=\"urn:schemas-upnp-org:service:$svc:1\">$args</u:$action></s:Body></s:Envelope>" \
      "$url/dlna/control/$(echo "$svc" | sed 's/ContentDirectory/cds/;s/ConnectionManager/cms/')"
  }
  curl() { ip netns exec "$NS_C" /usr/bin/curl "$@"; }
  hostile_checks
  unset -f curl

  # A client outside --dlna-allow sees nothing.
  kill "$SPID"; wait "$SPID" 2>/dev/null
  check_eq "the server stops cleanly on SIGTERM (no sanitizer report)" "0" "$?"
  grep -q "Sanitizer" "$WORK/dlna.err" && fail "sanitizer report: $(head -c 600 "$WORK/dlna.err")"
  start_dlna --dlna-allow 10.99.0.0/16 || fail "the DLNA server starts with --dlna-allow"
  r=$($RUN /usr/bin/curl -s --max-time 10 -o /dev/null -w '%{http_code}' "$URL/dlna/description.xml")
  check_eq "HTTP from outside --dlna-allow is refused" "403" "$r"
  r=$($RUN bash -c "$(declare -f msearch); PY=$PY msearch 10.231.0.1 1900")
  check_eq "M-SEARCH from outside --dlna-allow is not answered" "no answer" "$r"
  kill "$SPID"; wait "$SPID" 2>/dev/null
  SPID=""
else
  echo "# skipped: network namespaces (root and 'ip netns') are not available here, so SSDP"
  echo "# multicast discovery and the GUPnP control point were NOT tested; unicast parts on loopback"
  RUN=""
  CLIENT_IP=127.0.0.1
  SSDP_PORT=$(( 20000 + $$ % 20000 ))
  out="$WORK/dlna.out"
  CINEMATECA_SSDP_PORT=$SSDP_PORT "$CINEMATECA" serve --db "$DB" --listen 127.0.0.1:0 --no-watch --dlna \
    >"$out" 2>"$WORK/dlna.err" &
  SPID=$!
  PIDS+=("$SPID")
  wait_until 20 grep -q 'DLNA media server' "$out"
  URL=$(sed -n 's|^cinemateca: serving \(http://[^ ]*\)/$|\1|p' "$out")
  r=$(msearch 127.0.0.1 "$SSDP_PORT" | tr -d '\r')
  check_contains "a unicast M-SEARCH is answered" "LOCATION: $URL/dlna/description.xml" "$r"
  hostile_checks
  pain=$(sqlite3 "$DB" "SELECT id FROM films WHERE title = 'Pain and Glory'")
  TS=$(soap "$URL" ContentDirectory Browse "<ObjectID>film/$pain/extras</ObjectID><BrowseFlag>BrowseDirectChildren</BrowseFlag><Filter>*</Filter><StartingIndex>0</StartingIndex><RequestedCount>0</RequestedCount><SortCriteria></SortCriteria>" |
    $PY -c 'import sys,html,re; print((re.findall(r"http://[^<]*/dlna/ts/[0-9]+", html.unescape(sys.stdin.read())) or [""])[0])')
  ts_checks "$TS" ""
fi

# --dlna-user: the tree shows that user's view (here: films rated at most
# PG-13, so All About My Mother alone), and its watch state.
viewer_checks() {
  local r
  r=$(soap "$URL" ContentDirectory Browse "<ObjectID>films/all</ObjectID><BrowseFlag>BrowseDirectChildren</BrowseFlag><Filter>*</Filter><StartingIndex>0</StartingIndex><RequestedCount>0</RequestedCount><SortCriteria></SortCriteria>")
  check_contains "--dlna-user viewer: All films holds one film" "<TotalMatches>1</TotalMatches>" "$r"
  check_contains "... the one rated PG-13" "All About My Mother" "$r"
  r=$(soap "$URL" ContentDirectory Search "$(search_args '*')")
  check_contains "--dlna-user viewer: Search finds only that film" "<TotalMatches>1</TotalMatches>" "$r"
  r=$(soap "$URL" ContentDirectory Browse "<ObjectID>films/genre</ObjectID><BrowseFlag>BrowseDirectChildren</BrowseFlag><Filter>*</Filter><StartingIndex>0</StartingIndex><RequestedCount>0</RequestedCount><SortCriteria></SortCriteria>")
  check_contains "--dlna-user viewer: genres counted over its films" 'Drama</dc:title>' "$(echo "$r" | $PY -c 'import sys,html; print(html.unescape(sys.stdin.read()))')"
  [[ "$r" != *"Science Fiction"* ]] && pass "--dlna-user viewer: no genre of a hidden film" || fail "a hidden film's genre is listed"
  local pain
  pain=$(sqlite3 "$DB" "SELECT id FROM films WHERE title = 'Pain and Glory'")
  r=$(soap "$URL" ContentDirectory Browse "<ObjectID>film/$pain</ObjectID><BrowseFlag>BrowseMetadata</BrowseFlag><Filter>*</Filter><StartingIndex>0</StartingIndex><RequestedCount>0</RequestedCount><SortCriteria></SortCriteria>")
  check_contains "--dlna-user viewer: a hidden film is no such object" "<errorCode>701</errorCode>" "$r"
  local pfile
  pfile=$(sqlite3 "$DB" "SELECT id FROM files WHERE film_id = $pain AND role = 'main' LIMIT 1")
  r=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' "$URL/dlna/res/$pfile")
  check_eq "--dlna-user viewer: a hidden film's res is 404" "404" "$r"
  r=$(soap "$URL" ContentDirectory Browse "<ObjectID>continue</ObjectID><BrowseFlag>BrowseDirectChildren</BrowseFlag><Filter>*</Filter><StartingIndex>0</StartingIndex><RequestedCount>0</RequestedCount><SortCriteria></SortCriteria>")
  check_contains "--dlna-user viewer: its own Continue watching (empty: the bookmark was another user's)" "<TotalMatches>0</TotalMatches>" "$r"
  # Films of an offline root are not listed (a TV could not play them).
  sqlite3 "$DB" "PRAGMA busy_timeout=5000; UPDATE roots SET offline = 1" >/dev/null || fail "marking the root offline"
  r=$(soap "$URL" ContentDirectory Browse "<ObjectID>films/all</ObjectID><BrowseFlag>BrowseDirectChildren</BrowseFlag><Filter>*</Filter><StartingIndex>0</StartingIndex><RequestedCount>0</RequestedCount><SortCriteria></SortCriteria>")
  check_contains "an offline root's films are not listed" "<TotalMatches>0</TotalMatches>" "$r"
  r=$(soap "$URL" ContentDirectory Search "$(search_args '*')")
  check_contains "... nor found by Search" "<TotalMatches>0</TotalMatches>" "$r"
  sqlite3 "$DB" "PRAGMA busy_timeout=5000; UPDATE roots SET offline = 0" >/dev/null || fail "marking the root online"
  r=$(soap "$URL" ContentDirectory Browse "<ObjectID>films/all</ObjectID><BrowseFlag>BrowseDirectChildren</BrowseFlag><Filter>*</Filter><StartingIndex>0</StartingIndex><RequestedCount>0</RequestedCount><SortCriteria></SortCriteria>")
  check_contains "... and are back when it is" "<TotalMatches>1</TotalMatches>" "$r"
}
# The admin's switch (PUT /api/v1/dlna): off, nothing is announced or
# answered; on again, all is back. Only an admin may use it.
switch_checks() { # M-SEARCH command...
  local r cookie
  r=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' "$URL/api/v1/dlna")
  check_eq "the DLNA switch needs a signed-in admin" "401" "$r"
  cookie=$(curl -s --max-time 120 -D - -o /dev/null -H 'Content-Type: application/json' -H "Origin: $URL" \
    -d '{"name":"admin","password":"a long enough password"}' "$URL/api/v1/auth/login" |
    sed -n 's/^set-cookie: cinemateca_session=\([^;]*\);.*/\1/Ip' | tr -d '\r')
  local A=(-H "Cookie: cinemateca_session=$cookie" -H "Origin: $URL" -H 'Content-Type: application/json')
  r=$(curl -s --max-time 10 "${A[@]}" "$URL/api/v1/dlna")
  check_eq "GET /api/v1/dlna: available and on" '{"available":true,"enabled":true}' "$r"
  r=$(curl -s --max-time 10 "${A[@]}" -X PUT -d '{"enabled":false}' "$URL/api/v1/dlna")
  check_eq "PUT enabled false: off" '{"available":true,"enabled":false}' "$r"
  r=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' "$URL/dlna/description.xml")
  check_eq "switched off: the description is 404" "404" "$r"
  sleep 1.5 # the SSDP thread looks at the switch every second
  r=$("$@")
  check_eq "switched off: M-SEARCH is not answered" "no answer" "$r"
  r=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' "${A[@]}" -X PUT -d '{"enabled":"yes"}' "$URL/api/v1/dlna")
  check_eq "PUT with a non-boolean: 400" "400" "$r"
  r=$(curl -s --max-time 10 "${A[@]}" -X PUT -d '{"enabled":true}' "$URL/api/v1/dlna")
  check_eq "PUT enabled true: on again" '{"available":true,"enabled":true}' "$r"
  r=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' "$URL/dlna/description.xml")
  check_eq "switched on: the description is back" "200" "$r"
  sleep 1.5
  r=$("$@" | tr -d '\r')
  check_contains "switched on: M-SEARCH is answered again" "LOCATION: $URL/dlna/description.xml" "$r"
  # The switch is saved in the catalog: off survives a restart.
  r=$(curl -s --max-time 10 "${A[@]}" -X PUT -d '{"enabled":false}' "$URL/api/v1/dlna")
  check_eq "PUT enabled false again" '{"available":true,"enabled":false}' "$r"
  check_eq "... saved in the catalog's settings" "off" "$(sqlite3 "$DB" "SELECT value FROM settings WHERE name = 'dlna.enabled'")"
  kill "$SPID"; wait "$SPID" 2>/dev/null
  restart_viewer || fail "the server starts again"
  cookie=$(curl -s --max-time 120 -D - -o /dev/null -H 'Content-Type: application/json' -H "Origin: $URL" \
    -d '{"name":"admin","password":"a long enough password"}' "$URL/api/v1/auth/login" |
    sed -n 's/^set-cookie: cinemateca_session=\([^;]*\);.*/\1/Ip' | tr -d '\r')
  A=(-H "Cookie: cinemateca_session=$cookie" -H "Origin: $URL" -H 'Content-Type: application/json')
  r=$(curl -s --max-time 10 "${A[@]}" "$URL/api/v1/dlna")
  check_eq "after a restart, GET /api/v1/dlna says off" '{"available":true,"enabled":false}' "$r"
  r=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' "$URL/dlna/description.xml")
  check_eq "... and the description is 404" "404" "$r"
  sleep 1.5
  r=$("$@")
  check_eq "... and M-SEARCH is not answered" "no answer" "$r"
  r=$(curl -s --max-time 10 "${A[@]}" -X PUT -d '{"enabled":true}' "$URL/api/v1/dlna")
  check_eq "switched on again after the restart" '{"available":true,"enabled":true}' "$r"
  r=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' "$URL/dlna/description.xml")
  check_eq "... and the description is back" "200" "$r"
}
if [ "$NETNS" = 1 ]; then
  restart_viewer() { start_dlna --dlna-user viewer; }
  start_dlna --dlna-user viewer || fail "the DLNA server starts with --dlna-user"
  curl() { ip netns exec "$NS_C" /usr/bin/curl "$@"; }
  viewer_checks
  switch_checks $RUN bash -c "$(declare -f msearch); PY=$PY msearch 10.231.0.1 1900"
  unset -f curl
  kill "$SPID"; wait "$SPID" 2>/dev/null
  SPID=""
else
  kill "$SPID"; wait "$SPID" 2>/dev/null
  restart_viewer() {
    local o="$WORK/dlna-$RANDOM.out"
    CINEMATECA_SSDP_PORT=$SSDP_PORT "$CINEMATECA" serve --db "$DB" --listen 127.0.0.1:0 --no-watch --dlna \
      --dlna-user viewer >"$o" 2>"$WORK/dlna.err" &
    SPID=$!
    PIDS+=("$SPID")
    wait_until 20 grep -q 'DLNA media server' "$o" || return 1
    URL=$(sed -n 's|^cinemateca: serving \(http://[^ ]*\)/$|\1|p' "$o")
  }
  restart_viewer
  viewer_checks
  switch_checks msearch 127.0.0.1 "$SSDP_PORT"
fi
finish
