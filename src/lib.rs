//! marketgen: a static-site generator for a public connector marketplace.
//!
//! The flow is load → validate → render → write, one module each:
//!
//! - [`load`] reads a site folder into raw, spanned records and pages (YAML through one wrapper);
//! - [`validate`] checks them against the content contract and yields the [`model::Catalog`];
//! - [`render`] turns the catalogue into output files through the theme, seeing only the public
//!   view of each record;
//! - [`write`] swaps the new site into the output folder atomically.
//!
//! Content problems are [`diag::Diagnostic`]s, printed by [`diag::emit`]; environment problems
//! are `anyhow` errors. [`cli`] maps both to exit codes.

pub mod cache;
pub mod cli;
pub mod diag;
pub mod diff;
pub mod load;
pub mod markdown;
pub mod mdtext;
pub mod model;
pub mod paths;
pub mod pipeline;
pub mod progress;
pub mod render;
pub mod report;
pub mod review;
pub mod scaffold;
pub mod schema;
pub mod serve;
pub mod urls;
pub mod validate;
pub mod write;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use diag::{Diagnostics, Sources};

/// How the team's commands (`diff`, `report`) print what they found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TextFormat {
    /// Plain text for the terminal.
    Human,
    /// Markdown, for an issue or a pull-request comment.
    Markdown,
    /// One JSON document.
    Json,
}

/// What a `check` found.
pub struct Report {
    pub sources: Sources,
    pub diagnostics: Diagnostics,
}

impl Report {
    /// Whether the content fails: any error, or any warning when `strict`.
    pub fn fails(&self, strict: bool) -> bool {
        self.diagnostics.has_errors() || (strict && !self.diagnostics.is_empty())
    }
}

#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub root: PathBuf,
    /// Days since 1970-01-01.
    pub today: i64,
    pub base_url: Option<String>,
    /// Also render records that are not listed, each marked as a preview (`build` and `serve`
    /// only: they never reach listings, the sitemap or catalogue.json).
    pub preview: bool,
    /// A connector folder under `root` to preview on its own, instead of the site at `root`.
    pub lone: Option<Lone>,
    /// Apply the rules of listed records whatever each record's status (`check --ready`):
    /// what a record still needs before it can be listed.
    pub as_listed: bool,
    /// What content may do, in place of what the site's own settings let it: under
    /// `check --base REV` and `diff REV`, the revision's (limits apply as files are read).
    pub policy: Option<model::ContentPolicy>,
    /// The build cache to read and fill; `None` under `--no-cache`.
    pub cache: Option<CacheOptions>,
}

/// Where the build cache lives and how large it may grow (`--cache-dir`, `--cache-max-mib`).
#[derive(Debug, Clone)]
pub struct CacheOptions {
    pub dir: PathBuf,
    /// After a run that stored entries, the least recently used are deleted down to this.
    pub max_bytes: u64,
}

impl CacheOptions {
    /// The folder a site's cache goes to by default, ignored by git (the folder says so itself).
    pub const DEFAULT_DIR: &str = ".marketgen-cache";
    /// The default size bound, in MiB: a cold build of 10,000 generated connectors stores
    /// about a third of it.
    pub const DEFAULT_MAX_MIB: u64 = 2048;
}

impl CheckOptions {
    /// The site at `root` as `check` reads it, with none of the options: what the team's
    /// commands (`diff`, `report`, `review`) look at.
    pub fn site(root: PathBuf, today: i64) -> Self {
        CheckOptions {
            root,
            today,
            base_url: None,
            preview: false,
            lone: None,
            as_listed: false,
            policy: None,
            cache: None,
        }
    }
}

/// A connector folder previewed on its own (`marketgen preview`).
#[derive(Debug, Clone)]
pub struct Lone {
    /// The folder's name under the root.
    pub folder: String,
    /// A site whose settings, theme and guide to preview it with, instead of the defaults.
    pub site: Option<PathBuf>,
}

