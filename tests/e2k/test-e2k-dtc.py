#!/usr/bin/env python3
"""dtc must accept every e2k device tree numbat writes, with no warning at all (TAP output).

Usage: test-e2k-dtc.py HELPER DTC
HELPER is the e2k-dtb-dump test program, DTC the device tree compiler."""
import os
import re
import subprocess
import sys
import tempfile

# name, helper arguments, expected cpu nodes, expected memory nodes, distance matrix or None
CASES = [
    ("1 node, 1 CPU", ["--node-mem=1024", "--cpus=1", "--cmdline=console=ttyS0"], 1, 1, None),
    ("1 node across the 2 GiB line", ["--node-mem=3072", "--cpus=2"], 2, 2, None),
    ("2 nodes, round-robin", ["--node-mem=2048,2048", "--cpus=4", "--cmdline=quiet"], 4, 2, None),
    ("4 nodes, round-robin", ["--node-mem=1024,1024,1024,1024", "--cpus=8",
                             "--cmdline=root=/dev/ram0 nodemem=1"], 8, 4, None),
    ("8 nodes, round-robin", ["--node-mem=" + ",".join(["512"] * 8), "--cpus=16"], 16, 8, None),
    ("8 nodes x 16 CPUs", ["--node-mem=" + ",".join(["8192"] * 8), "--cpus=128"], 128, 9, None),
    ("memory-less nodes", ["--node-mem=0,2048,0,1024", "--cpus=4"], 4, 2, None),
    ("asymmetric distances", ["--node-mem=1024,1024,1024", "--cpus=3",
                              "--dist=0:1:21,1:0:31,0:2:41,2:0:51,1:2:61,2:1:71"], 3, 3,
     [[10, 21, 41], [31, 10, 61], [51, 71, 10]]),
    ("default distances", ["--node-mem=1024,1024", "--cpus=2"], 2, 2, [[10, 20], [20, 10]]),
    ("by socket, 2 cores per socket", ["--node-mem=1024,1024", "--cpus=8",
                                       "--assign=socket:2"], 8, 2, None),
    ("explicit CPU list", ["--node-mem=1024,1024", "--cpus=3", "--assign=list:1,1,0"], 3, 2,
     None),
    ("no command line", ["--node-mem=1024", "--cpus=1"], 1, 1, None),
    ("long command line", ["--node-mem=1024", "--cpus=1",
                           "--cmdline=console=ttyS0 " + "x" * 300], 1, 1, None),
]


def run_dtc(dtc, dtb):
    """Return (ok, dts, problem): ok only with exit 0 and nothing at all on stderr."""
    p = subprocess.run([dtc, "-I", "dtb", "-O", "dts", dtb], capture_output=True, text=True)
    if p.returncode != 0 or p.stderr.strip():
        return False, p.stdout, (p.stderr.strip() or "exit %d" % p.returncode)
    return True, p.stdout, ""


def matrix_of(dts):
    m = re.search(r"distance-matrix = <([^>]*)>", dts)
    nums = [int(x, 16) for x in m.group(1).split()] if m else []
    return [nums[i:i + 3] for i in range(0, len(nums), 3)]


def check_dts(dts, cpus, mems, matrix):
    if dts.count('device_type = "cpu"') != cpus:
        return "expected %d cpu nodes" % cpus
    if dts.count('device_type = "memory"') != mems:
        return "expected %d memory nodes, got %d" % (mems, dts.count('device_type = "memory"'))
    if dts.count("numa-node-id") != cpus + mems:
        return "numa-node-id missing somewhere"
    if '"numa-distance-map-v1"' not in dts:
        return "no distance map"
    if matrix is not None:
        want = [[a, b, matrix[a][b]] for a in range(len(matrix)) for b in range(len(matrix))]
        if matrix_of(dts) != want:
            return "distance-matrix %s, expected %s" % (matrix_of(dts), want)
    return ""


def main():
    helper, dtc = sys.argv[1], sys.argv[2]
    tests = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, (name, args, cpus, mems, matrix) in enumerate(CASES):
            dtb = os.path.join(tmp, "case%d.dtb" % i)
            h = subprocess.run([helper] + args + [dtb], capture_output=True, text=True)
            if h.returncode != 0:
                tests.append((False, name, "helper: " + h.stderr.strip()))
                continue
            ok, dts, problem = run_dtc(dtc, dtb)
            problem = problem or check_dts(dts, cpus, mems, matrix)
            tests.append((not problem, name, problem))

        # The check itself must be able to fail: a tree with a known dtc warning.
        dtb = os.path.join(tmp, "bogus.dtb")
        h = subprocess.run([helper, "--inject-warning", dtb], capture_output=True, text=True)
        ok, _, problem = run_dtc(dtc, dtb) if h.returncode == 0 else (True, "", "")
        tests.append((h.returncode == 0 and not ok and "Warning" in problem,
                      "a dtc warning is detected", "not detected: " + problem))

        # A topology the guest cannot number (17 CPUs on one node): one-line error, no file.
        dtb = os.path.join(tmp, "bad.dtb")
        h = subprocess.run([helper, "--node-mem=1024", "--cpus=17", dtb],
                           capture_output=True, text=True)
        lines = h.stderr.strip().splitlines()
        tests.append((h.returncode == 1 and len(lines) == 1 and "more than 16 CPUs" in lines[0]
                      and not os.path.exists(dtb),
                      "17 CPUs on one node is refused", "got: %r" % h.stderr))

    print("1..%d" % len(tests))
    for n, (ok, name, why) in enumerate(tests, 1):
        if ok:
            print("ok %d - %s" % (n, name))
        else:
            print("not ok %d - %s" % (n, name))
            print("# " + why.replace("\n", "\n# "))
    return 0


if __name__ == "__main__":
    sys.exit(main())
