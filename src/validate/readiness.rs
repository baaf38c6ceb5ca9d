//! What a record still needs before it can be listed: the one rule that `check --ready`, the
//! preview's readiness panel, `report` and `review` all read.
//!
//! It tells what the developer must supply apart from what the marketplace team sets when it
//! approves ([`SET_BY_THE_MARKETPLACE`]), and counts what `new connector` wrote as a stand-in
//! (the logo, the overview page, the summary: [`Placeholders`]) as missing everywhere. A
//! listed record still holding a placeholder is a `placeholder-content` error
//! ([`placeholder_problems`]), which `check` and `build` report. Pure, like all of validate.

use std::collections::BTreeMap;

use super::{Context, record};
use crate::diag::{Diagnostic, LineIndex};
use crate::load::ConnectorSource;
use crate::load::page::RawPage;
use crate::load::yaml;
use crate::model::Site;
use crate::scaffold;

/// What the marketplace team sets when it approves a connector, with how the readiness
/// panel and `check --ready` say so: never the developer's task, never a failure of theirs.
pub const SET_BY_THE_MARKETPLACE: &[(&str, &str)] = &[
    (
        "status",
        "sets “status” to “approved” when it approves the connector",
    ),
    (
        "approved_on",
        "sets “approved_on” when it approves the connector",
    ),
    (
        "badges",
        "adds “badges”, which are its word on the connector",
    ),
];

/// Whether `field` is one the marketplace team sets, not the developer.
pub fn set_by_the_marketplace(field: &str) -> bool {
    SET_BY_THE_MARKETPLACE.iter().any(|(f, _)| *f == field)
}

/// The note `check --ready` prints after its diagnostics: what is left to the team.
pub fn marketplace_note() -> String {
    let fields: Vec<String> = SET_BY_THE_MARKETPLACE
        .iter()
        .map(|(field, _)| format!("`{field}`"))
        .collect();
    format!(
        "set by the marketplace team when it approves the connector, not by you: {}",
        fields.join(", ")
    )
}

/// Which of `new connector`'s placeholders a record still holds.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Placeholders {
    /// The logo file is still the starter's bytes (`scaffold::LOGO`).
    pub logo: bool,
    /// docs/index.md still holds the starter's text (`scaffold::DOCS_PLACEHOLDER`).
    pub docs: bool,
    /// The summary is still the starter's sentence (`scaffold::is_placeholder_summary`).
    pub summary: bool,
}

impl Placeholders {
    /// `images` as `load::read_media` read them, `docs` as `load::read_docs` did.
    pub fn of(
        source: &ConnectorSource,
        docs: &[RawPage],
        images: &BTreeMap<String, Vec<u8>>,
    ) -> Self {
        let record = source.record.as_ref();
        let logo = record
            .and_then(|r| r.logo.as_ref())
            .and_then(|logo| images.get(logo.value.trim()))
            .is_some_and(|bytes| bytes == scaffold::LOGO.as_bytes());
        Placeholders {
            logo,
            docs: overview_placeholder(docs).is_some(),
            summary: record
                .and_then(|r| r.summary.as_ref())
                .is_some_and(|s| scaffold::is_placeholder_summary(&s.value)),
        }
    }
}

/// docs/index.md and where in it the starter's sentence stands, while it is there.
fn overview_placeholder(docs: &[RawPage]) -> Option<(&RawPage, usize)> {
    let page = docs.iter().find(|page| page.name == "index")?;
    let at = page.file.text.find(scaffold::DOCS_PLACEHOLDER)?;
    Some((page, at))
}

/// Each placeholder `source` still holds, as a `placeholder-content` error at its place: for
/// a listed record (`check`, `build`), and for any under `check --ready`.
pub fn placeholder_problems(
    source: &ConnectorSource,
    docs: &[RawPage],
    placeholders: Placeholders,
) -> Vec<Diagnostic> {
    const CODE: &str = "placeholder-content";
    let mut problems = Vec::new();
    if let Some((doc, raw)) = source.record_doc() {
        if let Some(logo) = raw.logo.as_ref().filter(|_| placeholders.logo) {
            let name = logo.value.trim();
            problems.push(
                Diagnostic::error(
                    CODE,
                    format!("`{name}` is still the placeholder logo of `marketgen new connector`"),
                )
                .at(doc.file, yaml::range_of(&doc, &logo.referenced), "the starter's grey square")
                .with_help(format!(
                    "replace `{name}` with your connector's own logo (svg, png or webp), or point `logo:` at it"
                )),
            );
        }
        if let Some(summary) = raw.summary.as_ref().filter(|_| placeholders.summary) {
            problems.push(
                Diagnostic::error(CODE, "the summary is still the placeholder sentence")
                    .at(doc.file, yaml::range_of(&doc, &summary.referenced), "the starter's sentence")
                    .with_help("say in one plain sentence what the connector moves, and between which systems"),
            );
        }
    }
    if let Some((page, at)) = overview_placeholder(docs).filter(|_| placeholders.docs) {
        let end = at + scaffold::DOCS_PLACEHOLDER.len();
        problems.push(
            Diagnostic::error(CODE, "docs/index.md is still the placeholder text")
                .at(&page.file.path, at..end, "the starter's text")
                .with_help("say what the connector does, what it needs and how to set it up, in place of the starter's text"),
        );
    }
    problems
}

