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
    CollectedLink, Error, LinkKind, LinkReport, LinkrotConfig, Report, State, Status, Summary,
    WebChecker, WebOutcome,
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

enum Done {
    Web(usize, WebOutcome),
    Github(archmanual_github::Lookups),
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
    let total = links.len();
    let plans: Vec<Plan> = links.iter().map(|l| plan(&l.url, config)).collect();
    let mut verdicts: Vec<Option<Verdict>> = (0..total).map(|_| None).collect();
    let mut done = 0usize;

    let mut tasks: JoinSet<Done> = JoinSet::new();
    let github_urls: Vec<&str> = links
        .iter()
        .zip(&plans)
        .filter(|(_, p)| matches!(p, Plan::Github(_)))
        .map(|(l, _)| l.url.as_str())
        .collect();
    let targets = Targets::from_urls(github_urls.iter().copied());
    let (github_tx, mut github_rx) = tokio::sync::mpsc::unbounded_channel::<(usize, usize)>();
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
    } else {
        drop(github_tx);
    }
    // One request per page: links that differ only in their fragment share it.
    let mut pages: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, (link, plan)) in links.iter().zip(&plans).enumerate() {
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
        let web = Arc::clone(&web);
        let page = page.clone();
        tasks.spawn(async move { Done::Web(p, web.check(&page).await) });
    }
    for (i, (link, plan)) in links.iter().zip(&plans).enumerate() {
        match plan {
            Plan::Web => {}
            Plan::Skip(kind, why) => {
                verdicts[i] = Some(Verdict {
                    kind: *kind,
                    status: Status::Skipped,
                    canonical: None,
                    detail: Some(why.clone()),
                    repo: None,
                    stars: None,
                    dns_failure: false,
                    responded: false,
                });
                done += 1;
                progress(Progress::Link {
                    done,
                    total,
                    url: &link.url,
                    status: Status::Skipped,
                });
            }
            Plan::Github(_) => {}
        }
    }
    // Links whose GitHub classification gives nothing to look up (gists,
    // site sections) are decided without the API.
    let no_lookup = Default::default();
    for (i, plan) in plans.iter().enumerate() {
        if let Plan::Github(gl @ GithubLink::Other { repo: None, .. }) = plan {
            verdicts[i] = Some(from_github(
                gl,
                github::outcome(&links[i].url, gl, &no_lookup),
            ));
            done += 1;
            progress(Progress::Link {
                done,
                total,
                url: &links[i].url,
                status: Status::Skipped,
            });
        }
    }

    loop {
        let joined = tokio::select! {
            Some((done, total)) = github_rx.recv() => {
                progress(Progress::Github { done, total });
                continue;
            }
            joined = tasks.join_next() => match joined {
                Some(joined) => joined,
                None => break,
            },
        };
        match joined {
            Ok(Done::Web(p, outcome)) => {
                let status = outcome.status;
                for &i in &pages[p].1 {
                    let fragment = links[i].url.trim().split_once('#').map(|(_, f)| f);
                    verdicts[i] = Some(Verdict {
                        kind: LinkKind::Web,
                        status,
                        canonical: outcome
                            .canonical
                            .as_deref()
                            .map(|c| with_fragment(c, fragment)),
                        detail: outcome.detail.clone(),
                        repo: None,
                        stars: None,
                        dns_failure: outcome.dns_failure,
                        responded: outcome.responded,
                    });
                    done += 1;
                    progress(Progress::Link {
                        done,
                        total,
                        url: &links[i].url,
                        status,
                    });
                }
            }
            Ok(Done::Github(lookups)) => {
                // Every tick was sent before the lookup task finished; the
                // select above may not have delivered them all yet.
                while let Ok((done, total)) = github_rx.try_recv() {
                    progress(Progress::Github { done, total });
                }
                for (i, plan) in plans.iter().enumerate() {
                    let Plan::Github(gl) = plan else { continue };
                    if verdicts[i].is_some() {
                        continue;
                    }
                    let verdict = from_github(gl, github::outcome(&links[i].url, gl, &lookups));
                    let status = verdict.status;
                    verdicts[i] = Some(verdict);
                    done += 1;
                    progress(Progress::Link {
                        done,
                        total,
                        url: &links[i].url,
                        status,
                    });
                }
            }
            // A panicked task leaves its links undecided: reported below as unreachable.
            Err(_) => {}
        }
    }

    downgrade_if_resolver_is_down(&mut verdicts, links);

    let now = timestamp(options.now);
    let mut reports: Vec<LinkReport> = Vec::with_capacity(total);
    for ((link, verdict), plan) in links.iter().zip(verdicts).zip(&plans) {
        let v = verdict.unwrap_or(Verdict {
            kind: match plan {
                Plan::Github(gl) => github::kind_of(gl),
                Plan::Skip(kind, _) => *kind,
                Plan::Web => LinkKind::Web,
            },
            status: Status::Unreachable,
            canonical: None,
            detail: Some("the check did not finish (internal error)".into()),
            repo: None,
            stars: None,
            dns_failure: false,
            responded: false,
        });
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
) -> Result<Report, Error> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Runtime(e.to_string()))?;
    Ok(runtime.block_on(check(links, config, web, github, state, options, progress)))
}

fn from_github(link: &GithubLink, o: GithubOutcome) -> Verdict {
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
