//! Which lines a change touched: `git diff --unified=0` parsed into added or
//! modified line numbers of the new side, per file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

/// Errors running or reading `git diff`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DiffError {
    /// git could not be started.
    #[error("cannot run git (install git or run inside a checkout)")]
    Spawn(#[source] std::io::Error),
    /// git failed (bad revision, not a repository …).
    #[error("`git {args}` failed: {stderr}")]
    Git {
        /// The arguments.
        args: String,
        /// What git said.
        stderr: String,
    },
}

/// Added or modified lines (1-based, new side) per file relative to the repository root.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ChangedLines {
    /// `/`-separated path → line numbers.
    pub files: BTreeMap<String, BTreeSet<usize>>,
}

impl ChangedLines {
    /// True if `line` of `path` was added or changed.
    pub fn contains(&self, path: &str, line: usize) -> bool {
        self.files.get(path).is_some_and(|l| l.contains(&line))
    }

    /// True if `path` has any change.
    pub fn touches(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }
}

/// Parses the output of `git diff --unified=0`.
pub fn parse_unified_diff(diff: &str) -> ChangedLines {
    let mut out = ChangedLines::default();
    let mut current: Option<String> = None;
    for line in diff.lines() {
        if let Some(path) = line.strip_prefix("+++ ") {
            current = match path.trim_end() {
                "/dev/null" => None,
                p => {
                    let p = unquote(p);
                    Some(p.strip_prefix("b/").unwrap_or(&p).to_string())
                }
            };
        } else if let Some(rest) = line.strip_prefix("@@ ") {
            let (Some(path), Some(new)) = (current.as_ref(), rest.split_whitespace().nth(1)) else {
                continue;
            };
            let Some(new) = new.strip_prefix('+') else {
                continue;
            };
            let (start, count) = match new.split_once(',') {
                Some((s, c)) => (
                    s.parse::<usize>().unwrap_or(0),
                    c.parse::<usize>().unwrap_or(0),
                ),
                None => (new.parse::<usize>().unwrap_or(0), 1),
            };
            let lines = out.files.entry(path.clone()).or_default();
            lines.extend(start..start + count);
        }
    }
    out
}

