"""Read QEMU's ACPI tables without a guest: run qemu-system-x86_64 -qtest stdio and read the
fw_cfg file etc/acpi/tables through the legacy fw_cfg I/O ports (selector 0x510, data 0x511)."""
import struct
import subprocess
import tempfile

FW_CFG_FILE_DIR = 0x19


class Qtest:
    def __init__(self, args, qemu='qemu-system-x86_64'):
        # -qtest-log keeps QEMU's protocol trace off stderr, so a long read cannot fill the pipe
        self.errfile = tempfile.TemporaryFile(mode='w+')
        self.p = subprocess.Popen([qemu, '-qtest', 'stdio', '-qtest-log', '/dev/null',
                                   '-display', 'none', '-nodefaults', '-S'] + args,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=self.errfile, text=True)

    def cmd(self, line):
        self.p.stdin.write(line + '\n')
        self.p.stdin.flush()
        while True:
            reply = self.p.stdout.readline()
            if not reply:
                self.errfile.seek(0)
                raise RuntimeError('qemu exited: ' + self.errfile.read())
            if reply.startswith('OK') or reply.startswith('FAIL') or reply.startswith('ERR'):
                return reply.split()

    def read_bytes(self, n):
        out = bytearray()
        for _ in range(n):
            out.append(int(self.cmd('inb 0x511')[1], 16))
        return bytes(out)

    def select(self, key):
        self.cmd(f'outw 0x510 {key:#x}')

    def close(self):
        self.p.stdin.close()
        self.p.kill()
        self.p.wait()


def fw_cfg_file(args, name, qemu='qemu-system-x86_64'):
    q = Qtest(args, qemu)
    try:
        q.select(FW_CFG_FILE_DIR)
        count = struct.unpack('>I', q.read_bytes(4))[0]
        for _ in range(count):
            size, key, _r, fname = struct.unpack('>IHH56s', q.read_bytes(64))
            if fname.rstrip(b'\0').decode() == name:
                q.select(key)
                return q.read_bytes(size)
        raise KeyError(name)
    finally:
        q.close()


def qemu_acpi_tables(args, qemu='qemu-system-x86_64'):
    from acpi_decode import split_tables
    return split_tables(fw_cfg_file(args, 'etc/acpi/tables', qemu))


if __name__ == '__main__':
    import sys
    from acpi_decode import decode_srat, decode_slit
    t = qemu_acpi_tables(sys.argv[1:])
    print(sorted(t))
    if 'SRAT' in t:
        print(decode_srat(t['SRAT']))
    if 'SLIT' in t:
        print(decode_slit(t['SLIT']))
