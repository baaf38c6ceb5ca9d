//! `marketgen review SLUG`: the review meeting's agenda, as Markdown. Each endpoint as a data
//! flow to demonstrate, the authentication with what to review (custom and OAuth 2.0 flows
//! flagged for a review of their scripts), the submission items present or missing, the
//! guide's requirements as a checklist, and the changelog since the last approval or review.
//!
//! The checklists are the guide's own words: the `## Review meeting` section of its process
//! page and every section of its requirements page, so the agenda follows the guide as the
//! team edits it. The agenda names the developer's email and company profile (the team
//! meets them), and so is only printed.

use std::path::PathBuf;

use anyhow::bail;

use crate::load::page::RawPage;
use crate::mdtext::{Md, code};
use crate::model::Connector;
use crate::{CheckOptions, load, pipeline, text, urls, validate};

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
        let slugs: Vec<&str> = checked
            .loaded
            .connectors
            .iter()
            .map(|s| s.slug.as_str())
            .collect();
        let help = match load::yaml::suggest_all(slug, &slugs).as_slice() {
            [] => "name the folder under content/connectors".to_string(),
            close => {
                let close: Vec<String> = close.iter().map(|c| format!("`{c}`")).collect();
                format!("did you mean {}?", close.join(" or "))
            }
        };
        bail!(
            "no connector `{slug}` in {}: {help}",
            options.root.display()
        );
    };
    let Some(c) = checked.catalog.connector(slug) else {
        bail!("the record of `{slug}` has errors: run `marketgen check` and fix them first");
    };
    let site = &checked.catalog.site;
    let guide = |name: &str| checked.loaded.guide.iter().find(|p| p.name == name);
    let page_url = |name: &str, anchor: &str| {
        Md::autolink(&format!(
            "{}{}{anchor}",
            site.base_url,
            urls::guide_page(name)
        ))
    };

    let mut out = Md::default();
    out.push(text![
        "# Review meeting: ",
        code(&c.name),
        " (",
        code(slug),
        ")\n\n"
    ]);
    let version = c.version.as_ref().map_or("no version".into(), |v| {
        text!["version ", code(&v.to_string())]
    });
    out.push(text!["- Status ", c.status.name(), ", ", version, "\n"]);
    out.push(text!["- Summary: ", code(&c.summary), "\n"]);
    let profile = c
        .developer
        .company_profile
        .as_deref()
        .map_or(Md::default(), |p| text![", company profile ", code(p)]);
    out.push(text![
        "- Developer: ",
        code(&c.developer.name),
        " <",
        code(&c.developer.email),
        ">",
        profile,
        " (private: keep this agenda within the team)\n"
    ]);
    if guide(PROCESS_PAGE).is_some() {
        out.push(text![
            "- The guide's page on the meeting: ",
            page_url(PROCESS_PAGE, "#review-meeting"),
            "\n"
        ]);
    }

    out.push("\n## 1. Data flows to demonstrate\n\n");
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
        out.push("From the guide:\n\n");
    }
    for item in &general {
        out.push(text!["- [ ] ", Md::team_markdown(item), "\n"]);
    }
    if !general.is_empty() {
        out.push("\nEach endpoint of the record:\n\n");
    }
    let systems = match c.systems.is_empty() {
        true => "the third-party system".into(),
        false => Md::join(c.systems.iter().map(|s| code(s)), ", "),
    };
    if c.endpoints.is_empty() {
        out.push("- [ ] **no endpoint in the record**: at least one is required to be listed\n");
    }
    for e in &c.endpoints {
        let flow = match e.direction.as_str() {
            "source" => text!["a record read from ", systems.clone(), " into the platform"],
            "destination" => text!["a record written from the platform to ", systems.clone()],
            _ => text!["records read from and written to ", systems.clone()],
        };
        let what = e
            .description
            .as_deref()
            .map_or(Md::default(), |d| text![": ", code(d)]);
        out.push(text![
            "- [ ] **",
            code(&e.name),
            "** (",
            Md::name(&e.direction),
            ", ",
            code(&e.method),
            " ",
            code(&e.path),
            "): ",
            flow,
            what,
            "\n"
        ]);
    }

    out.push("\n## 2. Authentication\n\n");
    authentication(&mut out, c);

    out.push("\n## 3. Submission items\n\n");
    let read_from = &checked.loaded.source;
    let (docs, _) = load::read_docs(read_from, source, checked.loaded.limits);
    let (images, _) = load::read_media(read_from, source, checked.loaded.limits);
    let placeholders = validate::Placeholders::of(source, &docs, &images);
    let readiness = validate::readiness(source, &docs, placeholders, site, options.today, false);
    submission(&mut out, c, &readiness);
    // What the team sets when it approves is not something to ask for.
    let required: Vec<_> = readiness
        .into_iter()
        .filter(|item| item.kind == "required")
        .collect();
    if !required.is_empty() {
        out.push("\nStill required to be listed:\n\n");
        for item in required {
            let line = item
                .line
                .map_or(Md::default(), |l| text![" (line ", l, ")"]);
            // The message quotes the record's values (a file name, a field's text), so all
            // of it is a code span.
            out.push(text!["- [ ] ", code(&item.message), line, "\n"]);
        }
    }

    out.push("\n## 4. Requirements\n");
    match guide(REQUIREMENTS_PAGE) {
        Some(page) => {
            out.push(text![
                "\nFrom the guide's requirements: ",
                page_url(REQUIREMENTS_PAGE, ""),
                "\n"
            ]);
            for (heading, items) in sections(body(page)) {
                let heading = Md::team_markdown(&heading);
                out.push(text!["\n### ", heading.clone(), "\n\n"]);
                // A section written as prose is one item: the section as a whole.
                if items.is_empty() {
                    out.push(text!["- [ ] the guide's ", heading, " requirements\n"]);
                }
                for item in items {
                    let item = item.strip_prefix(TASK).unwrap_or(&item);
                    out.push(text!["- [ ] ", Md::team_markdown(item), "\n"]);
                }
            }
        }
        None => {
            out.push("\n");
            for area in AREAS {
                out.push(text!["- [ ] ", area, "\n"]);
            }
        }
    }

    out.push("\n## 5. Changes since the last approved version\n\n");
    changes(&mut out, c);
    Ok(out.into_string())
}

