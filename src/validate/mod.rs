//! Checks everything `load` read against the content contract and produces the [`Catalog`].
//!
//! **Pure**: no I/O and no clock (today's date comes in through [`Options`]). Every problem of
//! every file is collected; a bad record never hides the problems of the next one.

mod fields;
pub mod formats;
pub mod media;
mod outputs;
pub mod pages;
mod policy;
mod readiness;
pub mod record;
mod site;

pub use policy::{SettingChange, setting_diagnostics, site_changes, theme_changes};
pub use readiness::{
    Placeholders, Readiness, marketplace_note, placeholder_problems, readiness,
    set_by_the_marketplace,
};

use std::collections::BTreeMap;

use rayon::prelude::*;
use unicode_normalization::UnicodeNormalization;

use crate::diag::{Diagnostic, Diagnostics};
use crate::load::page::RawPage;
use crate::load::yaml::{self, Embedded};
use crate::load::{ConnectorSource, Loaded};
use crate::model::{self, Catalog, Connector, ContentPolicy, Docs, Page, Site, Status};

pub struct Options<'a> {
    /// Today, as days since 1970-01-01, for the stale-review warning.
    pub today: i64,
    /// Replaces site.yaml's `base_url` (for `build --base-url`).
    pub base_url: Option<&'a str>,
    /// Apply the rules of listed records whatever the status (`check --ready`).
    pub as_listed: bool,
    /// One connector folder on its own (`check FOLDER`, `preview`): the other connectors a
    /// record names (its replacement) are not there to be looked up.
    pub lone: bool,
    /// What content may do, in place of what site.yaml lets it (a base revision's policy).
    pub policy: Option<&'a ContentPolicy>,
}

/// What record rules need to know about the site.
pub struct Context<'a> {
    pub site: &'a Site,
    pub today: i64,
    /// Apply the rules of listed records whatever the status: what a record still needs.
    pub as_listed: bool,
    /// A connector folder on its own: see [`Options::lone`].
    pub lone: bool,
}

pub fn check(loaded: &Loaded, options: &Options) -> (Catalog, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let (site, problems) = site::check(loaded, options.base_url);
    diagnostics.extend(problems);
    let site = match options.policy {
        Some(policy) => site.with_policy(policy.clone()),
        None => site,
    };
    let cx = Context {
        site: &site,
        today: options.today,
        as_listed: options.as_listed,
        lone: options.lone,
    };
    let checked: Vec<(Option<Connector>, Vec<Diagnostic>)> = loaded
        .connectors
        .par_iter()
        .map(|source| connector(source, &cx))
        .collect();
    let mut connectors = Vec::new();
    for (connector, problems) in checked {
        diagnostics.extend(problems);
        connectors.extend(connector);
    }
    diagnostics.extend(unique_names(loaded));
    diagnostics.extend(replacements(loaded, &mut connectors, options.lone));
    diagnostics.extend(outputs::check(loaded));
    let mut guide_problems = Vec::new();
    let (guide_index, guide) = guide(loaded, &site, &mut guide_problems);
    let guide_by_key: BTreeMap<String, &Page> = guide_index
        .iter()
        .chain(&guide)
        .map(|page| (format!("guide/{}.md", page.name), page))
        .collect();
    let home = home(loaded, &site, &guide_by_key, &mut guide_problems);
    diagnostics.extend(guide_problems);
    diagnostics.sort();
    let catalog = Catalog {
        site,
        home,
        connectors,
        guide_index,
        guide,
    };
    (catalog, diagnostics)
}

/// Whether `diagnostic` judges content by a setting of site.yaml that could not be read
/// (`Settings::Unreadable`): a limit, the image hosts, the HTML mode or the review period,
/// whose defaults stood in. It says nothing then; site.yaml's own error comes first.
pub fn judged_by_unread_settings(diagnostic: &Diagnostic) -> bool {
    const JUDGED: &[&str] = &[
        "file-too-large",
        "image-too-large",
        "svg-too-complex",
        "remote-image",
        "raw-html",
        "stale-review",
    ];
    let site = std::path::Path::new(crate::load::SITE_FILE);
    JUDGED.contains(&diagnostic.code)
        && diagnostic
            .labels
            .iter()
            .find(|l| l.primary)
            .is_some_and(|l| l.file != site)
}

