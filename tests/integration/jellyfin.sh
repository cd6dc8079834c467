#!/usr/bin/env bash
# Integration: the Jellyfin-compatible API (issue 14) driven by a client
# nobody here wrote, @jellyfin/sdk (tests/jellyfin, locked), on the demo
# library plus a second folder: sign-in, views, films, Pain and Glory with
# its special features and people, PlaybackInfo, a direct-play range, the
# HLS master decoded to the end by ffmpeg, progress and Resume, every
# answer checked against the SDK's model declarations. Then the same watch
# state seen from /api/v1, a restricted user seeing the same films as in
# the web API, the authorization forms, hostile requests, and the older
# jellyfin-apiclient on the legacy /Users/{id}/... paths.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
JF="$ROOT/tests/jellyfin"

if [ ! -d "$JF/node_modules/@jellyfin/sdk" ]; then
  npm ci --prefix "$JF" --no-audit --no-fund --loglevel=error >/dev/null 2>&1 ||
    { fail "npm ci tests/jellyfin (@jellyfin/sdk)"; finish; exit 1; }
fi

# The demo library (JF_DEMO_DIR reuses one already built) and a family
# folder with one film rated PG.
DEMO="${JF_DEMO_DIR:-$WORK/demo}"
bash "$ROOT/scripts/demo-library.sh" "$DEMO" >/dev/null 2>&1 || fail "the demo library"
FAMILY="$WORK/family"
make_clip "$FAMILY/Little Boat (2005)/Little Boat (2005).mp4" 3
# Two actors: one with a photo beside the film (an .nfo thumb naming a
# local picture), one whose photo is a web address (never fetched).
mkdir -p "$FAMILY/Little Boat (2005)/.actors"
ffmpeg -nostdin -v error -f lavfi -i "color=c=red:s=60x90" -frames:v 1 \
  "$FAMILY/Little Boat (2005)/.actors/Tomas_Ferre.jpg"
cat > "$FAMILY/Little Boat (2005)/movie.nfo" <<NFO
<movie><title>Little Boat</title><year>2005</year><mpaa>PG</mpaa><genre>Family</genre>
  <director>Ines Marlow</director>
  <actor><name>Tomas Ferre</name><role>Skipper</role>
    <thumb>$FAMILY/Little Boat (2005)/.actors/Tomas_Ferre.jpg</thumb></actor>
  <actor><name>Ada Quill</name><role>Gull</role><thumb>https://example.invalid/ada.jpg</thumb></actor>
</movie>
NFO
ffmpeg -nostdin -v error -f lavfi -i "color=c=blue:s=200x300" -frames:v 1 \
  "$FAMILY/Little Boat (2005)/poster.jpg"
DB="$WORK/catalog.db"
"$CINEMATECA" scan --db "$DB" "$DEMO" "$FAMILY" >/dev/null 2>&1
check_eq "scan" 0 "$?"
PW="a long enough password"
printf '%s\n' "$PW" | "$CINEMATECA" user add --db "$DB" --admin --password-stdin admin >/dev/null 2>&1
check_eq "an admin account" 0 "$?"
start_server --db "$DB" --no-watch "$DEMO" "$FAMILY" || exit 1

# Anonymous discovery, nothing else.
code() { curl -s -o "$WORK/body" -w '%{http_code}' "$@"; }
check_eq "System/Info/Public is open" 200 "$(code "$URL/System/Info/Public")"
check_contains "it names the product" '"ProductName":"Jellyfin Server"' "$(cat "$WORK/body")"
check_eq "paths are case-insensitive, a trailing slash tolerated" 200 "$(code "$URL/system/info/PUBLIC/")"
check_eq "System/Ping" 200 "$(code "$URL/System/Ping")"
check_eq "Users/Public is empty" "[]" "$(curl -s "$URL/Users/Public")"
check_eq "Quick Connect is off" "false" "$(curl -s "$URL/QuickConnect/Enabled")"
check_eq "Branding/Configuration" 200 "$(code "$URL/Branding/Configuration")"
check_eq "Items need sign-in" 401 "$(code "$URL/Items")"
check_eq "images need sign-in" 401 "$(code "$URL/Items/c1d3ca7e000000010000000000000001/Images/Primary")"
check_eq "streams need sign-in" 401 "$(code "$URL/Videos/c1d3ca7e000000010000000000000001/stream")"

