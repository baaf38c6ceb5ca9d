//! The one printer: every diagnostic of a run, as human text, short lines, JSON lines, GitHub
//! Actions workflow commands or one SARIF log. A diagnostic's paths, messages, labels and help
//! may quote content, so each printer builds what it writes as [`Text`] of its own format
//! (source lines as [`EscapedLines`], JSON through serde_json): no byte of content can act on
//! the terminal, end a workflow command's property or start a command of its own, or be an
//! embedded link or a placeholder in a SARIF message.

use std::io::{self, Write};
use std::ops::Range;
use std::path::Path;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use serde_json::json;

use super::escape::{
    EscapedLines, Sarif, Terminal, Text, WorkflowData, WorkflowProperty, json_escaped,
    workflow_command,
};
use super::{Diagnostic, Diagnostics, Label, LineIndex, Severity, Sources};
use crate::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `--> file:line:col`, the offending line and a caret.
    Human,
    /// `file:line:col: error[code]: message`, one line each.
    Short,
    /// One JSON object per line.
    Json,
    /// GitHub Actions workflow commands (`::error file=…,line=…::message`), so that errors
    /// annotate the pull request's lines.
    Github,
    /// One SARIF 2.1.0 log, for code scanning.
    Sarif,
}

/// At most this many diagnostics of one file are printed as text, errors first: a page that
/// yields fifty thousand warnings must not bury its errors or flood the terminal. JSON lists
/// every diagnostic, for tools.
pub const SHOWN_PER_FILE: usize = 50;

/// Label lines at most this far apart share one snippet, as `...` between them.
const SHARED_SNIPPET_GAP: usize = 32;

/// Prints `diagnostics` followed, in human format, by a one-line count of all of them.
pub fn emit(
    out: &mut dyn Write,
    sources: &Sources,
    diagnostics: &Diagnostics,
    format: Format,
    color: bool,
) -> io::Result<()> {
    emit_under(out, sources, diagnostics, format, color, Path::new(""))
}

/// Like [`emit`], with the files of the `github` and `sarif` formats named under `base`: those
/// formats are read against the repository's root, which may hold the site in a subfolder.
pub fn emit_under(
    out: &mut dyn Write,
    sources: &Sources,
    diagnostics: &Diagnostics,
    format: Format,
    color: bool,
    base: &Path,
) -> io::Result<()> {
    match format {
        Format::Json => {
            for diagnostic in diagnostics.iter() {
                writeln!(out, "{}", as_json(sources, diagnostic))?;
            }
            return Ok(());
        }
        Format::Sarif => return writeln!(out, "{}", sarif(sources, diagnostics, base)),
        Format::Human | Format::Short | Format::Github => {}
    }
    each(out, sources, diagnostics, format, color, base)?;
    if format == Format::Human && !diagnostics.is_empty() {
        writeln!(out, "{}", summary(diagnostics))?;
    }
    Ok(())
}

/// Like [`emit`] in human format, without the count it ends with: for `serve`, which says
/// what changed since its last build instead.
pub fn emit_each(
    out: &mut dyn Write,
    sources: &Sources,
    diagnostics: &Diagnostics,
    color: bool,
) -> io::Result<()> {
    each(
        out,
        sources,
        diagnostics,
        Format::Human,
        color,
        Path::new(""),
    )
}

/// Each diagnostic in a text format, at most [`SHOWN_PER_FILE`] of each file.
fn each(
    out: &mut dyn Write,
    sources: &Sources,
    diagnostics: &Diagnostics,
    format: Format,
    color: bool,
    base: &Path,
) -> io::Result<()> {
    for same_file in diagnostics.0.chunk_by(|a, b| file_of(a) == file_of(b)) {
        let shown = shown(same_file);
        for diagnostic in same_file.iter().zip(&shown).filter(|(_, s)| **s) {
            match format {
                Format::Human => writeln!(out, "{}\n", human(sources, diagnostic.0, color))?,
                Format::Github => writeln!(out, "{}", github(sources, diagnostic.0, base))?,
                _ => writeln!(out, "{}", short(sources, diagnostic.0).as_str())?,
            }
        }
        let hidden: Vec<&Diagnostic> = same_file
            .iter()
            .zip(&shown)
            .filter(|(_, s)| !**s)
            .map(|(d, _)| d)
            .collect();
        if !hidden.is_empty() {
            writeln!(
                out,
                "{}",
                not_shown(file_of(&same_file[0]), &hidden, format, base)
            )?;
        }
    }
    Ok(())
}

