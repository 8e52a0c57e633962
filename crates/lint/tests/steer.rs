//! Steering lint: selectors, lint.toml, and the severities users see.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use archmanual_lint::config::Config;
use archmanual_lint::format::{self, Report};
use archmanual_lint::select::Selector;
use archmanual_lint::{Book, Diagnostic, codes, lint, lint_configured, rules};
use archmanual_test_support::copy_fixture;
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn selectors(list: &str) -> Vec<Selector> {
    list.split(',')
        .filter(|s| !s.is_empty())
        .map(|s| Selector::parse(s).unwrap())
        .collect()
}

/// The codes found in the defects book with `--select` / `--ignore`.
fn codes_with(book: &Book, select: &str, ignore: &str) -> BTreeSet<String> {
    let config = Config::default().with_cli(selectors(select), selectors(ignore));
    lint_configured(book, &config)
        .into_iter()
        .map(|d| d.code)
        .collect()
}

#[test]
fn select_and_ignore_by_code_and_prefix() {
    let book = Book::load(&fixture("defects")).unwrap();
    let all: BTreeSet<String> = lint(&book).into_iter().map(|d| d.code).collect();
    assert!(all.contains("AM013") && all.contains("AM012") && all.contains("GH002"));

    assert_eq!(
        codes_with(&book, "AM013", ""),
        BTreeSet::from(["AM013".into()])
    );
    let without = codes_with(&book, "", "AM013");
    assert!(!without.contains("AM013"));
    assert_eq!(without.len(), all.len() - 1);
    // The more specific selector wins, whichever list it is in.
    let s = codes_with(&book, "AM", "AM013");
    // GH codes sit below AM017, so `AM` selects them too.
    assert!(!s.contains("AM013") && s.contains("AM012") && s.contains("GH002"));
    assert_eq!(
        codes_with(&book, "AM013", "AM0"),
        BTreeSet::from(["AM013".into()])
    );
    let s = codes_with(&book, "ALL,AM013", "AM01");
    assert!(s.contains("AM013") && !s.contains("AM012") && s.contains("AM005"));
    assert!(
        !s.contains("GH002"),
        "AM01 covers AM017 and the GH codes it reports"
    );
}

#[test]
fn delegated_codes_are_selected_one_by_one() {
    let book = Book::load(&fixture("defects")).unwrap();
    assert_eq!(
        codes_with(&book, "GH002", ""),
        BTreeSet::from(["GH002".into()])
    );
    let s = codes_with(&book, "", "GH002");
    assert!(!s.contains("GH002") && s.contains("GH003") && s.contains("GH004"));
    let s = codes_with(&book, "GH002", "AM017");
    assert_eq!(s, BTreeSet::from(["GH002".into()]), "GH002 is below AM017");
    let s = codes_with(&book, "ALL", "GH");
    assert!(s.iter().all(|c| !c.starts_with("GH")) && s.contains("AM013"));

    let diagram = Book::load(&fixture("rules/am019")).unwrap();
    assert_eq!(
        codes_with(&diagram, "PD005", ""),
        BTreeSet::from(["PD005".into()])
    );
    assert!(codes_with(&diagram, "", "PD005").is_empty());
    assert!(codes_with(&diagram, "", "PD").is_empty());
}

