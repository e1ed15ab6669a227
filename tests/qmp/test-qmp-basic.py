#!/usr/bin/env python3
"""QMP basics against the real binary (TAP): greeting, negotiation, control commands, malformed
input (the connection must survive all of it), socket permissions, -qmp stdio, -machine help.

usage: test-qmp-basic.py NUMBAT_BINARY
Dispatch-level texts are QEMU 7.2's (checked against qemu-system-x86_64); JSON syntax errors
are numbat's own (docs/design/json.md), which differ from QEMU's on purpose.
"""
import json
import os
import signal
import stat
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qmp import QMPMachine, QMPTimeout  # noqa: E402
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from tap import Tap as TapBase  # noqa: E402

sys.setrecursionlimit(20000)   # replies echo ids nested 1023 deep
ARGS = ['-accel', 'qtest', '-display', 'none']
GREETING = ('{"QMP": {"version": {"qemu": {"micro": 0, "minor": 1, "major": 0}, '
            '"package": "numbat"}, "capabilities": []}}')
NEGOTIATE = "Expecting capabilities negotiation with 'qmp_capabilities'"


class Tap(TapBase):
    """TAP with a check for QMP error replies."""

    def error(self, rsp, cls, desc, what):
        want = {'error': {'class': cls, 'desc': desc}}
        got = {'error': rsp.get('error')} if isinstance(rsp, dict) else rsp
        return self.eq(got, want, what)


def errors_until_sync(vm, data, tag):
    """Send data, then a marker command; collect the replies before the marker's reply.
    The marker's reply arriving is the proof that the connection survived."""
    vm.send_raw(data + b'\n{"execute": "query-version", "id": "%s"}\n' % tag.encode())
    out = []
    while True:
        try:
            m = vm.recv()
        except QMPTimeout:
            return out, False
        if m is None:
            return out, False
        if m.get('id') == tag:
            return out, 'return' in m
        out.append(m)


def test_negotiation(t, binary):
    with QMPMachine(binary, ARGS) as vm:
        t.eq(vm.greeting_line, GREETING, 'greeting is QEMU-shaped, byte for byte')
        t.error(vm.cmd('query-version'), 'CommandNotFound', NEGOTIATE,
                'command before qmp_capabilities is refused')
        t.error(vm.cmd('no-such-command'), 'CommandNotFound', NEGOTIATE,
                'unknown command before qmp_capabilities gets the negotiation hint')
        t.error(vm.cmd_obj([1]), 'GenericError', 'QMP input must be a JSON object',
                'non-object before negotiation is a GenericError')
        t.error(vm.cmd('qmp_capabilities', {'enable': ['oob']}), 'GenericError',
                'Capability oob not available', 'qmp_capabilities enable=[oob] is refused')
        t.eq(vm.cmd('qmp_capabilities'), {'return': {}}, 'qmp_capabilities returns {}')
        t.error(vm.cmd('qmp_capabilities'), 'CommandNotFound',
                'Capabilities negotiation is already complete, command ignored',
                'second qmp_capabilities is refused')
        test_commands(t, vm)
        test_malformed(t, vm)
        rsp = vm.cmd('quit')
        t.eq(rsp, {'return': {}}, 'quit returns {}')
        t.eq(vm.wait(), 0, 'quit exits with status 0')
        t.ok(not os.path.exists(vm.sock_path), 'socket file is removed at exit')


