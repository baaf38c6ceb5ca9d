//! What a change to site.yaml since a git revision does (`check --base REV`, `diff REV`).
//!
//! A pull request may edit site.yaml as well as content, and the limits, the HTML mode, the
//! image hosts and the badge vocabulary in it decide what content may do: the working tree's
//! content is judged by the revision's [`ContentPolicy`] (see `CheckOptions::policy`), and
//! every setting that differs is reported here, by its dotted key, with both values, at its
//! line. A change that lets content do more is `policy-widened`, an error unless the team has
//! allowed it (`--allow-policy-change`); any other is `site-setting-changed`, a warning.
//!
//! Settings are compared as written (the YAML trees), so that no key escapes the comparison;
//! whether a change widens the policy is decided on the checked values, so that a key removed
//! for a larger default counts too.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use serde::Serialize;

use crate::diag::Diagnostic;
use crate::load::Loaded;
use crate::load::site::{Limits, RawSite};
use crate::load::tree::Node;
use crate::load::yaml::{self, Embedded, Spanned};
use crate::model::{ContentPolicy, RawHtml};

/// One setting of site.yaml that differs between a revision and the working tree.
#[derive(Debug, Clone, Serialize)]
pub struct SettingChange {
    /// Dotted, as in site.yaml: `limits.image_px`, `markdown.image_hosts`; an entry of a list
    /// of slugs by its slug: `badges[certified]`, `categories[crm].name`.
    pub key: String,
    /// As written on one line; `None` where the key is absent.
    pub before: Option<String>,
    pub after: Option<String>,
    /// Whether it lets content do more than the revision's settings did.
    pub widens: bool,
    /// Where in the working tree's site.yaml: the key, or for a key removed the nearest one
    /// still there (the start of the file at worst).
    #[serde(skip)]
    pub at: Range<usize>,
}

