#!/usr/bin/env bash
# HLS benchmark, side by side in one run on a generated 1080p H.264/AAC MKV:
#   time to the first playable segment and to a segment in the middle (a
#   seek) for cinemateca's in-process remux vs `ffmpeg -c copy -f hls`
#   started fresh (what the peers run per playback and per seek); the same
#   for a transcode to 720p H.264 vs `ffmpeg -c:v libx264 -preset veryfast
#   -f hls`; and transcode speed (x realtime) of both.
#
# `bench/hls.sh first [minutes]` measures instead the first playback of a
# never-played long film (default 120 min of 1080p25 at a low bit rate)
# whose keyframe index is already built (by an earlier server run, as the
# background pass would): time to the master playlist and to the first
# segment, then a seek to the middle against `ffmpeg -ss ... -c copy -f hls`
# started fresh, and what a master-playlist request opens (strace).
# Usage: bench/hls.sh [seconds]   (default 150 s of 1080p25)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f build/build.ninja ] || meson setup build >/dev/null
[ -n "${CINEMATECA:-}" ] || ninja -C build >/dev/null
BIN="${CINEMATECA:-$PWD/build/src/cli/cinemateca}"
MODE=full
if [ "${1:-}" = first ]; then
  MODE=first
  shift
fi
SECONDS_LONG="${1:-150}"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/cinemateca-bench.XXXXXX")"
SERVER_PID=""
FF_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  [ -n "$FF_PID" ] && kill "$FF_PID" 2>/dev/null && wait "$FF_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

now() { date +%s.%N; }
median() { python3 -c 'import statistics,sys; print(round(statistics.median(map(float, sys.argv[1:]))))' "$@"; }
# CPU seconds (user + system, all threads) a process has used so far.
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
# CPU nanoseconds a process's threads (those alive now) have run so far.
cpu_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{s += $1} END {printf "%d", s}'; }
ms() { python3 -c 'import sys; print(round((float(sys.argv[2]) - float(sys.argv[1])) * 1000))' "$1" "$2"; }

echo "machine: $(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
echo "ffmpeg: $(ffmpeg -version | head -1 | cut -d' ' -f3)"
echo "load average at start: $(load) (the machine is shared; wall times stretch with it, CPU times less)"

