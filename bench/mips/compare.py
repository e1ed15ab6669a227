#!/usr/bin/env python3
"""Wall time of one bare-metal guest (PVH ELF) under numbat (-accel interp) and QEMU TCG; prints the ratio.

usage: compare.py NUMBAT_X86_64 GUEST.elf [runs]
"""
import shutil
import subprocess
import sys
import time

COMMON = ['-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04', '-serial', 'stdio',
          '-display', 'none', '-no-reboot', '-m', '128']


def best_of(cmd, runs):
    best, out = None, None
    for _ in range(runs):
        t0 = time.monotonic()
        p = subprocess.run(cmd, capture_output=True, stdin=subprocess.DEVNULL, timeout=600)
        dt = time.monotonic() - t0
        if p.returncode != 1:
            sys.exit('%s: exit status %d\n%s' % (cmd[0], p.returncode, p.stderr.decode()))
        best = dt if best is None else min(best, dt)
        out = p.stdout.decode().strip()
    return best, out


def main():
    numbat, elf = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    tn, on = best_of([numbat, '-accel', 'interp', '-kernel', elf] + COMMON, runs)
    print('numbat interp: %.3f s  (%s)' % (tn, on))
    qemu = shutil.which('qemu-system-x86_64')
    if not qemu:
        print('qemu-system-x86_64 not installed: no comparison')
        return 0
    tq, oq = best_of([qemu, '-M', 'pc', '-accel', 'tcg', '-kernel', elf] + COMMON, runs)
    print('QEMU TCG:      %.3f s  (%s)' % (tq, oq))
    if on != oq:
        print('warning: the guests printed different results')
    print('wall-time ratio numbat/QEMU: %.2f (best of %d runs each, incl. start-up)' % (tn / tq, runs))
    return 0


if __name__ == '__main__':
    sys.exit(main())