/// The settings of `after`'s site.yaml that differ from `before`'s, in the order of their keys;
/// none when either is not YAML (`load` reports that, and it fails the check on its own).
pub fn site_changes(before: &Loaded, after: &Loaded) -> Vec<SettingChange> {
    let (Some(old), Some(new)) = (Settings::of(before), Settings::of(after)) else {
        return Vec::new();
    };
    let (old_policy, new_policy) = (own_policy(before), own_policy(after));
    let mut keys: Vec<&String> = old.values.keys().chain(new.values.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut changes: Vec<SettingChange> = Vec::new();
    // Entries added or removed whole: one change each, not one per field.
    let mut whole: BTreeSet<&str> = BTreeSet::new();
    for key in keys {
        let (was, is) = (old.values.get(key), new.values.get(key));
        // An entry in both is compared field by field.
        let entry_in_both = was.zip(is).is_some_and(|(a, b)| a.entry && b.entry);
        if entry_in_both || was.map(|v| &v.shown) == is.map(|v| &v.shown) {
            continue;
        }
        let entry = key.find(']').map_or(key.as_str(), |end| &key[..=end]);
        if entry != key && whole.contains(entry) {
            continue;
        }
        if was.is_none() || is.is_none() {
            whole.insert(key);
        }
        // A limit not set is its default, which is what content was held to.
        let shown = |v: Option<&Value>| match v {
            Some(v) => Some(v.shown.clone()),
            None => key
                .strip_prefix("limits.")
                .and_then(|field| limits(&Limits::default()).get(field).copied())
                .map(|default| format!("{default} (default)")),
        };
        changes.push(SettingChange {
            key: key.clone(),
            before: shown(was),
            after: shown(is),
            widens: widens(key, &old_policy, &new_policy),
            at: is.map_or_else(|| new.nearest(key), |v| v.at.clone()),
        });
    }
    changes
}

/// The theme's files (templates and static files, by [`crate::load::theme::Theme::file_ids`])
/// that differ from the revision's, each a change of `theme[templates/NAME]` or
/// `theme[static/NAME]`, at the `theme` key of the working tree's site.yaml (where the theme
/// is chosen). A file added or changed widens the policy: a template or a script runs on every
/// page, so a pull request that brings one is the marketplace team's to review, as a change
/// to site.yaml is.
pub fn theme_changes(
    before: &BTreeMap<String, String>,
    after: &BTreeMap<String, String>,
    site: &Loaded,
) -> Vec<SettingChange> {
    let at = Settings::of(site)
        .and_then(|s| s.keys.get("theme").cloned())
        .unwrap_or(0..0);
    let names: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    names
        .into_iter()
        .filter(|name| before.get(*name) != after.get(*name))
        .map(|name| SettingChange {
            key: format!("theme[{name}]"),
            before: before.get(name).cloned(),
            after: after.get(name).cloned(),
            widens: after.contains_key(name),
            at: at.clone(),
        })
        .collect()
}

/// The diagnostics of `changes` to the site.yaml of `after`, against the revision `rev`: each
/// widening one is an error unless `allowed`.
pub fn setting_diagnostics(
    changes: &[SettingChange],
    after: &Loaded,
    rev: &str,
    allowed: bool,
) -> Vec<Diagnostic> {
    let shown = |v: &Option<String>| match v {
        Some(v) => format!("`{}`", v.escape_debug()),
        None => "(not set)".to_string(),
    };
    let rev = rev.escape_debug();
    changes
        .iter()
        .map(|change| {
            let what = match change.key.starts_with("theme[") {
                true => "the theme changes",
                false => "site.yaml changes",
            };
            let message = format!(
                "{what} `{}` from {} to {} since `{rev}`",
                change.key.escape_debug(),
                shown(&change.before),
                shown(&change.after)
            );
            let label = match &change.after {
                Some(_) => format!("was {} at `{rev}`", shown(&change.before)),
                None => format!("`{}` removed since `{rev}`", change.key.escape_debug()),
            };
            let diagnostic = match (change.widens, allowed) {
                (true, false) => Diagnostic::error("policy-widened", message).with_help(format!(
                    "this lets content do more than `{rev}` allows, and the content is judged by `{rev}`'s settings: once the marketplace team has reviewed the change, pass --allow-policy-change (in CI, behind a label only the team can set)"
                )),
                (true, true) => Diagnostic::warning("policy-widened", message).with_help(
                    "allowed by --allow-policy-change: the content is judged by the working tree's settings",
                ),
                (false, _) => Diagnostic::warning("site-setting-changed", message).with_help(
                    "site.yaml is the marketplace team's: a member of the team reviews this change before it is merged",
                ),
            };
            diagnostic.at(&after.site_file.path, change.at.clone(), label)
        })
        .collect()
}

/// What the site's own settings let content do, whatever policy it was checked under.
fn own_policy(loaded: &Loaded) -> ContentPolicy {
    let mut policy = super::site::check(loaded, None).0.policy();
    // `loaded.limits` are those the files were read within, which may be a revision's.
    policy.limits = RawSite::limits(loaded.site.as_ref());
    policy
}

/// Whether the change of `key` lets content do more under `after` than under `before`.
fn widens(key: &str, before: &ContentPolicy, after: &ContentPolicy) -> bool {
    let (section, rest) = key.split_once(['.', '[']).unwrap_or((key, ""));
    match section {
        "limits" => {
            let field = rest.split('.').next().unwrap_or_default();
            let (old, new) = (limits(&before.limits), limits(&after.limits));
            new.iter()
                .filter(|(name, _)| field.is_empty() || *name == field)
                .any(|(name, value)| old.get(name).is_some_and(|old| value > old))
        }
        "markdown" => {
            let html = before.raw_html == RawHtml::Escape && after.raw_html == RawHtml::Sanitize;
            let hosts = after
                .image_hosts
                .iter()
                .any(|h| !before.image_hosts.contains(h));
            match rest {
                "raw_html" => html,
                "image_hosts" => hosts,
                "" => html || hosts,
                _ => false,
            }
        }
        "badges" => {
            let added = |slug: &str| {
                after.badges.iter().any(|b| b.slug == slug)
                    && !before.badges.iter().any(|b| b.slug == slug)
            };
            match rest.strip_suffix(']') {
                Some(slug) => added(slug),
                // The list as a whole, when it is not one of slugs.
                None if rest.is_empty() => after.badges.iter().any(|b| added(&b.slug)),
                None => false,
            }
        }
        _ => false,
    }
}

/// Each limit by its name in site.yaml.
fn limits(limits: &Limits) -> BTreeMap<String, u64> {
    let Ok(serde_json::Value::Object(map)) = serde_json::to_value(limits) else {
        return BTreeMap::new();
    };
    map.into_iter()
        .filter_map(|(name, value)| Some((name, value.as_u64()?)))
        .collect()
}

/// One site.yaml's settings, flattened to dotted keys.
#[derive(Default)]
struct Settings {
    /// Each value that is not a mapping, and each entry of a list of slugs.
    values: BTreeMap<String, Value>,
    /// Where every key is, mappings included.
    keys: BTreeMap<String, Range<usize>>,
}

struct Value {
    shown: String,
    /// The key's range in the file.
    at: Range<usize>,
    /// An entry of a list of slugs, whose fields are values of their own.
    entry: bool,
}

impl Settings {
    /// The settings of `loaded`'s site.yaml; `None` when it is not a YAML mapping.
    fn of(loaded: &Loaded) -> Option<Settings> {
        let file = &loaded.site_file;
        let doc = Embedded {
            file: &file.path,
            file_text: &file.text,
            offset: 0,
            yaml: &file.text,
        };
        let Ok(Node::Map(entries)) = yaml::parse::<Node>(&doc) else {
            return None;
        };
        let mut settings = Settings::default();
        settings.mapping(&doc, "", &entries);
        Some(settings)
    }

    fn mapping(
        &mut self,
        doc: &Embedded,
        prefix: &str,
        entries: &[(Spanned<String>, Spanned<Node>)],
    ) {
        for (key, value) in entries {
            let path = match prefix {
                "" => key.value.clone(),
                _ => format!("{prefix}.{}", key.value),
            };
            let at = yaml::range_of(doc, &key.referenced);
            self.keys.insert(path.clone(), at.clone());
            self.node(doc, path, at, value);
        }
    }

    fn node(&mut self, doc: &Embedded, path: String, at: Range<usize>, node: &Spanned<Node>) {
        match &node.value {
            Node::Map(entries) if !entries.is_empty() => self.mapping(doc, &path, entries),
            Node::List(items) if !items.is_empty() && items.iter().all(|i| slug(i).is_some()) => {
                for item in items {
                    let (Some((slug, value)), Node::Map(entries)) = (slug(item), &item.value)
                    else {
                        continue;
                    };
                    let entry = format!("{path}[{slug}]");
                    let at = yaml::range_of(doc, &value.referenced);
                    self.keys.insert(entry.clone(), at.clone());
                    let shown = compact(doc, item);
                    let value = Value {
                        shown,
                        at,
                        entry: true,
                    };
                    self.values.insert(entry.clone(), value);
                    self.mapping(doc, &entry, entries);
                }
            }
            _ => {
                let shown = compact(doc, node);
                let value = Value {
                    shown,
                    at,
                    entry: false,
                };
                self.values.insert(path, value);
            }
        }
    }

    /// Where a removed key's nearest remaining parent is; the file's start without one.
    fn nearest(&self, key: &str) -> Range<usize> {
        let mut key = key;
        while let Some(end) = key.rfind(['.', '[']) {
            key = &key[..end];
            if let Some(at) = self.keys.get(key) {
                return at.clone();
            }
        }
        0..0
    }
}

/// The `slug` of a list entry that is a mapping holding one, with where it is.
fn slug(item: &Spanned<Node>) -> Option<(&str, &Spanned<Node>)> {
    let Node::Map(entries) = &item.value else {
        return None;
    };
    entries.iter().find_map(|(k, v)| match &v.value {
        Node::Text(slug) if k.value == "slug" => Some((slug.as_str(), v)),
        _ => None,
    })
}

/// A value on one line: scalars as written, lists and mappings in YAML's flow style.
fn compact(doc: &Embedded, node: &Spanned<Node>) -> String {
    match &node.value {
        Node::Text(text) => text.clone(),
        Node::Bool(b) => b.to_string(),
        Node::Number => doc
            .yaml
            .get(yaml::range_of(doc, &node.referenced))
            .unwrap_or_default()
            .to_string(),
        Node::Null => "null".to_string(),
        Node::List(items) => {
            let items: Vec<String> = items.iter().map(|i| compact(doc, i)).collect();
            format!("[{}]", items.join(", "))
        }
        Node::Map(entries) => {
            let entries: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("{}: {}", k.value, compact(doc, v)))
                .collect();
            format!("{{{}}}", entries.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Badge;

    fn policy(image_px: u32, raw_html: RawHtml, hosts: &[&str], badges: &[&str]) -> ContentPolicy {
        ContentPolicy {
            limits: Limits {
                image_px,
                ..Limits::default()
            },
            raw_html,
            image_hosts: hosts.iter().map(|h| h.to_string()).collect(),
            badges: badges
                .iter()
                .map(|slug| Badge {
                    slug: slug.to_string(),
                    name: slug.to_uppercase(),
                    description: None,
                })
                .collect(),
        }
    }

    #[test]
    fn only_changes_that_let_content_do_more_widen_the_policy() {
        let base = policy(4096, RawHtml::Escape, &["a.example"], &["certified"]);
        let widened = [
            // A limit removed for its larger default is as raised as one written.
            (
                "limits.image_px",
                policy(10_000, RawHtml::Escape, &["a.example"], &["certified"]),
            ),
            (
                "limits",
                policy(10_000, RawHtml::Escape, &["a.example"], &["certified"]),
            ),
            (
                "markdown.raw_html",
                policy(4096, RawHtml::Sanitize, &["a.example"], &["certified"]),
            ),
            (
                "markdown.image_hosts",
                policy(
                    4096,
                    RawHtml::Escape,
                    &["a.example", "b.example"],
                    &["certified"],
                ),
            ),
            (
                "markdown",
                policy(4096, RawHtml::Escape, &["b.example"], &["certified"]),
            ),
            (
                "badges[gold]",
                policy(
                    4096,
                    RawHtml::Escape,
                    &["a.example"],
                    &["certified", "gold"],
                ),
            ),
        ];
        for (key, after) in &widened {
            assert!(widens(key, &base, after), "{key}");
        }
        let narrowed = [
            (
                "limits.image_px",
                policy(1024, RawHtml::Escape, &["a.example"], &["certified"]),
            ),
            (
                "limits.doc_kib",
                policy(10_000, RawHtml::Escape, &["a.example"], &["certified"]),
            ),
            (
                "markdown.raw_html",
                policy(4096, RawHtml::Escape, &["a.example"], &["certified"]),
            ),
            (
                "markdown.image_hosts",
                policy(4096, RawHtml::Escape, &[], &["certified"]),
            ),
            (
                "badges[certified]",
                policy(4096, RawHtml::Escape, &["a.example"], &[]),
            ),
            (
                "badges[certified].name",
                policy(4096, RawHtml::Escape, &["a.example"], &["certified"]),
            ),
            (
                "title",
                policy(10_000, RawHtml::Sanitize, &["b.example"], &["gold"]),
            ),
        ];
        for (key, after) in &narrowed {
            assert!(!widens(key, &base, after), "{key}");
        }
    }
}