fn authentication(out: &mut Md, c: &Connector) {
    let Some(auth) = &c.authentication else {
        out.push(
            "- [ ] **no authentication type in the record**: required to be listed; ask how the connector authenticates\n",
        );
        return;
    };
    let script_review = matches!(auth.kind.as_str(), "custom" | "oauth2");
    let flag = match script_review {
        true => " — **script review**: go through the scripts and custom components of the flow",
        false => "",
    };
    out.push(text!["Type ", code(&auth.kind), flag, ".\n"]);
    if let Some(notes) = &auth.notes {
        out.push(text!["The developer's notes: ", code(notes), "\n"]);
    }
    out.push("\n");
    let items: &[&'static str] = match auth.kind.as_str() {
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
        out.push(text!["- [ ] ", *item, "\n"]);
    }
}

/// The submission's items, each ticked only when `readiness` (the one rule of what listing
/// needs) has nothing left for it, so that a placeholder is never ticked.
fn submission(out: &mut Md, c: &Connector, readiness: &[validate::Readiness]) {
    let check = |present: bool| if present { "[x]" } else { "[ ]" };
    let wanted = |anchor: &str| readiness.iter().any(|item| item.anchor == anchor);
    let docs: Vec<Md> = crate::model::doc_names(&c.files)
        .map(|name| code(&format!("docs/{name}.md")))
        .collect();
    let has_overview = c.files.contains("docs/index.md");
    let listed = match (has_overview, docs.is_empty()) {
        (_, true) => "none".into(),
        (false, false) => text![Md::join(docs, ", "), ", but no overview `docs/index.md`"],
        (true, false) if wanted("docs") => text![
            Md::join(docs, ", "),
            ", but `docs/index.md` is still the placeholder text"
        ],
        (true, false) => Md::join(docs, ", "),
    };
    out.push(text![
        "- ",
        check(!wanted("docs")),
        " Documentation: ",
        listed,
        "\n"
    ]);
    let mut media: Vec<Md> = Vec::new();
    match c.screenshots.len() {
        0 => {}
        1 => media.push("1 screenshot".into()),
        n => media.push(text![n, " screenshots"]),
    }
    if let Some(video) = &c.demo_video {
        media.push(text!["a demo video ", code(video)]);
    }
    let present = !wanted("screenshots");
    let media = match media.is_empty() {
        true => "none".into(),
        false => Md::join(media, ", "),
    };
    out.push(text![
        "- ",
        check(present),
        " Screenshots or a demo video: ",
        media,
        "\n"
    ]);
    let support: Vec<Md> = [
        ("email", &c.support.email),
        ("page", &c.support.url),
        ("response time", &c.support.response_time),
    ]
    .into_iter()
    .filter_map(|(what, v)| v.as_deref().map(|v| text![what, " ", code(v)]))
    .collect();
    let reachable = !wanted("support");
    let support = match support.is_empty() {
        true => "none".into(),
        false => Md::join(support, ", "),
    };
    out.push(text![
        "- ",
        check(reachable),
        " Support contacts: ",
        support,
        "\n"
    ]);
    let compliance = c.compliance.clone().unwrap_or_default();
    let link = |what: &'static str, v: &Option<String>| match v {
        Some(url) => text![what, " ", code(url)],
        None => text![what, " missing"],
    };
    out.push(text![
        "- ",
        check(!wanted("compliance")),
        " Compliance links: ",
        link("privacy policy", &compliance.privacy_policy),
        ", ",
        link("terms", &compliance.terms),
        "\n"
    ]);
}

fn changes(out: &mut Md, c: &Connector) {
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
            out.push(text![
                "Last approved or reviewed on ",
                code(&day.to_string())
            ]);
            if let Some(entry) = approved {
                out.push(text![": version ", code(&entry.version.to_string())]);
            }
            out.push(".\n\n");
            Some(day)
        }
        None => {
            out.push("Never approved: the whole changelog is new to the team.\n\n");
            None
        }
    };
    let new: Vec<_> = c
        .changelog
        .iter()
        .filter(|e| since.is_none_or(|day| e.date > day))
        .collect();
    if new.is_empty() {
        out.push("- no changelog entry since then\n");
    }
    for e in new {
        out.push(text![
            "- ",
            code(&e.version.to_string()),
            " (",
            code(&e.date.to_string()),
            "): ",
            code(&e.notes),
            "\n"
        ]);
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
