//! One run: classify every link, check GitHub links through the client and
//! web links over HTTP at the same time, fold the results into the history.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::net::IpAddr;
use std::sync::Arc;

use archmanual_github::{Client, GithubLink, Targets};
use reqwest::Url;
use time::OffsetDateTime;
use tokio::task::JoinSet;

use crate::github::{self, GithubOutcome};
use crate::state::{RotRule, timestamp};
use crate::web::with_fragment;
use crate::{
    CollectedLink, LinkKind, LinkReport, LinkrotConfig, LinkrotError, Report, State, Status,
    Summary, WebChecker, WebOutcome,
};

/// Settings of one run.
#[derive(Debug, Clone)]
pub struct Options {
    /// When a link counts as rotted.
    pub rule: RotRule,
    /// The run's time (recorded in the state and the report; the clock
    /// the rot rule's minimum time is measured with).
    pub now: OffsetDateTime,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            rule: RotRule::default(),
            now: OffsetDateTime::now_utc(),
        }
    }
}

/// Progress of a run.
#[derive(Debug, Clone, Copy)]
pub enum Progress<'a> {
    /// A link finished checking.
    Link {
        /// Links finished so far.
        done: usize,
        /// Links in this run.
        total: usize,
        /// The link that finished.
        url: &'a str,
        /// Its status.
        status: Status,
    },
    /// GitHub lookups (distinct repositories and owners) so far; the GitHub
    /// links finish together when the lookups are done.
    Github {
        /// Lookups done (cache hits included).
        done: usize,
        /// Lookups in this run.
        total: usize,
    },
}

/// How one link is checked.
enum Plan {
    Skip(LinkKind, String),
    Github(GithubLink),
    Web,
}

struct Verdict {
    kind: LinkKind,
    status: Status,
    canonical: Option<String>,
    detail: Option<String>,
    repo: Option<String>,
    stars: Option<u64>,
    dns_failure: bool,
    responded: bool,
}

impl Verdict {
    /// A link not checked, and why.
    fn skipped(kind: LinkKind, why: &str) -> Verdict {
        Verdict::undecided(kind, Status::Skipped, why)
    }

    /// A link whose check did not finish (its task panicked).
    fn unfinished(plan: &Plan) -> Verdict {
        let kind = match plan {
            Plan::Github(gl) => github::kind_of(gl),
            Plan::Skip(kind, _) => *kind,
            Plan::Web => LinkKind::Web,
        };
        Verdict::undecided(
            kind,
            Status::Unreachable,
            "the check did not finish (internal error)",
        )
    }

    fn undecided(kind: LinkKind, status: Status, detail: &str) -> Verdict {
        Verdict {
            kind,
            status,
            canonical: None,
            detail: Some(detail.to_owned()),
            repo: None,
            stars: None,
            dns_failure: false,
            responded: false,
        }
    }

    /// The verdict on a web link from its page's outcome; `fragment` is
    /// the link's own, kept on a moved page's new address.
    fn web(outcome: &WebOutcome, fragment: Option<&str>) -> Verdict {
        Verdict {
            kind: LinkKind::Web,
            status: outcome.status,
            canonical: outcome
                .canonical
                .as_deref()
                .map(|c| with_fragment(c, fragment)),
            detail: outcome.detail.clone(),
            repo: None,
            stars: None,
            dns_failure: outcome.dns_failure,
            responded: outcome.responded,
        }
    }

    fn github(link: &GithubLink, o: GithubOutcome) -> Verdict {
        Verdict {
            kind: github::kind_of(link),
            status: o.status,
            canonical: o.canonical,
            detail: o.detail,
            repo: o.repo,
            stars: o.stars,
            dns_failure: false,
            responded: false,
        }
    }
}

enum Done {
    Web(usize, WebOutcome),
    Github(archmanual_github::Lookups),
}

/// The verdicts of a run so far; each one decided is reported as progress.
struct Verdicts<'a, 'p> {
    links: &'a [CollectedLink],
    verdicts: Vec<Option<Verdict>>,
    done: usize,
    progress: &'p mut dyn FnMut(Progress<'_>),
}

impl Verdicts<'_, '_> {
    fn decide(&mut self, i: usize, verdict: Verdict) {
        let status = verdict.status;
        self.verdicts[i] = Some(verdict);
        self.done += 1;
        (self.progress)(Progress::Link {
            done: self.done,
            total: self.links.len(),
            url: &self.links[i].url,
            status,
        });
    }

    fn is_decided(&self, i: usize) -> bool {
        self.verdicts[i].is_some()
    }
}

