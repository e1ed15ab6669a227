#!/bin/sh
# Configure (once) and build numbat into ./build. Extra arguments go to ./configure.
set -e
cd "$(dirname "$0")/.."
[ -f build/build.ninja ] || ./configure "$@"
ninja -C build
