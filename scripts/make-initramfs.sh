#!/bin/sh
# Build the guest tests' busybox initramfs (cpio newc, gzip) in the cache directory, outside the repo.
# Its /init prints the guest's NUMA view (nodes online, each node's distance and MemTotal, the
# dmesg SRAT lines) and its PCI functions ("pci 0000:00:00.0 0x8086 0x1237 0x060000") between
# marker lines, then powers off.  Needs the busybox that
# scripts/fetch-guest.sh puts in the cache.  Prints the path of the image.
set -e
cache=${NUMBAT_CACHE:-$HOME/.cache/numbat}
out="$cache/initramfs.cpio.gz"
[ -x "$cache/busybox" ] || { echo "make-initramfs: no $cache/busybox (run scripts/fetch-guest.sh)" >&2; exit 1; }
command -v cpio >/dev/null || { echo "make-initramfs: cpio is not installed" >&2; exit 1; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/dev" "$root/proc" "$root/sys"
cp "$cache/busybox" "$root/bin/busybox"
cat > "$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
# No /dev/console node in the archive (no mknod needed to build it): devtmpfs supplies one.
mount -t devtmpfs dev /dev
exec </dev/console >/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sysfs /sys
echo "NUMBAT-GUEST-BEGIN"
echo "online: $(cat /sys/devices/system/node/online)"
for n in /sys/devices/system/node/node[0-9]*; do
    [ -d "$n" ] || continue
    node=${n##*/node}
    echo "node $node distance: $(cat "$n/distance")"
    echo "node $node cpulist: $(cat "$n/cpulist")"
    grep MemTotal "$n/meminfo"
done
dmesg | grep -i srat
# One line per PCI function the kernel found: address, vendor, device, class.
for d in /sys/bus/pci/devices/*; do
    [ -e "$d/vendor" ] || continue
    echo "pci ${d##*/} $(cat "$d/vendor") $(cat "$d/device") $(cat "$d/class")"
done
echo "NUMBAT-GUEST-END"
poweroff -f
INIT
chmod 755 "$root/init"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -9 -n > "$out.tmp"
mv "$out.tmp" "$out"
echo "$out"
