use archmanual_model::Span;

use crate::text::host;
use crate::{Context, Fix, Reporter, Rule, RuleMeta};

/// Hosts (and their subdomains) known to serve the same pages over https.
const HTTPS_HOSTS: &[&str] = &[
    "github.com",
    "github.io",
    "githubusercontent.com",
    "gitlab.com",
    "gitee.com",
    "bitbucket.org",
    "apache.org",
    "wikipedia.org",
    "google.com",
    "youtube.com",
    "golang.org",
    "go.dev",
    "rust-lang.org",
    "docs.rs",
    "crates.io",
    "npmjs.com",
    "pypi.org",
    "python.org",
    "readthedocs.io",
    "stackoverflow.com",
    "medium.com",
    "twitter.com",
    "x.com",
    "redis.io",
    "kubernetes.io",
    "cncf.io",
    "docker.com",
    "mozilla.org",
    "microsoft.com",
    "amazon.com",
    "oracle.com",
    "spring.io",
    "alibabacloud.com",
    "aliyun.com",
    "zhihu.com",
    "juejin.cn",
    "infoq.cn",
    "cnblogs.com",
    "csdn.net",
    "arxiv.org",
    "acm.org",
    "usenix.org",
    "mongodb.com",
    "mysql.com",
    "postgresql.org",
    "elastic.co",
    "grafana.com",
    "prometheus.io",
    "nginx.org",
    "nginx.com",
    "eclipse.org",
    "jenkins.io",
    "tensorflow.org",
    "pytorch.org",
    "huggingface.co",
    "reactjs.org",
    "react.dev",
    "vuejs.org",
    "nodejs.org",
];

declare_rule! {
    /// 使用了 `http://`，而该网站支持 `https://`。
    ///
    /// ## 检查什么
    ///
    /// 正文和链接中指向 github.com、gitee.com、*.apache.org、维基百科等已知支持 HTTPS 的网站的
    /// `http://` 地址（代码块除外）。明文链接会被劫持，也多一次跳转。条目（链接和 `官网:` 字段）
    /// 按贡献指南一律使用 `https://`，所以条目里的 `http://` 不论是哪个网站都会报告（此时不自动修复）。
    ///
    /// ## 如何修复
    ///
    /// 改成 `https://`；`--fix` 会自动替换。
    pub(crate) struct InsecureHttp {
        code: "AM012",
        name: "insecure-http",
        severity: Warning,
    }
}

impl Rule for InsecureHttp {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Reporter<'_>) {
        for (file, ch) in cx.sources() {
            let doc = &ch.doc;
            let src = doc.source.as_str();
            // Link destinations (Markdown and HTML) and URLs written in prose.
            let mut starts: Vec<usize> = doc
                .links
                .iter()
                .filter_map(|l| l.dest_span)
                .chain(doc.text_urls.iter().copied())
                .map(|s| s.start)
                .filter(|&i| {
                    src.get(i..i + "http://".len())
                        .is_some_and(|p| p.eq_ignore_ascii_case("http://"))
                })
                .collect();
            starts.sort_unstable();
            starts.dedup();
            for i in starts {
                let end = src[i..]
                    .find(|c: char| {
                        c.is_whitespace() || matches!(c, ')' | '>' | '"' | '\'' | '<' | '）')
                    })
                    .map_or(src.len(), |e| i + e);
                let url = &src[i..end];
                let Some(h) = host(url) else { continue };
                if !HTTPS_HOSTS
                    .iter()
                    .any(|k| h == *k || h.ends_with(&format!(".{k}")))
                {
                    // The contributing guide asks entries (their link and
                    // their `官网:` field) for https:// whatever the host;
                    // whether this one serves it is not known, so no fix.
                    if doc
                        .entries
                        .iter()
                        .any(|e| e.item_span.start <= i && i < e.item_span.end)
                    {
                        out.at(
                            file,
                            ch,
                            Span::new(i, end),
                            format!("`{url}` in a catalog entry uses http://; entries link with https://"),
                        )
                        .help = Some(
                            "check that the site answers on https:// and write that; a site without https is better left out"
                                .into(),
                        );
                    }
                    continue;
                }
                let d = out.at(
                    file,
                    ch,
                    Span::new(i, end),
                    format!("`{url}` uses http:// but {h} serves https://"),
                );
                d.help = Some("use https://".into());
                d.fix = Some(Fix {
                    message: "use https://".into(),
                    start: i,
                    end: i + "http://".len(),
                    replacement: "https://".into(),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixture() {
        crate::testing::check_fixture(&super::InsecureHttp);
    }
}
