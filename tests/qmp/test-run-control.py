#!/usr/bin/env python3
"""QMP run control against a bare-metal guest (TAP): -S holds the guest in prelaunch, cont starts
it (RESUME), stop pauses it (STOP), cont resumes it, query-status follows; system_powerdown
answers {} with a POWERDOWN event; texts and no-op cases as QEMU 7.2.

usage: test-run-control.py NUMBAT_BINARY GUEST.elf...   (uses hello.elf: it prints, then
waits in cli; hlt because no isa-debug-exit is configured, so the process stays up)
"""
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qmp import QMPMachine, execute_with_events as execute, wait_for_text  # noqa: E402
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from tap import Tap  # noqa: E402

HELLO = 'hello from a numbat bare-metal guest'


def status(vm):
    rsp = vm.cmd('query-status')
    return rsp.get('return') if rsp else rsp


def hmp(t, vm, line, events, state):
    """An HMP run-control command: no output, the QMP command's events, then the run state."""
    rsp, ev = execute(vm, 'human-monitor-command', {'command-line': line})
    t.eq((rsp, ev), ({'return': ''}, events), 'HMP %s: no output, events %s' % (line, events))
    t.eq(status(vm)['status'], state, 'after HMP %s: %s' % (line, state))


def main():
    binary, elfs = sys.argv[1], sys.argv[2:]
    hello = next(e for e in elfs if os.path.basename(e) == 'hello.elf')
    t = Tap()
    with tempfile.TemporaryDirectory(prefix='numbat-runctl-') as tmp:
        out = os.path.join(tmp, 'serial.txt')
        args = ['-accel', 'interp', '-display', 'none', '-m', '128', '-S',
                '-kernel', hello, '-append', 'guest-cmdline x=1', '-serial', 'file:' + out]
        with QMPMachine(binary, args) as vm:
            vm.negotiate()
            t.eq(status(vm), {'running': False, 'singlestep': False, 'status': 'prelaunch'},
                 '-S: query-status says prelaunch')
            time.sleep(0.3)
            t.eq(os.path.getsize(out), 0, '-S: the guest has not run (no serial output)')
            rsp, ev = execute(vm, 'stop')
            t.eq((rsp, ev), ({'return': {}}, []), 'stop in prelaunch is a no-op without STOP')
            t.eq(status(vm)['status'], 'prelaunch', 'still prelaunch after stop')
            rsp, ev = execute(vm, 'cont')
            t.eq((rsp, ev), ({'return': {}}, ['RESUME']), 'cont: {} and a RESUME event')
            t.eq(status(vm), {'running': True, 'singlestep': False, 'status': 'running'},
                 'query-status says running')
            t.ok(wait_for_text(out, HELLO), 'the guest ran after cont (serial text)')
            rsp, ev = execute(vm, 'cont')
            t.eq((rsp, ev), ({'return': {}}, []), 'cont while running: {} and no event')
            rsp, ev = execute(vm, 'stop')
            t.eq((rsp, ev), ({'return': {}}, ['STOP']), 'stop: {} and a STOP event')
            t.eq(status(vm), {'running': False, 'singlestep': False, 'status': 'paused'},
                 'query-status says paused')
            rsp, ev = execute(vm, 'stop')
            t.eq((rsp, ev), ({'return': {}}, []), 'stop while paused: {} and no event')
            rsp, ev = execute(vm, 'cont')
            t.eq((rsp, ev), ({'return': {}}, ['RESUME']), 'cont resumes the paused guest')
            t.eq(status(vm)['status'], 'running', 'running again')
            rsp, ev = execute(vm, 'system_powerdown')
            t.eq((rsp, ev), ({'return': {}}, ['POWERDOWN']),
                 'system_powerdown: {} and a POWERDOWN event')
            t.ok(vm.proc.poll() is None, 'a guest that ignores the power button keeps running')
            hmp(t, vm, 'stop', ['STOP'], 'paused')
            hmp(t, vm, 'c', ['RESUME'], 'running')
            hmp(t, vm, 'stop', ['STOP'], 'paused')
            hmp(t, vm, 'cont', ['RESUME'], 'running')
            hmp(t, vm, 'nmi', [], 'running')
            hmp(t, vm, 'system_powerdown', ['POWERDOWN'], 'running')
            rsp, ev = execute(vm, 'human-monitor-command', {'command-line': 'stopp'})
            t.eq(rsp, {'return': "unknown command: 'stopp'\r\n"}, 'HMP: an unknown command')
            rsp = vm.cmd('cont', {'x': 1})
            t.eq(rsp.get('error', {}).get('class'), 'GenericError', 'cont takes no arguments')
            names = [c['name'] for c in vm.command('query-commands')]
            t.ok(all(n in names for n in ('stop', 'cont', 'query-status', 'system_powerdown')),
                 'query-commands lists the run-control commands')
            t.eq(vm.close(), 0, 'quit: exit status 0')
    # under qtest (no vCPU) the commands still answer
    with QMPMachine(binary, ['-accel', 'qtest', '-display', 'none', '-S']) as vm:
        vm.negotiate()
        rsp, ev = execute(vm, 'cont')
        t.eq((rsp, ev), ({'return': {}}, ['RESUME']), 'qtest: cont from prelaunch')
        rsp, ev = execute(vm, 'system_powerdown')
        t.eq((rsp, ev), ({'return': {}}, ['POWERDOWN']), 'qtest: system_powerdown answers')
    sys.exit(t.finish())


if __name__ == '__main__':
    main()
