#!/bin/sh
# Builds the libFuzzer targets with clang, ASan and UBSan in build-fuzz/ and
# runs each for a while with its committed corpus.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default 60, all)
#
# New inputs go to build-fuzz/fuzz-corpus/<target>/ (the committed corpus in
# tests/fuzz/corpus/<target>/ is only read; copy in the few worth keeping),
# crashes to build-fuzz/fuzz-artifacts/<target>/. Replay one with
#   build-fuzz/tests/fuzz/replay_<target> <file>
set -eu

seconds=${1:-60}
[ $# -gt 0 ] && shift
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-fuzz"

if [ ! -f "$build/build.ninja" ]; then
    # fuzzer-no-link puts the coverage hooks into the libraries under test;
    # -Dfuzz=true links the fuzz binaries with libFuzzer itself.
    CC=clang meson setup "$build" "$root" \
        -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false \
        -Dc_args='-fsanitize=fuzzer-no-link -fno-sanitize-recover=undefined' \
        -Dbuildtype=debugoptimized
fi

if [ $# -gt 0 ]; then
    targets="$*"
else
    targets=$(cd "$root/tests/fuzz" && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//')
fi

status=0
for t in $targets; do
    ninja -C "$build" "tests/fuzz/fuzz_$t" "tests/fuzz/replay_$t"
    work="$build/fuzz-corpus/$t"
    artifacts="$build/fuzz-artifacts/$t"
    mkdir -p "$work" "$artifacts"
    echo "== fuzz_$t: $seconds s"
    if ! UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        "$build/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -max_len=4200 \
            -print_final_stats=1 -artifact_prefix="$artifacts/" \
            "$work" "$root/tests/fuzz/corpus/$t"; then
        echo "== fuzz_$t: FAILED, see $artifacts/" >&2
        status=1
    fi
done
exit $status
