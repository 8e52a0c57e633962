//! Messages in the book's language: every finding a rule's fixture produces
//! has a catalog entry, its Chinese reads as Chinese, and the human format
//! shows it (snapshots under `snapshots/rules_zh/`, one per rule fixture).

use std::path::Path;

use archmanual_lint::i18n::{self, Lang};
use archmanual_lint::{Book, Diagnostic, format, lint, lint_with, rules};

/// Every rule's fixture book and the rule's findings on it.
fn fixture_findings() -> Vec<(String, Book, Vec<Diagnostic>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    let mut out = Vec::new();
    for rule in rules() {
        let code = rule.meta().code;
        let fixture = dir.join(code.to_ascii_lowercase());
        assert!(fixture.exists(), "{code} has no fixture book");
        let book = Book::load(&fixture).unwrap_or_else(|e| panic!("fixture {code}: {e}"));
        // AM021's fixture is about the whole engine (as in `testing.rs`).
        let found = if code == "AM021" {
            lint(&book)
        } else {
            lint_with(&book, &[*rule])
        };
        out.push((code.to_string(), book, found));
    }
    out
}

/// The English texts of a finding: message, help, fix description.
fn texts(d: &Diagnostic) -> Vec<&str> {
    let mut v = vec![d.message.as_str()];
    v.extend(d.help.as_deref());
    v.extend(d.fix.as_ref().map(|f| f.message.as_str()));
    v
}

/// Words that may stay in Latin letters in a Chinese sentence: names of
/// tools, formats and protocols.
const KEPT: &[&str] = &[
    "GitHub",
    "GITHUB_TOKEN",
    "Markdown",
    "mdBook",
    "HTML",
    "UTF",
    "GBK",
    "cp1252",
    "ASCII",
    "SUMMARY",
    "README",
    "index",
    "md",
    "html",
    "https",
    "http",
    "URL",
    "id",
    "ids",
    "ALL",
    "Mermaid",
    "JSON",
    "CSS",
    "DMCA",
    "iconv",
    "min-stars",
    "preprocessor",
    "mailto",
];

/// English prose left in a translation: two Latin words in a row outside
/// backticks that are not names (`is not`, `the file`).
fn leftover_english(text: &str) -> Option<String> {
    let mut outside = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 0 {
            outside.push_str(part);
            outside.push(' ');
        }
    }
    // Paths, hosts, URLs and `{variables}` are identifiers, not prose; a
    // Chinese character or punctuation mark between two words ends a run
    // (`participant、actor` lists keywords).
    for segment in outside.split(|c: char| !c.is_ascii()) {
        if let Some(words) = english_run(segment) {
            return Some(words);
        }
    }
    None
}

/// Two prose words in a row in ASCII-only `segment`.
fn english_run(segment: &str) -> Option<String> {
    let mut run: Vec<&str> = Vec::new();
    let tokens = segment.split(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '(' | ')' | ',' | ';' | '"' | '[' | ']' | '<' | '>' | '*' | '!' | '?' | '='
            )
    });
    for token in tokens {
        let word = token.trim_end_matches(['.', ':']);
        let is_prose = word.len() >= 2
            && word
                .chars()
                .all(|c| c.is_ascii_alphabetic() || c == '\'' || c == '-')
            && !KEPT.iter().any(|k| k.eq_ignore_ascii_case(word));
        if is_prose {
            run.push(word);
            if run.len() >= 2 {
                return Some(run.join(" "));
            }
        } else if !word.is_empty() {
            run.clear();
        }
    }
    None
}

#[test]
fn every_fixture_finding_has_a_chinese_entry() {
    let mut missing = Vec::new();
    let mut checked = 0;
    for (code, _, found) in fixture_findings() {
        for d in &found {
            for text in texts(d) {
                checked += 1;
                if i18n::template_of(Lang::Zh, text).is_none() {
                    missing.push(format!("{code} ({}): {text}", d.code));
                }
            }
        }
    }
    assert!(
        checked > 100,
        "only {checked} texts: are the fixtures loading?"
    );
    assert!(
        missing.is_empty(),
        "add these to crates/lint/src/i18n/zh.txt:\n{}",
        missing.join("\n")
    );
}

#[test]
fn chinese_findings_have_no_english_prose_left() {
    for (code, _, found) in fixture_findings() {
        for d in &found {
            let l = i18n::localise(Lang::Zh, d);
            for text in [Some(&l.message), l.help.as_ref(), l.fix.as_ref()]
                .into_iter()
                .flatten()
            {
                assert!(
                    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                    "{code}: no Chinese in {text:?}"
                );
                if let Some(words) = leftover_english(text) {
                    panic!("{code}: English {words:?} left in {text:?}");
                }
            }
        }
    }
}

