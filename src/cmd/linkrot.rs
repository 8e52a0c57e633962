//! `archmanual linkrot`: check every external link of the book, keep each
//! link's history across runs, and write the JSON and Markdown reports.

use std::io::IsTerminal;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use archmanual_linkrot::{
    LinkrotConfig, MAX_MARKDOWN_BYTES, Options, Progress as Event, Report, RotRule, State, Status,
    WebChecker, WebOptions, check_blocking, collect_links, load_book, render_markdown,
};
use time::OffsetDateTime;

/// A GitHub issue body holds at most 65,536 characters.
const ISSUE_BODY_BYTES: usize = 65_000;

/// Arguments of `archmanual linkrot`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The book's root directory (where book.toml is; `linkrot.toml` is read from here too).
    #[arg(long, default_value = ".")]
    book: PathBuf,
    /// Write the JSON report to FILE.
    #[arg(long, value_name = "FILE")]
    report_json: Option<PathBuf>,
    /// Write the Markdown report to FILE (under 1 MiB, fit for $GITHUB_STEP_SUMMARY).
    #[arg(long, value_name = "FILE")]
    report_md: Option<PathBuf>,
    /// Also write the Markdown report cut to fit a GitHub issue body (65,000 bytes).
    #[arg(long, value_name = "FILE")]
    issue_md: Option<PathBuf>,
    /// The history across runs (read, then rewritten). Without it every run is the first.
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// The GitHub lookup cache (entries stay fresh for 24 hours).
    #[arg(long, value_name = "FILE")]
    cache: Option<PathBuf>,
    /// Consecutive broken runs before a link counts as rotted…
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
    rot_after: u32,
    /// …and the days those runs must span, from the first to the latest (0: runs alone decide).
    #[arg(long, value_name = "DAYS", default_value_t = 7)]
    rot_min_days: u32,
    /// Timeout of one HTTP request, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=600))]
    timeout: u64,
    /// Resolve HOST to ADDR instead of asking DNS (repeatable; like curl's --resolve).
    #[arg(long, value_name = "HOST=ADDR", value_parser = parse_resolve)]
    resolve: Vec<(String, IpAddr)>,
}

fn parse_resolve(text: &str) -> Result<(String, IpAddr), String> {
    let (host, addr) = text
        .split_once('=')
        .ok_or_else(|| format!("expected HOST=ADDR, e.g. example.com=127.0.0.1, not {text:?}"))?;
    let addr = addr
        .trim()
        .parse::<IpAddr>()
        .map_err(|e| format!("{addr:?} is not an IP address: {e}"))?;
    Ok((host.trim().to_ascii_lowercase(), addr))
}

pub(crate) fn run(args: Args) -> anyhow::Result<u8> {
    run_with(
        args,
        archmanual_github::Config::from_env(),
        OffsetDateTime::now_utc(),
    )
}

/// [`run`] with the GitHub client's settings and the clock given (tests).
fn run_with(
    args: Args,
    mut github: archmanual_github::Config,
    now: OffsetDateTime,
) -> anyhow::Result<u8> {
    let book = load_book(&args.book)?;
    let links = collect_links(&book.model, &book.src);
    let config = LinkrotConfig::load(&args.book)?;

    let mut web = WebOptions::from_config(&config);
    web.timeout = Duration::from_secs(args.timeout);
    web.resolve.clone_from(&args.resolve);
    let web = Arc::new(WebChecker::new(web)?);

    github.cache_path = args.cache.clone();
    let has_token = github.token.is_some();
    let github = archmanual_github::Client::new(github)?;

    let mut state = match &args.state {
        Some(path) => State::load(path)?,
        None => State::new(),
    };

    if !has_token {
        eprintln!(
            "note: no GITHUB_TOKEN: GitHub links are checked over REST (60 requests/hour); \
             those beyond the budget are reported as unreachable, never as broken"
        );
    }
    let total = links.len();
    let mut progress = Progress::new(total);
    let options = Options {
        rule: RotRule {
            runs: args.rot_after,
            min_days: args.rot_min_days,
        },
        now,
    };
    let report = check_blocking(
        &links,
        &config,
        web,
        &github,
        &mut state,
        &options,
        &mut |p| progress.tick(p),
    )?;
    progress.finish();

    if let Some(path) = &args.state {
        state.save(path)?;
    }
    github.save_cache()?;
    if let Some(path) = &args.report_json {
        write(path, &report.to_json())?;
    }
    if let Some(path) = &args.report_md {
        write(path, &render_markdown(&report, MAX_MARKDOWN_BYTES))?;
    }
    if let Some(path) = &args.issue_md {
        write(path, &render_markdown(&report, ISSUE_BODY_BYTES))?;
    }

    print_findings(&report);
    Ok(u8::from(report.summary.rotted > 0))
}

fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("{}: could not create", dir.display()))?;
    }
    std::fs::write(path, text)
        .with_context(|| format!("{}: could not write the report", path.display()))
}

/// Rotted, moved and archived links with their positions, then the counts.
fn print_findings(report: &Report) {
    for link in &report.links {
        let what = match (link.rotted, link.status) {
            (true, _) => "rotted",
            (false, Status::Moved) => "moved",
            (false, Status::Archived) => "archived",
            _ => continue,
        };
        let mut message = format!("{what}: {}", link.url);
        if let Some(since) = &link.failing_since {
            message.push_str(&format!(" (broken since {since})"));
        }
        if let Some(canonical) = &link.canonical {
            message.push_str(&format!(" → {canonical}"));
        }
        if let Some(detail) = &link.detail {
            message.push_str(&format!(": {detail}"));
        }
        for o in &link.occurrences {
            println!("{}:{}:{}: {message}", o.file, o.line, o.column);
        }
    }
    let s = &report.summary;
    println!(
        "{} links: {} ok, {} broken, {} moved, {} archived, {} unreachable, {} skipped; {} rotted ({})",
        s.total,
        s.ok,
        s.broken,
        s.moved,
        s.archived,
        s.unreachable,
        s.skipped,
        s.rotted,
        report.rule.describe()
    );
}

/// A progress bar on a terminal; plain lines (every 10 %) in CI and logs.
enum Progress {
    Bar(indicatif::ProgressBar),
    Lines {
        total: usize,
        next: usize,
        github_next: usize,
    },
}

impl Progress {
    fn new(total: usize) -> Progress {
        let interactive = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        if interactive {
            let bar = indicatif::ProgressBar::new(total as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{spinner} checking links {bar:40} {pos}/{len} ({elapsed}) {msg}",
            ) {
                bar.set_style(style);
            }
            Progress::Bar(bar)
        } else {
            eprintln!("linkrot: checking {total} links");
            Progress::Lines {
                total,
                next: step(total),
                github_next: 0,
            }
        }
    }

    fn tick(&mut self, event: Event<'_>) {
        match (self, event) {
            (Progress::Bar(bar), Event::Link { done, .. }) => bar.set_position(done as u64),
            (Progress::Bar(bar), Event::Github { done, total }) => {
                bar.set_message(format!("GitHub lookups {done}/{total}"));
            }
            (Progress::Lines { total, next, .. }, Event::Link { done, .. }) => {
                if done >= *next && done < *total {
                    eprintln!("linkrot: {done}/{total} links checked");
                    *next = done + step(*total);
                }
            }
            (Progress::Lines { github_next, .. }, Event::Github { done, total }) => {
                if done >= *github_next {
                    eprintln!("linkrot: GitHub lookups {done}/{total}");
                    *github_next = done + step(total);
                }
            }
        }
    }

    fn finish(self) {
        match self {
            Progress::Bar(bar) => bar.finish_and_clear(),
            Progress::Lines { total, .. } => eprintln!("linkrot: {total}/{total} links checked"),
        }
    }
}

