#!/usr/bin/env python3
"""-d unimp end to end (TAP): a PVH guest built here executes an opcode numbat does not implement.

The guest (32-bit protected mode, hand-assembled below) installs a #UD handler, runs `daa`
(0x27, not implemented), and on #UD checks the pushed EIP, jumps back to retry it once, then
exits through isa-debug-exit with 0x10 (status 33).  With -d unimp, stderr must hold exactly one
line for that address with the byte 27; without it, nothing.  Also: -d help and a bad item.

usage: test-unimp-log.py NUMBAT_X86_64
"""
import os
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from tap import Tap  # noqa: E402

BASE = 0x100000
UD_AT = BASE + 14          # address of the daa


def code_blob():
    c = bytearray(0x200)

    def put(off, b):
        c[off:off + len(b)] = b
    idtr = BASE + 0x180
    put(0x00, b'\xbc' + struct.pack('<I', BASE + 0x2000))        # mov esp, BASE+0x2000
    put(0x05, b'\x0f\x01\x1d' + struct.pack('<I', idtr))         # lidt [idtr]
    put(0x0c, b'\x31\xf6')                                        # xor esi, esi
    put(0x0e, b'\x27')                                            # daa  (unimplemented)
    put(0x0f, b'\xb0\x01\xe6\xf4')                                # fell through: exit 3
    put(0x13, b'\xf4\xeb\xfd')                                    # hlt; jmp hlt
    # #UD handler
    put(0x40, b'\x46')                                            # inc esi
    put(0x41, b'\x81\x3c\x24' + struct.pack('<I', UD_AT))         # cmp dword [esp], UD_AT
    put(0x48, b'\x75\x14')                                        # jne bad (0x5e)
    put(0x4a, b'\x83\xfe\x02')                                    # cmp esi, 2
    put(0x4d, b'\x74\x0a')                                        # je done (0x59)
    put(0x4f, b'\x83\xc4\x0c')                                    # add esp, 12 (drop frame)
    put(0x52, b'\xb8' + struct.pack('<I', UD_AT))                 # mov eax, UD_AT
    put(0x57, b'\xff\xe0')                                        # jmp eax: retry the daa
    put(0x59, b'\xb0\x10\xe6\xf4\xf4')                            # done: exit 33
    put(0x5e, b'\xb0\x02\xe6\xf4\xf4')                            # bad: exit 5
    # IDT (vectors 0-7), gate 6 = 32-bit interrupt gate to the handler, CS 0x10
    h = BASE + 0x40
    put(0x100 + 6 * 8, struct.pack('<HHBBH', h & 0xffff, 0x10, 0, 0x8e, h >> 16))
    put(0x180, struct.pack('<HI', 8 * 8 - 1, BASE + 0x100))
    return bytes(c)


def pvh_elf32():
    code = code_blob()
    note = struct.pack('<III', 4, 4, 18) + b'Xen\0' + struct.pack('<I', BASE)
    ehdr = (b'\x7fELF' + bytes([1, 1, 1]) + bytes(9) +
            struct.pack('<HHIIIIIHHHHHH', 2, 3, 1, BASE, 52, 0, 0, 52, 32, 2, 0, 0, 0))
    load = struct.pack('<IIIIIIII', 1, 0x1000, BASE, BASE, len(code), 0x2000, 7, 0x1000)
    pnote = struct.pack('<IIIIIIII', 4, 0x100, 0, 0, len(note), len(note), 4, 4)
    img = bytearray(0x1000 + len(code))
    img[0:len(ehdr)] = ehdr
    img[52:52 + 64] = load + pnote
    img[0x100:0x100 + len(note)] = note
    img[0x1000:] = code
    return bytes(img)


def run(numbat, args):
    p = subprocess.run([numbat] + args, stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=60)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def main():
    numbat = sys.argv[1]
    t = Tap()
    with tempfile.TemporaryDirectory() as d:
        elf = os.path.join(d, 'unimp.elf')
        with open(elf, 'wb') as f:
            f.write(pvh_elf32())
        base = ['-accel', 'interp', '-kernel', elf, '-m', '64', '-display', 'none',
                '-serial', 'none', '-no-reboot',
                '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x04']
        st, out, err = run(numbat, base + ['-d', 'unimp'])
        t.eq(st, 33, 'guest took #UD at the daa twice and exited through isa-debug-exit')
        want = 'unimplemented opcode at rip 0x%x: 27' % UD_AT
        lines = [l for l in err.splitlines() if l.startswith('unimplemented opcode')]
        t.eq(lines, [want], '-d unimp logs the address and bytes once')
        st, out, err = run(numbat, base + ['-d', 'guest_errors,unimp'])
        t.ok(st == 33 and want in err, 'unimp among several items')
        st, out, err = run(numbat, base)
        t.eq((st, err), (33, ''), 'without -d unimp: same #UD, no log')

    st, out, err = run(numbat, ['-d', 'help'])
    t.ok(st == 0 and out.startswith('Log items (comma separated):\n') and
         any(l.startswith('unimp ') for l in out.splitlines()), '-d help lists the items',
         out + err)
    st, out, err = run(numbat, ['-d', 'unimp,bogus'])
    t.ok(st == 1 and "unknown log item 'bogus'" in err, '-d with an unknown item fails', err)
    st, out, err = run(numbat, ['-d', 'help'])
    names = [l.split()[0] for l in out.splitlines()[1:] if l.strip()]
    t.ok(all(n in names for n in ('icount', 'profile=FILE', 'profile-period=N')),
         '-d help lists icount and profile', out)
    for bad in ('profile=', 'profile-period=0', 'profile=/tmp/p,profile-period=x', 'profile',
                'icount=1', 'profile-period=100', 'icount,profile-period=5'):
        st, out, err = run(numbat, ['-d', bad])
        t.ok(st == 1 and 'log item' in err, '-d %s is refused' % bad, err)
    return t.finish()


if __name__ == '__main__':
    sys.exit(main())
