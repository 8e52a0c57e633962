//! The web checker against a loopback server: every web status, retries,
//! HEAD → GET, redirects, slow hosts.

mod common;

use std::sync::Arc;
use std::time::Duration;

use archmanual_linkrot::{LinkrotConfig, State, Status, WebChecker};
use common::{WebServer, entry, links, run, unused_github, web_options};

#[test]
fn every_web_status_is_produced() {
    let server = WebServer::start(Duration::from_secs(10));
    let u = |path: &str| server.url("web.test", path);
    let urls = vec![
        u("/ok"),
        u("/missing"),
        u("/gone"),
        u("/old"),
        u("/old308#part"),
        u("/temp"),
        u("/chain"),
        u("/moved-to-404"),
        u("/loop"),
        u("/flaky"),
        u("/down"),
        u("/ratelimited"),
        u("/nohead"),
        u("/forbidden"),
        u("/slow"),
        "https://no-such-host.invalid/x".to_owned(),
        "https://excluded.example/private/doc".to_owned(),
        "http://localhost:8080/admin".to_owned(),
    ];
    let config = LinkrotConfig::parse(
        "exclude = [\"https://excluded.example/private/*\"]",
        std::path::Path::new("linkrot.toml"),
    )
    .unwrap();
    let mut options = web_options(Duration::from_millis(1000));
    options.max_retries = 1;
    let web = Arc::new(WebChecker::new(options).unwrap());
    let mut state = State::new();
    let (report, order) = run(
        &links(&urls),
        &config,
        &web,
        &unused_github(),
        &mut state,
        3,
    );
    assert_eq!(order.len(), urls.len(), "one progress call per link");

    let status = |path: &str| entry(&report, &u(path)).status;
    assert_eq!(status("/ok"), Status::Ok);
    assert_eq!(status("/missing"), Status::Broken);
    assert_eq!(status("/gone"), Status::Broken);
    assert!(
        entry(&report, &u("/gone"))
            .detail
            .as_deref()
            .unwrap()
            .contains("410")
    );

    let moved = entry(&report, &u("/old"));
    assert_eq!(moved.status, Status::Moved);
    assert_eq!(moved.canonical.as_deref(), Some(u("/new").as_str()));
    let moved308 = entry(&report, &u("/old308#part"));
    assert_eq!(moved308.status, Status::Moved);
    assert_eq!(
        moved308.canonical.as_deref(),
        Some(format!("{}#part", u("/new")).as_str())
    );

    // A temporary redirect is not a move; the hop is still recorded.
    let temp = entry(&report, &u("/temp"));
    assert_eq!(temp.status, Status::Ok);
    assert_eq!(temp.canonical, None);
    assert!(
        temp.detail.as_deref().unwrap().contains("302 → "),
        "{temp:?}"
    );
    // 301 then 302: the permanent part is the move.
    let chain = entry(&report, &u("/chain"));
    assert_eq!(chain.status, Status::Moved);
    assert_eq!(chain.canonical.as_deref(), Some(u("/temp").as_str()));
    assert!(chain.detail.as_deref().unwrap().contains("301 → "));
    // A permanent redirect to a missing page is broken, with the chain in the detail.
    let to404 = entry(&report, &u("/moved-to-404"));
    assert_eq!(to404.status, Status::Broken);
    assert!(
        to404
            .detail
            .as_deref()
            .unwrap()
            .contains("redirects: 301 → ")
    );
    assert_eq!(status("/loop"), Status::Unreachable);

    // 503 then 200: retried once, then fine.
    assert_eq!(status("/flaky"), Status::Ok);
    assert_eq!(server.hits("ANY /flaky"), 2);
    // Always 503: retried, then unreachable (transient), not broken.
    assert_eq!(status("/down"), Status::Unreachable);
    assert_eq!(server.hits("ANY /down"), 2);
    // 429 asking for an hour: no retry within the run, unreachable.
    assert_eq!(status("/ratelimited"), Status::Unreachable);
    assert_eq!(server.hits("ANY /ratelimited"), 1);
    // HEAD 405 → GET.
    assert_eq!(status("/nohead"), Status::Ok);
    assert_eq!(
        (server.hits("HEAD /nohead"), server.hits("GET /nohead")),
        (1, 1)
    );
    // 403 on HEAD and GET: not rot.
    assert_eq!(status("/forbidden"), Status::Unreachable);
    assert_eq!(server.hits("GET /forbidden"), 1);
    let slow = entry(&report, &u("/slow"));
    assert_eq!(slow.status, Status::Unreachable);
    assert!(
        slow.detail.as_deref().unwrap().contains("timed out"),
        "{slow:?}"
    );

    let dns = entry(&report, "https://no-such-host.invalid/x");
    assert_eq!(dns.status, Status::Broken);
    assert!(
        dns.detail.as_deref().unwrap().contains(
            "host does not resolve: no-such-host.invalid: the .invalid domain never resolves (RFC 6761)"
        ),
        "{dns:?}"
    );
    assert_eq!(
        entry(&report, "https://excluded.example/private/doc").status,
        Status::Skipped
    );
    assert_eq!(
        entry(&report, "http://localhost:8080/admin").status,
        Status::Skipped
    );

    let s = report.summary;
    assert_eq!(s.total, urls.len());
    assert_eq!(
        s.ok + s.broken + s.moved + s.archived + s.unreachable + s.skipped,
        s.total
    );
    assert_eq!((s.broken, s.moved, s.skipped, s.rotted), (4, 3, 2, 0));
}

