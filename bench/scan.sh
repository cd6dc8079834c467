#!/usr/bin/env bash
# Scan benchmark, side by side with minidlna on the same generated tree:
#   cinemateca cold scan, cinemateca no-change rescan, minidlna until its
#   scan finishes; files/second and peak memory for each. Then a no-change
#   rescan of a 10,000-file library.
# Usage: bench/scan.sh [films]   (default 500 films x 4 files = 2,000 files)
set -euo pipefail
cd "$(dirname "$0")/.."
SETUP_EXTRA="minidlna time bc" scripts/setup.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
[ -n "${CINEMATECA:-}" ] || ninja -C build >/dev/null
BIN="${CINEMATECA:-$PWD/build/src/cli/cinemateca}"

FILMS="${1:-500}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/cinemateca-bench.XXXXXX")"
MINIDLNA_PID=""
cleanup() {
  [ -n "$MINIDLNA_PID" ] && kill "$MINIDLNA_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

. bench/scan_tree.sh
TREE="$WORK/tree"
make_tree "$TREE" "$FILMS"
FILES=$(find "$TREE" -type f | wc -l)
sync

# pss_kib PID...: the summed Pss of the given processes and their children
# (KiB). Pss shares each page among the processes mapping it, so library
# pages that every process on the machine maps count once in total; peak
# RSS (VmHWM) counts them whole in each process, and a forked child's RSS
# leaves out what its parent touched before the fork.
pss_kib() {
  local total=0 p v
  for p in "$@" $(pgrep -P "$(echo "$@" | tr ' ' ',')" 2>/dev/null || true); do
    v=$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || true)
    total=$((total + ${v:-0}))
  done
  echo "$total"
}

# measure LABEL CMD...: prints "label seconds peak_rss_kib". Nothing else
# runs meanwhile: reading smaps_rollup 20 times a second (below) takes the
# scanned process's memory-map lock and a share of the two cores, and made
# the same scan 3-4x slower.
measure() {
  local label="$1"; shift
  /usr/bin/time -o "$WORK/time.out" -f "%e %M" "$@" >/dev/null 2>&1
  echo "$label $(tail -1 "$WORK/time.out")"
}

