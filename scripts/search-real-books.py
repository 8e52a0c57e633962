#!/usr/bin/env python3
"""Top-3 hits of reader queries on a built mdBook, in headless Chromium.

usage: scripts/search-real-books.py SITE_DIR QUERIES.tsv {ours|mdbook} [--show N]

SITE_DIR is the directory with the HTML (index.html). QUERIES.tsv has one
`query<TAB>page[,page…]` per line (pages relative to the book root). `ours`
reads the archmanual/mdbook-search UI's results, `mdbook` mdBook's own
search; both through `index.html?search=QUERY`, as a reader's shared link.
Prints one line per query and a summary line: hits, zero-result queries.
Needs `chromium` and `chromedriver` (Debian: apt-get install chromium
chromium-driver). Only loopback traffic.
"""

import functools
import http.server
import json
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(directory):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=directory)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


class Driver:
    def __init__(self):
        self.port = free_port()
        self.proc = subprocess.Popen(
            ["chromedriver", f"--port={self.port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.profile = tempfile.mkdtemp()
        for _ in range(100):
            try:
                self.call("GET", "/status")
                break
            except OSError:
                time.sleep(0.1)
        caps = {
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "goog:chromeOptions": {
                        "binary": "/usr/bin/chromium",
                        "args": [
                            "--headless",
                            "--no-sandbox",
                            "--disable-gpu",
                            "--disable-background-networking",
                            "--disable-component-update",
                            "--disable-sync",
                            "--no-first-run",
                            f"--user-data-dir={self.profile}",
                            "--window-size=1280,900",
                        ],
                    },
                }
            }
        }
        self.session = self.call("POST", "/session", caps)["value"]["sessionId"]

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.loads(r.read())

    def goto(self, url):
        self.call("POST", f"/session/{self.session}/url", {"url": url})

    def js(self, script, args=()):
        return self.call(
            "POST", f"/session/{self.session}/execute/sync", {"script": script, "args": list(args)}
        )["value"]

    def quit(self):
        try:
            self.call("DELETE", f"/session/{self.session}")
        finally:
            self.proc.terminate()


OURS = """
const q = arguments[0];
const h = document.getElementById('mdbook-searchresults-header');
if (!h || !h.textContent.includes('“' + q + '”')) return null;
const items = Array.from(document.querySelectorAll('#mdbook-searchresults > li'));
if (!h.textContent.startsWith('没有') && items.length === 0) return null;
return items.map(li => li.dataset.url || (li.querySelector('a') || {}).href || '');
"""

MDBOOK = """
const q = arguments[0];
const h = document.getElementById('mdbook-searchresults-header');
if (!h) return [];  // no 0.5 search bar (a 0.4 theme): mdBook's search cannot run
if (!h.textContent.includes(q)) return null;
return Array.from(document.querySelectorAll('#mdbook-searchresults > li a')).map(a => a.getAttribute('href'));
"""


def page_of(url, base):
    path = urllib.parse.urlparse(urllib.parse.urljoin(base, url)).path
    path = urllib.parse.unquote(path)
    base_path = urllib.parse.urlparse(base).path
    if path.startswith(base_path):
        path = path[len(base_path):]
    path = path.lstrip("/")
    if path == "" or path.endswith("/"):
        path += "index.html"
    return path


def main():
    site, queries_file, mode = sys.argv[1:4]
    show = int(sys.argv[sys.argv.index("--show") + 1]) if "--show" in sys.argv else 3
    queries = []
    for line in open(queries_file, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.strip():
            continue
        q, pages = line.split("\t")
        queries.append((q, pages.split(",")))
    httpd = serve(site)
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    driver = Driver()
    script = OURS if mode == "ours" else MDBOOK
    hits = zero = 0
    try:
        for q, expected in queries:
            driver.goto(base + "index.html?search=" + urllib.parse.quote(q))
            results = None
            for _ in range(200):
                results = driver.js(script, [q])
                if results is not None:
                    break
                time.sleep(0.05)
            if results is None:
                results = []
                status = "TIMEOUT"
            pages = [page_of(u, base) for u in results]
            top = pages
            hit = any(p in expected for p in top[:3])
            hits += hit
            zero += not pages
            mark = "hit " if hit else ("ZERO" if not pages else "miss")
            print(f"{mark}\t{q}\texpected {','.join(expected)}\tgot {' | '.join(top[:show])}")
    finally:
        driver.quit()
        httpd.shutdown()
    print(f"SUMMARY\t{mode}\t{hits}/{len(queries)} top-3\t{zero} zero-result")


if __name__ == "__main__":
    main()
