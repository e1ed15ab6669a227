"""Shared by the Linux guest tests and bench/boot/profile.py: the cache of scripts/fetch-guest.sh,
a busybox initramfs with a given /init (written here as a newc cpio, so no cpio tool is needed),
and one boot of Debian's cloud kernel on numbat's interpreter with its duration."""
import gzip
import os
import subprocess
import time


def default_cache():
    """$NUMBAT_CACHE or ~/.cache/numbat, where scripts/fetch-guest.sh puts vmlinuz and busybox."""
    return os.environ.get('NUMBAT_CACHE', os.path.join(os.path.expanduser('~'), '.cache', 'numbat'))


def cpio_newc(entries):
    """A newc archive of (name, mode, data) entries."""
    out = bytearray()
    for ino, (name, mode, data) in enumerate(entries + [('TRAILER!!!', 0, b'')], 1):
        nm = name.encode() + b'\0'
        fields = [ino, mode, 0, 0, 2 if mode & 0o040000 else 1, 0, len(data), 0, 0, 0, 0,
                  len(nm), 0]
        out += b'070701' + b''.join(b'%08x' % f for f in fields) + nm
        out += b'\0' * (-len(out) % 4) + data
        out += b'\0' * (-len(out) % 4)
    return bytes(out)


def write_initramfs(busybox, init, path):
    """A gzipped busybox initramfs at path whose /init is the shell script init."""
    with open(busybox, 'rb') as f:
        bb = f.read()
    d, x = 0o040755, 0o100755
    entries = [('.', d, b''), ('bin', d, b''), ('bin/busybox', x, bb), ('dev', d, b''),
               ('init', x, init.encode()), ('proc', d, b''), ('sys', d, b'')]
    with open(path, 'wb') as f:
        f.write(gzip.compress(cpio_newc(entries), mtime=0))


def linux_args(numbat, kernel, initrd):
    """numbat's command line for a Linux boot on the serial console (add -m/-smp/-numa)."""
    return [numbat, '-accel', 'interp', '-display', 'none', '-no-reboot', '-serial', 'stdio',
            '-kernel', kernel, '-initrd', initrd, '-append', 'console=ttyS0 panic=-1']


def boot(args, timeout):
    """Run args; return (exit status or 'timeout', console text, seconds)."""
    start = time.monotonic()
    try:
        p = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
        rc, out = p.returncode, p.stdout.decode('utf-8', 'replace')
    except subprocess.TimeoutExpired as e:
        rc, out = 'timeout', (e.stdout or b'').decode('utf-8', 'replace')
    return rc, out, time.monotonic() - start
