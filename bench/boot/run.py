#!/usr/bin/env python3
"""bench/boot: Debian's cloud kernel + the busybox initramfs on a 2-node topology, booted to
/init and powered off, under numbat (-accel interp) and QEMU 7.2 (-accel tcg) in one run;
prints the wall-clock times and their ratio, and numbat's guest instruction count (-d icount)
with its guest MIPS.  A benchmark, not a test.

usage: bench/boot/run.py [--numbat build/numbat-system-x86_64] [--qemu qemu-system-x86_64]
                         [--runs 3] [--cache ~/.cache/numbat]
(scripts/fetch-guest.sh and scripts/make-initramfs.sh fill the cache.)
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import time

TOPOLOGY = ['-m', '512M', '-smp', '1',
            '-object', 'memory-backend-ram,id=m0,size=256M',
            '-object', 'memory-backend-ram,id=m1,size=256M',
            '-numa', 'node,nodeid=0,memdev=m0,cpus=0', '-numa', 'node,nodeid=1,memdev=m1',
            '-numa', 'dist,src=0,dst=1,val=21']
ICOUNT_RE = re.compile(r'numbat: (\d+) guest instructions retired, ([0-9.]+) s virtual time')


def boot_cmd(binary, accel, cache, initrd=None, extra=()):
    """The benchmark's command line (also used by bench/boot/profile.py)."""
    cmd = [binary, '-accel', accel, '-display', 'none', '-no-reboot', '-serial', 'stdio',
           '-kernel', os.path.join(cache, 'vmlinuz'),
           '-initrd', initrd or os.path.join(cache, 'initramfs.cpio.gz'),
           '-append', 'console=ttyS0 panic=-1'] + TOPOLOGY + list(extra)
    if 'qemu' in os.path.basename(binary):
        cmd += ['-M', 'pc', '-nodefaults']
    return cmd


def boot(binary, accel, cache):
    """One boot: (wall seconds, guest instructions or None)."""
    numbat = accel == 'interp'
    cmd = boot_cmd(binary, accel, cache, extra=['-d', 'icount'] if numbat else [])
    start = time.monotonic()
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=600)
    secs = time.monotonic() - start
    out = p.stdout.decode('utf-8', 'replace')
    if p.returncode != 0 or 'NUMBAT-GUEST-END' not in out:
        raise RuntimeError(f'{binary}: exit {p.returncode}, no guest view:\n{out[-2000:]}')
    m = ICOUNT_RE.search(p.stderr.decode('utf-8', 'replace')) if numbat else None
    if numbat and not m:
        raise RuntimeError(f'{binary}: no "-d icount" line on stderr')
    return secs, int(m.group(1)) if m else None


def measure(name, binary, accel, cache, runs):
    results = [boot(binary, accel, cache) for _ in range(runs)]
    times = [t for t, _ in results]
    med = statistics.median(times)
    print(f'{name:8s} median {med:6.2f} s over {runs} runs (min {min(times):.2f}, max {max(times):.2f})')
    counts = [n for _, n in results if n is not None]
    if counts:
        n = statistics.median(counts)
        print(f'{name:8s} {n / 1e9:.3f} G guest instructions retired (median; '
              f'range {min(counts)}..{max(counts)}), {n / med / 1e6:.0f} guest MIPS at the '
              f'median wall time')
    return med, (statistics.median(counts) if counts else None)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--numbat', default='build/numbat-system-x86_64')
    ap.add_argument('--qemu', default='qemu-system-x86_64')
    ap.add_argument('--runs', type=int, default=3)
    ap.add_argument('--cache', default=os.environ.get(
        'NUMBAT_CACHE', os.path.join(os.path.expanduser('~'), '.cache', 'numbat')))
    a = ap.parse_args()
    print('boot: Debian cloud kernel + busybox initramfs, 2 nodes (256M each, distance 21), '
          '1 vCPU, to /init and ACPI poweroff')
    n, count = measure('numbat', a.numbat, 'interp', a.cache, a.runs)
    if shutil.which(a.qemu):
        q, _ = measure('qemu', a.qemu, 'tcg', a.cache, a.runs)
        print(f'ratio numbat/qemu = {n / q:.2f} (first target <= 5)')
        print(f'qemu: its guest instruction count is not known (TCG runs on wall-clock time, '
              f'so its guest does not execute the same instructions); the same count at '
              f'numbat\'s would be {count / q / 1e6:.0f} MIPS')
    else:
        print('qemu not found: no ratio')


if __name__ == '__main__':
    main()
