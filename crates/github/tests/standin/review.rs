//! Posting a pull-request review: replacing this tool's earlier review,
//! GitHub's refusals (403 read-only, 422 outside the diff, 401), retries
//! only where they cannot post twice, and the token's secrecy.

use std::time::Duration;

use archmanual_github::review::{
    OwnReviews, PostOutcome, PullRequest, Review, ReviewComment, ReviewError,
};
use archmanual_github::{Client, Config};
use github_standin::{Fault, Standin, StandinConfig, StandinReview, World};

use crate::{TOKEN, config};

const MARKER: &str = "<!-- test-bot -->";
const SUPERSEDED: &str = "_Superseded._";

fn own() -> OwnReviews {
    OwnReviews {
        marker: MARKER.to_owned(),
        superseded_body: SUPERSEDED.to_owned(),
    }
}

fn pr() -> PullRequest {
    PullRequest {
        repository: "o/r".to_owned(),
        number: 7,
    }
}

fn review(lines: &[u64]) -> Review {
    Review {
        event: "COMMENT".to_owned(),
        body: format!("{MARKER}\nnew"),
        comments: lines
            .iter()
            .map(|&line| ReviewComment {
                path: "book/a.md".to_owned(),
                line,
                side: "RIGHT".to_owned(),
                body: format!("finding on line {line}"),
            })
            .collect(),
    }
}

/// Pull request o/r#7 whose diff touches lines 3 and 4 of `book/a.md`.
fn world() -> World {
    World::new().with_pull("o/r", 7, [("book/a.md", 3), ("book/a.md", 4)])
}

fn start(world: World) -> (Standin, Client) {
    let standin = Standin::start(StandinConfig::default(), world);
    let client = Client::new(config(&standin, true)).unwrap();
    (standin, client)
}

fn post(client: &Client, review: &Review) -> Result<PostOutcome, ReviewError> {
    client.post_review_blocking(&pr(), review, &own())
}

#[test]
fn a_new_review_replaces_the_earlier_one() {
    let earlier = StandinReview::new("bot", &format!("{MARKER}\nold"))
        .with_comment("book/a.md", 3, "old finding")
        .with_comment("book/a.md", 4, "old finding");
    let world = world()
        .with_review("o/r", 7, earlier) // id 1, comments 2 and 3
        .with_review("o/r", 7, StandinReview::new("human", "looks good")); // id 4
    let (standin, client) = start(world);

    let outcome = post(&client, &review(&[3])).unwrap();

    assert_eq!(
        outcome,
        PostOutcome::Posted {
            review_id: 5,
            replaced: 1
        }
    );
    assert_eq!(
        standin.request_log(),
        [
            "GET /repos/o/r/pulls/7/reviews?per_page=100&page=1",
            "GET /repos/o/r/pulls/7/reviews/1/comments?per_page=100&page=1",
            "POST /repos/o/r/pulls/7/reviews",
            "DELETE /repos/o/r/pulls/comments/2",
            "DELETE /repos/o/r/pulls/comments/3",
            "PUT /repos/o/r/pulls/7/reviews/1",
        ]
    );
    let reviews = standin.reviews("o/r", 7);
    assert_eq!(reviews[0].body, SUPERSEDED);
    assert!(reviews[0].comments.is_empty());
    assert_eq!(
        reviews[1].body, "looks good",
        "a human's review is untouched"
    );
    assert_eq!(reviews[2].body, format!("{MARKER}\nnew"));
    assert_eq!(
        reviews[2]
            .comments
            .iter()
            .map(|c| (c.path.as_str(), c.line, c.body.as_str()))
            .collect::<Vec<_>>(),
        [("book/a.md", 3, "finding on line 3")]
    );
    let auth = standin.authorizations();
    assert_eq!(auth.len(), 6);
    assert!(
        auth.iter().all(|a| *a == format!("Bearer {TOKEN}")),
        "{auth:?}"
    );
}

#[test]
fn an_unchanged_review_is_not_posted_again() {
    let earlier = StandinReview::new("bot", &format!("{MARKER}\nnew")).with_comment(
        "book/a.md",
        3,
        "finding on line 3",
    );
    let (standin, client) = start(world().with_review("o/r", 7, earlier));
    assert_eq!(
        post(&client, &review(&[3])).unwrap(),
        PostOutcome::Unchanged { review_id: 1 }
    );
    assert!(
        standin.request_log().iter().all(|r| r.starts_with("GET ")),
        "only reads: {:?}",
        standin.request_log()
    );
}