#[test]
fn one_slow_host_does_not_stall_the_others() {
    // The slow host answers after 30 s; the checker gives up after 800 ms.
    let server = WebServer::start(Duration::from_secs(30));
    let mut urls: Vec<String> = (0..2)
        .map(|i| server.url("slow.test", &format!("/slow?{i}")))
        .collect();
    // Same port, different host name: per-host limits are by host.
    urls.extend((0..12).map(|i| server.url("fast.test", &format!("/ok?{i}"))));
    let mut options = web_options(Duration::from_millis(800));
    options.max_retries = 0;
    // Two slots overall, one per host: if the slow host's queue held global
    // slots, the fast host would wait for every slow timeout.
    options.concurrency = 2;
    options.host_concurrency = 1;
    let web = Arc::new(WebChecker::new(options).unwrap());
    let mut state = State::new();
    let (report, order) = run(
        &links(&urls),
        &LinkrotConfig::default(),
        &web,
        &unused_github(),
        &mut state,
        3,
    );
    for url in &urls {
        let e = entry(&report, url);
        if url.contains("slow.test") {
            assert_eq!(e.status, Status::Unreachable, "{e:?}");
            assert!(
                e.detail
                    .as_deref()
                    .unwrap()
                    .contains("timed out after 800 ms"),
                "{e:?}"
            );
        } else {
            assert_eq!(e.status, Status::Ok, "{e:?}");
        }
    }
    // The fast host finished while the slow one was still working through
    // its queue of timeouts (2 × 800 ms in a row): every fast link is done
    // before the first slow one gives up.
    let first_slow = order.iter().position(|u| u.contains("slow.test")).unwrap();
    let last_fast = order.iter().rposition(|u| u.contains("fast.test")).unwrap();
    assert!(last_fast < first_slow, "completion order: {order:#?}");
}

#[test]
fn dns_failures_everywhere_mean_the_network_is_down_not_the_links() {
    let nx: Vec<String> = ["a", "b", "c"]
        .iter()
        .map(|h| format!("https://{h}.invalid/"))
        .collect();
    let mut options = web_options(Duration::from_secs(3));
    options.max_retries = 1;
    let web = Arc::new(WebChecker::new(options).unwrap());

    // Nothing answered at all: the failures say nothing about the links.
    let mut state = State::new();
    let (report, _) = run(
        &links(&nx),
        &LinkrotConfig::default(),
        &web,
        &unused_github(),
        &mut state,
        1,
    );
    for url in &nx {
        let e = entry(&report, url);
        assert_eq!(e.status, Status::Unreachable, "{e:?}");
        assert!(
            e.detail.as_deref().unwrap().contains("network seems down"),
            "{e:?}"
        );
        assert!(!e.rotted);
    }

    // One server answered (even with an error): the resolver works, the names are gone.
    let server = WebServer::start(Duration::from_secs(1));
    let mut urls = nx.clone();
    urls.push(server.url("web.test", "/down"));
    let mut state = State::new();
    let (report, _) = run(
        &links(&urls),
        &LinkrotConfig::default(),
        &web,
        &unused_github(),
        &mut state,
        1,
    );
    for url in &nx {
        let e = entry(&report, url);
        assert_eq!((e.status, e.rotted), (Status::Broken, true), "{e:?}");
    }
}

