//! `archmanual review`: comments exactly on the lines a change touched, and
//! only for findings the base did not have (in a temporary git repository). Posting is tested with the GitHub client
//! (`crates/github/tests/standin/review.rs`).

use std::path::Path;
use std::process::Command;

use archmanual_lint::diff::{git_changed_lines, git_compare_base, git_export, git_renames};
use archmanual_lint::review::{MARKER, build_review_of_changes, new_on_head};
use archmanual_lint::{Book, lint};

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

const BASE_PAGE: &str = "# 消息队列

## 选型建议

旧的明文链接 http://github.com/apache/kafka 不在这次改动里。

- [Kafka](https://github.com/apache/kafka) - 分布式日志。
";

const HEAD_PAGE: &str = "# 消息队列

## 选型建议

旧的明文链接 http://github.com/apache/kafka 不在这次改动里。

- [Kafka](https://github.com/apache/kafka) - 分布式日志，见[选型](#选型)。
- [RocketMQ](http://github.com/apache/rocketmq) - 事务消息。
- [Pulsar](https://github.com/apache/pulsar) - 云原生消息。
";

#[test]
fn review_comments_exactly_on_changed_lines() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path();
    std::fs::write(
        repo.join("book.toml"),
        "[book]\nsrc = \"book\"\n[build]\ncreate-missing = false\n",
    )
    .unwrap();
    std::fs::create_dir(repo.join("book")).unwrap();
    std::fs::write(
        repo.join("book/SUMMARY.md"),
        "# Summary\n\n- [消息队列](mq.md)\n",
    )
    .unwrap();
    std::fs::write(repo.join("book/mq.md"), BASE_PAGE).unwrap();
    git(repo, &["init", "-q"]);
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "base"]);
    let base = git(repo, &["rev-parse", "HEAD"]);
    std::fs::write(repo.join("book/mq.md"), HEAD_PAGE).unwrap();
    git(repo, &["commit", "-q", "-am", "head"]);
    let head = git(repo, &["rev-parse", "HEAD"]);

    let book = Book::load(repo).unwrap();
    let ds = lint(&book);
    let changed = git_changed_lines(repo, &base, Some(&head), &[Path::new("book")]).unwrap();
    assert_eq!(
        changed.files["book/mq.md"]
            .iter()
            .copied()
            .collect::<Vec<_>>(),
        vec![7, 8, 9]
    );

    // The base as git has it, linted the same way.
    let compare = git_compare_base(repo, &base, Some(&head)).unwrap();
    assert_eq!(compare, base);
    let base_dir = tempfile::tempdir().unwrap();
    assert!(git_export(repo, &compare, ".", base_dir.path()).unwrap());
    assert!(!git_export(repo, &compare, "no-such-dir", base_dir.path()).unwrap());
    let base_book = Book::load(base_dir.path()).unwrap();
    let base_ds = lint(&base_book);
    assert!(
        git_renames(repo, &base, Some(&head), &[Path::new("book")])
            .unwrap()
            .is_empty()
    );
    let is_new = new_on_head(
        &base_ds,
        &base_book.sources(),
        &ds,
        &book.sources(),
        &Default::default(),
    );
    let review =
        build_review_of_changes(&ds, &is_new, &book.sources(), Path::new("book"), &changed);
    let at: Vec<(&str, usize)> = review
        .comments
        .iter()
        .map(|c| (c.path.as_str(), c.line))
        .collect();
    // Line 7: broken fragment; line 8: http; line 9 changed but clean; line 5: old finding.
    assert_eq!(at, vec![("book/mq.md", 7), ("book/mq.md", 8)]);
    assert!(review.comments.iter().all(|c| c.side == "RIGHT"));
    assert!(review.comments[0].body.contains("**AM005**"));
    assert!(
        !review.comments[0].body.contains("suggestion"),
        "no fix, no suggestion"
    );
    assert!(review.comments[1].body.contains(
        "```suggestion\n- [RocketMQ](https://github.com/apache/rocketmq) - 事务消息。\n```"
    ));
    assert_eq!(review.event, "COMMENT");
    assert!(review.body.starts_with(MARKER));
    // The old http:// link on line 5 and the no-snapshot note were on the
    // base: counted, not listed.
    assert!(!review.body.contains("mq.md:5"), "{}", review.body);
    assert!(
        review
            .body
            .contains("2 finding(s) were already on the base"),
        "{}",
        review.body
    );
}
