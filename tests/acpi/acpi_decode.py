"""Decoders for the ACPI tables numbat hands a guest: header/checksum, SRAT, SLIT, HMAT, MADT.

Used by the ACPI tests to check tables field by field against the configuration, and to
compare numbat's tables with QEMU's.  Pure python, no dependencies.
"""
import struct


class AcpiError(Exception):
    pass


def checksum_ok(data):
    return sum(data) % 256 == 0


def header(data):
    if len(data) < 36:
        raise AcpiError('table shorter than its header')
    sig, length, rev, csum, oem, oem_table, oem_rev, creator, creator_rev = \
        struct.unpack_from('<4sIBB6s8sI4sI', data, 0)
    if length != len(data):
        raise AcpiError(f'{sig!r}: length field {length} but {len(data)} bytes')
    return {'signature': sig.decode(), 'length': length, 'revision': rev,
            'oem_id': oem.decode(), 'oem_table_id': oem_table.decode()}


def split_tables(blob):
    """Walk a blob of concatenated tables (as QEMU's etc/acpi/tables): {sig: bytes}."""
    tables, off = {}, 0
    while off + 8 <= len(blob):
        sig = blob[off:off + 4]
        if not all(0x20 < c < 0x7f for c in sig):
            off += 1            # alignment padding
            continue
        length = struct.unpack_from('<I', blob, off + 4)[0]
        if length < 8 or off + length > len(blob):
            off += 1
            continue
        tables[sig.decode()] = bytes(blob[off:off + length])
        off += length
    return tables


def decode_srat(data):
    """-> {'cpus': [(apic_id, node, flags)], 'mem': [(base, length, node, flags)]}"""
    header(data)
    cpus, mem = [], []
    off = 48
    while off < len(data):
        etype, elen = data[off], data[off + 1]
        if elen == 0:
            raise AcpiError(f'SRAT entry of length 0 at {off}')
        if etype == 0:
            pd_lo, apic, flags, _sapic = struct.unpack_from('<BBIB', data, off + 2)
            pd_hi = int.from_bytes(data[off + 9:off + 12], 'little')
            cpus.append((apic, pd_lo | pd_hi << 8, flags))
        elif etype == 1:
            pd, _r, base, length, _r2, flags = struct.unpack_from('<IHQQII', data, off + 2)
            mem.append((base, length, pd, flags))
        elif etype == 2:
            _r, pd, x2apic, flags = struct.unpack_from('<HIII', data, off + 2)
            cpus.append((x2apic, pd, flags))
        off += elen
    return {'cpus': cpus, 'mem': mem}


def decode_slit(data):
    """-> n x n list of distances"""
    header(data)
    n = struct.unpack_from('<Q', data, 36)[0]
    if 44 + n * n != len(data):
        raise AcpiError(f'SLIT: {n} localities but {len(data)} bytes')
    return [list(data[44 + i * n:44 + (i + 1) * n]) for i in range(n)]


def decode_hmat(data):
    """-> {'mpda': [...], 'lb': [...], 'cache': [...]}"""
    header(data)
    out = {'mpda': [], 'lb': [], 'cache': []}
    off = 40
    while off < len(data):
        stype, _r, slen = struct.unpack_from('<HHI', data, off)
        if slen == 0:
            raise AcpiError('HMAT structure of length 0')
        if stype == 0:
            flags, _r, initiator, memory = struct.unpack_from('<HHII', data, off + 8)
            out['mpda'].append({'flags': flags, 'initiator': initiator, 'memory': memory})
        elif stype == 1:
            flags, dtype, _r, ni, nt, _r2, unit = struct.unpack_from('<BBHIIIQ', data, off + 8)
            p = off + 32
            inits = list(struct.unpack_from(f'<{ni}I', data, p)); p += 4 * ni
            targs = list(struct.unpack_from(f'<{nt}I', data, p)); p += 4 * nt
            ent = list(struct.unpack_from(f'<{ni * nt}H', data, p))
            out['lb'].append({'hierarchy': flags & 0xf, 'data_type': dtype, 'base_unit': unit,
                              'initiators': inits, 'targets': targs,
                              'entries': [ent[i * nt:(i + 1) * nt] for i in range(ni)]})
        elif stype == 2:
            node, _r, size, attrs, _r2, nsmb = struct.unpack_from('<IIQIHH', data, off + 8)
            out['cache'].append({'node': node, 'size': size, 'total_levels': attrs & 0xf,
                                 'level': attrs >> 4 & 0xf, 'associativity': attrs >> 8 & 0xf,
                                 'policy': attrs >> 12 & 0xf, 'line': attrs >> 16})
        off += slen
    return out


def decode_madt(data):
    """-> list of (kind, apic_id, flags) for local (x2)APIC entries"""
    header(data)
    cpus, off = [], 44
    while off < len(data):
        etype, elen = data[off], data[off + 1]
        if etype == 0:
            _uid, apic, flags = struct.unpack_from('<BBI', data, off + 2)
            cpus.append(('lapic', apic, flags))
        elif etype == 9:
            _r, x2apic, flags, _uid = struct.unpack_from('<HIII', data, off + 2)
            cpus.append(('x2apic', x2apic, flags))
        off += elen
    return cpus
