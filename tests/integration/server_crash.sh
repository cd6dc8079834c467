#!/usr/bin/env bash
# Integration: kill -9 the server at random moments (seeded) while its
# background scan writes and clients read; after every kill the catalog
# passes integrity_check, and a restart completes the work with nothing
# lost or doubled. Also SIGINT and SIGTERM in the middle of a scan.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

LIB="$WORK/films"
DB="$WORK/catalog.db"
make_clip "$WORK/base.mkv" 2
N=120
for i in $(seq 1 "$N"); do
  mkdir -p "$LIB/Crash $i (2000)"
  cp "$WORK/base.mkv" "$LIB/Crash $i (2000)/Crash $i (2000).mkv"
  printf '%08d' "$i" >> "$LIB/Crash $i (2000)/Crash $i (2000).mkv"   # distinct content
done

# readers: a client hammering the API until killed.
readers() {
  while :; do
    curl -s -o /dev/null --max-time 2 "$URL/api/v1/films?limit=100" || true
    curl -s -o /dev/null --max-time 2 "$URL/api/v1/status" || true
  done
}

RANDOM=7
ok=1
started=1
for round in $(seq 1 8); do
  if ! start_server --db "$DB" --web "$WORK/none" "$LIB"; then started=0; break; fi
  readers & RP=$!
  sleep "0.$((RANDOM % 9 + 1))"
  kill -9 "$SERVER_PID" 2>/dev/null
  wait "$SERVER_PID" 2>/dev/null
  kill "$RP" 2>/dev/null; wait "$RP" 2>/dev/null
  [ "$(sqlite3 "$DB" 'PRAGMA integrity_check')" = ok ] || ok=0
done
check_eq "the server restarts after every kill -9" 1 "$started"
check "integrity_check ok after every kill -9" test "$ok" = 1

start_server --db "$DB" --web "$WORK/none" "$LIB"
done_scanning() { curl -s "$URL/api/v1/status" | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(not (d["scan"]["scans"] >= 1 and d["scan"]["state"] == "idle"))'; }
check "a restart completes the scan" wait_until 120 done_scanning
check_eq "every film is cataloged" "$N" "$(curl -s "$URL/api/v1/films?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')"
check_eq "no file lost or doubled" "$N" "$(sqlite3 "$DB" 'SELECT count(*) FROM files')"
stop_server

# SIGTERM and SIGINT in the middle of a (re)scan: exit 0, catalog intact.
for sig in TERM INT; do
  rm -f "$DB" "$DB-wal" "$DB-shm"
  start_server --db "$DB" --web "$WORK/none" "$LIB"
  sleep 0.5
  kill -"$sig" "$SERVER_PID"
  wait "$SERVER_PID"; rc=$?
  check_eq "SIG$sig during a scan: exit 0" 0 "$rc"
  check_eq "SIG$sig during a scan: catalog intact" ok "$(sqlite3 "$DB" 'PRAGMA integrity_check')"
done
finish