fn file_of(diagnostic: &Diagnostic) -> Option<&Path> {
    primary(diagnostic).map(|l| l.file.as_path())
}

/// Which of one file's diagnostics are printed: every error up to the cap, then warnings.
fn shown(same_file: &[Diagnostic]) -> Vec<bool> {
    let errors = same_file.iter().filter(|d| d.is_error()).count();
    let mut warnings_left = SHOWN_PER_FILE.saturating_sub(errors);
    let mut errors_left = SHOWN_PER_FILE;
    same_file
        .iter()
        .map(|d| {
            let left = if d.is_error() {
                &mut errors_left
            } else {
                &mut warnings_left
            };
            let show = *left > 0;
            *left = left.saturating_sub(1);
            show
        })
        .collect()
}

fn not_shown(file: Option<&Path>, hidden: &[&Diagnostic], format: Format, base: &Path) -> String {
    let errors = hidden.iter().filter(|d| d.is_error()).count();
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let diagnostics = match hidden.len() {
        1 => "diagnostic",
        _ => "diagnostics",
    };
    if format == Format::Github {
        let what: Text<WorkflowData> = text![
            hidden.len(),
            " more ",
            diagnostics,
            " not shown: see them all with `marketgen check --format json`",
        ];
        let properties = match file {
            Some(file) => vec![("file", Text::content(&under(base, file)))],
            None => Vec::new(),
        };
        return workflow_command("notice", &properties, &what);
    }
    let file = file.map(|f| Text::<Terminal>::content(&f.display().to_string()));
    let what: Text<Terminal> = text![
        hidden.len(),
        " more ",
        diagnostics,
        if file.is_some() { " in this file" } else { "" },
        " not shown (",
        errors,
        " error",
        plural(errors),
        ", ",
        hidden.len() - errors,
        " warning",
        plural(hidden.len() - errors),
        "): fix the ones above first, or see them all with `--format json`",
    ];
    let line: Text<Terminal> = match (format, file) {
        (Format::Human, Some(file)) => text!["note: ", what, "\n --> ", file, "\n"],
        (Format::Human, None) => text!["note: ", what, "\n"],
        (_, Some(file)) => text![file, ": note: ", what],
        (_, None) => text!["note: ", what],
    };
    line.into_string()
}

fn summary(diagnostics: &Diagnostics) -> String {
    let count = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        count(diagnostics.error_count(), "error"),
        count(diagnostics.warning_count(), "warning")
    )
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    }
}

fn human(sources: &Sources, diagnostic: &Diagnostic, color: bool) -> String {
    let title = level(diagnostic.severity)
        .primary_title(Text::<Terminal>::content(&diagnostic.message).into_string())
        .id(diagnostic.code);
    let places: Vec<(String, Option<Vec<Window>>)> = files_of(diagnostic)
        .into_iter()
        .map(|file| {
            let labels: Vec<&Label> = diagnostic
                .labels
                .iter()
                .filter(|l| l.file == file)
                .collect();
            let path = Text::<Terminal>::content(&file.display().to_string()).into_string();
            let windows = sources
                .indexed(file)
                .map(|(text, index)| windows(text, index, &labels));
            (path, windows)
        })
        .collect();
    let mut group = Group::with_title(title);
    for (path, windows) in &places {
        group = match windows {
            Some(windows) => windows
                .iter()
                .fold(group, |group, window| group.element(window.snippet(path))),
            None => group.element(Origin::path(path.as_str())),
        };
    }
    let mut report = vec![group];
    if let Some(help) = &diagnostic.help {
        report.push(Group::with_title(
            Level::HELP.secondary_title(Text::<Terminal>::lines(help).into_string()),
        ));
    }
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    renderer.render(&report)
}

/// The lines around some labels of one file: only these reach the snippet printer, so a
/// diagnostic costs the size of its lines, not of its file.
struct Window<'l> {
    /// The 0-based number of the first line.
    first_line: usize,
    lines: EscapedLines,
    /// Each label with its range in `lines`.
    labels: Vec<(&'l Label, Range<usize>)>,
}

