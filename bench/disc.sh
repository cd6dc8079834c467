#!/usr/bin/env bash
# First segment of a disc title over HLS: a Blu-ray folder (a 1280x720 H.264
# film with AC-3 audio, 190 s: FFmpeg's bluray: input needs a title of 180 s)
# and a DVD image (MPEG-2, 60 s), played fresh
# (no index, no cached segment) through cinemateca, side by side with
# FFmpeg's own bluray: input writing HLS with -c copy, started fresh.
# cinemateca's time: from the master playlist request to the first media
# segment's last byte (master, media playlist, init, seg-0), cold each run
# (a new catalog cache and server). ffmpeg's: from start until its first
# segment file exists. Prints medians of N runs.
# Usage: bench/disc.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null
BIN="$PWD/build/src/cli/cinemateca"
RUNS="${1:-5}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/cinemateca-bench.XXXXXX")"
SPID=""
cleanup() { [ -n "$SPID" ] && kill "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

LIB="$WORK/lib"
mkdir -p "$LIB"
ffmpeg -nostdin -v error -y -f lavfi -i "testsrc2=size=1280x720:rate=24" \
  -f lavfi -i "sine=frequency=440:sample_rate=48000" -t 190 -c:v libx264 -preset veryfast \
  -g 48 -pix_fmt yuv420p -c:a ac3 -b:a 192k -f mpegts -mpegts_m2ts_mode 1 "$WORK/film.m2ts"
python3 tests/integration/bdmv_writer.py "$LIB/First Bench (2020)" \
  --clip 00001="$WORK/film.m2ts" --playlist 00800=00001@0,60 --name "Bench"
ffmpeg -nostdin -v error -y -f lavfi -i "testsrc=size=720x576:rate=25" \
  -f lavfi -i "sine=frequency=440:sample_rate=48000" -t 60 -target pal-dvd "$WORK/main.mpg"
cat > "$WORK/dvd.xml" <<EOF
<dvdauthor dest="$WORK/dvd"><vmgm /><titleset><titles>
<pgc><vob file="$WORK/main.mpg" chapters="0,0:30" /></pgc></titles></titleset></dvdauthor>
EOF
VIDEO_FORMAT=PAL dvdauthor -x "$WORK/dvd.xml" >/dev/null 2>&1
genisoimage -quiet -dvd-video -udf -V BENCH -o "$LIB/Second Bench (2020).iso" "$WORK/dvd"
"$BIN" scan --db "$WORK/c.db" "$LIB" >/dev/null

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
file_of() { # TITLE: the film's main file id
  local id
  id=$("$BIN" films --db "$WORK/c.db" | grep -F "$1" | awk '{print $1}')
  "$BIN" film --db "$WORK/c.db" "$id" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["files"][0]["id"])'
}
BD_FILE=$(file_of "First Bench")
DVD_FILE=$(file_of "Second Bench")

first_segment() { # FILE_ID: seconds from master to seg-0, on a fresh server
  rm -rf "$WORK/c.db.cache"
  sqlite3 "$WORK/c.db" "DELETE FROM keyframes" 2>/dev/null || true
  local out="$WORK/serve.out"
  "$BIN" serve --db "$WORK/c.db" --listen 127.0.0.1:0 --no-watch >"$out" 2>/dev/null &
  SPID=$!
  local url=""
  for _ in $(seq 1 200); do
    url=$(sed -n 's|^cinemateca: serving \(http://[^ ]*\)/$|\1|p' "$out")
    [ -n "$url" ] && break
    sleep 0.05
  done
  local base="$url/api/v1/files/$1/hls" t0 media rendition
  t0=$(now)
  media=$(curl -s "$base/master.m3u8" | grep -m1 '^media')
  rendition="${media#*o=}"
  # 503 while the index is made: ask again, as players do.
  until curl -sf -o /dev/null "$base/$media"; do sleep 0.05; done
  until curl -sf -o /dev/null "$base/init.mp4?o=$rendition"; do sleep 0.05; done
  until curl -sf -o /dev/null "$base/seg-0.m4s?o=$rendition"; do sleep 0.05; done
  echo "$(now) - $t0" | bc
  kill "$SPID"; wait "$SPID" 2>/dev/null || true
  SPID=""
}

ffmpeg_first() { # SOURCE: seconds until ffmpeg -c copy -f hls writes its first segment
  local dir="$WORK/ff"
  rm -rf "$dir"; mkdir -p "$dir"
  local t0
  t0=$(now)
  # FFmpeg's bluray: input refuses a disc without a title of 180 s or more.
  ffmpeg -nostdin -v error -playlist 800 -i "$1" -map 0:v:0 -map 0:a:0 -c copy -f hls -hls_time 4 \
    -hls_segment_filename "$dir/s%d.ts" "$dir/p.m3u8" &
  local fp=$!
  until [ -s "$dir/s1.ts" ] || ! kill -0 "$fp" 2>/dev/null; do sleep 0.01; done
  # s1 appears when s0 is complete.
  local t
  t=$(echo "$(now) - $t0" | bc)
  kill "$fp" 2>/dev/null; wait "$fp" 2>/dev/null || true
  echo "$t"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
for run in $(seq 1 "$RUNS"); do first_segment "$BD_FILE"; done | median | xargs printf 'cinemateca, Blu-ray folder title (remux), first segment: median %.3f s\n'
for run in $(seq 1 "$RUNS"); do ffmpeg_first "bluray:$LIB/First Bench (2020)"; done | median | xargs printf 'ffmpeg -i bluray: -c copy -f hls, first segment:        median %.3f s\n'
for run in $(seq 1 "$RUNS"); do first_segment "$DVD_FILE"; done | median | xargs printf 'cinemateca, DVD image title (transcode), first segment: median %.3f s\n'
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
