#!/usr/bin/env bash
# Integration: Jellyfin's UDP server discovery (issue 14, optional): off
# unless serve is given --jellyfin-discovery; then "who is
# JellyfinServer?" sent to the listen address gets the JSON Jellyfin
# sends ({Address, Id, Name, EndpointAddress}) naming this server's URL
# and the Id of its /System/Info/Public; anything else gets no answer.
# The test binds a free port (CINEMATECA_JF_DISCOVERY_PORT=0), not 7359.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

DB="$WORK/catalog.db"
make_clip "$WORK/films/Little Boat (2005)/Little Boat (2005).mp4" 2
"$CINEMATECA" scan --db "$DB" "$WORK/films" >/dev/null 2>&1
check_eq "scan" 0 "$?"

# A small client: sends one datagram to 127.0.0.1:PORT, prints the answer
# (or "no answer" after a second).
ask() { # port message
  python3 - "$1" "$2" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1.0)
s.sendto(sys.argv[2].encode(), ("127.0.0.1", int(sys.argv[1])))
try:
    print(s.recvfrom(2048)[0].decode())
except socket.timeout:
    print("no answer")
PY
}

start_server --db "$DB" --no-watch "$WORK/films" || exit 1
check_eq "off unless asked: no discovery line" "" \
  "$(sed -n 's/^cinemateca: Jellyfin discovery on udp port \([0-9]*\)$/\1/p' "$WORK/server-$SERVER_N.out")"
stop_server

export CINEMATECA_JF_DISCOVERY_PORT=0
start_server --db "$DB" --no-watch --jellyfin-discovery "$WORK/films" || exit 1
PORT=$(sed -n 's/^cinemateca: Jellyfin discovery on udp port \([0-9]*\)$/\1/p' "$WORK/server-$SERVER_N.out")
check "with --jellyfin-discovery: a UDP port" test -n "$PORT"
ANSWER=$(ask "$PORT" "who is JellyfinServer?")
INFO=$(curl -s "$URL/System/Info/Public")
check_eq "the answer is Jellyfin's JSON, naming this server" "ok" "$(python3 - "$ANSWER" "$INFO" "$URL" <<'PY'
import json, sys
a, info, url = json.loads(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3]
want = {"Address": url, "Id": info["Id"], "Name": info["ServerName"], "EndpointAddress": None}
print("ok" if a == want else f"{a} != {want}")
PY
)"
check_eq "its Address answers as a Jellyfin server" 200 \
  "$(curl -s -o /dev/null -w '%{http_code}' "$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["Address"])' "$ANSWER")/System/Info/Public")"
check_eq "the question in any case, with a line end" "$ANSWER" "$(ask "$PORT" $'WHO IS JELLYFINSERVER?\n')"
check_eq "anything else: no answer" "no answer" "$(ask "$PORT" "who is EmbyServer?")"
check_eq "an empty datagram: no answer" "no answer" "$(ask "$PORT" "")"
check_eq "still answering after those" "$ANSWER" "$(ask "$PORT" "who is JellyfinServer?")"
stop_server
check_eq "the server stops cleanly" 0 "$?"

# A listen address that is not IPv4 is refused with a clear error.
"$CINEMATECA" serve --db "$DB" --no-watch --jellyfin-discovery --listen '[::1]:0' "$WORK/films" \
  >"$WORK/v6.out" 2>"$WORK/v6.err" &
V6=$!
PIDS+=("$V6")
wait_until 30 bash -c "! kill -0 $V6 2>/dev/null"
wait "$V6"
check "an IPv6 listen address: refused" test "$?" -ne 0
check_contains "saying why" "IPv4" "$(cat "$WORK/v6.err")"
finish
