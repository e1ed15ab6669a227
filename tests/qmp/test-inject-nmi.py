#!/usr/bin/env python3
"""QMP inject-nmi (TAP): the bare-metal guest nmi.elf, started with "wait-nmi" on its command
line, runs its own NMI checks, then waits in cli; hlt until an NMI arrives from the monitor
(the board's NMI line reaches LINT1, which the guest programs in NMI mode).  inject-nmi answers
{} and the guest reports it and exits through isa-debug-exit.  While the guest is paused the
NMI waits and is taken at cont.  Also: no arguments accepted, listed by query-commands, {}
under qtest (no vCPU), "not currently supported" on a board without an NMI line (e2k).  When
QEMU is installed the same guest and commands run under QEMU TCG, which must print the same.

usage: test-inject-nmi.py NUMBAT_X86_64 NUMBAT_E2K GUEST.elf...   (uses nmi.elf)
"""
import json
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qmp import QMPMachine, execute_with_events as execute, file_text as serial_text, wait_for_text  # noqa: E402,E501
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from tap import Tap  # noqa: E402

WAITING = 'waiting for an NMI from the monitor'
ARRIVED = "the monitor's NMI arrived through LINT1"


def run_guest(t, binary, elf, tmp, label, extra):
    """The guest under binary: wait, inject (while paused first), exit.  Returns the serial
    text and the exit status."""
    out = os.path.join(tmp, label + '.txt')
    open(out, 'w').close()
    args = extra + ['-display', 'none', '-m', '128', '-no-reboot', '-kernel', elf,
                    '-append', 'wait-nmi', '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04',
                    '-serial', 'file:' + out]
    with QMPMachine(binary, args, timeout=30.0) as vm:
        vm.negotiate()
        t.ok(wait_for_text(out, WAITING, 20.0), '%s: the guest waits for the NMI' % label,
             serial_text(out))
        rsp, ev = execute(vm, 'stop')
        t.eq((rsp, ev), ({'return': {}}, ['STOP']), '%s: stop' % label)
        rsp, ev = execute(vm, 'inject-nmi')
        t.eq((rsp, ev), ({'return': {}}, []), '%s: inject-nmi answers {} (no event)' % label)
        time.sleep(0.3)
        t.ok(ARRIVED not in serial_text(out), '%s: paused, the guest has not seen it yet' % label)
        vm.send_raw(json.dumps({'execute': 'cont'}) + '\n')
        status = vm.wait(timeout=30)
    text = serial_text(out)
    t.ok(ARRIVED in text, '%s: after cont the guest took the NMI' % label, text)
    return text, status


def main():
    binary, e2k, elfs = sys.argv[1], sys.argv[2], sys.argv[3:]
    elf = next(e for e in elfs if os.path.basename(e) == 'nmi.elf')
    t = Tap()
    with tempfile.TemporaryDirectory(prefix='numbat-nmi-') as tmp:
        text, status = run_guest(t, binary, elf, tmp, 'numbat', ['-accel', 'interp'])
        bad = [l for l in text.splitlines() if l.startswith('not ok')]
        t.ok(status == 1 and not bad, 'numbat: every guest check passed, exit status 1 (got %s)'
             % status, text)
        qemu = shutil.which('qemu-system-x86_64')
        if qemu:
            qtext, qstatus = run_guest(t, qemu, elf, tmp, 'qemu', ['-M', 'pc', '-accel', 'tcg'])
            t.ok(qtext == text and qstatus == status,
                 'numbat and QEMU TCG agree (serial text, exit status %s)' % qstatus,
                 'numbat:\n%s\nqemu:\n%s' % (text, qtext))
        else:
            print('ok %d - QEMU comparison # SKIP qemu-system-x86_64 not installed' % (t.n + 1))
            t.n += 1
    with QMPMachine(binary, ['-accel', 'qtest', '-display', 'none']) as vm:
        vm.negotiate()
        t.eq(vm.cmd('inject-nmi'), {'return': {}}, 'qtest (no vCPU): inject-nmi answers {}')
        rsp = vm.cmd('inject-nmi', {'x': 1})
        t.eq(rsp.get('error', {}).get('class'), 'GenericError', 'inject-nmi takes no arguments')
        names = [c['name'] for c in vm.command('query-commands')]
        t.ok('inject-nmi' in names, 'query-commands lists inject-nmi')
        t.eq(vm.close(), 0, 'quit: exit status 0')
    with QMPMachine(e2k, ['-accel', 'qtest', '-display', 'none']) as vm:
        vm.negotiate()
        rsp = vm.cmd('inject-nmi')
        t.eq(rsp.get('error'), {'class': 'GenericError',
                                'desc': 'this feature or command is not currently supported'},
             'e2k (no NMI line): not currently supported')
        rsp = vm.cmd('human-monitor-command', {'command-line': 'nmi'})
        t.eq(rsp, {'return': 'Error: this feature or command is not currently supported\r\n'},
             'e2k: HMP nmi prints the error line')
    sys.exit(t.finish())


if __name__ == '__main__':
    main()
