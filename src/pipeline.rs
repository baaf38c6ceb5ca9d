//! The pipeline shared by `check`, `build` and `serve`: load and validate the site and every
//! record, then each connector's docs in parallel, one connector at a time (read, check, and
//! with a sink, render and write). Memory holds the records and a few connectors' pages, never
//! the whole site. [`Session`] keeps a good build's records between `serve`'s rebuilds, so
//! that editing one docs page re-runs only that connector's step.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use rayon::prelude::*;

use crate::diag::{self, Diagnostics, Sources};
use crate::progress::Progress;
use crate::render::DocsSummary;
use crate::{CheckOptions, Report, Timings, cache, load, model, render, validate, write};

/// One pass of the pipeline.
pub struct Run {
    pub report: Report,
    /// Present when a sink was given and the content passed.
    pub rendered: Option<render::Rendered>,
    loaded: load::Loaded,
    catalog: model::Catalog,
    docs: BTreeMap<String, DocsSummary>,
    /// The renderer's summaries of `catalog`, for `serve`'s next docs rebuild.
    summaries: Vec<render::view::ConnectorSummary>,
    /// The build cache as this run keyed it, for `serve`'s next docs rebuild.
    cached: Option<Cached>,
    /// The diagnostics of everything but the docs pass, and of each connector's docs pass by
    /// slug: `serve`'s docs rebuild of one connector replaces its part, and reports the whole.
    found: (
        Vec<diag::Diagnostic>,
        BTreeMap<String, Vec<diag::Diagnostic>>,
    ),
}

/// Checks the site and, with a sink and no errors so far, renders it into the sink.
pub fn run(
    options: &CheckOptions,
    sink: Option<&dyn render::Sink>,
    strict: bool,
    timings: &mut Timings,
    progress: &Progress,
) -> anyhow::Result<Run> {
    run_on(options, None, sink, strict, timings, progress)
}

