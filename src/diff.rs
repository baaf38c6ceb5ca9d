//! `marketgen diff REV`: what the working tree changes in the published catalogue against a git
//! revision: the settings of site.yaml, connectors added, removed, listed or unlisted, their
//! status and version changes (and a version bumped without a changelog entry), the fields
//! changed on listed connectors, and the pages that would disappear, breaking links to them.
//!
//! Both trees go through the pipeline's load and validate ([`crate::pipeline::checked`]), the
//! working tree judged by the revision's policy as `check --base` judges it; the revision is
//! read by [`crate::load::git`] in memory, from the object store: nothing is written, to the
//! working tree, the index or anywhere else. Fields are compared on the public view
//! ([`crate::render::view`]), so no private
//! value can appear in a diff, which is meant to be posted on a pull request.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde::Serialize;
use serde_json::Value;

use crate::diag::{Diagnostics, Grammar, Markdown, Terminal, Text};
use crate::mdtext::{Md, Term, code, value};
use crate::model::{Catalog, Connector};
use crate::validate::SettingChange;
use crate::{Base, CheckOptions, Report, pipeline, render, text, urls};

pub struct DiffOptions {
    pub root: PathBuf,
    /// The revision to compare against, as git names it.
    pub rev: String,
    /// Days since 1970-01-01.
    pub today: i64,
    /// Check the working tree by its own site.yaml, a widening change being a warning (see
    /// [`crate::Base::allow_policy_change`]).
    pub allow_policy_change: bool,
}

/// What the working tree changes in the published catalogue.
#[derive(Debug, Serialize)]
pub struct CatalogueDiff {
    /// The revision as given, and the commit it named.
    pub base: String,
    pub commit: String,
    /// The settings of site.yaml that changed, by dotted key.
    pub settings: Vec<SettingChange>,
    /// Every connector listed in either tree whose published listing changes, by slug.
    pub connectors: Vec<ConnectorChange>,
    /// Pages published at the revision and not from the working tree: links to them break.
    pub pages_removed: Vec<String>,
    pub pages_added: Vec<String>,
    /// Content errors in each tree: a record with errors may be missing from the comparison.
    pub errors_before: usize,
    pub errors_after: usize,
}

#[derive(Debug, Serialize)]
pub struct ConnectorChange {
    pub slug: String,
    pub name: String,
    /// `added`, `removed`, `listed` (now published), `unlisted` (no longer) or `changed`.
    pub change: &'static str,
    /// Each absent (`null`) where the connector is: an added one has no status before.
    pub status: Option<Change<Option<&'static str>>>,
    pub version: Option<Change<Option<String>>>,
    /// The version changed and the changelog has no entry for the new one.
    pub version_without_changelog: bool,
    /// An added connector with the name of a removed one: the slug it had.
    pub renamed_from: Option<String>,
    /// A removed connector whose name an added one took: its new slug.
    pub renamed_to: Option<String>,
    /// Public fields that changed on a connector listed in both trees.
    pub fields: Vec<FieldChange>,
    /// Badges it holds that it did not at the revision (all of an added connector's): each
    /// needs the marketplace team's review, and is a `badge-added` warning.
    pub badges_added: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Change<T> {
    pub before: T,
    pub after: T,
}

#[derive(Debug, Serialize)]
pub struct FieldChange {
    /// Dotted, as in connector.yaml: `support.email`.
    pub field: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// Compares the working tree's catalogue with the revision's; also the diagnostics of the
/// changes to site.yaml and the `badge-added` warnings of the working tree, with the files
/// they point into, for `diag::emit`.
pub fn diff(options: &DiffOptions) -> anyhow::Result<(CatalogueDiff, Report)> {
    let base = Base {
        rev: options.rev.clone(),
        allow_policy_change: options.allow_policy_change,
    };
    let site = CheckOptions::site(options.root.clone(), options.today);
    let compared = pipeline::against_base(&site, &base, &mut Default::default())?;
    let (before, after, warnings) = (compared.before, compared.after, compared.diagnostics);
    let mut diff = compare(&before.catalog, &after.catalog);
    diff.base = options.rev.clone();
    diff.commit = compared.commit;
    diff.settings = compared.changes;
    diff.errors_before = before.report.diagnostics.error_count();
    diff.errors_after = after.report.diagnostics.error_count();
    let sources = after.report.sources.only_for(&warnings);
    let mut diagnostics: Diagnostics = warnings.into_iter().collect();
    diagnostics.sort();
    let report = Report {
        sources,
        diagnostics,
    };
    Ok((diff, report))
}

/// The published differences between two catalogues.
pub fn compare(before: &Catalog, after: &Catalog) -> CatalogueDiff {
    let slugs: BTreeSet<&str> = before
        .connectors
        .iter()
        .chain(&after.connectors)
        .map(|c| c.slug.as_str())
        .collect();
    let mut connectors: Vec<ConnectorChange> = slugs
        .into_iter()
        .filter_map(|slug| connector_change(side(before, slug), side(after, slug)))
        .collect();
    renames(&mut connectors);
    // A renamed connector is compared with what it was under its old slug; its old entry then
    // only says where it went.
    for c in &mut connectors {
        if let Some(old) = c.renamed_from.clone() {
            differences(c, side(before, &old), side(after, &c.slug.clone()), true);
        }
        if c.renamed_to.is_some() {
            c.status = None;
            c.version = None;
        }
    }
    let pages = |catalog: &Catalog| -> BTreeSet<String> {
        urls::published_pages(catalog)
            .into_iter()
            .map(|p| format!("{}{p}", catalog.site.base_path))
            .collect()
    };
    let (old, new) = (pages(before), pages(after));
    CatalogueDiff {
        base: String::new(),
        commit: String::new(),
        settings: Vec::new(),
        connectors,
        pages_removed: old.difference(&new).cloned().collect(),
        pages_added: new.difference(&old).cloned().collect(),
        errors_before: 0,
        errors_after: 0,
    }
}

type Side<'a> = Option<(&'a crate::model::Site, &'a Connector)>;

/// The connector `slug` of `catalog`, with its site.
fn side<'a>(catalog: &'a Catalog, slug: &str) -> Side<'a> {
    catalog.connector(slug).map(|found| (&catalog.site, found))
}

