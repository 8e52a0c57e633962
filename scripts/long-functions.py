#!/usr/bin/env python3
"""Lists functions longer than LIMIT lines (default 120) in the workspace's Rust sources,
tests left out (files under tests/ or benches/, and everything after a `#[cfg(test)]`).
Exits 1 if any. Usage: scripts/long-functions.py [LIMIT]"""
import os, re, sys

limit = int(sys.argv[1]) if len(sys.argv) > 1 else 120
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
fn = re.compile(r"^(\s*)(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?fn\s+(\w+)")
found = []
for base in ["src", "crates"]:
    for dirpath, dirs, files in os.walk(os.path.join(root, base)):
        dirs[:] = [d for d in dirs if d not in ("tests", "benches", "target", "examples")]
        for name in files:
            if not name.endswith(".rs") or name == "tests.rs":
                continue
            path = os.path.join(dirpath, name)
            lines = open(path, encoding="utf-8").read().split("\n")
            for i, line in enumerate(lines):
                if line.strip() == "#[cfg(test)]":
                    break
                m = fn.match(line)
                if not m or line.rstrip().endswith(";"):
                    continue
                indent = m.group(1)
                for j in range(i + 1, len(lines)):
                    if lines[j] == indent + "}":
                        if j - i + 1 > limit:
                            found.append((j - i + 1, os.path.relpath(path, root), i + 1, m.group(7)))
                        break
for n, path, line, name in sorted(found, reverse=True):
    print(f"{path}:{line}: fn {name} is {n} lines")
sys.exit(1 if found else 0)