/// [`run`] on the site at `source` instead of the folder `options.root`.
fn run_on(
    options: &CheckOptions,
    source: Option<&load::Source>,
    sink: Option<&dyn render::Sink>,
    strict: bool,
    timings: &mut Timings,
    progress: &Progress,
) -> anyhow::Result<Run> {
    let start = Instant::now();
    let limits = options.policy.as_ref().map(|p| p.limits);
    let (loaded, mut sources, mut diagnostics) = match (&options.lone, source) {
        (_, Some(source)) => load::load(source, limits)?,
        (Some(lone), None) => load::load_lone(&options.root, &lone.folder, lone.site.as_deref())?,
        (None, None) => load::load(&load::Source::folder(&options.root), limits)?,
    };
    timings.load = start.elapsed();

    let start = Instant::now();
    let validate_options = validate::Options {
        today: options.today,
        base_url: options.base_url.as_deref(),
        as_listed: options.as_listed,
        lone: options.lone.is_some(),
        policy: options.policy.as_ref(),
    };
    let (catalog, problems) = validate::check(&loaded, &validate_options);
    diagnostics.extend(problems);
    timings.validate = start.elapsed();

    let start = Instant::now();
    // A lone folder's preview is rendered while its record has errors, as long as there is a
    // record to show: its readiness panel lists them at their lines, which is what the
    // developer is fixing. Nothing invalid reaches the page: a value that fails its check is
    // left out of the record.
    let previewable = options.lone.is_some() && !catalog.connectors.is_empty();
    let passing = |d: &Diagnostics| previewable || !(d.has_errors() || (strict && !d.is_empty()));
    let prepared = match sink {
        Some(sink) if passing(&diagnostics) => Some((
            render::Renderer::new(&catalog, &loaded.theme, scope(options))?,
            render::Output::new(sink, &loaded.theme),
        )),
        _ => None,
    };
    let renderer = prepared.as_ref().map(|(r, o)| (r, o));
    let cached = match (&options.cache, source) {
        // A git revision's site is checked to be compared, never built: it is not cached.
        (Some(cache), None) => {
            Cached::new(cache, options, &loaded, &catalog, renderer.map(|(r, _)| r))?
        }
        _ => None,
    };
    let verb = if renderer.is_some() {
        "rendering"
    } else {
        "checking docs"
    };
    progress.phase(verb, loaded.connectors.len());
    // One budget for every logo the parallel pass decodes, not one per thread.
    let budget = validate::media::Budget::new(&catalog.site.limits);
    let per_connector: Vec<ConnectorDocs> = loaded
        .connectors
        .par_iter()
        .map(|source| {
            let docs = connector_docs(
                options,
                &loaded,
                &catalog,
                source,
                renderer,
                &budget,
                cached.as_ref(),
            );
            progress.step();
            docs
        })
        .collect::<anyhow::Result<_>>()?;
    if let Some(cached) = &cached {
        cached.prune();
    }
    let mut listed_docs = BTreeMap::new();
    let mut found = (
        diagnostics.iter().cloned().collect::<Vec<_>>(),
        BTreeMap::new(),
    );
    for (source, docs) in loaded.connectors.iter().zip(per_connector) {
        found
            .1
            .insert(source.slug.clone(), docs.diagnostics.clone());
        diagnostics.extend(docs.diagnostics);
        sources.extend(docs.sources);
        listed_docs.extend(docs.listed);
    }
    let rendered = match renderer {
        Some((renderer, output)) if passing(&diagnostics) => {
            Some(renderer.site(output, &listed_docs)?)
        }
        _ => None,
    };
    timings.render = start.elapsed();
    if catalog.site.settings == model::Settings::Unreadable && options.policy.is_none() {
        diagnostics = diagnostics
            .into_iter()
            .filter(|d| !validate::judged_by_unread_settings(d))
            .collect();
    }
    diagnostics.sort();
    let summaries = prepared
        .map(|(renderer, _)| renderer.into_summaries())
        .unwrap_or_default();
    Ok(Run {
        report: Report {
            sources,
            diagnostics,
        },
        rendered,
        loaded,
        catalog,
        docs: listed_docs,
        summaries,
        cached,
        found,
    })
}

/// A site loaded and checked, docs included, with nothing rendered: what the team's commands
/// (`diff`, `report`, `review`) read.
pub struct Checked {
    pub loaded: load::Loaded,
    pub catalog: model::Catalog,
    pub report: Report,
}

/// Loads and validates the site as `check` does, keeping what was read and the catalogue.
pub fn checked(options: &CheckOptions) -> anyhow::Result<Checked> {
    checked_timed(options, &mut Timings::default())
}

/// [`checked`] on the site at `source` (a git revision's) rather than at `options.root`.
pub fn checked_at(options: &CheckOptions, source: &load::Source) -> anyhow::Result<Checked> {
    let run = run_on(
        options,
        Some(source),
        None,
        false,
        &mut Timings::default(),
        &Progress::silent(),
    )?;
    Ok(Checked {
        loaded: run.loaded,
        catalog: run.catalog,
        report: run.report,
    })
}

/// [`checked`], noting where the time went.
pub fn checked_timed(options: &CheckOptions, timings: &mut Timings) -> anyhow::Result<Checked> {
    let run = run(options, None, false, timings, &Progress::silent())?;
    Ok(Checked {
        loaded: run.loaded,
        catalog: run.catalog,
        report: run.report,
    })
}

/// The working tree against a git revision, as `check --base` and `diff` read it.
pub struct AgainstBase {
    /// The commit the revision named.
    pub commit: String,
    pub before: Checked,
    pub after: Checked,
    /// What changed in site.yaml and the theme since the revision.
    pub changes: Vec<validate::SettingChange>,
    /// The diagnostics of those changes, and the badges records hold that they did not then.
    pub diagnostics: Vec<diag::Diagnostic>,
}