fn connector_change(before: Side, after: Side) -> Option<ConnectorChange> {
    let listed = |side: Side| side.is_some_and(|(_, c)| c.status.is_listed());
    // Only the published catalogue: a record listed in neither tree changes nothing public.
    if !listed(before) && !listed(after) {
        return None;
    }
    let change = match (before, after) {
        (None, _) => "added",
        (_, None) => "removed",
        _ if !listed(before) => "listed",
        _ if !listed(after) => "unlisted",
        _ => "changed",
    };
    let (_, current) = after.or(before)?;
    let mut result = ConnectorChange {
        slug: current.slug.clone(),
        name: current.name.clone(),
        change,
        status: None,
        version: None,
        version_without_changelog: false,
        renamed_from: None,
        renamed_to: None,
        fields: Vec::new(),
        badges_added: Vec::new(),
    };
    differences(&mut result, before, after, change == "changed");
    let nothing = result.status.is_none() && result.version.is_none();
    if change == "changed" && nothing && result.fields.is_empty() && result.badges_added.is_empty()
    {
        return None;
    }
    Some(result)
}

/// Sets what differs between two sides of a connector: status, version (and whether the new
/// one lacks a changelog entry) and, with `with_fields`, its public fields.
fn differences(result: &mut ConnectorChange, before: Side, after: Side, with_fields: bool) {
    let status = |side: Side| side.map(|(_, c)| c.status.name());
    result.status = (status(before) != status(after)).then(|| Change {
        before: status(before),
        after: status(after),
    });
    let version = |side: Side| side.and_then(|(_, c)| c.version.as_ref().map(ToString::to_string));
    result.version = (version(before) != version(after)).then(|| Change {
        before: version(before),
        after: version(after),
    });
    result.version_without_changelog = false;
    result.fields = Vec::new();
    let held = |side: Side| side.map(|(_, c)| c.badges.clone()).unwrap_or_default();
    let before_badges = held(before);
    result.badges_added = held(after)
        .into_iter()
        .filter(|b| !before_badges.contains(b))
        .collect();
    if let (Some((before_site, old)), Some((after_site, new))) = (before, after) {
        if old.version != new.version {
            result.version_without_changelog = new
                .version
                .as_ref()
                .is_some_and(|v| !new.changelog.iter().any(|entry| &entry.version == v));
        }
        if with_fields {
            result.fields = fields(&public(before_site, old), &public(after_site, new));
            // Badges only gained are said once, as added.
            let kept: Vec<&String> = new
                .badges
                .iter()
                .filter(|b| !result.badges_added.contains(b))
                .collect();
            if kept.iter().copied().eq(&old.badges) {
                result.fields.retain(|f| f.field != "badges");
            }
        }
    }
}

/// A connector removed and one added under another slug with the same name were renamed.
fn renames(connectors: &mut [ConnectorChange]) {
    let key = |name: &str| name.trim().to_lowercase();
    let removed: BTreeMap<String, String> = connectors
        .iter()
        .filter(|c| c.change == "removed")
        .map(|c| (key(&c.name), c.slug.clone()))
        .collect();
    let mut added = BTreeMap::new();
    for c in connectors.iter_mut().filter(|c| c.change == "added") {
        if let Some(old) = removed.get(&key(&c.name)) {
            c.renamed_from = Some(old.clone());
            added.insert(old.clone(), c.slug.clone());
        }
    }
    for c in connectors.iter_mut().filter(|c| c.change == "removed") {
        c.renamed_to = added.get(&c.slug).cloned();
    }
}

