#!/usr/bin/env python3
"""--preconfig and set-numa-node (TAP): QEMU's numa-test sequences (/numa/pc/dynamic/cpu,
/numa/pc/hmat/build, hmat/off, hmat/erange) against numbat, and against Debian's QEMU 7.2
too when it is installed, so both must accept and refuse the same steps.

usage: test-numa-preconfig.py NUMBAT_X86 [--qemu qemu-system-x86_64]
"""
import argparse
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qmp import QMPMachine  # noqa: E402

BASE = ['-display', 'none', '-nodefaults', '--preconfig']
M64 = ['-object', 'memory-backend-ram,id=m0,size=64M', '-object', 'memory-backend-ram,id=m1,size=64M']
HMAT = (['-machine', 'hmat=on', '-smp', '2,sockets=2', '-m', '128M,slots=2,maxmem=1G'] + M64 +
        ['-numa', 'node,nodeid=0,memdev=m0', '-numa', 'node,nodeid=1,memdev=m1,initiator=0',
         '-numa', 'cpu,node-id=0,socket-id=0', '-numa', 'cpu,node-id=0,socket-id=1'])


def lb(init, target, dtype, hier='memory', **val):
    return dict(type='hmat-lb', initiator=init, target=target, hierarchy=hier,
                **{'data-type': dtype}, **val)


def cache(node, level, assoc='direct', policy='write-back', line=8, size=10240):
    return {'type': 'hmat-cache', 'node-id': node, 'size': size, 'level': level,
            'associativity': assoc, 'policy': policy, 'line': line}


HMAT_BUILD = [
    ('ERR', lb(2, 0, 'access-latency')), ('ERR', lb(0, 2, 'access-latency')),
    ('ERR', lb(1, 0, 'access-latency')),
    ('ERR', lb(0, 0, 'write-latency', bandwidth=524288000)),
    ('ERR', lb(0, 0, 'read-bandwidth', latency=5)),
    ('ERR', lb(0, 0, 'access-bandwidth', bandwidth=1048575)),
    ('OK', lb(0, 0, 'access-latency', latency=1)),
    ('ERR', lb(0, 0, 'access-latency', latency=5)),
    ('OK', lb(0, 0, 'access-bandwidth', bandwidth=68717379584)),
    ('OK', lb(0, 1, 'access-latency', latency=65534)),
    ('OK', lb(0, 1, 'access-bandwidth', bandwidth=34358689792)),
    ('ERR', cache(2, 1)), ('ERR', cache(0, 4)),
    ('ERR', cache(0, 0, 'direct', 'none', 0)), ('ERR', cache(0, 0, 'none', 'write-back', 0)),
    ('ERR', cache(0, 0, 'none', 'none', 8)),
    ('OK', cache(0, 1)), ('ERR', cache(0, 1)), ('ERR', cache(0, 2)), ('ERR', cache(0, 0)),
    ('OK', cache(1, 1)),
]
HMAT_ERANGE = [
    ('OK', lb(0, 0, 'access-latency', latency=1)),
    ('ERR', lb(0, 1, 'access-latency', latency=65535)),
    ('OK', lb(0, 0, 'access-bandwidth', bandwidth=0)),
    ('ERR', cache(0, 1)),
    ('ERR', lb(0, 1, 'access-bandwidth', bandwidth=68718428160)),
]
HMAT_OFF_ARGS = (['-smp', '2,sockets=2', '-m', '128M,slots=2,maxmem=1G'] + M64 +
                 ['-numa', 'node,nodeid=0,memdev=m0'])
HMAT_OFF = [
    ('ERR', {'type': 'node', 'nodeid': 1, 'memdev': 'm1', 'initiator': 0}),
    ('OK', {'type': 'node', 'nodeid': 1, 'memdev': 'm1'}),
    ('ERR', lb(0, 0, 'access-latency', latency=1)),
    ('ERR', cache(0, 1)),
]


sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from tap import Tap  # noqa: E402


def exit_preconfig(vm):
    """x-exit-preconfig, then the RESUME event (numbat and QEMU send it before the reply)."""
    vm.send_raw('{"execute": "x-exit-preconfig"}\n')
    seen, rsp = set(), None
    while rsp is None or 'RESUME' not in seen:
        msg = vm.recv(skip_events=False)
        if msg is None:
            return None, seen
        if 'event' in msg:
            seen.add(msg['event'])
        else:
            rsp = msg
    return rsp, seen


def sequence(tap, name, binary, args, steps):
    with QMPMachine(binary, args) as vm:
        vm.negotiate()
        got = []
        for want, arg in steps:
            rsp = vm.cmd('set-numa-node', arg)
            got.append('ERR' if 'error' in rsp else 'OK')
        want = [w for w, _ in steps]
        bad = [f'step {i + 1}: {g}, want {w}: {steps[i][1]}'
               for i, (g, w) in enumerate(zip(got, want)) if g != w]
        tap.ok(not bad, f'{name}: set-numa-node sequence', '\n'.join(bad))
        rsp, events = exit_preconfig(vm)
        tap.ok(rsp == {'return': {}} and 'RESUME' in events, f'{name}: x-exit-preconfig',
               f'{rsp} {events} {vm.stderr}')


