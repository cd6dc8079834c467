#!/usr/bin/env bash
# The films list's cursor (README, "Deep pages by cursor"): every page's
# "next", ?after= answering the page after it in the same order as
# offsets do, for every sort both ways and with a filter; a forged or
# foreign cursor is a 400 with the usual error JSON; the web app's
# infinite scroll reads on by cursor and its A-Z jump still lands.
# The catalog is bench/gen_catalog's (400 films through the catalog API).
source "$(dirname "$0")/lib.sh"

GEN="${GEN_CATALOG:-$(dirname "$CINEMATECA")/../../bench/gen_catalog}"
if [ ! -x "$GEN" ]; then
  echo "skip: needs bench/gen_catalog beside the binary ($GEN)"
  finish
  exit
fi
DB="$WORK/catalog.db"
"$GEN" generate "$DB" 400 800 >/dev/null
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

check_no_sanitizer_reports "no sanitizer reports"
finish
