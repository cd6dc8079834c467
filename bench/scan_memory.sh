#!/usr/bin/env bash
# Where a cold scan's peak RSS goes: the floor any process pays for loading
# Debian's libavformat/libavcodec (a program that does nothing else), then
# cinemateca's `scan --no-posters` of an empty folder and of bench/scan.sh's
# tree, each at its sampled peak, split by kind of page.
# Usage: bench/scan_memory.sh [films]   (default 500 films x 4 files)
set -euo pipefail
cd "$(dirname "$0")/.."
SETUP_EXTRA="time" scripts/setup.sh >/dev/null
[ -f build/build.ninja ] || meson setup build >/dev/null
[ -n "${CINEMATECA:-}" ] || ninja -C build >/dev/null
BIN="${CINEMATECA:-$PWD/build/src/cli/cinemateca}"
FILMS="${1:-500}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/cinemateca-scanmem.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

. bench/scan_tree.sh
mkdir -p "$WORK/tree" "$WORK/empty"
make_tree "$WORK/tree" "$FILMS"

# The floor: libav* and nothing else, probing the two clips the usual way.
cat > "$WORK/floor.c" <<'C'
#include <libavformat/avformat.h>
#include <stdio.h>
#include <string.h>
static void rss(const char *when)
{
    char line[256];
    FILE *f = fopen("/proc/self/status", "r");
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "VmRSS:", 6))
            printf("libav-only program, %s: %s", when, line + 6);
    if (f)
        fclose(f);
}
int main(int argc, char **argv)
{
    rss("at main()");
    for (int i = 1; i < argc; i++) {
        AVFormatContext *c = NULL;
        if (avformat_open_input(&c, argv[i], NULL, NULL) == 0) {
            avformat_find_stream_info(c, NULL);
            avformat_close_input(&c);
        }
    }
    rss("after probing the two clips");
    return 0;
}
C
cc -O2 -o "$WORK/floor" "$WORK/floor.c" $(pkg-config --cflags --libs libavformat libavcodec libavutil)
echo "machine: $(nproc) cores, $(uname -sr), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "libraries mapped: libav-only program $(ldd "$WORK/floor" | wc -l), cinemateca $(ldd "$BIN" | wc -l), minidlnad $(ldd "$(command -v minidlnad || echo /usr/sbin/minidlnad)" 2>/dev/null | wc -l)"
"$WORK/floor" "$WORK/main.mkv" "$WORK/extra.mp4"
/usr/bin/time -f "libav-only program, peak RSS (VmHWM, exit included): %M KiB" \
  "$WORK/floor" "$WORK/main.mkv" "$WORK/extra.mp4" >/dev/null

# peak LABEL CMD...: samples /proc/PID/smaps every few ms; prints the
# sample with the most Rss, split by kind of page, then /usr/bin/time's peak.
peak() {
  local label="$1"; shift
  echo
  echo "$label"
  rm -f "$WORK/m.db"*
  python3 - "$@" <<'PY'
import collections, os, subprocess, sys, time
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
best = (0, None)
def snap(pid):
    g = collections.Counter(); name = None
    try:
        for line in open(f"/proc/{pid}/smaps"):
            parts = line.split()
            if '-' in parts[0] and len(parts) >= 5 and ':' in parts[3]:
                name = os.path.basename(parts[5]) if len(parts) > 5 else '[anon]'
            elif parts[0] in ('Rss:', 'Anonymous:'):
                g[(name, parts[0][:-1])] += int(parts[1])
    except OSError:
        return None
    return g
while p.poll() is None:
    g = snap(p.pid)
    if g:
        total = sum(v for (n, k), v in g.items() if k == 'Rss')
        if total > best[0]:
            best = (total, g)
    time.sleep(0.003)
total, g = best
kinds = collections.Counter()
libav = ('libavcodec', 'libavformat', 'libavutil', 'libswresample', 'libswscale')
for (n, k), v in g.items():
    if k != 'Rss' or n.startswith('[v'):
        continue
    anon = g.get((n, 'Anonymous'), 0)
    if n == '[heap]':
        kinds['anonymous: main thread heap'] += v
    elif n.startswith('['):
        kinds['anonymous: probing threads\' arenas, stacks'] += v
    else:
        kinds['anonymous: libraries\' relocated data'] += anon
        kinds['file: libav* code and data' if n.startswith(libav) else
              'file: libsqlite3' if n.startswith('libsqlite3') else
              'file: cinemateca' if n == 'cinemateca' else
              'file: the other libraries'] += v - anon
print("  sampled peak: %.1f MiB" % (total / 1024))
for k, v in sorted(kinds.items(), key=lambda kv: -kv[1]):
    print("    %-44s %5.1f MiB" % (k, v / 1024))
PY
  rm -f "$WORK/m.db"*
  /usr/bin/time -f "  peak RSS (VmHWM, exit included): %M KiB" "$@" >/dev/null
  rm -f "$WORK/m.db"*
}
peak "cinemateca scan --no-posters, empty folder:" "$BIN" scan --quiet --no-posters --db "$WORK/m.db" "$WORK/empty"
peak "cinemateca scan --no-posters, $((FILMS * 4)) files:" "$BIN" scan --quiet --no-posters --db "$WORK/m.db" "$WORK/tree"
