#!/usr/bin/env python3
"""Table-driven -numa suite: every case of numa_cases.py against the real binaries (TAP).

Bad command lines must exit 1 with the exact message on stderr's last line; good ones are
read back through QMP (query-numa and HMP `info numa`).  Cases marked qemu=True are also run
under Debian's QEMU 7.2 (-M pc), and its `info numa` text and query-memdev must match ours.

usage: test-numa-cli.py --x86 BIN --e2k BIN [--qemu qemu-system-x86_64] [--only ID]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from numa_cases import CASES  # noqa: E402

QMP_SCRIPT = [
    {'execute': 'qmp_capabilities'},
    {'execute': 'query-numa'},
    {'execute': 'human-monitor-command', 'arguments': {'command-line': 'info numa'}},
    {'execute': 'query-memdev'},
    {'execute': 'quit'},
]


def run(binary, args, accel, script=None, timeout=60):
    cmd = [binary, '-display', 'none', '-nodefaults', '-S', '-accel', accel]
    if script is not None:
        cmd += ['-qmp', 'stdio']
    cmd += args
    text = ''.join(json.dumps(c) + '\n' for c in script or [])
    p = subprocess.run(cmd, input=text, capture_output=True, text=True, timeout=timeout)
    replies = []
    for line in p.stdout.splitlines():
        line = line.strip()
        if line.startswith('{'):
            msg = json.loads(line)
            if 'return' in msg or 'error' in msg:
                replies.append(msg)
    return p.returncode, p.stderr, replies


def check_err(case, binary):
    rc, stderr, _ = run(binary, case['args'], 'qtest')
    want = case['err'].format(prog=os.path.basename(binary))
    lines = [l for l in stderr.splitlines() if l.strip()]
    got = lines[-1] if lines else '(no stderr)'
    problems = []
    if rc != 1:
        problems.append(f'exit status {rc}, expected 1')
    if got != want:
        problems.append(f'stderr last line\n  got:  {got}\n  want: {want}')
    return problems


def returns(replies):
    out = []
    for r in replies[1:]:
        out.append(r.get('return', r.get('error')))
    return out


def check_ok(case, binary, qemu):
    rc, stderr, replies = run(binary, case['args'], 'qtest', QMP_SCRIPT)
    if rc != 0 or len(replies) != len(QMP_SCRIPT):
        return [f'exit status {rc}, {len(replies)} replies; stderr: {stderr.strip()}']
    nodes, info, memdev, _quit = returns(replies)
    exp = case['ok']
    problems = []
    if 'info_numa' in exp and info.replace('\r\n', '\n') != exp['info_numa']:
        problems.append(f'info numa\n  got:  {info!r}\n  want: {exp["info_numa"]!r}')
    if 'nodes' in exp:
        if not isinstance(nodes, list) or len(nodes) != len(exp['nodes']):
            problems.append(f'query-numa: {nodes}')
        else:
            for i, (got, want) in enumerate(zip(nodes, exp['nodes'])):
                if got.get('node-id') != i:
                    problems.append(f'query-numa[{i}] node-id {got.get("node-id")}')
                for k, v in want.items():
                    if got.get(k) != v:
                        problems.append(f'query-numa[{i}].{k} = {got.get(k)!r}, want {v!r}')
    for w in exp.get('warn', []):
        if w not in stderr:
            problems.append(f'stderr lacks {w!r}; stderr: {stderr.strip()}')
    if case.get('qemu') and qemu:
        problems += compare_qemu(case, qemu, info, memdev)
    return problems


def compare_qemu(case, qemu, info, memdev):
    script = [QMP_SCRIPT[0], QMP_SCRIPT[2], QMP_SCRIPT[3], QMP_SCRIPT[4]]
    rc, stderr, replies = run(qemu, ['-M', 'pc'] + case['args'], 'tcg', script)
    if rc != 0 or len(replies) != len(script):
        return [f'qemu failed ({rc}): {stderr.strip()}']
    q_info, q_memdev, _ = returns(replies)
    problems = []
    if q_info != info:
        problems.append(f'info numa differs from QEMU\n  numbat: {info!r}\n  qemu:   {q_info!r}')
    if q_memdev != memdev:
        problems.append(f'query-memdev differs from QEMU\n  numbat: {memdev}\n  qemu:   {q_memdev}')
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--x86', required=True)
    ap.add_argument('--e2k', required=True)
    ap.add_argument('--qemu', default='qemu-system-x86_64')
    ap.add_argument('--only')
    a = ap.parse_args()
    qemu = shutil.which(a.qemu)
    cases = [c for c in CASES if not a.only or c['id'] == a.only]
    print(f'1..{len(cases)}')
    failed = 0
    for n, case in enumerate(cases, 1):
        binary = a.x86 if case['machine'] == 'x86' else a.e2k
        try:
            problems = check_err(case, binary) if 'err' in case else check_ok(case, binary, qemu)
        except subprocess.TimeoutExpired:
            problems = ['timed out']
        note = ' (compared with QEMU 7.2)' if case.get('qemu') and qemu and 'ok' in case else ''
        if problems:
            failed += 1
            print(f'not ok {n} - {case["id"]}')
            for p in problems:
                for line in p.splitlines():
                    print(f'# {line}')
        else:
            print(f'ok {n} - {case["id"]}{note}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
