#!/usr/bin/env bash
# Integration: the streaming paths against hostile media. A real server on
# 127.0.0.1 serves a library of damaged and absurd files (see
# make_hostile_media); for every cataloged file it is asked for the file
# itself (ranges too), its HLS master and media playlists, the init
# segment, the first and a middle segment, and an embedded subtitle. Every
# answer must be a proper HTTP answer within a time bound (errors as JSON),
# the server must stay up, and the good film beside them must still play
# end to end through HLS.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

LIB="$WORK/lib"
DB="$WORK/c.db"
make_clip "$WORK/good.mkv" 4
make_clip "$WORK/good.mp4" 2
mkdir -p "$LIB/Good (2000)"
cp "$WORK/good.mkv" "$LIB/Good (2000)/Good (2000).mkv"
make_hostile_media "$WORK/good.mkv" "$WORK/good.mp4" "$LIB/hostile"

start_server --db "$DB" "$LIB" || { fail "server started"; finish; exit 1; }
idle() { curl -sf "$URL/api/v1/status" | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if d["scan"]["state"]=="idle" and d["scan"]["scans"]>=1 else 1)'; }
check "the server's first scan finishes" wait_until 240 idle

# get PATH [curl options]: prints the status code; the body goes to $WORK/body.
get() {
  local path="$1"; shift
  curl -s --max-time 60 -o "$WORK/body" -w '%{http_code}' "$@" "$URL$path"
}
# An error answer carries {"error":{"code":..,"message":..}}.
json_error() {
  python3 -c 'import json,sys; e=json.load(open(sys.argv[1]))["error"]; sys.exit(0 if e["code"] and e["message"] else 1)' "$WORK/body" 2>/dev/null
}

ids=$(sqlite3 "$DB" "SELECT id FROM files ORDER BY id")
n=0 bad=0 slow=0 unclear=0
for id in $ids; do
  name=$(sqlite3 "$DB" "SELECT path FROM files WHERE id = $id" | sed 's|.*/||')
  for req in "/api/v1/files/$id/stream|-r 0-1023" "/api/v1/files/$id/stream|-r -4096" \
             "/api/v1/files/$id/stream|-I" "/api/v1/files/$id/hls/master.m3u8|" \
             "/api/v1/files/$id/hls/master.m3u8?caps=h264,aac,hevc,vp9,av1,opus,ac3|"; do
    path="${req%%|*}" opt="${req#*|}"
    start=$(date +%s)
    # shellcheck disable=SC2086
    code=$(get "$path" $opt)
    n=$((n + 1))
    [ $(( $(date +%s) - start )) -lt 60 ] || { slow=$((slow + 1)); echo "slow: $name $path"; }
    case "$code" in
      200|206|304|416) ;;
      4??|5??) json_error || [ "$opt" = -I ] || { unclear=$((unclear + 1)); echo "no JSON error: $name $path $code"; } ;;
      *) bad=$((bad + 1)); echo "no answer: $name $path ($code)" ;;
    esac
    # Follow a playlist into its media playlist and segments.
    if [ "$code" = 200 ] && [[ "$path" == */master.m3u8* ]]; then
      media=$(grep -m1 '^media.m3u8' "$WORK/body")
      sub=$(grep -o 'subs/[a-z0-9]*\.m3u8' "$WORK/body" | head -1)
      [ -n "$media" ] || continue
      code=$(get "/api/v1/files/$id/hls/$media"); n=$((n + 1))
      [ "$code" = 200 ] || { json_error || { unclear=$((unclear + 1)); echo "no JSON error: $name $media $code"; }; continue; }
      o="${media#*\?}"
      segs=$(grep -c '^seg-' "$WORK/body")
      for part in "init.mp4?$o" "seg-0.m4s?$o" "seg-$((segs / 2)).m4s?$o" "seg-$((segs + 5)).m4s?$o" ${sub:+"$sub"}; do
        code=$(get "/api/v1/files/$id/hls/$part"); n=$((n + 1))
        case "$code" in
          200) ;;
          4??|5??) json_error || { unclear=$((unclear + 1)); echo "no JSON error: $name $part $code"; } ;;
          *) bad=$((bad + 1)); echo "no answer: $name $part ($code)" ;;
        esac
      done
    fi
  done
  curl -sf --max-time 10 -o /dev/null "$URL/api/v1/status" || { bad=$((bad + 1)); echo "server down after $name"; break; }
done
echo "$n requests over $(echo "$ids" | wc -w) files"
check_eq "every request answered with a proper status" 0 "$bad"
check_eq "every error answer is JSON with a code and a message" 0 "$unclear"
check_eq "every answer within 60 s" 0 "$slow"
check "the server is still up" curl -sf --max-time 10 -o /dev/null "$URL/api/v1/status"

good=$(sqlite3 "$DB" "SELECT id FROM files WHERE path LIKE '%/Good (2000).mkv'")
check "the good film still plays end to end through HLS" \
  ffmpeg -nostdin -v error -xerror -i "$URL/api/v1/files/$good/hls/master.m3u8" -f null -
check_eq "no sanitizer report in the server's log" 0 "$(grep -c 'Sanitizer' "$SERVER_LOG")"
stop_server; rc=$?
check_eq "SIGTERM exits 0" 0 "$rc"
finish
