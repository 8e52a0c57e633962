//! The rules, one file each. Registering a rule is one line in [`RULES`].

/// Declares a rule's unit struct and its [`crate::RuleMeta`]; the doc comment
/// becomes both the rustdoc and the user's documentation
/// (`book/contributing/lint.md` is generated from it).
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis struct $name:ident {
            code: $code:literal,
            name: $rname:literal,
            severity: $sev:ident $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy)]
        $vis struct $name;

        impl $name {
            pub(crate) const META: $crate::RuleMeta = $crate::RuleMeta {
                code: $code,
                name: $rname,
                severity: $crate::Severity::$sev,
                doc: concat!($($doc, "\n"),*),
            };
        }
    };
}

mod am001_missing_file;
mod am002_readme_link;
mod am003_missing_image;
mod am004_missing_include;
mod am005_broken_fragment;
mod am006_empty_link;
mod am007_malformed_link;
mod am008_unlinked_entry_name;
mod am009_malformed_entry;
mod am010_duplicate_entry;
mod am011_github_owner_link;
mod am012_insecure_http;
mod am013_misspelled_name;
mod am014_mojibake;
mod am015_fullwidth_link_syntax;
mod am016_unreachable_page;
mod am017_github_snapshot;
mod am018_missing_chapter;
mod am019_diagram;
mod am020_editing_trace;
mod am021_unused_suppression;
mod am022_licence_heading;
mod am023_entry_name_typo;
mod common;

use crate::Rule;

/// Every rule, in code order.
pub(crate) static RULES: &[&dyn Rule] = &[
    &am001_missing_file::MissingFile,
    &am002_readme_link::ReadmeLink,
    &am003_missing_image::MissingImage,
    &am004_missing_include::MissingInclude,
    &am005_broken_fragment::BrokenFragment,
    &am006_empty_link::EmptyLink,
    &am007_malformed_link::MalformedLink,
    &am008_unlinked_entry_name::UnlinkedEntryName,
    &am009_malformed_entry::MalformedEntry,
    &am010_duplicate_entry::DuplicateEntry,
    &am011_github_owner_link::GithubOwnerLink,
    &am012_insecure_http::InsecureHttp,
    &am013_misspelled_name::MisspelledName,
    &am014_mojibake::Mojibake,
    &am015_fullwidth_link_syntax::FullwidthLinkSyntax,
    &am016_unreachable_page::UnreachablePage,
    &am017_github_snapshot::GithubSnapshot,
    &am018_missing_chapter::MissingChapter,
    &am019_diagram::Diagram,
    &am020_editing_trace::EditingTrace,
    &am021_unused_suppression::UnusedSuppression,
    &am022_licence_heading::LicenceHeading,
    &am023_entry_name_typo::EntryNameTypo,
];
