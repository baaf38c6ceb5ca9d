//! Compiles the theme's Tera templates once per build, and renders them with errors that name
//! the template and the cause (Tera hides the cause in its error chain).

use anyhow::anyhow;
use tera::{Context, Tera};

use crate::load::Theme;

pub fn compile(theme: &Theme) -> anyhow::Result<Tera> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(escape);
    tera.add_raw_templates(
        theme
            .templates
            .iter()
            .map(|(name, text)| (name.as_str(), text.as_ref())),
    )
    .map_err(|e| anyhow!("the theme's templates do not compile: {}", chain(&e)))?;
    Ok(tera)
}

pub fn render(tera: &Tera, template: &str, context: &Context) -> anyhow::Result<String> {
    tera.render(template, context).map_err(|e| {
        let cause = chain(&e);
        let hint = if cause.contains("not found in context") {
            "; templates see only the public view of a record: private fields such as developer.email never reach them"
        } else {
            ""
        };
        anyhow!("template `{template}` failed: {cause}{hint}")
    })
}

/// Escapes text for HTML element content and quoted attribute values. Unlike Tera's default it
/// leaves `/` alone, so URLs stay readable in the output.
fn escape(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    crate::markdown::escape_into(&mut out, input);
    out
}

/// Tera's error and its causes on one line: the cause is what tells the user what to fix.
fn chain(error: &dyn std::error::Error) -> String {
    let mut parts = vec![error.to_string()];
    let mut source = error.source();
    while let Some(cause) = source {
        parts.push(cause.to_string());
        source = cause.source();
    }
    parts.join(": ")
}
