use super::*;

/// The expected reading of a URL, written compactly.
#[derive(Debug, Clone, Copy)]
enum Want {
    /// A repository, `owner/name` as written.
    Repo(&'static str),
    /// An owner page, the login as written.
    Owner(&'static str),
    /// Another page: its repository (`owner/name` as written) and kind.
    Other(Option<&'static str>, &'static str),
    /// Not GitHub.
    NotGithub,
}

fn reading(url: &str) -> String {
    match classify(url) {
        Some(GithubLink::Repo(k)) => format!("repo {k}"),
        Some(GithubLink::Owner(o)) => format!("owner {o}"),
        Some(GithubLink::Other { repo, what }) => match repo {
            Some(k) => format!("other {what} of {k}"),
            None => format!("other {what}"),
        },
        None => "not github".to_owned(),
    }
}

fn expected(want: Want) -> String {
    match want {
        Want::Repo(k) => format!("repo {k}"),
        Want::Owner(o) => format!("owner {o}"),
        Want::Other(Some(k), what) => format!("other {what} of {k}"),
        Want::Other(None, what) => format!("other {what}"),
        Want::NotGithub => "not github".to_owned(),
    }
}

/// Every URL on which the four parsers this crate replaced disagreed
/// (github `url.rs` = client, lint `text.rs` = lint, AM010's
/// `repo_key` = am010, the catalog's `repo_key` = catalog), with what each
/// said, then the cases they all agreed on.
#[test]
fn the_one_reading_of_every_disputed_url() {
    use Want::*;
    let table: &[(&str, Want, &str)] = &[
        // Site sections are not owners or repositories.
        (
            "https://github.com/topics/rust",
            Other(None, "topics"),
            "catalog: repo topics/rust; lint: not github",
        ),
        (
            "https://github.com/Topics/rust",
            Other(None, "topics"),
            "catalog: repo Topics/rust",
        ),
        (
            "https://github.com/features/actions",
            Other(None, "features"),
            "catalog: repo features/actions",
        ),
        (
            "https://github.com/marketplace/actions/checkout",
            Other(None, "marketplace"),
            "catalog: repo marketplace/actions",
        ),
        (
            "https://github.com/orgs/apache/repositories",
            Other(None, "orgs"),
            "catalog: repo orgs/apache",
        ),
        (
            "https://github.com/sponsors/someone",
            Other(None, "sponsors"),
            "catalog: repo sponsors/someone",
        ),
        (
            "https://github.com/settings",
            Other(None, "settings"),
            "lint: not github",
        ),
        (
            "https://github.com/enterprise",
            Other(None, "enterprise"),
            "lint: owner enterprise (AM011 fired)",
        ),
        (
            "https://github.com/security",
            Other(None, "security"),
            "lint: owner security",
        ),
        (
            "https://github.com/organizations/new",
            Other(None, "organizations"),
            "lint: repo organizations/new; catalog: repo",
        ),
        (
            "https://github.com/users/someone/projects/1",
            Other(None, "users"),
            "lint: repo users/someone; catalog: repo users/someone",
        ),
        (
            "https://github.com/customer-stories",
            Other(None, "customer-stories"),
            "lint: owner customer-stories",
        ),
        // Scheme and host are case-insensitive.
        (
            "HTTPS://GitHub.com/Apache/Kafka",
            Repo("Apache/Kafka"),
            "catalog: not github",
        ),
        (
            "HTTP://WWW.GITHUB.COM/apache/kafka",
            Repo("apache/kafka"),
            "catalog: not github",
        ),
        // Query and fragment are not path segments.
        (
            "https://github.com/apache/kafka?tab=readme-ov-file",
            Repo("apache/kafka"),
            "am010: not the repository (compared as a plain URL)",
        ),
        (
            "https://github.com/apache#kafka",
            Owner("apache"),
            "catalog: repo apache/kafka",
        ),
        (
            "https://github.com/apache?tab=repositories",
            Owner("apache"),
            "catalog: repo apache/tab=repositories",
        ),
        // Spellings only the client understood.
        (
            "//github.com/apache/kafka",
            Repo("apache/kafka"),
            "lint, catalog: not github",
        ),
        (
            "https://github.com:443/apache/kafka",
            Repo("apache/kafka"),
            "lint, catalog: not github",
        ),
        (
            "  https://github.com/apache/kafka  ",
            Repo("apache/kafka"),
            "lint: not github",
        ),
        (
            "https://github.com//apache//kafka",
            Repo("apache/kafka"),
            "lint: not github",
        ),
        (
            "https://github.com",
            Other(None, "site"),
            "lint, catalog: not github",
        ),
        (
            "https://github.com/",
            Other(None, "site"),
            "lint, catalog: not github",
        ),
        // Other GitHub hosts.
        (
            "https://raw.githubusercontent.com/apache/kafka/trunk/README.md",
            Other(Some("apache/kafka"), "raw"),
            "lint, catalog: not github",
        ),
        (
            "https://gist.github.com/someone/abc123",
            Other(None, "gist"),
            "lint, catalog: not github",
        ),
        // Names GitHub does not allow.
        (
            "https://github.com/foo_bar",
            Other(None, "site"),
            "lint: owner foo_bar",
        ),
        (
            "https://github.com/-abc",
            Other(None, "site"),
            "lint: owner -abc",
        ),
        (
            "https://github.com/apache/..",
            Other(None, "site"),
            "lint: repo apache/..; catalog: repo apache/..",
        ),
        (
            "https://github.com/apache/kafka.git.git",
            Repo("apache/kafka.git"),
            "catalog: repo apache/kafka (stripped every .git)",
        ),
        // Pages of a repository keep it.
        (
            "https://github.com/apache/kafka/tree/trunk/docs",
            Other(Some("apache/kafka"), "tree"),
            "lint: repo kafka; am010: not the repository; catalog: repo apache/kafka",
        ),
        (
            "https://github.com/apache/kafka/issues/12",
            Other(Some("apache/kafka"), "issues"),
            "",
        ),
        (
            "https://github.com/apache/kafka/blob/trunk/README.md#L3",
            Other(Some("apache/kafka"), "blob"),
            "",
        ),
        (
            "https://github.com/apache/kafka/releases/tag/v1",
            Other(Some("apache/kafka"), "releases"),
            "",
        ),
        // What they all agreed on.
        ("https://github.com/apache/kafka", Repo("apache/kafka"), ""),
        ("https://github.com/apache/kafka/", Repo("apache/kafka"), ""),
        (
            "https://github.com/apache/kafka.git",
            Repo("apache/kafka"),
            "",
        ),
        (
            "http://www.GitHub.com/Apache/Kafka#readme",
            Repo("Apache/Kafka"),
            "",
        ),
        ("https://github.com/a-b/c.d_e", Repo("a-b/c.d_e"), ""),
        ("https://github.com/alibaba", Owner("alibaba"), ""),
        ("https://github.com/alibaba/", Owner("alibaba"), ""),
        ("https://example.com/apache/kafka", NotGithub, ""),
        ("https://github.community/t/1", NotGithub, ""),
        ("https://notgithub.com/a/b", NotGithub, ""),
        ("https://github.com.evil.example/a/b", NotGithub, ""),
        ("https://github.com@evil.example/a/b", NotGithub, ""),
        ("https://gitee.com/a/b", NotGithub, ""),
        ("mailto:a@github.com", NotGithub, ""),
        ("../local.md", NotGithub, ""),
        ("github.com/apache/kafka", NotGithub, ""),
    ];
    let mut wrong = Vec::new();
    for &(url, want, was) in table {
        let (got, want) = (reading(url), expected(want));
        if got != want {
            wrong.push(format!("{url:?}: got {got}, want {want} (before: {was})"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn keys_are_case_insensitive() {
    let a = RepoKey::parse("Apache/Kafka").unwrap();
    let b = RepoKey::parse("apache/KAFKA.git").unwrap();
    assert_eq!(a, b);
    assert_eq!(a.key(), "apache/kafka");
    assert_eq!(a.to_string(), "Apache/Kafka");
    assert_eq!(b.name(), "KAFKA");
    assert!(RepoKey::parse("no-slash").is_none());
    assert!(RepoKey::parse("bad owner/x").is_none());
    assert!(RepoKey::parse("o/..").is_none());
    assert_eq!(
        classify("https://github.com/Apache/Kafka.git/"),
        classify("https://github.com/apache/kafka")
    );
}

#[test]
fn reserved_owners_are_lower_case_and_sorted() {
    let mut sorted = RESERVED_OWNERS.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted, RESERVED_OWNERS);
    assert!(RESERVED_OWNERS.iter().all(|o| *o == o.to_ascii_lowercase()));
}

#[test]
fn renamed_urls_keep_their_path_query_and_fragment() {
    let new = RepoKey::parse("NewOrg/kafka").unwrap();
    for (url, want) in [
        (
            "https://github.com/apache/kafka",
            "https://github.com/NewOrg/kafka",
        ),
        (
            "https://github.com/apache/Kafka.git/",
            "https://github.com/NewOrg/kafka/",
        ),
        (
            "https://github.com/apache/kafka/blob/trunk/README.md#usage",
            "https://github.com/NewOrg/kafka/blob/trunk/README.md#usage",
        ),
        (
            "https://github.com/apache/kafka#readme",
            "https://github.com/NewOrg/kafka#readme",
        ),
        (
            "https://github.com/apache/kafka?tab=readme",
            "https://github.com/NewOrg/kafka?tab=readme",
        ),
        (
            "HTTPS://GitHub.com/apache/kafka",
            "HTTPS://GitHub.com/NewOrg/kafka",
        ),
        (
            "https://raw.githubusercontent.com/apache/kafka/trunk/x",
            "https://raw.githubusercontent.com/NewOrg/kafka/trunk/x",
        ),
        // No repository part: the new repository's home page.
        (
            "https://github.com/topics/kafka",
            "https://github.com/NewOrg/kafka",
        ),
        ("https://example.com/a/b", "https://github.com/NewOrg/kafka"),
    ] {
        assert_eq!(replace_repo(url, &new), want, "{url}");
    }
}

#[test]
fn targets_are_distinct() {
    let t = Targets::from_urls([
        "https://github.com/apache/kafka",
        "https://github.com/Apache/Kafka/",
        "https://github.com/apache/kafka/issues/1",
        "https://github.com/etcd-io/etcd.git",
        "https://github.com/Apache",
        "https://github.com/apache",
        "https://github.com/topics/x",
        "https://example.com",
    ]);
    let keys: Vec<&str> = t.repos.iter().map(RepoKey::key).collect();
    assert_eq!(keys, ["apache/kafka", "etcd-io/etcd"]);
    assert_eq!(
        t.repos[0].to_string(),
        "apache/kafka",
        "first spelling wins"
    );
    assert_eq!(t.owners, ["apache"]);
    assert!(!t.is_empty());
    assert!(Targets::from_urls(["https://example.com"]).is_empty());
}
