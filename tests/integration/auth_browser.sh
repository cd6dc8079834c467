#!/usr/bin/env bash
# End-to-end: accounts in Debian's Chromium (tests/e2e/auth.mjs) against a
# real server that starts in local mode: setup, admin page, a viewer
# limited to one folder, sign-in and sign-out. Screenshots go to
# $E2E_SHOTS (default: build/e2e-screenshots).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
need_browser

FAMILY="$WORK/family"; PRIVATE="$WORK/private"; DB="$WORK/catalog.db"
make_clip "$WORK/base.mkv" 2
for f in "$FAMILY/Kids Film (2001)" "$FAMILY/Teen Film (2005)" "$PRIVATE/Secret Film (1999)"; do
  mkdir -p "$f"; cp "$WORK/base.mkv" "$f/$(basename "$f").mkv"; printf '%s' "$f" >> "$f/$(basename "$f").mkv"
done
"$CINEMATECA" scan --db "$DB" "$FAMILY" "$PRIVATE" >/dev/null 2>&1
start_server --db "$DB" --no-watch --web "$ROOT/web" "$FAMILY" "$PRIVATE" || { fail "server starts"; finish; exit 1; }
SECRET=$(curl -s "$URL/api/v1/films?q=secret" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
run_e2e 300 auth.mjs "$URL" "$SHOTS" "$(cd "$FAMILY" && pwd -P)" "$SECRET"
stop_server
finish
