#!/bin/sh
# The main job, for now: build numbat, list its machines, and hold a short QMP conversation.
set -e
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
sh scripts/build.sh
echo "== numbat-system-x86_64 -machine help"
./build/numbat-system-x86_64 -machine help
echo "== QMP session (numbat-system-x86_64 -accel qtest -qmp stdio)"
printf '%s\n' '{"execute": "qmp_capabilities"}' '{"execute": "query-version"}' \
    '{"execute": "quit"}' | ./build/numbat-system-x86_64 -accel qtest -qmp stdio -display none
