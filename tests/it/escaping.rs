//! Issue 21, point 5: every output format escapes content by its own grammar. Each test feeds
//! every content field a payload (a mention, a remote image, a link, a workflow command, an
//! escaped line break, a terminal sequence, a backtick) and reads the output with that format's
//! own grammar: Markdown through pulldown-cmark, SARIF messages by §3.11.5 and §3.11.6 of
//! SARIF 2.1.0, GitHub workflow commands by the runner's grammar (`ci_formats::commands`), and
//! the terminal's output for control characters.

use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde_json::Value;

use crate::build::copy_tree;
use crate::ci_formats::commands;
use crate::support::{check_output, fixture, marketgen, new_lone_connector};

/// What a record's one-line fields may hold (at most 60 characters with a marker, no control
/// character: a record holding one has errors, and is in no report).
const PAYLOAD: &str = "@team <img src=https://t.io/p> [x](https://e.io) `";

/// What a file name may hold: no `/`, and no `%`, which `load` refuses in paths.
const FILE_PAYLOAD: &str = "@team <img src=t.io> [x](e.io) ::error::x `";

/// What the diagnostics quote: everything, control characters included.
const FULL_PAYLOAD: &str = "@team <img src=https://tracker.example/t.png> [x](https://evil.example) ::error::x %0A \u{1b}[31m `";

/// What a SARIF message's grammar reads as other than text: an embedded link, a placeholder
/// and a backslash (quoted by `unknown-category`, which takes at most 60 characters).
const SARIF_PAYLOAD: &str = r"[x](https://e.io) {0} \ @team";

/// The same in a file name.
const FULL_FILE_PAYLOAD: &str = "@team <img src=t.io> [x](e.io) ::error::x %0A \u{1b}[31m `";

/// The payload of one field of one record: `marker` tells where an output took it from.
fn payload(marker: &str) -> String {
    format!("{PAYLOAD} {marker}")
}

/// A record whose every text field holds the payload, marked `{slug initial}{field}`.
fn record(status: &str, mark: &str, extra: &str) -> String {
    let p = |field: &str| yaml(&payload(&format!("{mark}{field}")));
    format!(
        "name: {name}\nstatus: {status}\nsummary: {summary}\ncategory: ecommerce\n\
         tags: [orders]\nsystems: [{system}]\nversion: 1.0.0\nlogo: {logo}\n\
         screenshots:\n  - file: {shot}\n    caption: {caption}\n\
         developer:\n  name: {developer}\n  email: dev@evil.example\n  company_profile: {profile}\n\
         support:\n  email: help@evil.example\n  url: https://evil.example/support\n  response_time: {response}\n\
         authentication:\n  type: custom\n  notes: {notes}\n\
         endpoints:\n  - name: {endpoint}\n    method: GET\n    path: {path}\n    direction: source\n    description: {description}\n\
         compliance:\n  privacy_policy: https://evil.example/privacy\n  terms: https://evil.example/terms\n\
         changelog:\n  - version: 1.0.0\n    date: 2025-01-01\n    notes: {changes}\n{extra}",
        name = p("name"),
        summary = p("summary"),
        system = p("system"),
        logo = yaml(&format!("{FILE_PAYLOAD}.svg")),
        shot = yaml(&format!("screenshots/{FILE_PAYLOAD}.png")),
        caption = p("caption"),
        developer = p("developer"),
        profile = p("profile"),
        response = p("support"),
        notes = p("notes"),
        endpoint = p("endpoint"),
        path = yaml(&format!("/api/{}", payload(&format!("{mark}path")))),
        description = p("description"),
        changes = p("changelog"),
    )
}

/// A YAML double-quoted scalar (the payloads hold no `"` or `\`).
fn yaml(text: &str) -> String {
    format!("\"{text}\"")
}

/// The fields `record` fills, as the markers its payloads end with.
const FIELDS: [&str; 11] = [
    "name",
    "summary",
    "system",
    "developer",
    "profile",
    "support",
    "notes",
    "endpoint",
    "path",
    "description",
    "changelog",
];

