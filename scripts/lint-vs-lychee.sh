#!/usr/bin/env bash
# Lint on the 3 MB corpus side by side with `lychee --dump` (link extraction only), runs
# alternating so machine load hits both; prints each run (with the 1-minute load average
# when it started), the medians and lint's ratio to lychee.
#
#   scripts/lint-bench-corpus.py                         # writes target/lint-bench-corpus
#   cargo build --release --bin archmanual
#   scripts/lint-vs-lychee.sh [RUNS]                     # default 9; LYCHEE=/path/to/lychee
#
# BEFORE=/path/to/an/older/archmanual adds a third column (the same runs, alternating).
# Times come from wait4(2): wall in ms, user+sys CPU in ms (µs resolution, not
# /usr/bin/time's 10 ms), peak RSS in KiB.
set -euo pipefail
runs=${1:-9}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/target/lint-bench-corpus"
exec python3 - "$runs" "$root/target/release/archmanual" "${LYCHEE:-lychee}" "${BEFORE:-}" <<'EOF'
import os, shutil, statistics, subprocess, sys, time

runs, am, lychee, before = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
lychee = shutil.which(lychee) or lychee
cmds = {
    "archmanual lint": [am, "lint", "--book", ".", "--format", "json"],
    "lychee --dump": [lychee, "--dump", "--offline", "--no-progress", "src/**/*.md"],
}
if before:
    cmds["before"] = [before, "lint", "--book", ".", "--format", "json"]


def run(cmd):
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, ru = os.wait4(p.pid, 0)
    wall = (time.perf_counter() - t) * 1000
    return wall, (ru.ru_utime + ru.ru_stime) * 1000, ru.ru_maxrss


for cmd in cmds.values():  # warm the page cache
    run(cmd)
results = {name: [] for name in cmds}
loads = []
for i in range(1, runs + 1):
    loads.append(os.getloadavg()[0])
    line = []
    for name, cmd in cmds.items():
        r = run(cmd)
        results[name].append(r)
        line.append(f"{name} {r[0]:.0f} {r[1]:.0f} {r[2]}")
    print(f"run {i} (load {loads[-1]:.2f}): " + " | ".join(line) + "   (wall ms, user+sys ms, max RSS KiB)")
medians = {n: [statistics.median(r[k] for r in rs) for k in range(3)] for n, rs in results.items()}
for k, what in enumerate(["wall ms", "user+sys ms", "max RSS KiB"]):
    print(f"median {what}: " + ", ".join(f"{n} {m[k]:.0f}" for n, m in medians.items()))
lint, ly = medians["archmanual lint"], medians["lychee --dump"]
print(f"lint / lychee: wall {lint[0] / ly[0]:.2f}x, CPU {lint[1] / ly[1]:.2f}x")
print("load average (1 min) at the runs: " + " ".join(f"{l:.2f}" for l in loads))
EOF