/// One connector's record; its docs and images are checked by [`docs`] and [`media`], one
/// connector at a time.
fn connector(source: &ConnectorSource, cx: &Context) -> (Option<Connector>, Vec<Diagnostic>) {
    let (connector, mut problems) = record::check(source, cx);
    let has_overview = source.doc_files.iter().any(|f| f == "docs/index.md");
    let needs_docs = |c: &Connector| {
        cx.as_listed || (c.status >= Status::Submitted && c.status != Status::Rejected)
    };
    if !has_overview && connector.as_ref().is_some_and(needs_docs) {
        problems.push(no_docs(source));
    }
    (connector, problems)
}

/// A connector's images, as `load::read_media` read them: checked, and made ready to publish.
pub fn media(
    source: &ConnectorSource,
    bytes: BTreeMap<String, Vec<u8>>,
    site: &Site,
    budget: &media::Budget,
) -> (model::ConnectorMedia, Vec<Diagnostic>) {
    media::connector(source, bytes, &site.limits, budget)
}

/// A connector's documentation pages, checked and analysed, one connector at a time.
pub fn docs(raw: &[RawPage], source: &ConnectorSource, site: &Site) -> (Docs, Vec<Diagnostic>) {
    // Every page that exists is a link target, even one whose front matter is broken: that
    // page has its own diagnostic, and links to it are not broken.
    let links = pages::ConnectorLinks::new(site, &source.slug, model::doc_names(&source.files));
    let bundle = links.bundle(site, &source.files);
    let mut problems = Vec::new();
    let mut pages: Vec<Page> = raw
        .iter()
        .filter_map(|raw| pages::page(raw, &bundle, site, &mut problems))
        .collect();
    let by_key: BTreeMap<String, &Page> = pages
        .iter()
        .map(|page| (format!("docs/{}.md", page.name), page))
        .collect();
    for page in &pages {
        problems.extend(pages::fragment_links(page, &by_key));
    }
    pages::sort(&mut pages);
    let (overview, pages): (Vec<Page>, Vec<Page>) =
        pages.into_iter().partition(|d| d.name == "index");
    let docs = Docs {
        overview: overview.into_iter().next(),
        pages,
    };
    (docs, problems)
}

fn no_docs(source: &ConnectorSource) -> Diagnostic {
    let record = source.dir.join(crate::load::RECORD_FILE);
    Diagnostic::warning("missing-docs", "the connector has no documentation")
        .at(&record, 0..0, "no docs/index.md beside this record")
        .with_help("add docs/index.md with an overview: reviewers and customers read it first")
}

