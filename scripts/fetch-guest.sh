#!/bin/sh
# Fetch Debian's cloud kernel and build a busybox-static initramfs for guest tests.
# Everything is cached outside the repo, in $NUMBAT_CACHE (default ~/.cache/numbat).
# Prints the cache directory; it holds vmlinuz, initramfs.cpio.gz and kernel-version.
set -e
cache=${NUMBAT_CACHE:-$HOME/.cache/numbat}
mkdir -p "$cache"
cd "$cache"

# Resolve the current kernel package behind the metapackage.
pkg=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
if [ -z "$pkg" ]; then
    apt-get update -qq
    pkg=$(apt-cache depends linux-image-cloud-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
fi
[ -n "$pkg" ] || { echo "fetch-guest: cannot resolve linux-image-cloud-amd64" >&2; exit 1; }
ver=${pkg#linux-image-}

if [ ! -f "vmlinuz-$ver" ]; then
    rm -rf kpkg && mkdir kpkg
    (cd kpkg && apt-get -o APT::Sandbox::User=root download "$pkg" >/dev/null)
    dpkg -x kpkg/*.deb kpkg/root
    cp "kpkg/root/boot/vmlinuz-$ver" "vmlinuz-$ver"
    rm -rf kpkg
fi
ln -sf "vmlinuz-$ver" vmlinuz
echo "$ver" > kernel-version

if [ ! -x busybox ]; then
    rm -rf bpkg && mkdir bpkg
    (cd bpkg && apt-get -o APT::Sandbox::User=root download busybox-static >/dev/null)
    dpkg -x bpkg/*.deb bpkg/root
    cp bpkg/root/bin/busybox busybox
    rm -rf bpkg
fi
echo "$cache"
