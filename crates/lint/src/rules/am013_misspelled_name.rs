use std::collections::{HashMap, HashSet};

use archmanual_model::{ChapterModel, Span};

use archmanual_github_url::classify;

use crate::text::edit_distance;
use crate::{Context, Fix, Reporter, Rule, RuleMeta};

/// Known misspellings and what they should be (seen in the sources the book
/// was written from). ASCII keys match whole tokens; CJK keys match anywhere.
const MISSPELLINGS: &[(&str, &str)] = &[
    ("MTTQ", "MQTT"),
    ("ElasticeSearch", "Elasticsearch"),
    ("ElasticSerach", "Elasticsearch"),
    ("ShardingSpere", "ShardingSphere"),
    ("Logstack", "Logstash"),
    ("sklean", "sklearn"),
    ("Zookeper", "ZooKeeper"),
    ("Kafak", "Kafka"),
    ("Kuberentes", "Kubernetes"),
    ("Kubernets", "Kubernetes"),
    ("Promethues", "Prometheus"),
    ("分布试", "分布式"),
    ("负债均衡", "负载均衡"),
    ("一至性", "一致性"),
    ("消息对列", "消息队列"),
];

/// Canonical spellings of projects and terms the book talks about, beyond
/// the catalog's own entry names.
const KNOWN_NAMES: &[&str] = &[
    "ActiveMQ",
    "Airflow",
    "Alluxio",
    "Angular",
    "Ansible",
    "Apache",
    "APISIX",
    "Apollo",
    "Arthas",
    "Cassandra",
    "ClickHouse",
    "CockroachDB",
    "Consul",
    "Debezium",
    "DolphinScheduler",
    "Dubbo",
    "Elasticsearch",
    "ElasticJob",
    "Envoy",
    "Filebeat",
    "Flink",
    "Flume",
    "Fluentd",
    "Grafana",
    "Hadoop",
    "HBase",
    "HikariCP",
    "Hystrix",
    "Istio",
    "Jaeger",
    "Jenkins",
    "Kafka",
    "Kibana",
    "Kubernetes",
    "Linkerd",
    "Logstash",
    "Memcached",
    "MinIO",
    "MongoDB",
    "MQTT",
    "MySQL",
    "Nacos",
    "Netty",
    "Nginx",
    "OpenResty",
    "OpenTelemetry",
    "Paxos",
    "Pinpoint",
    "PostgreSQL",
    "Presto",
    "Prometheus",
    "Pulsar",
    "PyTorch",
    "RabbitMQ",
    "Redis",
    "Redisson",
    "RocketMQ",
    "Seata",
    "Sentinel",
    "ShardingSphere",
    "SkyWalking",
    "sklearn",
    "scikit-learn",
    "Spark",
    "Spring",
    "StarRocks",
    "Storm",
    "TensorFlow",
    "Terraform",
    "Thrift",
    "TiDB",
    "Tomcat",
    "Trino",
    "Zipkin",
    "ZooKeeper",
    "GitHub",
    "GitLab",
    "JavaScript",
    "TypeScript",
    "Golang",
    "Python",
    "Docker",
    "Raft",
    "Snowflake",
    "Canal",
    "Druid",
    "Kylin",
    "Doris",
    "Hive",
    "Keras",
    "XGBoost",
    "LightGBM",
    "Pandas",
    "NumPy",
    "Jupyter",
    "LangChain",
    "Milvus",
    "macOS",
    "Linux",
    "Windows",
    "Android",
    "JVM",
    "Quartz",
    "Eureka",
    "Ribbon",
    "Feign",
    "Zuul",
    "Gossip",
    "Camunda",
    "Activiti",
    "Flowable",
    "Mixtral",
];

