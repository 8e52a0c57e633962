//! `archmanual review`: what a pull request adds to the lint findings. The
//! book is linted at the base and at the head; a finding is new when the
//! base did not have it (wherever it stands: a renamed heading breaks links
//! on pages the branch never touched). New findings on changed lines become
//! inline comments, new findings elsewhere are listed in the review body,
//! findings the base already had are only counted. Printed as GitHub's
//! review JSON, as text or Markdown, or posted with `--post`.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use archmanual_github::review::{OwnReviews, PostOutcome, PullRequest, Review, ReviewComment};
use archmanual_lint::diff::{
    git_changed_lines, git_compare_base, git_export, git_renames, git_toplevel,
};
use archmanual_lint::review::{
    MARKER, ReviewPayload, SUPERSEDED_BODY, build_review_of_changes, new_on_head,
};
use archmanual_lint::{Book, Diagnostic, config::Config, format, lint_configured};

/// Arguments of `archmanual review`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The book's root directory (where book.toml is).
    #[arg(long, default_value = ".")]
    book: PathBuf,
    /// The base revision (e.g. the pull request's base SHA); the diff is `base...head`.
    #[arg(long)]
    base: String,
    /// The head revision; the working tree must be checked out at it. Default: the working tree.
    #[arg(long)]
    head: Option<String>,
    /// Output format: `github-review` (the body of GitHub's "create a review" API),
    /// `human` (the new findings rustc-style, for running it locally) or `markdown`.
    #[arg(long, default_value = "github-review", value_parser = ["github-review", "human", "markdown"])]
    format: String,
    /// Post the review to $GITHUB_API_URL/repos/$GITHUB_REPOSITORY/pulls/<PR>/reviews
    /// with $GH_TOKEN, else $GITHUB_TOKEN.
    #[arg(long, requires = "pr")]
    post: bool,
    /// The pull request number (with --post).
    #[arg(long)]
    pr: Option<u64>,
    #[command(flatten)]
    select: super::lint::SelectArgs,
    #[command(flatten)]
    lang: super::lint::LangArg,
}

pub(crate) fn run(args: Args) -> anyhow::Result<u8> {
    let config = args.select.config(&args.book)?;
    let book = Book::load(&args.book)?;
    let diagnostics = lint_configured(&book, &config);
    let Some(repo) = git_toplevel(&book.src_dir) else {
        bail!(
            "{} is not inside a git repository; `archmanual review` needs git history",
            book.src_dir.display()
        );
    };
    let prefix = super::lint::src_prefix(&book.src_dir);
    if let Some(head) = &args.head {
        warn_if_not_checked_out(&repo, head);
    }
    let changed = git_changed_lines(&repo, &args.base, args.head.as_deref(), &[&prefix])?;
    let base = lint_base(&repo, &args, &book, &config)?;
    let renamed = renames_in_book(&repo, &args, &prefix)?;
    let sources = &book.files_read;
    let is_new = new_on_head(
        &base.diagnostics,
        &base.sources,
        &diagnostics,
        sources,
        &renamed,
    );
    // Compared in English above; shown in the book's language.
    let lang = args.lang.resolve(&args.book);
    let shown = archmanual_lint::i18n::localise_all(lang, &diagnostics);
    let payload = build_review_of_changes(&shown, &is_new, sources, &prefix, &changed);
    let new: Vec<Diagnostic> = diagnostics
        .iter()
        .zip(&is_new)
        .filter(|(_, new)| **new)
        .map(|(d, _)| d.clone())
        .collect();
    let code = u8::from(!new.is_empty());
    if !args.post {
        let shown = Shown {
            payload: &payload,
            new: &new,
            old: diagnostics.len() - new.len(),
            sources,
            prefix: &prefix,
            lang,
        };
        print_locally(&args, &shown)?;
        return Ok(code);
    }
    let pr = PullRequest {
        repository: std::env::var("GITHUB_REPOSITORY")
            .ok()
            .filter(|v| !v.trim().is_empty())
            .context("--post needs GITHUB_REPOSITORY (owner/name)")?,
        number: args.pr.context("--post needs --pr")?,
    };
    let own = OwnReviews {
        marker: MARKER.to_owned(),
        superseded_body: SUPERSEDED_BODY.to_owned(),
    };
    let client = archmanual_github::Client::from_env()?;
    match client.post_review_blocking(&pr, &to_github(&payload), &own)? {
        PostOutcome::Posted {
            review_id,
            replaced,
        } => {
            eprintln!(
                "posted review {review_id} with {} comment(s) on pull request #{} (replaced {replaced} earlier review(s))",
                payload.comments.len(),
                pr.number
            );
        }
        PostOutcome::Updated {
            review_id,
            replaced,
        } => {
            eprintln!(
                "no findings on the changed lines; updated review {review_id} in place (cleared {replaced} older review(s))"
            );
        }
        PostOutcome::Unchanged { review_id } => {
            eprintln!("review {review_id} already says this; nothing posted");
        }
        PostOutcome::NothingToPost => {
            eprintln!("no findings on the changed lines; nothing posted");
        }
        PostOutcome::ReadOnly => {
            eprintln!(
                "warning: the token cannot write reviews (a pull request from a fork?); printing annotations instead"
            );
            let on_diff: Vec<_> = new
                .iter()
                .filter(|d| {
                    let path = prefix.join(&d.file).to_string_lossy().replace('\\', "/");
                    d.location.is_some_and(|l| changed.contains(&path, l.line))
                })
                .cloned()
                .collect();
            let report = format::Report {
                diagnostics: &on_diff,
                sources,
                src_prefix: &prefix,
                color: false,
                lang,
            };
            let mut out = std::io::stdout().lock();
            format::by_name("github")
                .context("github format")?
                .write(&report, &mut out)?;
        }
    }
    Ok(code)
}

