#!/usr/bin/env python3
"""Writes target/lint-bench-corpus the way `cargo bench -p archmanual-lint --bench throughput`
does (book/ copied five times, one SUMMARY), without compiling criterion. Prints the
Markdown byte count. Usage: scripts/lint-bench-corpus.py [WORKSPACE]"""
import os, shutil, sys
ws = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
book = os.path.join(ws, "book"); root = os.path.join(ws, "target/lint-bench-corpus")
shutil.rmtree(root, ignore_errors=True); src = os.path.join(root, "src"); os.makedirs(src)
open(os.path.join(root, "book.toml"), "w").write('[book]\nsrc = "src"\n[build]\ncreate-missing = false\n')
summary = open(os.path.join(book, "SUMMARY.md"), encoding="utf-8").read()
n = 0
def copy(f, t):
    global n
    os.makedirs(t, exist_ok=True)
    for e in sorted(os.listdir(f)):
        s, d = os.path.join(f, e), os.path.join(t, e)
        if os.path.isdir(s): copy(s, d)
        elif e != "SUMMARY.md":
            data = open(s, "rb").read()
            if s.endswith(".md"): n += len(data)
            open(d, "wb").write(data)
out = "# Summary\n\n"
for i in range(5):
    copy(book, os.path.join(src, f"copy{i}"))
    out += f"# 副本 {i}\n\n"
    for line in summary.split("\n"):
        if line.lstrip().startswith("- ["):
            out += line.replace("](", f"](copy{i}/").replace(f"](copy{i}/)", "]()") + "\n"
    out += "\n"
open(os.path.join(src, "SUMMARY.md"), "w", encoding="utf-8").write(out)
print(n)