/// The public view of a connector as flat fields, without those the diff reports apart
/// (slug, status, version) or that only follow from others (its address, labels, directions).
fn public(site: &crate::model::Site, c: &Connector) -> BTreeMap<String, Value> {
    // Image sizes are read in the per-connector pass, which a diff does not run: both sides
    // are compared without them.
    let view = render::view::connector(site, c, Vec::new(), &BTreeMap::new());
    let Ok(Value::Object(mut map)) = serde_json::to_value(&view) else {
        return BTreeMap::new();
    };
    for derived in [
        "slug",
        "status",
        "deprecated",
        "version",
        "url",
        "auth_type",
        "auth_label",
        "directions",
        "docs",
        "updated_on",
        "developer_name",
        // Follows `logo`, at an address that follows the slug.
        "logo_large",
    ] {
        map.remove(derived);
    }
    // Files by their names in the folder, not their published addresses, which follow the
    // slug: a renamed connector's logo is not a change.
    map.insert("logo".into(), serde_json::json!(c.logo));
    map.insert("screenshots".into(), serde_json::json!(c.screenshots));
    map.insert("category".into(), Value::String(c.category.clone()));
    map.insert("tags".into(), serde_json::json!(c.tags));
    // Badges by their slugs, as written: their names are site.yaml's, whose changes are
    // listed apart.
    map.insert("badges".into(), serde_json::json!(c.badges));
    // Migration pages by their names, for the same reason; their titles are read with the
    // docs, which a diff does not read.
    map.insert("changelog".into(), serde_json::json!(c.changelog));
    let mut flat = BTreeMap::new();
    flatten("", Value::Object(map), &mut flat);
    flat
}

fn flatten(prefix: &str, value: Value, into: &mut BTreeMap<String, Value>) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                let key = match prefix {
                    "" => key,
                    _ => format!("{prefix}.{key}"),
                };
                flatten(&key, value, into);
            }
        }
        Value::Null => {}
        value => {
            into.insert(prefix.to_string(), value);
        }
    }
}

fn fields(before: &BTreeMap<String, Value>, after: &BTreeMap<String, Value>) -> Vec<FieldChange> {
    let keys: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    keys.into_iter()
        .filter(|k| before.get(*k) != after.get(*k))
        .map(|k| FieldChange {
            field: k.clone(),
            before: before.get(k).cloned(),
            after: after.get(k).cloned(),
        })
        .collect()
}

impl CatalogueDiff {
    pub fn is_empty(&self) -> bool {
        self.settings.is_empty()
            && self.connectors.is_empty()
            && self.pages_removed.is_empty()
            && self.pages_added.is_empty()
    }

    fn base_name(&self) -> String {
        let short = &self.commit[..self.commit.len().min(12)];
        format!("{} ({short})", self.base)
    }

    /// Plain text for the terminal.
    pub fn human(&self) -> String {
        let mut out = Term::default();
        out.push(text![
            "the published catalogue, working tree against ",
            value(&self.base_name()),
            ":\n"
        ]);
        if self.is_empty() {
            out.push("no change\n");
        }
        if !self.settings.is_empty() {
            out.push("site.yaml:\n");
            for line in settings::<Terminal>(&self.settings) {
                out.push(text!["    ", line, "\n"]);
            }
        }
        for c in &self.connectors {
            out.push(c.change);
            // The change in a column of nine.
            for _ in c.change.len()..9 {
                out.push(" ");
            }
            out.push(text![
                " ",
                value(&c.slug),
                " (",
                value(&c.name),
                ")",
                headline(c),
                "\n"
            ]);
            for line in details::<Terminal>(c) {
                out.push(text!["    ", line, "\n"]);
            }
        }
        if !self.pages_removed.is_empty() {
            out.push("pages that disappear (links to them will break):\n");
            for page in &self.pages_removed {
                out.push(text!["    ", value(page), "\n"]);
            }
        }
        if !self.pages_added.is_empty() {
            out.push("new pages:\n");
            for page in &self.pages_added {
                out.push(text!["    ", value(page), "\n"]);
            }
        }
        out.push(self.errors_note());
        out.into_string()
    }

