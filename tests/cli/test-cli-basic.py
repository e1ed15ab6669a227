#!/usr/bin/env python3
"""Command-line basics of the real binaries (TAP): unknown options, -version, -help, -machine help,
unsupported machines, -object help, argument errors.  Texts are QEMU 7.2's where QEMU has them.

usage: test-cli-basic.py NUMBAT_X86_64 [NUMBAT_E2K]
"""
import os
import subprocess
import sys


sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from tap import Tap  # noqa: E402


def run(binary, *args):
    return subprocess.run([binary] + list(args), capture_output=True, text=True, timeout=20,
                          stdin=subprocess.DEVNULL)


def check_fails(t, binary, args, stderr, what):
    p = run(binary, *args)
    t.eq((p.returncode, p.stderr, p.stdout), (1, stderr, ''), what)


def test_x86(t, b):
    prog = os.path.basename(b)
    check_fails(t, b, ['-foo'], '%s: -foo: invalid option\n' % prog, 'unknown option')
    check_fails(t, b, ['--foo'], '%s: --foo: invalid option\n' % prog, 'unknown --option')
    check_fails(t, b, ['-m'], '%s: -m: requires an argument\n' % prog, 'missing argument')
    p = run(b, '-version')
    t.ok(p.returncode == 0 and p.stdout.startswith('numbat emulator version 0.1.0\n'),
         '-version prints the version and exits 0', p)
    p = run(b, '--help')
    t.ok(p.returncode == 0 and 'usage: %s [options]' % prog in p.stdout and
         '-machine' in p.stdout and '-qmp' in p.stdout, '--help prints usage and exits 0', p)
    for opt in ('-machine', '-M'):
        p = run(b, opt, 'help')
        t.eq((p.returncode, p.stdout, p.stderr),
             (0, 'Supported machines are:\n%-20s %s (default)\n'
              % ('pc', 'Standard PC (i440FX + PIIX, 1996)'), ''), '%s help lists pc' % opt)
    check_fails(t, b, ['-machine', 'foo'],
                '%s: unsupported machine type\nUse -machine help to list supported machines\n'
                % prog, '-machine foo: QEMU\'s message and hint, exit 1')
    check_fails(t, b, ['-machine', 'e2k'],
                '%s: unsupported machine type\nUse -machine help to list supported machines\n'
                % prog, 'the x86 binary does not offer e2k')
    check_fails(t, b, ['-machine', 'pc,foo=bar', '-accel', 'qtest'],
                "%s: -machine pc,foo=bar: Property 'pc-machine.foo' not found\n" % prog,
                'unknown -machine property')
    p = run(b, '-object', 'help')
    lines = p.stdout.splitlines()
    t.ok(p.returncode == 0 and lines[:1] == ['List of user creatable objects:'] and
         all(line.startswith('  ') for line in lines[1:]), '-object help lists types', p)
    p = run(b, '-object', 'memory-backend-ram,help')
    t.ok(p.returncode == 0 and p.stdout.startswith('memory-backend-ram options:\n') and
         '\n  size=' in p.stdout, '-object memory-backend-ram,help lists its options', p)
    check_fails(t, b, ['-object', 'foo,help'],
                "%s: -object foo,help: Parameter 'qom-type' does not accept value 'foo'\n" % prog,
                '-object with an unknown type')
    check_fails(t, b, ['-accel', 'foo'], '%s: -accel foo: invalid accelerator foo\n' % prog,
                'unknown accelerator')
    check_fails(t, b, ['-qmp', 'foo:bar', '-accel', 'qtest'],
                "%s: -qmp foo:bar: 'foo:bar' is not a valid char driver\n" % prog,
                'bad -qmp character device')
    check_fails(t, b, ['-qmp', 'stdio', '-serial', 'stdio'],
                '%s: -serial stdio: cannot use stdio by multiple character devices\n' % prog,
                'stdio used twice')
    check_fails(t, b, ['-smp', 'foo=1'], "%s: -smp foo=1: Invalid parameter 'foo'\n" % prog,
                'unknown -smp key')
    check_fails(t, b, ['-display', 'gtk'],
                "%s: -display gtk: Parameter 'type' does not accept value 'gtk'\n" % prog,
                'unsupported display')
    p = run(b, '-accel', 'help')
    t.ok(p.returncode == 0 and 'qtest' in p.stdout.splitlines(), '-accel help lists qtest', p)


def test_e2k(t, b):
    p = run(b, '-machine', 'help')
    t.eq((p.returncode, p.stdout), (0, 'Supported machines are:\n%-20s %s (default)\n'
                                    % ('e2k', 'Elbrus e2k board')), 'e2k: -machine help')
    p = run(b, '-machine', 'pc')
    t.eq(p.returncode, 1, 'e2k: the e2k binary does not offer pc')


def main():
    if len(sys.argv) < 2:
        print('usage: %s NUMBAT_X86_64 [NUMBAT_E2K]' % sys.argv[0], file=sys.stderr)
        return 2
    t = Tap()
    test_x86(t, sys.argv[1])
    if len(sys.argv) > 2:
        test_e2k(t, sys.argv[2])
    print('1..%d' % t.n)
    return 1 if t.failed else 0


if __name__ == '__main__':
    sys.exit(main())
