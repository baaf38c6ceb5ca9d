//! The Markdown stages as validate and render call them (`markdown::analyse`, then the HTML
//! writer), in both `markdown.raw_html` modes, on every example of pulldown-cmark's test
//! suites (the CommonMark spec, tables, footnotes, heading attributes…) and on every prefix of
//! those that hold a `<`: an HTML construct cut short is what a typo makes. Then a mutational
//! fuzz test on the stable toolchain, seeded from the same examples and the fixtures' Markdown,
//! for `MARKETGEN_FUZZ_SECONDS` (a few seconds by default; `.ci/run` gives it a minute).
//!
//! The examples are read from the crate's source that cargo downloaded, found through
//! `cargo metadata`, never copied here: they follow the version in Cargo.lock.

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use marketgen::model::RawHtml;
use proptest::prelude::RngExt;
use proptest::test_runner::{RngAlgorithm, TestRng};

use crate::props::{assert_inert, render};
use crate::support::repo;

/// Every example of pulldown-cmark's suites (`let original = r##"…"##;`), or `None`, with a
/// loud notice (a failure under `CI=true`), when cargo cannot say where the crate's source is.
fn suite_examples() -> Option<Vec<String>> {
    let found = suite_folder().and_then(|dir| {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .ok()?
            .filter_map(|entry| Some(entry.ok()?.path()))
            .filter(|path| path.extension().is_some_and(|e| e == "rs"))
            .collect();
        files.sort();
        let mut examples = Vec::new();
        for file in files {
            let text = std::fs::read_to_string(&file).ok()?;
            examples.extend(originals(&text));
        }
        // The spec alone has 652; fewer means the format changed and this reads nothing.
        (examples.len() > 600).then_some(examples)
    });
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but pulldown-cmark's test suite was not found through `cargo metadata` \
             (its package's tests/suite/*.rs, with `let original = r##\"…\"##;` examples)"
        );
        eprintln!(
            "\n**** SKIPPED: the CommonMark spec examples, because pulldown-cmark's source was \
             not found through `cargo metadata` (CI=true makes this a failure). ****\n"
        );
    }
    found
}

/// pulldown-cmark's `tests/suite` folder, beside the manifest cargo resolved for this build.
/// Offline and for this machine's platform only: every such package is already downloaded,
/// since this test was built from them.
fn suite_folder() -> Option<PathBuf> {
    let rustc = std::process::Command::new("rustc")
        .arg("-vV")
        .output()
        .ok()?;
    let host = String::from_utf8_lossy(&rustc.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: ").map(str::to_string))?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = std::process::Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--offline"])
        .args(["--filter-platform", &host, "--manifest-path"])
        .arg(repo().join("Cargo.toml"))
        .output()
        .ok()?;
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).ok()?;
    let manifest = metadata["packages"]
        .as_array()?
        .iter()
        .find(|package| package["name"] == "pulldown-cmark")?["manifest_path"]
        .as_str()?;
    let dir = Path::new(manifest).parent()?.join("tests/suite");
    dir.is_dir().then_some(dir)
}

fn originals(source: &str) -> Vec<String> {
    const OPEN: &str = "let original = r##\"";
    source
        .split(OPEN)
        .skip(1)
        .filter_map(|rest| {
            rest.split_once("\"##;")
                .map(|(example, _)| example.to_string())
        })
        .collect()
}

/// Runs both modes on `body`; the panic's message, if one did.
fn stages(body: &str) -> Result<(), String> {
    panic::catch_unwind(AssertUnwindSafe(|| {
        for mode in [RawHtml::Escape, RawHtml::Sanitize] {
            assert_inert(&render(body, mode));
        }
    }))
    .map_err(|payload| {
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default()
    })
}

/// Runs `f` with this thread's panics kept quiet (they are collected and reported together);
/// other tests' panics still print.
fn quietly<T>(f: impl FnOnce() -> T) -> T {
    let previous = Arc::new(panic::take_hook());
    let this = std::thread::current().id();
    let others = Arc::clone(&previous);
    panic::set_hook(Box::new(move |info| {
        if std::thread::current().id() != this {
            others(info);
        }
    }));
    let result = f();
    let _ = panic::take_hook();
    panic::set_hook(Box::new(move |info| previous(info)));
    result
}

/// Every prefix of `text` ending on a character boundary, the whole included.
fn prefixes(text: &str) -> impl Iterator<Item = &str> {
    (1..=text.len())
        .filter(|&end| text.is_char_boundary(end))
        .map(|end| &text[..end])
}

#[test]
fn spec_examples_and_their_prefixes_never_panic() {
    let Some(examples) = suite_examples() else {
        return;
    };
    let failures: Vec<(String, String)> = quietly(|| {
        let mut failures = Vec::new();
        for example in &examples {
            let inputs: Vec<&str> = match example.contains('<') {
                true => prefixes(example).collect(),
                false => vec![example.as_str()],
            };
            for input in inputs {
                if let Err(message) = stages(input) {
                    failures.push((input.to_string(), message));
                }
            }
        }
        failures
    });
    let shown: Vec<String> = failures
        .iter()
        .take(20)
        .map(|(input, message)| format!("{input:?}: {message}"))
        .collect();
    assert!(
        failures.is_empty(),
        "{} inputs made the Markdown stages panic, among them:\n{}",
        failures.len(),
        shown.join("\n")
    );
}

/// Pieces that mean something to Markdown or HTML, which mutations insert.
const TOKENS: &[&str] = &[
    "<",
    ">",
    "</",
    "/>",
    "<div",
    "<div class",
    "<table",
    "<details>",
    "</details>",
    "<summary>",
    "<a href=\"#x\">",
    "</a>",
    "<img src=x>",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "<?",
    "?>",
    "<!X",
    "=",
    "\"",
    "'",
    "{",
    "}",
    "{...p}",
    "<Tabs>",
    "<TabItem value=\"a\">",
    "</TabItem>",
    "id=\"main\"",
    "\n",
    "\n\n",
    "    ",
    "\t",
    "# ",
    "## ",
    " {#main}",
    "> ",
    "- ",
    "1. ",
    "- [ ] ",
    "```",
    "~~~",
    "`",
    "*",
    "**",
    "_",
    "~~",
    "[",
    "]",
    "(",
    ")",
    "![",
    "[^1]",
    "[^1]: ",
    "[r]: /x\n",
    "|",
    "|-|\n",
    ":::note\n",
    ":::\n",
    "import X from 'y'\n",
    "&",
    "&amp;",
    "&#",
    "\\",
    "é",
    "\u{202e}",
    "\r",
    "\0",
    "$",
    "$$",
];

/// A random change to `text`: insert a token, delete or repeat a stretch, cut it short, or
/// join another seed's part.
fn mutate(rng: &mut TestRng, text: &mut String, seeds: &[String]) {
    let at = |rng: &mut TestRng, text: &str| {
        let mut i = rng.random_range(0..=text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = at(rng, text);
    match rng.random_range(0..6u8) {
        0 | 1 => text.insert_str(start, TOKENS[rng.random_range(0..TOKENS.len())]),
        2 => {
            let end = at(rng, text).max(start);
            text.replace_range(start..end, "");
        }
        3 => {
            let end = at(rng, text).max(start);
            let stretch = text[start..end].to_string();
            text.insert_str(end, &stretch);
        }
        4 => text.truncate(start),
        _ => {
            let other = &seeds[rng.random_range(0..seeds.len())];
            let mut cut = rng.random_range(0..=other.len());
            while !other.is_char_boundary(cut) {
                cut -= 1;
            }
            text.insert_str(start, &other[cut..]);
        }
    }
}

/// Most mutated inputs stay small: big ones are slow to run and no likelier to find a bug.
const MAX_INPUT: usize = 4096;

fn fuzz_seconds() -> u64 {
    std::env::var("MARKETGEN_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3)
}

fn fixture_markdown(dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            fixture_markdown(&path, out);
        } else if path.extension().is_some_and(|e| e == "md")
            && let Ok(text) = std::fs::read_to_string(&path)
        {
            out.push(text);
        }
    }
}

#[test]
fn mutated_markdown_never_panics() {
    let mut seeds = suite_examples().unwrap_or_default();
    for dir in ["tests/fixtures", "fuzz/corpus/markdown"] {
        fixture_markdown(&repo().join(dir), &mut seeds);
    }
    assert!(seeds.len() > 50, "only {} seeds", seeds.len());
    let seed: u64 = match std::env::var("MARKETGEN_FUZZ_SEED") {
        Ok(seed) => seed.parse().expect("MARKETGEN_FUZZ_SEED is a number"),
        Err(_) => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64),
    };
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    let mut rng = TestRng::from_seed(RngAlgorithm::ChaCha, &key);
    let deadline = Instant::now() + Duration::from_secs(fuzz_seconds());
    let mut runs = 0usize;
    let failure = quietly(|| {
        while Instant::now() < deadline {
            let mut input = seeds[rng.random_range(0..seeds.len())].clone();
            for _ in 0..rng.random_range(1..6) {
                mutate(&mut rng, &mut input, &seeds);
            }
            if input.len() > MAX_INPUT {
                let mut end = MAX_INPUT;
                while !input.is_char_boundary(end) {
                    end -= 1;
                }
                input.truncate(end);
            }
            runs += 1;
            if let Err(message) = stages(&input) {
                return Some((input, message));
            }
        }
        None
    });
    eprintln!("fuzzed the Markdown stages with {runs} inputs (MARKETGEN_FUZZ_SEED={seed})");
    if let Some((input, message)) = failure {
        panic!(
            "the Markdown stages failed on {input:?}: {message}\n\
             (reproduce with MARKETGEN_FUZZ_SEED={seed})"
        );
    }
}

#[test]
fn check_and_build_report_a_tag_left_open_at_its_file_and_line() {
    // Issue 21: `<div class` then a blank line made every command panic, naming no file.
    let site = tempfile::tempdir().unwrap();
    crate::build::copy_tree(&crate::support::fixture("valid"), site.path());
    let page = site
        .path()
        .join("content/connectors/acme-orders/docs/setup.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, format!("{text}\n<div class\n\n<table\nword\n")).unwrap();
    let line = text.lines().count() + 2;
    let (report, code) = crate::support::check_output(site.path(), &[]);
    assert_eq!(code, 0, "{report}");
    let at = format!("content/connectors/acme-orders/docs/setup.md:{line}:1");
    assert!(
        report.contains("this HTML tag is never closed") && report.contains(&at),
        "{at} in\n{report}"
    );
    crate::support::build(site.path(), &[]);
}
