#!/bin/sh
# The main job: build numbat, then compose a 2-node NUMA pc machine and show what it built --
# the QMP view (query-numa, info numa, query-memdev) and the ACPI SRAT/SLIT a guest would read.
set -e
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
sh scripts/build.sh >/dev/null
NUMBAT=./build/numbat-system-x86_64
TOPOLOGY="-m 256M -smp 4,sockets=2
  -object memory-backend-ram,id=m0,size=128M -object memory-backend-ram,id=m1,size=128M
  -numa node,nodeid=0,memdev=m0 -numa node,nodeid=1,memdev=m1 -numa dist,src=0,dst=1,val=21"

echo "== machines"
$NUMBAT -machine help
echo
echo "== QMP view of: $(echo $TOPOLOGY)"
# shellcheck disable=SC2086
printf '%s\n' '{"execute": "qmp_capabilities"}' '{"execute": "query-numa"}' \
    '{"execute": "human-monitor-command", "arguments": {"command-line": "info numa"}}' \
    '{"execute": "query-memdev"}' '{"execute": "quit"}' |
    $NUMBAT -accel qtest -qmp stdio -display none $TOPOLOGY
echo
echo "== the ACPI SRAT and SLIT for it (iasl -d of -machine pc,dumpacpi=DIR)"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# shellcheck disable=SC2086
$NUMBAT -accel qtest -display none -machine pc,dumpacpi="$dir" $TOPOLOGY
(cd "$dir" && iasl -d SRAT.dat SLIT.dat >/dev/null 2>&1)
grep -E "Proximity Domain|Apic ID|Base Address|Address Length|Locality" "$dir/SRAT.dsl" "$dir/SLIT.dsl" |
    sed "s|$dir/||"
