//! Issue 14, point 5: the pipelines in docs/ci.md are valid YAML of their systems' shapes, and
//! every `marketgen` command in docs/ci.md and docs/deploy.md exists, with the flags and
//! values it is given.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::support::{marketgen, repo};

/// The fenced code blocks of a Markdown file, with their info strings.
fn code_blocks(file: &str) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(repo().join(file)).unwrap();
    let mut blocks = Vec::new();
    let mut open: Option<(String, String)> = None;
    for line in text.lines() {
        match (&mut open, line.strip_prefix("```")) {
            (None, Some(info)) => open = Some((info.trim().to_string(), String::new())),
            (Some(_), Some("")) => blocks.extend(open.take()),
            (Some((_, body)), _) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) => {}
        }
    }
    assert!(open.is_none(), "{file} has an unclosed code block");
    blocks
}

fn yaml(text: &str) -> Value {
    serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// Every `marketgen` command in `script`: the words after `marketgen`, up to the end of the
/// shell command, where `marketgen` starts a shell command. A line ending in `\` goes on.
fn commands(script: &str) -> Vec<Vec<String>> {
    script
        .replace("\\\n", " ")
        .lines()
        .flat_map(|line| {
            let words: Vec<String> = line
                .split_whitespace()
                .map(|w| w.trim_matches(|c| c == '"' || c == '\'').to_string())
                .collect();
            let ends = |w: &str| ["|", "||", "&&", ";", ">", ">>"].contains(&w) || w.ends_with(';');
            let starts = |i: usize| {
                i == 0 || ends(&words[i - 1]) || words[i - 1] == "then" || words[i - 1] == "="
            };
            (0..words.len())
                .filter(|&i| words[i] == "marketgen" && starts(i))
                .map(|i| {
                    words[i + 1..]
                        .iter()
                        .take_while(|w| !ends(w))
                        .cloned()
                        .collect()
                })
                .collect::<Vec<Vec<String>>>()
        })
        .collect()
}

/// Checks that `marketgen SUBCOMMAND` exists and takes each `--flag` and `--format VALUE`, by
/// its short help, which lists each option's possible values on one line.
fn assert_exists(command: &[String], cache: &mut BTreeMap<String, String>) {
    let sub = &command[0];
    let help = cache.entry(sub.clone()).or_insert_with(|| {
        let output = marketgen().args([sub.as_str(), "-h"]).output().unwrap();
        assert!(output.status.success(), "`marketgen {sub}` does not exist");
        String::from_utf8(output.stdout).unwrap()
    });
    for (i, word) in command.iter().enumerate().skip(1) {
        let Some(flag) = word.strip_prefix("--") else {
            continue;
        };
        let name = flag.split('=').next().unwrap();
        assert!(
            help.contains(&format!("--{name}")),
            "`marketgen {sub}` has no --{name}: {command:?}"
        );
        if name == "format" {
            let value = command[i + 1].as_str();
            let values = help
                .split("--format")
                .nth(1)
                .and_then(|h| h.split("[possible values: ").nth(1))
                .and_then(|h| h.split(']').next())
                .unwrap();
            assert!(
                values.split(", ").any(|v| v == value),
                "`marketgen {sub} --format` takes no {value}: {values}"
            );
        }
    }
}

#[test]
fn the_ci_pipelines_are_valid_yaml_of_their_systems() {
    let blocks: Vec<Value> = code_blocks("docs/ci.md")
        .iter()
        .filter(|(info, _)| info == "yaml")
        .map(|(_, body)| yaml(body))
        .collect();
    assert_eq!(blocks.len(), 2);

    let github = &blocks[0];
    // Labelling re-runs the badge gate: the team's `badges-reviewed` label lets it pass.
    let types = &github["on"]["pull_request"]["types"];
    for kind in ["opened", "synchronize", "labeled", "unlabeled"] {
        assert!(
            types.as_array().unwrap().iter().any(|t| t == kind),
            "{types}"
        );
    }
    assert_eq!(
        github["on"]["push"]["branches"],
        serde_json::json!(["main"])
    );
    let jobs = github["jobs"].as_object().unwrap();
    assert_eq!(
        jobs.keys().collect::<Vec<_>>(),
        ["badges", "check", "publish"]
    );
    let gate = jobs["badges"]["steps"].as_array().unwrap().last().unwrap()["run"]
        .as_str()
        .unwrap();
    assert!(
        gate.contains("--base") && gate.contains("--strict"),
        "{gate}"
    );
    for (name, job) in jobs {
        assert!(job["runs-on"].is_string(), "{name}");
        for step in job["steps"].as_array().unwrap() {
            let kinds = ["run", "uses"]
                .iter()
                .filter(|k| step.get(**k).is_some())
                .count();
            assert_eq!(
                kinds, 1,
                "{name}: a step runs a command or uses an action: {step}"
            );
        }
    }

    let gitlab = &blocks[1];
    let stages: Vec<&str> = gitlab["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    let reserved = ["stages", "variables", "default", "workflow", "include"];
    let gitlab_jobs: Vec<(&String, &Value)> = gitlab
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, _)| !reserved.contains(&k.as_str()))
        .collect();
    assert_eq!(gitlab_jobs.len(), 4);
    for (name, job) in gitlab_jobs {
        assert!(stages.contains(&job["stage"].as_str().unwrap()), "{name}");
        assert!(
            job["script"].as_array().is_some_and(|s| !s.is_empty()),
            "{name}"
        );
    }
    assert_eq!(
        gitlab["pages"]["artifacts"]["paths"],
        serde_json::json!(["public"])
    );
}

#[test]
fn every_marketgen_command_in_the_ci_and_deploy_docs_exists() {
    let mut scripts: Vec<String> = Vec::new();
    for (info, body) in code_blocks("docs/ci.md") {
        if info != "yaml" {
            continue;
        }
        let pipeline = yaml(&body);
        let mut collect = |v: &Value| match v {
            Value::String(s) => scripts.push(s.clone()),
            Value::Array(lines) => {
                scripts.extend(lines.iter().filter_map(|l| l.as_str().map(String::from)))
            }
            _ => {}
        };
        for job in pipeline.as_object().unwrap().values() {
            for step in job["steps"].as_array().into_iter().flatten() {
                collect(&step["run"]);
            }
            collect(&job["script"]);
            collect(&job["before_script"]);
        }
    }
    for (info, body) in code_blocks("docs/deploy.md") {
        if ["sh", "toml"].contains(&info.as_str()) {
            scripts.push(body);
        }
    }
    assert_eq!(
        commands(
            "command -v marketgen || marketgen diff \"origin/$B\" --format markdown > f\nmarketgen \\\n  build --strict"
        ),
        [
            vec!["diff", "origin/$B", "--format", "markdown"],
            vec!["build", "--strict"],
        ]
    );
    let mut help = BTreeMap::new();
    let mut seen = Vec::new();
    for script in &scripts {
        for command in commands(script) {
            assert_exists(&command, &mut help);
            seen.push(command[0].clone());
        }
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen, ["build", "check", "diff"]);
}