if [ "$MODE" = first ]; then
  MINUTES="${1:-120}"
  FILM="$WORK/films/Long Film (2024)/Long Film (2024).mkv"
  mkdir -p "$(dirname "$FILM")"
  t0=$(now)
  # One minute of 1080p25 at 300 kb/s, copied end to end: a long film made
  # in seconds, with a keyframe every 2 s and its Matroska cues.
  ffmpeg -nostdin -v error -y -f lavfi -i "testsrc2=size=1920x1080:rate=25" \
    -f lavfi -i "sine=frequency=440:sample_rate=48000" -t 60 \
    -c:v libx264 -preset ultrafast -b:v 300k -g 50 -pix_fmt yuv420p -c:a aac -b:a 32k -ac 1 \
    "$WORK/minute.mkv"
  for _ in $(seq 1 "$MINUTES"); do echo "file '$WORK/minute.mkv'"; done >"$WORK/list.txt"
  ffmpeg -nostdin -v error -y -f concat -safe 0 -i "$WORK/list.txt" -c copy "$FILM"
  echo "source: $MINUTES min 1080p25 H.264/AAC MKV at ~330 kb/s, keyframe every 2 s, $(( $(stat -c %s "$FILM") / 1048576 )) MiB (made in $(ms "$t0" "$(now)") ms)"
  DB="$WORK/catalog.db"
  serve() {
    "$BIN" serve --db "$DB" --listen 127.0.0.1:0 --web "$WORK/none" "$WORK/films" >"$WORK/serve.out" 2>"$WORK/serve.err" &
    SERVER_PID=$!
    URL=""
    for _ in $(seq 1 600); do
      URL=$(sed -n 's|^cinemateca: serving \(http://[^ ]*\)/$|\1|p' "$WORK/serve.out")
      [ -n "$URL" ] && break
      sleep 0.05
    done
    [ -n "$URL" ] || { cat "$WORK/serve.err"; exit 1; }
    for _ in $(seq 1 600); do
      curl -s "$URL/api/v1/films" | grep -q '"total":1' && break
      sleep 0.1
    done
  }
  serve
  FILMID=$(curl -s "$URL/api/v1/films" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
  FILE=$(curl -s "$URL/api/v1/films/$FILMID" | python3 -c 'import json,sys; print(json.load(sys.stdin)["files"][0]["id"])')
  # The index, built once (what the background pass does after a scan).
  t0=$(now)
  curl -s -o /dev/null --max-time 600 "$URL/api/v1/files/$FILE/hls/media.m3u8?o=1-cc"
  echo "keyframe index built (background, once): $(ms "$t0" "$(now)") ms"
  # The rendition a browser gets (the master names it): the same on the
  # fresh server below, so its first playback can be one connection.
  VAR=$(curl -s "$URL/api/v1/files/$FILE/hls/master.m3u8" | grep -v '^#' | head -1 | sed 's/.*o=//')
  # The background pass also makes the trickplay sheets; wait for them so
  # that the fresh server below has no background work left to compete with
  # the requests being timed (it only finds the sheets already made).
  t0=$(now)
  for _ in $(seq 1 3000); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/api/v1/files/$FILE/trickplay.json")" = 200 ] && break
    sleep 0.2
  done
  echo "trickplay sheets made (background, once): $(ms "$t0" "$(now)") ms"
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
  # A fresh server: nothing of this film in memory, no segment cached.
  serve
  H="$URL/api/v1/files/$FILE/hls"
  # As a player plays it: one client on one kept-alive connection asks
  # for the master, the media playlist, the init segment and segment 0 in
  # turn; curl's own clock for each (the request's time at the server and
  # on the wire, not the start of a client process). The server's CPU
  # time over the four: every thread's, from /proc.
  c0=$(cpu_ns "$SERVER_PID")
  t0=$(now)
  TIMES=$(curl -s -w '%{time_total}\n' -o /dev/null "$H/master.m3u8" -o "$WORK/media.m3u8" \
    "$H/media.m3u8?o=$VAR" -o /dev/null "$H/init.mp4?o=$VAR" -o /dev/null "$H/seg-0.m4s?o=$VAR")
  t_first=$(now)
  c1=$(cpu_ns "$SERVER_PID")
  read -r r_master r_media r_init r_seg <<<"$(printf '%s\n' "$TIMES" | python3 -c 'import sys; print(*(round(float(l) * 1000, 1) for l in sys.stdin if l.strip()))')"
  echo
  echo "== first playback, never played, index built ($VAR)"
  echo "one connection: master $r_master ms; media playlist $r_media ms; init $r_init ms; first segment $r_seg ms"
  echo "master + media playlist + init + first segment: $(python3 -c "print(round($r_master + $r_media + $r_init + $r_seg, 1))") ms (curl's clock); $(ms "$t0" "$t_first") ms with the start of the curl process; server CPU $(( (c1 - c0) / 1000000 )) ms"
  NSEG=$(grep -c '^seg-' "$WORK/media.m3u8")
  # The same four the way this script timed them before 2026-11-30 13:00:
  # one curl process per request, the clock around each process (its
  # start, ~30 ms of a quiet machine, counted in). On a second fresh
  # server, for comparison with the earlier figures.
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
  serve
  H="$URL/api/v1/files/$FILE/hls"
  t0=$(now)
  curl -s -o /dev/null "$H/master.m3u8"
  t_master=$(now)
  curl -s -o /dev/null "$H/media.m3u8?o=$VAR"
  t_media=$(now)
  curl -s -o /dev/null "$H/init.mp4?o=$VAR"
  t_init=$(now)
  curl -s -o /dev/null "$H/seg-0.m4s?o=$VAR"
  t_first=$(now)
  echo "a curl process per request (as before): master $(ms "$t0" "$t_master") ms; media playlist $(ms "$t_master" "$t_media") ms; init $(ms "$t_media" "$t_init") ms; first segment $(ms "$t_init" "$t_first") ms; all four $(ms "$t0" "$t_first") ms"
  SEEKS=() SEEKP=()
  c0=$(cpu_ns "$SERVER_PID")
  for n in $(( NSEG / 2 )) $(( NSEG / 2 + 7 )) $(( NSEG / 2 - 9 )) $(( NSEG / 3 )) $(( NSEG * 2 / 3 )); do
    t0=$(now)
    took=$(curl -s -o /dev/null -w '%{time_total}' "$H/seg-$n.m4s?o=$VAR")
    t1=$(now)
    SEEKS+=("$(python3 -c 'import sys; print(round(float(sys.argv[1]) * 1000))' "$took")")
    SEEKP+=("$(ms "$t0" "$t1")")
  done
  c1=$(cpu_ns "$SERVER_PID")
  echo "seek to the middle (a segment never cut before; 5 places): median $(median "${SEEKS[@]}") ms (${SEEKS[*]}; curl's clock); with the curl process: median $(median "${SEEKP[@]}") ms (${SEEKP[*]}); server CPU $(( (c1 - c0) / 5000000 )) ms a seek"
  MID_T=$(( MINUTES * 30 ))
  MIDS=()
  for i in 1 2 3; do
    d="$WORK/ffseek.$i"; mkdir -p "$d"
    t0=$(now)
    ffmpeg -nostdin -v error -y -ss "$MID_T" -i "$FILM" -map 0 -c copy -f hls -hls_time 6 \
      -hls_playlist_type event -hls_segment_filename "$d/seg-%d.ts" "$d/out.m3u8" &
    FF_PID=$!
    while ! grep -q '^seg-' "$d/out.m3u8" 2>/dev/null; do
      kill -0 "$FF_PID" 2>/dev/null || break
      sleep 0.005
    done
    MIDS+=("$(ms "$t0" "$(now)")")
    kill "$FF_PID" 2>/dev/null || true; wait "$FF_PID" 2>/dev/null || true
    FF_PID=""
  done
  echo "ffmpeg -ss $MID_T -c copy -f hls started fresh, to its first playlist: median $(median "${MIDS[@]}") ms (${MIDS[*]})"
  echo "ratio (ffmpeg / cinemateca, medians): $(python3 -c "print(round($(median "${MIDS[@]}") / max($(median "${SEEKS[@]}"), 1), 1))")x on curl's clock; $(python3 -c "print(round($(median "${MIDS[@]}") / max($(median "${SEEKP[@]}"), 1), 1))")x with the curl process"
  if command -v strace >/dev/null; then
    strace -f -qq -e trace=openat -p "$SERVER_PID" -o "$WORK/strace.txt" &
    ST=$!
    sleep 1
    curl -s -o /dev/null "$H/master.m3u8?caps=h264,aac,ac3"
    curl -s -o /dev/null "$H/master.m3u8"
    sleep 0.3
    kill "$ST"; wait "$ST" 2>/dev/null || true
    echo "openat calls of the server during two master-playlist requests:"
    grep -v 'resumed\|exited' "$WORK/strace.txt" | sed 's/^[0-9]* */  /' || true
  fi
  echo "load average at the end: $(load)"
  exit 0
