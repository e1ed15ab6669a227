#!/usr/bin/env python3
"""bench/boot: Debian's cloud kernel + the busybox initramfs on a 2-node topology, booted to
/init and powered off, under numbat (-accel interp) and QEMU 7.2 (-accel tcg) in one run;
prints the wall-clock times and their ratio.  A benchmark, not a test.

usage: bench/boot/run.py [--numbat build/numbat-system-x86_64] [--qemu qemu-system-x86_64]
                         [--runs 3] [--cache ~/.cache/numbat]
(scripts/fetch-guest.sh and scripts/make-initramfs.sh fill the cache.)
"""
import argparse
import os
import shutil
import statistics
import subprocess
import time

TOPOLOGY = ['-m', '512M', '-smp', '1',
            '-object', 'memory-backend-ram,id=m0,size=256M',
            '-object', 'memory-backend-ram,id=m1,size=256M',
            '-numa', 'node,nodeid=0,memdev=m0,cpus=0', '-numa', 'node,nodeid=1,memdev=m1',
            '-numa', 'dist,src=0,dst=1,val=21']


def boot(binary, accel, cache):
    cmd = [binary, '-accel', accel, '-display', 'none', '-no-reboot', '-serial', 'stdio',
           '-kernel', os.path.join(cache, 'vmlinuz'),
           '-initrd', os.path.join(cache, 'initramfs.cpio.gz'),
           '-append', 'console=ttyS0 panic=-1'] + TOPOLOGY
    if 'qemu' in os.path.basename(binary):
        cmd += ['-M', 'pc', '-nodefaults']
    start = time.monotonic()
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=600)
    secs = time.monotonic() - start
    out = p.stdout.decode('utf-8', 'replace')
    if p.returncode != 0 or 'NUMBAT-GUEST-END' not in out:
        raise RuntimeError(f'{binary}: exit {p.returncode}, no guest view:\n{out[-2000:]}')
    return secs


def measure(name, binary, accel, cache, runs):
    times = [boot(binary, accel, cache) for _ in range(runs)]
    med = statistics.median(times)
    print(f'{name:8s} median {med:6.2f} s over {runs} runs (min {min(times):.2f}, max {max(times):.2f})')
    return med


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
    n = measure('numbat', a.numbat, 'interp', a.cache, a.runs)
    if shutil.which(a.qemu):
        q = measure('qemu', a.qemu, 'tcg', a.cache, a.runs)
        print(f'ratio numbat/qemu = {n / q:.2f} (first target <= 5)')
    else:
        print('qemu not found: no ratio')


if __name__ == '__main__':
    main()
