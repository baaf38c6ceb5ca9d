//! `marketgen report`: the marketplace's pipeline at a glance, for the team. Intents and
//! connectors in development with their expected completion (overdue first), submissions
//! waiting for review and since when (the last commit that changed their status), listed
//! connectors whose last review is older than `review.stale_after_days`, deprecated ones, and
//! listed ones missing what listing needs or recommends (a placeholder counts as missing).
//!
//! It shows private fields (the developer's email and company profile: the team contacts
//! them) and so only ever prints: it writes no file, least of all into the public output.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Serialize;

use crate::diag::{Grammar, Markdown, Terminal, Text};
use crate::mdtext::days;
use crate::model::{Connector, Status};
use crate::validate::formats;
use crate::{CheckOptions, load, pipeline, text, validate};

pub struct ReportOptions {
    pub root: PathBuf,
    /// Days since 1970-01-01.
    pub today: i64,
}

#[derive(Debug, Serialize)]
pub struct PipelineReport {
    pub today: NaiveDate,
    pub stale_after_days: u32,
    /// Intents and connectors in development: overdue first, then by expected date, then
    /// those without one.
    pub upcoming: Vec<Upcoming>,
    /// Submitted and in review, longest wait first.
    pub waiting: Vec<Waiting>,
    pub stale: Vec<Stale>,
    pub deprecated: Vec<Deprecated>,
    /// Listed connectors missing what listing needs or recommends, placeholders included.
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
    pub since: Option<NaiveDate>,
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
                since: since.map(formats::date_of),
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
            let read_from = &checked.loaded.source;
            let (docs, _) = load::read_docs(read_from, source, checked.loaded.limits);
            let (images, _) = load::read_media(read_from, source, checked.loaded.limits);
            let placeholders = validate::Placeholders::of(source, &docs, &images);
            // What the developer still owes: a placeholder as much as a missing item.
            let missing: Vec<String> =
                validate::readiness(source, &docs, placeholders, site, today, false)
                    .into_iter()
                    .filter(|item| item.kind != "marketplace")
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
        today: formats::date_of(today),
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

/// How one side of the report sets out its sections.
struct Style<G> {
    heading: fn(Text<G>) -> Text<G>,
    item: &'static str,
}

const HUMAN: Style<Terminal> = Style {
    heading: |title| text!["\n", title, ":\n"],
    item: "  ",
};

const MARKDOWN: Style<Markdown> = Style {
    heading: |title| text!["\n### ", title, "\n\n"],
    item: "- ",
};

impl PipelineReport {
    /// Plain text for the terminal.
    pub fn human(&self) -> String {
        let title = text!["pipeline report, ", self.today, "\n"];
        self.text(&HUMAN, title).into_string()
    }

    /// Markdown for an issue or a weekly note: every value from content in a code span.
    pub fn markdown(&self) -> String {
        let title = text!["## Marketplace pipeline, ", self.today, "\n"];
        self.text(&MARKDOWN, title).into_string()
    }

    fn text<G: Grammar>(&self, style: &Style<G>, title: Text<G>) -> Text<G> {
        let q = |text: &str| Text::<G>::content(text);
        let mut out = title;
        let mut section = |title: Text<G>, lines: Vec<Text<G>>| {
            out.push((style.heading)(title));
            if lines.is_empty() {
                out.push(text![style.item, "none\n"]);
            }
            for line in lines {
                out.push(text![style.item, line, "\n"]);
            }
        };
        let who = |c: &Contact| {
            let profile = c
                .company_profile
                .as_deref()
                .map(|p| text![", company profile ", q(p)])
                .unwrap_or_default();
            text![q(&c.developer), " <", q(&c.email), ">", profile]
        };
        section(
            text![
                "Intents and in development (",
                self.upcoming.len(),
                "), overdue first"
            ],
            self.upcoming
                .iter()
                .map(|u| {
                    let when = match (&u.expected_completion, u.overdue_days) {
                        (Some(date), Some(late)) if late > 0 => {
                            text!["OVERDUE by ", days(late), ", expected ", q(date)]
                        }
                        (Some(date), Some(late)) => {
                            text!["expected ", q(date), " (in ", days(-late), ")"]
                        }
                        _ => "no expected completion date".into(),
                    };
                    text![
                        q(&u.slug),
                        " (",
                        q(&u.name),
                        "), ",
                        u.status,
                        ": ",
                        when,
                        "; ",
                        who(&u.contact)
                    ]
                })
                .collect(),
        );
        section(
            text![
                "Waiting for review (",
                self.waiting.len(),
                "), longest first"
            ],
            self.waiting
                .iter()
                .map(|w| {
                    let waited = match (&w.since, w.waited_days) {
                        (Some(since), Some(waited)) => {
                            text!["waiting ", days(waited), " (status since ", *since, ")"]
                        }
                        _ => "waiting since an unknown day (not committed to git)".into(),
                    };
                    text![
                        q(&w.slug),
                        " (",
                        q(&w.name),
                        "), ",
                        w.status,
                        ": ",
                        waited,
                        "; ",
                        who(&w.contact)
                    ]
                })
                .collect(),
        );
        section(
            text![
                "Not reviewed for more than ",
                days(i64::from(self.stale_after_days)),
                " (",
                self.stale.len(),
                ")"
            ],
            self.stale
                .iter()
                .map(|s| {
                    text![
                        q(&s.slug),
                        " (",
                        q(&s.name),
                        "): last reviewed ",
                        q(&s.last_review),
                        ", ",
                        days(s.days),
                        " ago"
                    ]
                })
                .collect(),
        );
        section(
            text!["Deprecated (", self.deprecated.len(), ")"],
            self.deprecated
                .iter()
                .map(|d| {
                    let version = d
                        .version
                        .as_deref()
                        .map_or(Text::default(), |v| text![", version ", q(v)]);
                    let approved = d
                        .approved_on
                        .as_deref()
                        .map_or(Text::default(), |a| text![", approved ", q(a)]);
                    text![q(&d.slug), " (", q(&d.name), ")", version, approved]
                })
                .collect(),
        );
        section(
            text![
                "Listed, missing what listing needs or recommends (",
                self.incomplete.len(),
                ")"
            ],
            self.incomplete
                .iter()
                .map(|i| {
                    let missing = Text::join(i.missing.iter().map(|m| q(m)), "; ");
                    text![q(&i.slug), " (", q(&i.name), "): ", missing]
                })
                .collect(),
        );
        if self.errors > 0 {
            out.push(text![
                "\n",
                self.errors,
                " content errors: records with errors may be missing above (run `marketgen check`)\n"
            ]);
        }
        out
    }
}