/// A connector folder `slug` holding `record`, a docs page whose name is the payload, a
/// screenshot and a logo named by the payload; the logo is `new connector`'s placeholder or a
/// real one.
fn add_connector(site: &Path, slug: &str, record: &str, placeholder_logo: bool) {
    let folder = site.join("content/connectors").join(slug);
    let acme = site.join("content/connectors/acme-orders");
    std::fs::create_dir_all(folder.join("docs")).unwrap();
    std::fs::create_dir_all(folder.join("screenshots")).unwrap();
    std::fs::write(folder.join("connector.yaml"), record).unwrap();
    std::fs::write(
        folder.join("docs/index.md"),
        "---\ntitle: Overview\n---\n\nWhat it does.\n",
    )
    .unwrap();
    std::fs::write(
        folder.join(format!("docs/{FILE_PAYLOAD}.md")),
        "---\ntitle: Page\n---\n\nText.\n",
    )
    .unwrap();
    std::fs::copy(
        acme.join("screenshots/orders.png"),
        folder.join(format!("screenshots/{FILE_PAYLOAD}.png")),
    )
    .unwrap();
    let scaffold = new_lone_connector();
    let logo = match placeholder_logo {
        true => scaffold.path().join("acme-crm/logo.svg"),
        false => acme.join("logo.svg"),
    };
    std::fs::copy(logo, folder.join(format!("{FILE_PAYLOAD}.svg"))).unwrap();
}

/// The valid fixture with connectors in every state the team's commands report on, every
/// field of each holding the payload.
fn payload_site(site: &Path) {
    copy_tree(&fixture("valid"), site);
    let listed = "approved_on: 2024-01-01\nlast_reviewed: 2024-06-01\n";
    add_connector(site, "waiting", &record("in-review", "w", ""), true);
    add_connector(
        site,
        "planned",
        &record("in-development", "p", "expected_completion: 2026-01-01\n"),
        true,
    );
    // Listed and last reviewed more than a year ago: the report's stale section.
    add_connector(site, "stale", &record("approved", "s", listed), false);
    add_connector(site, "dated", &record("deprecated", "d", listed), false);
}

fn run(root: &Path, args: &[&str]) -> String {
    let output = marketgen()
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap();
    assert!(
        output.status.code() != Some(2),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Reads `markdown` as GitHub does (CommonMark with its tables, task lists and strikethrough)
/// and returns its code spans, failing on anything content could make active outside them: a
/// link other than to the site's own pages (`own`), an image, raw HTML, or text holding a
/// mention (`@`) or an address GitHub would link (`http`, `www.`).
fn code_spans_of_inert_markdown(markdown: &str, own: &str) -> Vec<String> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_GFM;
    let mut spans = Vec::new();
    let mut in_code_block = false;
    let mut in_own_link = false;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Code(code) => spans.push(code.to_string()),
            Event::Start(Tag::Link { dest_url, .. }) => {
                assert!(
                    dest_url.starts_with(own),
                    "a link to {dest_url} in\n{markdown}"
                );
                in_own_link = true;
            }
            Event::End(TagEnd::Link) => in_own_link = false,
            Event::Start(Tag::Image { dest_url, .. }) => {
                panic!("an image from {dest_url} in\n{markdown}")
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                panic!("raw HTML {html:?} in\n{markdown}")
            }
            Event::Text(text) if !in_code_block && !in_own_link => {
                for active in ["@", "http", "www."] {
                    assert!(
                        !text.contains(active),
                        "{active:?} outside code in {text:?} of\n{markdown}"
                    );
                }
            }
            _ => {}
        }
    }
    spans
}

/// Fails unless a code span holds the payload marked `marker`.
fn assert_quoted(spans: &[String], marker: &str, markdown: &str) {
    let value = payload(marker);
    assert!(
        spans.iter().any(|s| s.contains(&value)),
        "{value:?} in no code span of\n{markdown}"
    );
}

