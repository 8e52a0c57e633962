//! `archmanual refresh`: updates the committed GitHub snapshot
//! (`book/github-repos.json`) from every GitHub link of the book.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use archmanual_github::snapshot::Snapshot;
use archmanual_github::{Client, Config, OwnerStatus, RepoStatus, Targets, update_snapshot};
use archmanual_model::LoadedBook;
use archmanual_preprocessor_kit::ArchPreprocessor;

/// Arguments of `archmanual refresh`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The book's root directory (where book.toml is).
    #[arg(long, default_value = ".")]
    book: PathBuf,
    /// Use the REST API without a token (60 requests/hour; repositories past
    /// the budget keep their old snapshot entry).
    #[arg(long)]
    no_token: bool,
    /// Reuse lookups younger than 24 h from this cache file (and update it).
    #[arg(long)]
    cache: Option<PathBuf>,
    /// No progress output (the summary is still printed).
    #[arg(long, short)]
    quiet: bool,
}

/// What a refresh did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Summary {
    pub(crate) snapshot: PathBuf,
    /// The snapshot file was written.
    pub(crate) written: bool,
    /// Repositories and owners the book links.
    pub(crate) repos: usize,
    pub(crate) owners: usize,
    /// Of those, how many GitHub answered for (the entries written).
    pub(crate) fetched_repos: usize,
    pub(crate) fetched_owners: usize,
    pub(crate) changed: usize,
    pub(crate) unchanged: usize,
    pub(crate) unknown: usize,
    pub(crate) removed: usize,
    pub(crate) requests: u64,
    pub(crate) missing: Vec<String>,
    pub(crate) renamed: Vec<(String, String)>,
    pub(crate) archived: Vec<String>,
    /// Why the first unknown lookup failed.
    pub(crate) unknown_reason: Option<String>,
}

/// How progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ProgressMode {
    /// An indicatif bar on stderr.
    Bar,
    /// Plain `refresh: N/M` lines on stderr (CI, pipes).
    Lines,
    /// Nothing (tests).
    Quiet,
}

pub(crate) fn run(args: Args) -> anyhow::Result<u8> {
    run_with(args, Config::from_env())
}

/// [`run`] with the GitHub client's settings given (tests).
fn run_with(args: Args, mut config: Config) -> anyhow::Result<u8> {
    if config.token.is_none() && !args.no_token {
        anyhow::bail!(
            "`archmanual refresh` needs a GitHub token: set GH_TOKEN or GITHUB_TOKEN, \
             or pass --no-token to use the REST API's 60 requests/hour"
        );
    }
    if args.no_token {
        config.token = None;
    }
    config.cache_path = args.cache;
    let client = Client::new(config)?;
    let mode = if args.quiet {
        ProgressMode::Quiet
    } else if std::io::stderr().is_terminal() && std::env::var_os("CI").is_none() {
        ProgressMode::Bar
    } else {
        ProgressMode::Lines
    };
    let started = Instant::now();
    let summary = refresh(&args.book, &client, mode)?;
    client.save_cache()?;
    for key in &summary.missing {
        eprintln!("missing:  {key} (does not exist or is private)");
    }
    for (old, new) in &summary.renamed {
        eprintln!("renamed:  {old} → {new}");
    }
    for key in &summary.archived {
        eprintln!("archived: {key}");
    }
    let took = started.elapsed().as_secs_f64();
    if summary.written {
        eprintln!(
            "wrote {}: {} of {} repositories and {} of {} owners refreshed ({} changed, {} unchanged), {} unknown (old entry kept), {} removed; {} requests in {took:.1}s",
            summary.snapshot.display(),
            summary.fetched_repos,
            summary.repos,
            summary.fetched_owners,
            summary.owners,
            summary.changed,
            summary.unchanged,
            summary.unknown,
            summary.removed,
            summary.requests,
        );
    } else {
        eprintln!(
            "did not write {}: {}; {} requests in {took:.1}s",
            summary.snapshot.display(),
            if summary.fetched_repos + summary.fetched_owners == 0 {
                format!(
                    "nothing was fetched ({} of {} lookups unknown)",
                    summary.unknown,
                    summary.repos + summary.owners
                )
            } else {
                "nothing changed".to_owned()
            },
            summary.requests,
        );
    }
    if let Some(reason) = &summary.unknown_reason {
        eprintln!(
            "unknown:  {} lookups kept their old entry: {reason}",
            summary.unknown
        );
    }
    Ok(if summary.unknown > 0 { 1 } else { 0 })
}