# An extra's picture is a still from its trickplay sheets, which the
# background pass makes after the scan: wait (bounded) until Pain and
# Glory's extras say they have one, as the SDK run below checks.
T0=$(curl -s -X POST -H 'Content-Type: application/json' -d "{\"Username\":\"admin\",\"Pw\":\"$PW\"}" \
  "$URL/Users/AuthenticateByName" | python3 -c 'import json,sys; print(json.load(sys.stdin)["AccessToken"])')
PAIN0=$(curl -s "$URL/Items?SearchTerm=pain%20and%20glory&Recursive=true&IncludeItemTypes=Movie&api_key=$T0" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["Items"][0]["Id"])')
untagged() {
  cat <(curl -s "$URL/Items/$PAIN0/SpecialFeatures?api_key=$T0") <(echo) \
    <(curl -s "$URL/Items/$PAIN0/LocalTrailers?api_key=$T0") |
    python3 -c 'import json,sys; print(sum(1 for l in sys.stdin if l.strip() for x in json.loads(l) if "Primary" not in x["ImageTags"]))'
}
for _ in $(seq 1 480); do [ "$(untagged)" = 0 ] && break; sleep 0.5; done
check_eq "every extra of Pain and Glory gets a still once its sheets are made" 0 "$(untagged)"

# The SDK's run.
node "$JF/sdk.mjs" "$URL" admin "$PW" "$WORK" > "$WORK/sdk.out" 2>&1
while IFS= read -r line; do
  case "$line" in
    "ok - "*) pass "${line#ok - }" ;;
    "FAIL - "*) fail "${line#FAIL - }" ;;
  esac
done < "$WORK/sdk.out"
grep -q '^ok - sdk: and unmarked' "$WORK/sdk.out" || fail "the SDK run ended early: $(tail -3 "$WORK/sdk.out")"

# The HLS master from PlaybackInfo's TranscodingUrl, decoded to the end
# (a signed URL: ffmpeg sends no header), and the direct-play URL.
if [ -f "$WORK/hls.url" ]; then
  timeout 300 ffmpeg -nostdin -v error -i "$(cat "$WORK/hls.url")" -f null - 2> "$WORK/ffmpeg.err"
  check_eq "ffmpeg decodes the HLS master to the end" 0 "$?"
  check_eq "without an error" "" "$(head -c 300 "$WORK/ffmpeg.err")"
  dur=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$(cat "$WORK/direct.url")")
  check "ffprobe reads the direct-play URL (api_key)" test -n "$dur"
else
  fail "no TranscodingUrl from the SDK run"
fi

# Sign in as the SDK did, with a MediaBrowser header, for the rest.
AUTH='MediaBrowser Client="jellyfin.sh", Device="bash", DeviceId="jellyfin-sh", Version="1.0"'
curl -s -X POST -H "Authorization: $AUTH" -H 'Content-Type: application/json' \
  -d "{\"Username\":\"admin\",\"Pw\":\"$PW\"}" "$URL/Users/AuthenticateByName" > "$WORK/auth.json"
TOKEN=$(json_get "$WORK/auth.json" "d['AccessToken']")
UID_=$(json_get "$WORK/auth.json" "d['User']['Id']")
PAIN=$(cat "$WORK/pain.id" 2>/dev/null)
check_eq "X-Emby-Token" 200 "$(code -H "X-Emby-Token: $TOKEN" "$URL/Users/Me")"
check_eq "X-MediaBrowser-Token" 200 "$(code -H "X-MediaBrowser-Token: $TOKEN" "$URL/Users/Me")"
check_eq "X-Emby-Authorization with the Emby scheme" 200 \
  "$(code -H "X-Emby-Authorization: Emby Client=\"x\", Token=\"$TOKEN\"" "$URL/Users/Me")"
check_eq "api_key=" 200 "$(code "$URL/Users/Me?api_key=$TOKEN")"
check_eq "ApiKey= (any case)" 200 "$(code "$URL/Users/Me?APIKEY=$TOKEN")"
check_eq "a wrong token: 401" 401 "$(code -H "X-Emby-Token: nope$TOKEN" "$URL/Users/Me")"
check_eq "the legacy /Users/{id}/Items/{id}" 200 "$(code "$URL/Users/$UID_/Items/$PAIN?api_key=$TOKEN")"
check_eq "another user's id in a legacy path: 403" 403 \
  "$(code "$URL/Users/c1d3ca7e000000060000000000000063/Items?api_key=$TOKEN")"