/// Names must differ regardless of case and Unicode form: two listings called "Shopify"
/// confuse everyone, and one that only looks like another (Cyrillic `о`) is worth a look.
/// Both are reported on the newcomer (see [`seniority`]), naming the original: a look-alike
/// must not put the warning on the genuine record by sorting before it.
fn unique_names(loaded: &Loaded) -> Vec<Diagnostic> {
    let mut first: BTreeMap<String, (&ConnectorSource, std::ops::Range<usize>)> = BTreeMap::new();
    let mut skeletons: BTreeMap<String, &ConnectorSource> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut by_seniority: Vec<&ConnectorSource> = loaded.connectors.iter().collect();
    by_seniority.sort_by_cached_key(|source| seniority(source));
    for source in by_seniority {
        let Some((doc, name)) = source
            .record_doc()
            .and_then(|(doc, record)| Some((doc, record.name.as_ref()?)))
        else {
            continue;
        };
        let range = yaml::range_of(&doc, &name.referenced);
        let key: String = name
            .value
            .trim()
            .nfkc()
            .collect::<String>()
            .to_lowercase()
            .nfkc()
            .collect();
        let skeleton: String = unicode_security::confusable_detection::skeleton(&key).collect();
        if let Some(other) = skeletons
            .get(&skeleton)
            .filter(|_| !first.contains_key(&key))
        {
            problems.push(
                Diagnostic::warning(
                    "confusable-name",
                    format!(
                        "the name `{}` looks like the name of `{}`",
                        name.value.trim(),
                        other.slug
                    ),
                )
                .at(
                    doc.file,
                    range.clone(),
                    "looks like another connector's name",
                )
                .with_help("use plain letters, so that customers can tell the connectors apart"),
            );
        }
        skeletons.entry(skeleton).or_insert(source);
        match first.get(&key) {
            Some((other, other_range)) => {
                let other_file = other.dir.join(crate::load::RECORD_FILE);
                problems.push(
                    Diagnostic::error(
                        "duplicate-name",
                        format!(
                            "the name `{}` is already used by `{}`",
                            name.value.trim(),
                            other.slug
                        ),
                    )
                    .at(doc.file, range, "second use")
                    .with_context(&other_file, other_range.clone(), "first used here")
                    .with_help("give each connector a distinct name"),
                );
            }
            None => {
                first.insert(key, (source, range));
            }
        }
    }
    problems
}