#[test]
fn per_file_ignores_from_lint_toml() {
    let dir = copy_fixture(&fixture("defects"));
    std::fs::write(
        dir.path().join("lint.toml"),
        "ignore = [\"AM020\"]\n\n[per-file-ignores]\n\"mq/*.md\" = [\"AM013\", \"GH\"]\n",
    )
    .unwrap();
    let book = Book::load(dir.path()).unwrap();
    let config = Config::load(dir.path()).unwrap();
    let ds = lint_configured(&book, &config);
    let in_mq = |d: &Diagnostic| d.file.starts_with("mq");
    assert!(!ds.iter().any(|d| d.code == "AM020"));
    assert!(
        !ds.iter()
            .any(|d| in_mq(d) && (d.code == "AM013" || d.code.starts_with("GH")))
    );
    assert!(ds.iter().any(|d| in_mq(d) && d.code == "AM012"));
    // `--select` starts over, but per-file ignores stay.
    let config = config.with_cli(selectors("AM013,AM020"), vec![]);
    let ds = lint_configured(&book, &config);
    assert!(ds.iter().any(|d| d.code == "AM020"));
    assert!(!ds.iter().any(|d| d.code == "AM013" && in_mq(d)));

    // A wrong key names lint.toml's line and column and what to write.
    std::fs::write(
        dir.path().join("lint.toml"),
        "select = [\"AM\"]\n[per-file-ignore]\n",
    )
    .unwrap();
    let err = Config::load(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains("lint.toml:2:2: unknown field `per-file-ignore`"),
        "{err}"
    );
    assert!(err.contains("a `[per-file-ignores]` table"), "{err}");
}

/// Every rule fixture plus the defects book: findings of every code.
fn everything() -> Vec<(Book, Vec<Diagnostic>)> {
    let mut books = vec![fixture("defects")];
    for r in rules() {
        books.push(fixture(&format!(
            "rules/{}",
            r.meta().code.to_ascii_lowercase()
        )));
    }
    books
        .into_iter()
        .map(|dir| {
            let book = Book::load(&dir).unwrap();
            let ds = lint(&book);
            (book, ds)
        })
        .collect()
}

fn render(name: &str, book: &Book, ds: &[Diagnostic]) -> Value {
    let sources = book.sources();
    let report = Report {
        diagnostics: ds,
        sources: &sources,
        src_prefix: Path::new("book"),
        color: false,
        lang: archmanual_lint::i18n::Lang::En,
    };
    let mut out = Vec::new();
    format::by_name(name)
        .unwrap()
        .write(&report, &mut out)
        .unwrap();
    serde_json::from_slice(&out).unwrap()
}

#[test]
fn json_and_sarif_severities_are_the_declared_ones() {
    let declared = |code: &str| codes::severity(code).unwrap().to_string();
    let mut seen = HashSet::new();
    for (book, ds) in everything() {
        let json = render("json", &book, &ds);
        for d in json["diagnostics"].as_array().unwrap() {
            let code = d["code"].as_str().unwrap();
            assert_eq!(d["severity"], declared(code).as_str(), "{code} in JSON");
            seen.insert(code.to_string());
        }
        let sarif = render("sarif", &book, &ds);
        let run = &sarif["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        for r in rules {
            let code = r["id"].as_str().unwrap();
            assert_eq!(
                r["defaultConfiguration"]["level"],
                declared(code).as_str(),
                "{code} in SARIF rules"
            );
        }
        for res in run["results"].as_array().unwrap() {
            let code = res["ruleId"].as_str().unwrap();
            assert_eq!(res["level"], declared(code).as_str(), "{code} in SARIF");
            assert_eq!(
                rules[res["ruleIndex"].as_u64().unwrap() as usize]["id"],
                code
            );
        }
        let rd = render("rdjson", &book, &ds);
        for d in rd["diagnostics"].as_array().unwrap() {
            let code = d["code"]["value"].as_str().unwrap();
            // rdjson has no "note": INFO is its lowest severity.
            let want = match declared(code).as_str() {
                "note" => "INFO".to_string(),
                other => other.to_ascii_uppercase(),
            };
            assert_eq!(d["severity"], want.as_str(), "{code} in rdjson");
        }
    }
    // Every rule that reports under its own code was seen (AM017 and AM019
    // report delegated codes only).
    for r in rules() {
        let code = r.meta().code;
        if codes::delegated_by(code).next().is_none() {
            assert!(seen.contains(code), "no {code} finding in the fixtures");
        }
    }
    for code in ["GH001", "GH002", "GH003", "GH004", "PD005"] {
        assert!(seen.contains(code), "no {code} finding in the fixtures");
    }
}
