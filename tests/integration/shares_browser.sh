#!/usr/bin/env bash
# Integration: shares in Chromium (tests/e2e/share.mjs): a clip share made
# from the film page, played from a fresh context and from an iframe on
# another origin, with the film's subtitle offered and shown cut to the clip;
# a scheduled share's countdown and refusals (subtitle URLs too); 410 once a
# share closes. Screenshots in $SHOTS (kept when KEEP_WORK is set).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
SHOTS="${SHOTS:-$WORK/shots}"
need_browser hls.js/dist/hls.min.js

LIB="$WORK/films"
DB="$WORK/catalog.db"
mkdir -p "$LIB/Pain and Glory (2019)"
ffmpeg -nostdin -v error -y -f lavfi -i testsrc=size=320x180:rate=25 \
  -f lavfi -i sine=f=440:sample_rate=48000 -t 20 -c:v libx264 -preset veryfast -g 50 \
  -pix_fmt yuv420p -c:a aac -ac 2 "$LIB/Pain and Glory (2019)/Pain and Glory (2019).mkv"
# A sidecar subtitle: one cue from 5 s to 12 s (the clip made below is 5.4-11 s).
printf '1\n00:00:05,000 --> 00:00:12,000\nA line of the film\n' \
  >"$LIB/Pain and Glory (2019)/Pain and Glory (2019).en.srt"
"$CINEMATECA" scan --db "$DB" "$LIB" >/dev/null 2>&1
FILM=$(sqlite3 "$DB" "SELECT id FROM films LIMIT 1")
SCHED=$("$CINEMATECA" share add --db "$DB" --film "$FILM" --from 00:00:02 --to 00:00:08 --opens +1h)
SHORT=$("$CINEMATECA" share add --db "$DB" --film "$FILM" --closes +25s)
# Another local origin, a blog embedding the share: a static page whose
# script frames the URL in its query (python's file server on loopback).
mkdir -p "$WORK/blog"
cat >"$WORK/blog/host.html" <<'HTML'
<!doctype html><title>A blog</title><h1>A blog post</h1><script src="host.js"></script>
HTML
cat >"$WORK/blog/host.js" <<'JS'
const f = document.createElement('iframe');
f.src = new URLSearchParams(location.search).get('src');
f.width = 640; f.height = 360; f.allow = 'fullscreen';
document.body.append(f);
JS
(cd "$WORK/blog" && exec python3 -u -m http.server --bind 127.0.0.1 0 >"$WORK/blog.out" 2>&1) &
BLOG_PID=$!
PIDS+=("$BLOG_PID")
blog_up() { grep -q 'port [0-9]' "$WORK/blog.out"; }
wait_until 20 blog_up || { fail "the blog server starts"; finish; exit 1; }
BLOG="http://127.0.0.1:$(sed -n 's/.* port \([0-9]*\).*/\1/p' "$WORK/blog.out" | head -1)"
start_server --db "$DB" --web "$ROOT/web" --no-watch --share-embed "$BLOG" "$LIB" ||
  { fail "server starts"; finish; exit 1; }
run_e2e 300 share.mjs "$URL" "$FILM" "${SCHED#/s/}" "${SHORT#/s/}" "$SHOTS" "$BLOG"
stop_server
kill "$BLOG_PID" 2>/dev/null
finish
