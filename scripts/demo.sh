#!/bin/sh
# The main job: build numbat, compose a 2-node NUMA pc machine and show what it built -- the QMP
# view (query-numa, info numa, query-memdev), the ACPI SRAT/SLIT -- then boot Debian's cloud
# kernel on it and print the guest's own view of its topology.
set -e
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
sh scripts/build.sh >/dev/null
sh scripts/fetch-guest.sh >/dev/null
cache=$(sh scripts/make-initramfs.sh)
cache=$(dirname "$cache")
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

echo
echo "== booting Debian's cloud kernel ($(cat "$cache/kernel-version")) on it; the guest's view:"
# shellcheck disable=SC2086
$NUMBAT -accel interp -display none -no-reboot -serial stdio \
    -kernel "$cache/vmlinuz" -initrd "$cache/initramfs.cpio.gz" -append 'console=ttyS0 panic=-1 quiet' \
    $(echo "$TOPOLOGY" | sed 's/-smp 4,sockets=2/-smp 1/') |
    sed -n '/NUMBAT-GUEST-BEGIN/,/NUMBAT-GUEST-END/p' | tr -d '\r'