#[test]
fn links_to_one_page_share_a_request_and_head_404s_are_confirmed_with_get() {
    let server = WebServer::start(Duration::from_secs(1));
    let u = |path: &str| server.url("web.test", path);
    let urls = vec![
        u("/ok#a"),
        u("/ok#b"),
        u("/old#x"),
        u("/old#y"),
        u("/head404"),
        u("/missing"),
    ];
    let web = Arc::new(WebChecker::new(web_options(Duration::from_secs(3))).unwrap());
    let mut state = State::new();
    let (report, order) = run(
        &links(&urls),
        &LinkrotConfig::default(),
        &web,
        &unused_github(),
        &mut state,
        3,
    );
    assert_eq!(order.len(), 6);
    assert_eq!(server.hits("HEAD /ok"), 1, "one request for both fragments");
    assert_eq!(entry(&report, &u("/ok#a")).status, Status::Ok);
    assert_eq!(entry(&report, &u("/ok#b")).status, Status::Ok);
    assert_eq!(server.hits("HEAD /old"), 1);
    assert_eq!(
        entry(&report, &u("/old#x")).canonical.as_deref(),
        Some(u("/new#x").as_str())
    );
    assert_eq!(
        entry(&report, &u("/old#y")).canonical.as_deref(),
        Some(u("/new#y").as_str())
    );
    // A server that answers HEAD with 404 but GET with 200 is not broken.
    assert_eq!(entry(&report, &u("/head404")).status, Status::Ok);
    assert_eq!(
        (server.hits("HEAD /head404"), server.hits("GET /head404")),
        (1, 1)
    );
    // A real 404 is confirmed by GET before it counts.
    assert_eq!(entry(&report, &u("/missing")).status, Status::Broken);
    assert_eq!(
        (server.hits("HEAD /missing"), server.hits("GET /missing")),
        (1, 1)
    );
}

#[test]
fn retry_after_pauses_the_whole_host() {
    let server = WebServer::start(Duration::from_secs(1));
    let mut urls = vec![server.url("web.test", "/pause")];
    urls.extend((0..4).map(|i| server.url("web.test", &format!("/ok?{i}"))));
    let mut options = web_options(Duration::from_secs(3));
    // One slot: a request already on its way when the 429 came back would
    // otherwise arrive after it without breaking the rule.
    options.host_concurrency = 1;
    let web = Arc::new(WebChecker::new(options).unwrap());
    let mut state = State::new();
    let (report, _) = run(
        &links(&urls),
        &LinkrotConfig::default(),
        &web,
        &unused_github(),
        &mut state,
        3,
    );
    for url in &urls {
        assert_eq!(entry(&report, url).status, Status::Ok, "{url}");
    }
    // After the 429 with `retry-after: 1`, nothing reached the host for a second.
    let log = server.log();
    let (t429, _) = log
        .iter()
        .find(|(_, what)| what.starts_with("answer 429"))
        .expect("the host asked for a pause");
    let later: Vec<&(std::time::Instant, String)> = log
        .iter()
        .filter(|(t, what)| t > t429 && what.starts_with("request"))
        .collect();
    assert!(!later.is_empty(), "the retry came after the pause");
    for (t, what) in later {
        assert!(
            t.duration_since(*t429) >= Duration::from_millis(950),
            "{what} came {:?} after the 429",
            t.duration_since(*t429)
        );
    }
}

#[test]
fn a_dead_host_costs_its_retries_once_not_once_per_link() {
    let blackhole = github_standin::Blackhole::start();
    let refused = github_standin::closed_port();
    let mut urls: Vec<String> = (0..10)
        .map(|i| format!("http://silent.test:{}/p{i}", blackhole.port()))
        .collect();
    urls.extend((0..10).map(|i| format!("http://refused.test:{refused}/p{i}")));
    urls.extend((0..10).map(|i| format!("https://nxdomain.invalid/p{i}")));
    // A live host beside them is not affected.
    let server = WebServer::start(Duration::from_secs(1));
    urls.push(server.url("web.test", "/ok"));
    let mut options = web_options(Duration::from_millis(300));
    options.max_retries = 2;
    options.host_concurrency = 1;
    for host in ["silent.test", "refused.test"] {
        options
            .resolve
            .push((host.to_owned(), std::net::IpAddr::from([127, 0, 0, 1])));
    }
    let web = Arc::new(WebChecker::new(options).unwrap());
    let mut state = State::new();
    let (report, order) = run(
        &links(&urls),
        &LinkrotConfig::default(),
        &web,
        &unused_github(),
        &mut state,
        1,
    );
    assert_eq!(order.len(), urls.len());
    // Three failures in a row, then no more requests: counted at the server.
    assert_eq!(
        blackhole.requests(),
        3,
        "{:?}",
        blackhole.requests_by_host()
    );
    for url in &urls[..20] {
        let e = entry(&report, url);
        assert_eq!((e.status, e.rotted), (Status::Unreachable, false), "{e:?}");
    }
    let skipped = urls[..20]
        .iter()
        .filter(|u| {
            entry(&report, u)
                .detail
                .as_deref()
                .unwrap()
                .contains("not asked again this run")
        })
        .count();
    assert!(skipped >= 14, "{skipped} links answered by the breaker");
    // A name that does not exist stays broken for every link of the host.
    for url in &urls[20..30] {
        let e = entry(&report, url);
        assert_eq!(e.status, Status::Broken, "{e:?}");
        assert!(e.detail.as_deref().unwrap().contains("does not resolve"));
    }
    assert_eq!(entry(&report, &urls[30]).status, Status::Ok);
}
