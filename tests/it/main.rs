//! The integration tests: one binary, as cargo builds it fastest.
//!
//! They run the real `marketgen` binary on fixture sites and on the bundled sample site, and
//! assert on its exit codes, its diagnostics, and the HTML and JSON it writes.

mod browse;
mod browser;
mod build;
mod cache;
mod check;
mod ci_docs;
mod ci_formats;
mod cli;
mod content_ids;
mod corpus;
mod decode_budget;
mod diff;
mod escaping;
mod git_trust;
mod hostile;
mod html_checker;
mod lifecycle;
mod markdown_stages;
mod media;
mod nothing_silent;
mod policy;
mod props;
mod readiness;
mod report;
mod review;
mod scaffold;
mod schema;
mod security;
mod serve;
mod small_cuts;
mod suite;
mod support;