/// Checks `links`, records the run in `state` and returns the report.
/// `progress` is called once per finished link and as GitHub lookups
/// advance. Must run inside a tokio runtime (see [`check_blocking`]). The
/// GitHub client's cache is not saved here (call [`Client::save_cache`]).
pub async fn check(
    links: &[CollectedLink],
    config: &LinkrotConfig,
    web: Arc<WebChecker>,
    github: &Client,
    state: &mut State,
    options: &Options,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Report {
    let plans: Vec<Plan> = links.iter().map(|l| plan(&l.url, config)).collect();
    let mut tasks: JoinSet<Done> = JoinSet::new();
    let mut github_rx = spawn_github_lookups(&mut tasks, links, &plans, github);
    let pages = spawn_web_checks(&mut tasks, links, &plans, &web);
    let mut verdicts = Verdicts {
        links,
        verdicts: (0..links.len()).map(|_| None).collect(),
        done: 0,
        progress,
    };
    decide_without_requests(&mut verdicts, &plans);
    loop {
        let joined = tokio::select! {
            Some((done, total)) = github_rx.recv() => {
                (verdicts.progress)(Progress::Github { done, total });
                continue;
            }
            joined = tasks.join_next() => match joined {
                Some(joined) => joined,
                None => break,
            },
        };
        match joined {
            Ok(Done::Web(p, outcome)) => {
                for &i in &pages[p].1 {
                    let fragment = links[i].url.trim().split_once('#').map(|(_, f)| f);
                    verdicts.decide(i, Verdict::web(&outcome, fragment));
                }
            }
            Ok(Done::Github(lookups)) => {
                // Every tick was sent before the lookup task finished; the
                // select above may not have delivered them all yet.
                while let Ok((done, total)) = github_rx.try_recv() {
                    (verdicts.progress)(Progress::Github { done, total });
                }
                for (i, plan) in plans.iter().enumerate() {
                    let Plan::Github(gl) = plan else { continue };
                    if !verdicts.is_decided(i) {
                        let outcome = github::outcome(&links[i].url, gl, &lookups);
                        verdicts.decide(i, Verdict::github(gl, outcome));
                    }
                }
            }
            // A panicked task leaves its links undecided: reported below as unreachable.
            Err(_) => {}
        }
    }
    let mut verdicts = verdicts.verdicts;
    downgrade_if_resolver_is_down(&mut verdicts, links);
    report(links, &plans, verdicts, state, options)
}

/// Starts the GitHub lookups of every GitHub link, if there are any; their
/// progress ticks `(done, total)` come through the receiver.
fn spawn_github_lookups(
    tasks: &mut JoinSet<Done>,
    links: &[CollectedLink],
    plans: &[Plan],
    github: &Client,
) -> tokio::sync::mpsc::UnboundedReceiver<(usize, usize)> {
    let github_urls = links
        .iter()
        .zip(plans)
        .filter(|(_, p)| matches!(p, Plan::Github(_)))
        .map(|(l, _)| l.url.as_str());
    let targets = Targets::from_urls(github_urls);
    let (github_tx, github_rx) = tokio::sync::mpsc::unbounded_channel::<(usize, usize)>();
    if !targets.repos.is_empty() || !targets.owners.is_empty() {
        let client = github.clone();
        tasks.spawn(async move {
            let tick = move |done, total| {
                let _ = github_tx.send((done, total));
            };
            Done::Github(
                client
                    .lookup_with_progress(&targets.repos, &targets.owners, tick)
                    .await,
            )
        });
    }
    github_rx
}

/// Starts one check per web page: links that differ only in their
/// fragment share it. Returns each page with the indices of its links.
fn spawn_web_checks(
    tasks: &mut JoinSet<Done>,
    links: &[CollectedLink],
    plans: &[Plan],
    web: &Arc<WebChecker>,
) -> Vec<(String, Vec<usize>)> {
    let mut pages: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, (link, plan)) in links.iter().zip(plans).enumerate() {
        if matches!(plan, Plan::Web) {
            pages
                .entry(without_fragment(&link.url))
                .or_default()
                .push(i);
        }
    }
    let pages: Vec<(String, Vec<usize>)> = pages
        .into_iter()
        .map(|(page, ix)| (page.to_owned(), ix))
        .collect();
    for (p, (page, _)) in pages.iter().enumerate() {
        let web = Arc::clone(web);
        let page = page.clone();
        tasks.spawn(async move { Done::Web(p, web.check(&page).await) });
    }
    pages
}