/// Loads the book at `root`, looks up every linked GitHub repository and
/// owner, and rewrites the snapshot (`[preprocessor.github] snapshot`,
/// default `github-repos.json` in the book's `src`). Unknown results keep
/// their old entries; repositories no longer linked are removed. Nothing is
/// written when GitHub answered nothing (a run with the network down
/// leaves the file as it was, or absent), nor when the text would not change.
pub(crate) fn refresh(root: &Path, client: &Client, mode: ProgressMode) -> anyhow::Result<Summary> {
    // The one loader: reads the book without ever writing into it.
    let book = LoadedBook::load(root)
        .with_context(|| format!("cannot load the book at {}", root.display()))?;
    let github: mdbook_github::GithubConfig =
        book.preprocessor_config(mdbook_github::Github::NAME)?;
    let path = book.src_dir.join(&github.snapshot);
    let urls = mdbook_github::collect_urls(&book.book, &book.options);
    let targets = Targets::from_urls(&urls);
    let existing = Snapshot::load_optional(&path)?;
    let mut snapshot = existing.clone().unwrap_or_default();
    let before = client.stats().requests;
    let progress = progress_reporter(mode, targets.repos.len() + targets.owners.len());
    let lookups = {
        let progress = progress.clone();
        client.lookup_blocking_with_progress(
            &targets.repos,
            &targets.owners,
            move |done, total| {
                progress.report(done, total);
            },
        )?
    };
    progress.finish();
    let fetched_repos = lookups.repos.values().filter(|s| s.is_known()).count();
    let fetched_owners = lookups
        .owners
        .values()
        .filter(|s| !matches!(s, OwnerStatus::Unknown { .. }))
        .count();
    let changes = update_snapshot(&mut snapshot, &lookups, Some(&targets));
    // Only what GitHub said is worth a write: with nothing fetched, pruning
    // alone would rewrite the file from a run that learnt nothing.
    let written = fetched_repos + fetched_owners > 0
        && existing
            .as_ref()
            .is_none_or(|old| old.to_json() != snapshot.to_json());
    if written {
        snapshot.save(&path)?;
    }
    let mut summary = Summary {
        snapshot: path,
        written,
        repos: targets.repos.len(),
        owners: targets.owners.len(),
        fetched_repos,
        fetched_owners,
        changed: changes.changed,
        unchanged: changes.unchanged,
        unknown: changes.kept_unknown.len(),
        removed: changes.removed.len(),
        requests: client.stats().requests - before,
        missing: Vec::new(),
        renamed: Vec::new(),
        archived: Vec::new(),
        unknown_reason: None,
    };
    for (key, status) in &lookups.repos {
        match status {
            RepoStatus::Missing => summary.missing.push(key.clone()),
            RepoStatus::Renamed { new, .. } => summary.renamed.push((key.clone(), new.to_string())),
            _ => {}
        }
        if status.is_archived() {
            summary.archived.push(key.clone());
        }
        if let RepoStatus::Unknown { reason } = status {
            summary.unknown_reason.get_or_insert_with(|| reason.clone());
        }
    }
    Ok(summary)
}

/// Progress output, cheap to clone into the client's callback.
#[derive(Clone)]
struct Reporter {
    mode: ProgressMode,
    bar: Option<indicatif::ProgressBar>,
    last: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

fn progress_reporter(mode: ProgressMode, total: usize) -> Reporter {
    let bar = (mode == ProgressMode::Bar).then(|| {
        let bar = indicatif::ProgressBar::new(total as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} GitHub {bar:30} {pos}/{len} repositories ({elapsed})",
        ) {
            bar.set_style(style);
        }
        bar
    });
    Reporter {
        mode,
        bar,
        last: std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(usize::MAX - 1)),
    }
}

