#!/usr/bin/env bash
# Integration: shares (public links to a film, an extra or a clip) through
# the real CLI and server, with real clients: the CLI's contract, the
# states (scheduled, live, closed; 404 and 410), the clip's HLS checked with
# ffprobe (its duration within one frame of the clip's: the clip is
# transcoded for a frame-exact start) and its first decoded frame against
# `ffmpeg -ss START` (PSNR: the right frame scores best, its neighbours
# lower), signed URL misuse (another share, a revoked share, a scheduled
# share, tampering, the API), the view limit under 50 parallel viewers,
# a share following its file through a move and a disappearance, and
# guessing and rate limits answered 429. The film has a sidecar .srt and an
# embedded SRT track: a clip share's WebVTT is cut to the clip and shifted
# to its start (exact cue times from the SRT), listed in its master (ffmpeg
# sees it), and refused like its media before opening and after revoking.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

LIB="$WORK/films"
DB="$WORK/catalog.db"
FILM="$LIB/Pain and Glory (2019)/Pain and Glory (2019).mkv"
EXTRA="$LIB/Pain and Glory (2019)/interviews/In His Own Words.mkv"
mkdir -p "$(dirname "$EXTRA")"
# Subtitles: a sidecar (English) and an embedded track (Spanish, not
# default), each with cues before, across and after a 5-10 s clip.
mkdir -p "$(dirname "$FILM")"
cat >"${FILM%.mkv}.en.srt" <<'SRT'
1
00:00:01,000 --> 00:00:02,000
Before the clip

2
00:00:04,000 --> 00:00:06,000
Across the start

3
00:00:07,000 --> 00:00:08,500
Inside the clip

4
00:00:09,500 --> 00:00:11,000
Across the end

5
00:00:12,000 --> 00:00:13,000
After the clip
SRT
cat >"$WORK/embedded.srt" <<'SRT'
1
00:00:02,000 --> 00:00:03,000
Antes del clip

2
00:00:05,500 --> 00:00:06,500
Dentro del clip

3
00:00:10,000 --> 00:00:11,000
Justo al final
SRT
# Every frame its own picture (a gradient shifted by 37 grey levels a
# frame), so the frame a clip starts on can be told from its neighbours;
# keyframes every 2 s, so the clip's start (5.4 s) is not one.
ffmpeg -nostdin -v error -y -f lavfi -i "nullsrc=s=320x180:r=25,geq=lum='mod(X+N*37\,256)':cb=128:cr=128" \
  -f lavfi -i sine=f=440:sample_rate=48000 -i "$WORK/embedded.srt" -map 0:v -map 1:a -map 2:s \
  -t 20 -c:v libx264 -preset veryfast -g 50 -pix_fmt yuv420p -c:a aac -ac 2 \
  -c:s srt -metadata:s:s:0 language=spa -disposition:s:0 0 "$FILM"
make_clip "$EXTRA" 3
# Another film, so the root never looks empty (an empty root is offline,
# not emptied) when Pain and Glory leaves it below.
make_clip "$LIB/Other Film (2001)/Other Film (2001).mkv" 2
"$CINEMATECA" scan --db "$DB" "$LIB" >/dev/null 2>&1
FILM_ID=$(sqlite3 "$DB" "SELECT id FROM films WHERE title = 'Pain and Glory'")
EXTRA_ID=$(sqlite3 "$DB" "SELECT id FROM extras LIMIT 1")
check "the film and its extra are cataloged" test -n "$FILM_ID" -a -n "$EXTRA_ID"

# ---- the CLI ----
out=$("$CINEMATECA" share add --db "$DB" --film "$FILM_ID" --from 00:00:05.4 --to 00:00:11 \
  --title 'A <script>alert(1)</script> clip' --json)
check_eq "share add --json: exactly token, url, opens_at, closes_at" \
  "closes_at,opens_at,token,url" \
  "$(printf '%s' "$out" | python3 -c 'import json,sys; print(",".join(sorted(json.load(sys.stdin))))')"
CLIP=$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
check_eq "the url is /s/TOKEN" "/s/$CLIP" \
  "$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["url"])')"
check_eq "a 128-bit token: 22 base64url characters" 22 "${#CLIP}"
check_eq "closes_at null when not given" None \
  "$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["closes_at"])')"
