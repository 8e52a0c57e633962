use rustc_hash::FxHashSet;
use std::path::Path;
use std::sync::LazyLock;

use archmanual_github_url::classify;
use archmanual_model::{ChapterModel, Span};

use crate::text::edit_distance;
use crate::{Context, Fix, Reporter, Rule, RuleMeta};

/// The word lists (`am013/*.txt`: one entry a line, `#` starts a comment),
/// parsed once, on first use.
struct Lists {
    /// Known misspellings and their correct spelling. ASCII ones match whole
    /// tokens; CJK ones match anywhere in prose.
    misspellings: Vec<(&'static str, &'static str)>,
    /// Canonical spellings of projects and terms beyond the catalog's own entries.
    known_names: Vec<&'static str>,
    /// Ordinary words that are one edit away from a project name.
    ordinary_words: Vec<&'static str>,
    /// English words within reach of a known name (`linked`, `macros`):
    /// an ordinary word is not a misspelt name.
    english_words: Vec<&'static str>,
    /// Words that introduce a misspelling on purpose: `（常被误写为 thikphp）`.
    quoting: Vec<&'static str>,
    /// Shorter tokens are never findings: the shortest ASCII misspelling,
    /// at most 5 (the shortest name compared by edit distance).
    min_token_len: usize,
}

static LISTS: LazyLock<Lists> = LazyLock::new(|| {
    let misspellings: Vec<(&str, &str)> = entries(include_str!("am013/misspellings.txt"))
        .map(|l| {
            let (bad, good) = l
                .split_once(char::is_whitespace)
                .expect("am013/misspellings.txt: `misspelling  correct` on every line");
            (bad, good.trim())
        })
        .collect();
    let min_token_len = misspellings
        .iter()
        .filter(|(bad, _)| bad.is_ascii())
        .map(|(bad, _)| bad.len())
        .fold(5, usize::min);
    Lists {
        misspellings,
        known_names: entries(include_str!("am013/known_names.txt")).collect(),
        ordinary_words: entries(include_str!("am013/ordinary_words.txt")).collect(),
        english_words: entries(include_str!("am013/english_words.txt")).collect(),
        quoting: entries(include_str!("am013/quoting.txt")).collect(),
        min_token_len,
    }
});

/// What a token should be, and whether that is certain (a known
/// misspelling, which `--fix` corrects); `None` if it is fine.
type Verdict<'a> = Option<(&'a str, bool)>;

/// Maps keyed by the book's own words: FxHash (as in rustc) instead of
/// SipHash, whose flooding resistance buys nothing here.
type FxMap<K, V> = rustc_hash::FxHashMap<K, V>;

/// The entries of a word list: lines without `#` comments, trimmed, non-empty.
fn entries(list: &'static str) -> impl Iterator<Item = &'static str> {
    list.lines()
        .map(|l| l.split_once('#').map_or(l, |(entry, _)| entry).trim())
        .filter(|l| !l.is_empty())
}

/// True if AM013 corrects `token` as a known misspelling (so another rule
/// need not report it too).
pub(super) fn is_known_misspelling(token: &str) -> bool {
    LISTS.correction(token).is_some()
}

/// The canonical spelling of a name on AM013's list (`rabbitmq` →
/// `RabbitMQ`), matched without regard to case.
pub(super) fn known_spelling(name: &str) -> Option<&'static str> {
    LISTS
        .known_names
        .iter()
        .find(|k| k.eq_ignore_ascii_case(name))
        .copied()
}

impl Lists {
    /// The correct spelling if `token` is a known misspelling.
    fn correction(&self, token: &str) -> Option<&'static str> {
        self.misspellings
            .iter()
            .find(|(bad, _)| *bad == token)
            .map(|(_, good)| *good)
    }
}

