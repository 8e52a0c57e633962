//! End-to-end tests: fixture books under `tests/fixtures/` built through the
//! real mdBook driver, both in-process (`archmanual build`) and with the
//! command preprocessors `book.toml` declares (what plain `mdbook build` does).
#![allow(clippy::print_stderr, reason = "tests say on stderr why they skipped")]

mod build;
mod catalog;
mod contract;
mod github;
mod heading_ids;
mod lint;
mod manual;
mod network_free;
mod one_core;
mod phone;
mod refresh_chain;
mod review;
mod search;
mod search_anybook;
mod search_browser;
mod support;