/// `replaced_by` across the catalogue: each names a listed connector, whose name it takes;
/// chains are followed, a cycle is one error naming its records, and a chain that ends at a
/// deprecated connector without a replacement is a warning (visitors would be sent from one
/// retired connector to another). Linear: each record is walked once.
fn replacements(loaded: &Loaded, connectors: &mut [Connector], lone: bool) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let at = |slug: &str| -> Option<(&std::path::Path, std::ops::Range<usize>)> {
        let source = loaded.connectors.iter().find(|s| s.slug == slug)?;
        let (file, value) = (
            source.record_file.as_ref()?,
            source.record.as_ref()?.replaced_by.as_ref()?,
        );
        let doc = Embedded {
            file: &file.path,
            file_text: &file.text,
            offset: 0,
            yaml: &file.text,
        };
        Some((file.path.as_path(), yaml::range_of(&doc, &value.referenced)))
    };
    let folders: Vec<&str> = loaded.connectors.iter().map(|s| s.slug.as_str()).collect();
    // Connectors are sorted by slug: the edges are indexes.
    let mut next: Vec<Option<usize>> = vec![None; connectors.len()];
    for i in 0..connectors.len() {
        let Some(target) = connectors[i].replaced_by.as_ref().map(|r| r.slug.clone()) else {
            continue;
        };
        let found = connectors
            .binary_search_by(|c| c.slug.as_str().cmp(&target))
            .ok();
        let problem = match found.map(|j| &connectors[j]) {
            Some(c) if c.status.is_listed() => None,
            // Its own errors say why it could not be read; nothing more to say here.
            None if folders.contains(&target.as_str()) || lone => None,
            Some(c) => Some((
                Diagnostic::error(
                    "replacement-not-listed",
                    format!("`replaced_by` names `{target}`, which is not listed (its status is {})", c.status.name()),
                )
                .with_help("name a connector that is approved, or publish the replacement first: visitors are sent to its page"),
                "not a listed connector",
            )),
            None => {
                let renamed = connectors.iter().find(|c| c.aliases.contains(&target));
                let help = match (renamed, crate::load::yaml::suggest(&target, &folders)) {
                    (Some(c), _) => format!("`{target}` is an old name of `{}` (in its `aliases`): name the replacement by its folder, `replaced_by: {}`", c.slug, c.slug),
                    (None, Some(close)) => format!("did you mean `{close}`? name the replacement by its folder under content/connectors/"),
                    (None, None) => "name the replacement by its folder under content/connectors/".to_string(),
                };
                Some((
                    Diagnostic::error(
                        "replacement-not-listed",
                        format!("`replaced_by` names `{target}`, which is not a connector of this marketplace"),
                    )
                    .with_help(help),
                    "no such connector",
                ))
            }
        };
        match (found, problem) {
            (Some(j), None) if connectors[j].status.is_listed() => {
                next[i] = Some(j);
                let name = connectors[j].name.clone();
                if let Some(r) = connectors[i].replaced_by.as_mut() {
                    r.name = name;
                }
            }
            (_, problem) => {
                connectors[i].replaced_by = None;
                if let (Some((problem, label)), Some((file, range))) =
                    (problem, at(&connectors[i].slug))
                {
                    problems.push(problem.at(file, range, label));
                }
            }
        }
    }
    // Where each chain ends: a connector without a replacement, or `None` for one in or
    // leading into a cycle.
    const NEW: u8 = 0;
    const ON_PATH: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; connectors.len()];
    let mut end: Vec<Option<usize>> = vec![None; connectors.len()];
    for start in 0..connectors.len() {
        let mut path = Vec::new();
        let mut v = start;
        let terminal = loop {
            match state[v] {
                DONE => break end[v],
                ON_PATH => {
                    let from = path.iter().position(|&x| x == v).unwrap_or(0);
                    let mut cycle: Vec<usize> = path[from..].to_vec();
                    // Told from its first slug, so that the same cycle reads the same way.
                    let first = (0..cycle.len()).min_by_key(|&k| cycle[k]).unwrap_or(0);
                    cycle.rotate_left(first);
                    problems.push(cycle_problem(connectors, &cycle, &at));
                    break None;
                }
                _ => {}
            }
            state[v] = ON_PATH;
            path.push(v);
            match next[v] {
                Some(w) => v = w,
                None => break Some(v),
            }
        };
        for x in path {
            state[x] = DONE;
            end[x] = terminal;
        }
    }
    for (i, c) in connectors.iter().enumerate() {
        let (Some(r), Some(last)) = (&c.replaced_by, end[i]) else {
            continue;
        };
        let retired = &connectors[last];
        if retired.status != Status::Deprecated {
            continue;
        }
        if let Some((file, range)) = at(&c.slug) {
            let through = match retired.slug == r.slug {
                true => String::new(),
                false => format!(" (through `{}`)", r.slug),
            };
            problems.push(
                Diagnostic::warning(
                    "replacement-deprecated",
                    format!("the replacement of `{}` ends at `{}`{through}, which is deprecated with no replacement", c.slug, retired.slug),
                )
                .at(file, range, "leads to a deprecated connector")
                .with_help("name a connector that is not deprecated, or give the deprecated one its own `replaced_by`"),
            );
        }
    }
    problems
}

/// One error for a cycle of replacements, at the first record's `replaced_by` and naming
/// every record in it, each of the others' lines as context.
fn cycle_problem<'a>(
    connectors: &[Connector],
    cycle: &[usize],
    at: &impl Fn(&str) -> Option<(&'a std::path::Path, std::ops::Range<usize>)>,
) -> Diagnostic {
    let slugs: Vec<&str> = cycle.iter().map(|&i| connectors[i].slug.as_str()).collect();
    let path: Vec<String> = slugs
        .iter()
        .chain(slugs.first())
        .map(|s| format!("`{s}`"))
        .collect();
    let mut problem = Diagnostic::error(
        "replacement-cycle",
        format!("the replacements of {} form a cycle: {}", list(&slugs), path.join(" → ")),
    )
    .with_help("end the chain at a connector that is not deprecated: remove `replaced_by` from one of them, or point it elsewhere");
    for (k, slug) in slugs.iter().enumerate() {
        if let Some((file, range)) = at(slug) {
            problem = match k {
                0 => problem.at(file, range, "replaced by the next in the cycle"),
                _ => problem.with_context(file, range, "and this one, by the next"),
            };
        }
    }
    problem
}