/// Checks the revision `base.rev` by its own policy, then the working tree by the revision's
/// (by its own once the team allows the change), and compares their settings and badges.
pub fn against_base(
    options: &CheckOptions,
    base: &crate::Base,
    timings: &mut Timings,
) -> anyhow::Result<AgainstBase> {
    let revision = load::git::revision(&options.root, &base.rev)?;
    // The gate judges a pull request: it reads no state other runs left, and leaves none.
    let options = &CheckOptions {
        cache: None,
        ..options.clone()
    };
    let before = checked_at(
        &CheckOptions {
            policy: None,
            ..options.clone()
        },
        &revision.source,
    )?;
    let policy = (!base.allow_policy_change).then(|| before.catalog.site.policy());
    let after = checked_timed(
        &CheckOptions {
            policy,
            ..options.clone()
        },
        timings,
    )?;
    let mut changes = validate::site_changes(&before.loaded, &after.loaded);
    changes.extend(validate::theme_changes(
        &before.loaded.theme.file_ids(&before.loaded.source),
        &after.loaded.theme.file_ids(&after.loaded.source),
        &after.loaded,
    ));
    let mut diagnostics =
        validate::setting_diagnostics(&changes, &after.loaded, &base.rev, base.allow_policy_change);
    diagnostics.extend(validate::badges_added(
        &before.catalog,
        &after.loaded,
        &after.catalog,
        &base.rev,
    ));
    Ok(AgainstBase {
        commit: revision.commit,
        before,
        after,
        changes,
        diagnostics,
    })
}

fn scope(options: &CheckOptions) -> render::Scope {
    match (&options.lone, options.preview) {
        (Some(_), _) => render::Scope::Lone,
        (None, true) => render::Scope::Previews,
        (None, false) => render::Scope::Listed,
    }
}

/// What the docs pass keeps of one connector.
struct ConnectorDocs {
    diagnostics: Vec<diag::Diagnostic>,
    /// Only the texts that diagnostics point into.
    sources: Sources,
    /// A listed connector's slug and what the site-wide files need of its docs.
    listed: Option<(String, DocsSummary)>,
}

