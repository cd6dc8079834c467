#!/usr/bin/env bash
# Integration: accounts on a real server. Local mode without accounts;
# refusal to listen beyond loopback without one; first-run setup from
# loopback; sign-in and its cookie; the authorization matrix (every route x
# no session, viewer without the folder, viewer with it, admin, expired
# session, tampered cookie, revoked user) with no item data in any error
# body; certification limits; signed URLs (another file, expired, revoked)
# played by ffmpeg without a cookie; API tokens; CSRF; brute force; sign
# out; the admin API.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

FAMILY="$WORK/family"
PRIVATE="$WORK/private"
DB="$WORK/catalog.db"
make_clip "$WORK/base.mkv" 3

film() { # DIR TITLE YEAR MPAA [extra nfo]
  mkdir -p "$1/$2 ($3)"
  cp "$WORK/base.mkv" "$1/$2 ($3)/$2 ($3).mkv"
  printf '<movie><title>%s</title><year>%s</year>%s%s</movie>\n' "$2" "$3" \
    "${4:+<mpaa>$4</mpaa>}" "${5:-}" > "$1/$2 ($3)/movie.nfo"
}
# (Kids Film's rating comes as <certification>, the others' as <mpaa>.)
film "$FAMILY" "Kids Film" 2001 "" '<certification>G</certification><genre>Animation</genre><actor><name>Ana Actor</name></actor>'
film "$FAMILY" "Teen Film" 2005 "PG-13" '<genre>Drama</genre><actor><name>Ana Actor</name></actor>'
film "$PRIVATE" "Secret Film" 1999 "R" \
  '<genre>Noir</genre><actor><name>Hidden Person</name><role>Spy</role></actor><release type="festival" date="1999-05-01" event="Secret Festival"/>'
printf '%08d' 7 >> "$FAMILY/Teen Film (2005)/Teen Film (2005).mkv"
printf '%08d' 9 >> "$PRIVATE/Secret Film (1999)/Secret Film (1999).mkv"
cp "$WORK/base.mkv" "$PRIVATE/Secret Film (1999)/Secret Film (1999)-trailer.mkv"
ffmpeg -nostdin -v error -f lavfi -i "color=c=blue:s=60x90" -frames:v 1 "$PRIVATE/Secret Film (1999)/poster.jpg"
SECRET_WORDS='Secret|Hidden Person|Noir|Spy'

