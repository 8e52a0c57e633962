//! Build benchmark: `archmanual build` (in-process mdBook, our preprocessors
//! and the Pagefind search index) against plain `mdbook build` of the same
//! book with the preprocessors removed from book.toml (mdBook's own search
//! index on), run side by side, alternating, on
//!  1. the manual itself, and
//!  2. a generated book of 5,000 category chapters (50 draft themes × 100
//!     categories × 10 entries, plus the technology map);
//!  3. (`BOOKS=peer`, also in `all`) the manual three ways: `archmanual build`;
//!     the peer a user would otherwise assemble — `mdbook build` with our
//!     preprocessors as binaries, then `pagefind --site` on its output; and
//!     `mdbook build` with the preprocessors as binaries and the
//!     `mdbook-search` renderer (`[output.search]`). Needs `pagefind` 1.x
//!     on PATH (the npm package ships a binary) or `PAGEFIND=/path`, and the
//!     release binaries (`cargo build --release --workspace --bins`).
//!
//! Run: `cargo build --release && cargo bench --bench build`
//! (needs `mdbook` 0.5.x on PATH, or `MDBOOK=/path/to/mdbook`; `RUNS=N` to
//! change the number of alternating runs, default 5; `BOOKS=manual` or
//! `BOOKS=big` for one of the two books). Also prints the time
//! `archmanual build` spent on the search index, by phase, and the load
//! average before and after each comparison.
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "bench binary reports on the terminal"
)]

mod common;
use common::{copy_book, strip_preprocessors};

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use archmanual_test_support::copy_dir_except;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let archmanual = root.join("target/release/archmanual");
    if !archmanual.exists() {
        eprintln!("build the release binary first: cargo build --release");
        std::process::exit(2);
    }
    let mdbook = std::env::var("MDBOOK").unwrap_or_else(|_| "mdbook".into());
    if Command::new(&mdbook).arg("--version").output().is_err() {
        eprintln!(
            "`{mdbook}` not found: install mdBook 0.5 (cargo install mdbook --version 0.5.4 --locked) or set MDBOOK"
        );
        std::process::exit(2);
    }
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let books = std::env::var("BOOKS").unwrap_or_else(|_| "all".into());
    let tmp = tempfile::tempdir().expect("temp dir");

    // 1. The manual.
    if books == "all" || books == "manual" {
        let manual = tmp.path().join("manual");
        copy_book(root, &manual);
        compare("the manual (book/)", &archmanual, &mdbook, &manual, runs);
    }

    // 3. The manual against the peer and against plain mdBook with the renderer.
    if books == "all" || books == "peer" {
        peer(root, &archmanual, &mdbook, tmp.path(), runs);
    }

    // 2. A generated 5,000-chapter book.
    if books == "all" || books == "big" {
        let big = tmp.path().join("big");
        generate(&big, 50, 100, 10);
        copy_snapshot(root, &big);
        compare(
            "generated book, 5,000 chapters",
            &archmanual,
            &mdbook,
            &big,
            runs,
        );
    }
}