impl Window<'_> {
    fn snippet<'a>(&'a self, path: &str) -> Snippet<'a, annotate_snippets::Annotation<'a>> {
        Snippet::source(self.lines.text.as_str())
            .line_start(self.first_line + 1)
            .path(path.to_string())
            .fold(true)
            .annotations(self.labels.iter().map(|(label, range)| {
                let kind = if label.primary {
                    AnnotationKind::Primary
                } else {
                    AnnotationKind::Context
                };
                kind.span(range.clone())
                    .label(Text::<Terminal>::content(&label.message).into_string())
            }))
    }
}

/// Labels of one file whose lines are close enough to share a snippet.
struct Near<'l> {
    first_line: usize,
    last_line: usize,
    /// Each label with its byte range in the file.
    labels: Vec<(&'l Label, Range<usize>)>,
}

fn windows<'l>(text: &str, index: &LineIndex, labels: &[&'l Label]) -> Vec<Window<'l>> {
    let mut spans: Vec<Near<'l>> = labels
        .iter()
        .map(|label| {
            let start = floor_char_boundary(text, label.range.start);
            let end = floor_char_boundary(text, label.range.end.max(start));
            Near {
                first_line: index.line_of(start),
                last_line: index.line_of(end),
                labels: vec![(*label, start..end)],
            }
        })
        .collect();
    spans.sort_by_key(|s| (s.first_line, s.last_line));
    let mut merged: Vec<Near<'l>> = Vec::new();
    for span in spans {
        match merged.last_mut() {
            Some(near) if span.first_line <= near.last_line + SHARED_SNIPPET_GAP => {
                near.last_line = near.last_line.max(span.last_line);
                near.labels.extend(span.labels);
            }
            _ => merged.push(span),
        }
    }
    merged
        .into_iter()
        .map(|near| window(text, index, near))
        .collect()
}

fn window<'l>(text: &str, index: &LineIndex, near: Near<'l>) -> Window<'l> {
    let from = index.line_start(near.first_line + 1).unwrap_or(0);
    let to = index.line_start(near.last_line + 2).unwrap_or(text.len());
    let lines = EscapedLines::new(&text[from..to]);
    let labels = near
        .labels
        .into_iter()
        .map(|(label, r)| (label, lines.map(r.start - from)..lines.map(r.end - from)))
        .collect();
    Window {
        first_line: near.first_line,
        lines,
        labels,
    }
}

/// The files a diagnostic points into, primary first, each once.
fn files_of(diagnostic: &Diagnostic) -> Vec<&std::path::Path> {
    let mut labels: Vec<&Label> = diagnostic.labels.iter().collect();
    labels.sort_by_key(|l| !l.primary);
    let mut files: Vec<&std::path::Path> = Vec::new();
    for label in labels {
        if !files.contains(&label.file.as_path()) {
            files.push(&label.file);
        }
    }
    files
}

fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn short(sources: &Sources, diagnostic: &Diagnostic) -> Text<Terminal> {
    let mut line = Text::default();
    if let Some(label) = primary(diagnostic) {
        line.push(Text::content(&label.file.display().to_string()));
        if let Some(p) = sources.position(label) {
            line.push(text![":", p.line, ":", p.column]);
        }
        line.push(": ");
    }
    line.push(text![
        severity_name(diagnostic.severity),
        "[",
        diagnostic.code,
        "]: ",
        Text::content(&diagnostic.message),
    ]);
    line
}

/// A file as the repository names it.
fn under(base: &Path, file: &Path) -> String {
    base.join(file).display().to_string()
}