/// `a`, `b` and `c`.
fn list(slugs: &[&str]) -> String {
    let quoted: Vec<String> = slugs.iter().map(|s| format!("`{s}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// Which of two records came first: a listed record before one that is not, then the earlier
/// `approved_on` (a record without one is newer than any with one), then the slug.
fn seniority(source: &ConnectorSource) -> (bool, i64, String) {
    let record = source.record.as_ref();
    let listed = record
        .and_then(|r| r.status.as_ref())
        .and_then(|s| Status::parse(s.value.trim()))
        .is_some_and(Status::is_listed);
    let approved_on = record
        .and_then(|r| r.approved_on.as_ref())
        .and_then(|d| formats::date(d.value.trim()).ok())
        .map(formats::days);
    (
        !listed,
        approved_on.unwrap_or(i64::MAX),
        source.slug.clone(),
    )
}

fn guide(
    loaded: &Loaded,
    site: &Site,
    problems: &mut Vec<Diagnostic>,
) -> (Option<Page>, Vec<Page>) {
    let map = pages::guide_pages(site, loaded.guide.iter().map(|p| p.name.clone()), "");
    let url = format!("{}{}", site.base_path, crate::urls::GUIDE);
    let bundle = pages::plain_bundle("", &map, &url, "the guide folder", site);
    let mut pages: Vec<Page> = loaded
        .guide
        .iter()
        .filter_map(|raw| pages::page(raw, &bundle, site, problems))
        .collect();
    let by_key: BTreeMap<String, &Page> = pages
        .iter()
        .map(|page| (format!("{}.md", page.name), page))
        .collect();
    for page in &pages {
        problems.extend(pages::fragment_links(page, &by_key));
    }
    pages::sort(&mut pages);
    let (index, rest): (Vec<Page>, Vec<Page>) = pages.into_iter().partition(|p| p.name == "_index");
    (index.into_iter().next(), rest)
}

fn home(
    loaded: &Loaded,
    site: &Site,
    guide: &BTreeMap<String, &Page>,
    problems: &mut Vec<Diagnostic>,
) -> Option<Page> {
    let map = pages::guide_pages(site, loaded.guide.iter().map(|p| p.name.clone()), "guide/");
    let bundle = pages::plain_bundle("", &map, &site.base_path, "the content folder", site);
    let home = pages::page(loaded.home.as_ref()?, &bundle, site, problems)?;
    problems.extend(pages::fragment_links(&home, guide));
    Some(home)
}

/// The badges each record of `after` holds that it did not hold at revision `rev` (`before`):
/// a badge is the marketplace team's word, so a change that adds one is a `badge-added`
/// warning at the badge, for the team to review. A record new since `rev` adds all of its
/// badges. Both catalogues are checked ones: an unknown badge is `unknown-badge`, not this.
pub fn badges_added(
    before: &Catalog,
    after_loaded: &Loaded,
    after: &Catalog,
    rev: &str,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for c in after.connectors.iter().filter(|c| !c.badges.is_empty()) {
        let held: &[String] = before.connector(&c.slug).map_or(&[], |old| &old.badges);
        let Some(source) = after_loaded.connectors.iter().find(|s| s.slug == c.slug) else {
            continue;
        };
        let Some((doc, raw)) = source.record_doc() else {
            continue;
        };
        for badge in c.badges.iter().filter(|b| !held.contains(b)) {
            let Some(written) = raw.badges.iter().find(|w| w.value.trim() == badge) else {
                continue;
            };
            let label = match before.connector(&c.slug) {
                Some(_) => format!("not held at `{}`", rev.escape_debug()),
                None => format!("a record new since `{}`", rev.escape_debug()),
            };
            problems.push(
                Diagnostic::warning(
                    "badge-added",
                    format!("`{}` gains the badge `{badge}`", c.slug),
                )
                .at(doc.file, yaml::range_of(&doc, &written.referenced), label)
                .with_help("badges are the marketplace team's word: a member of the team reviews this change before it is merged"),
            );
        }
    }
    problems
}
