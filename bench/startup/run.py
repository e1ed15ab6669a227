#!/usr/bin/env python3
"""bench/startup: a 128-node machine (128 memdevs, every -numa dist pair, 128 CPUs) started to
QMP-ready and quit, under numbat and QEMU 7.2 in the same run; prints both times, the ratio
and numbat's peak RSS.  A benchmark, not a test: it never fails on speed.

usage: bench/startup/run.py [--numbat build/numbat-system-x86_64] [--qemu qemu-system-x86_64]
                            [--runs 5]
"""
import argparse
import os
import resource
import shutil
import socket
import statistics
import subprocess
import tempfile
import time

NODES = 128
MEM_PER_NODE_MB = 4


def topology_args():
    args = ['-m', f'{NODES * MEM_PER_NODE_MB}M', '-smp', f'{NODES},sockets={NODES}',
            '-machine', 'pc']
    for i in range(NODES):
        args += ['-object', f'memory-backend-ram,id=m{i},size={MEM_PER_NODE_MB}M']
    for i in range(NODES):
        args += ['-numa', f'node,nodeid={i},memdev=m{i},cpus={i}']
    for s in range(NODES):
        for d in range(NODES):
            if s < d:   # one direction per pair; the other is completed symmetrically
                args += ['-numa', f'dist,src={s},dst={d},val={20 + (d - s) % 200}']
    return args


def one_run(binary, extra):
    """Start binary, wait for the QMP greeting, negotiate, quit; returns (seconds, maxrss KiB)."""
    tmp = tempfile.mkdtemp(prefix='numbat-bench-')
    sock_path = os.path.join(tmp, 'qmp.sock')
    cmd = [binary, '-display', 'none', '-nodefaults', '-S',
           '-qmp', f'unix:{sock_path},server=on,wait=off'] + extra + topology_args()
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        s = socket.socket(socket.AF_UNIX)
        while True:
            try:
                s.connect(sock_path)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                if proc.poll() is not None:
                    raise RuntimeError(f'{binary} exited: {proc.stderr.read().decode()}')
                time.sleep(0.001)
        f = s.makefile('rw')
        f.readline()                                    # greeting
        f.write('{"execute": "qmp_capabilities"}\n'); f.flush(); f.readline()
        f.write('{"execute": "quit"}\n'); f.flush()
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        return elapsed, usage.ru_maxrss
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)


def measure(name, binary, extra, runs):
    times, rss = [], []
    for _ in range(runs):
        t, r = one_run(binary, extra)
        times.append(t)
        rss.append(r)
    med = statistics.median(times)
    print(f'{name:8s} median {med:.3f} s over {runs} runs (min {min(times):.3f}), '
          f'peak RSS {max(rss) / 1024:.1f} MiB')
    return med


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--numbat', default='build/numbat-system-x86_64')
    ap.add_argument('--qemu', default='qemu-system-x86_64')
    ap.add_argument('--runs', type=int, default=5)
    a = ap.parse_args()
    print(f'startup: {NODES} nodes, {NODES} memdevs, {NODES * (NODES - 1) // 2} dist options, '
          f'{NODES} CPUs -> QMP ready -> quit')
    n = measure('numbat', a.numbat, ['-accel', 'qtest'], a.runs)
    if shutil.which(a.qemu):
        # Debian's QEMU has no qtest accelerator; -S keeps TCG from running guest code.
        q = measure('qemu', a.qemu, ['-accel', 'tcg'], a.runs)
        print(f'ratio numbat/qemu = {n / q:.3f} (target <= 0.05)')
    else:
        print('qemu not found: no ratio')


if __name__ == '__main__':
    main()