check_eq "query names case-insensitive (includeitemtypes=Series: none)" 0 \
  "$(curl -s "$URL/Items?includeitemtypes=Series&api_key=$TOKEN" | python3 -c 'import json,sys; print(json.load(sys.stdin)["TotalRecordCount"])')"
check_eq "an unknown endpoint: 404 with an empty JSON body" "404 {}" \
  "$(code "$URL/Items/$PAIN/Nonsense?api_key=$TOKEN"; echo " $(cat "$WORK/body")")"
check_eq "a malformed body: 400" 400 "$(code -X POST -H "X-Emby-Token: $TOKEN" \
  -H 'Content-Type: application/json' -d '{"ItemId":' "$URL/Sessions/Playing/Progress")"
check_eq "a body of the wrong shape: 400" 400 "$(code -X POST -H "X-Emby-Token: $TOKEN" \
  -H 'Content-Type: application/json' -d '{"ItemId":5}' "$URL/Sessions/Playing/Progress")"
check_eq "an id that is not ours: 400" 400 "$(code "$URL/Items/0123456789abcdef0123456789abcdef?api_key=$TOKEN")"
check_eq "a film that does not exist: 404" 404 "$(code "$URL/Items/c1d3ca7e000000010000000000099999?api_key=$TOKEN")"

# The same watch state as the web app: the SDK's progress is Continue
# watching in /api/v1, and a watched mark there is Played here.
curl -s -c "$WORK/jar" -H "Origin: $URL" -H 'Content-Type: application/json' \
  -d "{\"name\":\"admin\",\"password\":\"$PW\"}" "$URL/api/v1/auth/login" >/dev/null
curl -s -b "$WORK/jar" "$URL/api/v1/continue" > "$WORK/continue.json"
check_contains "the SDK's progress is in /api/v1/continue" '"Pain and Glory"' "$(cat "$WORK/continue.json")"
PAIN_NATIVE=$(curl -s -b "$WORK/jar" "$URL/api/v1/films?q=pain" | python3 -c 'import json,sys; print([f["id"] for f in json.load(sys.stdin)["items"] if f["title"]=="Pain and Glory"][0])')
check_eq "the GUID is derived from the catalog id" "c1d3ca7e00000001$(printf '%016x' "$PAIN_NATIVE")" "$PAIN"
curl -s -b "$WORK/jar" -H "Origin: $URL" -X PUT "$URL/api/v1/films/$PAIN_NATIVE/watched" >/dev/null
check_eq "watched in the web app: Played here" "True" \
  "$(curl -s "$URL/Items/$PAIN?api_key=$TOKEN" | python3 -c 'import json,sys; print(json.load(sys.stdin)["UserData"]["Played"])')"
check_eq "unplayed here" 200 "$(code -X DELETE "$URL/UserPlayedItems/$PAIN?api_key=$TOKEN")"
check_eq "unwatched in the web app" "False" \
  "$(curl -s -b "$WORK/jar" "$URL/api/v1/films/$PAIN_NATIVE" | python3 -c 'import json,sys; print(json.load(sys.stdin)["watch"]["watched"])')"

# Restricted users see here what /api/v1 shows them.
mkuser() { curl -s -o /dev/null -w '%{http_code}' -b "$WORK/jar" -H "Origin: $URL" \
  -H 'Content-Type: application/json' -d "$1" "$URL/api/v1/users"; }
check_eq "a viewer of the family folder" 201 "$(mkuser "{\"name\":\"vic\",\"password\":\"vic password\",\"roots\":[\"$FAMILY\"]}")"
check_eq "a viewer limited to PG" 201 "$(mkuser '{"name":"kid","password":"kid password","max_certification":"PG"}')"
for who in vic kid; do
  node "$JF/sdk.mjs" "$URL" "$who" "$who password" "$WORK" list > "$WORK/$who.out" 2>&1
  check_eq "$who: the SDK lists their films" 0 "$?"
  curl -s -c "$WORK/$who.jar" -H "Origin: $URL" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$who\",\"password\":\"$who password\"}" "$URL/api/v1/auth/login" >/dev/null
  native=$(curl -s -b "$WORK/$who.jar" "$URL/api/v1/films?limit=500" | python3 -c 'import json,sys; print(json.dumps(sorted(f["title"] for f in json.load(sys.stdin)["items"])))')
  check_eq "$who sees the same films as in /api/v1" "$native" "$(python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))))' "$WORK/$who.titles.json" 2>/dev/null)"
