"""Decoder of the e2k bootblock (boot_info_t + trailer) for the e2k machine tests.

Every field is read from its offset in docs/design/e2k-bootinfo.md, written out here again
on purpose (not taken from the C header), so a wrong constant on either side shows.  The
banks are walked the way both MCST readers walk them (the decompressor's shared banks_ex
cursor, and the 2023 kernel's "segment after n end markers"), and every byte that belongs
to no field must be zero.  decode() raises DecodeError naming the field that is wrong.
"""
import struct

BLOCK_SIZE = 0x1000
MAX_NODES = 8
FUSTY = 4                 # banks per node inside nodes_mem
BANKS_EX = 64
BUSY_MAX = 4
BANK = 16                 # bank_info_t: u64 address, u64 size

# name: (offset, struct format); all little-endian
SCALARS = {
    'signature': (0x000, '<H'),
    'target_mdl': (0x002, '<B'),
    'vga_mode': (0x006, '<B'),
    'num_of_banks': (0x007, '<B'),
    'kernel_base': (0x008, '<Q'),
    'kernel_size': (0x010, '<Q'),
    'ramdisk_base': (0x018, '<Q'),
    'ramdisk_size': (0x020, '<Q'),
    'num_of_cpus': (0x028, '<H'),
    'mach_flags': (0x02a, '<H'),
    'num_of_busy': (0x02c, '<H'),
    'num_of_nodes': (0x02e, '<H'),
    'mp_table_base': (0x030, '<Q'),
    'serial_base': (0x038, '<Q'),
    'nodes_map': (0x040, '<Q'),
    'mach_serialn': (0x048, '<Q'),
    'mb_type': (0x5c0, '<B'),
    'cpu_type': (0x5c2, '<B'),
    'devtree': (0xd68, '<Q'),
    'bootblock_ver': (0xf5b, '<B'),
    'kernel_flags': (0xfe0, '<H'),
    'boot_flags': (0xffc, '<H'),
    'marker': (0xffe, '<H'),
}
KERNEL_ARGS = (0x058, 128)
NODES_MEM = 0x0d8
BUSY = 0x2d8
BIOS_SIGNATURE = (0x538, 8)
BANKS_EX_OFF = 0x968
# Fields numbat leaves zero but which are fields all the same (checked zero by the rest-check).
ZERO_FIELDS = [(0x050, 6), (0x540, 128), (0x5c3, 512), (0xf60, 128)]


class DecodeError(Exception):
    pass


class _Reader:
    def __init__(self, buf):
        self.buf = buf
        self.owned = bytearray(len(buf))

    def take(self, off, size):
        for i in range(off, off + size):
            self.owned[i] = 1
        return self.buf[off:off + size]

    def unpack(self, off, fmt):
        return struct.unpack(fmt, self.take(off, struct.calcsize(fmt)))[0]

    def bank(self, off):
        return struct.unpack('<QQ', self.buf[off:off + BANK])


def _fusty(node, i):
    return NODES_MEM + node * FUSTY * BANK + i * BANK


def _ex(i):
    return BANKS_EX_OFF + i * BANK


def _walk_decompressor(r, nodes_map):
    """arch/e2k/boot/decompress.c: one banks_ex cursor, shared in node order."""
    banks, cursor = {}, 0
    for n in range(MAX_NODES):
        if not nodes_map >> n & 1:
            continue
        banks[n] = []
        if r.bank(_fusty(n, 0))[1] == 0:
            continue
        i = 0
        while True:
            if i >= FUSTY and cursor >= BANKS_EX:
                raise DecodeError('node %d: banks_ex full before its end marker' % n)
            b = r.bank(_fusty(n, i)) if i < FUSTY else r.bank(_ex(cursor))
            if i >= FUSTY:
                cursor += 1
            if b[1] == 0:
                break
            banks[n].append(b)
            i += 1
    return banks


