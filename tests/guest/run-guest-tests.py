#!/usr/bin/env python3
"""Run the bare-metal guests (PVH ELF) under numbat and, when installed, QEMU TCG (TAP).

Each guest prints TAP-like "ok N - ..." lines on the serial port and ends with a write of its
failure count to isa-debug-exit, so a clean run exits with status (0 << 1) | 1 = 1.  Under QEMU
the same ELF must print the same serial text and exit with the same status.

usage: run-guest-tests.py NUMBAT_X86_64 GUEST.elf...
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

ARGS = ['-kernel', None, '-append', 'guest-cmdline x=1',
        '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04',
        '-serial', 'stdio', '-display', 'none', '-no-reboot', '-m', '128']
TIMEOUT = 60
# Guests that end by powering off through ACPI PM1 (exit 0) instead of isa-debug-exit.
EXIT_STATUS = {'timer.elf': 0}


sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from tap import Tap  # noqa: E402


def run(cmd):
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=TIMEOUT)
        return p.returncode, p.stdout.decode('utf-8', 'replace'), p.stderr.decode('utf-8', 'replace')
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b'').decode('utf-8', 'replace')
        return None, out, 'timed out after %d s' % TIMEOUT


def args_for(elf):
    a = list(ARGS)
    a[1] = elf
    return a


def guest_verdict(status, out, expected=1):
    lines = out.splitlines()
    bad = [l for l in lines if l.startswith('not ok')]
    good = [l for l in lines if l.startswith('ok ')]
    return status == expected and not bad and good, len(good), bad


ICOUNT_RE = re.compile(r'^numbat: (\d+) guest instructions retired, ([0-9.]+) s virtual time '
                       r'\(([0-9.]+) s idle\)$', re.M)


def check_icount(t, numbat, elf):
    """-d icount: one line at exit, the same count twice (the guest is deterministic), and the
    guest unchanged; -d profile: the histogram holds one sample per profile-period retired
    instructions, and the guest runs exactly as without it."""
    name = os.path.basename(elf)
    st0, out0, _ = run([numbat, '-accel', 'interp'] + args_for(elf))
    runs = [run([numbat, '-accel', 'interp', '-d', 'icount'] + args_for(elf)) for _ in range(2)]
    counts = []
    for st, out, err in runs:
        m = ICOUNT_RE.findall(err)
        counts.append(int(m[0][0]) if len(m) == 1 else None)
        t.ok(len(m) == 1 and st == st0 and out == out0,
             '%s -d icount: one count line on stderr, guest output and status unchanged' % name,
             'stderr:\n%s\nstdout:\n%s' % (err, out))
    t.ok(counts[0] is not None and counts[0] > 0 and counts[0] == counts[1],
         '%s -d icount: the same count in two runs (%s)' % (name, counts))
    with tempfile.TemporaryDirectory() as tmp:
        hist = os.path.join(tmp, 'prof.txt')
        st, out, err = run([numbat, '-accel', 'interp', '-d',
                            'icount,profile=%s,profile-period=97' % hist] + args_for(elf))
        m = ICOUNT_RE.findall(err)
        try:
            with open(hist) as f:
                rows = [line.split() for line in f]
            samples = sum(int(n) for _, n in rows)
        except (OSError, ValueError):
            samples = None
        n = int(m[0][0]) if len(m) == 1 else 0
        t.ok(out == out0 and n == counts[0] and samples is not None and
             n // 97 - 1 <= samples <= n // 97,
             '%s -d profile: %s samples, one per 97 of %d retired instructions (the same '
             'count and output as without)' % (name, samples, n), 'stderr:\n%s' % err)


def main():
    numbat, elfs = sys.argv[1], sys.argv[2:]
    qemu = shutil.which('qemu-system-x86_64')
    t = Tap()
    for elf in elfs:
        name = os.path.basename(elf)
        st, out, err = run([numbat, '-accel', 'interp'] + args_for(elf))
        passed, n, bad = guest_verdict(st, out, EXIT_STATUS.get(name, 1))
        t.ok(passed, '%s under numbat: exit status %s, %d guest checks passed' % (name, st, n),
             'stdout:\n%s\nstderr:\n%s' % (out, err))
        if not qemu:
            print('ok %d - %s under QEMU # SKIP qemu-system-x86_64 not installed' % (t.n + 1, name))
            t.n += 1
            continue
        qst, qout, qerr = run([qemu, '-M', 'pc', '-accel', 'tcg'] + args_for(elf))
        t.ok(qst == st and qout == out, '%s: numbat and QEMU TCG agree (serial text, exit '
             'status %s)' % (name, qst),
             'numbat %s:\n%s\nqemu %s:\n%s\n%s' % (st, out, qst, qout, qerr))
    for elf in elfs:
        if os.path.basename(elf) in ('hello.elf', 'timer.elf'):
            check_icount(t, numbat, elf)
    print('1..%d' % t.n)
    return 0 if t.failed == 0 else 1


if __name__ == '__main__':
    sys.exit(main())
