//! `marketgen report`: the marketplace's pipeline at a glance, for the team. Intents and
//! connectors in development with their expected completion (overdue first), submissions
//! waiting for review and since when (the last commit that changed their status), listed
//! connectors whose last review is older than `review.stale_after_days`, deprecated ones, and
//! listed ones missing recommended items.
//!
//! It shows private fields (the developer's email and company profile: the team contacts
//! them) and so only ever prints: it writes no file, least of all into the public output.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde::Serialize;

use crate::mdtext::{code, days, value};
use crate::model::{Connector, Status};
use crate::validate::formats;
use crate::{CheckOptions, load, pipeline, validate};

pub struct ReportOptions {
    pub root: PathBuf,
    /// Days since 1970-01-01.
    pub today: i64,
}

#[derive(Debug, Serialize)]
pub struct PipelineReport {
    pub today: String,
    pub stale_after_days: u32,
    /// Intents and connectors in development: overdue first, then by expected date, then
    /// those without one.
    pub upcoming: Vec<Upcoming>,
    /// Submitted and in review, longest wait first.
    pub waiting: Vec<Waiting>,
    pub stale: Vec<Stale>,
    pub deprecated: Vec<Deprecated>,
    /// Listed connectors missing recommended items.
    pub incomplete: Vec<Incomplete>,
    /// Content errors: a record with errors may be missing from the report.
    pub errors: usize,
}

/// Who to ask: private fields included.
#[derive(Debug, Serialize)]
pub struct Contact {
    pub developer: String,
    pub email: String,
    pub company_profile: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Upcoming {
    pub slug: String,
    pub name: String,
    pub status: &'static str,
    pub contact: Contact,
    pub expected_completion: Option<String>,
    /// Days past the expected completion; negative while it is still ahead.
    pub overdue_days: Option<i64>,
}

#[derive(Debug, Serialize)]
pub struct Waiting {
    pub slug: String,
    pub name: String,
    pub status: &'static str,
    pub contact: Contact,
    /// The day of the last commit that changed the record's status; `None` when git does not
    /// know (the record is not committed, or the site is not in a repository).
    pub since: Option<String>,
    pub waited_days: Option<i64>,
}

#[derive(Debug, Serialize)]
pub struct Stale {
    pub slug: String,
    pub name: String,
    /// `last_reviewed`, else `approved_on` (approval is a review).
    pub last_review: String,
    pub days: i64,
}

#[derive(Debug, Serialize)]
pub struct Deprecated {
    pub slug: String,
    pub name: String,
    pub version: Option<String>,
    pub approved_on: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Incomplete {
    pub slug: String,
    pub name: String,
    pub missing: Vec<String>,
}

pub fn report(options: &ReportOptions) -> anyhow::Result<PipelineReport> {
    let checked = pipeline::checked(&CheckOptions::site(options.root.clone(), options.today))?;
    let today = options.today;
    let catalog = &checked.catalog;
    let site = &catalog.site;
    let mut upcoming: Vec<Upcoming> = catalog
        .connectors
        .iter()
        .filter(|c| matches!(c.status, Status::Intent | Status::InDevelopment))
        .map(|c| {
            let expected = c.expected_completion.map(formats::days);
            Upcoming {
                slug: c.slug.clone(),
                name: c.name.clone(),
                status: c.status.name(),
                contact: contact(c),
                expected_completion: c.expected_completion.map(|d| d.to_string()),
                overdue_days: expected.map(|day| today - day),
            }
        })
        .collect();
    upcoming.sort_by_key(|u| (u.overdue_days.is_none(), -u.overdue_days.unwrap_or(0)));
    let waits: Vec<&Connector> = catalog
        .connectors
        .iter()
        .filter(|c| matches!(c.status, Status::Submitted | Status::InReview))
        .collect();
    let records: Vec<PathBuf> = waits
        .iter()
        .map(|c| c.dir.join(load::RECORD_FILE))
        .collect();
    let record_kib = checked.loaded.limits.record_kib.max(64);
    let since = load::git::status_since(&options.root, &records, record_kib)?;
    let mut waiting: Vec<Waiting> = waits
        .into_iter()
        .zip(&records)
        .map(|(c, record)| {
            let since = since.get(record).copied();
            Waiting {
                slug: c.slug.clone(),
                name: c.name.clone(),
                status: c.status.name(),
                contact: contact(c),
                since: since.map(|day| formats::date_of(day).to_string()),
                waited_days: since.map(|day| today - day),
            }
        })
        .collect();
    waiting.sort_by_key(|w| (w.waited_days.is_none(), -w.waited_days.unwrap_or(0)));
    let limit = i64::from(site.stale_after_days);
    let stale = catalog
        .listed()
        .filter_map(|c| {
            let last = c.last_reviewed.or(c.approved_on)?;
            let days = today - formats::days(last);
            (days > limit).then(|| Stale {
                slug: c.slug.clone(),
                name: c.name.clone(),
                last_review: last.to_string(),
                days,
            })
        })
        .collect();
    let deprecated = catalog
        .listed()
        .filter(|c| c.status == Status::Deprecated)
        .map(|c| Deprecated {
            slug: c.slug.clone(),
            name: c.name.clone(),
            version: c.version.as_ref().map(ToString::to_string),
            approved_on: c.approved_on.map(|d| d.to_string()),
        })
        .collect();
    let incomplete = checked
        .loaded
        .connectors
        .iter()
        .filter_map(|source| {
            let c = catalog
                .connector(&source.slug)
                .filter(|c| c.status.is_listed())?;
            // Only recommended items are reported, so the placeholder logo (a required one)
            // need not be read.
            let (docs, _) = load::read_docs(&checked.loaded.source, source, checked.loaded.limits);
            let missing: Vec<String> =
                validate::readiness(source, &docs, false, site, today, false)
                    .into_iter()
                    .filter(|item| item.kind == "recommended")
                    .map(|item| item.message)
                    .collect();
            (!missing.is_empty()).then(|| Incomplete {
                slug: c.slug.clone(),
                name: c.name.clone(),
                missing,
            })
        })
        .collect();
    Ok(PipelineReport {
        today: formats::date_of(today).to_string(),
        stale_after_days: site.stale_after_days,
        upcoming,
        waiting,
        stale,
        deprecated,
        incomplete,
        errors: checked.report.diagnostics.error_count(),
    })
}

fn contact(c: &Connector) -> Contact {
    Contact {
        developer: c.developer.name.clone(),
        email: c.developer.email.clone(),
        company_profile: c.developer.company_profile.clone(),
    }
}

/// How one side of the report quotes content: printable text, or Markdown code spans.
struct Style {
    quote: fn(&str) -> String,
    heading: fn(&str) -> String,
    item: &'static str,
}

const HUMAN: Style = Style {
    quote: value,
    heading: |title| format!("\n{title}:\n"),
    item: "  ",
};

const MARKDOWN: Style = Style {
    quote: code,
    heading: |title| format!("\n### {title}\n\n"),
    item: "- ",
};

impl PipelineReport {
    /// Plain text for the terminal.
    pub fn human(&self) -> String {
        self.text(&HUMAN, format!("pipeline report, {}\n", self.today))
    }