def test_commands(t, vm):
    ver = vm.cmd('query-version')
    t.eq(ver, {'return': {'qemu': {'major': 0, 'minor': 1, 'micro': 0}, 'package': 'numbat'}},
         'query-version returns {qemu: {major, minor, micro}, package}')
    t.eq(ver.get('return', {}).get('qemu'), vm.greeting['QMP']['version']['qemu'],
         'query-version agrees with the greeting')
    t.eq(vm.cmd('query-version', id=[1, {'a': 'b'}]).get('id'), [1, {'a': 'b'}],
         'any JSON id is echoed')
    cmds = vm.cmd('query-commands').get('return', [])
    names = [c.get('name') for c in cmds]
    t.ok(all(set(c) == {'name'} for c in cmds) and len(names) == len(set(names)),
         'query-commands: one {name} entry per command', cmds)
    schema = vm.cmd('query-qmp-schema').get('return', [])
    t.ok(isinstance(schema, list) and len(schema) > 0, 'query-qmp-schema is a non-empty list')
    in_schema = sorted(e['name'] for e in schema if e.get('meta-type') == 'command')
    t.eq(sorted(names), in_schema, 'query-commands lists exactly the schema\'s commands')
    want = {'qmp_capabilities', 'query-version', 'query-commands', 'query-qmp-schema', 'quit'}
    t.ok(want <= set(names), 'query-commands has the control commands', sorted(names))
    by_name = {e['name']: e for e in schema}
    qv = by_name.get('query-version', {})
    t.ok(qv.get('meta-type') == 'command' and 'arg-type' in qv and 'ret-type' in qv,
         'query-qmp-schema has query-version as a command', qv)
    ret = by_name.get(qv.get('ret-type'), {})
    t.eq(sorted(m['name'] for m in ret.get('members', [])), ['package', 'qemu'],
         'query-version\'s ret-type resolves to {qemu, package}')
    t.error(vm.cmd('query-qmp-schema', {'x': 1}), 'GenericError', "Parameter 'x' is unexpected",
            'query-qmp-schema rejects arguments')


# (description, bytes, [(class, desc), ...]) — the errors expected before the marker reply.
GE = 'GenericError'
MALFORMED = [
    ('garbage bytes', b'\x01\x02garbage', [(GE, 'JSON parse error, stray 0x01')]),
    ('garbage word', b'xyz', [(GE, "JSON parse error, invalid keyword 'xyz'")]),
    ('unterminated string, then a good command', b'{"execute": "query-vers',
     [(GE, 'JSON parse error, control character 0x0a in string')]),
    ('non-object (array)', b'[1, 2]', [(GE, 'QMP input must be a JSON object')]),
    ('non-object (string)', b'"query-version"', [(GE, 'QMP input must be a JSON object')]),
    ('missing execute', b'{"arguments": {}}', [(GE, "QMP input lacks member 'execute'")]),
    ('execute not a string', b'{"execute": 1}',
     [(GE, "QMP input member 'execute' must be a string")]),
    ('unknown member', b'{"execute": "query-version", "foo": 1}',
     [(GE, "QMP input member 'foo' is unexpected")]),
    ('arguments not an object', b'{"execute": "query-version", "arguments": []}',
     [(GE, "QMP input member 'arguments' must be an object")]),
    ('unknown command', b'{"execute": "foo"}',
     [('CommandNotFound', 'The command foo has not been found')]),
    ('bad argument type', b'{"execute": "qmp_capabilities", "arguments": {"enable": "oob"}}',
     [(GE, "Invalid parameter type for 'enable', expected: array")]),
    ('unexpected argument', b'{"execute": "query-version", "arguments": {"x": 1}}',
     [(GE, "Parameter 'x' is unexpected")]),
    ('invalid UTF-8 in a string', b'{"execute": "query-version", "id": "\xed\xa0\x80"}',
     [(GE, 'JSON parse error, invalid UTF-8 sequence in string (bad byte 0xa0)')]),
    ('nesting deeper than 1024', b'[' * 1025 + b']' * 1025,
     [(GE, 'JSON parse error, nesting too deep (more than 1024 levels)')]),
]


def test_malformed(t, vm):
    for i, (what, data, want) in enumerate(MALFORMED):
        got, alive = errors_until_sync(vm, data, 'sync%d' % i)
        got = [(m.get('error', {}).get('class'), m.get('error', {}).get('desc')) for m in got]
        t.eq(got, want, 'malformed: %s -> exact error' % what)
        t.ok(alive, 'malformed: %s -> connection survives' % what)
    deep = b'[' * 1023 + b']' * 1023
    got, alive = errors_until_sync(
        vm, b'{"execute": "query-version", "id": ' + deep + b'}', 'deep-ok')
    t.ok(alive and got and 'return' in got[0], 'nesting of exactly 1024 levels is accepted',
         got[:1])


