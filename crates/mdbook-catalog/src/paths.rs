//! Paths of generated pages and links between pages.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use archmanual_model::BookModel;

/// A stable path for the generated page of draft chapter `idx`: the
/// `index.md` of the deepest directory shared by every page under it, unless
/// that file exists or is taken; then `catalog/<section-number>.md`.
pub(crate) fn virtual_path(
    model: &BookModel,
    idx: usize,
    taken: &HashSet<PathBuf>,
    src_dir: &Path,
) -> PathBuf {
    let dirs: Vec<PathBuf> = model
        .descendants(idx)
        .into_iter()
        .filter_map(|i| model.chapters[i].path.as_ref())
        .map(|p| p.parent().map(Path::to_path_buf).unwrap_or_default())
        .collect();
    if let Some(first) = dirs.first() {
        let mut common: Vec<Component<'_>> = first.components().collect();
        for d in &dirs[1..] {
            let n = common
                .iter()
                .zip(d.components())
                .take_while(|(a, b)| *a == b)
                .count();
            common.truncate(n);
        }
        // A lone child's own directory would collide with its page: walk up
        // until a free `index.md` is found.
        while !common.is_empty() {
            let dir: PathBuf = common.iter().collect();
            let candidate = dir.join("index.md");
            if !taken.contains(&candidate) && !src_dir.join(&candidate).exists() {
                return candidate;
            }
            common.pop();
        }
    }
    let number = model.chapters[idx]
        .number
        .clone()
        .unwrap_or_else(|| format!("{idx}"))
        .trim_end_matches('.')
        .replace('.', "-");
    let mut n = 0;
    loop {
        let name = if n == 0 {
            format!("catalog/section-{number}.md")
        } else {
            format!("catalog/section-{number}-{n}.md")
        };
        let p = PathBuf::from(name);
        if !taken.contains(&p) && !src_dir.join(&p).exists() {
            return p;
        }
        n += 1;
    }
}

/// The relative link from page `from` to page `to` (both relative to the source dir).
pub(crate) fn relative_link(from: &Path, to: &Path) -> String {
    let from_dir: Vec<_> = from
        .parent()
        .map(|p| p.components().collect())
        .unwrap_or_default();
    let to_parts: Vec<_> = to.components().collect();
    let common = from_dir
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<String> =
        std::iter::repeat_n("..".to_string(), from_dir.len() - common).collect();
    parts.extend(
        to_parts[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_between_pages() {
        assert_eq!(
            relative_link(
                Path::new("backend/index.md"),
                Path::new("backend/mq/index.md")
            ),
            "mq/index.md"
        );
        assert_eq!(
            relative_link(Path::new("map.md"), Path::new("backend/mq/index.md")),
            "backend/mq/index.md"
        );
        assert_eq!(
            relative_link(
                Path::new("security/application/index.md"),
                Path::new("security/ops/host/index.md")
            ),
            "../ops/host/index.md"
        );
        assert_eq!(
            relative_link(Path::new("catalog/section-3.md"), Path::new("a.md")),
            "../a.md"
        );
    }
}
