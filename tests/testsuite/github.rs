//! Star counts from the committed snapshot, offline, through the whole pipeline.

use crate::support::{archmanual, fixture, git, main_of, run};

#[test]
fn offline_build_shows_snapshot_stars_and_orders_by_them() {
    let dir = fixture("github-stars");
    let out = run(archmanual()
        .args(["build", "--book"])
        .arg(dir.path())
        .arg("--dest-dir")
        .arg(dir.path().join("out"))
        // No token and an unroutable API: the build must not need either.
        .env_remove("GITHUB_TOKEN")
        .env_remove("GH_TOKEN")
        .env("GITHUB_API_URL", "http://127.0.0.1:9")
        .env("GITHUB_GRAPHQL_URL", "http://127.0.0.1:9/graphql"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read = |rel: &str| std::fs::read_to_string(dir.path().join("out").join(rel)).unwrap();

    let mq = read("backend/mq/index.html");
    let mq = main_of(&mq);
    assert!(
        mq.contains("31.2k"),
        "Kafka's stars on its category page: {mq}"
    );
    assert!(
        mq.to_lowercase().contains("archived") || mq.contains("归档"),
        "RocketMQ is archived: {mq}"
    );
    assert!(
        !mq.contains("<script>alert(1)</script>"),
        "API text is escaped"
    );

    // The theme index lists its storage entries by stars: MinIO (50k) before MySQL (12k) before PostgreSQL (900).
    let backend = read("backend/index.html");
    let main = main_of(&backend);
    let pos = |needle: &str| {
        main.find(needle)
            .unwrap_or_else(|| panic!("{needle} missing"))
    };
    assert!(pos("mysql/mysql-server") < pos("postgres/postgres"));
    assert!(main.contains("31.2k"), "generated pages show stars too");
}

/// `archmanual review --post` with only `GH_TOKEN` set: the review lands on
/// the stand-in, with the comments on the changed lines, and the token is
/// in no output.
#[test]
fn review_post_with_gh_token_only() {
    use github_standin::{Standin, StandinConfig, World};
    const TOKEN: &str = "gh-token-from-the-gh-cli";

    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path();
    std::fs::write(repo.join("book.toml"), "[book]\nsrc = \"book\"\n").unwrap();
    std::fs::create_dir(repo.join("book")).unwrap();
    std::fs::write(
        repo.join("book/SUMMARY.md"),
        "# Summary\n\n- [消息队列](mq.md)\n",
    )
    .unwrap();
    std::fs::write(repo.join("book/mq.md"), "# 消息队列\n\n正文。\n").unwrap();
    git(repo, &["init", "-q"]);
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "base"]);
    let base = git(repo, &["rev-parse", "HEAD"]);
    std::fs::write(
        repo.join("book/mq.md"),
        "# 消息队列\n\n正文。\n\n- [RocketMQ](http://github.com/apache/rocketmq) - 事务消息。\n",
    )
    .unwrap();
    git(repo, &["commit", "-q", "-am", "head"]);

    let standin = Standin::start(
        StandinConfig {
            token: Some(TOKEN.to_owned()),
            ..StandinConfig::default()
        },
        World::new().with_pull("o/r", 7, [("book/mq.md", 4), ("book/mq.md", 5)]),
    );
    let out = run(archmanual()
        .args(["review", "--book"])
        .arg(repo)
        .args(["--base", &base, "--post", "--pr", "7"])
        .env_remove("GITHUB_TOKEN")
        .env("GH_TOKEN", TOKEN)
        .env("GITHUB_REPOSITORY", "o/r")
        .env("GITHUB_API_URL", standin.api_url()));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{stderr}");
    assert!(stderr.contains("posted review"), "{stderr}");
    assert!(!stderr.contains(TOKEN) && !stdout.contains(TOKEN));
    let reviews = standin.reviews("o/r", 7);
    assert_eq!(reviews.len(), 1);
    assert!(reviews[0].body.contains("<!-- archmanual-review -->"));
    assert_eq!(
        reviews[0]
            .comments
            .iter()
            .map(|c| (c.path.as_str(), c.line))
            .collect::<Vec<_>>(),
        [("book/mq.md", 5)],
        "{:?}",
        reviews[0]
    );
    assert!(
        standin
            .authorizations()
            .iter()
            .all(|a| *a == format!("Bearer {TOKEN}"))
    );
}
