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

pub mod cli;
pub mod diag;
pub mod load;
pub mod markdown;
pub mod model;
pub mod render;
pub mod urls;
pub mod validate;
pub mod write;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use std::collections::BTreeMap;

use rayon::prelude::*;

use diag::{Diagnostics, Sources};

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

pub struct CheckOptions {
    pub root: PathBuf,
    /// Days since 1970-01-01.
    pub today: i64,
    pub base_url: Option<String>,
}

pub struct BuildOptions {
    pub check: CheckOptions,
    pub output: PathBuf,
    pub strict: bool,
    /// Replace an output folder marketgen did not write.
    pub force: bool,
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
    Ok(run(options, None, false, &mut Timings::default())?.0)
}

/// Checks, renders and writes the site. The site is swapped in only when the content passes;
/// otherwise the previous output stays untouched and the report says why.
pub fn build(options: &BuildOptions) -> anyhow::Result<(Report, Option<Built>)> {
    let mut timings = Timings::default();
    let staging = write::Staging::new(&options.check.root, &options.output, options.force)?;
    let (report, rendered) = run(&options.check, Some(&staging), options.strict, &mut timings)?;
    let Some(rendered) = rendered.filter(|_| !report.fails(options.strict)) else {
        // Dropping the staging folder removes it: nothing was written in place.
        return Ok((report, None));
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
    Ok((report, Some(built)))
}

/// The pipeline `check` and `build` share: load and validate the site and every record, then
/// each connector's docs in parallel, one connector at a time (read, check, and with a sink,
/// render and write), so memory holds the records and a few connectors' pages, never the
/// whole site. With a sink and no errors so far, it also renders the listings.
fn run(
    options: &CheckOptions,
    sink: Option<&dyn render::Sink>,
    strict: bool,
    timings: &mut Timings,
) -> anyhow::Result<(Report, Option<render::Rendered>)> {
    let start = Instant::now();
    let (loaded, mut sources, mut diagnostics) = load::load(&options.root)?;
    timings.load = start.elapsed();

    let start = Instant::now();
    let validate_options = validate::Options {
        today: options.today,
        base_url: options.base_url.as_deref(),
    };
    let (catalog, problems) = validate::check(&loaded, &validate_options);
    diagnostics.extend(problems);
    timings.validate = start.elapsed();

    let start = Instant::now();
    let passing = |d: &Diagnostics| !(d.has_errors() || (strict && !d.is_empty()));
    let renderer = match sink {
        Some(sink) if passing(&diagnostics) => Some((
            render::Renderer::new(&catalog, &loaded.theme)?,
            render::Output::new(sink, &loaded.theme),
        )),
        _ => None,
    };
    let renderer = renderer.as_ref().map(|(r, o)| (r, o));
    let per_connector: Vec<ConnectorDocs> = loaded
        .connectors
        .par_iter()
        .map(|source| connector_docs(&loaded, &catalog, source, renderer))
        .collect::<anyhow::Result<_>>()?;
    let mut navs = BTreeMap::new();
    for docs in per_connector {
        diagnostics.extend(docs.diagnostics);
        sources.extend(docs.sources);
        navs.extend(docs.nav);
    }
    let rendered = match renderer {
        Some((renderer, output)) if passing(&diagnostics) => Some(renderer.site(output, &navs)?),
        _ => None,
    };
    timings.render = start.elapsed();
    diagnostics.sort();
    Ok((
        Report {
            sources,
            diagnostics,
        },
        rendered,
    ))
}

/// What the docs pass keeps of one connector.
struct ConnectorDocs {
    diagnostics: Vec<diag::Diagnostic>,
    /// Only the texts that diagnostics point into.
    sources: Sources,
    nav: Option<(String, Vec<render::view::NavItem>)>,
}

fn connector_docs(
    loaded: &load::Loaded,
    catalog: &model::Catalog,
    source: &load::ConnectorSource,
    renderer: Option<(&render::Renderer, &render::Output)>,
) -> anyhow::Result<ConnectorDocs> {
    let (raw, reading) = load::read_docs(&loaded.root, source, loaded.limits);
    let (docs, mut problems) = validate::docs(&raw);
    problems.extend(reading.diagnostics);
    let connector = catalog
        .connector(&source.slug)
        .filter(|c| c.status.is_listed());
    let mut nav = None;
    match (renderer, connector) {
        (Some((renderer, output)), Some(connector)) => {
            let rendered = renderer.connector(connector, &docs)?;
            problems.extend(rendered.diagnostics);
            if !problems.iter().any(diag::Diagnostic::is_error) {
                for file in rendered.files {
                    output.put(file)?;
                }
            }
            nav = Some((connector.slug.clone(), rendered.nav));
        }
        _ => problems.extend(validate::docs_markdown(source, &docs, &catalog.site)),
    }
    Ok(ConnectorDocs {
        sources: reading.sources.only_for(&problems),
        diagnostics: problems,
        nav,
    })
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
