#!/bin/sh
# Install what numbat needs to build and test on Debian 12 (run as root; idempotent).
set -e
PKGS="build-essential meson ninja-build pkg-config python3 libglib2.0-dev libfdt-dev
      device-tree-compiler acpica-tools libunicorn-dev qemu-system-x86 socat
      liblz4-dev zlib1g-dev liblzma-dev libzstd-dev cpio"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing
fi
