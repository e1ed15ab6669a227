#!/usr/bin/env python3
"""The e2k machine from real command lines: dumped boot info and device tree, and QMP (TAP).

usage: test-e2k-machine.py NUMBAT_E2K [DTC]

Each case runs numbat-system-e2k with -m/-smp/-numa/-object and
-machine e2k,dumpbootinfo=FILE,dumpdtb=FILE, which must exit 0.  dtc must turn the DTB into
source without a word on stderr; the DTB is then decoded here (a small FDT reader) and the
boot info block by bootinfo_decode.py, and both are checked against what the command line
says: node ids, nodes_map, banks in the low/high windows, num_of_cpus, Elbrus CPU ids
(16n + k), the distance matrix, the command line, devtree and busy[].  Then QMP (query-numa,
query-memdev, `info numa`) on the same binary, and command lines that must fail.
"""
import json
import os
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bootinfo_decode  # noqa: E402

MiB = 1 << 20
GiB = 1 << 30
LOW_WINDOW = 2 * GiB
HIMEM_BASE = 0x4_0000_0000
DTB_ALIGN = 0x10000
PAGE = 0x1000
BASE_ARGS = ['-accel', 'qtest', '-display', 'none', '-nodefaults']


def ram(*sizes):
    args = []
    for i, size in enumerate(sizes):
        args += ['-object', f'memory-backend-ram,id=m{i},size={size}']
    return args


def numa(*opts):
    args = []
    for o in opts:
        args += ['-numa', o]
    return args


