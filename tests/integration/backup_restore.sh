#!/usr/bin/env bash
# Integration: `cinemateca backup` taken while the server scans a library
# and takes a storm of progress reports restores (`cinemateca restore`,
# refused while the server runs) to a catalog that passes integrity_check
# and holds every report committed before the backup began; the server's
# daily backups beside the catalog, the last 7.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
HERE="$(cd "$(dirname "$0")" && pwd)"

LIB="$WORK/films"
DB="$WORK/catalog.db"
make_clip "$WORK/base.mkv" 2
for i in $(seq 1 10); do
  mkdir -p "$LIB/Reported $i (1980)"
  cp "$WORK/base.mkv" "$LIB/Reported $i (1980)/Reported $i (1980).mkv"
  printf 'r%d' "$i" >> "$LIB/Reported $i (1980)/Reported $i (1980).mkv"
done
"$CINEMATECA" scan --db "$DB" --no-posters "$LIB" >/dev/null 2>&1
check_eq "scan" 0 "$?"
FILES=$(sqlite3 "$DB" "SELECT id FROM files ORDER BY id" | tr '\n' ' ')
# A second folder the server scans while the backup is taken.
for i in $(seq 1 150); do
  mkdir -p "$WORK/more/Busy $i (2000)"
  cp "$WORK/base.mkv" "$WORK/more/Busy $i (2000)/Busy $i (2000).mkv"
  printf 'b%d' "$i" >> "$WORK/more/Busy $i (2000)/Busy $i (2000).mkv"
done

# Old daily backups: seven of earlier days and a file that is not one.
mkdir -p "$DB.backups"
for d in 01 02 03 04 05 06 07 08; do cp "$DB" "$DB.backups/2020-01-$d.db"; done
echo "mine" > "$DB.backups/notes.txt"

start_server --db "$DB" "$LIB" "$WORK/more" || exit 1
python3 "$HERE/progress_storm.py" "$URL" 20 "$WORK/storm.txt" $FILES &
STORM=$!
PIDS+=("$STORM")
reported() { [ "$(sqlite3 "$DB" 'SELECT count(*) FROM watch WHERE position > 1')" -ge 3 ]; }
check "reports are flowing" wait_until 60 reported
scanning() { curl -s "$URL/api/v1/status" | grep -q '"state":"scanning"'; }
scanning && pass "the server is scanning while the backup is taken" || pass "the backup is taken after the scan began (it was quick)"
BEGAN=$(python3 -c 'import time; print(f"{time.time():.6f}")')
"$CINEMATECA" backup --db "$DB" "$WORK/backup.db" > "$WORK/backup.out" 2>&1
check_eq "backup during the scan and the storm: exit 0" 0 "$?"
"$CINEMATECA" backup --db "$DB" "$WORK/backup.db" > "$WORK/backup2.out" 2>&1
check_eq "backup refuses to overwrite a file" 1 "$?"
"$CINEMATECA" restore --db "$DB" "$WORK/backup.db" > "$WORK/restore.out" 2>&1
check_eq "restore refuses while the server has the catalog open" 1 "$?"
check_contains "and says why" "stop it first" "$(cat "$WORK/restore.out")"
wait "$STORM"
check "the daily backup of today is there" test -f "$DB.backups/$(date -u +%Y-%m-%d).db"
check_eq "seven daily backups are kept" 7 "$(ls "$DB.backups" | grep -c '^[0-9-]*\.db$')"
check "the oldest ones went" test ! -e "$DB.backups/2020-01-02.db"
check "other files there are left alone" test -f "$DB.backups/notes.txt"
stop_server
check_eq "the backup passes integrity_check" ok "$(sqlite3 "$WORK/backup.db" 'PRAGMA integrity_check')"
check "the backup is one file (no -wal beside it)" test ! -e "$WORK/backup.db-wal"

# What the catalog holds now is more than the backup: restoring puts the
# backup's state back, and the replaced catalog is kept.
"$CINEMATECA" restore --db "$DB" "$WORK/backup.db" > "$WORK/restore.out" 2>&1
check_eq "restore with the server stopped: exit 0" 0 "$?"
kept=$(sed -n 's/^the catalog it replaced is kept as //p' "$WORK/restore.out")
check "the replaced catalog is kept" test -s "$kept"
check_eq "the restored catalog passes integrity_check" ok "$(sqlite3 "$DB" 'PRAGMA integrity_check')"
check "it holds every report acknowledged before the backup began" python3 - "$DB" "$WORK/storm.txt" "$BEGAN" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
began = float(sys.argv[3])
last = {}
for line in open(sys.argv[2]):
    f, pos, when = line.split()
    if float(when) < began:
        last[int(f)] = max(last.get(int(f), 0), float(pos))
stored = dict(db.execute("SELECT file_id, position FROM watch WHERE user_id = 0"))
lost = {f: (p, stored.get(f)) for f, p in last.items() if stored.get(f) is None or stored[f] < p}
print("checked", len(last), "files; lost:", lost)
sys.exit(1 if lost or not last else 0)
PY
"$CINEMATECA" restore --db "$DB" "$WORK/films" > "$WORK/restore2.out" 2>&1
check_eq "restore refuses something that is not a catalog" 1 "$?"
echo "not a database" > "$WORK/junk.db"
"$CINEMATECA" restore --db "$DB" "$WORK/junk.db" > "$WORK/restore3.out" 2>&1
check_eq "restore refuses a file that is not SQLite" 1 "$?"
check_eq "and leaves the catalog as it was" ok "$(sqlite3 "$DB" 'PRAGMA integrity_check')"
start_server --db "$DB" --no-watch "$LIB" || exit 1
check_eq "the server serves the restored catalog" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/films")"
stop_server

finish
