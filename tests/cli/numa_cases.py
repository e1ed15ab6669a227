"""The table of -numa command lines for tests/cli/test-numa-cli.py.

Each case: id, machine ('x86' or 'e2k'), args, and either
  err:  the exact last line of stderr ("{prog}" stands for the binary's name), exit status 1;
  ok:   a dict with any of
        'info_numa'  exact HMP `info numa` text (lines joined with \\n),
        'nodes'      expected query-numa list; each entry lists only the fields to check,
        'warn'       substrings that must appear on stderr;
  qemu: True when Debian's QEMU 7.2 (-M pc) accepts the same line: the runner then also
        compares `info numa` text and query-memdev with QEMU's.
"""

MB = 1 << 20


def ram(ids_sizes):
    args = []
    for i, size in ids_sizes:
        args += ['-object', f'memory-backend-ram,id={i},size={size}']
    return args


def numa(*opts):
    args = []
    for o in opts:
        args += ['-numa', o]
    return args


TWO_MEMDEVS = ['-m', '128M'] + ram([('m0', '64M'), ('m1', '64M')])

CASES = [
    # ---- -numa node: parse checks, in the seed's order --------------------------------
    dict(id='node-max', machine='x86', args=numa('node,nodeid=128'),
         err='{prog}: -numa node,nodeid=128: Max number of NUMA nodes reached: 128'),
    dict(id='node-id-uint16', machine='x86', args=numa('node,nodeid=70000'),
         err="{prog}: -numa node,nodeid=70000: Parameter 'nodeid' expects uint16_t"),
    dict(id='node-id-negative', machine='x86', args=numa('node,nodeid=-1'),
         err="{prog}: -numa node,nodeid=-1: Parameter 'nodeid' expects a uint64 value"),
    dict(id='node-duplicate', machine='x86', args=numa('node,nodeid=0', 'node,nodeid=0'),
         err='{prog}: -numa node,nodeid=0: Duplicate NUMA nodeid: 0'),
    dict(id='node-cpu-index', machine='x86', args=['-smp', '2'] + numa('node,cpus=2'),
         err='{prog}: -numa node,cpus=2: CPU index (2) should be smaller than maxcpus (2)'),
    dict(id='node-mem-and-memdev', machine='x86',
         args=['-m', '128M'] + ram([('m0', '128M')]) + numa('node,mem=128M,memdev=m0'),
         err='{prog}: -numa node,mem=128M,memdev=m0: cannot specify both mem= and memdev='),
    dict(id='node-mixed-mem-memdev', machine='x86',
         args=TWO_MEMDEVS + numa('node,memdev=m0', 'node,mem=64M'),
         err='{prog}: -numa node,mem=64M: memdev option must be specified for either all or no nodes'),
    dict(id='node-memdev-missing', machine='x86', args=numa('node,memdev=nosuch'),
         err='{prog}: -numa node,memdev=nosuch: memdev=nosuch is ambiguous'),
    dict(id='node-bad-type', machine='x86', args=numa('foo'),
         err="{prog}: -numa foo: Parameter 'type' does not accept value 'foo'"),
    dict(id='node-unknown-key', machine='x86', args=numa('node,bogus=1'),
         err="{prog}: -numa node,bogus=1: Invalid parameter 'bogus'"),
    dict(id='node-bad-size', machine='x86', args=numa('node,mem=64x'),
         err="{prog}: -numa node,mem=64x: Parameter 'mem' expects a size value"),
    dict(id='node-cpus-range', machine='x86', args=numa('node,cpus=0-70000'),
         err="{prog}: -numa node,cpus=0-70000: Parameter 'cpus' expects a uint64 value or range"),
    dict(id='node-initiator-no-hmat', machine='x86', args=numa('node,nodeid=0,initiator=0'),
         err='{prog}: -numa node,nodeid=0,initiator=0: ACPI Heterogeneous Memory Attribute Table'
             ' (HMAT) is disabled, enable it with -machine hmat=on before using any of hmat'
             ' specific options'),
    # ---- completion ----------------------------------------------------------------------
    dict(id='complete-id-missing', machine='x86',
         args=['-m', '128M'] + numa('node,nodeid=0,mem=64M', 'node,nodeid=2,mem=64M'),
         err='{prog}: numa: Node ID missing: 1'),
    dict(id='complete-id-missing-largest-first', machine='x86',
         args=['-m', '128M'] + numa('node,nodeid=3,mem=128M'),
         err='{prog}: numa: Node ID missing: 2'),
    dict(id='complete-total-mismatch', machine='x86',
         args=['-m', '128M'] + numa('node,mem=64M'),
         err='{prog}: total memory for NUMA nodes (0x4000000) should equal RAM size (0x8000000)'),
    dict(id='complete-memdev-twice', machine='x86',
         args=TWO_MEMDEVS + numa('node,memdev=m0', 'node,memdev=m0'),
         err='{prog}: memory backend m0 is used multiple times. Each -numa option must use a'
             ' different memdev value.'),
    # ---- -numa dist ----------------------------------------------------------------------
    dict(id='dist-node-range', machine='x86', args=numa('node', 'dist,src=0,dst=200,val=20'),
         err='{prog}: -numa dist,src=0,dst=200,val=20: Invalid node 200, max possible could be 128'),
    dict(id='dist-node-missing', machine='x86', args=numa('node', 'dist,src=0,dst=1,val=20'),
         err="{prog}: -numa dist,src=0,dst=1,val=20: Source/Destination NUMA node is missing."
             " Please use '-numa node' option to declare it first."),
    dict(id='dist-too-small', machine='x86', args=numa('node', 'node', 'dist,src=0,dst=1,val=9'),
         err="{prog}: -numa dist,src=0,dst=1,val=9: NUMA distance (9) is invalid, it shouldn't be"
             " less than 10."),
    dict(id='dist-local', machine='x86', args=numa('node', 'dist,src=0,dst=0,val=11'),
         err='{prog}: -numa dist,src=0,dst=0,val=11: Local distance of node 0 should be 10.'),
    dict(id='dist-uint8', machine='x86', args=numa('node', 'node', 'dist,src=0,dst=1,val=256'),
         err="{prog}: -numa dist,src=0,dst=1,val=256: Parameter 'val' expects uint8_t"),
    dict(id='dist-pair-missing', machine='x86',
         args=['-m', '96M'] + numa('node,mem=32M', 'node,mem=32M', 'node,mem=32M',
                                   'dist,src=0,dst=1,val=21', 'dist,src=1,dst=2,val=21'),
         err='{prog}: The distance between node 0 and 2 is missing, at least one distance value'
             ' between each nodes should be provided.'),
    dict(id='dist-asymmetric-incomplete', machine='x86',
         args=['-m', '96M'] + numa('node,mem=32M', 'node,mem=32M', 'node,mem=32M',
                                   'dist,src=0,dst=1,val=21', 'dist,src=1,dst=0,val=31',
                                   'dist,src=0,dst=2,val=21', 'dist,src=1,dst=2,val=21'),
         err='{prog}: At least one asymmetrical pair of distances is given, please provide'
             ' distances for both directions of all node pairs.'),
    # ---- -numa cpu -----------------------------------------------------------------------
    dict(id='cpu-no-node-id', machine='x86', args=numa('node', 'cpu,socket-id=0'),
         err='{prog}: -numa cpu,socket-id=0: Missing mandatory node-id property'),
    dict(id='cpu-undefined-node', machine='x86', args=numa('node', 'cpu,node-id=1'),
         err="{prog}: -numa cpu,node-id=1: Invalid node-id=1, NUMA node must be defined with"
             " -numa node,nodeid=ID before it's used with -numa cpu,node-id=ID"),
    dict(id='cpu-negative-node', machine='x86', args=numa('node', 'cpu,node-id=-1'),
         err="{prog}: -numa cpu,node-id=-1: Invalid node-id=-1, NUMA node must be defined with"
             " -numa node,nodeid=ID before it's used with -numa cpu,node-id=ID"),
    dict(id='cpu-assigned-twice', machine='x86',
         args=['-smp', '2,sockets=2'] + numa('node,cpus=0', 'node,cpus=0'),
         err='{prog}: -numa node,cpus=0: CPU is already assigned to node-id: 0'),
    # ---- memory --------------------------------------------------------------------------
    dict(id='ram-enomem', machine='x86', args=['-m', '100000G'],
         err="{prog}: cannot set up guest memory 'pc.ram': Cannot allocate memory"),
    dict(id='ram-enomem-e2k', machine='e2k', args=['-m', '100000G'],
         err="{prog}: cannot set up guest memory 'e2k.ram': Cannot allocate memory"),
    # ---- -m and -smp (QEMU 7.2's texts; machine 'pc' where QEMU says 'pc-i440fx-7.2') -----
    # The runner compares stderr's last line: here the second line of QEMU's size hint (the
    # first is "{prog}: -m foo: Parameter 'size' expects a non-negative number below 2^64").
    dict(id='m-bad-size', machine='x86', args=['-m', 'foo'],
         err='and exabytes, respectively.'),
    dict(id='m-maxmem-below', machine='x86', args=['-m', '1T,maxmem=512M'],
         err='{prog}: invalid value of maxmem: maximum memory size (0x20000000) must be at least'
             ' the initial memory size (0x10000000000)'),
    dict(id='m-maxmem-bytes', machine='x86', args=['-m', 'size=128M,maxmem=1000001'],
         err='{prog}: invalid value of maxmem: maximum memory size (0xf4241) must be at least'
             ' the initial memory size (0x8000000)'),
    dict(id='m-slots-no-maxmem', machine='x86', args=['-m', '128M,slots=2'],
         err='{prog}: slots specified but no max-size'),
    dict(id='m-slots-maxmem-equal', machine='x86', args=['-m', '128M,slots=2,maxmem=128M'],
         err='{prog}: invalid value of maxmem: memory slots were specified but maximum memory'
             ' size (0x8000000) is equal to the initial memory size (0x8000000)'),
    dict(id='smp-max', machine='x86', args=['-smp', '300'],
         err="{prog}: Invalid SMP CPUs 300. The max CPUs supported by machine 'pc' is 255"),
    dict(id='smp-maxcpus-max', machine='x86', args=['-smp', '1,maxcpus=256'],
         err="{prog}: Invalid SMP CPUs 256. The max CPUs supported by machine 'pc' is 255"),
    dict(id='smp-maxcpus-below', machine='x86', args=['-smp', '4,maxcpus=2'],
         err='{prog}: Invalid CPU topology: maxcpus must be equal to or greater than smp: sockets'
             ' (1) * dies (1) * cores (2) * threads (1) == maxcpus (2) < smp_cpus (4)'),
    dict(id='smp-product', machine='x86', args=['-smp', '4,sockets=3'],
         err='{prog}: Invalid CPU topology: product of the hierarchy must match maxcpus: sockets'
             ' (3) * dies (1) * cores (1) * threads (1) != maxcpus (4)'),
    dict(id='smp-product-full', machine='x86', args=['-smp', '8,sockets=2,cores=2,threads=1'],
         err='{prog}: Invalid CPU topology: product of the hierarchy must match maxcpus: sockets'
             ' (2) * dies (1) * cores (2) * threads (1) != maxcpus (8)'),
    dict(id='smp-clusters', machine='x86', args=['-smp', '2,clusters=2'],
         err="{prog}: clusters not supported by this machine's CPU topology"),
    dict(id='smp-e2k-dies', machine='e2k', args=['-smp', '2,dies=2'],
         err="{prog}: dies not supported by this machine's CPU topology"),
    dict(id='smp-e2k-max', machine='e2k', args=['-smp', '65'],
         err="{prog}: Invalid SMP CPUs 65. The max CPUs supported by machine 'e2k' is 64"),
    dict(id='smp-e2k-product', machine='e2k', args=['-smp', '4,sockets=3'],
         err='{prog}: Invalid CPU topology: product of the hierarchy must match maxcpus: sockets'
             ' (3) * cores (1) * threads (1) != maxcpus (4)'),
    dict(id='machine-memory-backend-missing', machine='x86', args=['-machine', 'memory-backend=nosuch'],
         err="{prog}: Memory backend 'nosuch' not found"),
    dict(id='machine-memory-backend-size', machine='x86',
         args=['-m', '128M', '-machine', 'memory-backend=r'] + ram([('r', '64M')]),
         err='{prog}: Machine memory size does not match the size of the memory backend'),
    dict(id='machine-memory-backend-and-memdev', machine='x86',
         args=['-m', '64M', '-machine', 'memory-backend=r'] + ram([('r', '64M'), ('m0', '64M')]) +
         numa('node,memdev=m0'),
         err="{prog}: '-machine memory-backend' and '-numa memdev' properties are mutually exclusive"),
    # ---- good x86 lines, read back -------------------------------------------------------
    dict(id='x86-machine-memory-backend', machine='x86', qemu=True,
         args=['-m', '64M,maxmem=1G', '-machine', 'memory-backend=r'] + ram([('r', '64M')]),
         ok=dict(info_numa='1 nodes\nnode 0 cpus: 0\nnode 0 size: 64 MB\nnode 0 plugged: 0 MB\n')),
    dict(id='x86-implicit-node-slots', machine='x86', qemu=True,
         args=['-m', '128M,slots=2,maxmem=1G', '-smp', '2'],
         ok=dict(info_numa='1 nodes\nnode 0 cpus: 0 1\nnode 0 size: 128 MB\nnode 0 plugged: 0 MB\n',
                 nodes=[dict(size=128 * MB, cpus=[0, 1], distance=[10])])),
    dict(id='x86-implicit-node-maxmem', machine='x86', qemu=True, args=['-m', '128M,maxmem=1G'],
         ok=dict(info_numa='1 nodes\nnode 0 cpus: 0\nnode 0 size: 128 MB\nnode 0 plugged: 0 MB\n')),
    dict(id='x86-no-numa', machine='x86', qemu=True, args=['-m', '0', '-smp', '0'],
         ok=dict(info_numa='0 nodes\n', nodes=[],
                 warn=['Deprecated CPU topology (considered invalid): CPU topology parameters'
                       ' must be greater than zero'])),
    dict(id='x86-smp-prefers-cores', machine='x86', qemu=True,
         args=['-smp', '4'] + TWO_MEMDEVS + numa('node,memdev=m0', 'node,memdev=m1'),
         ok=dict(nodes=[dict(cpus=[0, 1, 2, 3]), dict(cpus=[])])),
    dict(id='x86-smp-maxcpus', machine='x86', qemu=True,
         args=['-smp', '2,sockets=4,maxcpus=4'] + TWO_MEMDEVS + numa('node,memdev=m0', 'node,memdev=m1'),
         ok=dict(info_numa='2 nodes\nnode 0 cpus: 0\nnode 0 size: 64 MB\nnode 0 plugged: 0 MB\n'
                           'node 1 cpus: 1\nnode 1 size: 64 MB\nnode 1 plugged: 0 MB\n',
                 nodes=[dict(cpus=[0, 2]), dict(cpus=[1, 3])])),
    dict(id='x86-dies', machine='x86', qemu=True,
         args=['-smp', '4,sockets=2,dies=2'] + TWO_MEMDEVS + numa('node,memdev=m0', 'node,memdev=m1'),
         ok=dict(nodes=[dict(cpus=[0, 1]), dict(cpus=[2, 3])])),
    # ---- good x86 lines, read back (memdevs) --------------------------------------------
    dict(id='x86-two-memdevs', machine='x86', qemu=True,
         args=TWO_MEMDEVS + ['-smp', '2,sockets=2'] + numa('node,memdev=m0', 'node,memdev=m1'),
         ok=dict(info_numa='2 nodes\nnode 0 cpus: 0\nnode 0 size: 64 MB\nnode 0 plugged: 0 MB\n'
                           'node 1 cpus: 1\nnode 1 size: 64 MB\nnode 1 plugged: 0 MB\n',
                 nodes=[dict(size=64 * MB, memdev='m0', cpus=[0], distance=[10, 20]),
                        dict(size=64 * MB, memdev='m1', cpus=[1], distance=[20, 10])])),
    dict(id='x86-legacy-mem-mib', machine='x86',
         args=['-m', '128M'] + numa('node,mem=64', 'node,mem=64'),
         ok=dict(nodes=[dict(size=64 * MB), dict(size=64 * MB)])),
    dict(id='x86-auto-assign-remainder', machine='x86',
         args=['-m', '100M'] + numa('node', 'node', 'node'),
         ok=dict(nodes=[dict(size=32 * MB), dict(size=32 * MB), dict(size=36 * MB)])),
    dict(id='x86-distance-symmetric-fill', machine='x86', qemu=True,
         args=['-m', '96M'] + ram([('a', '32M'), ('b', '32M'), ('c', '32M')]) +
         numa('node,memdev=a', 'node,memdev=b', 'node,memdev=c', 'dist,src=0,dst=1,val=21',
              'dist,src=0,dst=2,val=31', 'dist,src=1,dst=2,val=41'),
         ok=dict(nodes=[dict(distance=[10, 21, 31]), dict(distance=[21, 10, 41]),
                        dict(distance=[31, 41, 10])])),
    dict(id='x86-distance-asymmetric', machine='x86', qemu=True,
         args=TWO_MEMDEVS + numa('node,memdev=m0', 'node,memdev=m1', 'dist,src=0,dst=1,val=21',
                                 'dist,src=1,dst=0,val=31'),
         ok=dict(nodes=[dict(distance=[10, 21]), dict(distance=[31, 10])])),
    dict(id='x86-default-by-socket', machine='x86', qemu=True,
         args=TWO_MEMDEVS + ['-smp', '8,sockets=8'] + numa('node,memdev=m0', 'node,memdev=m1'),
         ok=dict(nodes=[dict(cpus=[0, 2, 4, 6]), dict(cpus=[1, 3, 5, 7])])),
    dict(id='x86-default-one-socket', machine='x86', qemu=True,
         args=TWO_MEMDEVS + ['-smp', '4,sockets=1,cores=4'] + numa('node,memdev=m0', 'node,memdev=m1'),
         ok=dict(nodes=[dict(cpus=[0, 1, 2, 3]), dict(cpus=[])])),
    dict(id='x86-explicit-cpus', machine='x86', qemu=True,
         args=TWO_MEMDEVS + ['-smp', '8'] + numa('node,memdev=m0,cpus=0-3',
                                                  'node,memdev=m1,cpus=4-7'),
         ok=dict(info_numa='2 nodes\nnode 0 cpus: 0 1 2 3\nnode 0 size: 64 MB\nnode 0 plugged: 0 MB\n'
                           'node 1 cpus: 4 5 6 7\nnode 1 size: 64 MB\nnode 1 plugged: 0 MB\n')),
    dict(id='x86-cpus-colon-list', machine='x86',
         args=TWO_MEMDEVS + ['-smp', '8'] + numa('node,memdev=m0,cpus=0-2:6',
                                                  'node,memdev=m1,cpus=3-5:7'),
         ok=dict(nodes=[dict(cpus=[0, 1, 2, 6]), dict(cpus=[3, 4, 5, 7])])),
    dict(id='x86-partial-mapping', machine='x86',
         args=TWO_MEMDEVS + ['-smp', '8'] + numa('node,memdev=m0,cpus=0-1', 'node,memdev=m1,cpus=4-5'),
         ok=dict(nodes=[dict(cpus=[0, 1, 2, 3, 6, 7]), dict(cpus=[4, 5])],
                 warn=['CPU(s) not present in any NUMA nodes: CPU 2 [socket-id: 0, core-id: 2,'
                       ' thread-id: 0]',
                       'All CPU(s) up to maxcpus should be described in NUMA config'])),
    dict(id='x86-numa-cpu-remap', machine='x86', qemu=True,
         args=TWO_MEMDEVS + ['-smp', '4,sockets=2,cores=2'] +
         numa('node,nodeid=0,memdev=m0', 'node,nodeid=1,memdev=m1', 'cpu,node-id=1,socket-id=0',
              'cpu,node-id=0,socket-id=1'),
         ok=dict(nodes=[dict(cpus=[2, 3]), dict(cpus=[0, 1])])),
    dict(id='x86-memoryless-node', machine='x86', qemu=True,
         args=['-m', '128M', '-smp', '2,sockets=2'] + ram([('m0', '128M')]) +
         numa('node,memdev=m0', 'node'),
         ok=dict(info_numa='2 nodes\nnode 0 cpus: 0\nnode 0 size: 128 MB\nnode 0 plugged: 0 MB\n'
                           'node 1 cpus: 1\nnode 1 size: 0 MB\nnode 1 plugged: 0 MB\n')),
    dict(id='x86-eight-nodes', machine='x86', qemu=True,
         args=['-m', '256M', '-smp', '8,sockets=8'] + ram([(f'm{i}', '32M') for i in range(8)]) +
         numa(*[f'node,memdev=m{i}' for i in range(8)]),
         ok=dict(nodes=[dict(size=32 * MB, cpus=[i]) for i in range(8)])),
    # ---- the e2k layer ---------------------------------------------------------------------
    dict(id='e2k-node-max', machine='e2k', args=numa('node,nodeid=128'),
         err='{prog}: -numa node,nodeid=128: Max number of NUMA nodes reached: 128'),
    dict(id='e2k-cpu-in-two-nodes', machine='e2k',
         args=['-m', '128M', '-smp', '4'] + numa('node,mem=64M,cpus=0-1', 'node,mem=64M,cpus=1-2'),
         err='{prog}: CPU(s) present in multiple NUMA nodes: 1'),
    dict(id='e2k-total-mismatch', machine='e2k', args=['-m', '128M'] + numa('node,mem=64M'),
         err='{prog}: total memory for NUMA nodes (0x4000000) should equal RAM size (0x8000000)'),
    dict(id='e2k-explicit', machine='e2k',
         args=['-m', '128M', '-smp', '4'] + numa('node,mem=64M,cpus=0-1', 'node,mem=64M,cpus=2-3'),
         ok=dict(nodes=[dict(size=64 * MB, cpus=[0, 1]), dict(size=64 * MB, cpus=[2, 3])])),
    dict(id='e2k-default-by-socket', machine='e2k',
         args=['-m', '128M', '-smp', '4,sockets=2,cores=2'] + numa('node,mem=64M', 'node,mem=64M'),
         ok=dict(nodes=[dict(cpus=[0, 1]), dict(cpus=[2, 3])])),
    dict(id='e2k-memdevs-dist', machine='e2k',
         args=TWO_MEMDEVS + numa('node,memdev=m0', 'node,memdev=m1', 'dist,src=0,dst=1,val=25'),
         ok=dict(nodes=[dict(memdev='m0', distance=[10, 25]), dict(memdev='m1', distance=[25, 10])])),
    dict(id='e2k-memoryless', machine='e2k',
         args=['-m', '128M'] + ram([('m0', '128M')]) + numa('node,memdev=m0', 'node'),
         ok=dict(nodes=[dict(size=128 * MB), dict(size=0)])),
]
