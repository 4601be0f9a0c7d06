#!/bin/sh
# run_tests.sh BUILD_DIR SOURCE_DIR — the Python binding as a user gets it:
# install the build into a temporary prefix, pip-install bindings/python
# into a fresh virtual environment of Debian's python3 (offline, without
# build isolation), and run the pytest tests there against the command of
# the build.
set -eu
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
python=/usr/bin/python3
work=$(mktemp -d "${TMPDIR:-/tmp}/rubric-python-XXXXXX")
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --prefix "$work/prefix" >/dev/null
# A copy: pip builds in the source tree it is given.
cp -R "$src/bindings/python" "$work/src"
"$python" -m venv --system-site-packages "$work/venv"
RUBRIC_PREFIX="$work/prefix" RUBRIC_WERROR=1 \
    "$work/venv/bin/pip" install -q --no-build-isolation --no-index "$work/src" >"$work/pip.log" 2>&1 ||
    { cat "$work/pip.log" >&2; exit 1; }
# Away from the sources, so that `import rubric` is the installed package.
cd "$work"
RUBRIC_BINARY="$build/rubric" RUBRIC_SOURCE_DIR="$src" \
    "$work/venv/bin/python" -m pytest -q -p no:cacheprovider "$src/bindings/python/tests"