/// The manual's book.toml with each `cargo run … -p NAME --` command replaced
/// by the release binary `NAME`, and `[output.search]` kept (`search =
/// true`, its command the `mdbook-search` binary) or removed.
fn with_binaries(book_toml: &Path, release: &Path, search: bool) {
    let text = std::fs::read_to_string(book_toml).expect("book.toml");
    let mut out = String::new();
    let mut in_search = false;
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with('[') {
            in_search = t.starts_with("[output.search]");
            if in_search && !search {
                continue;
            }
        } else if in_search && !search {
            continue;
        }
        match t
            .strip_prefix("command = \"cargo run")
            .and_then(|rest| rest.split(" -p ").nth(1))
            .and_then(|rest| rest.split_whitespace().next())
        {
            Some(name) => out.push_str(&format!(
                "command = {:?}\n",
                release.join(name).display().to_string()
            )),
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    std::fs::write(book_toml, out).expect("write book.toml");
}

/// `archmanual build` against the peer (`mdbook build` with the preprocessor
/// binaries, then `pagefind --site`) and against `mdbook build` with the
/// preprocessor binaries and the `mdbook-search` renderer, alternating.
fn peer(root: &Path, archmanual: &Path, mdbook: &str, tmp: &Path, runs: usize) {
    let pagefind = std::env::var("PAGEFIND").unwrap_or_else(|_| "pagefind".into());
    if Command::new(&pagefind).arg("--version").output().is_err() {
        eprintln!(
            "`{pagefind}` not found: `npm install pagefind` and put node_modules/.bin on PATH, or set PAGEFIND; the peer comparison is skipped"
        );
        return;
    }
    let release = root.join("target/release");
    for bin in [
        "mdbook-catalog",
        "mdbook-github",
        "mdbook-protocol",
        "mdbook-search",
    ] {
        if !release.join(bin).exists() {
            eprintln!(
                "{bin} missing: cargo build --release --workspace --bins; the peer comparison is skipped"
            );
            return;
        }
    }
    let ours = tmp.join("peer-ours");
    copy_book(root, &ours);
    let peer = tmp.join("peer-peer");
    copy_book(root, &peer);
    with_binaries(&peer.join("book.toml"), &release, false);
    let plugin = tmp.join("peer-plugin");
    copy_book(root, &plugin);
    with_binaries(&plugin.join("book.toml"), &release, true);

    let (mut a, mut b, mut c) = (Vec::new(), Vec::new(), Vec::new());
    let load_before = load_average();
    for i in 0..=runs {
        let (ta, _) = time(
            Command::new(archmanual)
                .args(["build", "--book"])
                .arg(&ours)
                .arg("--dest-dir")
                .arg(ours.join("out")),
        );
        let peer_out = peer.join("out");
        let (tb1, _) = time(
            Command::new(mdbook)
                .arg("build")
                .arg(&peer)
                .arg("--dest-dir")
                .arg(&peer_out),
        );
        let (tb2, _) = time(Command::new(&pagefind).arg("--site").arg(&peer_out));
        let (tc, _) = time(
            Command::new(mdbook)
                .arg("build")
                .arg(&plugin)
                .arg("--dest-dir")
                .arg(plugin.join("out")),
        );
        if i > 0 {
            a.push(ta);
            b.push(tb1 + tb2);
            c.push(tc);
        }
    }
    let (ma, mb, mc) = (median(&mut a), median(&mut b), median(&mut c));
    println!(
        "the manual: archmanual build median {:.3}s; peer (mdbook build with the preprocessor binaries + pagefind --site) median {:.3}s; mdbook build with the mdbook-search renderer median {:.3}s ({runs} runs each)",
        ma.as_secs_f64(),
        mb.as_secs_f64(),
        mc.as_secs_f64()
    );
    println!(
        "the manual: archmanual build / peer {:.2}x (goal < 1); mdbook build with the renderer / peer {:.2}x (goal <= 1.1)",
        ma.as_secs_f64() / mb.as_secs_f64(),
        mc.as_secs_f64() / mb.as_secs_f64()
    );
    println!(
        "the manual (peer comparison): load average (1 min) before {load_before}, after {}",
        load_average()
    );
}

fn compare(label: &str, archmanual: &Path, mdbook: &str, book: &Path, runs: usize) {
    let baseline = book.with_extension("baseline");
    copy_dir_except(book, &baseline, &["out"]);
    strip_preprocessors(&baseline.join("book.toml"));
    let ours_out = book.join("out");
    let base_out = baseline.join("out");
    let mut ours = Vec::new();
    let mut base = Vec::new();
    let mut index = Vec::new();
    let mut phases: [Vec<Duration>; 3] = Default::default();
    let mut indexed = String::new();
    let load_before = load_average();
    // One warm-up each (file cache), then alternate so drift hits both sides.
    for i in 0..=runs {
        let (a, stderr) = time(
            Command::new(archmanual)
                .args(["build", "--book"])
                .arg(book)
                .arg("--dest-dir")
                .arg(&ours_out),
        );
        let (b, _) = time(
            Command::new(mdbook)
                .arg("build")
                .arg(&baseline)
                .arg("--dest-dir")
                .arg(&base_out),
        );
        if i > 0 {
            ours.push(a);
            base.push(b);
            // `indexed N pages and M entries for search in X.XXs (adding A.AAs,
            // index and gzip B.BBs, writing C.CCs; …)`
            if let Some(line) = stderr.lines().find(|l| l.starts_with("indexed ")) {
                indexed = line.to_string();
                index.extend(seconds_after(line, " in "));
                for (phase, key) in
                    phases
                        .iter_mut()
                        .zip(["(adding ", "index and gzip ", "writing "])
                {
                    phase.extend(seconds_after(line, key));
                }
            }
        }
    }
    let (mo, mb) = (median(&mut ours), median(&mut base));
    println!(
        "{label}: archmanual build (with search) median {:.3}s, mdbook build (no preprocessors, its own search) median {:.3}s, ratio {:.2}x ({runs} runs each)",
        mo.as_secs_f64(),
        mb.as_secs_f64(),
        mo.as_secs_f64() / mb.as_secs_f64()
    );
    if !index.is_empty() {
        println!(
            "{label}: search index median {:.3}s of the build; last run: {indexed}",
            median(&mut index).as_secs_f64()
        );
    }
    if phases.iter().all(|p| !p.is_empty()) {
        let [add, build, write] = &mut phases;
        println!(
            "{label}: index phases (medians): adding pages and entries {:.3}s, Pagefind's index and gzip {:.3}s, writing the bundle {:.3}s",
            median(add).as_secs_f64(),
            median(build).as_secs_f64(),
            median(write).as_secs_f64()
        );
    }
    println!(
        "{label}: load average (1 min) before {load_before}, after {}",
        load_average()
    );
}

/// The number of seconds written after `key` in `line` (`… in 1.23s …`).
fn seconds_after(line: &str, key: &str) -> Option<Duration> {
    let rest = line.split(key).nth(1)?;
    let secs = rest.split('s').next()?.parse::<f64>().ok()?;
    Some(Duration::from_secs_f64(secs))
}

/// The 1-minute load average (Linux), to judge how busy the machine was.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "unknown".into())
}

