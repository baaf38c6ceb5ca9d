//! The command line itself: README's synopsis against `--help`, flags validated before any
//! work, completion scripts.

use std::collections::{BTreeMap, BTreeSet};

use predicates::prelude::*;

use crate::support::{fixture, marketgen, repo};

/// The flags a text names: every `--word`.
fn flags(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|word| word.starts_with("--") && word.len() > 2)
        .map(str::to_string)
        .collect()
}

/// README's synopsis: each command (its words before the first placeholder or option) and
/// the flags its lines name.
fn readme_synopsis() -> BTreeMap<Vec<String>, BTreeSet<String>> {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let block = readme
        .split("## Command line\n\n```text\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("README has a synopsis");
    let mut commands: BTreeMap<Vec<String>, BTreeSet<String>> = BTreeMap::new();
    for line in block.lines() {
        let words: Vec<String> = line
            .split_whitespace()
            .skip(1)
            .take_while(|w| w.chars().all(|c| c.is_ascii_lowercase()))
            .map(str::to_string)
            .collect();
        commands.entry(words).or_default().extend(flags(line));
    }
    commands
}

fn help(words: &[String]) -> String {
    let output = marketgen().args(words).arg("--help").output().unwrap();
    assert!(output.status.success(), "{words:?}");
    String::from_utf8(output.stdout).unwrap()
}

/// The subcommands a `--help` lists under "Commands:".
fn subcommands(help: &str) -> BTreeSet<String> {
    help.split("Commands:\n")
        .nth(1)
        .unwrap_or_default()
        .lines()
        .take_while(|line| line.starts_with("  "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

/// Issue 13: README documented `check --timings`, which `check` rejected. The synopsis now
/// names exactly the commands and flags `--help` has (`--help`, `--version` and the global
/// `--color`, described below the synopsis, aside).
#[test]
fn readme_synopsis_matches_help() {
    let synopsis = readme_synopsis();
    let mut leaves: Vec<Vec<String>> = Vec::new();
    let mut pending = vec![Vec::<String>::new()];
    while let Some(words) = pending.pop() {
        let children = subcommands(&help(&words));
        if children.is_empty() {
            leaves.push(words.clone());
        }
        for child in children {
            let mut next = words.clone();
            next.push(child);
            pending.push(next);
        }
    }
    leaves.sort();
    let documented: Vec<Vec<String>> = synopsis.keys().cloned().collect();
    assert_eq!(documented, leaves, "README's commands against --help's");
    for (words, documented) in &synopsis {
        // The options' own lines, not their descriptions (which mention `--root` too).
        let mut offered: BTreeSet<String> = help(words)
            .split("Options:")
            .nth(1)
            .unwrap_or_default()
            .lines()
            .filter(|line| line.trim_start().starts_with('-'))
            .flat_map(flags)
            .collect();
        for aside in ["--help", "--version", "--color"] {
            offered.remove(aside);
        }
        assert_eq!(documented, &offered, "marketgen {}", words.join(" "));
    }
}

/// Issue 13: `--base-url example.com/market` and `ftp://x` were accepted and wrote broken
/// canonical and sitemap addresses. They are usage errors now, before anything is written.
#[test]
fn base_url_is_validated_like_site_yaml_base_url() {
    let out = tempfile::tempdir().unwrap();
    for bad in [
        "example.com/market",
        "ftp://x.example/",
        "https://user@x.example/",
    ] {
        marketgen()
            .args(["build", "--root"])
            .arg(repo())
            .arg("--output")
            .arg(out.path().join("site"))
            .args(["--base-url", bad])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("--base-url"));
        assert!(!out.path().join("site").exists(), "{bad}");
    }
    marketgen()
        .args(["check", "--root"])
        .arg(fixture("valid"))
        .args(["--base-url", "https://example.com/market/"])
        .assert()
        .success();
}

#[test]
fn check_accepts_timings_and_keeps_its_report_machine_readable() {
    let output = marketgen()
        .args(["check", "--timings", "--format", "json", "--root"])
        .arg(fixture("invalid/unknown-category"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    for line in String::from_utf8(output.stdout).unwrap().lines() {
        serde_json::from_str::<serde_json::Value>(line).unwrap();
    }
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("load ") && stderr.contains(" · validate "),
        "{stderr}"
    );
}

#[test]
fn completions_are_generated_for_each_shell() {
    for (shell, marker) in [
        ("bash", "_marketgen()"),
        ("zsh", "#compdef marketgen"),
        ("fish", "complete -c marketgen"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[marketgen]"),
    ] {
        marketgen()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains(marker).and(predicate::str::contains("preview")));
    }
    marketgen().args(["completions", "tcsh"]).assert().code(2);
}

/// A site with `copies` copies of the valid fixture's first listed connector: a build that
/// takes more than a moment, even on a fast machine.
fn big_site(copies: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    crate::build::copy_tree(&fixture("valid"), dir.path());
    let connectors = dir.path().join("content/connectors");
    let original = connectors.join("acme-orders");
    for i in 0..copies {
        let copy = connectors.join(format!("acme-orders-{i}"));
        crate::build::copy_tree(&original, &copy);
        let record = std::fs::read_to_string(copy.join("connector.yaml")).unwrap();
        let record = record.replacen("name: ", &format!("name: Copy {i} of "), 1);
        std::fs::write(copy.join("connector.yaml"), record).unwrap();
    }
    dir
}

/// Issue 13: a build of 10,000 connectors was silent for half a minute. On a terminal a long
/// build shows a progress bar (on stderr, cleared at the end); when stderr is not a terminal
/// nothing is added to what a build prints.
#[test]
fn long_builds_show_progress_on_a_terminal_only() {
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("\n**** SKIPPED: no `script` (util-linux) to give the build a terminal ****\n");
        return;
    }
    let site = big_site(100);
    let out = tempfile::tempdir().unwrap();
    let binary = assert_cmd::cargo::cargo_bin("marketgen");
    let command = format!(
        "{} build --color never --root {} --output {}",
        binary.display(),
        site.path().display(),
        out.path().join("a").display()
    );
    let on_terminal = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env("SOURCE_DATE_EPOCH", "1780000000")
        // Shown at once: whether this build takes a second depends on the machine.
        .env("MARKETGEN_PROGRESS_AFTER_MS", "0")
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&on_terminal.stdout);
    assert!(on_terminal.status.success(), "{shown}");
    assert!(shown.contains("connectors, "), "no progress: {shown}");
    let piped = marketgen()
        .args(["build", "--root"])
        .arg(site.path())
        .arg("--output")
        .arg(out.path().join("b"))
        .env("MARKETGEN_PROGRESS_AFTER_MS", "0")
        .output()
        .unwrap();
    assert!(piped.status.success());
    assert_eq!(String::from_utf8_lossy(&piped.stderr), "");
    let summary = String::from_utf8(piped.stdout).unwrap();
    assert!(
        summary.starts_with("built ") && summary.lines().count() == 1,
        "{summary}"
    );
}
