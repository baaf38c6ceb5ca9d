//! `marketgen review SLUG`: the review meeting's agenda, as Markdown. Each endpoint as a data
//! flow to demonstrate, the authentication with what to review (custom and OAuth 2.0 flows
//! flagged for a review of their scripts), the submission items present or missing, the
//! guide's requirements as a checklist, and the changelog since the last approval or review.
//!
//! The checklists are the guide's own words: the `## Review meeting` section of its process
//! page and every section of its requirements page, so the agenda follows the guide as the
//! team edits it. The agenda names the developer's email and company profile (the team
//! meets them), and so is only printed.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::bail;

use crate::diag::printable;
use crate::load::page::RawPage;
use crate::mdtext::code;
use crate::model::Connector;
use crate::{CheckOptions, load, pipeline, urls, validate};

pub struct ReviewOptions {
    pub root: PathBuf,
    pub slug: String,
    /// Days since 1970-01-01.
    pub today: i64,
}

/// The guide page and section whose list is the meeting's general demonstration.
const PROCESS_PAGE: &str = "process";
const MEETING_SECTION: &str = "Review meeting";
/// The guide page whose sections are the requirements.
const REQUIREMENTS_PAGE: &str = "requirements";
/// The requirement areas, when the guide has no requirements page to take them from.
const AREAS: [&str; 6] = [
    "Compliance",
    "Functionality",
    "Quality",
    "Security",
    "Marketplace compatibility",
    "Documentation",
];

/// The agenda of the review meeting of `options.slug`, as Markdown.
pub fn agenda(options: &ReviewOptions) -> anyhow::Result<String> {
    let checked = pipeline::checked(&CheckOptions::site(options.root.clone(), options.today))?;
    let slug = options.slug.as_str();
    let Some(source) = checked.loaded.connectors.iter().find(|s| s.slug == slug) else {
        bail!(
            "no connector `{slug}` in {}: name the folder under content/connectors",
            options.root.display()
        );
    };
    let Some(c) = checked.catalog.connector(slug) else {
        bail!("the record of `{slug}` has errors: run `marketgen check` and fix them first");
    };
    let site = &checked.catalog.site;
    let guide = |name: &str| checked.loaded.guide.iter().find(|p| p.name == name);
    let page_url =
        |name: &str, anchor: &str| format!("{}{}{anchor}", site.base_url, urls::guide_page(name));

    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Review meeting: {} ({})\n",
        code(&c.name),
        code(slug)
    );
    let version = c.version.as_ref().map_or("no version".into(), |v| {
        format!("version {}", code(&v.to_string()))
    });
    let _ = writeln!(out, "- Status {}, {version}", code(c.status.name()));
    let _ = writeln!(out, "- Summary: {}", code(&c.summary));
    let profile = c
        .developer
        .company_profile
        .as_deref()
        .map_or(String::new(), |p| format!(", company profile {}", code(p)));
    let _ = writeln!(
        out,
        "- Developer: {} <{}>{profile} (private: keep this agenda within the team)",
        code(&c.developer.name),
        code(&c.developer.email)
    );
    if guide(PROCESS_PAGE).is_some() {
        let _ = writeln!(
            out,
            "- The guide's page on the meeting: <{}>",
            page_url(PROCESS_PAGE, "#review-meeting")
        );
    }

    out.push_str("\n## 1. Data flows to demonstrate\n\n");
    let general = guide(PROCESS_PAGE)
        .and_then(|p| {
            sections(body(p))
                .into_iter()
                .find(|(h, _)| h == MEETING_SECTION)
        })
        .map(|(_, items)| items)
        .unwrap_or_default()
        .into_iter()
        // The demonstration is the section's task list; its other lists describe the meeting.
        .filter_map(|item| Some(item.strip_prefix(TASK)?.to_string()))
        .collect::<Vec<_>>();
    if !general.is_empty() {
        out.push_str("From the guide:\n\n");
    }
    for item in &general {
        let _ = writeln!(out, "- [ ] {}", printable(item));
    }
    if !general.is_empty() {
        out.push_str("\nEach endpoint of the record:\n\n");
    }
    let systems = match c.systems.is_empty() {
        true => "the third-party system".to_string(),
        false => c
            .systems
            .iter()
            .map(|s| code(s))
            .collect::<Vec<_>>()
            .join(", "),
    };
    if c.endpoints.is_empty() {
        out.push_str(
            "- [ ] **no endpoint in the record**: at least one is required to be listed\n",
        );
    }
    for e in &c.endpoints {
        let flow = match e.direction.as_str() {
            "source" => format!("a record read from {systems} into the platform"),
            "destination" => format!("a record written from the platform to {systems}"),
            _ => format!("records read from and written to {systems}"),
        };
        let what = e
            .description
            .as_deref()
            .map_or(String::new(), |d| format!(": {}", code(d)));
        let _ = writeln!(
            out,
            "- [ ] **{}** ({}, {} {}): {flow}{what}",
            code(&e.name),
            printable(&e.direction),
            code(&e.method),
            code(&e.path)
        );
    }

    out.push_str("\n## 2. Authentication\n\n");
    authentication(&mut out, c);

    out.push_str("\n## 3. Submission items\n\n");
    submission(&mut out, c);
    let read_from = &checked.loaded.source;
    let (docs, _) = load::read_docs(read_from, source, checked.loaded.limits);
    let (images, _) = load::read_media(read_from, source, checked.loaded.limits);
    let placeholder_logo = pipeline::is_placeholder_logo(source, &images);
    let required: Vec<_> =
        validate::readiness(source, &docs, placeholder_logo, site, options.today, false)
            .into_iter()
            .filter(|item| item.kind == "required")
            // The team sets `approved_on` when it approves: not something to ask for.
            .filter(|item| item.anchor != "approved_on")
            .collect();
    if !required.is_empty() {
        out.push_str("\nStill required to be listed:\n\n");
        for item in required {
            let line = item.line.map_or(String::new(), |l| format!(" (line {l})"));
            let _ = writeln!(out, "- [ ] {}{line}", printable(&item.message));
        }
    }

    out.push_str("\n## 4. Requirements\n");
    match guide(REQUIREMENTS_PAGE) {
        Some(page) => {
            let _ = writeln!(
                out,
                "\nFrom the guide's requirements: <{}>",
                page_url(REQUIREMENTS_PAGE, "")
            );
            for (heading, items) in sections(body(page)) {
                let _ = writeln!(out, "\n### {}\n", printable(&heading));
                // A section written as prose is one item: the section as a whole.
                if items.is_empty() {
                    let _ = writeln!(
                        out,
                        "- [ ] the guide's {} requirements",
                        printable(&heading)
                    );
                }
                for item in items {
                    let item = item.strip_prefix(TASK).unwrap_or(&item);
                    let _ = writeln!(out, "- [ ] {}", printable(item));
                }
            }
        }
        None => {
            out.push('\n');
            for area in AREAS {
                let _ = writeln!(out, "- [ ] {area}");
            }
        }
    }

    out.push_str("\n## 5. Changes since the last approved version\n\n");
    changes(&mut out, c);
    Ok(out)
}

