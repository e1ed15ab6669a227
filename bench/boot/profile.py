#!/usr/bin/env python3
"""bench/boot/profile.py: where the guest spends its instructions during the boot benchmark.

Boots the benchmark (bench/boot/run.py's command line and initramfs) under numbat with
"-d profile=FILE" (the guest RIP sampled every N retired instructions, written as a histogram
at exit) and prints the top guest functions.  The symbols come from a first boot with a
kallsyms-printing initramfs built in a temporary directory from the cached busybox
(tests/guest/linux_guest.py); they are cached next to the kernel, keyed by its hash.  Two
boots rather than one: dumping /proc/kallsyms through the emulated UART costs hundreds of
millions of guest instructions, which would swamp the profile.  The kernel is not relocated
under numbat's PVH entry, so the first boot's addresses hold for the second.

usage: bench/boot/profile.py [--numbat build/numbat-system-x86_64] [--cache ~/.cache/numbat]
                             [--period 10007] [--top 30] [--insns 0] [--keep FILE]
"""
import argparse
import bisect
import collections
import hashlib
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402  (bench/boot/run.py: the benchmark's command line)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..',
                                'tests', 'guest'))
from linux_guest import write_initramfs  # noqa: E402

INIT = '''#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t devtmpfs dev /dev
exec </dev/console >/dev/console 2>&1
mount -t proc proc /proc
echo 0 > /proc/sys/kernel/kptr_restrict
echo NUMBAT-KALLSYMS-BEGIN
grep -i " t " /proc/kallsyms
echo NUMBAT-KALLSYMS-END
poweroff -f
'''


def make_initramfs(cache, out):
    """A busybox initramfs whose /init prints the kernel's text symbols."""
    busybox = os.path.join(cache, 'busybox')
    if not os.access(busybox, os.X_OK):
        sys.exit(f'profile: no {busybox} (run scripts/fetch-guest.sh)')
    write_initramfs(busybox, INIT, out)


def kallsyms(numbat, cache):
    """[(address, name)] of the kernel's text symbols, sorted (cached per kernel image)."""
    with open(os.path.join(cache, 'vmlinuz'), 'rb') as f:
        digest = hashlib.sha256(f.read()).hexdigest()[:16]
    path = os.path.join(cache, f'kallsyms-{digest}.txt')
    if not os.path.exists(path):
        with tempfile.TemporaryDirectory() as tmp:
            initrd = os.path.join(tmp, 'kallsyms.cpio.gz')
            make_initramfs(cache, initrd)
            print('profile: first boot, for /proc/kallsyms ...', file=sys.stderr)
            p = subprocess.run(run.boot_cmd(numbat, 'interp', cache, initrd=initrd),
                               stdin=subprocess.DEVNULL, capture_output=True, timeout=1800)
        out = p.stdout.decode('utf-8', 'replace').replace('\r', '')
        if 'NUMBAT-KALLSYMS-END' not in out:
            sys.exit(f'profile: the kallsyms boot failed (exit {p.returncode}):\n{out[-2000:]}')
        body = out.split('NUMBAT-KALLSYMS-BEGIN\n', 1)[1].split('NUMBAT-KALLSYMS-END', 1)[0]
        with open(path + '.tmp', 'w') as f:
            f.write(body)
        os.replace(path + '.tmp', path)
    syms = []
    with open(path) as f:
        for line in f:
            p = line.split()
            if len(p) >= 3 and p[1] in ('t', 'T'):
                try:
                    syms.append((int(p[0], 16), p[2]))
                except ValueError:
                    pass
    syms.sort()
    if not syms or syms[0][0] == 0:
        sys.exit(f'profile: {path} has no addresses (kptr_restrict?)')
    return syms


def profile(numbat, cache, period, keep):
    """{linear address: samples} from one profiled boot of the benchmark."""
    with tempfile.TemporaryDirectory() as tmp:
        hist = keep or os.path.join(tmp, 'profile.txt')
        cmd = run.boot_cmd(numbat, 'interp', cache,
                           extra=['-d', f'icount,profile={hist},profile-period={period}'])
        print('profile: profiled boot ...', file=sys.stderr)
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=1800)
        if p.returncode != 0 or not os.path.exists(hist):
            sys.exit(f'profile: the boot failed (exit {p.returncode}):\n'
                     f'{p.stderr.decode("utf-8", "replace")[-2000:]}')
        sys.stderr.write(p.stderr.decode('utf-8', 'replace'))
        with open(hist) as f:
            return {int(a, 16): int(n) for a, n in (line.split() for line in f)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--numbat', default='build/numbat-system-x86_64')
    ap.add_argument('--cache', default=os.environ.get(
        'NUMBAT_CACHE', os.path.join(os.path.expanduser('~'), '.cache', 'numbat')))
    ap.add_argument('--period', type=int, default=10007,
                    help='retired instructions between samples (a prime avoids aliasing)')
    ap.add_argument('--top', type=int, default=30, help='functions to print')
    ap.add_argument('--insns', type=int, default=0, help='also print the N hottest addresses')
    ap.add_argument('--keep', help='write the raw histogram here')
    a = ap.parse_args()
    syms = kallsyms(a.numbat, a.cache)
    addrs = [s[0] for s in syms]
    hist = profile(a.numbat, a.cache, a.period, a.keep)
    total = sum(hist.values())
    funcs = collections.Counter()
    for addr, n in hist.items():
        i = bisect.bisect_right(addrs, addr) - 1
        if addr < 0x800000000000:
            funcs['[user space]'] += n
        elif i < 0 or addr < 0xffffffff80000000:
            funcs['[kernel, no symbol]'] += n
        else:
            funcs[syms[i][1]] += n
    print(f'{total} samples, one every {a.period} guest instructions '
          f'(~{total * a.period / 1e9:.2f} G instructions)')
    for name, n in funcs.most_common(a.top):
        print(f'{100.0 * n / total:6.2f}%  {name}')
    for addr, n in sorted(hist.items(), key=lambda kv: -kv[1])[:a.insns]:
        i = bisect.bisect_right(addrs, addr) - 1
        where = f'{syms[i][1]}+{addr - syms[i][0]:#x}' if i >= 0 else '?'
        print(f'{100.0 * n / total:6.2f}%  {addr:#x}  {where}')


if __name__ == '__main__':
    main()