fn time(cmd: &mut Command) -> (Duration, String) {
    let start = Instant::now();
    let out = cmd.output().expect("command runs");
    let elapsed = start.elapsed();
    if !out.status.success() {
        eprintln!("{}", String::from_utf8_lossy(&out.stderr));
        panic!("{cmd:?} failed");
    }
    (elapsed, String::from_utf8_lossy(&out.stderr).into_owned())
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn copy_snapshot(root: &Path, big: &Path) {
    let snap = root.join("book/github-repos.json");
    if snap.exists() {
        std::fs::copy(snap, big.join("book/github-repos.json")).expect("snapshot");
    }
}

/// Writes a book of `themes` draft chapters × `categories` category pages ×
/// `entries` entries each, with the manual's book.toml preprocessors.
fn generate(dir: &Path, themes: usize, categories: usize, entries: usize) {
    let src = dir.join("book");
    std::fs::create_dir_all(&src).expect("dir");
    let manual_toml =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("book.toml"))
            .expect("book.toml");
    std::fs::write(dir.join("book.toml"), manual_toml).expect("book.toml");
    let mut summary = String::from("# Summary\n\n[简介](README.md)\n[技术地图](map.md)\n\n");
    std::fs::write(src.join("README.md"), "# 简介\n\n生成的基准测试书。\n").expect("readme");
    std::fs::write(src.join("map.md"), "# 技术地图\n\n{{#catalog map}}\n").expect("map");
    for t in 0..themes {
        summary.push_str(&format!("- [主题 {t}]()\n"));
        for c in 0..categories {
            let rel = PathBuf::from(format!("t{t}/c{c}/index.md"));
            summary.push_str(&format!("    - [分类 {t}-{c}]({})\n", rel.display()));
            let mut page = format!(
                "# 分类 {t}-{c}\n\n这一类技术解决第 {c} 类问题。它们常被放在一起比较。\n\n## 选型建议\n\n| 方案 | 适用场景 |\n| --- | --- |\n| 甲 | 小规模 |\n| 乙 | 大规模 |\n\n## 开源项目\n\n### 分组 A\n\n"
            );
            for e in 0..entries {
                page.push_str(&format!(
                    "- [项目 {t}-{c}-{e}](https://github.com/owner{t}/repo-{c}-{e}) - 第 {e} 个示例项目，用于基准测试。\n"
                ));
            }
            let path = src.join(&rel);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("dir");
            std::fs::write(path, page).expect("page");
        }
    }
    std::fs::write(src.join("SUMMARY.md"), summary).expect("summary");
}
