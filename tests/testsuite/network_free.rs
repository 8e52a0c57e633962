//! `archmanual lint` is network-free: its dependency graph holds no HTTP
//! client or async runtime (issue 12). Read from `cargo tree`, offline.

use std::collections::BTreeSet;
use std::process::Command;

/// Crates that would mean network code is linked in.
const NETWORK: &[&str] = &["reqwest", "hyper", "tokio"];

/// The names of every crate in `cargo tree <args> -e normal` (the normal
/// dependencies a library user gets, features resolved for that package).
fn normal_dependencies(args: &[&str]) -> BTreeSet<String> {
    let out = Command::new(env!("CARGO"))
        .args(["tree", "--offline", "-e", "normal", "--prefix", "none"])
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "cargo tree {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

fn network_crates(deps: &BTreeSet<String>) -> Vec<&str> {
    NETWORK
        .iter()
        .copied()
        .filter(|n| deps.contains(*n))
        .collect()
}

#[test]
fn the_offline_github_check_has_no_network_code() {
    let deps = normal_dependencies(&["-p", "mdbook-github", "--no-default-features"]);
    assert!(deps.contains("archmanual-github-snapshot"), "{deps:?}");
    assert!(!deps.contains("archmanual-github"), "{deps:?}");
    assert_eq!(network_crates(&deps), Vec::<&str>::new());
    // The control: with its default `online` feature the client is there.
    let online = normal_dependencies(&["-p", "mdbook-github"]);
    assert!(online.contains("archmanual-github") && online.contains("reqwest"));
}

#[test]
fn lint_has_no_network_code() {
    let deps = normal_dependencies(&["-p", "archmanual-lint"]);
    assert!(deps.contains("mdbook-github"), "{deps:?}");
    assert_eq!(
        network_crates(&deps),
        Vec::<&str>::new(),
        "`cargo tree -p archmanual-lint -e normal -i <crate>` shows who pulls it in"
    );
}
