//! Rule selectors: `ALL`, a code (`AM013`, `GH002`, `PD005`) or a prefix of
//! codes (`AM`, `AM0`, `AM01`, `GH`, `PD`), as given to `--select` and
//! `--ignore`, in `lint.toml` and in suppression comments.
//!
//! Precedence follows ruff: for each code, the most specific selector that
//! matches it decides; at equal specificity `ignore` wins. Delegated codes sit
//! below the rule that reports them, so the chain for `GH002` is
//! `ALL` < `AM` < `AM0` < `AM01` < `AM017` < `GH` < `GH0` < `GH00` < `GH002`:
//! `--ignore AM017 --select GH002` keeps GH002 alone, `--select AM --ignore GH`
//! drops every GitHub check.
//!
//! Like ruff, a later layer (the command line over `lint.toml`) either starts
//! over (it has `select`: its own `select` and `ignore` decide) or only
//! removes codes (just `ignore`: [`Selection::ignore_after`]).

use std::fmt;

use crate::codes;

/// One selector, normalized to upper case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Selector(String);

/// A selector names no code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown rule code or prefix `{given}`; {}", valid_help())]
pub struct UnknownSelector {
    /// What was written.
    pub given: String,
}

/// What to write instead of an unknown selector: `ALL`, the prefixes and the
/// code ranges.
pub fn valid_help() -> String {
    let mut groups: Vec<(String, Vec<&str>)> = Vec::new();
    for code in codes::all() {
        let letters = code[..2].to_string();
        match groups.iter_mut().find(|(l, _)| *l == letters) {
            Some((_, v)) => v.push(code),
            None => groups.push((letters, vec![code])),
        }
    }
    let described: Vec<String> = groups
        .iter_mut()
        .map(|(letters, v)| {
            v.sort_unstable();
            format!(
                "{letters} ({}–{})",
                v.first().copied().unwrap_or_default(),
                v.last().copied().unwrap_or_default()
            )
        })
        .collect();
    format!(
        "write ALL, a code or a prefix of codes of {}, such as `AM0`, `AM013` or `PD005`",
        described.join(", ")
    )
}

impl Selector {
    /// `ALL`: every code.
    pub fn all() -> Selector {
        Selector("ALL".into())
    }

    /// Parses `text` (case-insensitive, surrounding spaces ignored). A prefix
    /// must keep the two letters and match at least one code.
    pub fn parse(text: &str) -> Result<Selector, UnknownSelector> {
        let s = text.trim().to_ascii_uppercase();
        let unknown = || UnknownSelector {
            given: text.trim().to_string(),
        };
        if s == "ALL" {
            return Ok(Selector(s));
        }
        let well_formed = s.len() >= 2
            && s[..2].chars().all(|c| c.is_ascii_uppercase())
            && s[2..].chars().all(|c| c.is_ascii_digit());
        if well_formed && codes::all().any(|c| c.starts_with(&s)) {
            Ok(Selector(s))
        } else {
            Err(unknown())
        }
    }

    /// The selector as written (upper case).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// How specifically this selector matches `code` (upper case), or `None`
    /// if it does not: `ALL` is 0, a prefix of the code counts its length,
    /// and prefixes of a delegated code rank above the rule that reports it.
    pub fn specificity(&self, code: &str) -> Option<usize> {
        if self.0 == "ALL" {
            return Some(0);
        }
        let delegated = codes::delegated(code);
        if code.starts_with(&self.0) {
            return Some(self.0.len() + if delegated.is_some() { 10 } else { 0 });
        }
        match delegated {
            Some(d) if d.parent.starts_with(&self.0) => Some(self.0.len()),
            _ => None,
        }
    }

    /// True if this selector matches `code`.
    pub fn matches(&self, code: &str) -> bool {
        self.specificity(code).is_some()
    }
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for Selector {
    type Err = UnknownSelector;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Selector::parse(s)
    }
}

/// Which codes are on: `select` and `ignore` resolved by specificity, then
/// `ignore_after` (a later layer's ignores, such as `--ignore` on top of
/// lint.toml) removes what it matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// Selected codes and prefixes (`ALL` when nothing was said).
    pub select: Vec<Selector>,
    /// Ignored codes and prefixes.
    pub ignore: Vec<Selector>,
    /// Codes and prefixes turned off after `select` and `ignore` are resolved.
    pub ignore_after: Vec<Selector>,
}

