#!/usr/bin/env python3
"""Times two archmanual binaries side by side, alternating run by run so that machine load
hits both alike: `build` of the manual and `lint --format json` of the lint corpus
(scripts/lint-bench-corpus.py writes it) and of the manual. Prints every run (with the
1-minute load average when it started), the medians and after/before ratios.
Times come from wait4(2): wall ms, user+sys CPU ms, peak RSS KiB.

  scripts/lint-bench-corpus.py
  scripts/bench-before-after.py BEFORE_BIN AFTER_BIN [RUNS]     # default 7 runs"""
import os, shutil, statistics, subprocess, sys, tempfile, time

before, after = os.path.realpath(sys.argv[1]), os.path.realpath(sys.argv[2])
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 7
root = os.path.realpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
dest = tempfile.mkdtemp(prefix="bench-before-after-")
corpus = os.path.join(root, "target/lint-bench-corpus")
jobs = {
    "build manual": lambda b: [b, "build", "--book", root, "--dest-dir", os.path.join(dest, "book")],
    "lint corpus": lambda b: [b, "lint", "--book", corpus, "--format", "json"],
    "lint manual": lambda b: [b, "lint", "--book", root, "--format", "json"],
}


def run(cmd):
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=root)
    _, _, ru = os.wait4(p.pid, 0)
    return (time.perf_counter() - t) * 1000, (ru.ru_utime + ru.ru_stime) * 1000, ru.ru_maxrss


for job, cmd in jobs.items():
    results = {"before": [], "after": []}
    for b in (before, after):  # warm the page cache
        run(cmd(b))
    loads = []
    for i in range(1, runs + 1):
        loads.append(os.getloadavg()[0])
        order = [("before", before), ("after", after)] if i % 2 else [("after", after), ("before", before)]
        line = []
        for name, b in order:
            r = run(cmd(b))
            results[name].append(r)
            line.append(f"{name} {r[0]:.0f} {r[1]:.0f} {r[2]}")
        print(f"{job} run {i} (load {loads[-1]:.2f}): " + " | ".join(line))
    med = {n: [statistics.median(r[k] for r in rs) for k in range(3)] for n, rs in results.items()}
    print(f"{job} median: before wall {med['before'][0]:.0f} ms, CPU {med['before'][1]:.0f} ms, RSS {med['before'][2]:.0f} KiB;"
          f" after wall {med['after'][0]:.0f} ms, CPU {med['after'][1]:.0f} ms, RSS {med['after'][2]:.0f} KiB;"
          f" after/before wall {med['after'][0] / med['before'][0]:.3f}x, CPU {med['after'][1] / med['before'][1]:.3f}x")
shutil.rmtree(dest, ignore_errors=True)