done
check_eq "vic sees the family film only" '["Little Boat"]' "$(cat "$WORK/vic.titles.json" 2>/dev/null)"
curl -s -X POST -H "Authorization: $AUTH" -H 'Content-Type: application/json' \
  -d '{"Username":"vic","Pw":"vic password"}' "$URL/Users/AuthenticateByName" > "$WORK/vic.json"
VT=$(json_get "$WORK/vic.json" "d['AccessToken']")
check_eq "vic: Pain and Glory is not found" 404 "$(code "$URL/Items/$PAIN?api_key=$VT")"
check_eq "vic: nor its stream" 404 "$(code "$URL/Videos/$PAIN/stream?api_key=$VT")"
check_eq "vic: nor its poster" 404 "$(code "$URL/Items/$PAIN/Images/Primary?api_key=$VT")"
check_eq "vic: one view" 1 "$(curl -s "$URL/UserViews?api_key=$VT" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["Items"]))')"
check_eq "vic: a search does not find it" 0 "$(curl -s "$URL/Search/Hints?SearchTerm=pain&api_key=$VT" | python3 -c 'import json,sys; print(len([h for h in json.load(sys.stdin)["SearchHints"] if h["Type"]=="Movie"]))')"

# Filter menus count only what the user sees: for vic (one folder) and
# kid (PG at most), /Items/Filters' years and genres are exactly those of
# the films /Items lists them, as if the hidden films did not exist.
menu_vs_items() { # token
  python3 - "$URL" "$1" <<'PY'
import json, sys, urllib.request
url, token = sys.argv[1], sys.argv[2]
get = lambda p: json.load(urllib.request.urlopen(f"{url}{p}{'&' if '?' in p else '?'}api_key={token}"))
items = get("/Items?Recursive=true&IncludeItemTypes=Movie&Fields=Genres")["Items"]
menu, menu2 = get("/Items/Filters?IncludeItemTypes=Movie"), get("/Items/Filters2?IncludeItemTypes=Movie")
years = sorted({i["ProductionYear"] for i in items if i.get("ProductionYear")}, reverse=True)
genres = sorted({g for i in items for g in i.get("Genres", [])}, key=str.lower)
ok = menu["Years"] == years and menu["Genres"] == genres and [g["Name"] for g in menu2["Genres"]] == genres
print("same" if ok else f"menu {menu['Years']} {menu['Genres']} vs items {years} {genres}")
PY
}
curl -s -X POST -H "Authorization: $AUTH" -H 'Content-Type: application/json' \
  -d '{"Username":"kid","Pw":"kid password"}' "$URL/Users/AuthenticateByName" > "$WORK/kid.json"
KT=$(json_get "$WORK/kid.json" "d['AccessToken']")
check_eq "vic: /Items/Filters holds only what vic sees" same "$(menu_vs_items "$VT")"
check_eq "vic: the family film's year only" "[2005]" \
  "$(curl -s "$URL/Items/Filters?api_key=$VT" | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["Years"]))')"
check_eq "kid: /Items/Filters holds only what kid sees" same "$(menu_vs_items "$KT")"
check_eq "admin: /Items/Filters holds what admin sees" same "$(menu_vs_items "$TOKEN")"
check "admin's menu has more years than vic's" test "$(curl -s "$URL/Items/Filters?api_key=$TOKEN" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["Years"]))')" -gt 1
FAMILY_VIEW=$(curl -s "$URL/UserViews?api_key=$VT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Items"][0]["Id"])')
check_eq "admin: Filters in the family folder (ParentId)" '[2005] ["Family"]' \
  "$(curl -s "$URL/Items/Filters?ParentId=$FAMILY_VIEW&api_key=$TOKEN" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps(d["Years"]), json.dumps(d["Genres"]))')"
