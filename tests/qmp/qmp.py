"""A small QMP client for tests: start a numbat (or QEMU) binary with a QMP monitor and talk to it.

    with QMPMachine(binary, ['-accel', 'qtest', '-display', 'none']) as vm:
        vm.negotiate()
        info = vm.command('query-version')
        rsp = vm.cmd('query-version')         # the whole response dict
        vm.send_raw(b'{"garbage')             # anything, byte for byte
        vm.recv()                             # the next message (a dict)

mode='unix' (default) starts the binary with -qmp unix:PATH,server=on,wait=off and connects;
mode='stdio' uses -qmp stdio over pipes.  Every read has a timeout, so a hung binary fails a
test instead of hanging it.
"""
import json
import os
import select
import socket
import subprocess
import tempfile
import time


class QMPError(Exception):
    """An {"error": ...} response to command()."""

    def __init__(self, error):
        super().__init__('%s: %s' % (error.get('class'), error.get('desc')))
        self.error_class = error.get('class')
        self.desc = error.get('desc')


class QMPTimeout(Exception):
    pass


class QMPMachine:
    def __init__(self, binary, args=(), mode='unix', timeout=10.0, sock_dir=None):
        self.binary = binary
        self.args = list(args)
        self.mode = mode
        self.timeout = timeout
        self._tmpdir = None
        self.sock_path = None
        if mode == 'unix':
            self._tmpdir = tempfile.TemporaryDirectory(prefix='numbat-qmp-', dir=sock_dir)
            self.sock_path = os.path.join(self._tmpdir.name, 'qmp.sock')
        self.proc = None
        self.sock = None
        self._buf = b''
        self.greeting = None
        self.stderr = ''

    # ---- lifetime ----

    def launch(self):
        if self.mode == 'unix':
            qmp = ['-qmp', 'unix:%s,server=on,wait=off' % self.sock_path]
        else:
            qmp = ['-qmp', 'stdio']
        self.proc = subprocess.Popen([self.binary] + self.args + qmp,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        if self.mode == 'unix':
            self._connect()
        self.greeting_line = self.recv_line()
        if self.greeting_line is None:
            raise RuntimeError('%s closed QMP before the greeting: %s'
                               % (self.binary, self._drain_stderr()))
        self.greeting = json.loads(self.greeting_line)
        return self

    def _connect(self):
        deadline = time.monotonic() + self.timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError('%s exited with %d before QMP was up: %s'
                                   % (self.binary, self.proc.returncode, self._drain_stderr()))
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(self.sock_path)
                self.sock = s
                return
            except OSError:
                s.close()
                if time.monotonic() > deadline:
                    raise QMPTimeout('no QMP socket at %s' % self.sock_path)
                time.sleep(0.02)

    def _drain_stderr(self):
        """Collect the binary's stderr once it has exited (kills it if it has not)."""
        if self.proc.poll() is None:
            try:
                self.proc.wait(timeout=self.timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stderr and not self.proc.stderr.closed:
            self.stderr += self.proc.stderr.read().decode(errors='replace')
        return self.stderr

    def wait(self, timeout=None):
        """Wait for the process to exit; returns its exit status (kills it on timeout)."""
        try:
            self.proc.wait(timeout=timeout or self.timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._drain_stderr()
        return self.proc.returncode

    def close(self):
        """Quit politely if still running, then make sure the process is gone."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            try:
                self.cmd('quit')
            except Exception:
                pass
        status = self.wait()
        if self.sock:
            self.sock.close()
            self.sock = None
        for f in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if f:
                f.close()
        if self._tmpdir:
            self._tmpdir.cleanup()
        return status

    def __enter__(self):
        return self.launch()

    def __exit__(self, *exc):
        self.close()

    # ---- raw I/O ----

    def _in_fd(self):
        return self.sock.fileno() if self.sock else self.proc.stdout.fileno()

    def send_raw(self, data):
        if isinstance(data, str):
            data = data.encode()
        if self.sock:
            self.sock.sendall(data)
        else:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()

    def send_eof(self):
        """Half-close our side: the binary sees end of input."""
        if self.sock:
            self.sock.shutdown(socket.SHUT_WR)
        else:
            self.proc.stdin.close()

    def recv_line(self, timeout=None):
        """The next line (without CR LF) as text; None at end of output."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while b'\n' not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise QMPTimeout('no reply within %.1fs (have %r)' % (timeout or self.timeout,
                                                                     self._buf[:200]))
            r, _, _ = select.select([self._in_fd()], [], [], left)
            if not r:
                continue
            chunk = os.read(self._in_fd(), 65536)
            if not chunk:
                if not self._buf:
                    return None
                break
            self._buf += chunk
        line, sep, rest = self._buf.partition(b'\n')
        self._buf = rest
        return line.rstrip(b'\r').decode('utf-8')

    def recv(self, timeout=None, skip_events=True):
        """The next message as a dict; None at end of output.  Events (QEMU sends
        SHUTDOWN before quit's reply, for one) are skipped unless skip_events is False."""
        while True:
            line = self.recv_line(timeout)
            msg = None if line is None else json.loads(line)
            if not (skip_events and isinstance(msg, dict) and 'event' in msg):
                return msg

    # ---- commands ----

    def cmd_obj(self, obj):
        self.send_raw(json.dumps(obj) + '\n')
        return self.recv()

    def cmd(self, name, args=None, id=None):
        """Execute and return the whole response ({"return": ...} or {"error": ...})."""
        req = {'execute': name}
        if args is not None:
            req['arguments'] = args
        if id is not None:
            req['id'] = id
        return self.cmd_obj(req)

    def command(self, name, **args):
        """Execute and return the "return" value; raise QMPError for an error response."""
        rsp = self.cmd(name, {k.replace('_', '-'): v for k, v in args.items()} or None)
        if rsp is None:
            raise RuntimeError('connection closed during %s' % name)
        if 'error' in rsp:
            raise QMPError(rsp['error'])
        return rsp['return']

    def negotiate(self):
        return self.command('qmp_capabilities')


def execute_with_events(vm, name, args=None):
    """Run a command on vm; return (its response, [names of the events that came before it])."""
    req = {'execute': name}
    if args is not None:
        req['arguments'] = args
    vm.send_raw(json.dumps(req) + '\n')
    events = []
    while True:
        m = vm.recv(skip_events=False)
        if m is None or 'event' not in m:
            return m, events
        events.append(m['event'])


def file_text(path):
    """A guest's serial output file as text so far."""
    with open(path, errors='replace') as f:
        return f.read()


def wait_for_text(path, text, timeout=10.0):
    """Poll a serial output file until text appears; False after timeout seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in file_text(path):
            return True
        time.sleep(0.02)
    return False
