#!/bin/sh
# Install dependencies, build with warnings fatal, and run the whole suite.
# Ends with the line "N passed, N failed".
set -e
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
# The guest tests boot Debian's cloud kernel with a busybox initramfs (cached outside the repo).
sh scripts/fetch-guest.sh >/dev/null
sh scripts/make-initramfs.sh >/dev/null
[ -f build/build.ninja ] || ./configure --enable-werror
ninja -C build
exec python3 tests/run-suite.py --build build
