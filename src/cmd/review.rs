//! `archmanual review`: the lint findings on the lines a pull request
//! changes, as a GitHub review (printed, or posted with `--post`).

use std::path::PathBuf;

use anyhow::{Context, bail};
use archmanual_github::review::{OwnReviews, PostOutcome, PullRequest, Review, ReviewComment};
use archmanual_lint::diff::{git_changed_lines, git_toplevel};
use archmanual_lint::review::{MARKER, ReviewPayload, SUPERSEDED_BODY, build_review, has_errors};
use archmanual_lint::{Book, format, lint_configured};

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
    /// Output format (the body of GitHub's "create a review" API).
    #[arg(long, default_value = "github-review", value_parser = ["github-review"])]
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
    let sources = book.sources();
    // Shown in the book's language (`--lang`).
    let lang = args.lang.resolve(&args.book);
    let shown = archmanual_lint::i18n::localise_all(lang, &diagnostics);
    let payload = build_review(&shown, &sources, &prefix, &changed);
    let code = u8::from(has_errors(&payload, &diagnostics, &prefix));
    if !args.post {
        println!("{}", serde_json::to_string_pretty(&payload)?);
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
            let on_diff: Vec<_> = diagnostics
                .iter()
                .filter(|d| {
                    let path = prefix.join(&d.file).to_string_lossy().replace('\\', "/");
                    d.location.is_some_and(|l| changed.contains(&path, l.line))
                })
                .cloned()
                .collect();
            let report = format::Report {
                diagnostics: &on_diff,
                sources: &sources,
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