#[allow(clippy::too_many_arguments)]
fn connector_docs(
    options: &CheckOptions,
    loaded: &load::Loaded,
    catalog: &model::Catalog,
    source: &load::ConnectorSource,
    renderer: Option<(&render::Renderer, &render::Output)>,
    budget: &validate::media::Budget,
    cached: Option<&Cached>,
) -> anyhow::Result<ConnectorDocs> {
    let (today, lone) = (options.today, options.lone.is_some());
    let (raw, mut reading) = load::read_docs(&loaded.source, source, loaded.limits);
    // The folder's images are read, checked and published here, one connector at a time.
    let (bytes, media_reading) = load::read_media(&loaded.source, source, loaded.limits);
    reading.merge(media_reading);
    let shown = |c: &&model::Connector| renderer.is_some_and(|(r, _)| r.shows(c));
    let connector = catalog.connector(&source.slug).filter(shown);
    // A folder that could not be read whole has diagnostics to report: never cached.
    let key = match cached.filter(|_| reading.diagnostics.is_empty()) {
        Some(cached) => {
            let key = cached.key(
                source,
                &raw,
                &bytes,
                connector,
                renderer.map(|(r, _)| r),
                today,
            )?;
            if let Some(entry) = cached.hit(key) {
                let listed = match (renderer, connector) {
                    (Some((_, output)), Some(connector)) => {
                        let listed = connector.status.is_listed();
                        for (path, bytes) in entry.files {
                            let content = render::Content::Bytes(bytes);
                            output.put_listed(render::OutputFile { path, content }, listed)?;
                        }
                        entry.docs.map(|docs| (connector.slug.clone(), docs))
                    }
                    _ => None,
                };
                return Ok(ConnectorDocs {
                    diagnostics: Vec::new(),
                    sources: Sources::default(),
                    listed,
                });
            }
            Some((cached, key))
        }
        None => None,
    };
    let (docs, mut problems) = validate::docs(&raw, source, &catalog.site);
    let placeholders = validate::Placeholders::of(source, &raw, &bytes);
    let (media, media_problems) = validate::media(source, bytes, &catalog.site, budget);
    problems.extend(media_problems);
    problems.extend(reading.diagnostics);
    // A listed record has no placeholder left; `check --ready` asks the same of any record.
    let listed = catalog
        .connector(&source.slug)
        .is_some_and(|c| c.status.is_listed());
    if listed || options.as_listed {
        problems.extend(validate::placeholder_problems(source, &raw, placeholders));
    }
    // Only a step with nothing to report is stored, so a cached step reports nothing.
    let mut entry = (problems.is_empty() && key.is_some()).then(cache::Entry::default);
    let mut listed_docs = None;
    // A connector with errors is not written: the build fails, or serve keeps the last good
    // pages; a lone folder's preview is the exception, its panel listing the errors.
    let passing = !problems.iter().any(diag::Diagnostic::is_error) || lone;
    if let (Some((renderer, output)), Some(connector), true) = (renderer, connector, passing) {
        // A record that is not listed is a preview: it shows what it still needs.
        let readiness = match connector.status.is_listed() {
            true => Vec::new(),
            false => validate::readiness(source, &raw, placeholders, &catalog.site, today, lone),
        };
        let rendered = renderer.connector(connector, &docs, &media, &readiness)?;
        let listed = connector.status.is_listed();
        for file in rendered.files {
            if let Some(stored) = &mut entry {
                match &file.content {
                    render::Content::Bytes(bytes) => {
                        stored.files.push((file.path.clone(), bytes.clone()))
                    }
                    render::Content::Shared(bytes) => {
                        stored.files.push((file.path.clone(), bytes.to_vec()))
                    }
                    // Not a connector's own output: nothing to store it as.
                    render::Content::Embedded(_) | render::Content::Copy(_) => entry = None,
                }
            }
            output.put_listed(file, listed)?;
        }
        listed_docs = renderer
            .lists(connector)
            .then(|| (connector.slug.clone(), rendered.docs));
        if let Some(stored) = &mut entry {
            stored.docs = listed_docs.as_ref().map(|(_, docs)| docs.clone());
        }
    }
    if let (Some(entry), Some((cached, key))) = (entry, key) {
        cached.store(key, &entry);
    }
    Ok(ConnectorDocs {
        sources: reading.sources.only_for(&problems),
        diagnostics: problems,
        listed: listed_docs,
    })
}

/// The build cache as one run uses it: where it is, which build of marketgen reads it, and
/// the inputs every connector's step shares, hashed once.
struct Cached {
    options: crate::CacheOptions,
    build: cache::Build,
    site: cache::Hasher,
    /// Bytes stored by this run: a run that stored nothing prunes nothing.
    stored: AtomicU64,
}

/// An entry used within this long ago is not marked as used again: marking every entry of an
/// unchanged rebuild would cost a write per connector.
const USED_RECENTLY: Duration = Duration::from_secs(3600);

impl Cached {
    fn new(
        options: &crate::CacheOptions,
        check: &CheckOptions,
        loaded: &load::Loaded,
        catalog: &model::Catalog,
        renderer: Option<&render::Renderer>,
    ) -> anyhow::Result<Option<Cached>> {
        write::cache::refuse_place(&check.root, &options.dir, None)?;
        // A folder that cannot be written (a read-only checkout) is no cache, not a failure.
        if write::cache::prepare(&options.dir).is_err() {
            return Ok(None);
        }
        let build = load::cache::build();
        let mut site = cache::Hasher::new("connector");
        // Every input a connector's step reads that is not its own folder: the options that
        // change output (not the root: a checkout elsewhere builds the same site), site.yaml,
        // the settings checked from it, the theme's files and the limits files are read with.
        site.part(&build.0)
            .debug(&(
                &check.base_url,
                check.preview,
                check.as_listed,
                &check.lone,
                &check.policy,
            ))
            .part(loaded.site_file.text.as_bytes())
            .debug(&catalog.site)
            .debug(&loaded.theme.file_ids(&loaded.source))
            .debug(&loaded.limits);
        match renderer {
            Some(renderer) => site.part(&renderer.site_inputs()?),
            None => site.part(b"checked only"),
        };
        Ok(Some(Cached {
            options: options.clone(),
            build,
            site,
            stored: AtomicU64::new(0),
        }))
    }

