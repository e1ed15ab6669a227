#!/bin/sh
# Build the libFuzzer harnesses of tests/fuzz with clang (ASan+UBSan+libFuzzer) and run each
# for SECONDS (default 60).  Not part of the test suite: a fuzzing session, run by hand.
#   sh scripts/fuzz.sh [SECONDS]
set -e
cd "$(dirname "$0")/.."
secs=${1:-60}
command -v clang >/dev/null || apt-get install -y -qq clang libclang-rt-14-dev
if [ ! -f build-fuzz/build.ninja ]; then
    CC=clang meson setup build-fuzz -Db_lundef=false -Dfuzzing=true >/dev/null
fi
ninja -C build-fuzz tests/fuzz/fuzz-json tests/fuzz/fuzz-numa-opts
for h in fuzz-json fuzz-numa-opts; do
    mkdir -p "build-fuzz/corpus-$h"
    echo "== $h for ${secs}s"
    "build-fuzz/tests/fuzz/$h" -max_total_time="$secs" -max_len=4096 "build-fuzz/corpus-$h"
done