fi

FILM="$WORK/films/Bench Film (2024)/Bench Film (2024).mkv"
mkdir -p "$(dirname "$FILM")"
t0=$(now)
ffmpeg -nostdin -v error -y -f lavfi -i "testsrc2=size=1920x1080:rate=25" \
  -f lavfi -i "sine=frequency=440:sample_rate=48000" -t "$SECONDS_LONG" \
  -c:v libx264 -preset ultrafast -crf 23 -g 50 -pix_fmt yuv420p -c:a aac -b:a 160k -ac 2 "$FILM"
echo "source: ${SECONDS_LONG} s 1080p25 H.264/AAC MKV, keyframe every 2 s, $(( $(stat -c %s "$FILM") / 1048576 )) MiB (made in $(ms "$t0" "$(now)") ms)"
MID_T=$(( SECONDS_LONG / 2 ))

# ---- cinemateca ----
DB="$WORK/catalog.db"
"$BIN" serve --db "$DB" --listen 127.0.0.1:0 --web "$WORK/none" "$WORK/films" >"$WORK/serve.out" 2>"$WORK/serve.err" &
SERVER_PID=$!
URL=""
for _ in $(seq 1 600); do
  URL=$(sed -n 's|^cinemateca: serving \(http://[^ ]*\)/$|\1|p' "$WORK/serve.out")
  [ -n "$URL" ] && break
  sleep 0.05