check_eq "admin: Genres in the family folder (ParentId)" '["Family"]' \
  "$(curl -s "$URL/Genres?ParentId=$FAMILY_VIEW&api_key=$TOKEN" | python3 -c 'import json,sys; print(json.dumps([g["Name"] for g in json.load(sys.stdin)["Items"]]))')"
check_eq "vic: Filters of a folder vic may not see: nothing" '[] []' \
  "$(curl -s "$URL/Items/Filters?ParentId=$(curl -s "$URL/UserViews?api_key=$TOKEN" | python3 -c 'import json,sys; print([v["Id"] for v in json.load(sys.stdin)["Items"] if v["Name"] != "family"][0])')&api_key=$VT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps(d["Years"]), json.dumps(d["Genres"]))')"

# The older client, jellyfin-apiclient, on the legacy /Users/{id}/ paths.
node "$JF/apiclient.cjs" "$URL" admin "$PW" > "$WORK/apiclient.out" 2>&1
while IFS= read -r line; do
  case "$line" in
    "ok - "*) pass "${line#ok - }" ;;
    "FAIL - "*) fail "${line#FAIL - }" ;;
  esac
done < "$WORK/apiclient.out"
grep -q '^ok - apiclient: a favourite' "$WORK/apiclient.out" || fail "the apiclient run ended early: $(tail -3 "$WORK/apiclient.out")"

