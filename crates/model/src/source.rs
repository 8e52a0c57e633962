//! A chapter (or SUMMARY.md) as read from disk: the text mdBook sees, and
//! everything needed to map positions in it back to the file.
//!
//! **Offsets mean one thing everywhere**: a byte offset into [`SourceFile::text`],
//! the file's content after an optional UTF-8 byte-order mark. That is the
//! text mdBook hands to preprocessors (`Chapter::content`), the text the
//! model parses, the text diagnostics point into and the text `--fix` edits.
//! The BOM is kept when the file is written back.

use std::hash::Hasher;
use std::path::{Path, PathBuf};

use archmanual_diagnostics::Location;

use crate::span::{LineIndex, Span};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A source file's text (BOM stripped), its line index and a fingerprint of
/// the bytes it was read from.
#[derive(Debug, Clone)]
pub struct SourceFile {
    path: PathBuf,
    bom: bool,
    text: String,
    lines: LineIndex,
    fingerprint: Option<(usize, u64)>,
}

impl SourceFile {
    /// Reads `path`. Invalid UTF-8 is [`SourceError::Encoding`] with the
    /// position of the first bad byte and the encoding the file looks like.
    pub fn read(path: &Path) -> Result<SourceFile, SourceError> {
        let bytes = std::fs::read(path).map_err(|source| SourceError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        SourceFile::from_bytes(path, bytes)
    }

    /// A source file from bytes read elsewhere.
    pub fn from_bytes(path: impl Into<PathBuf>, bytes: Vec<u8>) -> Result<SourceFile, SourceError> {
        let path = path.into();
        let fingerprint = Some(fingerprint(&bytes));
        let bom = bytes.starts_with(BOM);
        let body = if bom { &bytes[BOM.len()..] } else { &bytes };
        // SIMD validation (std's is byte by byte on CJK text, ~10× slower);
        // the copy it costs is a memcpy. std finds the error's position.
        match simdutf8::basic::from_utf8(body) {
            Ok(text) => Ok(SourceFile {
                lines: LineIndex::new(text),
                path,
                bom,
                text: text.to_owned(),
                fingerprint,
            }),
            Err(_) => {
                // (Both validators reject the same bytes.)
                let valid_up_to = std::str::from_utf8(body)
                    .err()
                    .map_or(0, |e| e.valid_up_to());
                Err(SourceError::Encoding(EncodingError::new(
                    path,
                    body,
                    valid_up_to,
                )))
            }
        }
    }

    /// A source file that is not on disk (tests, generated text).
    pub fn from_text(path: impl Into<PathBuf>, text: impl Into<String>) -> SourceFile {
        let text = text.into();
        SourceFile {
            path: path.into(),
            bom: false,
            lines: LineIndex::new(&text),
            text,
            fingerprint: None,
        }
    }

    /// The path it was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The text after the byte-order mark: what offsets index.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Takes the text out.
    pub fn into_text(self) -> String {
        self.text
    }

    /// True if the file starts with a UTF-8 byte-order mark.
    pub fn has_bom(&self) -> bool {
        self.bom
    }

    /// The line index of [`text`](Self::text).
    pub fn lines(&self) -> &LineIndex {
        &self.lines
    }

    /// 1-based `(line, column)` of a text offset (columns count characters;
    /// the BOM is not a column).
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.lines.line_col(&self.text, offset)
    }

    /// The diagnostic location of a text span.
    pub fn location(&self, span: Span) -> Location {
        self.lines.location(&self.text, span)
    }

    /// The byte offset in the file on disk of a text offset.
    pub fn file_offset(&self, offset: usize) -> usize {
        offset + if self.bom { BOM.len() } else { 0 }
    }

    /// The whole lines a span touches, without the final newline.
    pub fn excerpt(&self, span: Span) -> &str {
        let (first, _) = self.line_col(span.start);
        let (last, _) = self.line_col(span.end.max(span.start));
        let start = self.lines.line_start(first).unwrap_or(0);
        let end = self
            .lines
            .line_start(last + 1)
            .map_or(self.text.len(), |e| e.saturating_sub(1));
        self.text.get(start..end.max(start)).unwrap_or("")
    }