# req METHOD PATH [curl args...]: status on stdout, body in $WORK/body.
req() { local m="$1" p="$2"; shift 2; curl -s -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' -X "$m" "$@" "$URL$p"; }
j() { json_get "$WORK/body" "$1"; }
hdr() { grep -i "^$1:" "$WORK/headers" | head -1 | cut -d' ' -f2- | tr -d '\r'; }
JSON=(-H 'Content-Type: application/json')
# login NAME PASSWORD: the session cookie's value (empty when refused).
login() {
  curl -s -D - -o /dev/null "${JSON[@]}" -H "Origin: $URL" \
    -d "{\"name\":\"$1\",\"password\":\"$2\"}" "$URL/api/v1/auth/login" |
    sed -n 's/^set-cookie: cinemateca_session=\([^;]*\);.*/\1/Ip' | tr -d '\r'
}

# ---- local mode, and the refusal to listen beyond loopback ----
"$CINEMATECA" scan --db "$DB" "$FAMILY" "$PRIVATE" >/dev/null 2>&1
out=$("$CINEMATECA" serve --db "$DB" --listen 0.0.0.0:0 --no-watch "$FAMILY" 2>&1); rc=$?
check_eq "serve beyond loopback without an account is refused" 1 "$rc"
check_contains "the refusal says how to add an admin" "user add --db" "$out"

start_server --db "$DB" --no-watch "$FAMILY" "$PRIVATE" || { fail "server starts"; finish; exit 1; }
check_eq "local mode: the library without sign-in" 200 "$(req GET /api/v1/films)"
check_eq "local mode: all three films" 3 "$(j 'd["total"]')"
check_eq "local mode: /me says so" True "$(req GET /api/v1/me >/dev/null; j 'd["local"]')"
check_eq "local mode: status says sign-in is not required" False "$(req GET /api/v1/status >/dev/null; j 'd["sign_in_required"]')"
check_eq "local mode: a cross-site POST is refused all the same" 403 \
  "$(req POST /api/v1/scan "${JSON[@]}" -H 'Origin: http://evil.example' -d '{}')"

# ---- first-run setup, from loopback only ----
check_eq "setup: offered to loopback" True "$(req GET /api/v1/auth/setup >/dev/null; j 'd["needed"] and d["allowed"]')"
check_eq "setup: not through a proxy" 403 \
  "$(req POST /api/v1/auth/setup "${JSON[@]}" -H 'X-Forwarded-For: 192.0.2.9' -d '{"name":"eve","password":"evil password"}')"
check_eq "setup: a short password is refused" 400 \
  "$(req POST /api/v1/auth/setup "${JSON[@]}" -d '{"name":"ana","password":"short"}')"
check_eq "setup: makes the first admin" 201 \
  "$(req POST /api/v1/auth/setup "${JSON[@]}" -H "Origin: $URL" -d '{"name":"ana","password":"correct horse"}')"
check_contains "setup: signs the admin in" "HttpOnly; SameSite=Lax; Path=/" "$(hdr Set-Cookie)"
check_eq "setup: gone once an account exists" 404 \
  "$(req POST /api/v1/auth/setup "${JSON[@]}" -d '{"name":"eve","password":"evil password"}')"
check_eq "setup: no longer needed" False "$(req GET /api/v1/auth/setup >/dev/null; j 'd["needed"]')"

# ---- sign-in ----
sleep 1.1 # local mode is re-read at most once a second
check_eq "no session: 401" 401 "$(req GET /api/v1/films)"
check_eq "401 names the error" unauthorized "$(j 'd["error"]["code"]')"
check_eq "status without a session: minimal" "['sign_in_required', 'version']" \
  "$(req GET /api/v1/status >/dev/null; j 'sorted(d.keys())')"
check_eq "wrong password: 401 bad_credentials" "401 bad_credentials" \
  "$(s=$(req POST /api/v1/auth/login "${JSON[@]}" -d '{"name":"ana","password":"wrong password"}'); echo "$s $(j 'd["error"]["code"]')")"
check_eq "unknown name: the same answer" "401 bad_credentials" \
  "$(s=$(req POST /api/v1/auth/login "${JSON[@]}" -d '{"name":"nobody","password":"wrong password"}'); echo "$s $(j 'd["error"]["code"]')")"
check_eq "sign-in" 200 "$(req POST /api/v1/auth/login "${JSON[@]}" -H "Origin: $URL" -d '{"name":"ana","password":"correct horse"}')"
check_eq "sign-in answers the user" "ana True" "$(j 'd["user"]["name"] + " " + str(d["user"]["admin"])')"
ANA=$(login ana "correct horse")
check "the session cookie is 43 characters" test "${#ANA}" -eq 43
A=(-H "Cookie: cinemateca_session=$ANA")
check_eq "/me with the cookie" ana "$(req GET /api/v1/me "${A[@]}" >/dev/null; j 'd["user"]["name"]')"
check_eq "the body cap: 413" 413 "$(head -c 100000 /dev/zero | tr '\0' 'a' | req POST /api/v1/auth/login "${JSON[@]}" --data-binary @-)"
check_eq "a body that is not JSON: 400" 400 "$(req POST /api/v1/auth/login -H 'Content-Type: text/plain' -d '{"name":"ana"}')"

# Users through the admin API: vic sees the family folder only, val sees
# everything, kid everything rated at most G; rev will be disabled.
mkuser() { req POST /api/v1/users "${A[@]}" "${JSON[@]}" -H "Origin: $URL" -d "$1"; }
check_eq "admin adds a viewer limited to one folder" 201 \
  "$(mkuser "{\"name\":\"vic\",\"password\":\"vic password\",\"roots\":[\"$FAMILY\"]}")"
check_eq "the viewer's folders" "['$FAMILY']" "$(j 'd["user"]["roots"]')"
check_eq "admin adds a viewer of everything" 201 "$(mkuser '{"name":"val","password":"val password"}')"
check_eq "admin adds a viewer limited to G" 201 "$(mkuser '{"name":"kid","password":"kid password","max_certification":"G"}')"
check_eq "admin adds a viewer to revoke" 201 "$(mkuser '{"name":"rev","password":"rev password"}')"
check_eq "a name taken: 409" 409 "$(mkuser '{"name":"VIC","password":"vic password"}')"
VIC=$(login vic "vic password"); VAL=$(login val "val password"); KID=$(login kid "kid password")
REV=$(login rev "rev password"); OLD=$(login val "val password")
check "every viewer signs in" test -n "$VIC" -a -n "$VAL" -a -n "$KID" -a -n "$REV" -a -n "$OLD"
sqlite3 "$DB" "PRAGMA busy_timeout=5000; UPDATE sessions SET expires_at = 1 WHERE hash = (SELECT hash FROM sessions ORDER BY id DESC LIMIT 1)"
TAMPERED="${VAL:0:10}$( [ "${VAL:10:1}" = A ] && echo B || echo A )${VAL:11}"

# Ids, as the admin sees them.
req GET "/api/v1/films?sort=year" "${A[@]}" >/dev/null
SECRET=$(j '[f["id"] for f in d["items"] if f["title"] == "Secret Film"][0]')
KIDS=$(j '[f["id"] for f in d["items"] if f["title"] == "Kids Film"][0]')
req GET "/api/v1/films/$SECRET" "${A[@]}" >/dev/null
SECRET_FILE=$(j 'd["files"][0]["id"]'); SECRET_EXTRA=$(j 'd["extras"][0]["id"]')
HIDDEN=$(j '[c["person_id"] for c in d["credits"] if c["name"] == "Hidden Person"][0]')
check_eq "admin sees the film's absolute paths" True "$(j '"path" in d["files"][0]')"
req GET "/api/v1/films/$KIDS" "${A[@]}" >/dev/null
KIDS_FILE=$(j 'd["files"][0]["id"]')
"$CINEMATECA" user disable --db "$DB" rev >/dev/null
ANA_ID=$(req GET /api/v1/me "${A[@]}" >/dev/null; j 'd["user"]["id"]')
VIC_ID=$(req GET /api/v1/me -H "Cookie: cinemateca_session=$VIC" >/dev/null; j 'd["user"]["id"]')

# Vic and val played the secret film before (vic, say, before the admin
# narrowed him to the family folder): its row is in the catalog.
VAL_ID=$(req GET /api/v1/me -H "Cookie: cinemateca_session=$VAL" >/dev/null; j 'd["user"]["id"]')
sqlite3 "$DB" >/dev/null "PRAGMA busy_timeout=5000; INSERT INTO watch (user_id, file_id, position, duration, last_played, updated_at)
  VALUES ($VIC_ID, $SECRET_FILE, 1, 3, strftime('%s','now'), strftime('%s','now')),
         ($VAL_ID, $SECRET_FILE, 1, 3, strftime('%s','now'), strftime('%s','now'))"
check_eq "val's continue row: the secret film he played" "['Secret Film']" \
  "$(req GET /api/v1/continue -H "Cookie: cinemateca_session=$VAL" >/dev/null; j '[f["title"] for f in d["items"]]')"
check_eq "vic's: not the film he may no longer see" "[]" \
  "$(req GET /api/v1/continue -H "Cookie: cinemateca_session=$VIC" >/dev/null; j '[f["title"] for f in d["items"]]')"

# ---- the matrix ----
# Every route the router knows (the CS_ROUTE_ kinds of
# src/server/cs_router.h) has a row here, asked as each identity: none,
# vic (signed in, not allowed the folder), val (allowed it), admin, an
# expired session, a tampered cookie, a revoked user. In a row's path
# {film} {file} {extra} {person} stand for the secret film's ids; vic's
# answer there must be the one for an id that does not exist (the same
# status and body), and an expired session's the one for no session.
declare -A WHO=(
  [none]="" [vic]="$VIC" [val]="$VAL" [admin]="$ANA" [expired]="$OLD" [tampered]="$TAMPERED" [revoked]="$REV")
ORDER=(none vic val admin expired tampered revoked)
MISSING=424242
declare -A ROWS=()
# ask WHO METHOD PATH: the status; the body in $WORK/body.
ask() {
  local who="$1" method="$2" path="$3" args=()
  [ -n "${WHO[$who]}" ] && args+=(-H "Cookie: cinemateca_session=${WHO[$who]}")
  [ "$method" = GET ] || args+=(-H "Origin: $URL" "${JSON[@]}" -d "${MATRIX_BODY:-{\}}")
  req "$method" "$path" "${args[@]}"
}
ids() { # PATH ID-FOR-EVERY-PLACEHOLDER|"secret"
  local p="$1"
  if [ "$2" = secret ]; then
    p=${p//\{film\}/$SECRET}; p=${p//\{file\}/$SECRET_FILE}
    p=${p//\{extra\}/$SECRET_EXTRA}; p=${p//\{person\}/$HIDDEN}
  else
    p=${p//\{film\}/$2}; p=${p//\{file\}/$2}; p=${p//\{extra\}/$2}; p=${p//\{person\}/$2}
  fi
  echo "$p"
}
matrix() { # KIND "[METHOD ]PATH" EXPECTED... (one per identity, in ORDER; a|b: either)
  local kind="$1" method=GET path="$2"; shift 2
  case "$path" in *" "*) method=${path%% *}; path=${path#* } ;; esac
  ROWS[$kind]=1
  local who got expected leaks url shown="$method $path" none_body="" missing
  url=$(ids "$path" secret)
  for who in "${ORDER[@]}"; do
    expected=$1; shift
    got=$(ask "$who" "$method" "$url")
    if [[ "|$expected|" != *"|$got|"* ]]; then fail "$shown as $who: expected $expected, got $got"; continue; fi
    leaks=""
    if [ "$got" != 200 ] || [ "$who" = vic ]; then leaks=$(grep -aoE "$SECRET_WORDS" "$WORK/body" | head -1); fi
    if [ -n "$leaks" ]; then fail "$shown as $who: the body names '$leaks'"; continue; fi
    pass "$shown as $who: $got"
    [ "$who" = none ] && none_body="$got $(cat "$WORK/body")"
    if [ "$who" = expired ]; then
      check_eq "$shown: an expired session is answered as no session" "$none_body" "$got $(cat "$WORK/body")"
    fi
    if [ "$who" = vic ] && [ "$url" != "$path" ]; then
      missing=$(ids "$path" $MISSING)
      local vic_body="$got $(cat "$WORK/body")"
      got=$(ask vic "$method" "$missing")
      # (the same words: an id the message echoes aside)
      check_eq "$shown: vic gets for the secret what he gets for nothing there" \
        "$(echo "$got $(cat "$WORK/body")" | sed 's/[0-9][0-9]*/N/g')" "$(echo "$vic_body" | sed 's/[0-9][0-9]*/N/g')"
    fi
  done
}
# (The paths that change things are asked with bodies or values that
# change nothing, and the sign-in routes with GET: wrong passwords would
# count against the brute-force limits checked below.)
#      KIND                PATH                                 none vic val admin expired tampered revoked
matrix FILMS               /api/v1/films                              401 200 200 200 401 401 401
matrix FILMS               "/api/v1/films?q=spy"                      401 200 200 200 401 401 401
matrix FILM                "/api/v1/films/{film}"                     401 404 200 200 401 401 401
matrix FILM                "/api/v1/films/$KIDS"                      401 200 200 200 401 401 401
matrix FILM_POSTER         "/api/v1/films/{film}/poster"              401 404 200 200 401 401 401
matrix FILM_BACKDROP       "/api/v1/films/{film}/backdrop"            401 404 404 404 401 401 401
# Editing is the admin's: to the others a route that does not exist
# (404 to GET, 405 to POST, as /api/v1/no-such-route answers).
matrix FILM_POSTER_UPLOAD  "POST /api/v1/films/{film}/poster"         401 405 405 400 401 401 401
matrix FILM_BACKDROP_UPLOAD "POST /api/v1/films/{film}/backdrop"      401 405 405 400 401 401 401
matrix FILM_POSTER_FRAME   "POST /api/v1/films/{film}/poster/frame?t=x" 401 405 405 400 401 401 401
matrix FILM_BACKDROP_FRAME "POST /api/v1/films/{film}/backdrop/frame?t=x" 401 405 405 400 401 401 401
matrix FILM_METADATA       "/api/v1/films/{film}/metadata"            401 404 404 200 401 401 401
matrix FILM_DISCTITLE      "/api/v1/films/{film}/disctitle"           401 404 404 409 401 401 401
for m in "GET /api/v1/films/$KIDS/metadata" "POST /api/v1/films/$KIDS/poster" \
  "POST /api/v1/films/$KIDS/backdrop/frame?t=1" "GET /api/v1/films/$KIDS/disctitle"; do
  got="$(ask val ${m%% *} "${m#* }") $(cat "$WORK/body")"
  check_eq "$m as val: what a route that does not exist answers" \
    "$(ask val ${m%% *} /api/v1/no-such-route) $(cat "$WORK/body")" "$got"
done
matrix FILM_SIMILAR        "/api/v1/films/{film}/similar"             401 404 200 200 401 401 401
matrix FILM_WATCHED        "PUT /api/v1/films/{film}/watched"         401 404 200 200 401 401 401
matrix FILM_LETTERS        /api/v1/films/letters                      401 200 200 200 401 401 401
matrix PERSON              "/api/v1/people/{person}"                  401 404 200 200 401 401 401
matrix EXTRA               "/api/v1/extras/{extra}"                   401 404 200 200 401 401 401
matrix FILE_STREAM         "/api/v1/files/{file}/stream"              401 404 200 200 401 401 401
matrix FILE_HLS            "/api/v1/files/{file}/hls/master.m3u8"     401 404 200 200 401 401 401
matrix FILE_URLS           "/api/v1/files/{file}/urls"                401 404 200 200 401 401 401
matrix FILE_CHAPTERS       "/api/v1/files/{file}/chapters"            401 404 200 200 401 401 401
matrix FILE_TRICKPLAY      "/api/v1/files/{file}/trickplay.json"      401 404 200\|404 200\|404 401 401 401
matrix FILE_TRICKPLAY_SHEET "/api/v1/files/{file}/trickplay-1.jpg"    401 404 200\|404 200\|404 401 401 401
MATRIX_BODY='{"position": 1}' \
matrix FILE_PROGRESS       "PUT /api/v1/files/{file}/progress"        401 404 200 200 401 401 401
matrix SEARCH              "/api/v1/search?q=secret"                  401 200 200 200 401 401 401
matrix GENRES              /api/v1/genres                             401 200 200 200 401 401 401
matrix FESTIVALS           /api/v1/festivals                          401 200 200 200 401 401 401
matrix COLLECTIONS         /api/v1/collections                        401 200 200 200 401 401 401
matrix COLLECTION          "/api/v1/collections/$MISSING"             401 404 404 404 401 401 401
matrix CONTINUE            /api/v1/continue                           401 200 200 200 401 401 401
matrix STATUS              /api/v1/status                             200 200 200 200 200 200 200
matrix AUTH_LOGIN          /api/v1/auth/login                         405 405 405 405 405 405 405
matrix AUTH_LOGOUT         /api/v1/auth/logout                        405 405 405 405 405 405 405
matrix AUTH_SETUP          /api/v1/auth/setup                         200 200 200 200 200 200 200
matrix ME                  /api/v1/me                                 401 200 200 200 401 401 401
matrix ME_SESSIONS         /api/v1/me/sessions                        401 200 200 200 401 401 401
matrix ME_SESSION          "DELETE /api/v1/me/sessions/$MISSING"      401 404 404 404 401 401 401
matrix ME_TOKENS           /api/v1/me/tokens                          401 200 200 200 401 401 401
matrix ME_TOKEN            "DELETE /api/v1/me/tokens/$MISSING"        401 404 404 404 401 401 401
matrix ME_PREFERENCES      /api/v1/me/preferences                     401 200 200 200 401 401 401
matrix USERS               /api/v1/users                              401 403 403 200 401 401 401
matrix USER                "PATCH /api/v1/users/$ANA_ID"              401 403 403 200 401 401 401
matrix USER                "PATCH /api/v1/users/$MISSING"             401 403 403 404 401 401 401
matrix USER_SESSIONS       "/api/v1/users/$ANA_ID/sessions"           401 403 403 200 401 401 401
matrix USER_PREFERENCES    "/api/v1/users/$VIC_ID/preferences"        401 200 403 403 401 401 401
matrix USER_PREFERENCES    "/api/v1/users/$MISSING/preferences"       401 403 403 403 401 401 401
matrix ROOTS               /api/v1/roots                              401 403 403 200 401 401 401
matrix SCAN                /api/v1/scan                               401 403 403 200 401 401 401
matrix SCAN_FAILED         /api/v1/scan/failed                        401 403 403 200 401 401 401
matrix DLNA                /api/v1/dlna                               401 403 403 200 401 401 401
matrix DLNA                "PUT /api/v1/dlna"                         401 403 403 400\|409 401 401 401
matrix SHARES              /api/v1/shares                             401 403 403 200 401 401 401
matrix SHARES              /api/v1/shares/allowed                     401 200 200 200 401 401 401
matrix SHARES              /api/v1/shares/grants                      401 403 403 200 401 401 401
matrix SHARES              "DELETE /api/v1/shares/grants/$VIC_ID"     401 403 403 200 401 401 401
matrix SHARES              "PATCH /api/v1/shares/$MISSING"            401 403 403 404 401 401 401
MATRIX_BODY="{\"film_id\": $SECRET}" \
matrix SHARES              "POST /api/v1/shares"                      401 403 403 201 401 401 401
# Another user's session or token is not one's own: the same 404 as for
# none at all, and it stays.
ANA2=$(login ana "correct horse")
ANA2_SESSION=$(req GET /api/v1/me/sessions -H "Cookie: cinemateca_session=$ANA2" >/dev/null; j '[s["id"] for s in d["items"] if s.get("current")][0]')
check_eq "vic deleting the admin's session: 404, as for none" \
  "$(ask vic DELETE "/api/v1/me/sessions/$MISSING") $(cat "$WORK/body" | sed 's/[0-9][0-9]*/N/g')" \
  "$(ask vic DELETE "/api/v1/me/sessions/$ANA2_SESSION") $(cat "$WORK/body" | sed 's/[0-9][0-9]*/N/g')"
check_eq "... and it still works" 200 "$(req GET /api/v1/films -H "Cookie: cinemateca_session=$ANA2")"
req POST /api/v1/me/tokens -H "Cookie: cinemateca_session=$VAL" -H "Origin: $URL" "${JSON[@]}" -d '{"name":"val tv"}' >/dev/null
VAL_TOKEN=$(j 'd["token"]'); VAL_TOKEN_ID=$(j 'd["id"]')
check_eq "vic deleting val's token: 404, as for none" \
  "$(ask vic DELETE "/api/v1/me/tokens/$MISSING") $(cat "$WORK/body" | sed 's/[0-9][0-9]*/N/g')" \
  "$(ask vic DELETE "/api/v1/me/tokens/$VAL_TOKEN_ID") $(cat "$WORK/body" | sed 's/[0-9][0-9]*/N/g')"
check_eq "... and it still works" 200 "$(req GET /api/v1/films -H "Authorization: Bearer $VAL_TOKEN")"

# Every kind of route has its row: a new route without one fails here.
for kind in $(sed -n '/^typedef enum {/,/} cs_route_kind;/s/^ *CS_ROUTE_\([A-Z_]*\),.*/\1/p' \
                "$ROOT/src/server/cs_router.h"); do
  case "$kind" in BAD | TOO_LONG | API_UNKNOWN | STATIC) continue ;; esac
  [ -n "${ROWS[$kind]:-}" ] || fail "the route kind CS_ROUTE_$kind has a row in the matrix"
  ROUTE_KINDS=$(( ${ROUTE_KINDS:-0} + 1 ))
done
check "the matrix covers every route kind of cs_router.h ($ROUTE_KINDS)" test "${ROUTE_KINDS:-0}" -ge 40

V=(-H "Cookie: cinemateca_session=$VIC")
check_eq "vic's list: the family films only" 2 "$(req GET /api/v1/films "${V[@]}" >/dev/null; j 'd["total"]')"
check_eq "vic's counts: two films" 2 "$(req GET /api/v1/status "${V[@]}" >/dev/null; j 'd["counts"]["films"]')"
check_eq "vic's status: no folders named" "[]" "$(j 'd["roots"]')"
check_eq "vic's status: no backups, catalog or transcodes" "[] [] None None" \
  "$(j '" ".join(str(d[k]) for k in ("offline_roots", "backups", "catalog", "transcodes"))')"
check_eq "the admin's status: the catalog's size and the backups" "True True" \
  "$(req GET /api/v1/status "${A[@]}" >/dev/null; j 'str(d["catalog"]["bytes"] > 0) + " " + str(len(d["backups"]) == 1)')"
check_eq "vic sees no paths" False "$(req GET "/api/v1/films/$KIDS" "${V[@]}" >/dev/null; j '"path" in json.dumps(d)')"
check_eq "val's list: all three" 3 "$(req GET /api/v1/films -H "Cookie: cinemateca_session=$VAL" >/dev/null; j 'd["total"]')"
K=(-H "Cookie: cinemateca_session=$KID")
check_eq "kid (at most G): Kids Film only" "['Kids Film']" \
  "$(req GET /api/v1/films "${K[@]}" >/dev/null; j '[f["title"] for f in d["items"]]')"
ANA_ACTOR=$(req GET "/api/v1/search?q=ana%20actor" "${K[@]}" >/dev/null; j 'd["people"][0]["id"]')
check_eq "kid: a person shows only the G film" "['Kids Film']" \
  "$(req GET "/api/v1/people/$ANA_ACTOR" "${K[@]}" >/dev/null; j '[f["title"] for f in d["films"]]')"
check_eq "kid: an R film's stream is 404" 404 "$(req GET "/api/v1/files/$SECRET_FILE/stream" "${K[@]}")"
check_eq "media carries Cross-Origin-Resource-Policy" same-origin \
  "$(req GET "/api/v1/files/$KIDS_FILE/stream" "${V[@]}" -r 0-99 >/dev/null; hdr Cross-Origin-Resource-Policy)"

# ---- signed URLs ----
req GET "/api/v1/files/$KIDS_FILE/urls" "${V[@]}" >/dev/null
STREAM=$(j 'd["stream"]'); HLS=$(j 'd["hls"]'); SIG=${STREAM#*sig=}
check_contains "signed URLs expire" "T" "$(j 'd["expires_at"]')"
check_eq "a signed stream opens without a cookie" 206 "$(req GET "$STREAM" -r 0-99)"
check_eq "a signed playlist opens without a cookie" 200 "$(req GET "$HLS")"
check_contains "the playlist hands the signature on" "sig=$SIG" "$(cat "$WORK/body")"
check "ffmpeg plays the signed HLS URL, no cookie" \
  ffmpeg -nostdin -v error -i "$URL$HLS" -f null -
check "ffprobe reads the signed stream URL, no cookie" ffprobe -v error "$URL$STREAM"
# VLC, as a user with no session and no cookie jar: it remuxes what it
# plays into a file, which is only there when it could play.
if command -v cvlc >/dev/null 2>&1; then
  # nobody cannot enter $WORK (mode 0700): a folder of its own.
  VLC_OUT=$(mktemp -d "${TMPDIR:-/tmp}/cinemateca-vlc.XXXXXX"); chmod 777 "$VLC_OUT"
  vlc_play() { # URL OUT
    timeout 60 runuser -u nobody -- cvlc -I dummy --play-and-exit --no-video-title-show \
      --sout "#std{access=file,mux=ts,dst=$2}" "$1" >/dev/null 2>&1
    [ -s "$2" ]
  }
  check "cvlc plays the signed stream URL" vlc_play "$URL$STREAM" "$VLC_OUT/stream.ts"
  check "cvlc plays the signed HLS URL" vlc_play "$URL$HLS" "$VLC_OUT/hls.ts"
  vlc_refused() { ! vlc_play "$@"; }
  check "cvlc gets nothing from that signature on another file" \
    vlc_refused "$URL/api/v1/files/$SECRET_FILE/stream?sig=$SIG" "$VLC_OUT/other.ts"
  rm -rf "$VLC_OUT"
else
  echo "cvlc is not installed (scripts/setup.sh installs vlc-bin): VLC checks not run"
fi
check_eq "the same signature for another file: refused" 401 "$(req GET "/api/v1/files/$SECRET_FILE/stream?sig=$SIG")"
check_eq "the signature opens nothing else" 401 "$(req GET "/api/v1/films/$KIDS?sig=$SIG")"
# Tampered in its first character (always a different one: replacing the
# last with "A" left it unchanged whenever it already ended in "A").
case "$SIG" in A*) SIG_TAMPERED="B${SIG#?}" ;; *) SIG_TAMPERED="A${SIG#?}" ;; esac
check_eq "a tampered signature: refused" 401 "$(req GET "/api/v1/files/$KIDS_FILE/stream?sig=$SIG_TAMPERED")"
# An expired signature, made with the server's own key (so only the
# expiry is wrong), and a fresh one made the same way that works.
forge() { # FILE USER EXPIRES GENERATION
  python3 - "$DB.key" "$@" <<'PY'
import base64, hashlib, hmac, sys
key = open(sys.argv[1], 'rb').read()
f, u, e, g = sys.argv[2:6]
mac = hmac.new(key, f"cinemateca-sig-v1\n{f}\n{u}\n{e}\n{g}".encode(), hashlib.sha256).digest()
print(f"{u}.{e}.{g}." + base64.urlsafe_b64encode(mac).decode().rstrip('='))
PY
}
GEN=$(sqlite3 "$DB" "SELECT generation FROM users WHERE id = $VIC_ID")
check_eq "a signature made with the key works (the forger is right)" 206 \
  "$(req GET "/api/v1/files/$KIDS_FILE/stream?sig=$(forge "$KIDS_FILE" "$VIC_ID" $(( $(date +%s) + 60 )) "$GEN")" -r 0-9)"
check_eq "an expired signed URL: refused" 401 \
  "$(req GET "/api/v1/files/$KIDS_FILE/stream?sig=$(forge "$KIDS_FILE" "$VIC_ID" $(( $(date +%s) - 1 )) "$GEN")")"
check_eq "a signed URL for a file the user may not see: 404" 404 \
  "$(req GET "/api/v1/files/$SECRET_FILE/stream?sig=$(forge "$SECRET_FILE" "$VIC_ID" $(( $(date +%s) + 60 )) "$GEN")")"
req GET "/api/v1/files/$KIDS_FILE/urls" -H "Cookie: cinemateca_session=$VAL" >/dev/null
VAL_STREAM=$(j 'd["stream"]')

# ---- API tokens ----
O=(-H "Origin: $URL")
check_eq "a token is made" 201 "$(req POST /api/v1/me/tokens "${V[@]}" "${O[@]}" "${JSON[@]}" -d '{"name":"tv"}')"
TOKEN=$(j 'd["token"]'); TOKEN_ID=$(j 'd["id"]')
check_eq "the token opens the API" 200 "$(req GET /api/v1/films -H "Authorization: Bearer $TOKEN")"
check_eq "the token keeps the user's limits" 2 "$(j 'd["total"]')"
check_eq "the token is never listed" False "$(req GET /api/v1/me/tokens "${V[@]}" >/dev/null; j '"token" in json.dumps(d["items"]) or any("token" in t for t in d["items"])')"
check_eq "a token is no cookie" 401 "$(req GET /api/v1/films -H "Cookie: cinemateca_session=$TOKEN")"
check_eq "a token changes things without an Origin" 201 \
  "$(req POST /api/v1/me/tokens -H "Authorization: Bearer $TOKEN" "${JSON[@]}" -d '{"name":"script"}')"
check_eq "a token is revoked" 200 "$(req DELETE "/api/v1/me/tokens/$TOKEN_ID" "${V[@]}" "${O[@]}")"
check_eq "a revoked token: 401" 401 "$(req GET /api/v1/films -H "Authorization: Bearer $TOKEN")"

# ---- CSRF ----
check_eq "CSRF: a cross-origin POST with the victim's cookie" 403 \
  "$(req POST /api/v1/me/tokens "${V[@]}" "${JSON[@]}" -H 'Origin: http://evil.example' -d '{"name":"x"}')"
check_eq "CSRF: Sec-Fetch-Site cross-site" 403 \
  "$(req POST /api/v1/me/tokens "${V[@]}" "${JSON[@]}" -H 'Sec-Fetch-Site: cross-site' -d '{"name":"x"}')"
check_eq "CSRF: a form post from another origin" 403 \
  "$(req POST /api/v1/me/tokens "${V[@]}" -H 'Origin: http://evil.example' -d 'name=x')"
check_eq "CSRF: a form post with no origin at all" 403 "$(req POST /api/v1/me/tokens "${V[@]}" -d 'name=x')"
check_eq "CSRF: a same-origin form post is still not JSON" 400 "$(req POST /api/v1/me/tokens "${V[@]}" "${O[@]}" -d 'name=x')"
check_eq "CSRF: a cross-origin sign-in" 403 \
  "$(req POST /api/v1/auth/login "${JSON[@]}" -H 'Origin: http://evil.example' -d '{"name":"vic","password":"vic password"}')"
check_eq "a viewer cannot add users" 403 "$(req POST /api/v1/users "${V[@]}" "${O[@]}" "${JSON[@]}" -d '{"name":"x","password":"xxxxxxxx"}')"
check_eq "the last admin cannot be removed" 409 \
  "$(req DELETE "/api/v1/users/$(req GET /api/v1/me "${A[@]}" >/dev/null; j 'd["user"]["id"]')" "${A[@]}" "${O[@]}")"

# ---- sign out, sign out everywhere, revocation ----
VAL2=$(login val "val password")
check_eq "sign out" 200 "$(req POST /api/v1/auth/logout -H "Cookie: cinemateca_session=$VAL2" "${O[@]}")"
check_contains "sign out clears the cookie" "Max-Age=0" "$(hdr Set-Cookie)"
check_eq "a signed-out cookie: 401" 401 "$(req GET /api/v1/films -H "Cookie: cinemateca_session=$VAL2")"
check_eq "val's signed URL still works" 206 "$(req GET "$VAL_STREAM" -r 0-9)"
check_eq "sign out everywhere" 200 "$(req DELETE /api/v1/me/sessions -H "Cookie: cinemateca_session=$VAL" "${O[@]}")"
check_eq "every session of val ends" 401 "$(req GET /api/v1/films -H "Cookie: cinemateca_session=$VAL")"
check_eq "and val's signed URLs" 401 "$(req GET "$VAL_STREAM" -r 0-9)"
"$CINEMATECA" user disable --db "$DB" vic >/dev/null
check_eq "a disabled user's session: 401" 401 "$(req GET /api/v1/films "${V[@]}")"
check_eq "a disabled user's signed URL: 401" 401 "$(req GET "$STREAM" -r 0-9)"
check_eq "a disabled user cannot sign in" "" "$(login vic "vic password")"

# ---- brute force ----
codes=""
for i in $(seq 1 50); do
  codes="$codes $(req POST /api/v1/auth/login "${JSON[@]}" -d '{"name":"kid","password":"wrong guess"}')"
  [ "$i" = 50 ] && RETRY=$(hdr Retry-After)
done
n401=$(echo "$codes" | tr ' ' '\n' | grep -c '^401$'); n429=$(echo "$codes" | tr ' ' '\n' | grep -c '^429$')
# How many get checked depends on how fast they come (each lock doubles:
# 1 s, 2 s, 4 s ...); the first five always are, and most are refused.
check "brute force: the first 5 wrong passwords are checked, then locks begin" \
  test "$(echo "$codes" | awk '{print $1 $2 $3 $4 $5}')" = 401401401401401
check "brute force: most of the 50 are refused unchecked ($n429 of 50)" test "$n429" -ge 35
check_eq "brute force: every attempt was answered 401 or 429" 50 "$((n401 + n429))"
check "brute force: 429 says when to retry" test -n "$RETRY"
FIRST_LOCK=$RETRY
sleep "$RETRY"
check_eq "brute force: after the wait, a wrong password is checked again" 401 \
  "$(req POST /api/v1/auth/login "${JSON[@]}" -d '{"name":"kid","password":"wrong guess"}')"
check_eq "brute force: right after it, even the right password waits" 429 \
  "$(req POST /api/v1/auth/login "${JSON[@]}" -d '{"name":"kid","password":"kid password"}')"
RETRY=$(hdr Retry-After)
# How long the first lock is depends on how fast the 50 came (argon2id is
# slow under the sanitizers); the next one is longer whatever that was.
check "brute force: the lock has grown (${FIRST_LOCK} s -> ${RETRY} s)" test "$RETRY" -gt "$FIRST_LOCK"
check_eq "brute force: another name from elsewhere is not locked" 401 \
  "$(req POST /api/v1/auth/login --interface 127.0.0.2 "${JSON[@]}" -d '{"name":"val","password":"wrong guess"}')"
sleep "$RETRY"
check_eq "brute force: the right password works after the backoff" 200 \
  "$(req POST /api/v1/auth/login "${JSON[@]}" -d '{"name":"kid","password":"kid password"}')"
check_contains "failures are logged" "sign-in failed" "$(cat "$SERVER_LOG")"
check "the log never holds a password" sh -c "! grep -q 'wrong guess' '$SERVER_LOG'"

# ---- admin API ----
check_eq "admin: users listed" 5 "$(req GET /api/v1/users "${A[@]}" >/dev/null; j 'len(d["items"])')"
check_eq "admin: a rescan is requested" 202 "$(req POST /api/v1/scan "${A[@]}" "${O[@]}")"
check_eq "admin: the library folders" 2 "$(req GET /api/v1/roots "${A[@]}" >/dev/null; j 'len(d["items"])')"
mkdir -p "$WORK/more"
check_eq "admin: a folder added at run time" 200 "$(req POST /api/v1/roots "${A[@]}" "${O[@]}" "${JSON[@]}" -d "{\"path\":\"$WORK/more\"}")"
check_eq "admin: it is listed" True "$(j 'any(r["source"] == "added" for r in d["items"])')"
check_eq "admin: and removed" 200 "$(req DELETE /api/v1/roots "${A[@]}" "${O[@]}" "${JSON[@]}" -d "{\"path\":\"$WORK/more\"}")"
check_eq "admin: kid becomes a viewer of everything" 200 \
  "$(req PATCH "/api/v1/users/$(req GET /api/v1/users "${A[@]}" >/dev/null; j '[u["id"] for u in d["items"] if u["name"] == "kid"][0]')" "${A[@]}" "${O[@]}" "${JSON[@]}" -d '{"max_certification":null}')"
check_eq "admin: unknown user 404" 404 "$(req PATCH /api/v1/users/999 "${A[@]}" "${O[@]}" "${JSON[@]}" -d '{}')"
check_eq "CLI lists the users" 5 "$("$CINEMATECA" user list --db "$DB" | wc -l)"

stop_server

# ---- TLS ----
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 2 \
  -keyout "$WORK/tls.key" -out "$WORK/tls.pem" >/dev/null 2>&1
out=$("$CINEMATECA" serve --db "$DB" --listen 127.0.0.1:0 --tls-cert "$WORK/tls.pem" 2>&1); rc=$?
check_eq "TLS: a certificate without its key is refused" 1 "$rc"
"$CINEMATECA" serve --listen 127.0.0.1:0 --db "$DB" --no-watch --tls-cert "$WORK/tls.pem" --tls-key "$WORK/tls.key" \
  "$FAMILY" > "$WORK/tls.out" 2> "$WORK/tls.err" &
PIDS+=("$!"); TLS_PID=$!
for _ in $(seq 1 100); do TLS_URL=$(sed -n 's|^cinemateca: serving \(https://[^ ]*\)/$|\1|p' "$WORK/tls.out"); [ -n "$TLS_URL" ] && break; sleep 0.1; done
check "TLS: the server says https" test -n "$TLS_URL"
cookie_line=$(curl -sk -D - -o /dev/null "${JSON[@]}" -d '{"name":"ana","password":"correct horse"}' "$TLS_URL/api/v1/auth/login" | grep -i '^set-cookie')
check_contains "TLS: the session cookie is Secure" "; Secure" "$cookie_line"
TLS_COOKIE=$(echo "$cookie_line" | sed -n 's/^set-cookie: cinemateca_session=\([^;]*\);.*/\1/Ip' | tr -d '\r')
check_eq "TLS: the library over HTTPS" 200 "$(curl -sk -o /dev/null -w '%{http_code}' -H "Cookie: cinemateca_session=$TLS_COOKIE" "$TLS_URL/api/v1/films")"
check_eq "TLS: plain HTTP to it gets no answer" 000 "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "${TLS_URL/https/http}/api/v1/status")"
kill "$TLS_PID"; wait "$TLS_PID" 2>/dev/null
finish
