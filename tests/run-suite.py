#!/usr/bin/env python3
"""Run numbat's whole test suite through meson and print one closing line: N passed, N failed.

Every test program speaks TAP (GTest with --tap, the python drivers by hand), so the count is
of individual test cases, not of programs.  A program that crashes or exits non-zero without
reporting a failing case counts as one extra failure.
"""
import argparse
import json
import os
import re
import subprocess
import sys

TAP_LINE = re.compile(r'^(not ok|ok)\b(.*)$')


def count_tap(text):
    passed = failed = skipped = 0
    for line in (text or '').splitlines():
        m = TAP_LINE.match(line.strip())
        if not m:
            continue
        directive = m.group(2)
        if '# SKIP' in directive.upper():
            skipped += 1
        elif m.group(1) == 'ok':
            passed += 1
        elif '# TODO' in directive.upper():
            skipped += 1
        else:
            failed += 1
    return passed, failed, skipped


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--build', default='build')
    ap.add_argument('--suite', action='append', default=[])
    ap.add_argument('meson_args', nargs='*')
    args = ap.parse_args()

    cmd = ['meson', 'test', '-C', args.build, '--print-errorlogs', '--num-processes', '2']
    for s in args.suite:
        cmd += ['--suite', s]
    cmd += args.meson_args
    rc = subprocess.call(cmd)

    log = os.path.join(args.build, 'meson-logs', 'testlog.json')
    passed = failed = skipped = 0
    if os.path.exists(log):
        with open(log) as f:
            for line in f:
                entry = json.loads(line)
                p, fl, s = count_tap(entry.get('stdout'))
                ok = entry.get('result') in ('OK', 'EXPECTEDFAIL', 'SKIP')
                if p + fl + s == 0:
                    # not a TAP producer, or it died before reporting anything
                    p, fl = (1, 0) if ok else (0, 1)
                elif not ok and fl == 0:
                    fl = 1
                    print('FAILED (exit status): ' + entry.get('name', '?'))
                passed, failed, skipped = passed + p, failed + fl, skipped + s
    elif rc == 0:
        print('no test log found', file=sys.stderr)
        failed = 1
    if rc != 0 and failed == 0:
        failed = 1
    tail = f', {skipped} skipped' if skipped else ''
    print(f'{passed} passed, {failed} failed{tail}')
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == '__main__':
    sys.exit(main())
