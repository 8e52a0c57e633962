//! Issue 24's chain, end to end through the binary: `refresh` learns a
//! rename and an archive from GitHub (the loopback stand-in), then the build
//! shows them on the entries and lint points at the link that still uses
//! the old name — with the fix.

use github_standin::{Standin, StandinConfig, World};
use serde_json::Value;

use crate::support::{archmanual, run};

const TOKEN: &str = "chain-test-token-5f3a";

fn write_book(root: &std::path::Path) {
    let src = root.join("src");
    std::fs::create_dir_all(src.join("backend/coordination")).unwrap();
    std::fs::write(
        root.join("book.toml"),
        "[book]\ntitle = \"Chain\"\nlanguage = \"zh-CN\"\nsrc = \"src\"\n\n\
         [preprocessor.catalog]\ncommand = \"mdbook-catalog\"\nbefore = [\"links\"]\n\n\
         [preprocessor.github]\ncommand = \"mdbook-github\"\nafter = [\"catalog\"]\nbefore = [\"links\"]\n",
    )
    .unwrap();
    std::fs::write(
        src.join("SUMMARY.md"),
        "# Summary\n\n[简介](README.md)\n\n# 技术主题\n\n- [后端]()\n    - [分布式协调服务](backend/coordination/index.md)\n",
    )
    .unwrap();
    std::fs::write(
        src.join("README.md"),
        "# 简介\n\n一本用来测试快照更新的小书。\n",
    )
    .unwrap();
    std::fs::write(
        src.join("backend/coordination/index.md"),
        "# 分布式协调服务\n\n协调服务为集群提供配置、命名与选主。\n\n## 开源项目\n\n\
         - [etcd](https://github.com/coreos/etcd) - 基于 Raft 的分布式键值存储。\n\
         - [Old](https://github.com/archived/old) - 一个早已停止维护的项目。\n",
    )
    .unwrap();
}

#[test]
fn refresh_learns_renames_and_archives_then_build_shows_them_and_lint_fixes_the_link() {
    let standin = Standin::start(StandinConfig::default(), World::sample());
    let dir = tempfile::tempdir().unwrap();
    write_book(dir.path());
    let with_api = |cmd: &mut std::process::Command| {
        cmd.env("GITHUB_TOKEN", TOKEN)
            .env_remove("GH_TOKEN")
            .env("GITHUB_API_URL", standin.api_url())
            .env("GITHUB_GRAPHQL_URL", standin.graphql_url());
    };
    let mut outputs = String::new();

    // 1. refresh writes the snapshot beside the chapters.
    let mut cmd = archmanual();
    cmd.args(["refresh", "--quiet", "--book"]).arg(dir.path());
    with_api(&mut cmd);
    let out = run(&mut cmd);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "refresh: {stderr}");
    outputs += &stderr;
    let snapshot = std::fs::read_to_string(dir.path().join("src/github-repos.json"))
        .expect("refresh wrote src/github-repos.json");
    assert!(snapshot.contains("etcd-io/etcd"), "{snapshot}");
    outputs += &snapshot;

    // 2. lint: the entry still links the old name → GH004 at its line, with the fix.
    let mut cmd = archmanual();
    cmd.args(["lint", "--format", "json", "--book"])
        .arg(dir.path());
    with_api(&mut cmd);
    let out = run(&mut cmd);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    outputs += &text;
    // Warnings: reported, not failing (exit 1 is for errors).
    assert_eq!(out.status.code(), Some(0), "{text}");
    let json: Value = serde_json::from_str(&text).expect("lint JSON");
    let findings = json
        .as_array()
        .or_else(|| json["diagnostics"].as_array())
        .expect("a list of findings");
    let renamed = findings
        .iter()
        .find(|d| d["code"] == "GH004")
        .unwrap_or_else(|| panic!("no GH004: {text}"));
    assert_eq!(renamed["line"], 7, "{renamed}");
    assert_eq!(renamed["severity"], "warning", "{renamed}");
    assert!(renamed.to_string().contains("etcd-io/etcd"), "{renamed}");
    assert!(
        findings
            .iter()
            .any(|d| d["code"] == "GH003" && d["line"] == 8),
        "the archived repository is reported on its line: {text}"
    );

    // `lint --fix` rewrites the link to the new name, and lint is then quiet about it.
    let mut cmd = archmanual();
    cmd.args(["lint", "--fix", "--book"]).arg(dir.path());
    with_api(&mut cmd);
    let out = run(&mut cmd);
    outputs += &String::from_utf8_lossy(&out.stdout);
    outputs += &String::from_utf8_lossy(&out.stderr);
    let page =
        std::fs::read_to_string(dir.path().join("src/backend/coordination/index.md")).unwrap();
    assert!(page.contains("(https://github.com/etcd-io/etcd)"), "{page}");

    // 3. build (offline from the snapshot): 已归档 on the archived entry.
    let mut cmd = archmanual();
    cmd.args(["build", "--book"])
        .arg(dir.path())
        .arg("--dest-dir")
        .arg(dir.path().join("out"));
    with_api(&mut cmd);
    let out = run(&mut cmd);
    outputs += &String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(dir.path().join("out/backend/coordination/index.html"))
        .expect("category page");
    assert!(html.contains("已归档"), "the archived badge: {html}");

    // The token reaches GitHub and nothing else.
    assert!(!outputs.contains(TOKEN), "the token leaked into an output");
}

/// Without `lint --fix`, the build itself tells readers the new address.
#[test]
fn a_build_before_the_fix_shows_the_new_name() {
    let standin = Standin::start(StandinConfig::default(), World::sample());
    let dir = tempfile::tempdir().unwrap();
    write_book(dir.path());
    let out = run(archmanual()
        .args(["refresh", "--quiet", "--book"])
        .arg(dir.path())
        .env("GITHUB_TOKEN", TOKEN)
        .env("GITHUB_API_URL", standin.api_url())
        .env("GITHUB_GRAPHQL_URL", standin.graphql_url()));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(archmanual()
        .args(["build", "--book"])
        .arg(dir.path())
        .arg("--dest-dir")
        .arg(dir.path().join("out"))
        .env_remove("GITHUB_TOKEN")
        .env("GITHUB_API_URL", "http://127.0.0.1:9")
        .env("GITHUB_GRAPHQL_URL", "http://127.0.0.1:9/graphql"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html =
        std::fs::read_to_string(dir.path().join("out/backend/coordination/index.html")).unwrap();
    assert!(html.contains("已更名为"), "the renamed badge: {html}");
    assert!(
        html.contains("https://github.com/etcd-io/etcd"),
        "the new address: {html}"
    );
}