fn step(total: usize) -> usize {
    (total / 10).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book(dir: &Path, page: &str) {
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::write(
            dir.join("book.toml"),
            "[book]\ntitle = \"t\"\nsrc = \"src\"\n",
        )
        .unwrap();
        std::fs::write(dir.join("src/SUMMARY.md"), "# Summary\n\n- [A](a.md)\n").unwrap();
        std::fs::write(dir.join("src/a.md"), page).unwrap();
    }

    /// Arguments for a test run; `rot_after` runs rot a link, however close together.
    fn args(dir: &Path, rot_after: u32) -> Args {
        Args {
            book: dir.to_path_buf(),
            report_json: Some(dir.join("out/linkrot.json")),
            report_md: Some(dir.join("out/linkrot.md")),
            issue_md: Some(dir.join("out/issue.md")),
            state: Some(dir.join("state.json")),
            cache: Some(dir.join("cache.json")),
            rot_after,
            rot_min_days: 0,
            timeout: 2,
            resolve: Vec::new(),
        }
    }

    fn report(dir: &Path) -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join("out/linkrot.json")).unwrap())
            .unwrap()
    }

    #[test]
    fn rot_needs_a_week_of_failing_runs_by_default() {
        let dir = tempfile::tempdir().unwrap();
        book(
            dir.path(),
            "# A\n\n见 [死链](https://gone.invalid/page)。\n",
        );
        std::fs::write(dir.path().join("linkrot.toml"), "max-retries = 0\n").unwrap();
        let defaults = |dir: &Path| Args {
            rot_after: 3,
            rot_min_days: 7,
            ..args(dir, 3)
        };
        let day = |d: u8, h: u8| {
            time::Date::from_calendar_date(2026, time::Month::November, d)
                .unwrap()
                .with_hms(h, 0, 0)
                .unwrap()
                .assume_utc()
        };
        let github = archmanual_github::Config::default();
        // Three failing runs within one day: not rotted.
        for hour in [9, 12, 15] {
            let code = run_with(defaults(dir.path()), github.clone(), day(2, hour)).unwrap();
            assert_eq!(code, 0, "hour {hour}");
        }
        assert_eq!(report(dir.path())["links"][0]["rotted"], false);
        // Three failing runs a week apart: rotted, since the first.
        std::fs::remove_file(dir.path().join("state.json")).unwrap();
        let codes: Vec<u8> = [1, 8, 15]
            .iter()
            .map(|d| run_with(defaults(dir.path()), github.clone(), day(*d, 3)).unwrap())
            .collect();
        assert_eq!(codes, [0, 0, 1]);
        let json = report(dir.path());
        assert_eq!(json["links"][0]["rotted"], true);
        assert_eq!(json["links"][0]["failing_since"], "2026-11-01T03:00:00Z");
        assert_eq!(json["rule"]["runs"], 3);
        assert_eq!(json["rule"]["min-days"], 7);
        let md = std::fs::read_to_string(dir.path().join("out/linkrot.md")).unwrap();
        assert!(md.contains("broken since 2026-11-01"), "{md}");
        assert!(
            md.contains("(broken in 3 consecutive runs over at least 7 days)"),
            "{md}"
        );
    }

    #[test]
    fn a_dead_network_finishes_with_everything_unreachable_and_nothing_rotted() {
        use github_standin::{Blackhole, closed_port};
        let mut page = String::from("# Dead\n\n");
        for i in 0..400 {
            page.push_str(&format!(
                "- [r{i}](https://github.com/org{}/repo{i})\n",
                i % 50
            ));
        }
        let blackhole = Blackhole::start();
        let refused = closed_port();
        for (port, answers_nothing) in [(refused, false), (blackhole.port(), true)] {
            let hosts: Vec<String> = (0..10).map(|h| format!("dead{h}.test")).collect();
            let mut page = page.clone();
            for i in 0..100 {
                page.push_str(&format!(
                    "- [w{i}](http://{}:{port}/page{i})\n",
                    hosts[i % 10]
                ));
            }
            for token in [false, true] {
                let dir = tempfile::tempdir().unwrap();
                book(dir.path(), &page);
                let before = blackhole.requests_by_host();
                let api = format!("http://127.0.0.1:{port}");
                let github = archmanual_github::Config {
                    api_url: api.clone(),
                    graphql_url: format!("{api}/graphql"),
                    token: token.then(|| "linkrot-test-token".into()),
                    backoff_base: Duration::from_millis(1),
                    backoff_max: Duration::from_millis(5),
                    timeout: Duration::from_millis(300),
                    connect_timeout: Duration::from_millis(300),
                    ..archmanual_github::Config::default()
                };
                let args = Args {
                    timeout: 1,
                    resolve: hosts
                        .iter()
                        .map(|h| (h.clone(), IpAddr::from([127, 0, 0, 1])))
                        .collect(),
                    ..args(dir.path(), 1)
                };
                let what = format!("port {port}, token: {token}");
                let code = run_with(args, github, OffsetDateTime::now_utc()).unwrap();
                assert_eq!(code, 0, "{what}");
                let json = report(dir.path());
                let links = json["links"].as_array().unwrap();
                assert_eq!(links.len(), 500, "{what}");
                for link in links {
                    assert_eq!(link["status"], "unreachable", "{what}: {link}");
                    assert_eq!(link["rotted"], false, "{what}: {link}");
                }
                assert_eq!(json["summary"]["rotted"], 0);
                let md = std::fs::read_to_string(dir.path().join("out/linkrot.md")).unwrap();
                assert!(md.contains("GitHub API unreachable (400)"), "{what}: {md}");
                if answers_nothing {
                    // Counted at the server: a handful per dead host.
                    let after = blackhole.requests_by_host();
                    for host in &hosts {
                        let key = format!("{host}:{port}");
                        let n = after.get(&key).copied().unwrap_or(0)
                            - before.get(&key).copied().unwrap_or(0);
                        assert!((1..=4).contains(&n), "{what}: {n} requests to {host}");
                    }
                    let api_key = format!("127.0.0.1:{port}");
                    let n = after.get(&api_key).copied().unwrap_or(0)
                        - before.get(&api_key).copied().unwrap_or(0);
                    assert_eq!(n, 3, "{what}: GitHub API requests");
                }
            }
        }
    }

    #[test]
    fn exit_code_says_whether_something_rotted_and_reports_are_written() {
        let dir = tempfile::tempdir().unwrap();
        // `.invalid` never resolves: broken in every run, without any network.
        book(
            dir.path(),
            "# A\n\n见 [死链](https://gone.invalid/page)。\n",
        );
        std::fs::write(
            dir.path().join("linkrot.toml"),
            "max-retries = 0\nexclude = [\"https://skip.invalid/*\"]\n",
        )
        .unwrap();
        assert_eq!(
            run(args(dir.path(), 2)).unwrap(),
            0,
            "broken once: not rotted yet"
        );
        assert_eq!(run(args(dir.path(), 2)).unwrap(), 1, "broken twice: rotted");

        let json: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(dir.path().join("out/linkrot.json")).unwrap(),
        )
        .unwrap();
        let link = &json["links"][0];
        assert_eq!(link["url"], "https://gone.invalid/page");
        assert_eq!(link["rotted"], true);
        assert_eq!(link["occurrences"][0]["file"], "src/a.md");
        assert_eq!(link["occurrences"][0]["line"], 3);
        let md = std::fs::read_to_string(dir.path().join("out/linkrot.md")).unwrap();
        assert!(md.contains("#### `src/a.md`"), "{md}");
        assert!(std::fs::read_to_string(dir.path().join("out/issue.md")).unwrap() == md);
        let state = State::load(&dir.path().join("state.json")).unwrap();
        assert_eq!(state.runs, 2);
    }

    #[test]
    fn a_clean_book_exits_0_and_a_missing_book_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        book(
            dir.path(),
            "# A\n\n[跳过](https://skip.invalid/x) 与 [本地](a.md)\n",
        );
        std::fs::write(
            dir.path().join("linkrot.toml"),
            "exclude = [\"https://skip.invalid/*\"]\n",
        )
        .unwrap();
        assert_eq!(run(args(dir.path(), 1)).unwrap(), 0);
        // What main prints after `error: `: our words, then the cause.
        let err = run(args(&dir.path().join("nowhere"), 1)).unwrap_err();
        let shown = format!("{err:#}");
        assert!(shown.contains("could not load the book"), "{shown}");
        assert!(
            shown.contains("nowhere/src/SUMMARY.md: cannot read it"),
            "{shown}"
        );
        assert!(shown.contains("No such file or directory"), "{shown}");
        std::fs::write(
            dir.path().join("state.json"),
            "{\"version\": 1,\n  \"runs\": x}\n",
        )
        .unwrap();
        let shown = format!("{:#}", run(args(dir.path(), 1)).unwrap_err());
        assert!(
            shown.contains("state.json: not a link-rot state file"),
            "{shown}"
        );
        assert!(shown.ends_with("at line 2 column 11"), "{shown}");
        std::fs::remove_file(dir.path().join("state.json")).unwrap();
        std::fs::write(dir.path().join("linkrot.toml"), "unknown-key = 1\n").unwrap();
        let shown = format!("{:#}", run(args(dir.path(), 1)).unwrap_err());
        assert!(
            shown.contains("linkrot.toml: invalid link-rot configuration: "),
            "{shown}"
        );
        assert!(shown.contains("unknown field `unknown-key`"), "{shown}");
        assert!(shown.contains("line 1, column 1"), "{shown}");
        std::fs::remove_file(dir.path().join("linkrot.toml")).unwrap();
        std::fs::create_dir(dir.path().join("linkrot.toml")).unwrap();
        let shown = format!("{:#}", run(args(dir.path(), 1)).unwrap_err());
        assert!(shown.contains("linkrot.toml: could not read: "), "{shown}");
    }
}