/// One thing a record still needs before it can be listed.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Readiness {
    /// `required` (listing is refused without it), `marketplace` (the marketplace team
    /// supplies it, not the developer) or `recommended`.
    pub kind: &'static str,
    /// Plain text: field names in quotation marks, not Markdown's backquotes.
    pub message: String,
    /// Where in connector.yaml, when the problem is at a line.
    pub line: Option<usize>,
    /// The field, as the field reference's anchor (`support-response_time`).
    pub anchor: String,
}

/// What `source` still needs to be listed: every error the record would have if it were
/// approved (invalid values included, at their lines) and each placeholder it still holds,
/// both required of the developer; what the team sets, while the record is not listed; and
/// every recommended item that is missing. `check --ready` reports the same errors and
/// placeholders, as diagnostics.
pub fn readiness(
    source: &ConnectorSource,
    docs: &[RawPage],
    placeholders: Placeholders,
    site: &Site,
    today: i64,
    lone: bool,
) -> Vec<Readiness> {
    let cx = Context {
        site,
        today,
        as_listed: true,
        lone,
    };
    let (connector, mut problems) = record::check(source, &cx);
    problems.extend(placeholder_problems(source, docs, placeholders));
    let record = source.record_file.as_ref();
    let index = record.map(|f| LineIndex::new(&f.text));
    let line_of = |d: &Diagnostic| {
        // A missing field is reported at the record's start, which is no place to look.
        let label = d
            .labels
            .first()
            .filter(|l| d.code != "missing-field" && !l.range.is_empty())?;
        let (file, index) = record.zip(index.as_ref())?;
        (label.file == file.path).then(|| index.position(&file.text, label.range.start).line)
    };
    let mut items: Vec<Readiness> = problems
        .iter()
        .filter(|d| d.is_error())
        .map(|d| {
            let field = match d.code {
                "placeholder-content" if d.message.starts_with("docs/") => "docs",
                "placeholder-content" if d.message.contains("summary") => "summary",
                "placeholder-content" => "logo",
                _ => d.message.split('`').nth(1).unwrap_or(""),
            };
            let team = d.code == "missing-field" && set_by_the_marketplace(field);
            let message = match (team, d.code, field) {
                (true, _, _) => format!(
                    "the marketplace team sets {} when it approves the connector",
                    quoted(&format!("`{field}`"))
                ),
                // The file name is the record's text, which may hold a backquote itself.
                (false, "placeholder-content", "logo") => format!(
                    "“{}” is still the placeholder logo of “marketgen new connector”",
                    source
                        .record
                        .as_ref()
                        .and_then(|r| r.logo.as_ref())
                        .map_or("", |l| l.value.trim())
                ),
                _ => quoted(&d.message),
            };
            Readiness {
                kind: if team { "marketplace" } else { "required" },
                message,
                line: line_of(d),
                anchor: field.replace('.', "-"),
            }
        })
        .collect();
    let Some(c) = connector else {
        items.sort_by_key(|item| item.kind != "required");
        return items;
    };
    if !c.status.is_listed() {
        for (field, what) in SET_BY_THE_MARKETPLACE
            .iter()
            .filter(|(f, _)| *f != "badges")
        {
            items.push(Readiness {
                kind: "marketplace",
                message: format!("the marketplace team {what}"),
                line: None,
                anchor: field.to_string(),
            });
        }
    }
    if !source.doc_files.iter().any(|f| f == "docs/index.md") {
        items.push(Readiness {
            kind: "required",
            message: "add documentation: docs/index.md with an overview".into(),
            line: None,
            anchor: "docs".into(),
        });
    }
    let mut recommend = |missing: bool, field: &str, message: &str| {
        if missing {
            items.push(Readiness {
                kind: "recommended",
                message: message.into(),
                line: None,
                anchor: field.replace('.', "-"),
            });
        }
    };
    recommend(
        c.screenshots.is_empty() && c.demo_video.is_none(),
        "screenshots",
        "add screenshots or a demo video",
    );
    recommend(
        c.support.response_time.is_none(),
        "support.response_time",
        "say how soon customers hear back: support.response_time",
    );
    let compliance = c.compliance.as_ref();
    recommend(
        compliance.is_none_or(|k| k.privacy_policy.is_none() || k.terms.is_none()),
        "compliance",
        "link your privacy policy and terms: compliance",
    );
    recommend(c.changelog.is_empty(), "changelog", "start a changelog");
    // Stable: required first, then what the team sets, then recommendations.
    items.sort_by_key(|item| match item.kind {
        "required" => 0,
        "marketplace" => 1,
        _ => 2,
    });
    items
}

/// `text` with Markdown's backquotes turned into quotation marks: the panel shows plain text.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, part) in text.split('`').enumerate() {
        if i > 0 {
            out.push(if i % 2 == 1 { '“' } else { '”' });
        }
        out.push_str(part);
    }
    out
}