# name, args, node memory (MiB), node of each CPU index, distance matrix (None: 10/20), -append
CASES = [
    dict(name='no -numa: one node', args=['-m', '512M', '-smp', '4'],
         mem=[512], cpus=[0, 0, 0, 0]),
    dict(name='1 node', args=['-m', '256M', '-smp', '2'] + numa('node'),
         mem=[256], cpus=[0, 0]),
    dict(name='2 nodes, mem=, sockets = nodes', args=['-m', '1G', '-smp', '4'] +
         numa('node,mem=512M', 'node,mem=512M'), mem=[512, 512], cpus=[0, 0, 1, 1],
         cmdline='console=ttyS0 quiet'),
    dict(name='4 nodes, memdevs across the 2 GiB line', args=['-m', '3G', '-smp', '8'] +
         ram('768M', '768M', '768M', '768M') +
         numa(*[f'node,memdev=m{i}' for i in range(4)]),
         mem=[768] * 4, cpus=[0, 0, 1, 1, 2, 2, 3, 3]),
    dict(name='8 nodes, automatic RAM split', args=['-m', '2G', '-smp', '16'] +
         numa(*['node'] * 8), mem=[256] * 8, cpus=[i // 2 for i in range(16)]),
    dict(name='8 nodes x 8 CPUs, all high RAM above node 1', args=['-m', '8G', '-smp', '64'] +
         numa(*['node,mem=1G'] * 8), mem=[1024] * 8, cpus=[i // 8 for i in range(64)]),
    dict(name='memory-less nodes', args=['-m', '1G', '-smp', '4'] + ram('512M', '512M') +
         numa('node', 'node,memdev=m0', 'node', 'node,memdev=m1'),
         mem=[0, 512, 0, 512], cpus=[0, 1, 2, 3]),
    dict(name='asymmetric distances', args=['-m', '768M', '-smp', '3'] +
         numa('node', 'node', 'node', 'dist,src=0,dst=1,val=21', 'dist,src=1,dst=0,val=31',
              'dist,src=0,dst=2,val=41', 'dist,src=2,dst=0,val=51',
              'dist,src=1,dst=2,val=61', 'dist,src=2,dst=1,val=71'),
         mem=[256] * 3, cpus=[0, 1, 2], dist=[[10, 21, 41], [31, 10, 61], [51, 71, 10]]),
    dict(name='symmetric completion of one distance', args=['-m', '512M', '-smp', '2'] +
         numa('node', 'node', 'dist,src=0,dst=1,val=35'),
         mem=[256, 256], cpus=[0, 1], dist=[[10, 35], [35, 10]]),
    dict(name='default CPUs: round-robin when nodes do not divide CPUs',
         args=['-m', '512M', '-smp', '3'] + numa('node', 'node'),
         mem=[256, 256], cpus=[0, 1, 0]),
    dict(name='default CPUs: by socket, 4 sockets on 2 nodes',
         args=['-m', '512M', '-smp', '8,sockets=4,cores=2'] + numa('node', 'node'),
         mem=[256, 256], cpus=[0, 0, 1, 1, 0, 0, 1, 1]),
    dict(name='default CPUs: sockets=4 of one core is round-robin',
         args=['-m', '512M', '-smp', '4,sockets=4,cores=1'] + numa('node', 'node'),
         mem=[256, 256], cpus=[0, 1, 0, 1]),
    dict(name='explicit cpus= lists', args=['-m', '512M', '-smp', '4'] +
         numa('node,cpus=0-1,cpus=3', 'node,cpus=2'), mem=[256, 256], cpus=[0, 0, 1, 0]),
    dict(name='16 CPUs on one node (ids 0..15)', args=['-m', '256M', '-smp', '16'],
         mem=[256], cpus=[0] * 16),
]

# args, the last line of stderr (exit status 1)
BAD = [
    (['-m', '1G'] + numa(*['node'] * 9),
     'the e2k machine supports 1 to 8 NUMA nodes, not 9'),
    (['-m', '256M', '-smp', '17'], 'e2k: NUMA node 0 has more than 16 CPUs'),
    (['-m', '256M', '-append', 'x' * 200],
     'kernel command line too long for the e2k boot info (200 bytes, at most 127)'),
    (['-m', '256M', '-kernel', '/dev/null'], 'e2k: -kernel and -initrd are not supported'),
]


# ---- a tiny FDT reader: {path: {property: bytes}} ----

def fdt_decode(blob):
    magic, total, off_struct, off_strings = struct.unpack('>IIII', blob[:16])
    if magic != 0xd00dfeed or total != len(blob):
        raise ValueError('bad FDT header')
    nodes, path, pos = {}, [], off_struct

    def cstr(at):
        return blob[at:blob.index(b'\0', at)].decode()
    while True:
        tok = struct.unpack('>I', blob[pos:pos + 4])[0]
        pos += 4
        if tok == 1:                        # FDT_BEGIN_NODE
            name = cstr(pos)
            pos += (len(name) + 4) & ~3
            path.append(name)
            nodes['/' + '/'.join(p for p in path if p)] = {}
        elif tok == 2:                      # FDT_END_NODE
            path.pop()
        elif tok == 3:                      # FDT_PROP
            size, nameoff = struct.unpack('>II', blob[pos:pos + 8])
            pos += 8
            cur = '/' + '/'.join(p for p in path if p)
            nodes[cur][cstr(off_strings + nameoff)] = blob[pos:pos + size]
            pos += (size + 3) & ~3
        elif tok == 4:                      # FDT_NOP
            continue
        elif tok == 9:                      # FDT_END
            return nodes
        else:
            raise ValueError('bad FDT token %d' % tok)


def cells(raw):
    return list(struct.unpack('>%dI' % (len(raw) // 4), raw))


# ---- what the command line says ----

def expected_banks(mem_mib):
    """Nodes one after another in RAM; RAM offset o at o below 2 GiB, else 16 GiB + o - 2 GiB."""
    out, off = [], 0
    for size in (m * MiB for m in mem_mib):
        banks = []
        lo, hi = off, off + size
        if lo < min(hi, LOW_WINDOW):
            banks.append((lo, min(hi, LOW_WINDOW) - lo))
        if max(lo, LOW_WINDOW) < hi:
            banks.append((HIMEM_BASE + max(lo, LOW_WINDOW) - LOW_WINDOW, hi - max(lo, LOW_WINDOW)))
        out.append(banks)
        off = hi
    return out


def expected_ids(cpu_nodes):
    used, ids = {}, []
    for n in cpu_nodes:
        ids.append(16 * n + used.get(n, 0))
        used[n] = used.get(n, 0) + 1
    return ids


def check_dtb(fdt, case, problems):
    nb = len(case['mem'])
    root = fdt.get('/', {})
    if root.get('compatible') != b'numbat,e2k\0mcst,e2k\0':
        problems.append('root compatible %r' % root.get('compatible'))
    if cells(root.get('#address-cells', b'')) != [2] or cells(root.get('#size-cells', b'')) != [2]:
        problems.append('root #address-cells/#size-cells')
    want_cpus = {}
    for i, (cid, n) in enumerate(zip(expected_ids(case['cpus']), case['cpus'])):
        want_cpus['/cpus/cpu@%x' % cid] = (cid, n)
    got_cpus = {p: v for p, v in fdt.items() if p.startswith('/cpus/cpu@')}
    if set(got_cpus) != set(want_cpus):
        problems.append('cpu nodes %s, want %s' % (sorted(got_cpus), sorted(want_cpus)))
    for p, (cid, n) in want_cpus.items():
        props = got_cpus.get(p, {})
        if cells(props.get('reg', b'')) != [cid] or cells(props.get('numa-node-id', b'')) != [n]:
            problems.append('%s: reg %r numa-node-id %r, want %d / %d'
                            % (p, props.get('reg'), props.get('numa-node-id'), cid, n))
    want_mem = {}
    for n, banks in enumerate(expected_banks(case['mem'])):
        for addr, size in banks:
            want_mem['/memory@%x' % addr] = [addr >> 32, addr & 0xffffffff, size >> 32,
                                              size & 0xffffffff, n]
    got_mem = {p: cells(v.get('reg', b'')) + cells(v.get('numa-node-id', b''))
               for p, v in fdt.items() if p.startswith('/memory')}
    if got_mem != want_mem:
        problems.append('memory nodes %s, want %s' % (got_mem, want_mem))
    dist = case.get('dist') or [[10 if a == b else 20 for b in range(nb)] for a in range(nb)]
    want = [x for a in range(nb) for b in range(nb) for x in (a, b, dist[a][b])]
    dm = fdt.get('/distance-map', {})
    if dm.get('compatible') != b'numa-distance-map-v1\0':
        problems.append('distance-map compatible %r' % dm.get('compatible'))
    if cells(dm.get('distance-matrix', b'')) != want:
        problems.append('distance-matrix %s, want %s' % (cells(dm.get('distance-matrix', b'')), want))
    bootargs = fdt.get('/chosen', {}).get('bootargs')
    if case.get('cmdline') and bootargs != case['cmdline'].encode() + b'\0':
        problems.append('/chosen/bootargs %r' % bootargs)
    if not case.get('cmdline') and bootargs is not None:
        problems.append('bootargs without -append: %r' % bootargs)


def check_bootinfo(bi, case, dtb_size, problems):
    nb = len(case['mem'])
    ram_size = sum(case['mem']) * MiB
    banks = expected_banks(case['mem'])
    want = {
        'nodes_map': (1 << nb) - 1, 'num_of_nodes': nb, 'num_of_cpus': len(case['cpus']),
        'num_of_banks': sum(len(b) for b in banks), 'cpu_type': 7,
        'cmdline': case.get('cmdline', ''),
    }
    for k, v in want.items():
        if bi[k] != v:
            problems.append('boot info %s = %r, want %r' % (k, bi[k], v))
    got_banks = [bi['banks'].get(n) for n in range(nb)]
    if got_banks != banks:
        problems.append('boot info banks %s, want %s' % (got_banks, banks))
    # The DTB at the top of low RAM, 64 KiB aligned; the bootblock right below it.
    low_end = min(ram_size, LOW_WINDOW)
    dtb_addr = (low_end - ((dtb_size + DTB_ALIGN - 1) & ~(DTB_ALIGN - 1))) & ~(DTB_ALIGN - 1)
    if bi['devtree'] != dtb_addr:
        problems.append('devtree 0x%x, want 0x%x' % (bi['devtree'], dtb_addr))
    busy = [(dtb_addr - 0x1000, 0x1000), (dtb_addr, (dtb_size + PAGE - 1) & ~(PAGE - 1))]
    if bi['busy'] != busy:
        problems.append('busy %s, want %s' % (bi['busy'], busy))


def run_dump(binary, args, tmp, tag):
    bi, dt = os.path.join(tmp, tag + '.bin'), os.path.join(tmp, tag + '.dtb')
    p = subprocess.run([binary] + BASE_ARGS + args +
                       ['-machine', f'e2k,dumpbootinfo={bi},dumpdtb={dt}'],
                       capture_output=True, text=True, timeout=60)
    return p, bi, dt


def check_case(binary, dtc, case, tmp, tag):
    """Returns a list of (name, problems) results for one command line."""
    p, bi_path, dt_path = run_dump(binary, case['args'] + (['-append', case['cmdline']]
                                                           if case.get('cmdline') else []),
                                   tmp, tag)
    names = ([case['name'] + ': dtc accepts the DTB silently'] if dtc else []) + \
        [case['name'] + ': device tree', case['name'] + ': boot info']
    if p.returncode != 0 or not os.path.exists(bi_path) or not os.path.exists(dt_path):
        # The same number of results either way, so the TAP plan does not move.
        why = ['exit %d, stderr: %s' % (p.returncode, p.stderr.strip())]
        return [(name, why) for name in names]
    results = []
    with open(dt_path, 'rb') as f:
        blob = f.read()
    if dtc:
        d = subprocess.run([dtc, '-I', 'dtb', '-O', 'dts', dt_path], capture_output=True,
                           text=True)
        problems = []
        if d.returncode != 0 or d.stderr.strip():
            problems.append('dtc: exit %d: %s' % (d.returncode, d.stderr.strip()))
        elif d.stdout.count('device_type = "cpu"') != len(case['cpus']):
            problems.append('dtc output has %d cpus' % d.stdout.count('device_type = "cpu"'))
        results.append((names[0], problems))
    problems = []
    try:
        check_dtb(fdt_decode(blob), case, problems)
    except (ValueError, struct.error) as e:
        problems.append('DTB does not decode: %s' % e)
    results.append((names[-2], problems))
    problems = []
    with open(bi_path, 'rb') as f:
        try:
            check_bootinfo(bootinfo_decode.decode(f.read()), case, len(blob), problems)
        except bootinfo_decode.DecodeError as e:
            problems.append('boot info does not decode: %s' % e)
    results.append((names[-1], problems))
    return results


# ---- QMP ----

def qmp(binary, args, commands):
    script = [{'execute': 'qmp_capabilities'}] + commands + [{'execute': 'quit'}]
    p = subprocess.run([binary] + BASE_ARGS + ['-S', '-qmp', 'stdio'] + args,
                       input=''.join(json.dumps(c) + '\n' for c in script),
                       capture_output=True, text=True, timeout=60)
    replies = [json.loads(line) for line in p.stdout.splitlines()
               if line.strip().startswith('{') and ('"return"' in line or '"error"' in line)]
    return p, [r.get('return', r.get('error')) for r in replies[1:-1]]


def check_qmp(binary):
    args = ['-m', '1G', '-smp', '4'] + ram('768M', '256M') + \
        numa('node,memdev=m0', 'node,memdev=m1', 'node', 'dist,src=0,dst=1,val=30',
             'dist,src=0,dst=2,val=40', 'dist,src=1,dst=2,val=25')
    p, rets = qmp(binary, args, [
        {'execute': 'query-numa'},
        {'execute': 'query-memdev'},
        {'execute': 'human-monitor-command', 'arguments': {'command-line': 'info numa'}},
    ])
    if p.returncode != 0 or len(rets) != 3:
        why = ['exit %d, replies %s, stderr %s' % (p.returncode, rets, p.stderr.strip())]
        return [(name, why) for name in ('QMP query-numa on e2k', 'QMP query-memdev on e2k',
                                         'HMP info numa on e2k')]
    nodes, memdevs, info = rets
    results = []
    problems = []
    # 4 CPUs, 3 nodes: 3 does not divide 4, so round-robin (0 3 | 1 | 2).
    want = [(0, 768 * MiB, 'm0', [0, 3], [10, 30, 40]), (1, 256 * MiB, 'm1', [1], [30, 10, 25]),
            (2, 0, None, [2], [40, 25, 10])]
    if not isinstance(nodes, list) or len(nodes) != 3:
        problems.append('query-numa: %s' % nodes)
    else:
        for got, (nid, size, memdev, cpus, dist) in zip(nodes, want):
            if got.get('node-id') != nid or got.get('size') != size or got.get('cpus') != cpus:
                problems.append('query-numa node %d: %s' % (nid, got))
            if got.get('memdev') != memdev:
                problems.append('query-numa node %d memdev %r' % (nid, got.get('memdev')))
            if 'distance' in got and got['distance'] != dist:
                problems.append('query-numa node %d distance %s' % (nid, got['distance']))
    results.append(('QMP query-numa on e2k', problems))
    problems = []
    if not isinstance(memdevs, list) or \
            sorted((m.get('id'), m.get('size')) for m in memdevs) != [('m0', 768 * MiB),
                                                                       ('m1', 256 * MiB)]:
        problems.append('query-memdev: %s' % memdevs)
    results.append(('QMP query-memdev on e2k', problems))
    want_info = ('3 nodes\nnode 0 cpus: 0 3\nnode 0 size: 768 MB\nnode 0 plugged: 0 MB\n'
                 'node 1 cpus: 1\nnode 1 size: 256 MB\nnode 1 plugged: 0 MB\n'
                 'node 2 cpus: 2\nnode 2 size: 0 MB\nnode 2 plugged: 0 MB\n')
    problems = [] if isinstance(info, str) and info.replace('\r\n', '\n') == want_info else \
        ['info numa %r, want %r' % (info, want_info)]
    results.append(('HMP info numa on e2k', problems))
    return results


def check_bad(binary, args, want, tmp, tag):
    p, bi, dt = run_dump(binary, args, tmp, tag)
    lines = [line for line in p.stderr.splitlines() if line.strip()]
    problems = []
    if p.returncode != 1:
        problems.append('exit status %d, want 1' % p.returncode)
    if not lines or want not in lines[-1]:
        problems.append('stderr %r lacks %r' % (p.stderr, want))
    if os.path.exists(bi) or os.path.exists(dt):
        problems.append('a dump file was written')
    return ('refused: ' + want, problems)


def check_decoders_fail(binary, tmp):
    """The checks must be able to fail: corrupted images are caught."""
    p, bi, dt = run_dump(binary, ['-m', '256M'], tmp, 'corrupt')
    problems = []
    if p.returncode != 0:
        return [('decoders reject corrupted images', ['dump failed: ' + p.stderr])]
    with open(bi, 'rb') as f:
        block = bytearray(f.read())
    for off, what in ((0x100, 'outside any field'), (0x7, 'num_of_banks'),
                      (0xffe, 'bootblock_marker'), (0x2f8, 'outside any field')):
        bad = bytearray(block)
        bad[off] ^= 0x5a
        try:
            bootinfo_decode.decode(bytes(bad))
            problems.append('byte 0x%x corrupted: not detected' % off)
        except bootinfo_decode.DecodeError as e:
            if what not in str(e):
                problems.append('byte 0x%x: %s' % (off, e))
    with open(dt, 'rb') as f:
        blob = bytearray(f.read())
    fdt = fdt_decode(bytes(blob))
    wrong = dict(name='wrong', mem=[256], cpus=[0, 0])      # claims 2 CPUs, the dump has 1
    mismatch = []
    check_dtb(fdt, wrong, mismatch)
    if not mismatch:
        problems.append('a wrong CPU count was not detected in the DTB')
    blob[0] ^= 0xff
    try:
        fdt_decode(bytes(blob))
        problems.append('a bad FDT magic was not detected')
    except ValueError:
        pass
    return [('decoders reject corrupted images', problems)]


def main():
    binary = sys.argv[1]
    dtc = sys.argv[2] if len(sys.argv) > 2 else None
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, case in enumerate(CASES):
            results += check_case(binary, dtc, case, tmp, 'case%d' % i)
        results += check_qmp(binary)
        for i, (args, want) in enumerate(BAD):
            results.append(check_bad(binary, args, want, tmp, 'bad%d' % i))
        results += check_decoders_fail(binary, tmp)
    print('1..%d' % len(results))
    for n, (name, problems) in enumerate(results, 1):
        print('%s %d - %s' % ('not ok' if problems else 'ok', n, name))
        for p in problems:
            for line in str(p).splitlines():
                print('# ' + line)
    return 0


if __name__ == '__main__':
    sys.exit(main())
