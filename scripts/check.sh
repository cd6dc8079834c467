#!/usr/bin/env bash
# The whole test suite: a -Werror build with unit and corpus-replay tests,
# the same under ASan+UBSan, then the integration tests against the
# sanitized binary. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0
log() { printf '\n== %s\n' "$*"; }

# meson_suite BUILD_DIR [meson test options...]: runs its tests and adds the counts.
meson_suite() {
  local dir="$1" out
  shift
  out=$(meson test -C "$dir" --print-errorlogs "$@" 2>&1)
  local rc=$?
  echo "$out" | grep -E '^ *[0-9]+/[0-9]+ |^(Ok|Fail|Timeout|Skipped):' || true
  [ $rc -ne 0 ] && echo "$out" | tail -60
  local ok fail to
  ok=$(echo "$out" | sed -n 's/^Ok: *\([0-9]*\).*/\1/p' | tail -1)
  fail=$(echo "$out" | sed -n 's/^Fail: *\([0-9]*\).*/\1/p' | tail -1)
  to=$(echo "$out" | sed -n 's/^Timeout: *\([0-9]*\).*/\1/p' | tail -1)
  passed=$((passed + ${ok:-0}))
  failed=$((failed + ${fail:-0} + ${to:-0}))
  if [ $rc -ne 0 ] && [ "${fail:-0}" = 0 ] && [ "${to:-0}" = 0 ]; then
    failed=$((failed + 1))
  fi
}

build() {
  local dir="$1"; shift
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" --werror "$@" >/dev/null || return 1
  fi
  ninja -C "$dir" >/dev/null || ninja -C "$dir"
}

log "formatting (.clang-format; scripts/format.sh fixes it)"
if scripts/format.sh --check; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

log "build (-Werror)"
if build build; then meson_suite build; else failed=$((failed + 1)); fi

log "unit tests under Valgrind (any error or definite/indirect leak fails)"
if [ -f build/build.ninja ] && command -v valgrind >/dev/null; then
  # The smaller set: every unit test but the two that spend minutes in
  # libav* encoders and SQLite under Valgrind (hls, search); those run
  # under ASan above and below.
  vg_tests="util name extras nfo media catalog scan server playback"
  # On some CPUs Valgrind cannot run libav* at all: libhwy's initialiser
  # (loaded with libavcodec) dies with SIGILL, Debian's own ffprobe too.
  # Then the tests that load libav* are left to ASan (below), and this
  # says so, rather than failing for Valgrind's sake.
  if ! valgrind -q --error-exitcode=1 ffprobe -v quiet -version >/dev/null 2>&1; then
    echo "valgrind cannot run libav* on this CPU (ffprobe dies under it): media and playback run under ASan only"
    vg_tests="util name extras nfo catalog scan server"
  fi
  # shellcheck disable=SC2086
  meson_suite build --timeout-multiplier 4 $vg_tests \
    --wrap='valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect'
else
  echo "valgrind stage could not run"; failed=$((failed + 1))
fi

log "build with AddressSanitizer and UndefinedBehaviorSanitizer"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:halt_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
if build build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug; then
  meson_suite build-asan
  asan_ok=1
else
  failed=$((failed + 1))
  asan_ok=0
fi

log "integration tests (sanitized binary)"
if [ "$asan_ok" = 1 ]; then
  export CINEMATECA="$PWD/build-asan/src/cli/cinemateca"
  for t in tests/integration/*.sh; do
    [ "$(basename "$t")" = lib.sh ] && continue
    log "$t"
    out=$(bash "$t" 2>&1)
    rc=$?
    echo "$out" | grep -v '^ok - ' || true
    line=$(echo "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -1)
    p=$(echo "$line" | sed -n 's/^\([0-9]*\) passed.*/\1/p')
    f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
    if [ $rc -ne 0 ] && [ "${f:-0}" = 0 ]; then failed=$((failed + 1)); fi
  done
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
