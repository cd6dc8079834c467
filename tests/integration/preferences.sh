#!/usr/bin/env bash
# Integration: each user's own preferences, kept with the account
# (GET/PUT /api/v1/me/preferences, /api/v1/users/{id}/preferences for
# one's own id only): two accounts on a real server, another user's
# refused (an admin's asking included), bad bodies refused with a clear
# error, a removed user's going with them; then in Chromium
# (tests/e2e/preferences.mjs) the TV layout set in one browser is there
# after signing in on a fresh one, and is another user's own.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

LIB="$WORK/films"; DB="$WORK/catalog.db"
make_clip "$WORK/base.mp4" 2 -movflags +faststart
for f in "Alpha (2001)" "Beta (2002)" "Gamma (2003)"; do
  mkdir -p "$LIB/$f"; cp "$WORK/base.mp4" "$LIB/$f/$f.mp4"; printf '%s' "$f" >> "$LIB/$f/$f.mp4"
done
"$CINEMATECA" scan --db "$DB" "$LIB" >/dev/null 2>&1
printf 'ana password 1\n' | "$CINEMATECA" user add --db "$DB" --admin --password-stdin ana >/dev/null 2>&1
printf 'bob password 2\n' | "$CINEMATECA" user add --db "$DB" --password-stdin bob >/dev/null 2>&1
start_server --db "$DB" --no-watch --web "$ROOT/web" "$LIB" || { fail "server starts"; finish; exit 1; }

# req COOKIE METHOD PATH [curl args...]: status on stdout, body in $WORK/body.
req() {
  local c="$1" m="$2" p="$3"; shift 3
  curl -s -o "$WORK/body" -w '%{http_code}' -X "$m" ${c:+-b "cinemateca_session=$c"} \
    -H "Origin: $URL" "$@" "$URL$p"
}
j() { json_get "$WORK/body" "$1"; }
JSON=(-H 'Content-Type: application/json')
login() {
  curl -s -D - -o /dev/null "${JSON[@]}" -H "Origin: $URL" \
    -d "{\"name\":\"$1\",\"password\":\"$2\"}" "$URL/api/v1/auth/login" |
    sed -n 's/^set-cookie: cinemateca_session=\([^;]*\);.*/\1/Ip' | tr -d '\r'
}
ANA=$(login ana 'ana password 1'); BOB=$(login bob 'bob password 2')
check "both sign in" test -n "$ANA" -a -n "$BOB"
ANA_ID=$(req "$ANA" GET /api/v1/me >/dev/null; j 'd["user"]["id"]')
BOB_ID=$(req "$BOB" GET /api/v1/me >/dev/null; j 'd["user"]["id"]')
P=/api/v1/me/preferences

check_eq "no session: 401" 401 "$(req "" GET $P)"
check_eq "own preferences: 200" 200 "$(req "$ANA" GET $P)"
check_eq "a new account's TV layout is off" False "$(j 'd["tv"]')"
check_eq "PUT sets one's own" 200 "$(req "$ANA" PUT $P "${JSON[@]}" -d '{"tv": true}')"
check_eq "the answer is the preferences as they now are" True "$(j 'd["tv"]')"
check_eq "read back" True "$(req "$ANA" GET $P >/dev/null; j 'd["tv"]')"
check_eq "another user's are apart" False "$(req "$BOB" GET $P >/dev/null; j 'd["tv"]')"
check_eq "own id under /users: 200" 200 "$(req "$BOB" GET "/api/v1/users/$BOB_ID/preferences")"
check_eq "own id under /users: PUT" 200 "$(req "$BOB" PUT "/api/v1/users/$BOB_ID/preferences" "${JSON[@]}" -d '{"tv": false}')"
check_eq "another user's: read refused (403)" 403 "$(req "$BOB" GET "/api/v1/users/$ANA_ID/preferences")"
check_eq "another user's: write refused (403)" 403 \
  "$(req "$BOB" PUT "/api/v1/users/$ANA_ID/preferences" "${JSON[@]}" -d '{"tv": false}')"
check_eq "the refusal names no value" forbidden "$(j 'd["error"]["code"]')"
check_eq "an admin is refused another's too" 403 "$(req "$ANA" GET "/api/v1/users/$BOB_ID/preferences")"
check_eq "a user that does not exist: refused" 403 "$(req "$ANA" GET /api/v1/users/999/preferences)"
check_eq "the refused write changed nothing" True "$(req "$ANA" GET $P >/dev/null; j 'd["tv"]')"
check_eq "unknown preference: 400" 400 "$(req "$ANA" PUT $P "${JSON[@]}" -d '{"colour": "red"}')"
check_contains "which says which" "colour" "$(j 'd["error"]["message"]')"
check_eq "wrong type: 400" 400 "$(req "$ANA" PUT $P "${JSON[@]}" -d '{"tv": "yes"}')"
check_contains "which says what it takes" "true or false" "$(j 'd["error"]["message"]')"
check_eq "not an object: 400" 400 "$(req "$ANA" PUT $P "${JSON[@]}" -d '[true]')"
check_eq "not JSON: 400" 400 "$(req "$ANA" PUT $P "${JSON[@]}" -d '{tv')"
check_eq "a bad body wrote nothing" True "$(req "$ANA" GET $P >/dev/null; j 'd["tv"]')"
check_eq "another site's PUT: 403" 403 \
  "$(curl -s -o /dev/null -w '%{http_code}' -X PUT -b "cinemateca_session=$ANA" -H 'Origin: http://evil.example' "${JSON[@]}" -d '{"tv": false}' "$URL$P")"
check_eq "DELETE: 405" 405 "$(req "$ANA" DELETE $P)"
check_eq "null forgets it (back to the default)" False \
  "$(req "$ANA" PUT $P "${JSON[@]}" -d '{"tv": null}' >/dev/null; j 'd["tv"]')"
req "$ANA" PUT $P "${JSON[@]}" -d '{"tv": true}' >/dev/null

if browser_ready; then
  # Bob's TV layout is off here: the browser test turns it on.
  run_e2e 300 preferences.mjs "$URL" "$SHOTS"
  check_eq "the browser's setting reached bob's account" True \
    "$(req "$BOB" GET $P >/dev/null; j 'd["tv"]')"
else
  browser_missing "the browser part"
fi
stop_server

"$CINEMATECA" user remove --db "$DB" bob >/dev/null 2>&1
check_eq "a removed user's preferences go with them" 0 \
  "$(sqlite3 "$DB" "SELECT count(*) FROM user_prefs WHERE user_id = $BOB_ID")"
check_eq "the others' stay" 1 "$(sqlite3 "$DB" "SELECT count(*) FROM user_prefs WHERE user_id = $ANA_ID")"
check_no_sanitizer_reports "the server ran without sanitizer reports"
finish
