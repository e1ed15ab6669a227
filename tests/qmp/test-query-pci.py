#!/usr/bin/env python3
"""query-pci and HMP "info pci" against the real binary (TAP).

The pc machine has bus 0 with the i440FX host bridge at 00:00.0 and the PIIX3 ISA bridge at
00:01.0: both answers are checked field by field, and, when QEMU 7.2 is installed, against
QEMU's own answer for -M pc -nodefaults (whose PIIX3 IDE and PIIX4 PM functions 01.1/01.3
numbat does not have, so those are left out of the comparison).  The e2k machine has no PCI:
its query-pci is an empty list, its info pci empty.

usage: test-query-pci.py NUMBAT_X86_64 [NUMBAT_E2K]
"""
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qmp import QMPMachine  # noqa: E402
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from tap import Tap  # noqa: E402

ARGS = ['-accel', 'qtest', '-display', 'none', '-nodefaults']


def function(slot, fn, cls, desc, device):
    return {'bus': 0, 'slot': slot, 'function': fn, 'irq_pin': 0, 'qdev_id': '',
            'class_info': {'class': cls, 'desc': desc},
            'id': {'vendor': 0x8086, 'device': device,
                   'subsystem-vendor': 0x1af4, 'subsystem': 0x1100},
            'regions': []}


WANT = [{'bus': 0, 'devices': [function(0, 0, 0x0600, 'Host bridge', 0x1237),
                               function(1, 0, 0x0601, 'ISA bridge', 0x7000)]}]
WANT_INFO = ('  Bus  0, device   0, function 0:\r\n'
             '    Host bridge: PCI device 8086:1237\r\n'
             '      PCI subsystem 1af4:1100\r\n'
             '      id ""\r\n'
             '  Bus  0, device   1, function 0:\r\n'
             '    ISA bridge: PCI device 8086:7000\r\n'
             '      PCI subsystem 1af4:1100\r\n'
             '      id ""\r\n')


def ask(binary, args):
    """query-pci, info pci and the command list of one run."""
    with QMPMachine(binary, args) as vm:
        vm.negotiate()
        pci = vm.command('query-pci')
        info = vm.command('human-monitor-command', command_line='info pci')
        commands = {c['name'] for c in vm.command('query-commands')}
        help_text = vm.command('human-monitor-command', command_line='info')
    return pci, info, commands, help_text


def info_blocks(text):
    """info pci text cut into one block per function, keyed by (slot, function)."""
    blocks = {}
    for m in re.finditer(r'  Bus +(\d+), device +(\d+), function (\d+):\r\n(?:    .*\r\n)*', text):
        blocks[(int(m[2]), int(m[3]))] = m[0]
    return blocks


def check_pc(t, binary, qemu):
    pci, info, commands, help_text = ask(binary, ARGS + ['-M', 'pc', '-m', '256M'])
    t.ok('query-pci' in commands, 'query-pci is a command')
    t.ok('info pci  -- show PCI info' in help_text, '"info" lists info pci', help_text)
    t.eq(pci, WANT, 'query-pci: bus 0, 00:00.0 i440FX and 00:01.0 PIIX3, QEMU-shaped')
    devs = pci[0]['devices'] if pci else []
    t.eq([(d['bus'], d['slot'], d['function']) for d in devs], [(0, 0, 0), (0, 1, 0)],
         'query-pci: the two functions in slot/function order')
    t.ok(all('irq' not in d and 'pci_bridge' not in d for d in devs),
         'query-pci: no irq (no interrupt pin) and no pci_bridge member', devs)
    t.eq(info, WANT_INFO, 'info pci: QEMU\'s layout for both functions')
    # the answer does not depend on memory size or NUMA
    pci2, _i, _c, _h = ask(binary, ARGS + ['-m', '1G', '-smp', '2',
                                            '-object', 'memory-backend-ram,id=m0,size=512M',
                                            '-object', 'memory-backend-ram,id=m1,size=512M',
                                            '-numa', 'node,memdev=m0,cpus=0',
                                            '-numa', 'node,memdev=m1,cpus=1'])
    t.eq(pci2, WANT, 'query-pci: the same with two NUMA nodes and 1G')
    if not qemu:
        t.ok(True, 'query-pci equals QEMU 7.2 # SKIP qemu-system-x86_64 not installed')
        t.ok(True, 'info pci equals QEMU 7.2 # SKIP qemu-system-x86_64 not installed')
        return
    # QEMU's qtest accelerator needs a qtest chardev: TCG held by -S runs no guest code either,
    # so its firmware has not reprogrammed anything yet (reset values, as numbat's).
    qpci, qinfo, _c, _h = ask(qemu, ['-accel', 'tcg', '-S', '-display', 'none', '-nodefaults',
                                     '-M', 'pc', '-m', '256M'])
    qdevs = [d for d in qpci[0]['devices'] if (d['slot'], d['function']) in ((0, 0), (1, 0))]
    t.eq(pci, [{'bus': qpci[0]['bus'], 'devices': qdevs}],
         'query-pci equals QEMU 7.2 for 00:00.0 and 00:01.0')
    qb, nb = info_blocks(qinfo), info_blocks(info)
    t.eq(nb, {k: qb.get(k) for k in ((0, 0), (1, 0))},
         'info pci equals QEMU 7.2 for 00:00.0 and 00:01.0')


def check_e2k(t, binary):
    if not binary or not os.path.exists(binary):
        t.ok(True, 'e2k: query-pci is empty # SKIP no numbat-system-e2k given')
        return
    pci, info, _c, _h = ask(binary, ['-accel', 'qtest', '-display', 'none'])
    t.eq((pci, info), ([], ''), 'e2k: no PCI, query-pci [] and info pci empty')


def main():
    t = Tap()
    qemu = shutil.which('qemu-system-x86_64')
    check_pc(t, sys.argv[1], qemu)
    check_e2k(t, sys.argv[2] if len(sys.argv) > 2 else None)
    return t.finish()


if __name__ == '__main__':
    sys.exit(main())
