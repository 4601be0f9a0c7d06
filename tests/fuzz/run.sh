#!/bin/sh
# Build the libFuzzer targets with clang and run each for a bounded time.
#
#   tests/fuzz/run.sh [SECONDS] [TARGET...]
#
# SECONDS defaults to 60 per target; TARGET is fuzz_compile, fuzz_bytecode
# or fuzz_data (default: all three, one after the other).  Environment:
#   BUILD_DIR  build directory (default build-fuzz under the source tree)
#   WORK_DIR   where corpora and findings go (default BUILD_DIR/fuzz-work)
#   JOBS       parallel fuzzing processes per target (default 1)
#   SKIP_BUILD set: do not configure or build, use BUILD_DIR as it is
# Exits non-zero when a target finds a crash, a leak, a timeout or an
# out-of-memory; the input is left in WORK_DIR/TARGET/ as crash-*, leak-*,
# timeout-* or oom-*.
set -eu

SRC=$(cd "$(dirname "$0")/../.." && pwd)
SECONDS_EACH=${1:-60}
[ $# -gt 0 ] && shift
TARGETS=${*:-fuzz_compile fuzz_bytecode fuzz_data}
BUILD_DIR=${BUILD_DIR:-$SRC/build-fuzz}
mkdir -p "$BUILD_DIR"
BUILD_DIR=$(cd "$BUILD_DIR" && pwd)
WORK_DIR=${WORK_DIR:-$BUILD_DIR/fuzz-work}
JOBS=${JOBS:-1}

# SKIP_BUILD=1 uses what is built (several run.sh at once on one build
# directory must not all build).
if [ -z "${SKIP_BUILD:-}" ]; then
    CC=${CC:-clang} CXX=${CXX:-clang++} cmake -S "$SRC" -B "$BUILD_DIR" -G Ninja \
        -DRUBRIC_FUZZ=ON -DRUBRIC_TESTS=OFF >/dev/null
    cmake --build "$BUILD_DIR" --target rubric fuzz_compile fuzz_bytecode fuzz_data
fi
RUBRIC=$BUILD_DIR/rubric
FUZZ_BIN=$BUILD_DIR/tests/fuzz

# Seed corpora from the standard rules, the examples and the tests: every
# rules file; every partner file; and the bytecode of every rules file that
# compiles.  The catalogue's bad inputs are seeds too.
seed() {
    target=$1
    dir=$WORK_DIR/seeds/$target
    rm -rf "$dir"
    mkdir -p "$dir"
    case $target in
    fuzz_compile)
        for f in "$SRC"/stdlib-rules/*/*.rubric "$SRC"/examples/rules/*.rubric \
                 "$SRC"/tests/parse/*.rubric "$SRC"/tests/catalogue/*.rubric; do
            if [ -f "$f" ]; then cp "$f" "$dir/"; fi
        done ;;
    fuzz_data)
        for f in "$SRC"/examples/partners/*.json* "$SRC"/tests/oracle/cases/*.json \
                 "$SRC"/tests/catalogue/*.json "$SRC"/tests/catalogue/*.jsonl; do
            # The 100,000-deep files only teach the fuzzer one thing.
            if [ -f "$f" ] && [ "$(wc -c <"$f")" -lt 65536 ]; then cp "$f" "$dir/"; fi
        done ;;
    fuzz_bytecode)
        "$RUBRIC" compile -o "$dir/stdlib.rbc" || true
        for f in "$SRC"/examples/rules/*.rubric; do
            "$RUBRIC" compile "$f" -o "$dir/$(basename "$f" .rubric).rbc" || true
        done
        for f in "$SRC"/tests/catalogue/*.rbc; do
            if [ -f "$f" ]; then cp "$f" "$dir/"; fi
        done ;;
    esac
}

dict_for() {
    case $1 in
    fuzz_compile) echo "$SRC/tests/fuzz/rubric.dict" ;;
    *) echo "$SRC/tests/fuzz/json.dict" ;;
    esac
}

# -jobs runs separate processes with their output in fuzz-N.log files;
# one job runs in the foreground with its output here.
PARALLEL=
[ "$JOBS" -gt 1 ] && PARALLEL="-jobs=$JOBS -workers=$JOBS"

status=0
for target in $TARGETS; do
    seed "$target"
    corpus=$WORK_DIR/corpus/$target
    findings=$WORK_DIR/$target
    mkdir -p "$corpus" "$findings"
    echo "== $target: $SECONDS_EACH s"
    # Run from the findings directory: imports in fuzzed rules resolve there.
    if ! (cd "$findings" && "$FUZZ_BIN/$target" "$corpus" "$WORK_DIR/seeds/$target" \
            -dict="$(dict_for "$target")" -max_total_time="$SECONDS_EACH" \
            -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
            -artifact_prefix="$findings/" $PARALLEL ${FUZZ_FLAGS:-}); then
        echo "== $target: FINDING, see $findings" >&2
        status=1
    fi
done
exit $status