    /// The key of one connector's step: the shared inputs, everything read from its folder,
    /// its checked record and, when its pages are rendered, what they show of other records
    /// and, for a record still on its way to being listed, today (its readiness panel).
    fn key(
        &self,
        source: &load::ConnectorSource,
        docs: &[load::page::RawPage],
        media: &BTreeMap<String, Vec<u8>>,
        connector: Option<&model::Connector>,
        renderer: Option<&render::Renderer>,
        today: i64,
    ) -> anyhow::Result<cache::Key> {
        let mut key = self.site.clone();
        key.part(source.slug.as_bytes())
            .part(
                source
                    .record_file
                    .as_ref()
                    .map_or(&[][..], |f| f.text.as_bytes()),
            )
            .debug(&source.files)
            .debug(&source.doc_files);
        for page in docs {
            key.debug(&page.file.path).part(page.file.text.as_bytes());
        }
        for (name, bytes) in media {
            key.part(name.as_bytes()).part(bytes);
        }
        key.debug(&connector);
        if let (Some(renderer), Some(connector)) = (renderer, connector) {
            key.part(&renderer.related_inputs(connector)?);
            if !connector.status.is_listed() {
                key.debug(&today);
            }
        }
        Ok(key.key())
    }

    fn hit(&self, key: cache::Key) -> Option<cache::Entry> {
        let (entry, used) = load::cache::read(&self.options.dir, self.build, key)?;
        if SystemTime::now()
            .duration_since(used)
            .is_ok_and(|age| age > USED_RECENTLY)
        {
            write::cache::touch(&self.options.dir, key);
        }
        Some(entry)
    }

    /// Stores an entry; a cache that cannot be written only misses next time.
    fn store(&self, key: cache::Key, entry: &cache::Entry) {
        if let Ok(bytes) = write::cache::store(&self.options.dir, self.build, key, entry) {
            self.stored.fetch_add(bytes, Ordering::Relaxed);
        }
    }

    fn prune(&self) {
        if self.stored.load(Ordering::Relaxed) > 0 {
            write::cache::prune(&self.options.dir, self.options.max_bytes);
        }
    }
}

/// A site kept in memory between `serve`'s rebuilds.
pub struct Session {
    options: CheckOptions,
    out: PathBuf,
    /// A fingerprint of every source file, taken as `load` reads it: a save that changes
    /// nothing rebuilds nothing.
    hashes: HashMap<PathBuf, u64>,
    /// The last run's size caps (site.yaml may raise them): files are hashed within them.
    limits: load::site::Limits,
    /// The last good build, for rebuilding one connector's docs alone.
    last: Option<Run>,
}

/// What one rebuild did.
pub struct Rebuild {
    /// What was rebuilt, for the log: "everything", "the docs of shopify".
    pub what: String,
    pub elapsed: Duration,
    pub report: Report,
    /// Whether the served site changed; false when errors kept the last good site.
    pub written: bool,
}

/// Folders that are never sources: version control, build output, dependencies.
const NOT_SOURCES: &[&str] = &[".git", "target", "public", "node_modules"];

impl Session {
    pub fn new(options: CheckOptions, out: PathBuf) -> Self {
        let limits = load::site::Limits::default();
        let hashes = watched(&options)
            .iter()
            .flat_map(|(dir, recursive)| source_files(dir, *recursive))
            .filter(|p| is_source(&options, p))
            .filter_map(|p| Some((p.clone(), hash_of(&options, &limits, &p)?)))
            .collect();
        Session {
            options,
            out,
            hashes,
            limits,
            last: None,
        }
    }

