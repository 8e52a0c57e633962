#!/usr/bin/env python3
"""Cut the sequence diagrams out of a mermaid-js/mermaid checkout.

Usage: cut-mermaid-corpus.py MERMAID_CHECKOUT DEST

Writes DEST/NNN.mmd (one diagram each, duplicates merged), DEST/INDEX.tsv
(id, file, occurrences, first_source, first_line, kind, all_occurrences) and
DEST/SOURCES.md. crates/mdbook-protocol/tests/corpus.rs reads this layout and
finds diagrams by `first_source:first_line`, so the numbering is free.
Sources, in this order:
  docs/syntax/sequenceDiagram.md                     ```mermaid-example / ```mermaid fences
  packages/mermaid/src/docs/syntax/sequenceDiagram.md   (occurrences only)
  packages/mermaid/src/diagrams/sequence/sequenceDiagram.spec.js
                                                     `template literals` and 'a\\n' + 'b' concatenations
  demos/sequence.html                                <pre class="mermaid"> blocks
  docs/diagrams/mermaid-api-sequence.mmd             the whole file
"""

import html
import os
import re
import sys
import textwrap

MD = "docs/syntax/sequenceDiagram.md"
MD_SRC = "packages/mermaid/src/docs/syntax/sequenceDiagram.md"
SPEC = "packages/mermaid/src/diagrams/sequence/sequenceDiagram.spec.js"
DEMO = "demos/sequence.html"
MMD = "docs/diagrams/mermaid-api-sequence.mmd"

JS_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "'": "'", '"': '"', "`": "`", "$": "$"}


def unescape_js(s):
    """JavaScript string escapes (the ones the spec uses)."""
    return re.sub(
        r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)",
        lambda m: _escape(m.group(1)),
        s,
        flags=re.S,
    )


def _escape(e):
    if e.startswith("u{"):
        return chr(int(e[2:-1], 16))
    if e[0] in "ux" and len(e) > 1:
        return chr(int(e[1:], 16))
    return JS_ESCAPES.get(e, e)


def normalise(text):
    """Common indentation removed, blank edge lines dropped, one final newline."""
    text = textwrap.dedent(text)
    lines = text.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(line.rstrip() for line in lines) + "\n"


def line_of(text, offset):
    return text.count("\n", 0, offset) + 1


def md_fences(text):
    for m in re.finditer(r"^```(mermaid-example|mermaid)[ \t]*\n(.*?)^```", text, re.S | re.M):
        yield line_of(text, m.start()), "fence:" + m.group(1), m.group(2)


def js_strings(text):
    # Template literals and 'a' + 'b' chains.
    for m in re.finditer(r"`((?:\\.|[^`\\])*)`", text, re.S):
        if "${" in m.group(1):
            continue  # built at run time: not a fixed diagram
        yield line_of(text, m.start()), "js-tpl", unescape_js(m.group(1))
    quoted = r"'(?:\\.|[^'\\\n])*'"
    for m in re.finditer(rf"{quoted}(?:\s*\+\s*{quoted})+", text):
        parts = re.findall(quoted, m.group(0))
        yield line_of(text, m.start()), "js-concat", "".join(unescape_js(p[1:-1]) for p in parts)


def html_pres(text):
    # Up to the first literal `</pre>`, as a browser's innerHTML would not:
    # a block closed by `</pre\n  >` runs on into the next one. Kept as is so
    # that the corpus matches the one the tests were written against.
    for m in re.finditer(r'<pre class="mermaid">(.*?)</pre>', text, re.S):
        yield line_of(text, m.start()), "html-pre", html.unescape(m.group(1))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    src, dest = sys.argv[1], sys.argv[2]
    read = lambda p: open(os.path.join(src, p), encoding="utf-8").read()  # noqa: E731

    found = []  # (source, line, kind, diagram)
    for path, cut in [(MD, md_fences), (MD_SRC, md_fences), (SPEC, js_strings), (DEMO, html_pres)]:
        text = read(path)
        for line, kind, body in sorted(cut(text), key=lambda f: f[0]):
            body = normalise(body)
            if body.lstrip().startswith(("sequenceDiagram", "---", "%%")) and "sequenceDiagram" in body:
                found.append((path, line, kind, body))
    found.append((MMD, 1, "mmd-file", normalise(read(MMD))))

    diagrams = {}  # body -> [occurrences], first occurrence first
    for path, line, kind, body in found:
        diagrams.setdefault(body, []).append((path, line, kind))
    # A diagram only in the copy of the docs under packages/ is not new.
    diagrams = {b: occ for b, occ in diagrams.items() if occ[0][0] != MD_SRC}

    os.makedirs(dest, exist_ok=True)
    rows = ["id\tfile\toccurrences\tfirst_source\tfirst_line\tkind\tall_occurrences"]
    for n, (body, occ) in enumerate(diagrams.items(), start=1):
        name = f"{n:03}.mmd"
        with open(os.path.join(dest, name), "w", encoding="utf-8") as f:
            f.write(body)
        path, line, kind = occ[0]
        every = "; ".join(f"{p}:{ln}" for p, ln, _ in occ)
        rows.append(f"{n:03}\t{name}\t{len(occ)}\t{path}\t{line}\t{kind}\t{every}")
    with open(os.path.join(dest, "INDEX.tsv"), "w", encoding="utf-8") as f:
        f.write("\n".join(rows) + "\n")
    with open(os.path.join(dest, "SOURCES.md"), "w", encoding="utf-8") as f:
        f.write(
            "# Mermaid sequence-diagram corpus\n\n"
            f"{len(diagrams)} `sequenceDiagram` sources cut out of mermaid-js/mermaid "
            "(MIT licence, © Knut Sveidqvist and contributors) by "
            "archmanual's scripts/cut-mermaid-corpus.py. `INDEX.tsv` gives each file's "
            "source path and line.\n"
        )
    print(f"{len(diagrams)} diagrams written to {dest}", file=sys.stderr)


if __name__ == "__main__":
    main()