    /// True if the file on disk still has the bytes this was read from
    /// (always true for text that was not read from disk).
    pub fn unchanged_on_disk(&self) -> Result<bool, SourceError> {
        let Some(expected) = self.fingerprint else {
            return Ok(true);
        };
        let bytes = std::fs::read(&self.path).map_err(|source| SourceError::Read {
            path: self.path.clone(),
            source,
        })?;
        Ok(fingerprint(&bytes) == expected)
    }

    /// Replaces the file's text with `text` (BOM kept), atomically, unless
    /// the file changed on disk since it was read ([`SourceError::Changed`]).
    pub fn write(&self, text: &str) -> Result<(), SourceError> {
        if !self.unchanged_on_disk()? {
            return Err(SourceError::Changed {
                path: self.path.clone(),
            });
        }
        let mut bytes = Vec::with_capacity(text.len() + BOM.len());
        if self.bom {
            bytes.extend_from_slice(BOM);
        }
        bytes.extend_from_slice(text.as_bytes());
        archmanual_atomic_write::write_atomic(&self.path, &bytes).map_err(|source| {
            SourceError::Write {
                path: self.path.clone(),
                source,
            }
        })
    }
}

/// Length and a fast 64-bit hash of `bytes`: enough to notice an edit made
/// while we were working (not an adversary), at a fraction of SipHash's cost.
fn fingerprint(bytes: &[u8]) -> (usize, u64) {
    let mut h = rustc_hash::FxHasher::default();
    h.write(bytes);
    (bytes.len(), h.finish())
}

/// Why a source file could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SourceError {
    /// Reading failed.
    #[error("{path}: cannot read", path = path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Writing failed.
    #[error("{path}: cannot write", path = path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not UTF-8.
    #[error(transparent)]
    Encoding(EncodingError),
    /// The file changed on disk after it was read.
    #[error(
        "{path} changed on disk since it was read; nothing was written to it: run the command again",
        path = path.display()
    )]
    Changed {
        /// The file.
        path: PathBuf,
    },
}

/// A file that is not valid UTF-8: where the first bad byte is and which
/// encoding the file looks like.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}:{line}:{column}: {message}; {help}", path = path.display(), message = self.message(), help = self.help())]
pub struct EncodingError {
    /// The file.
    pub path: PathBuf,
    /// Byte offset of the first bad byte in the text after the BOM.
    pub offset: usize,
    /// 1-based line of the first bad byte.
    pub line: usize,
    /// 1-based column (characters) of the first bad byte.
    pub column: usize,
    /// The first bad byte.
    pub byte: u8,
    /// The encoding the whole file decodes cleanly as, e.g. `GBK`.
    pub likely: Option<&'static str>,
}

impl EncodingError {
    fn new(path: PathBuf, body: &[u8], valid_up_to: usize) -> EncodingError {
        let valid = std::str::from_utf8(&body[..valid_up_to]).unwrap_or_default();
        let line = valid.matches('\n').count() + 1;
        let line_start = valid.rfind('\n').map_or(0, |i| i + 1);
        let column = valid[line_start..].chars().count() + 1;
        EncodingError {
            path,
            offset: valid_up_to,
            line,
            column,
            byte: body[valid_up_to],
            likely: likely_encoding(body),
        }
    }

    /// What is wrong, without the position.
    pub fn message(&self) -> String {
        let mut m = format!(
            "the file is not valid UTF-8 (first bad byte 0x{:02X})",
            self.byte
        );
        if let Some(enc) = self.likely {
            m.push_str(&format!("; it looks like {enc}"));
        }
        m
    }

    /// What to do.
    pub fn help(&self) -> String {
        let from = match self.likely {
            Some("GBK") => "GBK",
            Some("Big5") => "BIG5",
            Some("Shift_JIS") => "SHIFT_JIS",
            Some("EUC-KR") => "EUC-KR",
            Some("UTF-16") => "UTF-16",
            _ => "WINDOWS-1252",
        };
        format!(
            "save it as UTF-8, e.g. `iconv -f {from} -t UTF-8 {0} > {0}.utf8` and move the result over the file",
            self.path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        )
    }

    /// The position of the first bad byte as a diagnostic location.
    pub fn location(&self) -> Location {
        Location {
            start: self.offset,
            end: self.offset + 1,
            line: self.line,
            column: self.column,
            end_line: self.line,
            end_column: self.column + 1,
        }
    }
}