/// Control characters (other than line breaks) and bidirectional controls, which a terminal
/// acts on.
fn assert_printable(output: &str, what: &str) {
    let acting = |c: char| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    assert!(!output.chars().any(acting), "{what}: {output:?}");
}

#[test]
fn review_agendas_hold_every_field_only_in_code_spans() {
    let site = tempfile::tempdir().unwrap();
    payload_site(site.path());
    let agenda = run(site.path(), &["review", "waiting"]);
    let spans = code_spans_of_inert_markdown(&agenda, "https://test.example/");
    for field in FIELDS {
        assert_quoted(&spans, &format!("w{field}"), &agenda);
    }
    // The placeholder logo's file name, in the list of what is still required, and the docs
    // page named by the payload.
    assert!(
        spans
            .iter()
            .any(|s| s.contains(&format!("{FILE_PAYLOAD}.svg")) && s.contains("placeholder logo")),
        "{agenda}"
    );
    assert!(
        spans
            .iter()
            .any(|s| s.contains(&format!("docs/{FILE_PAYLOAD}.md"))),
        "{agenda}"
    );
}

#[test]
fn report_markdown_holds_every_field_only_in_code_spans_and_the_terminal_report_is_printable() {
    let site = tempfile::tempdir().unwrap();
    payload_site(site.path());
    let markdown = run(site.path(), &["report", "--format", "markdown"]);
    let spans = code_spans_of_inert_markdown(&markdown, "https://test.example/");
    // Who to ask is shown for records on their way; a listed record by its name.
    for marker in [
        "wname",
        "wdeveloper",
        "wprofile",
        "pname",
        "pdeveloper",
        "pprofile",
        "sname",
        "dname",
    ] {
        assert_quoted(&spans, marker, &markdown);
    }
    let human = run(site.path(), &["report"]);
    assert_printable(&human, "report");
    assert!(human.contains(&payload("wname")), "{human}");
}

/// A git repository in a temporary folder holding the payload site in `market/`, committed.
fn repository() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("market");
    payload_site(&site);
    crate::support::git(dir.path(), &["init", "--quiet", "--initial-branch=main"]);
    crate::support::git(dir.path(), &["add", "--all"]);
    crate::support::git(dir.path(), &["commit", "--quiet", "-m", "the site"]);
    (dir, site)
}

#[test]
fn diff_markdown_holds_every_changed_field_only_in_code_spans_and_its_text_is_printable() {
    let (_dir, site) = repository();
    // Every field of a listed record changes to another payload, and a listed record is added.
    let stale = site.join("content/connectors/stale/connector.yaml");
    let text = std::fs::read_to_string(&stale).unwrap();
    std::fs::write(&stale, text.replace(&payload("s"), &payload("t"))).unwrap();
    let added = record(
        "approved",
        "a",
        "approved_on: 2026-01-01\nlast_reviewed: 2026-06-01\n",
    );
    add_connector(&site, "added", &added, false);
    let markdown = run(&site, &["diff", "HEAD", "--format", "markdown"]);
    let spans = code_spans_of_inert_markdown(&markdown, "https://test.example/");
    assert_quoted(&spans, "aname", &markdown);
    for field in ["name", "summary", "system", "developer", "caption"] {
        assert_quoted(&spans, &format!("s{field}"), &markdown);
        assert_quoted(&spans, &format!("t{field}"), &markdown);
    }
    let human = run(&site, &["diff", "HEAD"]);
    assert_printable(&human, "diff");
    assert!(human.contains(&payload("tname")), "{human}");
}