#[test]
fn catalog_translations_keep_their_variables_and_read_as_chinese() {
    let catalog = i18n::catalog(Lang::Zh);
    assert!(catalog.len() > 100, "{}", catalog.len());
    let vars = |t: &str| -> Vec<String> {
        let t = t.replace("{{", "").replace("}}", "");
        let mut v: Vec<String> = t
            .split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(n, _)| n.to_string()))
            .filter(|n| n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            .collect();
        v.sort();
        v
    };
    let mut bad = Vec::new();
    for (en, zh) in &catalog {
        if vars(en) != vars(zh) {
            bad.push(format!("variables differ:\n  en: {en}\n  zh: {zh}"));
        }
        if let Some(words) = leftover_english(zh) {
            bad.push(format!("English {words:?} left in {zh:?}"));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn leftover_english_is_detected() {
    assert_eq!(leftover_english("链接 `a b c` 不存在").as_deref(), None);
    assert_eq!(leftover_english("请运行 GitHub 检查").as_deref(), None);
    assert_eq!(
        leftover_english("链接 does not exist").as_deref(),
        Some("does not")
    );
}

fn render(book: &Book, ds: &[Diagnostic], name: &str, lang: Lang) -> String {
    let report = format::Report {
        diagnostics: ds,
        sources: &book.files_read,
        src_prefix: Path::new("src"),
        color: false,
        lang,
    };
    let mut out = Vec::new();
    format::by_name(name)
        .unwrap()
        .write(&report, &mut out)
        .unwrap();
    String::from_utf8(out).unwrap()
}

/// The human format in Chinese for every rule fixture.
#[test]
fn human_format_in_chinese_for_every_rule_fixture() {
    for (code, book, found) in fixture_findings() {
        let text = render(&book, &found, "human", Lang::Zh);
        if !found.is_empty() {
            assert!(!text.contains("help: "), "{code}: English label\n{text}");
        }
        insta::with_settings!({
            snapshot_path => "snapshots/rules_zh",
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(code, text);
        });
    }
}

#[test]
fn english_stays_english() {
    let (_, book, found) = fixture_findings()
        .into_iter()
        .find(|(c, _, _)| c == "AM013")
        .unwrap();
    let text = render(&book, &found, "human", Lang::En);
    for d in &found {
        assert!(text.contains(&d.message), "{}", d.message);
    }
    assert!(text.contains("help: write `Logstash`"), "{text}");
    // The fix line says what it replaces.
    assert!(text.contains("fix: `Logstack` → `Logstash`"), "{text}");
    assert!(!text.contains("笔误"), "{text}");
    let zh = render(&book, &found, "human", Lang::Zh);
    assert!(zh.contains("`Logstack` 像是 `Logstash` 的笔误"), "{zh}");
    assert!(zh.contains("修复：`Logstack` → `Logstash`"), "{zh}");
}

#[test]
fn machine_formats_keep_english_and_add_the_translation() {
    let (_, book, found) = fixture_findings()
        .into_iter()
        .find(|(c, _, _)| c == "AM012")
        .unwrap();
    let d = &found[0];
    let zh = i18n::localise(Lang::Zh, d);
    // JSON: `message`/`help` English, `*_localized` beside them only when
    // the language is not English.
    let v: serde_json::Value =
        serde_json::from_str(&render(&book, &found, "json", Lang::Zh)).unwrap();
    let first = &v["diagnostics"][0];
    assert_eq!(first["message"], d.message.as_str());
    assert_eq!(first["help"], d.help.as_deref().unwrap());
    assert_eq!(first["lang"], "zh");
    assert_eq!(first["message_localized"], zh.message.as_str());
    assert_eq!(first["help_localized"], zh.help.as_deref().unwrap());
    let v: serde_json::Value =
        serde_json::from_str(&render(&book, &found, "json", Lang::En)).unwrap();
    assert!(v["diagnostics"][0].get("message_localized").is_none());
    // SARIF: `message.text` English; the translation in the property bag.
    let v: serde_json::Value =
        serde_json::from_str(&render(&book, &found, "sarif", Lang::Zh)).unwrap();
    let result = &v["runs"][0]["results"][0];
    assert!(
        result["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with(&d.message)
    );
    assert_eq!(
        result["properties"]["messageLocalized"],
        zh.message.as_str()
    );
    assert_eq!(result["properties"]["lang"], "zh");
    assert_eq!(
        result["properties"]["helpLocalized"],
        zh.help.as_deref().unwrap()
    );
    let v: serde_json::Value =
        serde_json::from_str(&render(&book, &found, "sarif", Lang::En)).unwrap();
    assert!(v["runs"][0]["results"][0].get("properties").is_none());
    // Markdown and GitHub annotations: the book's language.
    let md = render(&book, &found, "markdown", Lang::Zh);
    assert!(md.contains(&zh.message), "{md}");
    assert!(md.contains("| | 位置 | 规则 | 说明 |"), "{md}");
    assert!(render(&book, &found, "github", Lang::Zh).contains("建议："));
}

#[test]
fn book_language_picks_chinese() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(Lang::of_book(dir.path()), Lang::En);
    std::fs::write(
        dir.path().join("book.toml"),
        "[book]\nlanguage = \"zh-CN\"\n",
    )
    .unwrap();
    assert_eq!(Lang::of_book(dir.path()), Lang::Zh);
    std::fs::write(dir.path().join("book.toml"), "[book]\nlanguage = \"en\"\n").unwrap();
    assert_eq!(Lang::of_book(dir.path()), Lang::En);
}

/// Diagram errors (`PDnnn`, reported through AM019) from many broken
/// diagrams, beyond the one the AM019 fixture has.
#[test]
fn diagram_errors_have_chinese_entries() {
    use mdbook_protocol::{Dialect, Limits, parse};
    let protocol = [
        "crash A\nA ->> B: x",
        "deliver nope",
        "timeout A T",
        "timer A T\ntimer A T",
        "recover A",
        "crash A\ncrash A",
        "partition A,B | B: x",
        "heal",
        "A ->> B: x @{colour: red}",
        "A ->> B: x @{lost: 2}",
        "A ->> B: x @{id: a}\nA ->> B: y @{id: a}",
        "participant C\npartition A,C | B",
        "crash B\nA ->> B: x",
        "partition A | B\nA ->> B: y",
        "A ->> B: z @{id: q}",
        "& A ->> B: x",
        "crash A\ntimer A T",
        "A ->> B: x @{class: pink}",
        "A ->> B: x @{delay: 99}",
        "A ->> B: x @{id: a, delay: 2}",
        "A ->> B, C: x",
        "brace A: x",
        "partition A,B",
    ];
    let mermaid = [
        "crash A",
        "timer A T",
        "== x ==",
        "...",
        "[ ->> A: x",
        "end",
        "loop x",
        "participant A\nparticipant A@{ \"type\": \"rocket\" }",
        "autonumber x",
        "Note A: x",
        "Note over A,B,C: x",
        "box\nbox\nend\nend",
        "deactivate A",
        "A ->> B",
        "nonsense here",
        "participant A@{ \"type\": \"database\"",
        "create participant X\nA ->> B: x",
        "participant A; B",
    ];
    let mut texts = Vec::new();
    let mut check = |src: String, dialect| {
        let errors = match parse(&src, dialect, &Limits::default()) {
            Ok((_, warnings)) => warnings,
            Err(errors) => errors,
        };
        for e in errors {
            texts.push((e.code, e.message.clone()));
            texts.extend(
                e.help
                    .clone()
                    .filter(|h| !h.is_empty())
                    .map(|h| (e.code, h)),
            );
        }
    };
    for body in protocol {
        check(
            format!("sequenceDiagram\nparticipant A\nparticipant B\n{body}"),
            Dialect::Protocol,
        );
    }
    for body in mermaid {
        check(format!("sequenceDiagram\n{body}"), Dialect::Mermaid);
    }
    check("graph TD\nA-->B".to_string(), Dialect::Mermaid);
    let distinct: std::collections::BTreeSet<&str> =
        texts.iter().map(|(_, t)| t.as_str()).collect();
    assert!(
        distinct.len() > 40,
        "{} distinct: {distinct:#?}",
        distinct.len()
    );
    let missing: Vec<String> = texts
        .iter()
        .filter(|(_, t)| i18n::template_of(Lang::Zh, t).is_none())
        .map(|(c, t)| format!("{c}: {t}"))
        .collect();
    assert!(
        missing.is_empty(),
        "add these to crates/lint/src/i18n/zh.txt:\n{}",
        missing.join("\n")
    );
    for (code, t) in &texts {
        let zh = i18n::translate(Lang::Zh, t).unwrap();
        assert!(leftover_english(&zh).is_none(), "{code}: {zh}");
    }
}

/// The book with one defect per rule (every rule at once, as `archmanual
/// lint` runs them) and a book without a GitHub snapshot (the GH000 note).
#[test]
fn whole_books_translate() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("book.toml"), "[book]\nsrc = \"src\"\n").unwrap();
    std::fs::create_dir(root.join("src")).unwrap();
    std::fs::write(
        root.join("src/SUMMARY.md"),
        "# Summary\n\n- [消息队列](mq.md)\n",
    )
    .unwrap();
    std::fs::write(
        root.join("src/mq.md"),
        "# 消息队列\n\n- [Kafka](https://github.com/apache/kafka) - 分布式日志。\n",
    )
    .unwrap();
    let defects = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/defects");
    let mut seen = Vec::new();
    for root in [root, defects.as_path()] {
        let book = Book::load(root).unwrap();
        for d in lint(&book) {
            for text in texts(&d) {
                let zh = i18n::translate(Lang::Zh, text)
                    .unwrap_or_else(|| panic!("{}: no entry for {text:?}", d.code));
                assert!(leftover_english(&zh).is_none(), "{}: {zh}", d.code);
            }
            seen.push(d.code.clone());
        }
    }
    assert!(seen.iter().any(|c| c == "GH000"), "{seen:?}");
    assert!(seen.len() > 20, "{seen:?}");
}
