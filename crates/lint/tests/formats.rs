//! The output formats, on the defects book: the fields each consumer needs.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use archmanual_lint::format::{self, Report};
use archmanual_lint::{Book, Diagnostic, Fix, Location, Severity, lint};
use serde_json::Value;

fn defects() -> (Book, Vec<Diagnostic>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/defects");
    let book = Book::load(&dir).unwrap();
    let ds = lint(&book);
    (book, ds)
}

fn render(name: &str, ds: &[Diagnostic], sources: &HashMap<PathBuf, String>) -> String {
    let report = Report {
        diagnostics: ds,
        sources,
        src_prefix: Path::new("book"),
        color: false,
        lang: archmanual_lint::i18n::Lang::En,
    };
    let mut out = Vec::new();
    format::by_name(name)
        .unwrap()
        .write(&report, &mut out)
        .unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn sarif_has_what_code_scanning_requires() {
    let (book, ds) = defects();
    let v: Value = serde_json::from_str(&render("sarif", &ds, &book.sources())).unwrap();
    assert_eq!(v["version"], "2.1.0");
    assert!(v["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let run = &v["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "archmanual-lint");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.len() >= 20);
    for r in rules {
        for field in [
            "/id",
            "/shortDescription/text",
            "/fullDescription/text",
            "/help/text",
        ] {
            let s = r.pointer(field).and_then(Value::as_str).unwrap_or("");
            assert!(!s.is_empty(), "rule {} lacks {field}", r["id"]);
        }
        assert!(
            ["error", "warning", "note"]
                .contains(&r["defaultConfiguration"]["level"].as_str().unwrap())
        );
    }
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), ds.len());
    let mut fingerprints = HashSet::new();
    for r in results {
        let idx = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(
            rules[idx]["id"], r["ruleId"],
            "ruleIndex points at the rule"
        );
        assert!(!r["message"]["text"].as_str().unwrap().is_empty());
        let loc = &r["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
        assert!(
            uri.starts_with("book/") && !uri.contains("..") && !uri.contains('\\'),
            "{uri}"
        );
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
        let fp = r["partialFingerprints"]["primaryLocationLineHash"]
            .as_str()
            .unwrap();
        assert!(
            fingerprints.insert(fp.to_string()),
            "duplicate fingerprint {fp}"
        );
    }
    // A finding's fingerprint survives the line moving down.
    let mut moved = ds.clone();
    let shifted: HashMap<PathBuf, String> = book
        .sources()
        .into_iter()
        .map(|(k, v)| (k, format!("\n\n{v}")))
        .collect();
    for d in &mut moved {
        if let Some(l) = d.location.as_mut() {
            l.line += 2;
            l.end_line += 2;
        }
    }
    let v2: Value = serde_json::from_str(&render("sarif", &moved, &shifted)).unwrap();
    assert_eq!(
        v["runs"][0]["results"][0]["partialFingerprints"],
        v2["runs"][0]["results"][0]["partialFingerprints"]
    );
}

#[test]
fn json_names_files_relative_to_the_book_source() {
    let (book, ds) = defects();
    let v: Value = serde_json::from_str(&render("json", &ds, &book.sources())).unwrap();
    let items = v["diagnostics"].as_array().unwrap();
    assert_eq!(items.len(), ds.len());
    for (item, d) in items.iter().zip(&ds) {
        assert_eq!(item["file"], d.file.to_string_lossy().as_ref());
        assert_eq!(item["code"], d.code.as_str());
        assert_eq!(item["severity"], d.severity.to_string());
        match d.location {
            Some(l) => {
                assert_eq!(item["line"], l.line);
                assert_eq!(item["end_column"], l.end_column);
            }
            None => assert!(item["line"].is_null()),
        }
        assert_eq!(item.get("fix").is_some(), d.fix.is_some());
    }
}

