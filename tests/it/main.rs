//! The integration tests: one binary, as cargo builds it fastest.
//!
//! They run the real `marketgen` binary on fixture sites and on the bundled sample site, and
//! assert on its exit codes, its diagnostics, and the HTML and JSON it writes.

mod browse;
mod browser;
mod build;
mod check;
mod cli;
mod corpus;
mod hostile;
mod html_checker;
mod props;
mod scaffold;
mod schema;
mod security;
mod serve;
mod support;
