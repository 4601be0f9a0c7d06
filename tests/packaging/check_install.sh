#!/bin/sh
# check_install.sh BUILD_DIR SOURCE_DIR — librubric as an out-of-tree user
# finds it: install the build into a temporary prefix, then
#   - build examples/embed with pkg-config (shared, static, runtime only)
#     and with CMake's find_package(Rubric), and run each: their results
#     must equal what `rubric eval` prints;
#   - check the SONAMEs, and that the installed libraries define no global
#     name outside rubric_ (a host with its own mem_alloc links and runs).
set -eu
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/rubric-pkg-XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "check_install: $*" >&2; exit 1; }

prefix="$work/prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null
libdir=$(dirname "$(find "$prefix" -name librubric.a | head -n 1)")
[ -f "$libdir/librubric.a" ] || fail "librubric.a was not installed"
export PKG_CONFIG_PATH="$libdir/pkgconfig"
export LD_LIBRARY_PATH="$libdir"
partner="$src/examples/partners/advanced.json"
as_of=2026-11-22
"$prefix/bin/rubric" eval -f jsonl --as-of $as_of "$partner" >"$work/want.jsonl"
[ -s "$work/want.jsonl" ] || fail "rubric eval printed nothing"

# The JSON Lines results an embedding example printed must equal rubric's.
same_results() {
    grep '^{' "$1" >"$1.jsonl" || true
    cmp -s "$1.jsonl" "$work/want.jsonl" || fail "$2: results differ from rubric eval"
}

# ---- SONAME and exported names
for lib in librubric librubric-runtime; do
    soname=$(readelf -d "$libdir/$lib.so" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
    [ "$soname" = "$lib.so.0" ] || fail "$lib.so has SONAME '$soname', not $lib.so.0"
    stray=$(nm -D --defined-only "$libdir/$lib.so" | awk '{print $3}' | grep -v '^rubric_' || true)
    [ -z "$stray" ] || fail "$lib.so exports names outside rubric_: $stray"
    stray=$(nm -g --defined-only "$libdir/$lib.a" | awk 'NF == 3 {print $3}' |
            grep -v '^rubric_' || true)
    [ -z "$stray" ] || fail "$lib.a defines global names outside rubric_: $(echo $stray | head -c 300)"
done
nm -D --defined-only "$libdir/librubric-runtime.so" | grep -q ' rubric_compiler_' &&
    fail "librubric-runtime.so has the compiler"

# ---- pkg-config
cc="${CC:-cc}"
cd "$work"
pkg-config --exists rubric rubric-runtime || fail "pkg-config does not find rubric"
$cc -std=c11 -Wall -Wextra -Werror -pedantic "$src/examples/embed/embed.c" -o embed_pc \
    $(pkg-config --cflags --libs rubric)
./embed_pc "$partner" $as_of >embed_pc.out
same_results embed_pc.out "embed (pkg-config, shared)"

$cc -std=c11 -Wall -Werror "$src/examples/embed/embed.c" -o embed_static $(pkg-config --cflags rubric) \
    $(pkg-config --static --libs rubric | sed 's/-lrubric\b/-l:librubric.a/')
ldd ./embed_static | grep -q librubric && fail "embed_static is linked to the shared library"
./embed_static "$partner" $as_of >embed_static.out
same_results embed_static.out "embed (pkg-config, static)"

$cc -std=c11 -Wall -Werror "$src/tests/packaging/host_clash.c" -o host_clash $(pkg-config --cflags rubric) \
    $(pkg-config --static --libs rubric | sed 's/-lrubric\b/-l:librubric.a/')
[ "$(./host_clash)" = "4 programs; host 3 7 11 null" ] || fail "host_clash: $(./host_clash)"

"$prefix/bin/rubric" compile -o rules.rbc
$cc -std=c11 -Wall -Werror "$src/examples/embed/evaluate_bytecode.c" -o evaluate_pc \
    $(pkg-config --cflags --libs rubric-runtime)
./evaluate_pc rules.rbc "$partner" $as_of >evaluate_pc.out
grep -qx 'apn-2019-consulting Advanced at_risk' evaluate_pc.out ||
    fail "evaluate_bytecode: $(cat evaluate_pc.out)"

# ---- CMake find_package
cmake -S "$src/examples/embed" -B consumer -DCMAKE_PREFIX_PATH="$prefix" >cmake.log 2>&1 ||
    { cat cmake.log >&2; fail "find_package(Rubric) failed"; }
cmake --build consumer >build.log 2>&1 || { cat build.log >&2; fail "building the consumer failed"; }
./consumer/embed "$partner" $as_of >embed_cmake.out
same_results embed_cmake.out "embed (find_package, Rubric::rubric)"
./consumer/embed_static "$partner" $as_of >embed_cmake_static.out
same_results embed_cmake_static.out "embed (find_package, Rubric::rubric_static)"
./consumer/evaluate_bytecode rules.rbc "$partner" $as_of >evaluate_cmake.out
cmp -s evaluate_cmake.out evaluate_pc.out || fail "evaluate_bytecode (find_package) differs"

echo "check_install: pkg-config and find_package consumers agree with rubric eval"