# An image tag follows the picture: a new poster file, a new tag.
LB=$(curl -s "$URL/Items?SearchTerm=little%20boat&api_key=$VT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Items"][0]["Id"])')
tag1=$(curl -s "$URL/Items/$LB?api_key=$VT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["ImageTags"].get("Primary"))')
check_eq "vic: the family film's poster" 200 "$(code "$URL/Items/$LB/Images/Primary?tag=$tag1&maxHeight=150&api_key=$VT")"
sleep 1
ffmpeg -nostdin -v error -y -f lavfi -i "color=c=green:s=200x300" -frames:v 1 \
  "$FAMILY/Little Boat (2005)/poster.jpg"
tag2=$(curl -s "$URL/Items/$LB?api_key=$VT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["ImageTags"].get("Primary"))')
check "the image tag changes with the picture" test "$tag1" != "$tag2" -a "$tag2" != None
check_eq "and the list row says the same tag" "$tag2" \
  "$(curl -s "$URL/Items?Recursive=true&IncludeItemTypes=Movie&api_key=$VT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Items"][0]["ImageTags"].get("Primary"))')"
check_eq "vic: /Items without a parent lists the root folder's children (the views)" \
  "CollectionFolder" "$(curl -s "$URL/Items?api_key=$VT" | python3 -c 'import json,sys; print(",".join(i["Type"] for i in json.load(sys.stdin)["Items"]))')"

# People's photos and extras' pictures: served where the catalog has one,
# tagged in the DTOs only then, 404 otherwise.
curl -s "$URL/Items/$LB?api_key=$VT" > "$WORK/lb.json"
person() { python3 -c 'import json,sys; p=[p for p in json.load(open(sys.argv[1]))["People"] if p["Name"]==sys.argv[2]][0]; print(p["Id"], p.get("PrimaryImageTag", "none"))' "$WORK/lb.json" "$1"; }
read -r TOMAS TOMAS_TAG <<< "$(person "Tomas Ferre")"
read -r ADA ADA_TAG <<< "$(person "Ada Quill")"
check "an actor with a local photo has a PrimaryImageTag" test "$TOMAS_TAG" != none -a -n "$TOMAS_TAG"
check_eq "an actor whose photo is a web address has none" none "$ADA_TAG"
check_eq "the photo is served" "200 image/jpeg" \
  "$(curl -s -o "$WORK/tomas.jpg" -w '%{http_code} %{content_type}' "$URL/Items/$TOMAS/Images/Primary?tag=$TOMAS_TAG&api_key=$VT")"
check "it is the picture on disk" cmp -s "$WORK/tomas.jpg" "$FAMILY/Little Boat (2005)/.actors/Tomas_Ferre.jpg"
check_eq "no photo: 404" 404 "$(code "$URL/Items/$ADA/Images/Primary?api_key=$VT")"
check_eq "a person vic cannot see: 404" 404 \
  "$(code "$URL/Items/$(curl -s "$URL/Items/$PAIN?api_key=$TOKEN" | python3 -c 'import json,sys; print(json.load(sys.stdin)["People"][0]["Id"])')/Images/Primary?api_key=$VT")"
# An extra's still: one tile of its trickplay sheets, as /api/v1 lays them out.
read -r EXTRA EXTRA_FILE <<< "$(curl -s "$URL/Items/$PAIN/SpecialFeatures?api_key=$TOKEN" | python3 -c 'import json,sys; e=json.load(sys.stdin)[0]; print(e["Id"], int(e["MediaSources"][0]["Id"][16:], 16))')"
check_eq "an extra's still is served" "200 image/jpeg" \
  "$(curl -s -o "$WORK/still.jpg" -w '%{http_code} %{content_type}' "$URL/Items/$EXTRA/Images/Primary?maxWidth=300&api_key=$TOKEN")"
tile=$(curl -s -b "$WORK/jar" "$URL/api/v1/files/$EXTRA_FILE/trickplay.json" | python3 -c 'import json,sys; t=json.load(sys.stdin); print("%dx%d" % (t["tile_width"], t["tile_height"]))')
check_eq "it is one tile of the extra's trickplay sheet" "$tile" \
  "$(ffprobe -v error -select_streams v:0 -show_entries stream=width,height -of csv=s=x:p=0 "$WORK/still.jpg")"
check_eq "an extra has no backdrop: 404" 404 "$(code "$URL/Items/$EXTRA/Images/Backdrop?api_key=$TOKEN")"
check_eq "an extra of a film vic cannot see: 404" 404 "$(code "$URL/Items/$EXTRA/Images/Primary?api_key=$VT")"
check_eq "an extra that does not exist: 404" 404 \
  "$(code "$URL/Items/c1d3ca7e00000002000000000000ffff/Images/Primary?api_key=$TOKEN")"
# /Persons carries the photo's tag, as the film's People do.
check_eq "vic's /Persons: Tomas Ferre with his photo's tag" "$TOMAS_TAG" \
  "$(curl -s "$URL/Persons?SearchTerm=tomas&api_key=$VT" | python3 -c 'import json,sys; p=[p for p in json.load(sys.stdin)["Items"] if p["Name"]=="Tomas Ferre"][0]; print(p["ImageTags"].get("Primary"))')"
check_eq "and Search/Hints the same" "$TOMAS_TAG" \
  "$(curl -s "$URL/Search/Hints?SearchTerm=tomas&api_key=$VT" | python3 -c 'import json,sys; print([h for h in json.load(sys.stdin)["SearchHints"] if h["Name"]=="Tomas Ferre"][0].get("PrimaryImageTag"))')"

# Sign-out ends the session, as in the web app.
check_eq "Sessions/Logout" 204 "$(code -X POST -H "X-Emby-Token: $VT" "$URL/Sessions/Logout")"
check_eq "the token no longer works" 401 "$(code "$URL/Users/Me?api_key=$VT")"

stop_server
check_eq "the server stops cleanly" 0 "$?"

# Local mode (no account, loopback): open as the web app is, but another
# site's page cannot change anything.
"$CINEMATECA" scan --db "$WORK/local.db" "$FAMILY" >/dev/null 2>&1
start_server --db "$WORK/local.db" --no-watch "$FAMILY" || exit 1
check_eq "local mode: items without sign-in" 200 "$(code "$URL/Items")"
check_eq "local mode: any name signs in" 200 "$(code -X POST -H 'Content-Type: application/json' \
  -d '{"Username":"anyone","Pw":""}' "$URL/Users/AuthenticateByName")"
LOCAL_FILM=$(curl -s "$URL/Items?Recursive=true&IncludeItemTypes=Movie" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Items"][0]["Id"])')
check_eq "local mode: another site's POST is refused" 403 \
  "$(code -X POST -H 'Origin: http://evil.example' "$URL/UserPlayedItems/$LOCAL_FILM")"
check_eq "local mode: an app's POST is not" 200 "$(code -X POST "$URL/UserPlayedItems/$LOCAL_FILM")"
stop_server
check_eq "the local server stops cleanly" 0 "$?"
finish
