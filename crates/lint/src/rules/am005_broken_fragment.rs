use archmanual_model::{ChapterModel, LinkTarget};

use super::common::{dest_span, is_checkable_link, target_chapter};
use crate::text::edit_distance;
use crate::{Context, Fix, Reporter, Rule, RuleMeta};

declare_rule! {
    /// `#片段` 在目标页面上没有对应的标题或 HTML id。
    ///
    /// ## 检查什么
    ///
    /// `[文字](#选型建议)`、`[文字](../cache/index.md#缓存穿透)` 中的片段，与目标页面上 mdBook 0.5
    /// 生成的标题 id（小写、保留中文、去掉全角标点、重复标题加 `-1`、`{#自定义}` 优先）以及
    /// HTML 的 `id`/`name` 都对不上。片段先做百分号解码再比较，所以 `#%E7%BC%93%E5%AD%98`
    /// 与 `#缓存` 等价。由 `{{#catalog}}` 或 `{{#include}}` 生成内容的页面不检查。
    ///
    /// ## 如何修复
    ///
    /// 改成标题实际的 id（提示里会给出最接近的候选）；只差大小写时 `--fix` 会直接改正。
    /// 也可以给标题加上 `{#稳定-id}`。
    pub(crate) struct BrokenFragment {
        code: "AM005",
        name: "broken-fragment",
        severity: Error,
    }
}

impl Rule for BrokenFragment {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Reporter<'_>) {
        for (file, ch) in cx.sources() {
            let links = ch.links_with_targets();
            for (link, target) in links.filter(|(l, _)| is_checkable_link(l)) {
                let (target, fragment) = match target {
                    LinkTarget::SamePage(f) => (Some(ch), f),
                    LinkTarget::Local {
                        path,
                        fragment: Some(f),
                        escapes_root: false,
                    } => (target_chapter(cx, path), f),
                    _ => continue,
                };
                let Some(target) = target else { continue };
                if fragment.is_empty() || !checkable(target) {
                    continue;
                }
                if target.doc.fragment_ids().any(|id| id == fragment) {
                    continue;
                }
                // Entry anchors are written at build time by the catalog; the
                // model computes the same ones, so links to them are checked too.
                if fragment.starts_with(archmanual_model::ENTRY_ANCHOR_PREFIX)
                    && archmanual_model::entry_anchors(&target.doc).contains(fragment)
                {
                    continue;
                }
                let best = closest(target, fragment);
                let page = target
                    .source_path
                    .as_deref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                let span = dest_span(link);
                let fix = best
                    .filter(|b| {
                        b.to_lowercase() == fragment.to_lowercase() && link.dest_span.is_some()
                    })
                    .and_then(|b| {
                        let written = span.text(&ch.doc.source);
                        let hash = written.find('#')?;
                        Some(Fix {
                            message: format!("use `#{b}`"),
                            start: span.start + hash + 1,
                            end: span.end,
                            replacement: b.to_string(),
                        })
                    });
                let d = out.at(
                    file,
                    ch,
                    span,
                    format!("no heading or HTML id `{fragment}` on `{page}`"),
                );
                d.help = Some(match best {
                    Some(b) => format!(
                        "did you mean `#{b}`? mdBook 0.5 ids are lower-case and drop punctuation"
                    ),
                    None => "link to an existing heading id, or add `{#id}` to the heading".into(),
                });
                d.fix = fix;
            }
        }
    }
}

/// Pages whose ids come from generated or included content cannot be checked.
fn checkable(ch: &ChapterModel) -> bool {
    !ch.doc
        .directives
        .iter()
        .any(|d| d.name == "catalog" || d.includes_file())
}

fn closest<'a>(ch: &'a ChapterModel, fragment: &str) -> Option<&'a str> {
    let lower = fragment.to_lowercase();
    ch.doc
        .fragment_ids()
        .filter_map(|id| {
            if id == lower {
                return Some((0, id));
            }
            let max = (fragment.chars().count() / 3).max(1);
            edit_distance(&id.to_lowercase(), &lower, max).map(|d| (d, id))
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, id)| id)
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixture() {
        crate::testing::check_fixture(&super::BrokenFragment);
    }
}
