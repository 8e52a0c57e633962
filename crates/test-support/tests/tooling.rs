//! The server, the client and the browser against each other, on loopback.

use std::time::{Duration, Instant};

use archmanual_test_support::{Browser, Server, StaticServer, copy_dir_except, get, reply, send};
use serde_json::json;

#[test]
fn a_handler_sees_method_path_and_headers_and_may_wait() {
    let server = Server::start(|request| async move {
        if request.uri().path() == "/slow" {
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        let token = request
            .headers()
            .get("authorization")
            .map(|v| v.to_str().unwrap_or("").to_owned())
            .unwrap_or_default();
        let body = format!("{} {} {token}", request.method(), request.uri());
        reply(201, &[("x-seen", "yes")], body)
    });
    let url = format!("{}slow?q=1", server.base());
    let (slow, fast) = std::thread::scope(|s| {
        let slow = s.spawn(|| get(&url));
        std::thread::sleep(Duration::from_millis(50));
        // Answered while /slow still waits.
        let started = Instant::now();
        let fast = send(
            "POST",
            &format!("{}fast", server.base()),
            &[("authorization", "bearer t")],
            "{}",
        );
        assert!(started.elapsed() < Duration::from_millis(250));
        (slow.join().unwrap(), fast)
    });
    assert_eq!(slow.status, 201);
    assert_eq!(slow.body, "GET /slow?q=1 ");
    assert_eq!(fast.body, "POST /fast bearer t");
    assert_eq!(fast.header("X-Seen"), Some("yes"));
}

#[test]
fn copies_leave_out_the_named_directories_at_any_depth() {
    let from = tempfile::tempdir().unwrap();
    for dir in ["book/out", "book/ch/out", "book/ch/keep"] {
        std::fs::create_dir_all(from.path().join(dir)).unwrap();
        std::fs::write(from.path().join(dir).join("f.md"), dir).unwrap();
    }
    let to = tempfile::tempdir().unwrap();
    copy_dir_except(from.path(), to.path(), &["out"]);
    assert!(!to.path().join("book/out").exists());
    assert!(!to.path().join("book/ch/out").exists());
    let kept = std::fs::read_to_string(to.path().join("book/ch/keep/f.md")).unwrap();
    assert_eq!(kept, "book/ch/keep");
}

#[test]
#[ignore = "needs Chromium"]
fn the_browser_runs_scripts_types_and_takes_screenshots() {
    let site = tempfile::tempdir().unwrap();
    std::fs::write(
        site.path().join("index.html"),
        "<!doctype html><meta charset=utf-8><title>t</title>\
         <input id=q><script>document.addEventListener('keydown', e => \
         document.title += e.key);</script>",
    )
    .unwrap();
    let server = StaticServer::start(site.path());
    let browser = Browser::start();
    browser.set_window(400, 600);
    browser.goto(&format!("{}index.html#top", server.base()));
    assert_eq!(browser.url(), format!("{}index.html#top", server.base()));
    assert_eq!(
        browser.js("return arguments[0] + arguments[1];", json!([2, 3])),
        json!(5)
    );
    let later = browser.js_async(
        "await new Promise(r => setTimeout(r, 50)); return arguments[0];",
        json!(["done"]),
    );
    assert_eq!(later, json!("done"));
    browser.send_keys("#q", "分布式\u{E015}");
    assert_eq!(
        browser.js("return document.getElementById('q').value;", json!([])),
        json!("分布式")
    );
    browser.js("document.activeElement.blur();", json!([]));
    // Non-ASCII text arrives as input without key events; keys do fire them.
    browser.press("ab");
    assert_eq!(
        browser.wait_for("document.title.endsWith('ab') && document.title", "keys"),
        json!("tArrowDownab")
    );
    assert_eq!(browser.js("return innerWidth;", json!([])), json!(400));
    let png = browser.screenshot();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
}
