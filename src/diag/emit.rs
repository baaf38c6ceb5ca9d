//! The one printer: every diagnostic of a run, as human text, short lines or JSON lines.

use std::io::{self, Write};

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use serde_json::json;

use super::{Diagnostic, Diagnostics, Label, LineIndex, Severity, Sources};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `--> file:line:col`, the offending line and a caret.
    Human,
    /// `file:line:col: error[code]: message`, one line each.
    Short,
    /// One JSON object per line.
    Json,
}

/// Prints `diagnostics` followed, in human format, by a one-line count.
pub fn emit(
    out: &mut dyn Write,
    sources: &Sources,
    diagnostics: &Diagnostics,
    format: Format,
    color: bool,
) -> io::Result<()> {
    for diagnostic in diagnostics.iter() {
        match format {
            Format::Human => writeln!(out, "{}\n", human(sources, diagnostic, color))?,
            Format::Short => writeln!(out, "{}", short(sources, diagnostic))?,
            Format::Json => writeln!(out, "{}", as_json(sources, diagnostic))?,
        }
    }
    if format == Format::Human && !diagnostics.is_empty() {
        writeln!(out, "{}", summary(diagnostics))?;
    }
    Ok(())
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
        .primary_title(diagnostic.message.as_str())
        .id(diagnostic.code);
    let mut group = Group::with_title(title);
    for file in files_of(diagnostic) {
        let labels = diagnostic.labels.iter().filter(|l| l.file == file);
        let path = file.display().to_string();
        group = match sources.get(file) {
            Some(text) => group.element(
                Snippet::source(text)
                    .path(path)
                    .fold(true)
                    .annotations(labels.map(|label| annotation(text, label))),
            ),
            None => group.element(Origin::path(path)),
        };
    }
    let mut report = vec![group];
    if let Some(help) = &diagnostic.help {
        report.push(Group::with_title(
            Level::HELP.secondary_title(help.as_str()),
        ));
    }
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    renderer.render(&report)
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

fn annotation<'a>(text: &str, label: &'a Label) -> annotate_snippets::Annotation<'a> {
    let kind = if label.primary {
        AnnotationKind::Primary
    } else {
        AnnotationKind::Context
    };
    let start = floor_char_boundary(text, label.range.start);
    let end = floor_char_boundary(text, label.range.end.max(start));
    kind.span(start..end).label(label.message.as_str())
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

fn short(sources: &Sources, diagnostic: &Diagnostic) -> String {
    let place = primary(diagnostic).map(|label| match sources.position(label) {
        Some(p) => format!("{}:{}:{}: ", label.file.display(), p.line, p.column),
        None => format!("{}: ", label.file.display()),
    });
    format!(
        "{}{}[{}]: {}",
        place.unwrap_or_default(),
        severity_name(diagnostic.severity),
        diagnostic.code,
        diagnostic.message
    )
}

fn primary(diagnostic: &Diagnostic) -> Option<&Label> {
    diagnostic
        .labels
        .iter()
        .find(|l| l.primary)
        .or(diagnostic.labels.first())
}

fn as_json(sources: &Sources, diagnostic: &Diagnostic) -> String {
    let labels: Vec<_> = diagnostic
        .labels
        .iter()
        .map(|label| {
            let (start, end) = match sources.get(&label.file) {
                Some(text) => {
                    let index = LineIndex::new(text);
                    (
                        Some(index.position(text, label.range.start)),
                        Some(index.position(text, label.range.end)),
                    )
                }
                None => (None, None),
            };
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
    json!({
        "severity": diagnostic.severity,
        "code": diagnostic.code,
        "message": diagnostic.message,
        "file": first.map(|l| l["file"].clone()),
        "line": first.map(|l| l["line"].clone()),
        "column": first.map(|l| l["column"].clone()),
        "labels": labels,
        "help": diagnostic.help,
    })
    .to_string()
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
