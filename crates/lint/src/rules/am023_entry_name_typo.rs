use archmanual_github_url::classify;

use super::am013_misspelled_name::{is_known_misspelling, known_spelling};
use crate::text::edit_distance;
use crate::{Context, Reporter, Rule, RuleMeta};

declare_rule! {
    /// 条目名和它链接的仓库名只差一两个字母，多半是拼错了。
    ///
    /// ## 检查什么
    ///
    /// 条目链接到 GitHub 仓库时，把条目名（只看字母和数字，不分大小写）和仓库名及其各段
    /// （`rabbitmq-server` 的 `rabbitmq`、`server`）、仓库所有者比较：完全对上，或者一方包含另一方，
    /// 都没有问题（`Apache Kafka` 与 `kafka`、`Nacos` 与 `nacos`）；只差一两个字母
    /// （`RabitMQ` 与 `rabbitmq`）才报告，建议的写法优先取本页其他地方已经用过的写法（如 `RabbitMQ`），其次取 AM013 名单里的写法。
    /// AM013 已经能自动改正的已知错拼（如 `Kafak`）只由 AM013 报告。
    /// 名字本来就和仓库名不同的（`Seata` 链接到 `apache/incubator-seata`，中文名）不会报告。
    ///
    /// ## 如何修复
    ///
    /// 按项目官方的写法改正条目名；如果名字确实如此（项目改过名），可以用抑制注释
    /// `<!-- archmanual-lint-disable AM023 -->` 说明。
    pub(crate) struct EntryNameTypo {
        code: "AM023",
        name: "entry-name-typo",
        severity: Warning,
    }
}

impl Rule for EntryNameTypo {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Reporter<'_>) {
        for (file, ch) in cx.sources() {
            for e in &ch.doc.entries {
                let Some(repo) = classify(&e.url).and_then(|g| g.repo().cloned()) else {
                    continue;
                };
                let name = letters(&e.name);
                // AM013 already corrects a known misspelling.
                if name.chars().count() < 4
                    || !name.is_ascii()
                    || is_known_misspelling(e.name.trim())
                {
                    continue;
                }
                let whole = letters(repo.name());
                let mut known = vec![whole.clone(), letters(repo.owner())];
                known.extend(
                    repo.name()
                        .split(['-', '_', '.'])
                        .map(letters)
                        .filter(|p| !p.is_empty()),
                );
                if known
                    .iter()
                    .any(|k| !k.is_empty() && (k.contains(&name) || name.contains(k.as_str())))
                {
                    continue;
                }
                let max = if name.len() >= 7 { 2 } else { 1 };
                let Some(near) = known
                    .iter()
                    .filter(|k| k.len() >= 4)
                    .filter_map(|k| Some((edit_distance(&name, k, max)?, k)))
                    .min()
                    .map(|(_, k)| k)
                else {
                    continue;
                };
                let spelled = spelling_on_page(&ch.doc.source, near)
                    .or_else(|| known_spelling(near))
                    .unwrap_or(near);
                out.at(
                    file,
                    ch,
                    e.name_span,
                    format!(
                        "entry name `{}` looks like a misspelling of `{spelled}` (its repository is `{}`)",
                        e.name,
                        repo.key()
                    ),
                )
                .help = Some(format!(
                    "write the project's name as its maintainers do, e.g. `{spelled}`"
                ));
            }
        }
    }
}

/// Lower-case letters and digits of `s`.
fn letters(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// How the page itself writes `word` (case-insensitively, as a whole word),
/// so the suggestion is `RabbitMQ`, not `rabbitmq`.
fn spelling_on_page<'a>(source: &'a str, word: &str) -> Option<&'a str> {
    source
        .split(|c: char| !c.is_ascii_alphanumeric())
        .find(|w| w.eq_ignore_ascii_case(word) && w.bytes().any(|b| b.is_ascii_uppercase()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixture() {
        crate::testing::check_fixture(&super::EntryNameTypo);
    }
}