declare_rule! {
    /// 知名项目名称拼写错误。
    ///
    /// ## 检查什么
    ///
    /// 正文、标题和链接文字中的项目名（代码、网址除外）与已知名称只差一两个字母，例如
    /// `MTTQ`（MQTT）、`ElasticeSearch`（Elasticsearch）、`ShardingSpere`（ShardingSphere）、
    /// `Logstack`（Logstash）、`sklean`（sklearn）。已知名称来自书中所有条目的名字、各条目的 GitHub
    /// 仓库名和一份人工维护的名单；英文单词按连续的字母数字切分，中文字符天然是分隔符，
    /// 所以 `使用Kafak作为` 也能查出来。条目名与它自己的仓库名几乎相同却不一致时也会报告。
    /// 只差大小写的、与已知名称只差词尾（`memcache` 与 `Memcached`）的、大写字母比已知名称多的（`ReDoS`）、
    /// 普通英文单词（`linked` 不是 `Linkerd`，词表见 `am013/english_words.txt`）都不报告；不足 6 个字母的词
    /// 不按编辑距离比较（`Linus` 不是 `Linux`），6 到 8 个字母允许差一处，9 个及以上允许差两处；在全书出现三次以上的写法视为有意为之。紧跟在“误写为”“写作”等词后面的写法视为
    /// 有意引用的错拼，也可以把它放进行内代码：`` `thikphp` ``。
    ///
    /// ## 如何修复
    ///
    /// 改成正确的拼写。名单里的已知错拼，`--fix` 会自动改正；其他情况提示里会给出最接近的名字。
    pub(crate) struct MisspelledName {
        code: "AM013",
        name: "misspelled-name",
        severity: Warning,
    }
}

impl Rule for MisspelledName {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Reporter<'_>) {
        let lists = &*LISTS;
        // Per chapter, once: skipped spans, the prose tokens that could be
        // findings, and each entry's repository name.
        let chapters: Vec<_> = cx
            .sources()
            .map(|(file, ch)| {
                let skip = skipped_spans(ch);
                let prose = prose_tokens(&ch.doc.source, &skip, lists.min_token_len);
                let repos: Vec<Option<String>> = ch
                    .doc
                    .entries
                    .iter()
                    .map(|e| classify(&e.url)?.repo().map(|k| k.name().to_string()))
                    .collect();
                (file, ch, skip, prose, repos)
            })
            .collect();
        let dict = Dictionary::build(
            cx,
            lists,
            chapters.iter().flat_map(|c| c.4.iter().flatten()),
        );
        // Every distinct spelling is counted and judged once (the book
        // repeats most words many times); each token keeps its spelling's
        // index, so it is hashed once.
        let mut index: FxMap<&str, usize> = FxMap::default();
        let mut distinct: Vec<(&str, usize)> = Vec::new();
        let token_ids: Vec<Vec<usize>> = chapters
            .iter()
            .map(|c| {
                c.3.iter()
                    .map(|&(_, token)| {
                        let id = *index.entry(token).or_insert_with(|| {
                            distinct.push((token, 0));
                            distinct.len() - 1
                        });
                        distinct[id].1 += 1;
                        id
                    })
                    .collect()
            })
            .collect();
        let verdicts: Vec<Verdict<'_>> = distinct
            .iter()
            .map(|&(token, count)| match lists.correction(token) {
                Some(good) => Some((good, true)),
                None => dict.suggest(token, count).map(|good| (good, false)),
            })
            .collect();
        for ((file, ch, skip, prose, repos), ids) in chapters.iter().zip(&token_ids) {
            let (file, ch) = (*file, *ch);
            let src = ch.doc.source.as_str();
            // Known CJK misspellings: substring matches (SIMD memmem).
            let cjk = lists.misspellings.iter().filter(|(b, _)| !b.is_ascii());
            for (bad, good) in cjk {
                for i in memchr::memmem::find_iter(src.as_bytes(), bad.as_bytes()) {
                    if !in_any(skip, i) {
                        report(out, file, ch, Span::new(i, i + bad.len()), bad, good, true);
                    }
                }
            }
            for (&(span, token), &id) in prose.iter().zip(ids) {
                if let Some((good, fix)) = verdicts[id]
                    && !quoted(lists, src, span.start)
                {
                    report(out, file, ch, span, token, good, fix);
                }
            }
            // An entry named almost like its own repository.
            for (e, repo) in ch.doc.entries.iter().zip(repos) {
                let Some(repo) = repo else {
                    continue;
                };
                let name = squash(&e.name);
                let r = squash(repo);
                if name.len() < 5 || name.contains(&r) || r.contains(&name) {
                    continue;
                }
                let max = if name.len() >= 8 { 2 } else { 1 };
                if edit_distance(&name, &r, max).is_some() && lists.correction(&e.name).is_none() {
                    out.at(
                        file,
                        ch,
                        e.name_span,
                        format!(
                            "entry name `{}` is spelled differently from its repository `{repo}`",
                            e.name
                        ),
                    )
                    .help = Some("check the project's own spelling of its name".into());
                }
            }
        }
    }
}

