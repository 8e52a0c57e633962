//! Search benchmark: what a reader's browser downloads to answer its first
//! query with the Pagefind index of `archmanual build`, against the size of
//! mdBook's own `searchindex` for the same manual (plain `mdbook build`), and
//! the top results of each query.
//!
//! Each query runs in a fresh headless Chromium (empty profile, so nothing is
//! cached) on the book's first page, through the search UI's own
//! `window.archmanualSearch.find` (Pagefind imported, the UI's two searches,
//! the data of the results it re-ranks). A small loopback server counts the
//! bytes of every file it serves under `pagefind/`.
//!
//! Run: `cargo build --release && cargo bench --bench search`
//! (needs `mdbook` 0.5.x — or `MDBOOK=/path` — and `chromium` — or `CHROMIUM=/path`).
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "bench binary reports on the terminal"
)]

mod common;
use common::{copy_book, strip_preprocessors};

use std::path::Path;
use std::process::Command;

use archmanual_test_support::StaticServer;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

/// Queries a reader of the manual would type (the issue's examples first).
const QUERIES: &[&str] = &[
    "限流",
    "消息队列",
    "分布式锁",
    "雪花算法",
    "一致性哈希",
    "熔断",
    "两阶段提交",
    "Seata",
    "Kafka",
    "Paxos",
    "向量数据库",
    "服务注册与发现",
    // Issue 20: a phrase the browser's segmenter cuts into single characters,
    // and a repository listed on five pages.
    "分区容错",
    "ZooKeeper",
];

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let archmanual = root.join("target/release/archmanual");
    if !archmanual.exists() {
        eprintln!("build the release binary first: cargo build --release");
        std::process::exit(2);
    }
    let mdbook = std::env::var("MDBOOK").unwrap_or_else(|_| "mdbook".into());
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "chromium".into());
    for (tool, hint) in [
        (
            &mdbook,
            "cargo install mdbook --version 0.5.4 --locked, or set MDBOOK",
        ),
        (&chromium, "apt-get install chromium, or set CHROMIUM"),
    ] {
        if Command::new(tool).arg("--version").output().is_err() {
            eprintln!("`{tool}` not found: {hint}");
            std::process::exit(2);
        }
    }
    let tmp = tempfile::tempdir().expect("temp dir");

    // Ours.
    let ours = tmp.path().join("ours");
    copy_book(root, &ours);
    let built = ours.join("out");
    let run = Command::new(&archmanual)
        .args(["build", "--book"])
        .arg(&ours)
        .arg("--dest-dir")
        .arg(&built)
        .output()
        .expect("archmanual runs");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    let indexed = stderr
        .lines()
        .find(|l| l.starts_with("indexed "))
        .unwrap_or("");
    println!("archmanual build: {indexed}");

    // mdBook's own index of the same manual (preprocessors removed).
    let base = tmp.path().join("base");
    copy_book(root, &base);
    strip_preprocessors(&base.join("book.toml"));
    let base_out = base.join("out");
    let run = Command::new(&mdbook)
        .arg("build")
        .arg(&base)
        .arg("--dest-dir")
        .arg(&base_out)
        .output()
        .expect("mdbook runs");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let mut mdbook_search = Vec::new();
    for e in std::fs::read_dir(&base_out).expect("mdbook output") {
        let e = e.expect("entry");
        let name = e.file_name().to_string_lossy().into_owned();
        if ["searchindex", "searcher", "elasticlunr", "mark"]
            .iter()
            .any(|p| name.starts_with(p))
        {
            mdbook_search.push((name, e.metadata().expect("metadata").len()));
        }
    }
    mdbook_search.sort();
    let index_bytes: u64 = mdbook_search
        .iter()
        .filter(|(n, _)| n.starts_with("searchindex"))
        .map(|(_, b)| b)
        .sum();
    let all_bytes: u64 = mdbook_search.iter().map(|(_, b)| b).sum();
    println!("mdbook build: {mdbook_search:?}");

    // Serve ours and ask Chromium.
    // The manual's first page, with the search UI, and a script that asks
    // the UI what it would show.
    // Two renderers (html, search): the pages are in html/.
    let out = built.join("html");
    let first = std::fs::read_to_string(out.join("index.html")).expect("index.html");
    assert!(first.contains("</body>"), "index.html has no </body>");
    std::fs::write(
        out.join("__bench.html"),
        first.replacen("</body>", &format!("{BENCH_SCRIPT}</body>"), 1),
    )
    .expect("bench page");
    let server = StaticServer::start(&out);
    println!();
    println!("| query | bytes (pagefind/) | requests | % of searchindex | top 3 results |");
    println!("| --- | ---: | ---: | ---: | --- |");
    let mut all = Vec::new();
    for q in QUERIES {
        // Under load headless Chromium sometimes dumps the page before the
        // UI has answered (its virtual time runs out): such a run measures
        // nothing, so it is retried with a fresh profile.
        let mut tries = 0;
        let (results, bytes, requests) = loop {
            tries += 1;
            let answer = ask(&chromium, &server, q);
            if !answer.0.is_empty() || tries == 3 {
                break answer;
            }
        };
        if results.is_empty() {
            println!("| {q} | — | — | — | no answer in {tries} tries |");
            continue;
        }
        all.push(bytes);
        println!(
            "| {q} | {bytes} | {requests} | {:.1}% | {} |",
            100.0 * bytes as f64 / index_bytes as f64,
            results.trim()
        );
    }
    all.sort();
    let median = all[all.len() / 2];
    let max = all[all.len() - 1];
    println!();
    println!(
        "first query: median {median} bytes, max {max} bytes; mdBook searchindex {index_bytes} bytes (its search files together {all_bytes}); median {:.1}% / max {:.1}% of searchindex",
        100.0 * median as f64 / index_bytes as f64,
        100.0 * max as f64 / index_bytes as f64
    );
}

/// One query in a fresh headless Chromium: the UI's top results as text
/// (empty when the page did not answer), and the bytes and requests it
/// fetched under `pagefind/`.
fn ask(chromium: &str, server: &StaticServer, q: &str) -> (String, u64, usize) {
    server.take_log();
    let profile = tempfile::tempdir().expect("profile");
    let url = format!(
        "{}__bench.html?q={}",
        server.base(),
        utf8_percent_encode(q, NON_ALPHANUMERIC)
    );
    let dom = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--virtual-time-budget=30000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(&url)
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&dom.stdout);
    let results = dom
        .split("<pre id=\"bench-out\">")
        .nth(1)
        .and_then(|s| s.split("</pre>").next())
        .unwrap_or("")
        .replace("&gt;", ">")
        .replace("&lt;", "<")
        .replace("&amp;", "&");
    let served = server.take_log();
    let pagefind = served.iter().filter(|s| s.path.starts_with("/pagefind/"));
    let bytes = pagefind.clone().map(|s| s.bytes).sum();
    (results.trim().to_string(), bytes, pagefind.count())
}

/// What the UI does for one query (its two searches, the data of the
/// results it re-ranks, the ranking), and the top results as text.
const BENCH_SCRIPT: &str = r#"<pre id="bench-out"></pre>
<script type="module">
const q = new URLSearchParams(location.search).get("q");
while (!window.archmanualSearch) await new Promise((r) => setTimeout(r, 20));
const results = await window.archmanualSearch.find(q);
const data = await Promise.all(results.slice(0, 10).map((r) => r.data || r.result.data()));
document.getElementById("bench-out").textContent = data
  .slice(0, 3)
  .map((d) => `${d.meta.title} (${d.url})`)
  .join("; ") + ` — ${results.length} results`;
</script>"#;
