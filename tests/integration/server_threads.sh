#!/usr/bin/env bash
# Integration: the server's threading model. Every client connection has a
# thread of its own, and requests borrow catalog connections from a pool of
# --threads for the time their handler runs: 100 keep-alive clients, each
# having read a page of films and sent a progress report (which waits on
# its own thread for the watch writer's commit), are 100 threads and no
# more catalog connections than at the start; the threads end with their
# connections; a range of a film still answers meanwhile.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

LIB="$WORK/films"
DB="$WORK/catalog.db"
make_clip "$WORK/base.mkv" 2
for t in "Alpha (2001)" "Beta (2002)"; do
  mkdir -p "$LIB/$t"
  cp "$WORK/base.mkv" "$LIB/$t/$t.mkv"
  printf '%s' "$t" >> "$LIB/$t/$t.mkv"
done
"$CINEMATECA" scan --db "$DB" --no-posters "$LIB" >/dev/null 2>&1
check_eq "scan" 0 "$?"

start_server --db "$DB" --no-watch --threads 2 "$LIB" || exit 1
curl -s -o "$WORK/list.json" "$URL/api/v1/films"
FILE=$(python3 -c 'import json,sys,urllib.request
d=json.load(open(sys.argv[1])); f=d["items"][0]["id"]
print(json.load(urllib.request.urlopen(sys.argv[2]+"/api/v1/films/%d" % f))["files"][0]["id"])' \
  "$WORK/list.json" "$URL")

# Descriptors open on the catalog file itself (not its -wal or -shm): the
# pool's connections, the watch and accounts writers, the library's.
catalog_fds() {
  local n=0 fd
  for fd in /proc/"$SERVER_PID"/fd/*; do
    [ "$(readlink "$fd" 2>/dev/null)" = "$DB" ] && n=$((n + 1))
  done
  echo "$n"
}
# libmicrohttpd names a connection's thread "MHD-connection".
threads() { cat /proc/"$SERVER_PID"/task/*/comm 2>/dev/null | grep -c '^MHD-connection$'; }
BEFORE_FDS=$(catalog_fds)

# 100 clients: each opens a connection, reads the films list and sends a
# progress report on it, keeps it open until told, then closes it.
cat > "$WORK/clients.py" <<'PY'
import http.client, json, os, sys, threading, time
host, port = sys.argv[1].split("//")[1].split(":")
file_id, work = sys.argv[2], sys.argv[3]
statuses, lock = {}, threading.Lock()
conns = []
def client(i):
    c = http.client.HTTPConnection(host, int(port), timeout=120)
    codes = []
    try:
        c.request("GET", "/api/v1/films")
        r = c.getresponse(); r.read(); codes.append(r.status)
        body = json.dumps({"position": 0.5 + i / 1000, "duration": 2})
        c.request("PUT", "/api/v1/files/%s/progress" % file_id, body=body,
                  headers={"Content-Type": "application/json"})
        r = c.getresponse(); r.read(); codes.append(r.status)
    except Exception as e:
        codes.append(type(e).__name__)
    with lock:
        for s in codes:
            statuses[s] = statuses.get(s, 0) + 1
        conns.append(c)
ts = [threading.Thread(target=client, args=(i,)) for i in range(100)]
for t in ts: t.start()
for t in ts: t.join()
print(" ".join("%s:%d" % (k, statuses[k]) for k in sorted(statuses, key=str)), flush=True)
open(os.path.join(work, "ready"), "w").close()
while not os.path.exists(os.path.join(work, "release")):
    time.sleep(0.05)
for c in conns: c.close()
PY
python3 "$WORK/clients.py" "$URL" "$FILE" "$WORK" > "$WORK/clients.out" 2>&1 &
CLIENTS=$!
PIDS+=("$CLIENTS")
wait_until 300 test -e "$WORK/ready"
check_eq "100 clients: every films page and progress report answered 200" "200:200" "$(cat "$WORK/clients.out")"
DURING_THREADS=$(threads)
check "a thread per open connection ($DURING_THREADS with 100 clients)" \
  test "$DURING_THREADS" -ge 100
check_eq "100 idle keep-alive clients hold no more catalog connections than at the start" \
  "$BEFORE_FDS" "$(catalog_fds)"
check_eq "a range of a film still answers meanwhile" 206 \
  "$(curl -s -o /dev/null -w '%{http_code}' -r 0-999 "$URL/api/v1/files/$FILE/stream")"
touch "$WORK/release"
wait "$CLIENTS"
threads_back() { [ "$(threads)" -lt 10 ]; }
check "the connections' threads end with them" wait_until 60 threads_back
check_eq "and the catalog connections are the same" "$BEFORE_FDS" "$(catalog_fds)"
curl -s -o "$WORK/file" "$URL/api/v1/films"
check_contains "the server still answers" '"total":2' "$(cat "$WORK/file")"
stop_server
check_eq "the server stops cleanly" 0 "$?"
check_no_sanitizer_reports "no sanitizer reports"
finish