    /// Rebuilds everything into the served folder, swapping it in only when the content passes.
    pub fn full(&mut self) -> anyhow::Result<Rebuild> {
        let start = Instant::now();
        let staging = write::Staging::new(&self.options.root, &self.out, true)?;
        let mut run = run(
            &self.options,
            Some(&staging),
            false,
            &mut Timings::default(),
            &Progress::silent(),
        )?;
        let previewable = self.options.lone.is_some() && !run.catalog.connectors.is_empty();
        let written = run.rendered.is_some() && (previewable || !run.report.fails(false));
        if written {
            staging.finish()?;
        }
        self.limits = run.loaded.limits;
        // The session keeps the records and the sources for later rebuilds; the diagnostics
        // are kept as found, by part.
        let report = Report {
            sources: run.report.sources.clone(),
            diagnostics: std::mem::take(&mut run.report.diagnostics),
        };
        self.last = written.then_some(run);
        Ok(Rebuild {
            what: "everything".into(),
            elapsed: start.elapsed(),
            report,
            written,
        })
    }

    /// Rebuilds what `paths` affect; `None` when no file's bytes changed.
    pub fn changed(&mut self, paths: &[PathBuf]) -> anyhow::Result<Option<Rebuild>> {
        let mut files: BTreeSet<PathBuf> = BTreeSet::new();
        for path in paths.iter().filter(|p| is_source(&self.options, p)) {
            files.insert(path.clone());
            if self.hashes.contains_key(path) {
                continue;
            }
            // A folder created, deleted, or moved in or out as a whole: a move reports only
            // the folder, and files copied into a new folder before its watch was added report
            // nothing. What it held before and what it holds now are both looked at.
            files.extend(
                self.hashes
                    .keys()
                    .filter(|known| known.starts_with(path))
                    .cloned(),
            );
            if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) {
                files.extend(
                    source_files(path, true)
                        .into_iter()
                        .filter(|p| is_source(&self.options, p)),
                );
            }
        }
        let mut changed = Vec::new();
        for path in files.iter() {
            let hash = hash_of(&self.options, &self.limits, path);
            let before = match hash {
                Some(hash) => self.hashes.insert(path.clone(), hash),
                None => self.hashes.remove(path),
            };
            if before != hash {
                changed.push((path.clone(), before.is_some() && hash.is_some()));
            }
        }
        if changed.is_empty() {
            return Ok(None);
        }
        let slug = docs_slug(&self.options.root, &changed);
        match (slug, &self.last) {
            (Some(slug), Some(_)) => self.docs(&slug).map(Some),
            _ => self.full().map(Some),
        }
    }

    /// Looks at every source file again, for when the watcher cannot tell what changed (its
    /// queue overflowed, or it reported an error).
    pub fn rescan(&mut self) -> anyhow::Result<Option<Rebuild>> {
        let now: Vec<PathBuf> = watched(&self.options)
            .iter()
            .flat_map(|(dir, recursive)| source_files(dir, *recursive))
            .filter(|p| is_source(&self.options, p))
            .collect();
        let all: Vec<PathBuf> = self.hashes.keys().cloned().chain(now).collect();
        self.changed(&all)
    }

    /// One connector's docs, rendered into the served folder in place.
    fn docs(&mut self, slug: &str) -> anyhow::Result<Rebuild> {
        let start = Instant::now();
        let Some(last) = self.last.as_mut() else {
            return self.full();
        };
        let Some(source) = last.loaded.connectors.iter().find(|s| s.slug == slug) else {
            return self.full();
        };
        let in_place = write::InPlace::new(&self.out);
        // Taken, and given back below; none are left after a failed rebuild, and then they
        // are made again.
        let (catalog, theme, scope) = (&last.catalog, &last.loaded.theme, scope(&self.options));
        let renderer = match std::mem::take(&mut last.summaries) {
            summaries if summaries.is_empty() => render::Renderer::new(catalog, theme, scope)?,
            summaries => render::Renderer::with_summaries(catalog, theme, scope, summaries)?,
        };
        let output = render::Output::new(&in_place, &last.loaded.theme);
        let docs = connector_docs(
            &self.options,
            &last.loaded,
            &last.catalog,
            source,
            Some((&renderer, &output)),
            &validate::media::Budget::new(&last.catalog.site.limits),
            last.cached.as_ref(),
        )?;
        let written =
            !docs.diagnostics.iter().any(diag::Diagnostic::is_error) || self.options.lone.is_some();
        // The site-wide files built from all docs are rewritten only when this connector's
        // part of them changed: at 10,000 connectors each is megabytes.
        if let Some((slug, summary)) = docs.listed.filter(|_| written) {
            let before = last.docs.insert(slug, summary.clone()).unwrap_or_default();
            if before.nav != summary.nav || before.sizes != summary.sizes {
                output.put(renderer.catalogue_json(&last.docs)?)?;
            }
            if before.words != summary.words {
                output.put(renderer.search_docs(&last.docs)?)?;
            }
        }
        last.summaries = renderer.into_summaries();
        // The whole site's diagnostics, this connector's docs pass as it is now.
        last.found.1.insert(slug.to_string(), docs.diagnostics);
        last.report.sources.extend(docs.sources);
        let mut diagnostics: Diagnostics = last
            .found
            .0
            .iter()
            .chain(last.found.1.values().flatten())
            .cloned()
            .collect();
        diagnostics.sort();
        let report = Report {
            sources: last.report.sources.clone(),
            diagnostics,
        };
        Ok(Rebuild {
            what: format!("the docs of {slug}"),
            elapsed: start.elapsed(),
            report,
            written,
        })
    }
}