/// Git's C-style quoting of unusual paths (`"b/a\"b"`, octal escapes).
fn unquote(p: &str) -> String {
    let Some(inner) = p.strip_prefix('"').and_then(|s| s.strip_suffix('"')) else {
        return p.to_string();
    };
    let mut bytes = Vec::new();
    let mut it = inner.bytes().peekable();
    while let Some(b) = it.next() {
        if b != b'\\' {
            bytes.push(b);
            continue;
        }
        match it.next() {
            Some(b'n') => bytes.push(b'\n'),
            Some(b't') => bytes.push(b'\t'),
            Some(d @ b'0'..=b'7') => {
                let mut v = u32::from(d - b'0');
                for _ in 0..2 {
                    if let Some(&n @ b'0'..=b'7') = it.peek() {
                        v = v * 8 + u32::from(n - b'0');
                        it.next();
                    }
                }
                bytes.push(v as u8);
            }
            Some(other) => bytes.push(other),
            None => {}
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Runs `git diff --unified=0 base...head` (or `base` against the working
/// tree when `head` is `None`) in `repo`, limited to `paths`.
pub fn git_changed_lines(
    repo: &Path,
    base: &str,
    head: Option<&str>,
    paths: &[&Path],
) -> Result<ChangedLines, DiffError> {
    let range = match head {
        Some(h) => format!("{base}...{h}"),
        None => base.to_string(),
    };
    let mut args: Vec<String> = [
        "-c",
        "core.quotePath=false",
        "diff",
        "--unified=0",
        "--no-color",
        "--no-ext-diff",
        "--diff-filter=AMRC",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.push(range);
    args.push("--".into());
    args.extend(paths.iter().map(|p| p.to_string_lossy().into_owned()));
    let output = Command::new("git")
        .current_dir(repo)
        .args(&args)
        .output()
        .map_err(DiffError::Spawn)?;
    if !output.status.success() {
        return Err(DiffError::Git {
            args: args.join(" "),
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_string(),
        });
    }
    Ok(parse_unified_diff(&String::from_utf8_lossy(&output.stdout)))
}

fn git(repo: &Path, args: &[&str]) -> Result<Vec<u8>, DiffError> {
    let output = Command::new("git")
        .current_dir(repo)
        .args(args)
        .output()
        .map_err(DiffError::Spawn)?;
    if !output.status.success() {
        return Err(DiffError::Git {
            args: args.join(" "),
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_string(),
        });
    }
    Ok(output.stdout)
}

/// The revision a branch's findings are compared with: the merge base of
/// `base` and `head` when `head` is given (what `git diff base...head`
/// compares), else `base` itself (what `git diff base` compares with the
/// working tree).
pub fn git_compare_base(repo: &Path, base: &str, head: Option<&str>) -> Result<String, DiffError> {
    let out = match head {
        Some(h) => git(repo, &["merge-base", base, h])?,
        None => git(
            repo,
            &["rev-parse", "--verify", &format!("{base}^{{commit}}")],
        )?,
    };
    Ok(String::from_utf8_lossy(&out).trim().to_owned())
}

/// Files renamed between `base` and `head` (the working tree when `None`),
/// as git detects them (`-M`): old path → new path, relative to the
/// repository root, `/`-separated, limited to `paths`.
pub fn git_renames(
    repo: &Path,
    base: &str,
    head: Option<&str>,
    paths: &[&Path],
) -> Result<BTreeMap<String, String>, DiffError> {
    let range = match head {
        Some(h) => format!("{base}...{h}"),
        None => base.to_string(),
    };
    let mut args = vec![
        "diff",
        "-M",
        "--name-status",
        "-z",
        "--no-ext-diff",
        &range,
        "--",
    ];
    let paths: Vec<String> = paths
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    args.extend(paths.iter().map(String::as_str));
    let out = git(repo, &args)?;
    let mut fields = out.split(|&b| b == 0).map(|f| String::from_utf8_lossy(f));
    let mut renames = BTreeMap::new();
    // -z output: a status, then one path (two for renames and copies).
    while let Some(status) = fields.next() {
        match status.chars().next() {
            Some('R') => {
                if let (Some(old), Some(new)) = (fields.next(), fields.next()) {
                    renames.insert(old.into_owned(), new.into_owned());
                }
            }
            Some('C') => {
                fields.next();
                fields.next();
            }
            Some(_) => {
                fields.next();
            }
            None => {}
        }
    }
    Ok(renames)
}

/// Writes the tree of `path` at `rev` (a file or directory relative to the
/// repository root, `.` for all of it) under `dest`, as `git archive` does.
/// Returns false when `path` does not exist at `rev`.
pub fn git_export(repo: &Path, rev: &str, path: &str, dest: &Path) -> Result<bool, DiffError> {
    let spec = if path.is_empty() || path == "." {
        format!("{rev}^{{tree}}")
    } else {
        format!("{rev}:{path}")
    };
    let path = if path.is_empty() { "." } else { path };
    let exists = Command::new("git")
        .current_dir(repo)
        .args(["cat-file", "-e", &spec])
        .status()
        .map_err(DiffError::Spawn)?
        .success();
    if !exists {
        return Ok(false);
    }
    let tar = git(repo, &["archive", "--format=tar", rev, "--", path])?;
    let mut child = Command::new("tar")
        .current_dir(dest)
        .args(["-x", "-f", "-"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(DiffError::Spawn)?;
    if let Some(mut stdin) = child.stdin.take() {
        use std::io::Write as _;
        stdin.write_all(&tar).map_err(DiffError::Spawn)?;
    }
    let output = child.wait_with_output().map_err(DiffError::Spawn)?;
    if !output.status.success() {
        return Err(DiffError::Git {
            args: format!("archive {rev} -- {path} | tar -x"),
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_string(),
        });
    }
    Ok(true)
}

/// The top directory of the git work tree containing `dir`, if any.
pub fn git_toplevel(dir: &Path) -> Option<std::path::PathBuf> {
    let out = Command::new("git")
        .current_dir(dir)
        .args(["rev-parse", "--show-toplevel"])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| std::path::PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hunks_of_the_new_side() {
        let diff = "diff --git a/book/a.md b/book/a.md\n--- a/book/a.md\n+++ b/book/a.md\n@@ -3 +3 @@\n-x\n+y\n@@ -10,0 +11,2 @@\n+a\n+b\n@@ -20,2 +22,0 @@\n-gone\n-gone\ndiff --git a/book/del.md b/book/del.md\n--- a/book/del.md\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n--- /dev/null\n+++ \"b/book/\\344\\270\\255.md\"\n@@ -0,0 +1 @@\n+new\n";
        let c = parse_unified_diff(diff);
        assert_eq!(
            c.files["book/a.md"].iter().copied().collect::<Vec<_>>(),
            vec![3, 11, 12]
        );
        assert!(!c.touches("book/del.md"));
        assert!(c.contains("book/中.md", 1));
    }
}