def dynamic_cpu(tap, name, binary, base):
    args = ['-smp', '2,sockets=2', '-object', 'memory-backend-ram,id=ram,size=128M']
    with QMPMachine(binary, base + args) as vm:
        vm.negotiate()
        before = vm.command('query-hotpluggable-cpus')
        tap.ok(len(before) == 2 and all('node-id' not in c['props'] for c in before),
               f'{name}: query-hotpluggable-cpus in preconfig has no node-id yet', before)
        rsp = vm.cmd('query-cpus-fast')
        tap.ok(rsp.get('error', {}).get('desc') ==
               "The command 'query-cpus-fast' is permitted only after machine initialization"
               " has completed", f'{name}: query-cpus-fast refused in preconfig', rsp)
        for arg in ({'type': 'node', 'nodeid': 0, 'memdev': 'ram'}, {'type': 'node', 'nodeid': 1},
                    {'type': 'cpu', 'node-id': 0, 'socket-id': 1},
                    {'type': 'cpu', 'node-id': 1, 'socket-id': 0}):
            rsp = vm.cmd('set-numa-node', arg)
            tap.ok(rsp == {'return': {}}, f'{name}: set-numa-node {arg}', rsp)
        rsp, events = exit_preconfig(vm)
        tap.ok(rsp == {'return': {}} and 'RESUME' in events, f'{name}: x-exit-preconfig',
               f'{rsp} {events}')
        cpus = vm.command('query-hotpluggable-cpus')
        nodes = {c['props']['socket-id']: c['props'].get('node-id') for c in cpus}
        tap.ok(nodes == {0: 1, 1: 0}, f'{name}: socket 0 -> node 1, socket 1 -> node 0', cpus)
        info = vm.command('human-monitor-command', command_line='info numa')
        tap.ok(info == '2 nodes\r\nnode 0 cpus: 1\r\nnode 0 size: 128 MB\r\nnode 0 plugged: 0 MB'
               '\r\nnode 1 cpus: 0\r\nnode 1 size: 0 MB\r\nnode 1 plugged: 0 MB\r\n',
               f'{name}: info numa after preconfig', repr(info))
        rsp = vm.cmd('set-numa-node', {'type': 'node', 'nodeid': 2})
        tap.ok(rsp.get('error', {}).get('desc') ==
               'The command is permitted only before the machine has been created',
               f'{name}: set-numa-node refused after x-exit-preconfig', rsp)
        rsp = vm.cmd('x-exit-preconfig')
        tap.ok(rsp.get('error', {}).get('desc') ==
               'The command is permitted only before machine initialization',
               f'{name}: second x-exit-preconfig refused', rsp)


def numbat_only(tap, binary):
    """What QEMU cannot be compared on: a failed option leaves no trace; a fatal completion."""
    args = ['-accel', 'qtest', '-smp', '4,sockets=4'] + M64[:2]
    with QMPMachine(binary, BASE + ['-m', '64M'] + args) as vm:
        vm.negotiate()
        vm.command('set-numa-node', type='node', nodeid=0, memdev='m0', cpus=[0, 1])
        rsp = vm.cmd('set-numa-node', {'type': 'node', 'nodeid': 1, 'cpus': [2, 1]})
        tap.ok(rsp.get('error', {}).get('desc') == 'CPU is already assigned to node-id: 0',
               'numbat: overlapping cpus= refused', rsp)
        numa = vm.command('query-numa')
        tap.ok([n['node-id'] for n in numa] == [0], 'numbat: the failed node left no trace', numa)
        vm.command('set-numa-node', type='node', nodeid=1, cpus=[2, 3])
        rsp, _ = exit_preconfig(vm)
        numa = vm.command('query-numa')
        tap.ok([n['cpus'] for n in numa] == [[0, 1], [2, 3]] and numa[0]['size'] == 64 << 20,
               'numbat: query-numa after preconfig', numa)
    with QMPMachine(binary, BASE + ['-m', '128M'] + args) as vm:
        vm.negotiate()
        vm.command('set-numa-node', type='node', nodeid=1, memdev='m0')
        vm.send_raw('{"execute": "x-exit-preconfig"}\n')
        while vm.recv() is not None:
            pass
        status = vm.wait()
        tap.ok(status == 1 and 'numa: Node ID missing: 0' in vm.stderr,
               'numbat: completion error at x-exit-preconfig is fatal', f'{status} {vm.stderr}')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('numbat')
    ap.add_argument('--qemu', default='qemu-system-x86_64')
    a = ap.parse_args()
    tap = Tap()
    targets = [('numbat', a.numbat, ['-accel', 'qtest'])]
    qemu = shutil.which(a.qemu)
    if qemu:
        targets.append(('qemu', qemu, ['-M', 'pc', '-accel', 'tcg']))
    for name, binary, extra in targets:
        base = BASE + extra
        dynamic_cpu(tap, name, binary, base)
        sequence(tap, f'{name} hmat/build', binary, base + HMAT, HMAT_BUILD)
        sequence(tap, f'{name} hmat/erange', binary, base + HMAT, HMAT_ERANGE)
        sequence(tap, f'{name} hmat/off', binary, base + HMAT_OFF_ARGS, HMAT_OFF)
    numbat_only(tap, a.numbat)
    print('1..%d' % tap.n)
    return 1 if tap.failed else 0


if __name__ == '__main__':
    sys.exit(main())
