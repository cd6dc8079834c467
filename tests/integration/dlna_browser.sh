#!/usr/bin/env bash
# End-to-end: the admin page's DLNA switch in Debian's Chromium
# (tests/e2e/dlna.mjs) against a real server started with --dlna (local
# mode, loopback, SSDP on a test port), then the switch as saved: off
# survives a restart. Screenshots go to $E2E_SHOTS (default:
# build/e2e-screenshots).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
need_browser

LIB="$WORK/films"; DB="$WORK/catalog.db"
make_clip "$LIB/Quiet Engines (2016)/Quiet Engines (2016).mkv" 2
"$CINEMATECA" scan --db "$DB" --no-posters "$LIB" >/dev/null 2>&1
export CINEMATECA_SSDP_PORT=$(( 20000 + $$ % 20000 ))
start_server --db "$DB" --no-watch --web "$ROOT/web" --dlna "$LIB" || { fail "server starts"; finish; exit 1; }
run_e2e 300 dlna.mjs "$URL" "$SHOTS"
r=$(curl -s -X PUT -H 'Content-Type: application/json' -H "Origin: $URL" -d '{"enabled":false}' "$URL/api/v1/dlna")
check_eq "PUT off" '{"available":true,"enabled":false}' "$r"
stop_server
start_server --db "$DB" --no-watch --web "$ROOT/web" --dlna "$LIB" || { fail "server starts again"; finish; exit 1; }
check_eq "after a restart the switch is still off" '{"available":true,"enabled":false}' "$(curl -s "$URL/api/v1/dlna")"
check_eq "... and /dlna/ answers nothing" "404" "$(curl -s -o /dev/null -w '%{http_code}' "$URL/dlna/description.xml")"
stop_server
finish