#[test]
fn without_comments_the_newest_review_is_updated_in_place() {
    let world = world()
        .with_review(
            "o/r",
            7,
            StandinReview::new("bot", &format!("{MARKER}\nolder")),
        ) // 1
        .with_review(
            "o/r",
            7,
            StandinReview::new("bot", &format!("{MARKER}\nold")).with_comment("book/a.md", 4, "x"), // 2, 3
        );
    let (standin, client) = start(world);
    assert_eq!(
        post(&client, &review(&[])).unwrap(),
        PostOutcome::Updated {
            review_id: 2,
            replaced: 1
        }
    );
    assert_eq!(
        standin.request_log(),
        [
            "GET /repos/o/r/pulls/7/reviews?per_page=100&page=1",
            "GET /repos/o/r/pulls/7/reviews/2/comments?per_page=100&page=1",
            "DELETE /repos/o/r/pulls/comments/3",
            "PUT /repos/o/r/pulls/7/reviews/2",
            "GET /repos/o/r/pulls/7/reviews/1/comments?per_page=100&page=1",
            "PUT /repos/o/r/pulls/7/reviews/1",
        ]
    );
    let reviews = standin.reviews("o/r", 7);
    assert_eq!(reviews[0].body, SUPERSEDED);
    assert_eq!(reviews[1].body, format!("{MARKER}\nnew"));
    assert!(reviews[1].comments.is_empty());
}

#[test]
fn nothing_to_say_and_nothing_to_replace_posts_nothing() {
    let (standin, client) = start(world());
    assert_eq!(
        post(&client, &review(&[])).unwrap(),
        PostOutcome::NothingToPost
    );
    assert_eq!(standin.requests(), 1);
}

#[test]
fn earlier_reviews_are_found_on_later_pages() {
    let mut world = world();
    for i in 0..150 {
        world = world.with_review(
            "o/r",
            7,
            StandinReview::new("human", &format!("review {i}")),
        );
    }
    let world = world.with_review(
        "o/r",
        7,
        StandinReview::new("bot", &format!("{MARKER}\nold")),
    );
    let (standin, client) = start(world);
    assert_eq!(
        post(&client, &review(&[4])).unwrap(),
        PostOutcome::Posted {
            review_id: 152,
            replaced: 1
        }
    );
    let log = standin.request_log();
    assert_eq!(log[1], "GET /repos/o/r/pulls/7/reviews?per_page=100&page=2");
    assert_eq!(standin.reviews("o/r", 7)[150].body, SUPERSEDED);
}