impl Default for Selection {
    fn default() -> Self {
        Selection {
            select: vec![Selector::all()],
            ignore: Vec::new(),
            ignore_after: Vec::new(),
        }
    }
}

impl Selection {
    /// True if `code` is on: the most specific matching selector is a
    /// `select` (an `ignore` wins a tie); a code no selector matches is off.
    /// Codes lint does not know (none should occur) are on.
    pub fn enabled(&self, code: &str) -> bool {
        if !codes::all().any(|c| c == code) {
            return true;
        }
        let best = |list: &[Selector]| list.iter().filter_map(|s| s.specificity(code)).max();
        let on = match (best(&self.select), best(&self.ignore)) {
            (Some(s), Some(i)) => s > i,
            (Some(_), None) => true,
            (None, _) => false,
        };
        on && !self.ignore_after.iter().any(|s| s.matches(code))
    }

    /// True if the rule `rule` can report a code that is on: its own code,
    /// or for rules that delegate, one of the delegated codes (otherwise the
    /// rule need not run).
    pub fn runs(&self, rule: &str) -> bool {
        let mut delegated = codes::delegated_by(rule).peekable();
        if delegated.peek().is_some() {
            delegated.any(|d| self.enabled(d.code))
        } else {
            self.enabled(rule)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sel(select: &[&str], ignore: &[&str]) -> Selection {
        let p = |v: &[&str]| v.iter().map(|s| Selector::parse(s).unwrap()).collect();
        Selection {
            select: p(select),
            ignore: p(ignore),
            ignore_after: Vec::new(),
        }
    }

    #[test]
    fn parses_codes_and_prefixes() {
        for ok in [
            "ALL", "all", "AM", "am0", "AM01", "AM013", "GH", "GH00", "GH002", "PD005", "PD",
        ] {
            assert!(Selector::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "", "A", "X", "AM9", "AM999", "GH010", "PD006", "AM-013", "E501", "ALLX",
        ] {
            let e = Selector::parse(bad).unwrap_err();
            assert!(e.to_string().contains("write ALL"), "{e}");
        }
        let msg = Selector::parse("AM999").unwrap_err().to_string();
        assert!(
            msg.starts_with("unknown rule code or prefix `AM999`"),
            "{msg}"
        );
        assert!(
            msg.contains("AM (AM001–") && msg.contains("GH (GH000–GH008)"),
            "{msg}"
        );
    }

    #[test]
    fn the_more_specific_selector_wins() {
        let s = sel(&["AM"], &["AM013"]);
        assert!(s.enabled("AM012") && !s.enabled("AM013"));
        let s = sel(&["AM013"], &["AM0"]);
        assert!(s.enabled("AM013") && !s.enabled("AM012") && !s.enabled("AM019"));
        let s = sel(&["ALL", "AM013"], &["AM0"]);
        assert!(s.enabled("AM013") && !s.enabled("AM012") && !s.enabled("GH001"));
        // A tie goes to ignore.
        let s = sel(&["AM013"], &["AM013"]);
        assert!(!s.enabled("AM013"));
        // Not selected at all.
        let s = sel(&["AM01"], &[]);
        assert!(!s.enabled("AM005") && s.enabled("AM010"));
    }

    #[test]
    fn delegated_codes_sit_below_their_rule() {
        let s = sel(&["ALL", "GH002"], &["AM017"]);
        assert!(s.enabled("GH002") && !s.enabled("GH001") && s.enabled("AM005"));
        assert!(s.runs("AM017"));
        let s = sel(&["AM"], &["GH"]);
        assert!(!s.enabled("GH001") && s.enabled("PD005") && !s.runs("AM017"));
        let s = sel(&["PD005"], &[]);
        assert!(s.enabled("PD005") && !s.enabled("PD001") && !s.enabled("AM019"));
        assert!(s.runs("AM019") && !s.runs("AM013"));
        let s = sel(&["AM019"], &["PD005"]);
        assert!(s.enabled("PD001") && !s.enabled("PD005"));
    }
}
