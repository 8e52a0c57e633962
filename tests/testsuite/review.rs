//! `archmanual review` on real git repositories: what a branch adds is
//! reported wherever it stands; what the base already had is only counted.

use std::path::Path;

use serde_json::Value;

use crate::support::{archmanual, git, run};

/// A small book in a fresh repository, committed on `main`: 消息队列 has a
/// `## 投递语义` heading that two other pages link to, and 缓存 has one old
/// finding (an `http://` link).
fn repository() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path();
    write(repo, "book.toml", "[book]\nsrc = \"book\"\n");
    write(
        repo,
        "book/SUMMARY.md",
        "# Summary\n\n- [消息队列](mq.md)\n- [事务](tx.md)\n- [缓存](cache.md)\n",
    );
    write(
        repo,
        "book/mq.md",
        "# 消息队列\n\n## 投递语义\n\n至少一次、至多一次、恰好一次。\n",
    );
    write(
        repo,
        "book/tx.md",
        "# 事务\n\n事务消息依赖[投递语义](mq.md#投递语义)。\n",
    );
    write(
        repo,
        "book/cache.md",
        "# 缓存\n\n缓存失效后的消息见[投递语义](mq.md#投递语义)。\n\n旧链接：<http://github.com/example/cache>\n",
    );
    git(repo, &["init", "-q"]);
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "base"]);
    git(repo, &["checkout", "-q", "-b", "topic"]);
    tmp
}

fn write(repo: &Path, file: &str, text: &str) {
    let path = repo.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn commit(repo: &Path, message: &str) {
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", message]);
}

/// Runs `archmanual review --base main` in `repo` with `format`; exit code and stdout.
fn run_review(repo: &Path, format: &str) -> (i32, String) {
    let out = run(archmanual()
        .args(["review", "--base", "main", "--format", format, "--book"])
        .arg(repo)
        .env("NO_COLOR", "1"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let code = out.status.code().unwrap_or(-1);
    assert!(matches!(code, 0 | 1), "exit {code}: {stderr}");
    (code, String::from_utf8_lossy(&out.stdout).into_owned())
}

fn payload(repo: &Path) -> (i32, Value) {
    let (code, out) = run_review(repo, "github-review");
    (code, serde_json::from_str(&out).expect("review JSON"))
}

#[test]
fn renamed_heading_breaks_links_on_unchanged_pages() {
    let tmp = repository();
    let repo = tmp.path();
    write(
        repo,
        "book/mq.md",
        "# 消息队列\n\n## 消息投递语义\n\n至少一次、至多一次、恰好一次。\n",
    );
    commit(repo, "rename a heading");

    let (code, review) = payload(repo);
    assert_eq!(code, 1, "new findings fail the review: {review}");
    // Neither broken link is on a line the branch changed: no inline
    // comment, both listed in the body with their place.
    assert_eq!(review["comments"].as_array().unwrap().len(), 0, "{review}");
    let body = review["body"].as_str().unwrap();
    assert!(body.contains("adds 2 finding(s)"), "{body}");
    assert!(body.contains("`book/tx.md:3`"), "{body}");
    assert!(body.contains("`book/cache.md:3`"), "{body}");
    // The old http:// link is counted, not listed.
    assert!(!body.contains("cache.md:5"), "{body}");
    assert!(
        body.contains("2 finding(s) were already on the base"),
        "{body}"
    );

    let (code, human) = run_review(repo, "human");
    assert_eq!(code, 1);
    assert!(human.contains("tx.md:3:"), "{human}");
    assert!(human.contains("cache.md:3:"), "{human}");
    assert!(
        human.contains("2 new finding(s) on this branch (0 on changed lines); 2 already on main"),
        "{human}"
    );
}

#[test]
fn a_finding_that_only_moved_is_not_new() {
    let tmp = repository();
    let repo = tmp.path();
    // Two paragraphs above the old http:// link move it down four lines.
    write(
        repo,
        "book/cache.md",
        "# 缓存\n\n新增的说明。\n\n再一段。\n\n缓存失效后的消息见[投递语义](mq.md#投递语义)。\n\n旧链接：<http://github.com/example/cache>\n",
    );
    commit(repo, "more text");

    let (code, review) = payload(repo);
    assert_eq!(code, 0, "{review}");
    assert_eq!(review["comments"].as_array().unwrap().len(), 0);
    let body = review["body"].as_str().unwrap();
    assert!(body.contains("adds no findings"), "{body}");
    assert!(
        body.contains("2 finding(s) were already on the base"),
        "{body}"
    );
}

#[test]
fn renamed_file_keeps_its_old_findings_and_deleted_page_breaks_links() {
    let tmp = repository();
    let repo = tmp.path();
    // cache.md → caching.md (same text): its old finding is not new …
    git(repo, &["mv", "book/cache.md", "book/caching.md"]);
    write(
        repo,
        "book/SUMMARY.md",
        "# Summary\n\n- [消息队列](mq.md)\n- [事务](tx.md)\n- [缓存](caching.md)\n",
    );
    commit(repo, "rename a page");
    let (code, review) = payload(repo);
    assert_eq!(code, 0, "{review}");

    // … but deleting 事务's target page breaks two links on unchanged pages.
    std::fs::remove_file(repo.join("book/mq.md")).unwrap();
    write(
        repo,
        "book/SUMMARY.md",
        "# Summary\n\n- [事务](tx.md)\n- [缓存](caching.md)\n",
    );
    commit(repo, "remove a page");
    let (code, review) = payload(repo);
    assert_eq!(code, 1, "{review}");
    let body = review["body"].as_str().unwrap();
    assert!(body.contains("`book/tx.md:3`"), "{body}");
    assert!(body.contains("`book/caching.md:3`"), "{body}");
}

#[test]
fn new_finding_on_a_changed_line_is_an_inline_comment_with_a_suggestion() {
    let tmp = repository();
    let repo = tmp.path();
    write(
        repo,
        "book/tx.md",
        "# 事务\n\n事务消息依赖[投递语义](mq.md#投递语义)。\n\n规范：<http://github.com/example/tx>\n",
    );
    commit(repo, "add a link");

    let (code, review) = payload(repo);
    assert_eq!(code, 1, "{review}");
    let comments = review["comments"].as_array().unwrap();
    assert_eq!(comments.len(), 1, "{review}");
    assert_eq!(comments[0]["path"], "book/tx.md");
    assert_eq!(comments[0]["line"], 5);
    let body = comments[0]["body"].as_str().unwrap();
    assert!(
        body.contains("```suggestion\n规范：<https://github.com/example/tx>\n```"),
        "{body}"
    );

    let (_, markdown) = run_review(repo, "markdown");
    assert!(markdown.contains("#### `book/tx.md:5`"), "{markdown}");
    assert!(
        !markdown.contains("<!-- archmanual-review -->"),
        "{markdown}"
    );
}