def _walk_kernel(r, nodes_map):
    """The 2023 kernel iterator: node n's banks_ex part follows the n-th size-0 entry."""
    banks = {}
    for n in range(MAX_NODES):
        if not nodes_map >> n & 1:
            continue
        ex = seen = 0
        while ex < BANKS_EX and seen < n:
            seen += r.bank(_ex(ex))[1] == 0
            ex += 1
        banks[n], i = [], 0
        while True:
            if i < FUSTY:
                b = r.bank(_fusty(n, i))
            elif ex < BANKS_EX:
                b, ex = r.bank(_ex(ex)), ex + 1
            else:
                b = (0, 0)
            if b[1] == 0:
                break
            banks[n].append(b)
            i += 1
    return banks


def _own_banks(r, banks):
    """Only real banks own bytes of nodes_mem/banks_ex; markers and free slots stay zero."""
    ex = 0
    for n in sorted(banks):
        nb = len(banks[n])
        for i in range(min(nb, FUSTY)):
            r.take(_fusty(n, i), BANK)
        if nb >= FUSTY:
            for i in range(nb - FUSTY):
                r.take(_ex(ex + i), BANK)
            ex += nb - FUSTY + 1


def decode(buf):
    """Return a dict of every field, 'banks' {node: [(addr, size)]} and 'busy' [(addr, size)]."""
    if len(buf) != BLOCK_SIZE:
        raise DecodeError('block is %d bytes, not %d' % (len(buf), BLOCK_SIZE))
    r = _Reader(bytes(buf))
    d = {name: r.unpack(off, fmt) for name, (off, fmt) in SCALARS.items()}
    args = r.take(*KERNEL_ARGS)
    if b'\0' not in args:
        raise DecodeError('kernel_args_string is not NUL-terminated')
    cmd, _, rest = args.partition(b'\0')
    if any(rest):
        raise DecodeError('kernel_args_string: bytes after the NUL are not 0')
    d['cmdline'] = cmd.decode()
    d['bios_signature'] = r.take(*BIOS_SIGNATURE)
    for off, size in ZERO_FIELDS:
        r.take(off, size)
    if d['num_of_busy'] > BUSY_MAX:
        raise DecodeError('num_of_busy %d' % d['num_of_busy'])
    d['busy'] = [struct.unpack('<QQ', r.take(BUSY + i * BANK, BANK))
                 for i in range(d['num_of_busy'])]
    d['banks'] = _walk_decompressor(r, d['nodes_map'])
    if _walk_kernel(r, d['nodes_map']) != d['banks']:
        raise DecodeError('the decompressor and the kernel read different bank lists')
    _own_banks(r, d['banks'])
    _check(d, r)
    return d


def _check(d, r):
    if d['signature'] != 0x8086:
        raise DecodeError('signature 0x%x' % d['signature'])
    if d['marker'] != 0xaa55:
        raise DecodeError('bootblock_marker 0x%x' % d['marker'])
    if d['bios_signature'] != b'E2KBIOS\0':
        raise DecodeError('bios signature %r' % d['bios_signature'])
    if d['bootblock_ver'] != 1:
        raise DecodeError('bootblock_ver %d' % d['bootblock_ver'])
    if d['num_of_nodes'] != bin(d['nodes_map']).count('1'):
        raise DecodeError('num_of_nodes %d, nodes_map 0x%x' % (d['num_of_nodes'], d['nodes_map']))
    total = sum(len(b) for b in d['banks'].values())
    if d['num_of_banks'] != total:
        raise DecodeError('num_of_banks %d, the lists hold %d' % (d['num_of_banks'], total))
    if any(size == 0 for _, size in d['busy']):
        raise DecodeError('an empty busy[] entry')
    for i, (byte, owned) in enumerate(zip(r.buf, r.owned)):
        if byte and not owned:
            raise DecodeError('byte 0x%03x is 0x%02x outside any field' % (i, byte))
