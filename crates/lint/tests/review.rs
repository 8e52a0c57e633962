//! `archmanual review`: comments exactly on the lines a change touched (in a
//! temporary git repository), and `--post` against a loopback stand-in.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};

use archmanual_lint::diff::git_changed_lines;
use archmanual_lint::review::{
    GithubTarget, MARKER, PostOutcome, ReviewComment, ReviewError, ReviewPayload, build_review,
    post_review,
};
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

    let review = build_review(&ds, &book.sources(), Path::new("book"), &changed);
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
    assert!(
        review.body.contains("`book/mq.md:5` warning [AM012]"),
        "{}",
        review.body
    );
}

/// A request the stand-in received.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    auth: String,
    body: String,
}

/// A loopback HTTP server answering with `route`; one request per connection.
fn stand_in(route: fn(&str, &str) -> (u16, String)) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut first = String::new();
            if reader.read_line(&mut first).is_err() {
                continue;
            }
            let mut parts = first.split_whitespace();
            let method = parts.next().unwrap_or("").to_string();
            let path = parts.next().unwrap_or("").to_string();
            let (mut len, mut auth) = (0usize, String::new());
            loop {
                let mut h = String::new();
                reader.read_line(&mut h).unwrap();
                let h = h.trim_end();
                if h.is_empty() {
                    break;
                }
                let (k, v) = h.split_once(':').unwrap();
                match k.to_ascii_lowercase().as_str() {
                    "content-length" => len = v.trim().parse().unwrap(),
                    "authorization" => auth = v.trim().to_string(),
                    _ => {}
                }
            }
            let mut body = vec![0; len];
            reader.read_exact(&mut body).unwrap();
            let (status, reply) = route(&method, &path);
            log.lock().unwrap().push(Seen {
                method,
                path,
                auth,
                body: String::from_utf8(body).unwrap(),
            });
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reply}",
                reply.len()
            );
        }
    });
    (url, seen)
}

fn payload() -> ReviewPayload {
    serde_json::from_value(serde_json::json!({
        "event": "COMMENT",
        "body": format!("{MARKER}\nnew"),
        "comments": [{"path": "book/a.md", "line": 3, "side": "RIGHT", "body": "x"}],
    }))
    .unwrap()
}

fn target(url: String) -> GithubTarget {
    GithubTarget {
        api_url: url,
        repository: "o/r".into(),
        pr: 7,
        token: "secret-token".into(),
    }
}

