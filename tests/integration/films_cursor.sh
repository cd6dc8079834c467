#!/usr/bin/env bash
# The films list's cursor (README, "Deep pages by cursor"): every page's
# "next", ?after= answering the page after it in the same order as
# offsets do, for every sort both ways and with a filter; a forged or
# foreign cursor is a 400 with the usual error JSON; the web app's
# infinite scroll reads on by cursor and its A-Z jump still lands; a
# restricted user replaying an admin's cursor reads on among their own
# films only. The catalog is bench/gen_catalog's (400 films through the
# catalog API), a third of them moved to a folder of their own.
source "$(dirname "$0")/lib.sh"

GEN="${GEN_CATALOG:-$(dirname "$CINEMATECA")/../../bench/gen_catalog}"
if [ ! -x "$GEN" ]; then
  echo "skip: needs bench/gen_catalog beside the binary ($GEN)"
  finish
  exit
fi
DB="$WORK/catalog.db"
"$GEN" generate "$DB" 400 800 >/dev/null
# (Before the server opens it: every film is under /bench, and a
# restricted user needs a folder they may not see.)
sqlite3 "$DB" "UPDATE files SET root = '/bench-private' WHERE film_id % 3 = 0"
start_server --no-watch --db "$DB"

# Something to sort by play date and count.
python3 - "$URL" <<'PY'
import json, sys, urllib.request
url = sys.argv[1]
films = json.load(urllib.request.urlopen(url + "/api/v1/films?limit=30&sort=random&seed=3"))["items"]
for n, f in enumerate(films):
    film = json.load(urllib.request.urlopen(url + "/api/v1/films/%d" % f["id"]))
    if not film.get("files"):
        continue
    body = json.dumps({"position": 6000.0 if n < 10 else 100.0 + n, "duration": 6000.0}).encode()
    req = urllib.request.Request(url + "/api/v1/files/%d/progress" % film["files"][0]["id"],
                                 method="PUT", data=body,
                                 headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req).read()
PY

# Every sort, both ways, with and without a filter: the pages read by
# cursor (7 films each, so pages end inside every tie) are the offset
# order, and the last one says there is none after it.
out=$(python3 - "$URL" <<'PY'
import json, sys, urllib.parse, urllib.request
url = sys.argv[1]
def get(q):
    return json.load(urllib.request.urlopen(url + "/api/v1/films?" + q))
bad = []
for sort in "title year added runtime rating release played plays random".split():
    for order in ("asc", "desc"):
        for extra in ("", "&decade=1990"):
            base = "sort=%s&order=%s&seed=77%s" % (sort, order, extra)
            want = [i["id"] for i in get(base + "&limit=500")["items"]]
            got, after, pages = [], None, 0
            while pages < 200:
                q = base + "&limit=7" + ("&after=" + urllib.parse.quote(after) if after else "")
                page = get(q)
                got += [i["id"] for i in page["items"]]
                after = page["next"]
                pages += 1
                if not after:
                    break
            if got != want:
                bad.append("%s %s%s" % (sort, order, extra))
print("mismatched:", ",".join(bad) if bad else "none")
PY
)
check_eq "cursor pages follow the offset order for every sort, both ways, with a filter" \
  "mismatched: none" "$out"

first=$(curl -s "$URL/api/v1/films?sort=year&order=desc&limit=5")
next=$(echo "$first" | python3 -c 'import json,sys; print(json.load(sys.stdin)["next"])')
check "a page answers a next cursor" test -n "$next"
last=$(curl -s "$URL/api/v1/films?limit=10&offset=395" | python3 -c 'import json,sys; print(json.load(sys.stdin)["next"])')
check_eq "the last page's next is null" "None" "$last"