/// The legacy encoding `bytes` decode as without errors and with mostly
/// CJK (or Latin) characters, tried in the order a Chinese book would most
/// likely use them.
fn likely_encoding(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Some("UTF-16");
    }
    let candidates: [(&'static encoding_rs::Encoding, &'static str); 4] = [
        (encoding_rs::GBK, "GBK"),
        (encoding_rs::BIG5, "Big5"),
        (encoding_rs::SHIFT_JIS, "Shift_JIS"),
        (encoding_rs::EUC_KR, "EUC-KR"),
    ];
    for (enc, name) in candidates {
        let Some(text) = enc.decode_without_bom_handling_and_without_replacement(bytes) else {
            continue;
        };
        let (mut non_ascii, mut fitting) = (0usize, 0usize);
        for c in text.chars().filter(|c| !c.is_ascii()) {
            non_ascii += 1;
            let fits = match name {
                "Shift_JIS" => is_han(c) || ('\u{3040}'..='\u{30FF}').contains(&c),
                "EUC-KR" => ('\u{AC00}'..='\u{D7AF}').contains(&c),
                _ => {
                    is_han(c)
                        || ('\u{3000}'..='\u{303F}').contains(&c)
                        || ('\u{FF00}'..='\u{FFEF}').contains(&c)
                }
            };
            fitting += usize::from(fits);
        }
        if non_ascii > 0 && fitting * 10 >= non_ascii * 8 {
            return Some(name);
        }
    }
    encoding_rs::WINDOWS_1252
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|_| "Windows-1252 (Latin-1)")
}

fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_index_the_text_after_the_bom() {
        let f =
            SourceFile::from_bytes("a.md", b"\xEF\xBB\xBF# T\n\nsee [x](y)\n".to_vec()).unwrap();
        assert!(f.has_bom());
        assert_eq!(f.text(), "# T\n\nsee [x](y)\n");
        let at = f.text().find('[').unwrap();
        assert_eq!(f.line_col(at), (3, 5));
        assert_eq!(f.file_offset(at), at + 3);
        assert_eq!(f.excerpt(Span::new(at, at + 6)), "see [x](y)");
    }

    #[test]
    fn write_keeps_the_bom_and_refuses_a_changed_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, b"\xEF\xBB\xBFold\n").unwrap();
        let f = SourceFile::read(&path).unwrap();
        f.write("new\n").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"\xEF\xBB\xBFnew\n");
        // `f` was read before the write above: the file changed since.
        assert!(matches!(
            f.write("again\n"),
            Err(SourceError::Changed { .. })
        ));
        assert_eq!(std::fs::read(&path).unwrap(), b"\xEF\xBB\xBFnew\n");
    }

    #[test]
    fn a_same_length_edit_is_a_change() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        let text = "# 标题\n\n".repeat(500);
        std::fs::write(&path, &text).unwrap();
        let f = SourceFile::read(&path).unwrap();
        assert!(f.unchanged_on_disk().unwrap());
        // One byte in the middle, length kept.
        let mut bytes = text.into_bytes();
        bytes[2500] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        assert!(!f.unchanged_on_disk().unwrap());
    }

    #[test]
    fn gbk_text_is_located_and_named() {
        let (gbk, _, _) = encoding_rs::GBK.encode("# 标题\n\n分布式一致性与共识算法。\n");
        let e = match SourceFile::from_bytes("c.md", gbk.into_owned()) {
            Err(SourceError::Encoding(e)) => e,
            other => panic!("{other:?}"),
        };
        assert_eq!((e.line, e.column, e.offset), (1, 3, 2));
        assert_eq!(e.likely, Some("GBK"));
        let shown = e.to_string();
        assert!(
            shown.starts_with("c.md:1:3: the file is not valid UTF-8"),
            "{shown}"
        );
        assert_eq!(shown.matches("UTF-8 (").count(), 1, "{shown}");
        assert!(shown.contains("iconv -f GBK"), "{shown}");
    }

    #[test]
    fn a_stray_latin1_byte_in_english() {
        let e = match SourceFile::from_bytes("c.md", b"ok\ncaf\xE9 au lait\n".to_vec()) {
            Err(SourceError::Encoding(e)) => e,
            other => panic!("{other:?}"),
        };
        assert_eq!((e.line, e.column), (2, 4));
        assert_eq!(e.likely, Some("Windows-1252 (Latin-1)"));
    }
}