impl Reporter {
    fn report(&self, done: usize, total: usize) {
        match self.mode {
            ProgressMode::Bar => {
                if let Some(bar) = &self.bar {
                    bar.set_length(total as u64);
                    bar.set_position(done as u64);
                }
            }
            ProgressMode::Lines => {
                // About ten lines per run: at each tenth of the way and at the end.
                let step = total.div_ceil(10).max(1);
                let bucket = if done >= total {
                    usize::MAX
                } else {
                    done / step
                };
                let previous = self.last.swap(bucket, std::sync::atomic::Ordering::Relaxed);
                if previous != bucket {
                    eprintln!("refresh: {done}/{total} looked up");
                }
            }
            ProgressMode::Quiet => {}
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use archmanual_github::RepoMeta;
    use archmanual_github::snapshot::SnapshotEntry;
    use github_standin::{Blackhole, Standin, StandinConfig, World, closed_port};

    use super::*;

    fn write_book(root: &Path, pages: &[(&str, &str)]) {
        std::fs::create_dir_all(root.join("src")).unwrap();
        std::fs::write(
            root.join("book.toml"),
            "[book]\ntitle = \"T\"\nsrc = \"src\"\n\n[build]\ncreate-missing = false\n",
        )
        .unwrap();
        let mut summary = String::from("# Summary\n\n");
        for (file, content) in pages {
            summary.push_str(&format!("- [{file}]({file})\n"));
            std::fs::write(root.join("src").join(file), content).unwrap();
        }
        std::fs::write(root.join("src/SUMMARY.md"), summary).unwrap();
    }

    fn client(standin: &Standin) -> Client {
        Client::new(Config {
            api_url: standin.api_url(),
            graphql_url: standin.graphql_url(),
            token: Some("refresh-test-token".into()),
            backoff_base: Duration::from_millis(1),
            backoff_max: Duration::from_millis(5),
            secondary_min_wait: Duration::from_millis(1),
            ..Config::default()
        })
        .unwrap()
        .with_clock(|| std::time::UNIX_EPOCH + Duration::from_secs(1_795_737_600))
    }

    #[test]
    fn refresh_writes_the_snapshot_from_the_books_links() {
        let standin = Standin::start(StandinConfig::default(), World::sample());
        let dir = tempfile::tempdir().unwrap();
        write_book(
            dir.path(),
            &[
                (
                    "mq.md",
                    "# MQ\n\n- [Kafka](https://github.com/apache/kafka) - 流。\n\
                     - [Etcd](https://github.com/coreos/etcd.git) - 键值。\n",
                ),
                (
                    "other.md",
                    "# Other\n\n见 [issue](https://github.com/Apache/Kafka/issues/2)、\
                     [gone](https://github.com/nobody/nothing) 与 [org](https://github.com/apache)。\n\
                     ```\nhttps://github.com/in/code\n```\n",
                ),
            ],
        );
        // An old entry for a repository the book no longer links.
        let mut old = Snapshot::default();
        old.insert_repo(
            "unlinked/repo",
            SnapshotEntry::Missing {
                fetched_at: "2026-01-01T00:00:00Z".into(),
            },
        );
        old.save(&dir.path().join("src/github-repos.json")).unwrap();

        let client = client(&standin);
        let summary = refresh(dir.path(), &client, ProgressMode::Quiet).unwrap();
        assert_eq!((summary.repos, summary.owners), (3, 1));
        assert!(summary.written);
        assert_eq!((summary.fetched_repos, summary.fetched_owners), (3, 1));
        assert_eq!(summary.requests, 1, "one GraphQL batch");
        assert_eq!(summary.removed, 1);
        assert_eq!(summary.missing, ["nobody/nothing"]);
        assert_eq!(
            summary.renamed,
            [("coreos/etcd".to_owned(), "etcd-io/etcd".to_owned())]
        );
        let snap = Snapshot::load(&dir.path().join("src/github-repos.json")).unwrap();
        assert_eq!(snap.stars("apache/kafka"), Some(31_234));
        assert_eq!(snap.stars("coreos/etcd"), Some(48_000));
        assert!(snap.repo("unlinked/repo").is_none());
        assert!(
            snap.repo("in/code").is_none(),
            "links in code are not links"
        );
        assert!(snap.owner("apache").is_some());
        let text = std::fs::read_to_string(dir.path().join("src/github-repos.json")).unwrap();
        assert!(!text.contains("refresh-test-token"));

        // A second refresh changes nothing but `fetched_at`.
        let again = refresh(dir.path(), &client, ProgressMode::Quiet).unwrap();
        assert_eq!((again.changed, again.unchanged), (0, 3));
        assert!(!again.written, "the same text is not written again");
    }

    /// Settings against a dead API: short timeouts, tiny backoff.
    fn dead_config(api: &str, token: bool) -> Config {
        Config {
            api_url: api.to_owned(),
            graphql_url: format!("{api}/graphql"),
            token: token.then(|| "refresh-test-token".into()),
            backoff_base: Duration::from_millis(1),
            backoff_max: Duration::from_millis(5),
            timeout: Duration::from_millis(300),
            connect_timeout: Duration::from_millis(300),
            ..Config::default()
        }
    }

    #[test]
    fn a_dead_api_writes_nothing_and_exits_1() {
        let names = World::generated(400).repo_names();
        let page: String = std::iter::once("# Big\n\n".to_owned())
            .chain(
                names
                    .iter()
                    .map(|r| format!("- [{r}](https://github.com/{r}) - 项目。\n")),
            )
            .collect();
        let blackhole = Blackhole::start();
        let refused = format!("http://127.0.0.1:{}", closed_port());
        let mut runs_at_blackhole = 0;
        for api in [refused, blackhole.url()] {
            for token in [true, false] {
                let dir = tempfile::tempdir().unwrap();
                write_book(dir.path(), &[("big.md", &page)]);
                let path = dir.path().join("src/github-repos.json");
                let args = || Args {
                    book: dir.path().to_path_buf(),
                    no_token: !token,
                    cache: None,
                    quiet: true,
                };
                let what = format!("{api}, token: {token}");
                // No snapshot before: none after, and "nothing refreshed" is exit 1.
                assert_eq!(
                    run_with(args(), dead_config(&api, token)).unwrap(),
                    1,
                    "{what}"
                );
                assert!(!path.exists(), "{what}: no snapshot file appears");
                let summary = refresh(
                    dir.path(),
                    &Client::new(dead_config(&api, token)).unwrap(),
                    ProgressMode::Quiet,
                )
                .unwrap();
                assert_eq!(
                    (summary.written, summary.fetched_repos, summary.unknown),
                    (false, 0, 400),
                    "{what}"
                );
                let reason = summary.unknown_reason.unwrap_or_default();
                assert!(
                    reason.starts_with("GitHub API unreachable: "),
                    "{what}: {reason}"
                );
                // A snapshot before: byte for byte the same after, even the
                // entry for a repository the book no longer links.
                let mut old = Snapshot::default();
                old.insert_repo(
                    &names[0],
                    SnapshotEntry::Found(RepoMeta::new(&names[0], 7, "2026-01-01T00:00:00Z")),
                );
                old.insert_repo(
                    "unlinked/repo",
                    SnapshotEntry::Missing {
                        fetched_at: "2026-01-01T00:00:00Z".into(),
                    },
                );
                old.save(&path).unwrap();
                let before = std::fs::read(&path).unwrap();
                assert_eq!(
                    run_with(args(), dead_config(&api, token)).unwrap(),
                    1,
                    "{what}"
                );
                assert_eq!(std::fs::read(&path).unwrap(), before, "{what}");
                if api == blackhole.url() {
                    runs_at_blackhole += 3;
                }
            }
        }
        // Three attempts per run, then the breaker: counted at the server.
        assert_eq!(blackhole.requests(), 3 * runs_at_blackhole);
    }

    #[test]
    fn cold_refresh_request_bound_and_fault_tolerance() {
        let n = 1_234;
        let world = World::generated(n);
        let page: String = std::iter::once("# Big\n\n".to_owned())
            .chain(
                world
                    .repo_names()
                    .iter()
                    .map(|r| format!("- [{r}](https://github.com/{r}) - 项目。\n")),
            )
            .collect();
        let snapshot_after = |config: StandinConfig| {
            let standin = Standin::start(config, world.clone());
            let dir = tempfile::tempdir().unwrap();
            write_book(dir.path(), &[("big.md", &page)]);
            let summary = refresh(dir.path(), &client(&standin), ProgressMode::Quiet).unwrap();
            let text = std::fs::read_to_string(dir.path().join("src/github-repos.json")).unwrap();
            (summary, text)
        };
        let (clean, clean_text) = snapshot_after(StandinConfig::default());
        assert_eq!(clean.repos, n);
        assert!(
            clean.requests <= (n as u64).div_ceil(100) + 2,
            "{}",
            clean.requests
        );
        let (noisy, noisy_text) = snapshot_after(StandinConfig {
            fail_every: 5,
            secondary_every: 7,
            ..StandinConfig::default()
        });
        assert!(noisy.requests > clean.requests, "faults were injected");
        assert_eq!(noisy.unknown, 0);
        assert_eq!(clean_text, noisy_text);
    }
}