fn one(
    message: &str,
    file: &str,
    source: &str,
    at: &str,
) -> (Vec<Diagnostic>, HashMap<PathBuf, String>) {
    let start = source.find(at).unwrap();
    let end = start + at.len();
    let line = source[..start].matches('\n').count() + 1;
    let column = source[..start].rsplit('\n').next().unwrap().chars().count() + 1;
    let d = Diagnostic::new("AM012", Severity::Warning, file, message)
        .at(Location {
            start,
            end,
            line,
            column,
            end_line: line,
            end_column: column + at.chars().count(),
        })
        .with_fix(Fix {
            message: "use https://".into(),
            start,
            end: start + 7,
            replacement: "https://".into(),
        });
    (vec![d], [(PathBuf::from(file), source.to_string())].into())
}

#[test]
fn github_annotations_escape_data_and_properties() {
    assert_eq!(format::github_escape_data("50%\nnext\r"), "50%25%0Anext%0D");
    assert_eq!(format::github_escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    let (ds, sources) = one(
        "two\nlines: 100%",
        "dir,x/a:b.md",
        "# T\n\n中文 http://github.com/a/b\n",
        "http://github.com/a/b",
    );
    let out = render("github", &ds, &sources);
    assert_eq!(
        out,
        "::warning file=book/dir%2Cx/a%3Ab.md,line=3,endLine=3,col=4,endColumn=25,title=AM012 (insecure-http)::two%0Alines: 100%25\n"
    );
}

#[test]
fn rdjson_columns_are_utf8_bytes() {
    let (ds, sources) = one(
        "uses http",
        "a.md",
        "# T\n\n中文 http://github.com/a/b\n",
        "http://github.com/a/b",
    );
    let v: Value = serde_json::from_str(&render("rdjson", &ds, &sources)).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!(d["location"]["path"], "book/a.md");
    // `中文 ` is 7 bytes, so the URL starts at byte column 8 (character column 4).
    assert_eq!(
        d["location"]["range"]["start"],
        serde_json::json!({"line": 3, "column": 8})
    );
    assert_eq!(d["severity"], "WARNING");
    assert_eq!(d["code"]["value"], "AM012");
    assert_eq!(d["suggestions"][0]["text"], "https://");
    assert_eq!(
        d["suggestions"][0]["range"]["end"],
        serde_json::json!({"line": 3, "column": 15})
    );
    assert_eq!(v["source"]["name"], "archmanual-lint");
}

#[test]
fn markdown_and_human_summaries() {
    let (ds, sources) = one(
        "a | b <script>",
        "a.md",
        "# T\n\nhttp://github.com/a/b\n",
        "http://github.com/a/b",
    );
    let md = render("markdown", &ds, &sources);
    assert!(
        md.contains("| ⚠️ | `book/a.md:3:1` | AM012 | a \\| b &lt;script&gt;"),
        "{md}"
    );
    let human = render("human", &ds, &sources);
    assert!(human.contains("warning[AM012]: a | b <script>"), "{human}");
    assert!(human.contains("3 │ http://github.com/a/b"), "{human}");
    assert!(
        human.contains("0 error(s), 1 warning(s), 0 note(s); 1 fixable"),
        "{human}"
    );
    assert!(!human.contains('\u{1b}'), "no colour when not asked");
    let report = Report {
        diagnostics: &ds,
        sources: &sources,
        src_prefix: Path::new("book"),
        color: true,
        lang: archmanual_lint::i18n::Lang::En,
    };
    let mut coloured = Vec::new();
    format::by_name("human")
        .unwrap()
        .write(&report, &mut coloured)
        .unwrap();
    assert!(
        String::from_utf8(coloured).unwrap().contains('\u{1b}'),
        "colour on a terminal"
    );
}

#[test]
fn github_says_when_annotations_are_cut_off() {
    let source = "# T\n\nhttp://github.com/a/b\n".to_string();
    let (one_diag, sources) = one("uses http", "a.md", &source, "http://github.com/a/b");
    let many: Vec<Diagnostic> = std::iter::repeat_n(one_diag[0].clone(), 11).collect();
    let out = render("github", &many, &sources);
    assert_eq!(
        out.lines().filter(|l| l.starts_with("::warning ")).count(),
        11
    );
    assert!(
        out.lines()
            .last()
            .unwrap()
            .starts_with("::notice title=archmanual lint::0 error(s), 11 warning(s)")
    );
    assert!(!render("github", &one_diag, &sources).contains("::notice"));
}