fn authentication(out: &mut String, c: &Connector) {
    let Some(auth) = &c.authentication else {
        out.push_str(
            "- [ ] **no authentication type in the record**: required to be listed; ask how the connector authenticates\n",
        );
        return;
    };
    let script_review = matches!(auth.kind.as_str(), "custom" | "oauth2");
    let flag = match script_review {
        true => " — **script review**: go through the scripts and custom components of the flow",
        false => "",
    };
    let _ = writeln!(out, "Type {}{flag}.", code(&auth.kind));
    if let Some(notes) = &auth.notes {
        let _ = writeln!(out, "The developer's notes: {}", code(notes));
    }
    out.push('\n');
    let items: &[&str] = match auth.kind.as_str() {
        "oauth2" => &[
            "the authorisation and token refresh scripts, and any custom component of the flow",
            "the scopes requested are the ones the connector uses",
            "tokens are kept only in the platform's credential store, never in settings or logs",
        ],
        "custom" => &[
            "every script and custom component of the flow, step by step",
            "why a standard type (OAuth 2.0, an API key) does not fit the system",
            "credentials are kept only in the platform's credential store, never in settings or logs",
        ],
        "none" => &["the system needs no credentials, and exposes no customer data without them"],
        _ => &[
            "the credential's permissions are the least the connector needs, and documented",
            "the credential is kept only in the platform's credential store, never in settings or logs",
        ],
    };
    for item in items {
        let _ = writeln!(out, "- [ ] {item}");
    }
}