#[test]
fn a_comment_outside_the_diff_is_a_clear_422() {
    let (standin, client) = start(world());
    let err = post(&client, &review(&[3, 9])).unwrap_err();
    assert!(matches!(err, ReviewError::Unprocessable { .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("HTTP 422"), "{text}");
    assert!(text.contains("Line could not be resolved"), "{text}");
    assert!(text.contains("a line the pull request changes"), "{text}");
    assert!(!text.contains(TOKEN) && !format!("{err:?}").contains(TOKEN));
    let posts = standin
        .request_log()
        .iter()
        .filter(|r| r.starts_with("POST "))
        .count();
    assert_eq!(posts, 1, "a rejected review is not sent again");
    assert!(standin.reviews("o/r", 7).is_empty());
}

#[test]
fn a_read_only_token_falls_back_without_changing_anything() {
    let earlier =
        StandinReview::new("bot", &format!("{MARKER}\nold")).with_comment("book/a.md", 3, "x");
    let standin = Standin::start(
        StandinConfig {
            read_only: true,
            ..StandinConfig::default()
        },
        world().with_review("o/r", 7, earlier.clone()),
    );
    let client = Client::new(config(&standin, true)).unwrap();
    assert_eq!(post(&client, &review(&[4])).unwrap(), PostOutcome::ReadOnly);
    let mut expected = earlier;
    expected.id = 1;
    expected.comments[0].id = 2;
    assert_eq!(standin.reviews("o/r", 7), [expected]);
    assert_eq!(
        standin.request_log().last().map(String::as_str),
        Some("POST /repos/o/r/pulls/7/reviews")
    );
}

#[test]
fn reads_are_retried_but_creating_is_not_after_a_5xx() {
    let (standin, client) = start(world());
    standin.push_faults([Fault::Status(502)]);
    assert!(matches!(
        post(&client, &review(&[3])).unwrap(),
        PostOutcome::Posted { .. }
    ));
    assert_eq!(client.stats().retries, 1);

    // The 502 hits the POST: it may have been created, so no second POST.
    let (standin, client) = start(world());
    standin.push_faults([Fault::Delay(Duration::ZERO), Fault::Status(502)]);
    let err = post(&client, &review(&[3])).unwrap_err();
    assert!(
        matches!(err, ReviewError::Status { status: 502, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("POST"), "{err}");
    assert_eq!(standin.requests(), 2);
}

#[test]
fn a_rate_limited_create_is_retried_once_the_limit_passes() {
    let (standin, client) = start(world());
    standin.push_faults([
        Fault::Delay(Duration::ZERO),
        Fault::SecondaryRateLimit(Some(0)),
    ]);
    assert!(matches!(
        post(&client, &review(&[3])).unwrap(),
        PostOutcome::Posted { .. }
    ));
    assert_eq!(client.stats().rate_limit_waits, 1);
    assert_eq!(standin.reviews("o/r", 7).len(), 1, "posted exactly once");
}

#[test]
fn errors_never_contain_the_token() {
    // A server (or proxy) that quotes the Authorization header back.
    let (standin, client) = start(world());
    standin.push_faults([Fault::EchoAuthorization(400)]);
    let err = post(&client, &review(&[3])).unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(
        text.contains("400") && text.contains("<redacted>"),
        "{text}"
    );
    assert!(!text.contains(TOKEN), "{text}");

    // 5xx until the retries run out.
    let (standin, client) = start(world());
    standin.push_faults((0..10).map(|_| Fault::EchoAuthorization(500)));
    let err = post(&client, &review(&[3])).unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(text.contains("500"), "{text}");
    assert!(!text.contains(TOKEN), "{text}");

    // A token GitHub does not accept.
    let standin = Standin::start(
        StandinConfig {
            token: Some("another-token".to_owned()),
            ..StandinConfig::default()
        },
        world(),
    );
    let client = Client::new(config(&standin, true)).unwrap();
    let err = post(&client, &review(&[3])).unwrap_err();
    assert!(matches!(err, ReviewError::BadCredentials { .. }), "{err:?}");
    let text = format!("{err} {err:?}");
    assert!(text.contains("GH_TOKEN or GITHUB_TOKEN"), "{text}");
    assert!(!text.contains(TOKEN), "{text}");

    // Nobody listening.
    let mut dead = config(&standin, true);
    let dead_url = format!("http://127.0.0.1:{}", github_standin::closed_port());
    dead.api_url = dead_url.clone();
    let err = post(&Client::new(dead).unwrap(), &review(&[3])).unwrap_err();
    assert!(matches!(err, ReviewError::Unreachable { .. }), "{err:?}");
    assert!(!format!("{err} {err:?}").contains(TOKEN));
    // What `archmanual review --post` prints (anyhow's `{:#}`): the URL and
    // the network error under it.
    let shown = chain(&err);
    assert!(
        shown.starts_with(&format!(
            "cannot reach the GitHub API at {}/repos/o/r/pulls/7/reviews",
            dead_url
        )),
        "{shown}"
    );
    assert!(shown.to_lowercase().contains("connect"), "{shown}");
    assert!(!shown.contains(TOKEN), "{shown}");
}

#[test]
fn without_a_token_nothing_is_sent() {
    let (standin, _) = start(world());
    let client = Client::new(config(&standin, false)).unwrap();
    let err = post(&client, &review(&[3])).unwrap_err();
    assert!(matches!(err, ReviewError::NoToken), "{err:?}");
    assert!(err.to_string().contains("GH_TOKEN or GITHUB_TOKEN"));
    assert_eq!(standin.requests(), 0);
}

/// The client's settings from these variables (and the stand-in's URL).
fn from_vars(standin: &Standin, vars: &[(&str, &str)]) -> Config {
    let api = standin.api_url();
    let mut config = Config::from_vars(|name| {
        if name == "GITHUB_API_URL" {
            return Some(api.clone());
        }
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| (*v).to_owned())
    });
    config.backoff_base = Duration::from_millis(1);
    config
}

#[test]
fn gh_token_alone_works_and_wins_over_github_token() {
    let standin = Standin::start(
        StandinConfig {
            token: Some("gh-cli-token".to_owned()),
            ..StandinConfig::default()
        },
        world(),
    );
    for vars in [
        &[("GH_TOKEN", "gh-cli-token")][..],
        &[
            ("GH_TOKEN", "gh-cli-token"),
            ("GITHUB_TOKEN", "ambient-ci-token"),
        ][..],
    ] {
        let client = Client::new(from_vars(&standin, vars)).unwrap();
        assert!(
            matches!(
                post(&client, &review(&[])).unwrap(),
                PostOutcome::NothingToPost
            ),
            "{vars:?}"
        );
    }
    let client = Client::new(from_vars(&standin, &[("GITHUB_TOKEN", "gh-cli-token")])).unwrap();
    assert!(matches!(
        post(&client, &review(&[3])).unwrap(),
        PostOutcome::Posted { .. }
    ));
    let auth = standin.authorizations();
    assert_eq!(auth.len(), 4);
    assert!(auth.iter().all(|a| a == "Bearer gh-cli-token"), "{auth:?}");
}

/// An error and its causes as anyhow's `{:#}` shows them.
fn chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut shown = err.to_string();
    let mut cause = err.source();
    while let Some(c) = cause {
        shown.push_str(&format!(": {c}"));
        cause = c.source();
    }
    shown
}
