#!/usr/bin/env python3
"""Boot Debian's cloud kernel on numbat's interpreter for several NUMA topologies (TAP).

The busybox /init (scripts/make-initramfs.sh) prints the guest's own view between
NUMBAT-GUEST-BEGIN/END: /sys/devices/system/node/online, each node's distance row, cpulist and
MemTotal, and the dmesg SRAT lines; then it powers off through ACPI (numbat must exit 0).
Each view is compared with the command line: online nodes, distances exactly, the SRAT memory
ranges exactly, and each node's MemTotal within the kernel's reservations.  The PCI functions the
guest lists must be the pc's two (00:00.0 i440FX, 00:01.0 PIIX3).

usage: test-linux-numa.py NUMBAT_X86_64 [CACHE_DIR]
(CACHE_DIR holds vmlinuz and initramfs.cpio.gz; default $NUMBAT_CACHE or ~/.cache/numbat, as the
scripts/fetch-guest.sh and scripts/make-initramfs.sh that fill it)
"""
import concurrent.futures
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from tap import Tap  # noqa: E402
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import linux_guest  # noqa: E402
from linux_guest import linux_args  # noqa: E402

MiB = 1 << 20
BOOT_TIMEOUT = 240
# The kernel keeps part of each node's memory (memmap, per-node data): MemTotal must be at most
# the node's size and lose at most this much; the node at address 0 also holds the kernel image
# and the initramfs.
MAX_LOSS = lambda size: 16 * MiB + size // 20            # noqa: E731
MAX_LOSS_AT_ZERO = lambda size: 48 * MiB + size // 20    # noqa: E731


def topology(sizes_mib, dist=None, cpus_node=0):
    """-m/-object/-numa for nodes of the given sizes (0 = memory-less); the one vCPU on cpus_node."""
    args = ['-m', f'{sum(sizes_mib)}M', '-smp', '1']
    for i, size in enumerate(sizes_mib):
        node = f'node,nodeid={i}'
        if size:
            args += ['-object', f'memory-backend-ram,id=m{i},size={size}M']
            node += f',memdev=m{i}'
        if i == cpus_node:
            node += ',cpus=0'
        args += ['-numa', node]
    for (s, d), val in (dist or {}).items():
        args += ['-numa', f'dist,src={s},dst={d},val={val}']
    return args


def full_matrix(n, dist):
    """The distances the guest must see: given ones, reverse filled in, else 10/20."""
    m = [[10 if i == j else 20 for j in range(n)] for i in range(n)]
    given = dist or {}
    for (s, d), v in given.items():
        m[s][d] = v
        if (d, s) not in given:
            m[d][s] = v
    return m


CASES = [
    dict(name='2 nodes, distance 21', sizes=[256, 256], dist={(0, 1): 21}),
    dict(name='memory-less node', sizes=[256, 256, 0], dist={(0, 1): 21, (0, 2): 31, (1, 2): 41}),
    dict(name='CPU-less memory node', sizes=[128, 384], cpus_node=1),
    dict(name='asymmetric 4-node table', sizes=[128] * 4,
         dist={(s, d): 10 if s == d else 20 + 4 * s + d for s in range(4) for d in range(4)}),
    dict(name='8 nodes', sizes=[64] * 8, dist={(s, d): 10 + 3 * abs(s - d) + (s != d) * 7
                                               for s in range(8) for d in range(8) if s < d}),
]


# What the guest's /sys/bus/pci/devices must hold: (address, vendor:device, class).
PCI_FUNCTIONS = [('0000:00:00.0', '8086:1237', '060000'), ('0000:00:01.0', '8086:7000', '060100')]


def expected_srat(sizes):
    """SRAT memory lines (PXM, first, last): nodes back to back from 0, cut at the 640K hole."""
    out, base = [], 0
    for i, size in enumerate(sizes):
        end = base + size * MiB
        if size:
            if base == 0:
                out.append((i, 0, 0xa0000 - 1))
                out.append((i, 0x100000, end - 1))
            else:
                out.append((i, base, end - 1))
        base = end
    return out


def boot(numbat, cache, case):
    args = linux_args(numbat, os.path.join(cache, 'vmlinuz'),
                      os.path.join(cache, 'initramfs.cpio.gz'))
    args += topology(case['sizes'], case.get('dist'), case.get('cpus_node', 0))
    return linux_guest.boot(args, BOOT_TIMEOUT)