fn report(
    out: &mut Reporter<'_>,
    file: &Path,
    ch: &ChapterModel,
    span: Span,
    bad: &str,
    good: &str,
    fix: bool,
) {
    let d = out.at(
        file,
        ch,
        span,
        format!("`{bad}` looks like a misspelling of `{good}`"),
    );
    d.help = Some(format!("write `{good}`"));
    if fix {
        d.fix = Some(Fix {
            message: format!("write `{good}`"),
            start: span.start,
            end: span.end,
            replacement: good.to_string(),
        });
    }
}

/// True if the token at `start` is quoted as a misspelling.
fn quoted(lists: &Lists, src: &str, start: usize) -> bool {
    let line_start = src[..start].rfind('\n').map_or(0, |i| i + 1);
    let before = src[line_start..start].trim_end();
    lists.quoting.iter().any(|q| before.ends_with(q))
}

/// Lower-case letters and digits only.
fn squash(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Runs of ASCII letters and digits; everything else (CJK included) separates.
fn tokens(src: &str) -> impl Iterator<Item = (Span, &str)> {
    let bytes = src.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() && !bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if i >= bytes.len() {
            return None;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        Some((Span::new(start, i), &src[start..i]))
    })
}

/// The tokens (see [`tokens`]) of at least `min_len` bytes that start
/// outside `skip` (sorted, merged spans). Skipped spans are jumped over, so
/// code blocks cost nothing.
fn prose_tokens<'s>(src: &'s str, skip: &[Span], min_len: usize) -> Vec<(Span, &'s str)> {
    let bytes = src.as_bytes();
    let word = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_alphanumeric);
    let mut out = Vec::new();
    let (mut i, mut k) = (0, 0);
    loop {
        let Some(start) = next_alnum(bytes, i) else {
            return out;
        };
        i = next_class(bytes, start, false).unwrap_or(bytes.len());
        while skip.get(k).is_some_and(|s| s.end <= start) {
            k += 1;
        }
        if let Some(s) = skip.get(k).filter(|s| s.start <= start) {
            // Skip to the span's end, and past the rest of a token that
            // began inside it.
            if s.end > i {
                i = s.end;
                if word(i - 1) {
                    while word(i) {
                        i += 1;
                    }
                }
            }
        } else if i - start >= min_len {
            out.push((Span::new(start, i), &src[start..i]));
        }
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `word` (little-endian) that is an ASCII
/// letter or digit: SWAR range checks on eight bytes at once (no carries:
/// every sum stays below 0x100 in its byte).
fn alnum_mask(word: u64) -> u64 {
    let low = word & !HIGH;
    let in_range = |x: u64, lo: u64, hi: u64| {
        let at_least_lo = x + (0x80 - lo) * ONES;
        let above_hi = x + (0x7F - hi) * ONES;
        at_least_lo & !above_hi & HIGH
    };
    // `| 0x20` folds A–Z onto a–z and moves nothing else into a–z.
    let letters = in_range(low | (0x20 * ONES), b'a'.into(), b'z'.into());
    let digits = in_range(low, b'0'.into(), b'9'.into());
    (letters | digits) & !word & HIGH
}

/// The eight bytes at `i`, if there are eight.
fn word_at(bytes: &[u8], i: usize) -> Option<u64> {
    let chunk = bytes.get(i..i + 8)?;
    <[u8; 8]>::try_from(chunk).ok().map(u64::from_le_bytes)
}

/// The first byte at or after `i` that is (`want`) or is not an ASCII letter
/// or digit; eight bytes a step.
fn next_class(bytes: &[u8], mut i: usize, want: bool) -> Option<usize> {
    while let Some(word) = word_at(bytes, i) {
        let mask = if want {
            alnum_mask(word)
        } else {
            !alnum_mask(word) & HIGH
        };
        if mask != 0 {
            return Some(i + mask.trailing_zeros() as usize / 8);
        }
        i += 8;
    }
    bytes
        .get(i..)?
        .iter()
        .position(|b| b.is_ascii_alphanumeric() == want)
        .map(|p| i + p)
}

/// The first ASCII letter or digit at or after `i`.
fn next_alnum(bytes: &[u8], i: usize) -> Option<usize> {
    next_class(bytes, i, true)
}

/// Code, link destinations, bare URLs, HTML tags and comments.
fn skipped_spans(ch: &ChapterModel) -> Vec<Span> {
    let doc = &ch.doc;
    let mut out: Vec<Span> = doc.code_blocks.iter().map(|c| c.span).collect();
    out.extend(doc.inline_code.iter().copied());
    out.extend(doc.links.iter().filter_map(|l| l.dest_span));
    out.extend(doc.directives.iter().map(|d| d.span));
    // URLs in prose and raw HTML (tags and comments), from the model.
    out.extend(doc.text_urls.iter().copied());
    out.extend(doc.html.iter().copied());
    out.sort();
    merge(out)
}

/// `spans` must be sorted and merged (see [`skipped_spans`]).
fn in_any(spans: &[Span], offset: usize) -> bool {
    let i = spans.partition_point(|s| s.end <= offset);
    spans.get(i).is_some_and(|s| s.start <= offset)
}

/// Sorts spans and merges overlapping ones, for [`in_any`].
fn merge(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort();
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        match out.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

/// Known names.
struct Dictionary {
    /// Lower-cased spellings that are never reported.
    known: FxHashSet<String>,
    /// Names misspellings are compared with, by first letter: lower-cased
    /// and canonical, shortest first.
    candidates: FxMap<u8, Vec<(String, String)>>,
}

impl Dictionary {
    fn build<'r>(
        cx: &Context<'_>,
        lists: &Lists,
        entry_repos: impl Iterator<Item = &'r String>,
    ) -> Dictionary {
        let mut known: FxHashSet<String> = lists
            .ordinary_words
            .iter()
            .chain(&lists.english_words)
            .map(|w| w.to_string())
            .collect();
        let mut candidates: FxMap<String, String> = FxMap::default();
        for name in &lists.known_names {
            known.insert(name.to_lowercase());
            candidates.insert(name.to_lowercase(), name.to_string());
        }
        for repo in entry_repos {
            for (_, t) in tokens(repo) {
                known.insert(t.to_lowercase());
            }
        }
        for (_, ch) in cx.sources() {
            for e in &ch.doc.entries {
                for (_, t) in tokens(&e.name) {
                    known.insert(t.to_lowercase());
                }
                let single = tokens(&e.name).count() == 1 && e.name.is_ascii();
                if single && lists.correction(&e.name).is_none() {
                    candidates
                        .entry(e.name.to_lowercase())
                        .or_insert_with(|| e.name.clone());
                }
            }
        }
        let mut by_letter: FxMap<u8, Vec<(String, String)>> = FxMap::default();
        for (lower, canonical) in candidates {
            if lower.len() >= 5 {
                by_letter
                    .entry(lower.as_bytes()[0])
                    .or_default()
                    .push((lower, canonical));
            }
        }
        for v in by_letter.values_mut() {
            v.sort_by(|a, b| (a.0.len(), a).cmp(&(b.0.len(), b)));
        }
        Dictionary {
            known,
            candidates: by_letter,
        }
    }

    /// The name `token` (ASCII letters and digits, `count` times in the
    /// book's prose) probably meant, if it is a likely misspelling.
    fn suggest(&self, token: &str, count: usize) -> Option<&str> {
        let len = token.len();
        if len < 5 || token.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let lower = token.to_ascii_lowercase();
        // Spellings used more than three times are deliberate.
        if self.known.contains(&lower) || count > 3 {
            return None;
        }
        // Plurals and possessives of names are fine.
        if lower
            .strip_suffix('s')
            .is_some_and(|stem| self.known.contains(stem))
        {
            return None;
        }
        let max = max_edits(len);
        if max == 0 {
            return None;
        }
        let caps = |s: &str| s.chars().skip(1).filter(char::is_ascii_uppercase).count();
        let mut best: Option<(usize, &str)> = None;
        let mut tie = false;
        let names = self.candidates.get(&lower.as_bytes()[0]);
        // Shortest first: names too short to be within `max` are skipped,
        // and the scan stops at the first one too long.
        for (cand_lower, canonical) in names
            .into_iter()
            .flatten()
            .skip_while(|(c, _)| c.len() + max < len)
            .take_while(|(c, _)| c.len() <= len + max)
        {
            // `memcache`/`Memcached`, `TensorFlowFL`/`TensorFlow`: one extends
            // the other, usually a related name rather than a typo.
            if cand_lower.starts_with(&lower) || lower.starts_with(cand_lower.as_str()) {
                continue;
            }
            // `ReDoS` is not `Redis`: extra capitals mark a different name.
            if caps(token) > caps(canonical) {
                continue;
            }
            if let Some(d) = edit_distance(&lower, cand_lower, max) {
                match best {
                    Some((bd, _)) if d > bd => {}
                    Some((bd, _)) if d == bd => tie = true,
                    _ => {
                        best = Some((d, canonical));
                        tie = false;
                    }
                }
            }
        }
        if tie {
            return None;
        }
        best.map(|(_, c)| c)
    }
}

/// How many edits away from a name a token of `len` bytes may be and still
/// count as its misspelling: none below 6 (in a five-letter word one edit
/// is a fifth of it, and `Linus`, `flame` are words, not `Linux`, `Flume`),
/// one up to 8, two from 9 on.
fn max_edits(len: usize) -> usize {
    match len {
        0..=5 => 0,
        6..=8 => 1,
        _ => 2,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn english_words_and_short_words_are_not_misspellings() {
        use crate::testing::lint_source;
        let quiet = "# 词\n\n- [Linkerd](https://github.com/linkerd/linkerd2) - 服务网格。\n- [Flume](https://github.com/apache/flume) - 日志。\n\n\
            Linked data. linked lists. Macros and macros in macOS. Linus wrote Linux. A flame graph.\n";
        let found = lint_source(&super::MisspelledName, quiet);
        assert!(found.is_empty(), "{found:#?}");
        // Real misspellings of those names are still caught.
        let typos = "# 词\n\n- [Linkerd](https://github.com/linkerd/linkerd2) - 服务网格。\n\n用 Linkred 和 Hystirx。\n";
        let found: Vec<String> = lint_source(&super::MisspelledName, typos)
            .into_iter()
            .map(|d| d.message)
            .collect();
        assert_eq!(
            found,
            [
                "`Linkred` looks like a misspelling of `Linkerd`",
                "`Hystirx` looks like a misspelling of `Hystrix`"
            ],
            "{found:#?}"
        );
    }

    #[test]
    fn fixture() {
        crate::testing::check_fixture(&super::MisspelledName);
    }

    #[test]
    fn word_lists_parse_without_comments() {
        let lists = &*super::LISTS;
        assert_eq!(lists.correction("Kafak"), Some("Kafka"));
        assert_eq!(lists.correction("分布试"), Some("分布式"));
        assert!(lists.known_names.contains(&"ShardingSphere"));
        assert!(lists.ordinary_words.contains(&"docket"));
        assert!(lists.quoting.contains(&"misspelled as"));
        let all = lists.known_names.iter().chain(&lists.ordinary_words);
        assert!(all.clone().all(|w| !w.contains('#') && !w.is_empty()));
        // `MTTQ` is the shortest ASCII misspelling.
        assert_eq!(lists.min_token_len, 4);
    }

    #[test]
    fn alnum_mask_agrees_with_the_byte_test() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut word = [b'~'; 8];
                word[at] = b;
                let mask = super::alnum_mask(u64::from_le_bytes(word));
                let want = if b.is_ascii_alphanumeric() {
                    0x80u64 << (8 * at)
                } else {
                    0
                };
                assert_eq!(mask, want, "byte {b:#04x} at {at}");
            }
        }
        let mixed = *b"a\xE4Z9 _\x80z";
        assert_eq!(
            super::alnum_mask(u64::from_le_bytes(mixed)),
            0x8000_0000_8080_0080
        );
    }

    #[test]
    fn prose_tokens_match_filtering_every_token() {
        use archmanual_model::Span;
        let src = "alpha beta gamma delta `code` epsilonzeta eta theta";
        let cases: &[&[Span]] = &[
            &[],
            &[Span::new(3, 8)],
            &[Span::new(0, 2), Span::new(17, 19)],
            &[Span::new(23, 29), Span::new(33, 37)],
            &[Span::new(11, 30)],
            &[Span::new(40, src.len())],
        ];
        for skip in cases {
            let want: Vec<_> = super::tokens(src)
                .filter(|(span, t)| !super::in_any(skip, span.start) && t.len() >= 3)
                .collect();
            assert_eq!(super::prose_tokens(src, skip, 3), want, "{skip:?}");
        }
        // CJK runs are skipped eight bytes at a time: words right after
        // them, at every alignment, and at the very end are still found.
        for pad in 0..9 {
            let src = format!(
                "{}消息队列Kafka与RocketMQ的对比，常被写成Kafak{}",
                "x".repeat(pad),
                "中".repeat(pad)
            );
            let want: Vec<_> = super::tokens(&src).filter(|(_, t)| t.len() >= 3).collect();
            assert_eq!(super::prose_tokens(&src, &[], 3), want, "{src}");
            let tail = format!("{}Kafak", "中".repeat(pad + 3));
            assert_eq!(super::prose_tokens(&tail, &[], 3).len(), 1, "{tail}");
        }
    }

    #[test]
    fn tokens_split_on_cjk() {
        let t: Vec<&str> = super::tokens("使用Kafak作为MQ，Node.js")
            .map(|(_, t)| t)
            .collect();
        assert_eq!(t, vec!["Kafak", "MQ", "Node", "js"]);
    }
}