def test_unterminated_object(t, binary):
    # A cut-off command followed by the next one on a new line: docs/design/json.md rule 2
    # promises one error and then the next command.  Own connection: if the parser swallowed
    # the marker, nothing else is disturbed.
    with QMPMachine(binary, ARGS, timeout=3) as vm:
        vm.negotiate()
        got, alive = errors_until_sync(vm, b'{"execute": "query-version"', 'after-cut')
        got = [(m.get('error', {}).get('class'), m.get('error', {}).get('desc')) for m in got]
        t.eq(got, [(GE, "JSON parse error, expecting ',' or '}', got '{'")],
             'malformed: unterminated object -> exact error')
        t.ok(alive, 'malformed: unterminated object, then a good command on a new line -> '
             'the good command runs')


def test_socket_mode(t, binary):
    old = os.umask(0o022)    # a permissive umask must not leak into the socket's mode
    try:
        vm = QMPMachine(binary, ARGS).launch()
    finally:
        os.umask(old)
    mode = stat.S_IMODE(os.stat(vm.sock_path).st_mode)
    t.eq(oct(mode), oct(0o600), 'unix socket file is created 0600')
    t.ok(stat.S_ISSOCK(os.stat(vm.sock_path).st_mode), 'socket path is a socket')
    # A second client gets its own greeting and negotiation state.
    vm2 = QMPMachine(binary)
    vm2.sock_path, vm2.proc, vm2.mode = vm.sock_path, vm.proc, 'unix'
    vm2._connect()
    t.eq(vm2.recv_line(), GREETING, 'a second connection gets its own greeting')
    t.error(vm2.cmd('query-version'), 'CommandNotFound', NEGOTIATE,
            'a second connection starts in negotiation mode')
    vm2.sock.close()
    vm.negotiate()
    t.ok('return' in vm.cmd('query-version'), 'first connection unaffected by the second')
    vm.send_eof()
    time.sleep(0.3)
    t.ok(vm.proc.poll() is None, 'a client hanging up does not stop the emulator')
    vm.sock.close()
    vm.sock = None
    vm.proc.send_signal(signal.SIGTERM)
    t.eq(vm.wait(), 0, 'SIGTERM exits with status 0')
    vm.close()


def test_stdio_mode(t, binary):
    with QMPMachine(binary, ARGS, mode='stdio') as vm:
        t.eq(vm.greeting_line, GREETING, '-qmp stdio: greeting')
        t.eq(vm.cmd('qmp_capabilities'), {'return': {}}, '-qmp stdio: negotiation')
        t.ok('return' in vm.cmd('query-version'), '-qmp stdio: query-version')
        t.eq(vm.cmd('quit'), {'return': {}}, '-qmp stdio: quit returns {}')
        t.eq(vm.wait(), 0, '-qmp stdio: quit exits 0')
    # QEMU keeps running when stdin reaches EOF: the monitor closes, the machine stays.
    with QMPMachine(binary, ARGS, mode='stdio') as vm:
        vm.negotiate()
        vm.send_eof()
        time.sleep(0.3)
        t.ok(vm.proc.poll() is None, '-qmp stdio: EOF on stdin leaves the emulator running')
        vm.proc.send_signal(signal.SIGTERM)
        t.eq(vm.wait(), 0, '-qmp stdio: SIGTERM after EOF exits 0')


def test_machine_help(t, binary):
    p = subprocess.run([binary, '-machine', 'help'], capture_output=True, text=True, timeout=10)
    lines = p.stdout.splitlines()
    t.eq(p.returncode, 0, '-machine help exits 0')
    t.ok(lines[:1] == ['Supported machines are:'] and
         '%-20s %s%s' % ('pc', 'Standard PC (i440FX + PIIX, 1996)', ' (default)') in lines,
         '-machine help lists pc as the default', p.stdout)


def main():
    if len(sys.argv) < 2:
        print('usage: %s NUMBAT_BINARY' % sys.argv[0], file=sys.stderr)
        return 2
    binary = sys.argv[1]
    t = Tap()
    for test in (test_negotiation, test_unterminated_object, test_socket_mode, test_stdio_mode, test_machine_help):
        try:
            test(t, binary)
        except Exception as e:   # a crash or hang fails the group, not the whole run
            t.ok(False, '%s completed' % test.__name__, repr(e))
    return t.finish()


if __name__ == '__main__':
    sys.exit(main())
