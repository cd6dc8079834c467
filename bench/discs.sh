#!/usr/bin/env bash
# Disc scan benchmark: a library of 20 Blu-ray folders and 20 DVD images
# beside 1,000 plain files, scanned cold. Measures the scan's time with and
# without the discs, and the bytes read from the discs' files, counted at
# the system-call level (strace: every read/pread on a descriptor opened
# under a disc), beside the discs' total size.
# Usage: bench/discs.sh [plain files] [discs of each kind]
set -euo pipefail
cd "$(dirname "$0")/.."
SETUP_EXTRA="strace" scripts/setup.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null
BIN="$PWD/build/src/cli/cinemateca"
PLAIN="${1:-1000}"
DISCS="${2:-20}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/cinemateca-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# One Blu-ray (a 190 s film, a 45 s interview) and one DVD image, copied.
ffmpeg -nostdin -v error -y -f lavfi -i "testsrc=size=160x90:rate=25" \
  -f lavfi -i "sine=frequency=440:sample_rate=48000" -t 190 -c:v libx264 -preset ultrafast \
  -g 25 -pix_fmt yuv420p -c:a ac3 -b:a 64k -ac 1 -f mpegts -mpegts_m2ts_mode 1 "$WORK/film.m2ts"
ffmpeg -nostdin -v error -y -f lavfi -i "testsrc2=size=160x90:rate=25" \
  -f lavfi -i "sine=frequency=440:sample_rate=48000" -t 45 -c:v libx264 -preset ultrafast \
  -pix_fmt yuv420p -c:a ac3 -b:a 64k -ac 1 -f mpegts -mpegts_m2ts_mode 1 "$WORK/extra.m2ts"
python3 tests/integration/bdmv_writer.py "$WORK/bd" --clip 00001="$WORK/film.m2ts" \
  --clip 00002="$WORK/extra.m2ts" --playlist 00800=00001@0,60,120 --playlist 00001=00002 \
  --name "Bench Disc"
for n in main:60:testsrc e1:35:testsrc2; do
  IFS=: read -r name secs src <<< "$n"
  ffmpeg -nostdin -v error -y -f lavfi -i "$src=size=352x288:rate=25" \
    -f lavfi -i "sine=frequency=440:sample_rate=48000" -t "$secs" -target pal-dvd \
    -s 352x288 -b:v 300k -maxrate 1000k -bufsize 224k -b:a 64k -ac 1 "$WORK/$name.mpg"
done
cat > "$WORK/dvd.xml" <<EOF
<dvdauthor dest="$WORK/dvd"><vmgm /><titleset><titles>
<pgc><vob file="$WORK/main.mpg" chapters="0,0:20,0:40" /></pgc>
<pgc><vob file="$WORK/e1.mpg" /></pgc></titles></titleset></dvdauthor>
EOF
VIDEO_FORMAT=PAL dvdauthor -x "$WORK/dvd.xml" >/dev/null 2>&1
genisoimage -quiet -dvd-video -udf -o "$WORK/dvd.iso" "$WORK/dvd"
ffmpeg -nostdin -v error -y -f lavfi -i "testsrc=size=160x90:rate=10" -t 2 -c:v libx264 \
  -preset ultrafast "$WORK/plain.mkv"

LIB="$WORK/lib"
mkdir -p "$LIB/plain"
for i in $(seq 1 "$PLAIN"); do
  d="$LIB/plain/Film $i ($((1950 + i % 70)))"
  mkdir -p "$d"
  cp "$WORK/plain.mkv" "$d/Film $i ($((1950 + i % 70))).mkv"
done
mkdir -p "$LIB/discs"
for i in $(seq 1 "$DISCS"); do
  mkdir -p "$LIB/discs/Blu-ray $i (2001)"
  cp -r "$WORK/bd/BDMV" "$LIB/discs/Blu-ray $i (2001)/"
  cp "$WORK/dvd.iso" "$LIB/discs/DVD $i (1999).iso"
done
disc_bytes=$(du -cb "$LIB/discs" | tail -1 | cut -f1)

scan() { # DB ROOT...: prints seconds
  local db="$1"; shift
  local t0 t1
  t0=$(date +%s.%N)
  "$BIN" scan --db "$db" --threads 2 "$@" >/dev/null
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc
}
t_plain=$(scan "$WORK/plain.db" "$LIB/plain")
t_all=$(scan "$WORK/all.db" "$LIB")
films=$("$BIN" films --db "$WORK/all.db" | wc -l)

# Bytes read from the discs' files, from the system calls themselves.
strace -f -qq -e trace=openat,read,pread64,preadv,readv -o "$WORK/trace" \
  "$BIN" scan --db "$WORK/traced.db" --threads 2 "$LIB/discs" >/dev/null
read_bytes=$(python3 - "$WORK/trace" "$LIB/discs" <<'PY'
import re, sys
fds, total, per = {}, 0, {}
under = sys.argv[2]
for line in open(sys.argv[1]):
    m = re.match(r'(\d+)\s+openat\(\w+, "([^"]*)".*= (\d+)$', line)
    if m:
        pid, path, fd = m.groups()
        # Descriptors are the process's, whichever thread opened them.
        # Relative opens (libbluray's, from the disc folder) are under a disc.
        fds[fd] = path.startswith(under) or not path.startswith('/')
        continue
    m = re.match(r'(\d+)\s+(read|pread64|preadv|readv)\((\d+),.*= (\d+)$', line)
    if m and fds.get(m.group(3)):
        total += int(m.group(4))
print(total)
PY
)
echo "machine: $(nproc) cores, $(uname -m), $(date -u +%Y-%m-%d)"
echo "library: $PLAIN plain files, $DISCS Blu-ray folders, $DISCS DVD images ($films films)"
echo "scan of the plain files alone:  ${t_plain} s"
echo "scan of the whole library:      ${t_all} s"
echo "bytes read from disc files:     $read_bytes of $disc_bytes ($(echo "scale=4; 100 * $read_bytes / $disc_bytes" | bc) %)"