pub struct BuildOptions {
    pub check: CheckOptions,
    pub output: PathBuf,
    pub strict: bool,
    /// Replace an output folder marketgen did not write.
    pub force: bool,
    /// Show a progress bar on a terminal when the build takes more than a moment.
    pub progress: bool,
}

pub struct Built {
    pub pages: usize,
    pub connectors: usize,
    pub files: usize,
    pub timings: Timings,
}

/// Where a build's time went.
#[derive(Debug, Default, Clone, Copy)]
pub struct Timings {
    pub load: Duration,
    pub validate: Duration,
    /// Rendering and writing overlap: files are written as they are rendered.
    pub render: Duration,
    /// Time spent writing files within `render`, summed over threads.
    pub write: Duration,
    /// Moving the new site into place.
    pub swap: Duration,
}

impl Timings {
    pub fn total(&self) -> Duration {
        self.load + self.validate + self.render + self.swap
    }
}

/// Loads and validates the site: everything `build` does short of writing.
pub fn check(options: &CheckOptions) -> anyhow::Result<Report> {
    Ok(check_timed(options, None)?.0)
}

/// A git revision to check the working tree against (`check --base REV`).
#[derive(Debug, Clone)]
pub struct Base {
    /// The revision, as git names it.
    pub rev: String,
    /// The team has reviewed the working tree's changes to what content may do: its own
    /// site.yaml judges the content, and a widening change is a warning, not an error.
    pub allow_policy_change: bool,
}

/// [`check`], and where its time went (`check --timings`). With `base` (`check --base REV`),
/// the content is judged by the revision's policy (limits, HTML mode, image hosts, badges);
/// every change to site.yaml since is a diagnostic (`policy-widened`, `site-setting-changed`),
/// and each badge a record holds that it did not at the revision is a `badge-added` warning.
/// The revision is read and checked as `diff` reads it.
pub fn check_timed(
    options: &CheckOptions,
    base: Option<&Base>,
) -> anyhow::Result<(Report, Timings)> {
    let mut timings = Timings::default();
    let Some(base) = base else {
        let silent = progress::Progress::silent();
        let report = pipeline::run(options, None, false, &mut timings, &silent)?.report;
        return Ok((report, timings));
    };
    let compared = pipeline::against_base(options, base, &mut timings)?;
    let mut report = compared.after.report;
    report.diagnostics.extend(compared.diagnostics);
    report.diagnostics.sort();
    Ok((report, timings))
}

/// Checks, renders and writes the site. The site is swapped in only when the content passes;
/// otherwise the previous output stays untouched and the report says why.
pub fn build(options: &BuildOptions) -> anyhow::Result<(Report, Option<Built>)> {
    let mut timings = Timings::default();
    let staging = write::Staging::new(&options.check.root, &options.output, options.force)?;
    // After the output's own checks, whose refusal says more when the output is misplaced.
    if let Some(cache) = &options.check.cache {
        write::cache::refuse_place(&options.check.root, &cache.dir, Some(&options.output))?;
    }
    let progress = match options.progress {
        true => progress::Progress::on_terminal(),
        false => progress::Progress::silent(),
    };
    let run = pipeline::run(
        &options.check,
        Some(&staging),
        options.strict,
        &mut timings,
        &progress,
    )?;
    drop(progress);
    let Some(rendered) = run.rendered.filter(|_| !run.report.fails(options.strict)) else {
        // Dropping the staging folder removes it: nothing was written in place.
        return Ok((run.report, None));
    };
    timings.write = staging.busy();
    let start = Instant::now();
    staging.finish()?;
    timings.swap = start.elapsed();
    let built = Built {
        pages: rendered.pages,
        connectors: rendered.connectors,
        files: rendered.files,
        timings,
    };
    Ok((run.report, Some(built)))
}

/// Today as days since 1970-01-01: `SOURCE_DATE_EPOCH` when set (reproducible builds and
/// tests), otherwise the system clock.
pub fn today() -> i64 {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    seconds.div_euclid(86_400)
}

/// The default output folder of a site.
pub fn default_output(root: &Path) -> PathBuf {
    root.join("public")
}