#[test]
fn post_replaces_the_earlier_review() {
    let (url, seen) = stand_in(|method, path| match (method, path) {
        ("GET", "/repos/o/r/pulls/7/reviews?per_page=100&page=1") => (
            200,
            format!(r#"[{{"id":1,"body":"{MARKER}\nold"}},{{"id":2,"body":"a human review"}}]"#),
        ),
        ("POST", "/repos/o/r/pulls/7/reviews") => (200, r#"{"id":3}"#.into()),
        ("GET", "/repos/o/r/pulls/7/reviews/1/comments?per_page=100") => {
            (200, r#"[{"id":11},{"id":12}]"#.into())
        }
        ("DELETE", _) => (204, String::new()),
        ("PUT", "/repos/o/r/pulls/7/reviews/1") => (200, "{}".into()),
        _ => (404, r#"{"message":"Not Found"}"#.into()),
    });
    let outcome = post_review(&target(url), &payload()).unwrap();
    assert_eq!(
        outcome,
        PostOutcome::Posted {
            review_id: 3,
            replaced: 1
        }
    );
    let seen = seen.lock().unwrap().clone();
    let calls: Vec<String> = seen
        .iter()
        .map(|s| format!("{} {}", s.method, s.path))
        .collect();
    assert_eq!(
        calls,
        vec![
            "GET /repos/o/r/pulls/7/reviews?per_page=100&page=1",
            "GET /repos/o/r/pulls/7/reviews/1/comments?per_page=100",
            "POST /repos/o/r/pulls/7/reviews",
            "DELETE /repos/o/r/pulls/comments/11",
            "DELETE /repos/o/r/pulls/comments/12",
            "PUT /repos/o/r/pulls/7/reviews/1",
        ]
    );
    assert!(seen.iter().all(|s| s.auth == "Bearer secret-token"));
    let posted: ReviewPayload = serde_json::from_str(&seen[2].body).unwrap();
    assert_eq!(posted, payload());
    assert!(
        !seen[5].body.contains(MARKER),
        "the replaced review no longer carries the marker"
    );
}

#[test]
fn read_only_token_falls_back_without_touching_anything() {
    let (url, seen) = stand_in(|method, _| match method {
        "GET" => (200, "[]".into()),
        _ => (
            403,
            r#"{"message":"Resource not accessible by integration"}"#.into(),
        ),
    });
    assert_eq!(
        post_review(&target(url), &payload()).unwrap(),
        PostOutcome::ReadOnly
    );
    assert_eq!(seen.lock().unwrap().len(), 2);
}

#[test]
fn errors_never_contain_the_token() {
    let (url, _) = stand_in(|_, _| (500, r#"{"message":"boom"}"#.into()));
    let err: ReviewError = post_review(&target(url), &payload()).unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(text.contains("500") && text.contains("boom"), "{text}");
    assert!(!text.contains("secret-token"));
    assert!(!format!("{:?}", target("x".into())).contains("secret-token"));
}

fn calls(seen: &Arc<Mutex<Vec<Seen>>>) -> Vec<String> {
    seen.lock()
        .unwrap()
        .iter()
        .map(|s| format!("{} {}", s.method, s.path))
        .collect()
}

#[test]
fn an_unchanged_review_is_not_posted_again() {
    let (url, seen) = stand_in(|method, path| match (method, path) {
        ("GET", "/repos/o/r/pulls/7/reviews?per_page=100&page=1") => {
            (200, format!(r#"[{{"id":1,"body":"{MARKER}\nnew"}}]"#))
        }
        ("GET", "/repos/o/r/pulls/7/reviews/1/comments?per_page=100") => (
            200,
            r#"[{"id":11,"path":"book/a.md","line":3,"body":"x"}]"#.into(),
        ),
        _ => (500, "{}".into()),
    });
    let outcome = post_review(&target(url), &payload()).unwrap();
    assert_eq!(outcome, PostOutcome::Unchanged { review_id: 1 });
    assert_eq!(calls(&seen).len(), 2, "only reads");
}

#[test]
fn without_comments_the_newest_review_is_updated_in_place() {
    let (url, seen) = stand_in(|method, path| match (method, path) {
        ("GET", "/repos/o/r/pulls/7/reviews?per_page=100&page=1") => (
            200,
            format!(r#"[{{"id":1,"body":"{MARKER}\nolder"}},{{"id":4,"body":"{MARKER}\nold"}}]"#),
        ),
        ("GET", "/repos/o/r/pulls/7/reviews/4/comments?per_page=100") => {
            (200, r#"[{"id":41}]"#.into())
        }
        ("GET", "/repos/o/r/pulls/7/reviews/1/comments?per_page=100") => (200, "[]".into()),
        ("DELETE", _) => (204, String::new()),
        ("PUT", _) => (200, "{}".into()),
        _ => (500, "{}".into()),
    });
    let mut p = payload();
    p.comments.clear();
    let outcome = post_review(&target(url), &p).unwrap();
    assert_eq!(
        outcome,
        PostOutcome::Updated {
            review_id: 4,
            replaced: 1
        }
    );
    assert_eq!(
        calls(&seen),
        vec![
            "GET /repos/o/r/pulls/7/reviews?per_page=100&page=1",
            "GET /repos/o/r/pulls/7/reviews/4/comments?per_page=100",
            "DELETE /repos/o/r/pulls/comments/41",
            "PUT /repos/o/r/pulls/7/reviews/4",
            "GET /repos/o/r/pulls/7/reviews/1/comments?per_page=100",
            "PUT /repos/o/r/pulls/7/reviews/1",
        ]
    );
    let seen = seen.lock().unwrap();
    assert!(seen[3].body.contains(MARKER) && seen[3].body.contains("new"));
    assert!(!seen[5].body.contains(MARKER));
}

#[test]
fn nothing_to_say_and_nothing_to_replace_posts_nothing() {
    let (url, seen) = stand_in(|_, _| (200, "[]".into()));
    let mut p = payload();
    p.comments = Vec::<ReviewComment>::new();
    assert_eq!(
        post_review(&target(url), &p).unwrap(),
        PostOutcome::NothingToPost
    );
    assert_eq!(calls(&seen).len(), 1);
}