# peak_pss CMD...: runs CMD again, sampling its summed PSS; prints the peak
# (KiB). Its time is not used.
peak_pss() {
  "$@" >/dev/null 2>&1 &
  local cpid=$! pss=0 now
  while kill -0 "$cpid" 2>/dev/null; do
    now=$(pss_kib "$cpid")
    [ "$now" -gt "$pss" ] && pss=$now
    sleep 0.05
  done
  wait "$cpid" || true
  echo "$pss"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo "date: $(date -u +%Y-%m-%d)"
echo "tree: $FILMS films, $FILES files"

sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
read -r _ cold_s cold_kib < <(measure cold "$BIN" scan --quiet --db "$WORK/c.db" "$TREE")
read -r _ re_s re_kib < <(measure rescan "$BIN" scan --quiet --db "$WORK/c.db" "$TREE")
# The same cold scan without generating a poster per film (minidlna makes
# no video thumbnails), the fairer side-by-side figure.
sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
read -r _ np_s np_kib < <(measure cold-np "$BIN" scan --quiet --no-posters --db "$WORK/np.db" "$TREE")
# The PSS column: the same three scans again, sampled.
cold_pss=$(peak_pss "$BIN" scan --quiet --db "$WORK/c2.db" "$TREE")
re_pss=$(peak_pss "$BIN" scan --quiet --db "$WORK/c2.db" "$TREE")
np_pss=$(peak_pss "$BIN" scan --quiet --no-posters --db "$WORK/np2.db" "$TREE")
films=$("$BIN" films --db "$WORK/c.db" | wc -l)

# minidlna: foreground (-d), its own database and log in the temp folder,
# loopback only; the scan is done when it logs "Scanning ... finished".
# minidlna scans in a forked child: its peak RSS is the larger of the
# parent's (idle, all libraries loaded) and the child's (the scanning, but
# without the library pages the parent had touched before the fork).
peak=0 parent_peak=0 child_peak=0 mini_pss=0
sample_minidlna() { # sample_minidlna [pss]: VmHWM of each process, or the summed PSS
  local p hwm now
  if [ "${1:-}" = pss ]; then
    now=$(pss_kib "$MINIDLNA_PID")
    [ "$now" -gt "$mini_pss" ] && mini_pss=$now
    return 0
  fi
  for p in $MINIDLNA_PID $(pgrep -P "$MINIDLNA_PID" || true); do
    hwm=$(awk '/VmHWM/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
    hwm=${hwm:-0}
    [ "$hwm" -gt "$peak" ] && peak=$hwm
    if [ "$p" = "$MINIDLNA_PID" ]; then
      [ "$hwm" -gt "$parent_peak" ] && parent_peak=$hwm
    else
      [ "$hwm" -gt "$child_peak" ] && child_peak=$hwm
    fi
  done
  return 0
}
# run_minidlna DIR [pss]: one cold minidlna scan into DIR; sets mini_s.
# The timed run samples only VmHWM (a cheap read), as this bench always
# has; the PSS column comes from a second run.
run_minidlna() {
  local dir="$1" start end
  mkdir -p "$dir"
  cat > "$dir/minidlna.conf" <<CONF
media_dir=V,$TREE
db_dir=$dir
log_dir=$dir
port=8299
network_interface=lo
inotify=no
CONF
  sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  start=$(date +%s.%N)
  minidlnad -d -f "$dir/minidlna.conf" -P "$dir/pid" > "$dir/out.log" 2>&1 &
  MINIDLNA_PID=$!
  for _ in $(seq 1 36000); do
    if grep -q "Scanning .* finished" "$dir/out.log" "$dir/minidlna.log" 2>/dev/null; then
      break
    fi
    sample_minidlna "${2:-}"
    sleep 0.05
  done
  end=$(date +%s.%N)
  sample_minidlna "${2:-}"
  kill "$MINIDLNA_PID" 2>/dev/null; wait "$MINIDLNA_PID" 2>/dev/null || true
  MINIDLNA_PID=""
  mini_s=$(echo "$end - $start" | bc -l)
}
run_minidlna "$WORK/minidlna-pss" pss
run_minidlna "$WORK/minidlna"
mini_files=$(grep -ho "finished ([0-9]* files)" "$WORK/minidlna/"*.log | grep -o "[0-9]*" | head -1)

rate() { echo "scale=0; $FILES / $1" | bc -l 2>/dev/null || echo inf; }
mib() { printf '%.1f' "$(echo "$1/1024" | bc -l)"; }
printf '\n| run | files | seconds | files/s | peak RSS (MiB) | peak PSS (MiB) |\n|---|---|---|---|---|---|\n'
printf '| cinemateca cold scan (%s films found) | %s | %s | %s | %s | %s |\n' "$films" "$FILES" "$cold_s" "$(rate "$cold_s")" "$(mib "$cold_kib")" "$(mib "$cold_pss")"
printf '| cinemateca cold scan, --no-posters | %s | %s | %s | %s | %s |\n' "$FILES" "$np_s" "$(rate "$np_s")" "$(mib "$np_kib")" "$(mib "$np_pss")"
printf '| cinemateca no-change rescan | %s | %s | %s | %s | %s |\n' "$FILES" "$re_s" "$(rate "$re_s")" "$(mib "$re_kib")" "$(mib "$re_pss")"
printf '| minidlna 1.3.0 scan (%s files indexed) | %s | %.2f | %s | %s | %s |\n' "${mini_files:-?}" "$FILES" "$mini_s" "$(rate "$mini_s")" "$(mib "$peak")" "$(mib "$mini_pss")"
printf '\nminidlna peak RSS by process: parent %s MiB, scanning child %s MiB\n' "$(mib "$parent_peak")" "$(mib "$child_peak")"

# 10,000 files: the no-change rescan target (under 1 s).
BIG="$WORK/big"
make_tree "$BIG" 2500
"$BIN" scan --quiet --db "$WORK/big.db" "$BIG"
read -r _ big_s big_kib < <(measure rescan10k "$BIN" scan --quiet --db "$WORK/big.db" "$BIG")
big_pss=$(peak_pss "$BIN" scan --quiet --db "$WORK/big.db" "$BIG")
printf '| cinemateca no-change rescan, 10,000 files | 10000 | %s | %s | %s | %s |\n' "$big_s" "$(echo "scale=0; 10000 / $big_s" | bc -l 2>/dev/null || echo inf)" "$(mib "$big_kib")" "$(mib "$big_pss")"