/// What `review` shows when it does not post.
struct Shown<'a> {
    payload: &'a ReviewPayload,
    new: &'a [Diagnostic],
    old: usize,
    sources: &'a archmanual_model::Sources,
    prefix: &'a Path,
    lang: archmanual_lint::i18n::Lang,
}

/// Prints the review for a person (`human`, `markdown`) or as the JSON
/// body of GitHub's "create a review" API.
fn print_locally(args: &Args, shown: &Shown<'_>) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match args.format.as_str() {
        "human" => {
            let report = format::Report {
                diagnostics: shown.new,
                sources: shown.sources,
                src_prefix: shown.prefix,
                color: std::io::IsTerminal::is_terminal(&std::io::stdout())
                    && std::env::var_os("NO_COLOR").is_none(),
                lang: shown.lang,
            };
            format::by_name("human")
                .context("human format")?
                .write(&report, &mut out)?;
            writeln!(
                out,
                "{} new finding(s) on this branch ({} on changed lines); {} already on {}",
                shown.new.len(),
                shown.payload.comments.len(),
                shown.old,
                args.base
            )?;
        }
        "markdown" => {
            writeln!(
                out,
                "{}",
                shown.payload.body.trim_start_matches(MARKER).trim()
            )?;
            for c in &shown.payload.comments {
                writeln!(out, "\n#### `{}:{}`\n\n{}", c.path, c.line, c.body)?;
            }
        }
        _ => writeln!(out, "{}", serde_json::to_string_pretty(shown.payload)?)?,
    }
    Ok(())
}

/// The base revision's book and findings.
struct BaseLint {
    sources: HashMap<PathBuf, String>,
    diagnostics: Vec<Diagnostic>,
    // Holds the exported tree until the comparison is done.
    _dir: tempfile::TempDir,
}

/// Lints the book as it was at the base (the merge base with `--head`), with
/// the head's rule selection so both sides are judged alike. A base without
/// the book (a pull request that adds it) has no findings.
fn lint_base(repo: &Path, args: &Args, head: &Book, config: &Config) -> anyhow::Result<BaseLint> {
    let rev = git_compare_base(repo, &args.base, args.head.as_deref())?;
    let root = head
        .root
        .canonicalize()
        .with_context(|| format!("{}", head.root.display()))?;
    let rel = root
        .strip_prefix(repo.canonicalize()?)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    let dir = tempfile::Builder::new()
        .prefix("archmanual-review-base")
        .tempdir()
        .context("cannot create a temporary directory for the base revision")?;
    let exported = git_export(repo, &rev, &rel, dir.path())?;
    let base_root = dir.path().join(&rel);
    if !exported || !base_root.join("book.toml").is_file() {
        return Ok(BaseLint {
            sources: HashMap::new(),
            diagnostics: Vec::new(),
            _dir: dir,
        });
    }
    let book = Book::load(&base_root).with_context(|| {
        format!(
            "cannot load the book as it was at {} ({rev}); is book.toml valid there?",
            args.base
        )
    })?;
    let diagnostics = lint_configured(&book, config);
    Ok(BaseLint {
        sources: book.sources(),
        diagnostics,
        _dir: dir,
    })
}

/// Renamed chapter files, base → head, relative to the book's source directory.
fn renames_in_book(
    repo: &Path,
    args: &Args,
    prefix: &Path,
) -> anyhow::Result<HashMap<PathBuf, PathBuf>> {
    let renames = git_renames(repo, &args.base, args.head.as_deref(), &[prefix])?;
    let strip = |p: &str| {
        Path::new(p)
            .strip_prefix(prefix)
            .map(Path::to_path_buf)
            .ok()
    };
    Ok(renames
        .iter()
        .filter_map(|(old, new)| Some((strip(old)?, strip(new)?)))
        .collect())
}

/// Lint's network-free payload as the client's request body.
fn to_github(payload: &ReviewPayload) -> Review {
    Review {
        event: payload.event.clone(),
        body: payload.body.clone(),
        comments: payload
            .comments
            .iter()
            .map(|c| ReviewComment {
                path: c.path.clone(),
                line: c.line as u64,
                side: c.side.clone(),
                body: c.body.clone(),
            })
            .collect(),
    }
}

fn warn_if_not_checked_out(repo: &std::path::Path, head: &str) {
    let rev = |r: &str| {
        std::process::Command::new("git")
            .current_dir(repo)
            .args([
                "rev-parse",
                "--verify",
                "--quiet",
                &format!("{r}^{{commit}}"),
            ])
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    if rev(head) != rev("HEAD") {
        eprintln!(
            "warning: HEAD is not {head}; the findings are about the working tree, line numbers may not match the pull request"
        );
    }
}