/// The valid fixture with a connector whose fields, keys and file names hold the whole
/// payload, so that diagnostics quote it in their messages, labels and paths.
fn diagnosed_site() -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    copy_tree(&fixture("valid"), site.path());
    let folder = site.path().join("content/connectors/evil");
    std::fs::create_dir_all(folder.join("docs")).unwrap();
    std::fs::write(
        folder.join(format!("docs/{FULL_FILE_PAYLOAD}.md")),
        "---\ntitle: Page\n---\n\nText.\n",
    )
    .unwrap();
    let quoted = serde_json::to_string(FULL_PAYLOAD).unwrap();
    let record = format!(
        "name: {quoted}\nstatus: in-review\nsummary: {quoted}\n\
         category: {short}\ntags: [{quoted}]\nbadges: [{quoted}]\nlogo: {quoted}\n\
         {quoted}: 1\ndeveloper:\n  name: {quoted}\n  email: {quoted}\n\
         support:\n  url: {quoted}\n  email: {quoted}\n",
        short = serde_json::to_string(SARIF_PAYLOAD).unwrap(),
    );
    std::fs::write(folder.join("connector.yaml"), record).unwrap();
    site
}

/// Decodes a SARIF plain-text message by its grammar, failing on what the grammar would read
/// as other than text: a `[` or `]` not escaped (the start or end of an embedded link), a lone
/// `{` or `}` (a placeholder), a backslash that escapes nothing.
fn decode_sarif_message(text: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e @ ('\\' | '[' | ']')) => out.push(e),
                other => return Err(format!("`\\` before {other:?} in {text:?}")),
            },
            '[' | ']' => return Err(format!("unescaped {c:?} in {text:?}")),
            '{' | '}' => match chars.next() {
                Some(d) if d == c => out.push(c),
                _ => return Err(format!("a placeholder's {c:?} in {text:?}")),
            },
            c => out.push(c),
        }
    }
    Ok(out)
}

#[test]
fn sarif_messages_hold_content_as_text_never_as_links_or_placeholders() {
    let site = diagnosed_site();
    let (out, _) = check_output(site.path(), &["--format", "sarif"]);
    let log: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    let (json, _) = check_output(site.path(), &["--format", "json"]);
    let diagnostics: Vec<Value> = json
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), diagnostics.len());
    for (result, diagnostic) in results.iter().zip(&diagnostics) {
        let text = result["message"]["text"].as_str().unwrap();
        let decoded = decode_sarif_message(text).unwrap_or_else(|e| panic!("{e}"));
        let mut expected = diagnostic["message"].as_str().unwrap().to_string();
        if let Some(help) = diagnostic["help"].as_str() {
            expected.push_str("\nhelp: ");
            expected.push_str(help);
        }
        assert_eq!(decoded, expected);
        let locations = result["locations"]
            .as_array()
            .into_iter()
            .chain(result["relatedLocations"].as_array())
            .flatten();
        for location in locations {
            if let Some(text) = location["message"]["text"].as_str() {
                decode_sarif_message(text).unwrap_or_else(|e| panic!("{e}"));
            }
        }
    }
    let quoting = |payload: &str| {
        diagnostics
            .iter()
            .any(|d| d["message"].as_str().unwrap().contains(payload))
    };
    assert!(
        quoting(FULL_PAYLOAD),
        "no message quotes the payload: {json}"
    );
    assert!(quoting(SARIF_PAYLOAD), "{json}");
}

#[test]
fn github_commands_are_one_a_line_whatever_the_content() {
    let site = diagnosed_site();
    let (out, _) = check_output(site.path(), &["--format", "github"]);
    let (json, _) = check_output(site.path(), &["--format", "json"]);
    let parsed = commands(&out);
    assert_eq!(parsed.len(), json.lines().count(), "{out}");
    assert!(
        parsed.iter().any(|c| c.message.contains("::error::x %0A")),
        "{out}"
    );
    assert!(
        parsed.iter().any(|c| c
            .properties
            .get("file")
            .is_some_and(|f| f.contains("::error::x %0A"))),
        "{out}"
    );
    assert_printable(&out, "github");
}

#[test]
fn terminal_diagnostics_hold_no_control_character() {
    let site = diagnosed_site();
    for format in ["human", "short"] {
        let (out, _) = check_output(site.path(), &["--format", format]);
        assert_printable(&out, format);
        assert!(out.contains("::error::x %0A \\u{1b}[31m"), "{out}");
    }
}