def parse_view(out):
    m = re.search(r'NUMBAT-GUEST-BEGIN\s*\n(.*?)NUMBAT-GUEST-END', out, re.S)
    if not m:
        return None
    view = {'nodes': {}, 'srat': [], 'pxm_to_node': {}, 'pci': []}
    for line in m.group(1).splitlines():
        line = re.sub(r'^\[\s*[\d.]+\]\s*', '', line.strip())
        if line.startswith('online:'):
            view['online'] = line.split(':', 1)[1].strip()
        elif mm := re.match(r'node (\d+) distance: (.*)', line):
            view['nodes'].setdefault(int(mm[1]), {})['distance'] = [int(x) for x in mm[2].split()]
        elif mm := re.match(r'Node (\d+) MemTotal:\s+(\d+) kB', line):
            view['nodes'].setdefault(int(mm[1]), {})['memtotal'] = int(mm[2]) * 1024
        elif mm := re.search(r'SRAT: Node (\d+) PXM (\d+) \[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)\]', line):
            view['srat'].append((int(mm[2]), int(mm[3], 16), int(mm[4], 16)))
            view['pxm_to_node'][int(mm[2])] = int(mm[1])
        elif mm := re.search(r'SRAT: PXM (\d+) -> APIC 0x[0-9a-f]+ -> Node (\d+)', line):
            view['pxm_to_node'][int(mm[1])] = int(mm[2])
        elif mm := re.match(r'pci (\S+) 0x([0-9a-f]{4}) 0x([0-9a-f]{4}) 0x([0-9a-f]{6})$', line):
            view['pci'].append((mm[1], f'{mm[2]}:{mm[3]}', mm[4]))
    return view


def online_text(nodes):
    """The kernel's range-list text for a set of node ids (e.g. '0-1,3')."""
    runs, nodes = [], sorted(nodes)
    for n in nodes:
        if runs and runs[-1][1] == n - 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ','.join(f'{a}-{b}' if a != b else f'{a}' for a, b in runs)


def check(t, case, rc, out, secs):
    name = case['name']
    print(f'# {name}: booted in {secs:.1f} s', flush=True)
    if not t.ok(rc == 0, f'{name}: guest powered off, exit status 0', f'exit {rc}\n{out[-3000:]}'):
        return
    view = parse_view(out)
    if not t.ok(view is not None, f'{name}: /init printed the node view', out[-3000:]):
        return
    sizes = case['sizes']
    cpu_node = case.get('cpus_node', 0)
    # Linux onlines nodes with memory or CPUs; a node with neither stays offline.
    pxms = [i for i, s in enumerate(sizes) if s or i == cpu_node]
    # Linux numbers nodes in order of first appearance in SRAT, CPU entries first: a CPU-less
    # node below a CPU node is renumbered.  Compare through the PXM -> node map the guest logs.
    p2n = view['pxm_to_node']
    if not t.eq(sorted(p2n), pxms, f'{name}: every configured node reached the guest'):
        return
    t.eq(view.get('online'), online_text(p2n.values()), f'{name}: online nodes')
    matrix = full_matrix(len(sizes), case.get('dist'))
    by_node = sorted(pxms, key=lambda p: p2n[p])
    got_rows = {p: view['nodes'].get(p2n[p], {}).get('distance') for p in pxms}
    want_rows = {p: [matrix[p][q] for q in by_node] for p in pxms}
    t.eq(got_rows, want_rows, f'{name}: distances (rows by PXM)')
    t.eq(view['srat'], expected_srat(sizes), f'{name}: SRAT memory ranges in dmesg')
    bad = []
    for p in pxms:
        size = sizes[p] * MiB
        got = view['nodes'].get(p2n[p], {}).get('memtotal', 0)
        loss = (MAX_LOSS_AT_ZERO if p == 0 else MAX_LOSS)(size)
        if not (size - loss <= got <= size):
            bad.append(f'PXM {p} (guest node {p2n[p]}): MemTotal {got} for {size}')
    t.ok(not bad, f'{name}: node memory within the kernel reservations', '\n'.join(bad))
    # The LAPIC timer in TSC-deadline mode (CPUID.1:ECX.24, MSR 0x6e0) is what Linux picks.
    t.ok('TSC deadline timer available' in out, f'{name}: the kernel found the TSC-deadline timer',
         out[-3000:])
    # The i440FX host bridge and the PIIX3 ISA bridge, found through config mechanism #1
    # (older initramfs images print no pci lines: rerun scripts/make-initramfs.sh).
    t.eq(view['pci'], PCI_FUNCTIONS, f'{name}: PCI functions in /sys/bus/pci/devices')
    t.ok('PCI: Fatal' not in out and 'does not support PCI' not in out,
         f'{name}: the kernel found PCI config space', out[-3000:])


def main():
    numbat = sys.argv[1]
    cache = sys.argv[2] if len(sys.argv) > 2 else linux_guest.default_cache()
    t = Tap()
    missing = [f for f in ('vmlinuz', 'initramfs.cpio.gz') if not os.path.exists(os.path.join(cache, f))]
    if missing:
        t.ok(False, 'guest kernel and initramfs present',
             f'missing in {cache}: {missing}; run scripts/fetch-guest.sh and scripts/make-initramfs.sh')
        return t.finish()
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda c: boot(numbat, cache, c), CASES))
    for case, (rc, out, secs) in zip(CASES, results):
        check(t, case, rc, out, secs)
    return t.finish()


if __name__ == '__main__':
    sys.exit(main())