/// Ordinary words that are one edit away from a project name.
const ORDINARY_WORDS: &[&str] = &[
    "about",
    "agent",
    "alert",
    "array",
    "batch",
    "block",
    "bound",
    "brain",
    "broker",
    "build",
    "cache",
    "canary",
    "chain",
    "check",
    "class",
    "client",
    "clock",
    "cloud",
    "codec",
    "commit",
    "config",
    "console",
    "consumer",
    "count",
    "crash",
    "delta",
    "drive",
    "driver",
    "event",
    "field",
    "fixed",
    "flash",
    "float",
    "flush",
    "format",
    "frame",
    "front",
    "graph",
    "group",
    "index",
    "input",
    "issue",
    "label",
    "layer",
    "learn",
    "lease",
    "level",
    "light",
    "limit",
    "local",
    "logic",
    "model",
    "mount",
    "node",
    "order",
    "other",
    "output",
    "paper",
    "parse",
    "parser",
    "party",
    "patch",
    "point",
    "power",
    "print",
    "proxy",
    "query",
    "queue",
    "quick",
    "range",
    "ready",
    "relay",
    "reply",
    "route",
    "router",
    "rules",
    "scale",
    "schema",
    "scope",
    "score",
    "server",
    "service",
    "shard",
    "share",
    "shell",
    "single",
    "slice",
    "small",
    "smart",
    "socket",
    "source",
    "space",
    "spark",
    "split",
    "spout",
    "sprint",
    "stack",
    "stage",
    "start",
    "state",
    "static",
    "status",
    "store",
    "stores",
    "storm",
    "stream",
    "string",
    "strings",
    "style",
    "super",
    "switch",
    "system",
    "table",
    "tasks",
    "theme",
    "token",
    "topic",
    "trace",
    "track",
    "train",
    "trend",
    "trust",
    "tuple",
    "types",
    "union",
    "update",
    "users",
    "value",
    "vector",
    "video",
    "watch",
    "while",
    "window",
    "worker",
    "world",
    "write",
    "writer",
    "reds",
    "hives",
    "kernel",
    "ribbons",
    "canals",
    "consoles",
    "trinity",
    "panda",
    "chrome",
    "election",
    "elections",
    "storms",
    "sparks",
    "hive",
    "rafts",
    "reason",
    "season",
    "lesson",
    "person",
    "prison",
    "poison",
    "docket",
    "locker",
    "locket",
    "linker",
    "linger",
    "finger",
    "ginger",
];

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
    /// 只差大小写的、与已知名称只差词尾（`memcache` 与 `Memcached`）的、大写字母比已知名称多的（`ReDoS`）
    /// 都不报告；在全书出现三次以上的写法视为有意为之。紧跟在“误写为”“写作”等词后面的写法视为
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
        // Skipped spans and prose tokens, computed once per chapter.
        let chapters: Vec<_> = cx
            .sources()
            .map(|(file, ch)| {
                let skip = skipped_spans(ch);
                let prose: Vec<(Span, &str)> = tokens(&ch.doc.source)
                    .filter(|(span, _)| !in_any(&skip, span.start))
                    .collect();
                (file, ch, skip, prose)
            })
            .collect();
        let dict = Dictionary::build(cx, chapters.iter().map(|c| c.3.as_slice()));
        for (file, ch, skip, prose) in &chapters {
            let (file, ch) = (*file, *ch);
            let src = ch.doc.source.as_str();
            // Known CJK misspellings: substring matches.
            for (bad, good) in MISSPELLINGS.iter().filter(|(b, _)| !b.is_ascii()) {
                for (i, _) in src.match_indices(bad) {
                    if !in_any(skip, i) {
                        report(out, file, ch, Span::new(i, i + bad.len()), bad, good, true);
                    }
                }
            }
            for &(span, token) in prose {
                if quoted(src, span.start) {
                    continue;
                }
                if let Some((_, good)) = MISSPELLINGS.iter().find(|(b, _)| *b == token) {
                    report(out, file, ch, span, token, good, true);
                } else if let Some(good) = dict.suggest(token) {
                    report(out, file, ch, span, token, good, false);
                }
            }
            // An entry named almost like its own repository.
            for e in &ch.doc.entries {
                let Some(link) = classify(&e.url) else {
                    continue;
                };
                let Some(repo) = link.repo().map(|k| k.name()) else {
                    continue;
                };
                let name = squash(&e.name);
                let r = squash(repo);
                if name.len() < 5 || name.contains(&r) || r.contains(&name) {
                    continue;
                }
                let max = if name.len() >= 8 { 2 } else { 1 };
                if edit_distance(&name, &r, max).is_some()
                    && !MISSPELLINGS.iter().any(|(b, _)| *b == e.name)
                {
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
    file: &std::path::Path,
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

/// Words that introduce a misspelling on purpose: `（常被误写为 thikphp）`.
const QUOTING: &[&str] = &[
    "误写为",
    "误写成",
    "误作",
    "错写为",
    "错写成",
    "写作",
    "拼写为",
    "misspelled as",
];

/// True if the token at `start` is quoted as a misspelling.
fn quoted(src: &str, start: usize) -> bool {
    let line_start = src[..start].rfind('\n').map_or(0, |i| i + 1);
    let before = src[line_start..start].trim_end();
    QUOTING.iter().any(|q| before.ends_with(q))
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

/// Known names, and how often each token occurs in the book.
struct Dictionary {
    /// Lower-cased spellings that are never reported.
    known: HashSet<String>,
    /// Names misspellings are compared with, by first letter: lower-cased and canonical.
    candidates: HashMap<char, Vec<(String, String)>>,
    /// Occurrences of each token (case-sensitive) in the book's prose.
    counts: HashMap<String, usize>,
}

impl Dictionary {
    fn build<'t>(
        cx: &Context<'_>,
        prose: impl Iterator<Item = &'t [(Span, &'t str)]>,
    ) -> Dictionary {
        let mut known: HashSet<String> = ORDINARY_WORDS.iter().map(|w| w.to_string()).collect();
        let mut candidates: HashMap<String, String> = HashMap::new();
        let bad: HashSet<&str> = MISSPELLINGS.iter().map(|(b, _)| *b).collect();
        for name in KNOWN_NAMES {
            known.insert(name.to_lowercase());
            candidates.insert(name.to_lowercase(), name.to_string());
        }
        let mut counts: HashMap<String, usize> = HashMap::new();
        for (_, ch) in cx.sources() {
            for e in &ch.doc.entries {
                for (_, t) in tokens(&e.name) {
                    known.insert(t.to_lowercase());
                }
                if let Some(repo) = classify(&e.url).as_ref().and_then(|l| l.repo()) {
                    for (_, t) in tokens(repo.name()) {
                        known.insert(t.to_lowercase());
                    }
                }
                let single = tokens(&e.name).count() == 1 && e.name.is_ascii();
                if single && !bad.contains(e.name.as_str()) {
                    candidates
                        .entry(e.name.to_lowercase())
                        .or_insert_with(|| e.name.clone());
                }
            }
        }
        for &(_, t) in prose.flatten() {
            if t.len() >= 5 {
                *counts.entry(t.to_string()).or_default() += 1;
            }
        }
        let mut by_letter: HashMap<char, Vec<(String, String)>> = HashMap::new();
        for (lower, canonical) in candidates {
            if let Some(first) = lower.chars().next().filter(|_| lower.len() >= 5) {
                by_letter.entry(first).or_default().push((lower, canonical));
            }
        }
        for v in by_letter.values_mut() {
            v.sort();
        }
        Dictionary {
            known,
            candidates: by_letter,
            counts,
        }
    }

    /// The name `token` probably meant, if it is a likely misspelling.
    fn suggest(&self, token: &str) -> Option<&str> {
        let len = token.chars().count();
        if len < 5 || token.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let lower = token.to_ascii_lowercase();
        if self.known.contains(&lower) || self.counts.get(token).copied().unwrap_or(0) > 3 {
            return None;
        }
        // Plurals and possessives of names are fine.
        if lower
            .strip_suffix('s')
            .is_some_and(|stem| self.known.contains(stem))
        {
            return None;
        }
        let max = if len >= 9 { 2 } else { 1 };
        let first = lower.chars().next()?;
        let caps = |s: &str| s.chars().skip(1).filter(char::is_ascii_uppercase).count();
        let mut best: Option<(usize, &str)> = None;
        let mut tie = false;
        for (cand_lower, canonical) in self.candidates.get(&first).into_iter().flatten() {
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

#[cfg(test)]
mod tests {
    #[test]
    fn fixture() {
        crate::testing::check_fixture(&super::MisspelledName);
    }

    #[test]
    fn tokens_split_on_cjk() {
        let t: Vec<&str> = super::tokens("使用Kafak作为MQ，Node.js")
            .map(|(_, t)| t)
            .collect();
        assert_eq!(t, vec!["Kafak", "MQ", "Node", "js"]);
    }
}
