//! Star counts from the committed snapshot, offline, through the whole pipeline.

use crate::support::{archmanual, fixture, main_of, run};

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