done
[ -n "$URL" ] || { cat "$WORK/serve.err"; exit 1; }
for _ in $(seq 1 600); do
  curl -s "$URL/api/v1/films" | grep -q '"total":1' && break
  sleep 0.1
done
FILMID=$(curl -s "$URL/api/v1/films" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
FILE=$(curl -s "$URL/api/v1/films/$FILMID" | python3 -c 'import json,sys; print(json.load(sys.stdin)["files"][0]["id"])')
H="$URL/api/v1/files/$FILE/hls"

# get PATH: prints milliseconds for one GET (body discarded); fails on non-200.
get() {
  local out
  out=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' "$H/$1")
  [ "${out%% *}" = 200 ] || { echo "GET $1: ${out%% *}" >&2; return 1; }
  python3 -c 'import sys; print(round(float(sys.argv[1]) * 1000))' "${out#* }"
}

echo
echo "== remux (copy), cinemateca in-process"
m_master=$(get "master.m3u8")   # first request of the film: probe + keyframe index scan
VAR=$(curl -s "$H/master.m3u8" | grep -v '^#' | head -1 | sed 's/.*o=//')
m_media=$(get "media.m3u8?o=$VAR")
NSEG=$(curl -s "$H/media.m3u8?o=$VAR" | grep -c '^seg-')
MIDSEG=$(( NSEG / 2 ))
m_init=$(get "init.mp4?o=$VAR")
m_seg0=$(get "seg-0.m4s?o=$VAR")
SEEKS=()
for n in $MIDSEG $(( NSEG / 4 )) $(( NSEG * 3 / 4 )) $(( MIDSEG + 2 )) 3; do
  SEEKS+=("$(get "seg-$n.m4s?o=$VAR")")
done
echo "master.m3u8, cold (probe + keyframe index of the whole file): $m_master ms"
echo "media.m3u8: $m_media ms ($NSEG segments)"
echo "first playable segment (init + seg-0): $(( m_init + m_seg0 )) ms"
echo "first playable from nothing (master + media + init + seg-0): $(( m_master + m_media + m_init + m_seg0 )) ms"
echo "seek (5 segments anywhere, copies are never cached): median $(median "${SEEKS[@]}") ms (${SEEKS[*]})"

# ffmpeg -c copy -f hls, started fresh: until the first segment is listed.
# first_segment_ms DIR ARGS...: runs ffmpeg ARGS writing DIR/out.m3u8 and
# prints ms until the playlist names a segment; ffmpeg is then stopped.
first_segment_ms() {
  local dir="$1"; shift
  mkdir -p "$dir"
  local t
  t=$(now)
  ffmpeg -nostdin -v error -y "$@" -f hls -hls_time 6 -hls_playlist_type event \
    -hls_segment_filename "$dir/seg-%d.ts" "$dir/out.m3u8" &
  FF_PID=$!
  while ! grep -q '^seg-' "$dir/out.m3u8" 2>/dev/null; do
    kill -0 "$FF_PID" 2>/dev/null || break
    sleep 0.005
  done
  local end
  end=$(now)
  kill "$FF_PID" 2>/dev/null || true; wait "$FF_PID" 2>/dev/null || true
  FF_PID=""
  ms "$t" "$end"
}
echo
echo "== remux (copy), ffmpeg -c copy -f hls started fresh"
FIRSTS=() MIDS=()
for i in 1 2 3; do
  FIRSTS+=("$(first_segment_ms "$WORK/ffcopy0.$i" -i "$FILM" -map 0 -c copy)")
  MIDS+=("$(first_segment_ms "$WORK/ffcopy1.$i" -ss "$MID_T" -i "$FILM" -map 0 -c copy)")
done
echo "first segment: median $(median "${FIRSTS[@]}") ms (${FIRSTS[*]}); seek (restart with -ss $MID_T): median $(median "${MIDS[@]}") ms (${MIDS[*]})"

echo
echo "== transcode 1080p -> 720p H.264 veryfast + AAC, cinemateca (a worker per playback)"
TVAR=$(curl -s "$H/master.m3u8?caps=aac" | grep -v '^#' | head -1 | sed 's/.*o=//')
curl -s "$H/media.m3u8?o=$TVAR" >"$WORK/tx.m3u8"
# durations FIRST LAST: seconds of film in segments FIRST..LAST of the playlist
durations() {
  python3 - "$WORK/tx.m3u8" "$1" "$2" <<'PY'
import sys
d = [float(l.split(':')[1].rstrip(',\n')) for l in open(sys.argv[1]) if l.startswith('#EXTINF:')]
print(round(sum(d[int(sys.argv[2]):int(sys.argv[3]) + 1]), 3))
PY
}
TNSEG=$(grep -c '^seg-' "$WORK/tx.m3u8")
TMID=$(( TNSEG / 2 ))
t_init=$(get "init.mp4?o=$TVAR")
t_seg0=$(get "seg-0.m4s?o=$TVAR")
TSEEKS=()
for n in $(( TNSEG / 4 )) $(( TNSEG * 3 / 4 )) $TMID; do
  TSEEKS+=("$(get "seg-$n.m4s?o=$TVAR")")
done
echo "rendition $TVAR, $TNSEG segments; init: $t_init ms"
echo "first segment ($(durations 0 0) s, fresh worker): $t_seg0 ms"
echo "seek (to 1/4, 3/4, 1/2; $(durations $TMID $TMID) s segments): median $(median "${TSEEKS[@]}") ms (${TSEEKS[*]})"
# Speed: the worker runs ahead of the player; ask for what follows in order.
LASTSPEED=$(( TMID + 15 < TNSEG - 1 ? TMID + 15 : TNSEG - 1 ))
t0=$(now)
c0=$(cpu_s "$SERVER_PID")
for n in $(seq $(( TMID + 1 )) "$LASTSPEED"); do
  get "seg-$n.m4s?o=$TVAR" >/dev/null
done
t_wall=$(ms "$t0" "$(now)")
c1=$(cpu_s "$SERVER_PID")
film_s=$(durations $(( TMID + 1 )) "$LASTSPEED")
echo "segments $(( TMID + 1 ))-$LASTSPEED ($film_s s of film) in $t_wall ms: $(python3 -c "print(round($film_s * 1000 / $t_wall, 2))")x realtime; CPU $(python3 -c "print(round(($c1 - $c0) / $film_s, 2))") s per second of film"

echo
echo "== transcode, ffmpeg -c:v libx264 -preset veryfast -f hls started fresh"
# Keyframes forced every 6 s, as the peers do, so segments can be cut.
TX=(-map 0:v -map 0:a -vf scale=-2:720 -c:v libx264 -preset veryfast -crf 23
  -force_key_frames "expr:gte(t,n_forced*6)" -c:a aac -ac 2 -b:a 160k)
FXF=() FXM=()
for i in 1 2 3; do
  FXF+=("$(first_segment_ms "$WORK/fftx0.$i" -i "$FILM" "${TX[@]}")")
  FXM+=("$(first_segment_ms "$WORK/fftx1.$i" -ss "$MID_T" -i "$FILM" "${TX[@]}")")
done
echo "first segment (6 s): median $(median "${FXF[@]}") ms (${FXF[*]}); seek (restart with -ss $MID_T): median $(median "${FXM[@]}") ms (${FXM[*]})"
mkdir -p "$WORK/fftx2"
t0=$(now)
/usr/bin/time -f '%U %S' -o "$WORK/fftx2.time" ffmpeg -nostdin -v error -y -ss "$MID_T" -t 60 \
  -i "$FILM" "${TX[@]}" -f hls -hls_time 6 -hls_segment_filename "$WORK/fftx2/seg-%d.ts" \
  "$WORK/fftx2/out.m3u8"
fx_wall=$(ms "$t0" "$(now)")
fx_cpu=$(awk '{print $1 + $2}' "$WORK/fftx2.time")
echo "60 s of film in $fx_wall ms: $(python3 -c "print(round(60000 / $fx_wall, 2))")x realtime; CPU $(python3 -c "print(round($fx_cpu / 60, 2))") s per second of film"
echo "load average at the end: $(load)"
