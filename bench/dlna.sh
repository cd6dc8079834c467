#!/usr/bin/env bash
# DLNA benchmark, side by side with minidlna (and Gerbera when GERBERA=1)
# on the same 10,000-film tree, each server in a network namespace of its
# own joined to a client namespace by a veth pair (never the real
# network): time from the server's start to its first SSDP answer, Browse
# of the 10,000-film container in pages of 100 (p50/p99), Search, and the
# server's RSS afterwards. Each server has indexed the tree before the
# timed start (cinemateca: `scan`; minidlna and Gerbera: a first run), so the figures
# compare serving, not scanning (bench/scan.sh compares scanning).
# Usage: [GERBERA=1] bench/dlna.sh [films]  (default 10000; needs root for
# ip netns; the peers: SETUP_EXTRA="minidlna gerbera"
# scripts/setup.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${CINEMATECA:-}" ] || ninja -C build >/dev/null
BIN="${CINEMATECA:-$PWD/build/src/cli/cinemateca}"
FILMS="${1:-10000}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/cinemateca-dlnabench.XXXXXX")"
NS_S="cin-dlb-s-$$"; NS_C="cin-dlb-c-$$"; VS="cdbs$$"; VC="cdbc$$"
SPID=""
cleanup() {
  [ -n "$SPID" ] && kill "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null || true
  ip netns del "$NS_S" 2>/dev/null || true
  ip netns del "$NS_C" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

ip netns add "$NS_S"; ip netns add "$NS_C"
ip link add "$VS" type veth peer name "$VC"
ip link set "$VS" netns "$NS_S"; ip link set "$VC" netns "$NS_C"
ip -n "$NS_S" addr add 10.232.0.1/24 dev "$VS"; ip -n "$NS_C" addr add 10.232.0.2/24 dev "$VC"
for ns in "$NS_S" "$NS_C"; do ip -n "$ns" link set lo up; done
ip -n "$NS_S" link set "$VS" up; ip -n "$NS_C" link set "$VC" up
ip -n "$NS_S" route add 224.0.0.0/4 dev "$VS"; ip -n "$NS_C" route add 224.0.0.0/4 dev "$VC"

# The tree: one folder and one main file per film, all hard links of one
# 2 s 160x90 H.264/AAC clip (every server still probes each file).
ffmpeg -nostdin -v error -y -f lavfi -i "testsrc=size=160x90:rate=10" -f lavfi -i "sine" -t 2 \
  -c:v libx264 -preset ultrafast -c:a aac -b:a 32k "$WORK/clip.mkv"
TREE="$WORK/tree"
/usr/bin/python3 - "$WORK/clip.mkv" "$TREE" "$FILMS" <<'PY'
import os, sys
clip, tree, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
for i in range(1, n + 1):
    name = "Film %d (%d)" % (i, 1950 + i % 70)
    os.makedirs(os.path.join(tree, name))
    os.link(clip, os.path.join(tree, name, name + ".mkv"))
PY

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "tree: $FILMS films"

rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

# run_client LABEL PATH CRITERIA: the client against the server started at $T0.
run_client() {
  local label="$1"
  ip netns exec "$NS_C" /usr/bin/python3 bench/dlna_client.py "$T0" "$2" "$3" "$FILMS" > "$WORK/$label.json" ||
    { echo "$label: the client failed: $(cat "$WORK/$label.json")"; tail -5 "$WORK/c.out" 2>/dev/null; return 1; }
  echo "$label $(cat "$WORK/$label.json") rss_kib=$(rss_kib "$SPID")"
}

# cinemateca
"$BIN" scan --quiet --db "$WORK/c.db" "$TREE"
# A server listening beyond loopback needs an account (DLNA itself has none).
printf 'a long enough password\n' | "$BIN" user add --db "$WORK/c.db" --admin --password-stdin admin >/dev/null
T0=$(date +%s.%N)
ip netns exec "$NS_S" "$BIN" serve --db "$WORK/c.db" --listen 10.232.0.1:8420 --no-watch --dlna \
  >"$WORK/c.out" 2>&1 &
SPID=$!
run_client cinemateca "Films/All films" 'dc:title contains "Film 123"'
kill "$SPID"; wait "$SPID" 2>/dev/null || true; SPID=""

# minidlna: a first run indexes the tree; the second is timed.
mkdir -p "$WORK/minidlna"
cat > "$WORK/minidlna/minidlna.conf" <<CONF
media_dir=V,$TREE
db_dir=$WORK/minidlna
log_dir=$WORK/minidlna
port=8200
network_interface=$VS
inotify=no
friendly_name=minidlna-bench
CONF
for run in index timed; do
  T0=$(date +%s.%N)
  ip netns exec "$NS_S" /usr/sbin/minidlnad -f "$WORK/minidlna/minidlna.conf" -P "$WORK/minidlna/pid" -S \
    >"$WORK/minidlna/out" 2>&1 &
  SPID=$!
  if [ "$run" = index ]; then
    # Stopped only once its scan says it is finished: stopped earlier, it
    # takes the database for unfinished and scans again from nothing on
    # the timed start (what spoiled the first 10,000-film figures).
    for _ in $(seq 1 3600); do
      grep -q 'Scanning .* finished' "$WORK/minidlna/minidlna.log" 2>/dev/null && break
      sleep 0.5
    done
    grep -h 'Scanning .* finished' "$WORK/minidlna/minidlna.log" || echo "minidlna: its scan did not finish in 30 min"
  else
    run_client minidlna "Video/All Video" 'dc:title contains "Film 123"'
  fi
  kill "$SPID"; wait "$SPID" 2>/dev/null || true; SPID=""
done

# Gerbera (Debian's 1.1.0), when GERBERA=1. 1.1.0 has no --create-config:
# its packaged /etc/gerbera/config.xml (web UI off, thumbnails off,
# transcoding off) with the home moved into the work folder; interface and
# port (its UPnP library takes 49152 and up only) on the command line, by
# address: with -e (interface) its UPnP library failed to bind in the
# namespace. A first run imports the tree (--add) and is stopped once Browse lists every
# film under "Video/All Video"; the second is timed.
if [ "${GERBERA:-0}" = 1 ]; then
  G="$WORK/gerbera"
  mkdir -p "$G"
  sed -e "s|<home>[^<]*</home>|<home>$G</home>|" -e "s|<name>[^<]*</name>|<name>gerbera-bench</name>|" \
    /etc/gerbera/config.xml > "$G/config.xml"
  for run in index timed; do
    T0=$(date +%s.%N)
    add=(); [ "$run" = index ] && add=(--add "$TREE")
    ip netns exec "$NS_S" /usr/bin/gerbera -c "$G/config.xml" -m "$G" -i 10.232.0.1 -p 49152 \
      -l "$G/log" "${add[@]}" >"$G/out" 2>&1 &
    SPID=$!
    if [ "$run" = index ]; then
      # Its SQLite database stays locked while it runs, so the signal is
      # the client's own wait until "All Video" lists every film.
      ip netns exec "$NS_C" /usr/bin/python3 bench/dlna_client.py "$T0" "Video/All Video" \
        'dc:title contains "Film 123"' "$FILMS" > "$G/index.json" || true
      echo "gerbera import run: $(cat "$G/index.json")"
      sleep 2 # let the import task commit and end before the stop
    else
      run_client gerbera "Video/All Video" 'dc:title contains "Film 123"'
    fi
    kill "$SPID"; wait "$SPID" 2>/dev/null || true; SPID=""
  done
fi