/// One workflow command: `::error file=F,line=L,endLine=L,col=C,endColumn=C,title=T::M`, the
/// help on the message's second line. Values are made printable first, then escaped by the
/// grammar, so a line break in a value is `\u{a}`, and the one between message and help `%0A`.
fn github(sources: &Sources, diagnostic: &Diagnostic, base: &Path) -> String {
    let mut properties: Vec<(&'static str, Text<WorkflowProperty>)> = Vec::new();
    if let Some(label) = primary(diagnostic) {
        properties.push(("file", Text::content(&under(base, &label.file))));
        let start = sources.position_of(&label.file, label.range.start);
        let end = sources.position_of(&label.file, label.range.end);
        if let (Some(start), Some(end)) = (start, end) {
            properties.push(("line", start.line.into()));
            properties.push(("endLine", end.line.into()));
            properties.push(("col", start.column.into()));
            properties.push(("endColumn", end.column.into()));
        }
    }
    properties.push(("title", diagnostic.code.into()));
    let mut message: Text<WorkflowData> = Text::content(&diagnostic.message);
    if let Some(help) = &diagnostic.help {
        message.push(text!["\nhelp: ", Text::lines(help)]);
    }
    workflow_command(severity_name(diagnostic.severity), &properties, &message)
}

/// A SARIF message object: `text` escaped by the plain-text message grammar.
fn sarif_text(text: Text<Sarif>) -> serde_json::Value {
    json!({ "text": text.as_str() })
}

/// One SARIF 2.1.0 log with one run: a rule per diagnostic code, a result per diagnostic,
/// its primary label as the location and the others as related locations. Columns count
/// characters, as every other format's do, and the run says so (`unicodeCodePoints`).
fn sarif(sources: &Sources, diagnostics: &Diagnostics, base: &Path) -> String {
    let mut codes: Vec<&str> = diagnostics.iter().map(|d| d.code).collect();
    codes.sort_unstable();
    codes.dedup();
    let rules: Vec<_> = codes.iter().map(|code| json!({ "id": code })).collect();
    let location = |label: &Label| {
        let mut physical = json!({
            "artifactLocation": { "uri": uri(&base.join(&label.file)) },
        });
        let start = sources.position_of(&label.file, label.range.start);
        let end = sources.position_of(&label.file, label.range.end);
        if let (Some(start), Some(end)) = (start, end) {
            physical["region"] = json!({
                "startLine": start.line,
                "startColumn": start.column,
                "endLine": end.line,
                "endColumn": end.column,
            });
        }
        let mut location = json!({ "physicalLocation": physical });
        if !label.message.is_empty() {
            location["message"] = sarif_text(Text::content(&label.message));
        }
        location
    };
    let results: Vec<_> = diagnostics
        .iter()
        .map(|diagnostic| {
            let mut text: Text<Sarif> = Text::content(&diagnostic.message);
            if let Some(help) = &diagnostic.help {
                text.push(text!["\nhelp: ", Text::content(help)]);
            }
            let level = match diagnostic.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let mut result = json!({
                "ruleId": diagnostic.code,
                "ruleIndex": codes.binary_search(&diagnostic.code).unwrap_or_default(),
                "level": level,
                "message": sarif_text(text),
            });
            let main = primary(diagnostic);
            if let Some(label) = main {
                result["locations"] = json!([location(label)]);
            }
            let related: Vec<_> = diagnostic
                .labels
                .iter()
                .filter(|l| main.is_none_or(|m| !std::ptr::eq(*l, m)))
                .enumerate()
                .map(|(id, label)| {
                    let mut related = location(label);
                    related["id"] = json!(id);
                    related
                })
                .collect();
            if !related.is_empty() {
                result["relatedLocations"] = json!(related);
            }
            result
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "marketgen",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    json_escaped(log.to_string())
}

/// A relative path as a URI reference: `/` between its parts, and every byte other than
/// unreserved characters percent-encoded, so a space or `#` in a file name stays in the path.
fn uri(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .map(|c| {
            let part = c.as_os_str().to_string_lossy();
            part.bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect()
        })
        .collect();
    parts.join("/")
}

fn primary(diagnostic: &Diagnostic) -> Option<&Label> {
    diagnostic
        .labels
        .iter()
        .find(|l| l.primary)
        .or(diagnostic.labels.first())
}

/// serde_json escapes the C0 controls; the rest a terminal acts on are escaped as `\uXXXX`
/// too, which JSON readers decode to the same text.
fn as_json(sources: &Sources, diagnostic: &Diagnostic) -> String {
    let labels: Vec<_> = diagnostic
        .labels
        .iter()
        .map(|label| {
            let start = sources.position_of(&label.file, label.range.start);
            let end = sources.position_of(&label.file, label.range.end);
            json!({
                "file": label.file,
                "line": start.map(|p| p.line),
                "column": start.map(|p| p.column),
                "end_line": end.map(|p| p.line),
                "end_column": end.map(|p| p.column),
                "message": label.message,
                "primary": label.primary,
            })
        })
        .collect();
    let first = labels
        .iter()
        .find(|l| l["primary"] == true)
        .or(labels.first());
    let json = json!({
        "severity": diagnostic.severity,
        "code": diagnostic.code,
        "message": diagnostic.message,
        "file": first.map(|l| l["file"].clone()),
        "line": first.map(|l| l["line"].clone()),
        "column": first.map(|l| l["column"].clone()),
        "labels": labels,
        "help": diagnostic.help,
    })
    .to_string();
    json_escaped(json)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn sample() -> (Sources, Diagnostics) {
        let mut sources = Sources::default();
        let text = "name: Acme\nstatus: aproved\n";
        sources.insert("c/connector.yaml".into(), text.into());
        let start = text.find("aproved").unwrap();
        let diagnostic = Diagnostic::error("invalid-status", "unknown status `aproved`")
            .at(
                Path::new("c/connector.yaml"),
                start..start + 7,
                "not a status",
            )
            .with_help("did you mean `approved`?");
        (sources, [diagnostic].into_iter().collect())
    }

    fn render(format: Format) -> String {
        let (sources, diagnostics) = sample();
        let mut out = Vec::new();
        emit(&mut out, &sources, &diagnostics, format, false).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn human_names_file_line_column_and_shows_the_line_with_a_caret() {
        let out = render(Format::Human);
        assert!(
            out.contains("error[invalid-status]: unknown status `aproved`"),
            "{out}"
        );
        assert!(out.contains("--> c/connector.yaml:2:9"), "{out}");
        assert!(out.contains("2 | status: aproved"), "{out}");
        assert!(out.contains("^^^^^^^ not a status"), "{out}");
        assert!(out.contains("help: did you mean `approved`?"), "{out}");
        assert!(out.ends_with("1 error, 0 warnings\n"), "{out}");
    }

    #[test]
    fn labels_far_apart_in_one_file_get_snippets_of_their_own_lines() {
        let text: String = (1..=1000).map(|n| format!("line {n}\n")).collect();
        let mut sources = Sources::default();
        sources.insert("big.md".into(), text.as_str().into());
        let at = |n: usize| text.find(&format!("line {n}\n")).unwrap();
        let diagnostic = Diagnostic::error("duplicate-key", "`line` is given twice")
            .at(Path::new("big.md"), at(900)..at(900) + 8, "second")
            .with_context(Path::new("big.md"), at(3)..at(3) + 6, "first");
        let out = human(&sources, &diagnostic, false);
        assert!(
            out.contains("900 | line 900\n    | ^^^^^^^^ second"),
            "{out}"
        );
        assert!(out.contains("3 | line 3\n    | ------ first"), "{out}");
        assert!(!out.contains("line 500"), "{out}");
    }

    #[test]
    fn at_most_fifty_of_a_files_diagnostics_are_printed_errors_first() {
        let mut sources = Sources::default();
        let text = "x\n".repeat(200);
        sources.insert("a.md".into(), text.as_str().into());
        let warnings = (0..120).map(|n| {
            Diagnostic::warning("mdx", "dropped").at(Path::new("a.md"), 2 * n..2 * n + 1, "here")
        });
        let error = Diagnostic::error("broken-link", "no such page").at(
            Path::new("a.md"),
            390..391,
            "here",
        );
        let diagnostics: Diagnostics = warnings.chain([error]).collect();
        let mut out = Vec::new();
        emit(&mut out, &sources, &diagnostics, Format::Short, false).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert_eq!(
            out.lines().filter(|l| l.contains("warning[mdx]")).count(),
            49
        );
        assert!(out.contains("a.md:196:1: error[broken-link]"), "{out}");
        assert!(out.ends_with("a.md: note: 71 more diagnostics in this file not shown (0 errors, 71 warnings): fix the ones above first, or see them all with `--format json`\n"), "{out}");
    }

    #[test]
    fn short_is_one_line() {
        assert_eq!(
            render(Format::Short),
            "c/connector.yaml:2:9: error[invalid-status]: unknown status `aproved`\n"
        );
    }

    #[test]
    fn json_is_one_object_per_line_with_positions() {
        let out = render(Format::Json);
        let value: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(value["file"], "c/connector.yaml");
        assert_eq!(value["line"], 2);
        assert_eq!(value["column"], 9);
        assert_eq!(value["labels"][0]["end_column"], 16);
        assert_eq!(value["severity"], "error");
    }
}