/// Decides the links skipped by the configuration, then the GitHub links
/// with nothing to look up (gists, site sections).
fn decide_without_requests(verdicts: &mut Verdicts<'_, '_>, plans: &[Plan]) {
    for (i, plan) in plans.iter().enumerate() {
        if let Plan::Skip(kind, why) = plan {
            verdicts.decide(i, Verdict::skipped(*kind, why));
        }
    }
    let no_lookup = Default::default();
    for (i, plan) in plans.iter().enumerate() {
        if let Plan::Github(gl @ GithubLink::Other { repo: None, .. }) = plan {
            let outcome = github::outcome(&verdicts.links[i].url, gl, &no_lookup);
            verdicts.decide(i, Verdict::github(gl, outcome));
        }
    }
}

/// Records the verdicts in `state` and writes the report, sorted by URL.
fn report(
    links: &[CollectedLink],
    plans: &[Plan],
    verdicts: Vec<Option<Verdict>>,
    state: &mut State,
    options: &Options,
) -> Report {
    let now = timestamp(options.now);
    let mut reports: Vec<LinkReport> = Vec::with_capacity(links.len());
    for ((link, verdict), plan) in links.iter().zip(verdicts).zip(plans) {
        let v = verdict.unwrap_or_else(|| Verdict::unfinished(plan));
        let (rotted, failing_since) = state.record(&link.url, v.status, options.now, options.rule);
        reports.push(LinkReport {
            url: link.url.clone(),
            kind: v.kind,
            status: v.status,
            rotted,
            failing_since,
            occurrences: link.occurrences.clone(),
            repo: v.repo,
            stars: v.stars,
            canonical: v.canonical,
            detail: v.detail,
        });
    }
    let current: BTreeSet<&str> = links.iter().map(|l| l.url.as_str()).collect();
    state.finish_run(&current, &now);
    reports.sort_by(|a, b| a.url.cmp(&b.url));
    Report {
        version: 1,
        generated_at: now,
        rule: options.rule,
        summary: Summary::of(&reports),
        links: reports,
    }
}

/// [`check`] on a runtime of its own, for callers without one.
pub fn check_blocking(
    links: &[CollectedLink],
    config: &LinkrotConfig,
    web: Arc<WebChecker>,
    github: &Client,
    state: &mut State,
    options: &Options,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<Report, LinkrotError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(LinkrotError::Runtime)?;
    Ok(runtime.block_on(check(links, config, web, github, state, options, progress)))
}

fn without_fragment(url: &str) -> &str {
    let url = url.trim();
    url.split_once('#').map_or(url, |(page, _)| page)
}

fn plan(url: &str, config: &LinkrotConfig) -> Plan {
    let parsed = Url::parse(url.trim()).ok();
    let host = parsed
        .as_ref()
        .and_then(Url::host_str)
        .map(str::to_ascii_lowercase);
    let gh = archmanual_github::classify(url);
    let kind = gh.as_ref().map_or(LinkKind::Web, github::kind_of);
    if let Some(why) = config.excluded(url, host.as_deref()) {
        return Plan::Skip(kind, why);
    }
    let Some(parsed) = parsed else {
        return Plan::Skip(kind, "not a valid URL; fix the link".into());
    };
    if is_local(&parsed) {
        return Plan::Skip(
            kind,
            "local or private address: not checkable from CI".into(),
        );
    }
    match gh {
        Some(link) => Plan::Github(link),
        None => Plan::Web,
    }
}

fn is_local(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return true;
    };
    let host = host.to_ascii_lowercase();
    match host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
    {
        Ok(IpAddr::V4(ip)) => {
            ip.is_loopback() || ip.is_private() || ip.is_link_local() || ip.is_unspecified()
        }
        Ok(IpAddr::V6(ip)) => ip.is_loopback() || ip.is_unspecified(),
        Err(_) => host == "localhost" || host.ends_with(".localhost") || host.ends_with(".local"),
    }
}

/// When no web server answered at all and several hosts failed DNS, the
/// resolver or the network is down, not the links: report those as
/// unreachable instead of broken.
fn downgrade_if_resolver_is_down(verdicts: &mut [Option<Verdict>], links: &[CollectedLink]) {
    let mut failed_hosts: HashSet<String> = HashSet::new();
    let mut any_response = false;
    for (v, link) in verdicts.iter().zip(links) {
        let Some(v) = v else { continue };
        any_response |= v.responded;
        if v.dns_failure {
            let host = Url::parse(&link.url)
                .ok()
                .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
                .unwrap_or_default();
            failed_hosts.insert(host);
        }
    }
    if !any_response && failed_hosts.len() >= 3 {
        for v in verdicts.iter_mut().flatten() {
            if v.dns_failure {
                v.status = Status::Unreachable;
                v.detail = Some(format!(
                    "{} (no web server answered this run and {} hosts failed DNS: the network \
                     seems down; not counted as rot)",
                    v.detail.as_deref().unwrap_or("DNS lookup failed"),
                    failed_hosts.len()
                ));
            }
        }
    }
}