code=$(curl -s -o "$WORK/bad.json" -w '%{http_code}' "$URL/api/v1/films?sort=year&order=desc&after=${next%?}0")
check_eq "an edited cursor is a 400" "400" "$code"
check_contains "with the usual error JSON" '"code":"bad_request"' "$(cat "$WORK/bad.json")"
code=$(curl -s -o "$WORK/bad.json" -w '%{http_code}' "$URL/api/v1/films?sort=title&after=$next")
check_eq "another sort's cursor is a 400" "400" "$code"
code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/films?after=%00%ff%22junk")
check_eq "junk is a 400" "400" "$code"
long=$(head -c 1500 /dev/zero | tr '\0' 'a')
code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/films?after=$long")
check_eq "an overlong cursor is a 400" "400" "$code"
code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/films?sort=year&order=desc&after=$next")
check_eq "and the server still answers the good one" "200" "$code"

# The web app: scrolling reads on by cursor; the A-Z jump still lands.
if browser_ready; then
  run_e2e 180 list_cursor.mjs "$URL" "$SHOTS"
else
  browser_missing "the films list in the web app"
fi

# A restricted user given an admin's cursor (a shared link, a copied
# URL): the token only says where in the sort to start, and the list
# after it is the user's own, so they get their films after that key,
# in order, and never one from a folder they may not see, even when the
# key is a hidden film's. (Accounts end local mode: this comes last.)
printf 'admin password\n' | "$CINEMATECA" user add --db "$DB" --admin --password-stdin ada >/dev/null 2>&1
login() {
  curl -s -D - -o /dev/null -H 'Content-Type: application/json' -H "Origin: $URL" \
    -d "{\"name\":\"$1\",\"password\":\"$2\"}" "$URL/api/v1/auth/login" |
    sed -n 's/^set-cookie: cinemateca_session=\([^;]*\);.*/\1/Ip' | tr -d '\r'
}
ADA=$(login ada "admin password")
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: cinemateca_session=$ADA" \
  -H "Origin: $URL" -H 'Content-Type: application/json' \
  -d '{"name":"vic","password":"viewer password","roots":["/bench"]}' "$URL/api/v1/users")
check_eq "an admin adds a viewer of /bench only" 201 "$code"
VIC=$(login vic "viewer password")
out=$(python3 - "$URL" "$ADA" "$VIC" <<'PY'
import json, sys, urllib.error, urllib.parse, urllib.request
url, ada, vic = sys.argv[1:4]
def get(who, q):
    req = urllib.request.Request(url + "/api/v1/films?" + q,
                                 headers={"Cookie": "cinemateca_session=" + who})
    try:
        return 200, json.load(urllib.request.urlopen(req))
    except urllib.error.HTTPError as e:
        return e.code, None
bad, hidden_keys, checked = [], 0, 0
for base in ("sort=title", "sort=year&order=desc", "sort=random&seed=5", "sort=rating",
             "sort=added&order=desc"):
    _, admin = get(ada, base + "&limit=500")
    _, mine = get(vic, base + "&limit=500")
    every = [i["id"] for i in admin["items"]]
    seen = set(i["id"] for i in mine["items"])
    if not seen or len(seen) >= len(every):
        bad.append(base + ": the viewer should see some films, not all")
        continue
    # Cursors after a film the viewer sees and after one they do not.
    for pos in (next(p for p in range(20, 400) if every[p] in seen),
                next(p for p in range(40, 400) if every[p] not in seen)):
        _, page = get(ada, base + "&limit=1&offset=%d" % pos)
        token = page["next"]
        code, got = get(vic, base + "&limit=9&after=" + urllib.parse.quote(token))
        want = [i for i in every[pos + 1:] if i in seen][:9]
        ids = [i["id"] for i in got["items"]] if got else None
        checked += 1
        hidden_keys += every[pos] not in seen
        if code != 200 or ids != want:
            bad.append("%s after %d: %s %s, want %s" % (base, pos, code, ids, want))
        elif any(i not in seen for i in ids):
            bad.append("%s after %d: a hidden film" % (base, pos))
print("checked %d (%d after a hidden film), wrong: %s" % (checked, hidden_keys,
                                                          "; ".join(bad) or "none"))
PY
)
check_eq "a viewer given an admin's cursor reads their own films after it, in order" \
  "checked 10 (5 after a hidden film), wrong: none" "$out"

check_no_sanitizer_reports "no sanitizer reports"
finish