/// The connector whose docs pages alone changed, each of them edited (not added or removed).
fn docs_slug(root: &Path, changed: &[(PathBuf, bool)]) -> Option<String> {
    let mut slugs = changed.iter().map(|(path, edited)| {
        let rel = path.strip_prefix(root).ok()?;
        let parts: Vec<&str> = rel.iter().filter_map(|p| p.to_str()).collect();
        match parts.as_slice() {
            ["content", "connectors", slug, "docs", page] if *edited && page.ends_with(".md") => {
                Some(slug.to_string())
            }
            _ => None,
        }
    });
    let first = slugs.next()??;
    slugs
        .all(|s| s.as_deref() == Some(first.as_str()))
        .then_some(first)
}

/// The folders to watch, each with whether to watch inside it: a lone connector folder, or
/// the site's root (for site.yaml alone) and the folders `load` reads.
pub fn watched(options: &CheckOptions) -> Vec<(PathBuf, bool)> {
    let root = &options.root;
    match &options.lone {
        Some(lone) => vec![(root.join(&lone.folder), true)],
        None => std::iter::once((root.clone(), false))
            .chain(
                load::SOURCE_FOLDERS
                    .iter()
                    .map(|f| (root.join(f), true))
                    .filter(|(dir, _)| dir.is_dir()),
            )
            .collect(),
    }
}

/// Whether `load` reads `path`: a change anywhere else rebuilds nothing.
fn is_source(options: &CheckOptions, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(&options.root) else {
        return false;
    };
    let read = match &options.lone {
        Some(lone) => rel.starts_with(&lone.folder),
        None => load::reads(rel),
    };
    read && !rel
        .iter()
        .any(|part| NOT_SOURCES.iter().any(|n| part == *n))
}

/// The files and symlinks in `dir`, never following a link.
fn source_files(dir: &Path, recursive: bool) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .max_depth(if recursive { usize::MAX } else { 1 })
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !NOT_SOURCES.iter().any(|n| e.file_name() == *n))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() || e.file_type().is_symlink())
        .map(|e| e.into_path())
        .collect()
}

fn hash_of(options: &CheckOptions, limits: &load::site::Limits, path: &Path) -> Option<u64> {
    let rel = path.strip_prefix(&options.root).unwrap_or(path);
    load::files::fingerprint(path, load::size_cap(rel, limits))
}