    /// Markdown for an issue or a weekly note: every value from content in a code span.
    pub fn markdown(&self) -> String {
        self.text(
            &MARKDOWN,
            format!("## Marketplace pipeline, {}\n", self.today),
        )
    }

    fn text(&self, style: &Style, title: String) -> String {
        let q = style.quote;
        let mut out = title;
        let mut section = |title: String, lines: Vec<String>| {
            out.push_str(&(style.heading)(&title));
            if lines.is_empty() {
                let _ = writeln!(out, "{}none", style.item);
            }
            for line in lines {
                let _ = writeln!(out, "{}{line}", style.item);
            }
        };
        let who = |c: &Contact| {
            let profile = c
                .company_profile
                .as_deref()
                .map(|p| format!(", company profile {}", q(p)))
                .unwrap_or_default();
            format!("{} <{}>{profile}", q(&c.developer), q(&c.email))
        };
        section(
            format!(
                "Intents and in development ({}), overdue first",
                self.upcoming.len()
            ),
            self.upcoming
                .iter()
                .map(|u| {
                    let when = match (&u.expected_completion, u.overdue_days) {
                        (Some(date), Some(late)) if late > 0 => {
                            format!("OVERDUE by {}, expected {}", days(late), q(date))
                        }
                        (Some(date), Some(late)) => {
                            format!("expected {} (in {})", q(date), days(-late))
                        }
                        _ => "no expected completion date".into(),
                    };
                    format!(
                        "{} ({}), {}: {when}; {}",
                        q(&u.slug),
                        q(&u.name),
                        u.status,
                        who(&u.contact)
                    )
                })
                .collect(),
        );
        section(
            format!("Waiting for review ({}), longest first", self.waiting.len()),
            self.waiting
                .iter()
                .map(|w| {
                    let waited = match (&w.since, w.waited_days) {
                        (Some(since), Some(waited)) => {
                            format!("waiting {} (status since {since})", days(waited))
                        }
                        _ => "waiting since an unknown day (not committed to git)".into(),
                    };
                    format!(
                        "{} ({}), {}: {waited}; {}",
                        q(&w.slug),
                        q(&w.name),
                        w.status,
                        who(&w.contact)
                    )
                })
                .collect(),
        );
        section(
            format!(
                "Not reviewed for more than {} ({})",
                days(i64::from(self.stale_after_days)),
                self.stale.len()
            ),
            self.stale
                .iter()
                .map(|s| {
                    format!(
                        "{} ({}): last reviewed {}, {} ago",
                        q(&s.slug),
                        q(&s.name),
                        q(&s.last_review),
                        days(s.days)
                    )
                })
                .collect(),
        );
        section(
            format!("Deprecated ({})", self.deprecated.len()),
            self.deprecated
                .iter()
                .map(|d| {
                    let version = d
                        .version
                        .as_deref()
                        .map_or(String::new(), |v| format!(", version {}", q(v)));
                    let approved = d
                        .approved_on
                        .as_deref()
                        .map_or(String::new(), |a| format!(", approved {}", q(a)));
                    format!("{} ({}){version}{approved}", q(&d.slug), q(&d.name))
                })
                .collect(),
        );
        section(
            format!(
                "Listed, missing recommended items ({})",
                self.incomplete.len()
            ),
            self.incomplete
                .iter()
                .map(|i| format!("{} ({}): {}", q(&i.slug), q(&i.name), i.missing.join("; ")))
                .collect(),
        );
        if self.errors > 0 {
            let _ = write!(
                out,
                "\n{} content errors: records with errors may be missing above (run `marketgen check`)\n",
                self.errors
            );
        }
        out
    }
}
