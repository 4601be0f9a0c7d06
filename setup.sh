#!/bin/sh
# Install what building and testing Rubric needs, from Debian's packages.
# Does nothing when everything is already there.
set -eu

packages="cmake ninja-build gcc g++ clang libclang-rt-dev flex bison libcmocka-dev libsimdjson-dev python3 pkgconf binutils groff-base zsh"
# The Python binding and the SQLite extension (bindings/), and their tests.
packages="$packages python3-dev python3-setuptools python3-venv python3-pytest sqlite3 libsqlite3-dev"

missing=""
for p in $packages; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    exit 0
fi

echo "setup: installing$missing" >&2
if [ "$(id -u)" -eq 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
else
    echo "setup: need root (or sudo) to install:$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
# shellcheck disable=SC2086
$sudo apt-get install -y -q --no-install-recommends $missing