out=$("$CINEMATECA" share add --db "$DB" --film "$FILM_ID" --from 00:00:01 --to 00:00:04)
check "share add prints /s/TOKEN" test "${out:0:3}" = "/s/" -a "${#out}" = 25
CLIP2=${out#/s/}
SCHED=$("$CINEMATECA" share add --db "$DB" --film "$FILM_ID" --from 00:00:05.4 --to 00:00:11 --opens +1h)
SCHED=${SCHED#/s/}
EXPIRED=$("$CINEMATECA" share add --db "$DB" --film "$FILM_ID" --opens -2h --closes -1h)
EXPIRED=${EXPIRED#/s/}
ISO=$("$CINEMATECA" share add --db "$DB" --extra "$EXTRA_ID" --opens 2031-01-21T09:00:00+01:00 --json)
check_contains "ISO 8601 with an offset, given back in UTC" '"opens_at":"2031-01-21T08:00:00Z"' "$ISO"
LIMITED=$("$CINEMATECA" share add --db "$DB" --extra "$EXTRA_ID" --views 10)
LIMITED=${LIMITED#/s/}
bad() { "$CINEMATECA" share add --db "$DB" "$@" >/dev/null 2>"$WORK/err"; echo $?; }
check_eq "a time without an offset is refused (usage)" 2 "$(bad --film "$FILM_ID" --opens 2031-01-21T09:00)"
check_contains "and says what a time is" "ISO 8601 with an offset" "$(cat "$WORK/err")"
check_eq "closing before opening is refused" 2 "$(bad --film "$FILM_ID" --opens +2h --closes +1h)"
check_eq "a clip that ends before it starts is refused" 2 "$(bad --film "$FILM_ID" --from 00:00:09 --to 00:00:03)"
check_eq "a clip past the film's end is refused" 2 "$(bad --film "$FILM_ID" --from 00:00:09 --to 00:01:00)"
check_eq "a clip of an extra is refused" 2 "$(bad --extra "$EXTRA_ID" --from 00:00:01 --to 00:00:02)"
check_eq "--from without --to is refused" 2 "$(bad --film "$FILM_ID" --from 00:00:01)"
check_eq "film and extra at once are refused" 2 "$(bad --film "$FILM_ID" --extra "$EXTRA_ID")"
check_eq "a film that does not exist: 1" 1 "$(bad --film 999)"
check_eq "a bad clock time is refused" 2 "$(bad --film "$FILM_ID" --from 1:75:00 --to 2:00:00)"
LIST=$("$CINEMATECA" share list --db "$DB" --json)
state_of() { printf '%s' "$LIST" | python3 -c 'import json,sys
for s in json.load(sys.stdin):
    if s["token"] == sys.argv[1]: print(s["state"])' "$1"; }
check_eq "list: the clip is live" live "$(state_of "$CLIP")"
check_eq "list: +1h is scheduled" scheduled "$(state_of "$SCHED")"
check_eq "list: closed an hour ago is expired" expired "$(state_of "$EXPIRED")"
check_contains "plain list shows the clip's times" "clip 00:00:05.400-00:00:11" \
  "$("$CINEMATECA" share list --db "$DB")"
REVOKED=$("$CINEMATECA" share add --db "$DB" --film "$FILM_ID" --from 00:00:05.4 --to 00:00:11)
REVOKED=${REVOKED#/s/}
SUBCLIP=$("$CINEMATECA" share add --db "$DB" --film "$FILM_ID" --from 00:00:05 --to 00:00:10)
SUBCLIP=${SUBCLIP#/s/}
WHOLE=$("$CINEMATECA" share add --db "$DB" --film "$FILM_ID" --title 'The whole film')
WHOLE=${WHOLE#/s/}

# An account: the server is no longer in local mode, so /api/v1 needs one.
printf 'a-long-password\n' | "$CINEMATECA" user add --db "$DB" --admin --password-stdin admin >/dev/null 2>&1
printf 'another-password\n' | "$CINEMATECA" user add --db "$DB" --password-stdin viewer >/dev/null 2>&1

start_server --db "$DB" --no-watch "$LIB" || { fail "server starts"; finish; exit 1; }
code() { curl -s -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' "$@"; }
info() { curl -s "$URL/s/$1/info.json"; }
hls_of() { info "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["hls"])'; }

# ---- the shares API ----
login() {
  curl -s -D - -o /dev/null -H 'Content-Type: application/json' -H "Origin: $URL" \
    -d "{\"name\":\"$1\",\"password\":\"$2\"}" "$URL/api/v1/auth/login" |
    sed -n 's/^set-cookie: cinemateca_session=\([^;]*\);.*/\1/Ip' | tr -d '\r'
}
ADMIN=(-H "Cookie: cinemateca_session=$(login admin a-long-password)" -H "Origin: $URL" -H 'Content-Type: application/json')
VIEWER=(-H "Cookie: cinemateca_session=$(login viewer another-password)" -H "Origin: $URL" -H 'Content-Type: application/json')
check_eq "API: anonymous may not list shares (401)" 401 "$(code "$URL/api/v1/shares")"
check_eq "API: a viewer may not list shares (403)" 403 "$(code "${VIEWER[@]}" "$URL/api/v1/shares")"
check_eq "API: a viewer not allowed may not share (403)" 403 \
  "$(code "${VIEWER[@]}" -d "{\"film_id\":$FILM_ID}" "$URL/api/v1/shares")"
check_eq "API: ... and is told so" False "$(code "${VIEWER[@]}" "$URL/api/v1/shares/allowed" >/dev/null; json_get "$WORK/body" 'd["may_share"]')"
VIEWER_ID=$(sqlite3 "$DB" "SELECT id FROM users WHERE name = 'viewer'")
check_eq "API: the admin allows the viewer" 200 "$(code "${ADMIN[@]}" -X PUT "$URL/api/v1/shares/grants/$VIEWER_ID")"
NO_USER=$(sqlite3 "$DB" "SELECT COALESCE(MAX(id), 0) + 1000 FROM users")
check_eq "API: a grant for no such user is 404" 404 "$(code "${ADMIN[@]}" -X PUT "$URL/api/v1/shares/grants/$NO_USER")"
check_eq "API: ... with the usual error" not_found "$(json_get "$WORK/body" 'd["error"]["code"]')"
check_eq "API: ... and nothing is written" 0 "$(sqlite3 "$DB" "SELECT COUNT(*) FROM share_grants WHERE user_id = $NO_USER")"
check_eq "API: stopping a grant for no such user is 404 as well" 404 "$(code "${ADMIN[@]}" -X DELETE "$URL/api/v1/shares/grants/$NO_USER")"
check_eq "API: the grant is listed" "[$VIEWER_ID]" "$(code "${ADMIN[@]}" "$URL/api/v1/shares/grants" >/dev/null; json_get "$WORK/body" 'd["user_ids"]')"
check_eq "API: now the viewer makes a clip share (201)" 201 \
  "$(code "${VIEWER[@]}" -d "{\"film_id\":$FILM_ID,\"from\":\"00:00:02\",\"to\":\"00:00:05\",\"title\":\"By a viewer\",\"closes_at\":\"+1h\"}" "$URL/api/v1/shares")"
API_ID=$(json_get "$WORK/body" 'd["share"]["id"]')
check_eq "API: 201 answers like share add --json, and more" "True|viewer|clip" \
  "$(json_get "$WORK/body" 'str(d["url"] == "/s/" + d["token"]) + "|" + d["share"]["created_by"]["name"] + "|" + d["share"]["kind"]')"
check_eq "API: a bad time is refused (400)" 400 \
  "$(code "${ADMIN[@]}" -d "{\"film_id\":$FILM_ID,\"opens_at\":\"tomorrow\"}" "$URL/api/v1/shares")"
check_eq "API: a cross-site POST is refused (403)" 403 \
  "$(code -H "Cookie: cinemateca_session=$(login admin a-long-password)" -H 'Origin: http://evil.example' -H 'Content-Type: application/json' -d "{\"film_id\":$FILM_ID}" "$URL/api/v1/shares")"
check_eq "API: the admin edits its times" 200 \
  "$(code "${ADMIN[@]}" -X PATCH -d '{"opens_at":"+2h","closes_at":null}' "$URL/api/v1/shares/$API_ID")"
check_eq "API: ... now scheduled, never closing" "scheduled|None" "$(json_get "$WORK/body" 'd["share"]["state"] + "|" + str(d["share"]["closes_at"])')"
check_eq "API: the viewer may not edit it (403)" 403 \
  "$(code "${VIEWER[@]}" -X PATCH -d '{"revoked":true}' "$URL/api/v1/shares/$API_ID")"
check_eq "API: the admin revokes it" revoked \
  "$(code "${ADMIN[@]}" -X PATCH -d '{"revoked":true}' "$URL/api/v1/shares/$API_ID" >/dev/null; json_get "$WORK/body" 'd["share"]["state"]')"
check_eq "API: and deletes it" 200 "$(code "${ADMIN[@]}" -X DELETE "$URL/api/v1/shares/$API_ID")"
check_eq "API: gone from the list" 0 \
  "$(code "${ADMIN[@]}" "$URL/api/v1/shares" >/dev/null; json_get "$WORK/body" "len([s for s in d['items'] if s['id'] == $API_ID])")"
check_eq "API: no such share (404)" 404 "$(code "${ADMIN[@]}" -X DELETE "$URL/api/v1/shares/$API_ID")"

# ---- pages and states ----
check_eq "live page: 200" 200 "$(code "$URL/s/$CLIP")"
PAGE=$(cat "$WORK/body")
check_contains "page: Open Graph title" '<meta property="og:title"' "$PAGE"
check_contains "page: Open Graph image (the poster) while live" "/s/$CLIP/poster.jpg\"" "$PAGE"
check_contains "page: Twitter card" '<meta name="twitter:card"' "$PAGE"
check_contains "page: the title cannot inject markup" 'A &lt;script&gt;alert(1)&lt;/script&gt; clip' "$PAGE"
check "page: no inline script" python3 -c 'import re,sys
s=open(sys.argv[1]).read()
sys.exit(1 if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", s) else 0)' "$WORK/body"
check "page: no third-party origin" python3 -c 'import re,sys
s=open(sys.argv[1]).read()
bad=[u for u in re.findall(r"(?:src|href)=\"([^\"]+)\"", s) if not u.startswith("/")]
sys.exit(1 if bad else 0)' "$WORK/body"
CSP=$(grep -i '^content-security-policy:' "$WORK/headers" | tr -d '\r')
check_contains "page: strict CSP, scripts from itself only" "script-src 'self';" "$CSP"
check_contains "page: framed by nobody" "frame-ancestors 'none'" "$CSP"
check "page: no direct-play URL of the file" test -z "$(grep -o '/api/' "$WORK/body")"
check_eq "embed page: 200" 200 "$(code "$URL/s/$CLIP/embed")"
check_contains "embed: framable by the server itself by default" "frame-ancestors 'self'" \
  "$(grep -i '^content-security-policy:' "$WORK/headers")"
check "embed: no X-Frame-Options DENY" test -z "$(grep -i '^x-frame-options' "$WORK/headers")"

INFO=$(info "$CLIP")
check_eq "info.json: exactly the contract's keys" "closes_at,film,hls,note,opens_at,poster,state,title" \
  "$(printf '%s' "$INFO" | python3 -c 'import json,sys; print(",".join(sorted(json.load(sys.stdin))))')"
check_eq "info.json: film has title, year, director" "Pain and Glory|2019|director" \
  "$(printf '%s' "$INFO" | python3 -c 'import json,sys; f=json.load(sys.stdin)["film"]; print(f["title"]+"|"+str(f["year"])+"|"+("director" if "director" in f else ""))')"
check_eq "info.json: live" live "$(printf '%s' "$INFO" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')"
SINFO=$(info "$SCHED")
check_eq "scheduled info.json: state, no hls, no poster" "scheduled|None|None" \
  "$(printf '%s' "$SINFO" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["state"]+"|"+str(d["hls"])+"|"+str(d["poster"]))')"
check_eq "scheduled page: 200 (the countdown)" 200 "$(code "$URL/s/$SCHED")"
check "scheduled page: no poster in the tags" test -z "$(grep -o 'poster.jpg' "$WORK/body")"
check_eq "scheduled poster: 404" 404 "$(code "$URL/s/$SCHED/poster.jpg")"
check_eq "expired page: 410 Gone" 410 "$(code "$URL/s/$EXPIRED")"
check_contains "410 is a plain page" "has closed" "$(cat "$WORK/body")"
check_eq "expired info.json: 410" 410 "$(code "$URL/s/$EXPIRED/info.json")"
check_eq "unknown token: 404" 404 "$(code "$URL/s/AAAAAAAAAAAAAAAAAAAAAA")"
check_eq "unknown token's info.json: 404" 404 "$(code "$URL/s/AAAAAAAAAAAAAAAAAAAAAA/info.json")"
check_eq "a share page takes GET only" 405 "$(code -X POST "$URL/s/$CLIP")"

# ---- the clip over HLS ----
H=$(hls_of "$CLIP")
check_contains "hls URL is the share's, signed" "/s/$CLIP/hls/master.m3u8?sig=" "$H"
MASTER=$(curl -s "$URL$H")
check_contains "clip master: transcoded for a frame-exact start" "a clip: transcoded" "$MASTER"
check "clip master: no /api/ URL" test -z "$(printf '%s' "$MASTER" | grep -o '/api/')"
MEDIA_URI=$(printf '%s\n' "$MASTER" | grep -v '^#' | head -1)
MEDIA=$(curl -s "$URL/s/$CLIP/hls/$MEDIA_URI")
check_contains "clip playlist: VOD, ends" "#EXT-X-ENDLIST" "$MEDIA"
TOTAL=$(printf '%s\n' "$MEDIA" | sed -n 's/^#EXTINF:\([0-9.]*\),.*/\1/p' | paste -sd+ | bc)
check "clip playlist: its segments add up to the clip (5.6 s), so scrubbing stays inside" \
  python3 -c 'import sys; sys.exit(0 if abs(float(sys.argv[1]) - 5.6) < 0.001 else 1)' "$TOTAL"
DUR=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$URL$H")
echo "# clip duration by ffprobe: $DUR s (clip 5.6 s, one frame 0.04 s)"
check "ffprobe: the clip's duration within one frame (0.04 s)" \
  python3 -c 'import sys; sys.exit(0 if abs(float(sys.argv[1]) - 5.6) <= 0.04 else 1)' "$DUR"
DECODED=$(ffmpeg -nostdin -v error -i "$URL$H" -map 0:v -f framemd5 - 2>/dev/null | grep -vc '^#')
check_eq "the clip decodes to 140 frames (5.6 s at 25 fps)" 140 "$DECODED"
ffmpeg -nostdin -v error -y -i "$URL$H" -frames:v 1 "$WORK/first.png"
psnr() { ffmpeg -nostdin -v info -i "$WORK/first.png" -i "$1" -lavfi psnr -f null - 2>&1 |
  sed -n 's/.*average:\([0-9.inf]*\).*/\1/p' | sed 's/inf/99/'; }
for t in 5.36 5.4 5.44; do
  ffmpeg -nostdin -v error -y -ss "$t" -i "$FILM" -frames:v 1 "$WORK/ref-$t.png"
done
P_BEFORE=$(psnr "$WORK/ref-5.36.png"); P_AT=$(psnr "$WORK/ref-5.4.png"); P_AFTER=$(psnr "$WORK/ref-5.44.png")
echo "# first frame PSNR against ffmpeg -ss: 5.36 s $P_BEFORE dB, 5.40 s $P_AT dB, 5.44 s $P_AFTER dB"
check "the first decoded frame is the one at the clip's start (PSNR >= 30 dB, its neighbours lower)" \
  python3 -c 'import sys; b,a,c=map(float,sys.argv[1:]); sys.exit(0 if a >= 30 and a > b + 3 and a > c + 3 else 1)' \
  "$P_BEFORE" "$P_AT" "$P_AFTER"
SEG0=$(printf '%s\n' "$MEDIA" | grep '^seg-0\.')
check_eq "a segment of the clip: 200" 200 "$(code "$URL/s/$CLIP/hls/$SEG0")"
check_eq "past the clip's last segment: 404" 404 "$(code "$URL/s/$CLIP/hls/${SEG0/seg-0./seg-9.}")"
COPY=${SEG0/o=1-tt/o=1-cc}
check_eq "a copied rendition of a clip (from its keyframe) is refused" 404 "$(code "$URL/s/$CLIP/hls/$COPY")"

# ---- signed URL misuse ----
SIG=${SEG0#*sig=}
check_eq "a segment URL without its sig: 403" 403 "$(code "$URL/s/$CLIP/hls/${SEG0%%&sig=*}")"
check_eq "a share's segment URL replayed for another share: 403" 403 "$(code "$URL/s/$CLIP2/hls/$SEG0")"
# One character of the MAC changed (to another one, whatever it was).
TAMPERED=$(printf '%s' "$SEG0" | python3 -c 'import sys
s = sys.stdin.read(); i = s.rindex(".") + 5
print(s[:i] + ("B" if s[i] == "A" else "A") + s[i + 1:])')
check_eq "a tampered sig: 403" 403 "$(code "$URL/s/$CLIP/hls/$TAMPERED")"
check_eq "a scheduled share with a live share's URLs rewritten: refused (404)" 404 \
  "$(code "$URL/s/$SCHED/hls/$SEG0")"
check_eq "... its master playlist too" 404 "$(code "$URL/s/$SCHED/hls/master.m3u8?sig=$SIG")"
check_eq "... and its poster" 404 "$(code "$URL/s/$SCHED/poster.jpg")"
FILE_ID=$(sqlite3 "$DB" "SELECT file_id FROM shares WHERE token = '$CLIP'")
check_eq "the share's sig opens nothing under /api/v1 (401)" 401 \
  "$(code "$URL/api/v1/files/$FILE_ID/hls/master.m3u8?sig=$SIG")"
check_eq "... nor the file's direct play" 401 "$(code "$URL/api/v1/files/$FILE_ID/stream?sig=$SIG")"
RH=$(hls_of "$REVOKED")
RMASTER=$(curl -s "$URL$RH")
RMEDIA_URI=$(printf '%s\n' "$RMASTER" | grep -v '^#' | head -1)
check_eq "before revoking, its playlist answers" 200 "$(code "$URL/s/$REVOKED/hls/$RMEDIA_URI")"
"$CINEMATECA" share revoke --db "$DB" "$REVOKED" >/dev/null
check_eq "a revoked share's old playlist URL: 410" 410 "$(code "$URL/s/$REVOKED/hls/$RMEDIA_URI")"
check_eq "a revoked share's old master URL: 410" 410 "$(code "$URL$RH")"
check_eq "a revoked share's page: 410" 410 "$(code "$URL/s/$REVOKED")"
check_eq "revoking an unknown token fails" 1 \
  "$("$CINEMATECA" share revoke --db "$DB" AAAAAAAAAAAAAAAAAAAAAA >/dev/null 2>&1; echo $?)"

# ---- the clip's subtitles ----
# What a 5-10 s clip's WebVTT must hold, from the SRT itself: cues cut to
# the clip and shifted to its start, on the timeline the clip counts from
# (the film's first keyframe, K seconds in: ffprobe says where).
K=$(ffprobe -v error -select_streams v -show_entries packet=pts_time -read_intervals '%+#1' \
  -of csv=p=0 "$FILM" | head -1)
echo "# the film's first keyframe: $K s"
# want_cues SRT FROM_MS TO_MS [PACKETS]: the cues as WebVTT timing lines
# and text (TO_MS 0: no clip). The times are the SRT's, or with PACKETS
# (ffprobe's "pts,duration" of an embedded track, in the SRT's order) the
# file's own: the muxer moved the embedded track with the audio's priming.
want_cues() {
  python3 - "$1" "$2" "$3" "$K" "${4:-}" <<'PY'
import re, sys
srt, frm, to, k = open(sys.argv[1]).read(), int(sys.argv[2]), int(sys.argv[3]), round(float(sys.argv[4]) * 1000)
ms = lambda t: (int(t[0:2]) * 3600 + int(t[3:5]) * 60 + int(t[6:8])) * 1000 + int(t[9:12])
vtt = lambda v: "%02d:%02d:%02d.%03d" % (v // 3600000, v // 60000 % 60, v // 1000 % 60, v % 1000)
cues = [(ms(a), ms(b), text) for a, b, text in re.findall(r"(\S+) --> (\S+)\n(.*)\n", srt)]
if sys.argv[5]:
    packets = [[round(float(x) * 1000) for x in l.split(",")] for l in sys.argv[5].split()]
    cues = [(p, p + d, text) for (p, d), (_, _, text) in zip(packets, cues)]
for a, b, text in cues:
    a, b = a - k, b - k  # the timeline counts from the first keyframe
    if to:
        if b <= frm or a >= to:
            continue
        a, b = max(a, frm) - frm, min(b, to) - frm
    print(f"{vtt(a)} --> {vtt(b)} {text}")
PY
}
got_cues() { python3 -c 'import re,sys
for a, b, text in re.findall(r"(\S+) --> (\S+)\n(.*)\n", sys.stdin.read() + "\n"): print(a, "-->", b, text)'; }
EMBEDDED_PACKETS=$(ffprobe -v error -select_streams s:0 -show_entries packet=pts_time,duration_time \
  -of csv=p=0 "$FILM")
SRT_EN="${FILM%.mkv}.en.srt"
SH=$(hls_of "$SUBCLIP")
SMASTER=$(curl -s "$URL$SH")
check_eq "clip master: a SUBTITLES group with both text tracks" 2 \
  "$(printf '%s\n' "$SMASTER" | grep -c '^#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=')"
check_contains "... the sidecar's, English" 'LANGUAGE="en"' "$SMASTER"
check_contains "... the embedded one's, Spanish" 'LANGUAGE="spa"' "$SMASTER"
check_contains "... the variant names the group" 'SUBTITLES="' "$(printf '%s\n' "$SMASTER" | grep '^#EXT-X-STREAM-INF')"
check_eq "... every subtitle URI is the share's own, signed" 0 \
  "$(printf '%s\n' "$SMASTER" | grep 'TYPE=SUBTITLES' | grep -vc 'URI="subs/[a-z0-9]*\.m3u8?sig=')"
sub_uri() { printf '%s\n' "$1" | grep 'TYPE=SUBTITLES' | grep "LANGUAGE=\"$2\"" | sed 's/.*URI="\([^"]*\)".*/\1/'; }
vtt_uri() { curl -s "$URL/s/$1/hls/$2" | grep -v '^#' | head -1; } # TOKEN PLAYLIST_URI -> x0.vtt?sig=...
EN_PL=$(sub_uri "$SMASTER" en)
EN_PLAYLIST=$(curl -s "$URL/s/$SUBCLIP/hls/$EN_PL")
check_contains "the subtitle playlist lasts the clip (5 s)" "#EXTINF:5.000000," "$EN_PLAYLIST"
EN_VTT_URI="subs/$(vtt_uri "$SUBCLIP" "$EN_PL")"
EN_VTT=$(curl -s "$URL/s/$SUBCLIP/hls/$EN_VTT_URI")
WANT=$(want_cues "$SRT_EN" 5000 10000)
echo "# the clip's English cues, as the SRT says they must be:"; printf '%s\n' "$WANT" | sed 's/^/#   /'
check_eq "sidecar VTT: the cues cut to the clip and shifted to its start, exactly" "$WANT" \
  "$(printf '%s' "$EN_VTT" | got_cues)"
check_eq "... the first cue (across the clip's start) starts at 0 and ends 1 s later (less K)" \
  "00:00:00.000 --> $(python3 -c 'import sys; v=1000-round(float(sys.argv[1])*1000); print("00:00:%02d.%03d" % (v // 1000, v % 1000))' "$K")" \
  "$(printf '%s' "$EN_VTT" | got_cues | head -1 | cut -d' ' -f1-3)"
check "... cues outside the clip are absent" test -z "$(printf '%s' "$EN_VTT" | grep -e 'Before the clip' -e 'After the clip')"
check_contains "... WebVTT, with its X-TIMESTAMP-MAP" "X-TIMESTAMP-MAP=MPEGTS:" "$EN_VTT"
ES_PL=$(sub_uri "$SMASTER" spa)
ES_VTT=$(curl -s "$URL/s/$SUBCLIP/hls/subs/$(vtt_uri "$SUBCLIP" "$ES_PL")")
check_eq "embedded track's VTT: cut and shifted the same way" \
  "$(want_cues "$WORK/embedded.srt" 5000 10000 "$EMBEDDED_PACKETS")" "$(printf '%s' "$ES_VTT" | got_cues)"
check "... with its cue inside the clip, not those before or after" \
  test -n "$(printf '%s' "$ES_VTT" | grep 'Dentro del clip')" -a -z "$(printf '%s' "$ES_VTT" | grep 'Antes del clip')"
# The whole film's share: the whole file's subtitles, the same way.
WH=$(hls_of "$WHOLE")
WMASTER=$(curl -s "$URL$WH")
check_eq "whole-film share: its master lists both subtitle tracks" 2 "$(printf '%s\n' "$WMASTER" | grep -c 'TYPE=SUBTITLES')"
W_PL=$(sub_uri "$WMASTER" en)
W_VTT=$(curl -s "$URL/s/$WHOLE/hls/subs/$(vtt_uri "$WHOLE" "$W_PL")")
check_eq "... and its VTT has every cue, on the film's timeline" "$(want_cues "$SRT_EN" 0 0)" \
  "$(printf '%s' "$W_VTT" | got_cues)"
map_of() { printf '%s' "$1" | sed -n 's/^X-TIMESTAMP-MAP=MPEGTS:\([0-9]*\),.*/\1/p'; }
check "the clip's 0 maps to the film's 5 s (MPEGTS 450000 ticks past the whole film's, $(map_of "$EN_VTT") vs $(map_of "$W_VTT"))" \
  python3 -c 'import sys; sys.exit(0 if abs(int(sys.argv[1]) - int(sys.argv[2]) - 450000) <= 1 else 1)' \
  "$(map_of "$EN_VTT")" "$(map_of "$W_VTT")"
# (ffmpeg's HLS demuxer reads subtitle renditions only when told to be
# experimental: without it, it says "Can't support the subtitle".)
STREAMS=$(ffprobe -v error -strict experimental -show_entries stream=codec_type,codec_name:stream_tags=language \
  -of csv=p=0 "$URL$SH" 2>&1)
check_contains "ffmpeg sees the clip's English subtitle stream in its master" "webvtt,subtitle,en" "$STREAMS"
check_contains "... and the Spanish one" "webvtt,subtitle,spa" "$STREAMS"
ffmpeg -nostdin -v error -strict experimental -y -i "$URL$SH" -map 0:s:m:language:en -c:s webvtt \
  -f webvtt "$WORK/ffmpeg.vtt" 2>"$WORK/ffmpeg-subs.err"
check_eq "... and reads the clip's cues from it, from the clip's start" \
  "$(want_cues "$SRT_EN" 5000 10000 | head -1 | sed 's/^00://; s/--> 00:/--> /')" \
  "$(got_cues <"$WORK/ffmpeg.vtt" | head -1)"
check_eq "a picture or unknown track key: 404" 404 "$(code "$URL/s/$SUBCLIP/hls/${EN_VTT_URI/x0.vtt/s9.vtt}")"
# Signed for this share only.
TAMPERED=$(printf '%s' "$EN_VTT_URI" | python3 -c 'import sys
s = sys.stdin.read(); i = s.rindex(".") + 5
print(s[:i] + ("B" if s[i] == "A" else "A") + s[i + 1:])')
check_eq "a subtitle URL with a tampered sig: 403" 403 "$(code "$URL/s/$SUBCLIP/hls/$TAMPERED")"
check_eq "a share's subtitle URL replayed for another share: 403" 403 "$(code "$URL/s/$CLIP2/hls/$EN_VTT_URI")"
# Before opening: 404, signed or guessed.
check_eq "a scheduled share with a live share's subtitle playlist URL: 404" 404 "$(code "$URL/s/$SCHED/hls/$EN_PL")"
check_eq "... its WebVTT URL: 404" 404 "$(code "$URL/s/$SCHED/hls/$EN_VTT_URI")"
check_eq "... a guessed one without a sig: 404" 404 "$(code "$URL/s/$SCHED/hls/subs/x0.vtt")"
# After closing or revoking: 410.
check_eq "a closed share's subtitle URL: 410" 410 "$(code "$URL/s/$EXPIRED/hls/$EN_VTT_URI")"
SUBREV=$("$CINEMATECA" share add --db "$DB" --film "$FILM_ID" --from 00:00:05 --to 00:00:10)
SUBREV=${SUBREV#/s/}
RSMASTER=$(curl -s "$URL$(hls_of "$SUBREV")")
R_PL=$(sub_uri "$RSMASTER" en)
R_VTT="subs/$(vtt_uri "$SUBREV" "$R_PL")"
check_eq "before revoking, its subtitles answer" 200 "$(code "$URL/s/$SUBREV/hls/$R_VTT")"
"$CINEMATECA" share revoke --db "$DB" "$SUBREV" >/dev/null
check_eq "a revoked share's subtitle playlist: 410" 410 "$(code "$URL/s/$SUBREV/hls/$R_PL")"
check_eq "... its WebVTT: 410" 410 "$(code "$URL/s/$SUBREV/hls/$R_VTT")"
check_eq "... a guessed one: 410" 410 "$(code "$URL/s/$SUBREV/hls/subs/s2.vtt")"

# ---- views ----
for i in 1 2 3; do curl -s -o /dev/null "$URL/s/$CLIP2/info.json"; done
curl -s -o /dev/null "$URL$(hls_of "$CLIP2")"
check_eq "a view per viewer session (info.json), not per playlist or segment" 4 \
  "$(sqlite3 "$DB" "SELECT views FROM shares WHERE token = '$CLIP2'")"
seq 1 50 | xargs -P 50 -I{} curl -s -o /dev/null -w '%{http_code}\n' "$URL/s/$LIMITED/info.json" \
  >"$WORK/limited"
check_eq "view limit 10 under 50 parallel viewers: 10 get the film" 10 "$(grep -c '^200$' "$WORK/limited")"
check_eq "... the other 40 are told it closed (410)" 40 "$(grep -c '^410$' "$WORK/limited")"
check_eq "... and the catalog counted exactly 10" 10 \
  "$(sqlite3 "$DB" "SELECT views || '/' || (SELECT count(*) FROM share_views v WHERE v.share_id = s.id) FROM shares s WHERE token = '$LIMITED'" | cut -d/ -f1)"

# ---- a short share closes ----
# (20 s: time enough for a slow, sanitized CLI and server under load.)
SHORT=$("$CINEMATECA" share add --db "$DB" --extra "$EXTRA_ID" --opens now --closes +20s --title Short)
SHORT=${SHORT#/s/}
SH=$(hls_of "$SHORT")
check_contains "a short share is live, with its media URL" "/s/$SHORT/hls/master.m3u8?sig=" "$SH"
wait_closed() { [ "$(code "$URL/s/$SHORT")" = 410 ]; }
check "after its closing time it answers 410" wait_until 40 wait_closed
check_eq "... and its media URLs too" 410 "$(code "$URL$SH")"

# ---- the share follows its file ----
mkdir -p "$LIB/Moved"
mv "$LIB/Pain and Glory (2019)" "$LIB/Moved/"
"$CINEMATECA" scan --db "$DB" "$LIB" >/dev/null 2>&1
check_eq "after a move and a rescan the clip is still live" live \
  "$(info "$CLIP" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')"
check "... and still plays" ffprobe -v error "$URL$(hls_of "$CLIP")"
mv "$LIB/Moved/Pain and Glory (2019)" "$WORK/away"
"$CINEMATECA" scan --db "$DB" "$LIB" >/dev/null 2>&1
check_eq "a share whose file is gone: no media" "closed|None" \
  "$(info "$CLIP" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["state"]+"|"+str(d["hls"]))')"
check_contains "... its page says it is no longer available" "no longer available" "$(curl -s "$URL/s/$CLIP")"
check_contains "... and so does the list" "no longer available" "$("$CINEMATECA" share list --db "$DB")"
mv "$WORK/away" "$LIB/Pain and Glory (2019)"
"$CINEMATECA" scan --db "$DB" "$LIB" >/dev/null 2>&1
check_eq "the file back: the share is live again" live \
  "$(info "$CLIP" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')"

# Timing, shown not asserted: a known token's page and an unknown one's.
t_known=$(for i in $(seq 1 9); do curl -s -o /dev/null -w '%{time_total}\n' "$URL/s/$EXPIRED"; done | sort -n | sed -n 5p)
t_unknown=$(for i in $(seq 1 9); do curl -s -o /dev/null -w '%{time_total}\n' "$URL/s/BBBBBBBBBBBBBBBBBBBBB$i"; done | sort -n | sed -n 5p)
echo "# median time: a known token's 410 ${t_known} s, an unknown token's 404 ${t_unknown} s"

# ---- guessing: unknown tokens lock the address out ----
# One curl for all 40 (one connection, back to back): the first lock
# after the free guesses lasts a second, and 40 curl processes started one
# by one on a busy machine (CI, ASan) could take longer than that, so the
# real share asked after them found the lock already over.
guesses=()
for i in $(seq 1 40); do guesses+=("$URL/s/guess$(printf '%017d' "$i")"); done
curl -s -o /dev/null "${guesses[@]}"
check_eq "after 40 guesses the address is refused (429)" 429 "$(code "$URL/s/$CLIP")"
check "... with Retry-After" grep -qi '^retry-after:' "$WORK/headers"
stop_server

# ---- the rate limit per address ----
CINEMATECA_SHARE_RATE=30 start_server --db "$DB" --no-watch \
  --share-embed "http://127.0.0.1:1 'self'" "$LIB" || { fail "server starts again"; finish; exit 1; }
check_contains "--share-embed widens frame-ancestors" "frame-ancestors http://127.0.0.1:1 'self'" \
  "$(curl -s -D - -o /dev/null "$URL/s/$CLIP/embed" | grep -i '^content-security-policy')"
# 70 requests: whether or not they straddle a minute's turn, at most 60 get
# through (30 a minute), so at least 10 are refused.
for i in $(seq 1 70); do curl -s -o /dev/null -w '%{http_code}\n' "$URL/s/$CLIP"; done >"$WORK/rate"
check "30 requests a minute, then 429 ($(grep -c '^200$' "$WORK/rate") got through)" \
  test "$(grep -c '^429$' "$WORK/rate")" -ge 10 -a "$(grep -c '^200$' "$WORK/rate")" -le 60
stop_server

finish