fn submission(out: &mut String, c: &Connector) {
    let check = |present: bool| if present { "[x]" } else { "[ ]" };
    let docs: Vec<String> = crate::model::doc_names(&c.files)
        .map(|name| code(&format!("docs/{name}.md")))
        .collect();
    let has_overview = c.files.contains("docs/index.md");
    let _ = writeln!(
        out,
        "- {} Documentation: {}",
        check(has_overview),
        match (has_overview, docs.is_empty()) {
            (_, true) => "none".to_string(),
            (false, false) => format!("{}, but no overview `docs/index.md`", docs.join(", ")),
            (true, false) => docs.join(", "),
        }
    );
    let mut media = Vec::new();
    match c.screenshots.len() {
        0 => {}
        1 => media.push("1 screenshot".into()),
        n => media.push(format!("{n} screenshots")),
    }
    if let Some(video) = &c.demo_video {
        media.push(format!("a demo video {}", code(video)));
    }
    let _ = writeln!(
        out,
        "- {} Screenshots or a demo video: {}",
        check(!media.is_empty()),
        if media.is_empty() {
            "none".to_string()
        } else {
            media.join(", ")
        }
    );
    let support: Vec<String> = [
        ("email", &c.support.email),
        ("page", &c.support.url),
        ("response time", &c.support.response_time),
    ]
    .iter()
    .filter_map(|(what, v)| v.as_deref().map(|v| format!("{what} {}", code(v))))
    .collect();
    let reachable = c.support.email.is_some() || c.support.url.is_some();
    let _ = writeln!(
        out,
        "- {} Support contacts: {}",
        check(reachable),
        if support.is_empty() {
            "none".to_string()
        } else {
            support.join(", ")
        }
    );
    let compliance = c.compliance.clone().unwrap_or_default();
    let link = |what: &str, v: &Option<String>| match v {
        Some(url) => format!("{what} {}", code(url)),
        None => format!("{what} missing"),
    };
    let _ = writeln!(
        out,
        "- {} Compliance links: {}, {}",
        check(compliance.privacy_policy.is_some() && compliance.terms.is_some()),
        link("privacy policy", &compliance.privacy_policy),
        link("terms", &compliance.terms)
    );
}

fn changes(out: &mut String, c: &Connector) {
    let reviewed = [c.approved_on, c.last_reviewed].into_iter().flatten().max();
    let since = match reviewed {
        Some(day) => {
            // The newest entry on or before the last approval or review is the version then
            // approved; everything after it is new to the team.
            let approved = c
                .changelog
                .iter()
                .filter(|e| e.date <= day)
                .max_by_key(|e| e.date);
            match approved {
                Some(entry) => {
                    let _ = writeln!(
                        out,
                        "Last approved or reviewed on {}: version {}.\n",
                        code(&day.to_string()),
                        code(&entry.version.to_string())
                    );
                }
                None => {
                    let _ = writeln!(
                        out,
                        "Last approved or reviewed on {}.\n",
                        code(&day.to_string())
                    );
                }
            }
            Some(day)
        }
        None => {
            out.push_str("Never approved: the whole changelog is new to the team.\n\n");
            None
        }
    };
    let new: Vec<_> = c
        .changelog
        .iter()
        .filter(|e| since.is_none_or(|day| e.date > day))
        .collect();
    if new.is_empty() {
        out.push_str("- no changelog entry since then\n");
    }
    for e in new {
        let _ = writeln!(
            out,
            "- {} ({}): {}",
            code(&e.version.to_string()),
            code(&e.date.to_string()),
            code(&e.notes)
        );
    }
}

/// A guide page's Markdown after its front matter.
fn body(page: &RawPage) -> &str {
    page.file.text.get(page.body_offset..).unwrap_or_default()
}

/// A task list item's box, as the guide writes it.
const TASK: &str = "[ ] ";

/// The list items of each `## ` section of a guide page, as written (a task's box kept,
/// continuation lines joined); fenced code is skipped. The guide is the team's own text.
fn sections(markdown: &str) -> Vec<(String, Vec<String>)> {
    let mut sections: Vec<(String, Vec<String>)> = Vec::new();
    let mut fenced = false;
    let mut in_item = false;
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fenced = !fenced;
            in_item = false;
            continue;
        }
        if fenced {
            continue;
        }
        if let Some(heading) = line.strip_prefix("## ") {
            sections.push((heading.trim().to_string(), Vec::new()));
            in_item = false;
        } else if let Some(item) = line.strip_prefix("- ") {
            let item = item.trim();
            if let Some((_, items)) = sections.last_mut() {
                items.push(item.to_string());
                in_item = true;
            }
        } else if in_item && line.starts_with("  ") && !trimmed.is_empty() {
            if let Some(last) = sections.last_mut().and_then(|(_, items)| items.last_mut()) {
                last.push(' ');
                last.push_str(trimmed);
            }
        } else {
            in_item = false;
        }
    }
    sections
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_take_each_headings_list_items_and_skip_code() {
        let page = "Intro.\n\n## Security\n\n- [ ] one\n- two\n  continued\n\n```yaml\n- not an item\n```\n\n## Empty\n\nText.\n";
        assert_eq!(
            sections(page),
            [
                (
                    "Security".to_string(),
                    vec!["[ ] one".to_string(), "two continued".to_string()]
                ),
                ("Empty".to_string(), vec![]),
            ]
        );
    }
}