    /// Markdown, for a pull-request comment: every value from content in a code span.
    pub fn markdown(&self) -> String {
        let mut out = Md::default();
        out.push(text![
            "### Published catalogue: changes against ",
            code(&self.base_name()),
            "\n\n"
        ]);
        if self.is_empty() {
            out.push("No change to the published catalogue.\n");
        }
        if !self.settings.is_empty() {
            out.push("#### Site settings (`site.yaml`)\n\n");
            for line in settings::<Markdown>(&self.settings) {
                out.push(text!["- ", line, "\n"]);
            }
            out.push("\n");
        }
        for c in &self.connectors {
            let first = match c.change {
                "added" => "Added",
                "removed" => "Removed",
                "listed" => "Listed",
                "unlisted" => "Unlisted",
                _ => "Changed",
            };
            out.push(text![
                "- **",
                first,
                "** ",
                code(&c.slug),
                " (",
                code(&c.name),
                ")",
                headline(c),
                "\n"
            ]);
            for line in details::<Markdown>(c) {
                out.push(text!["  - ", line, "\n"]);
            }
        }
        if !self.pages_removed.is_empty() {
            out.push("\n#### Pages that disappear\n\nLinks to these pages will break:\n\n");
            for page in &self.pages_removed {
                out.push(text!["- ", code(page), "\n"]);
            }
        }
        if !self.pages_added.is_empty() {
            out.push("\n#### New pages\n\n");
            for page in &self.pages_added {
                out.push(text!["- ", code(page), "\n"]);
            }
        }
        let note = self.errors_note();
        if !note.is_empty() {
            out.push(text!["\n> [!WARNING]\n> ", note]);
        }
        out.into_string()
    }

    fn errors_note<G: Grammar>(&self) -> Text<G> {
        match (self.errors_before, self.errors_after) {
            (0, 0) => Text::default(),
            (before, after) => text![
                "content errors: ",
                before,
                " at the revision, ",
                after,
                " in the working tree; records with errors may be missing above (run `marketgen check`)\n"
            ],
        }
    }
}

/// One line per changed setting of site.yaml, its key and values quoted as content.
fn settings<G: Grammar>(changes: &[SettingChange]) -> Vec<Text<G>> {
    let side = |v: &Option<String>| {
        v.as_deref()
            .map_or_else(|| "(not set)".into(), Text::content)
    };
    changes
        .iter()
        .map(|c| {
            let widens = match c.widens {
                true => {
                    " (lets content do more: policy-widened, the marketplace team reviews this)"
                }
                false => "",
            };
            text![
                Text::<G>::content(&c.key),
                ": ",
                side(&c.before),
                " → ",
                side(&c.after),
                widens
            ]
        })
        .collect()
}

/// What follows a connector's name on its first line.
fn headline<G: Grammar>(c: &ConnectorChange) -> Text<G> {
    let mut parts: Vec<Text<G>> = Vec::new();
    if let Some(old) = &c.renamed_from {
        parts.push(text!["renamed from ", Text::content(old)]);
    }
    if let Some(new) = &c.renamed_to {
        parts.push(text!["renamed to ", Text::content(new)]);
    }
    if c.change == "removed" && c.renamed_to.is_none() {
        parts.push("no longer published".into());
    }
    match parts.is_empty() {
        true => Text::default(),
        false => text![": ", Text::join(parts, "; ")],
    }
}

/// One line per status, version and field change.
fn details<G: Grammar>(c: &ConnectorChange) -> Vec<Text<G>> {
    // A list of names (tags, badges) as each name quoted, not as JSON.
    let quote = |v: &Value| match v {
        Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_string) => {
            Text::join(items.iter().map(|i| Text::<G>::content(&shown(i))), ", ")
        }
        _ => Text::<G>::content(&shown(v)),
    };
    let text = |s: &str| Value::String(s.to_string());
    let optional = |v: Option<&str>| v.map_or(Value::Null, text);
    let mut lines = Vec::new();
    if let Some(status) = &c.status {
        lines.push(text![
            "status: ",
            quote(&optional(status.before)),
            " → ",
            quote(&optional(status.after))
        ]);
    }
    if let Some(version) = &c.version {
        let mut line = text![
            "version: ",
            quote(&optional(version.before.as_deref())),
            " → ",
            quote(&optional(version.after.as_deref()))
        ];
        if c.version_without_changelog {
            line.push(" (no changelog entry for the new version)");
        }
        lines.push(line);
    }
    if !c.badges_added.is_empty() {
        let badges = c.badges_added.iter().map(|b| quote(&text(b)));
        lines.push(text![
            "badges added: ",
            Text::join(badges, ", "),
            " (badge-added: the marketplace team reviews this)"
        ]);
    }
    for field in &c.fields {
        let side = |v: &Option<Value>| v.clone().unwrap_or(Value::Null);
        lines.push(text![
            Text::name(&field.field),
            ": ",
            quote(&side(&field.before)),
            " → ",
            quote(&side(&field.after))
        ]);
    }
    lines
}

/// A value as one line: strings as they are, anything else as JSON, absence (or an empty
/// list) as `(none)`.
fn shown(v: &Value) -> String {
    match v {
        Value::Null => "(none)".into(),
        Value::Array(items) if items.is_empty() => "(none)".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
