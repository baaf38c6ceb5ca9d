//! Issue 14, point 5: the pipelines in docs/ci.md are valid YAML of their systems' shapes, and
//! every `marketgen` command in docs/ci.md and docs/deploy.md exists, with the flags and
//! values it is given. Issue 24, point 6: the release workflow publishes for every platform
//! with checksums, the action (`action.yml`) installs exactly those archives, refuses one that
//! fails its checksum, and runs the gate; every action they use is pinned by commit SHA.
//! (`.ci/run` also holds them to actionlint and zizmor.)

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

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

fn yaml_file(file: &str) -> Value {
    yaml(&std::fs::read_to_string(repo().join(file)).unwrap())
}

/// docs/ci.md's GitHub Actions pipeline, the first YAML block.
fn github_pipeline() -> Value {
    let (_, body) = code_blocks("docs/ci.md")
        .into_iter()
        .find(|(info, _)| info == "yaml")
        .unwrap();
    yaml(&body)
}

/// The steps of every job of a workflow, or of a composite action.
fn steps(doc: &Value) -> Vec<&Value> {
    let jobs = doc["jobs"].as_object().into_iter().flat_map(|j| j.values());
    jobs.flat_map(|job| job["steps"].as_array().into_iter().flatten())
        .chain(doc["runs"]["steps"].as_array().into_iter().flatten())
        .collect()
}

/// The script of the step named `name`.
fn script<'a>(doc: &'a Value, name: &str) -> &'a str {
    steps(doc)
        .into_iter()
        .find(|s| s["name"] == name)
        .and_then(|s| s["run"].as_str())
        .unwrap_or_else(|| panic!("no step {name:?} with a script"))
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

#[test]
fn the_release_workflow_publishes_every_platform_with_checksums() {
    let release = yaml_file(".github/workflows/release.yml");
    assert_eq!(release["on"]["push"]["tags"], serde_json::json!(["v*"]));
    let targets: BTreeSet<&str> = release["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["target"].as_str().unwrap())
        .collect();
    for system in ["-linux-", "-apple-darwin", "-windows-"] {
        assert!(targets.iter().any(|t| t.contains(system)), "{targets:?}");
    }
    let build = script(
        &release,
        "Build with the dist profile (fat LTO, one codegen unit)",
    );
    assert!(build.contains("--locked --profile dist"), "{build}");
    let cargo = std::fs::read_to_string(repo().join("Cargo.toml")).unwrap();
    let dist = cargo.split_once("[profile.dist]\n").unwrap().1;
    for line in [
        "inherits = \"release\"",
        "lto = \"fat\"",
        "codegen-units = 1",
    ] {
        assert!(dist.split("\n[").next().unwrap().contains(line), "{dist}");
    }
    let package = script(&release, "Package");
    assert!(
        package.contains("marketgen-$TARGET.zip") && package.contains("marketgen-$TARGET.tar.gz")
    );
    assert!(script(&release, "Checksums").contains("sha256sum marketgen-* > SHA256SUMS"));
    assert!(
        script(&release, "Publish the release").starts_with("gh release create \"$TAG\" dist/*")
    );

    // The action downloads exactly the archives the workflow publishes.
    let action = yaml_file("action.yml");
    let install = script(&action, "Install marketgen");
    let installs: BTreeSet<&str> = install
        .lines()
        .filter_map(|l| l.split_once(") target=")?.1.strip_suffix(" ;;"))
        .collect();
    assert_eq!(installs, targets);
    assert!(
        install.contains("archive=\"marketgen-$target.zip\""),
        "{install}"
    );
    assert!(
        install.contains("archive=\"marketgen-$target.tar.gz\""),
        "{install}"
    );
}

#[test]
fn every_action_used_is_pinned_by_its_commit_sha() {
    let sha = |r: &str| r.len() == 40 && r.bytes().all(|b| b.is_ascii_hexdigit());
    for (file, doc) in [
        (
            ".github/workflows/release.yml",
            yaml_file(".github/workflows/release.yml"),
        ),
        ("action.yml", yaml_file("action.yml")),
        ("docs/ci.md", github_pipeline()),
    ] {
        let used: Vec<&str> = steps(&doc)
            .iter()
            .filter_map(|s| s["uses"].as_str())
            .collect();
        assert!(!used.is_empty(), "{file}");
        for uses in used {
            let (action, reference) = uses.split_once('@').unwrap();
            // docs/ci.md cannot know marketgen's address or the commit of its tag, and says so.
            let placeholder = file == "docs/ci.md" && uses == "OWNER/marketgen@COMMIT_SHA";
            assert!(
                sha(reference) || placeholder,
                "{file}: {action} is not pinned by a commit SHA: {uses}"
            );
        }
    }
    let docs = std::fs::read_to_string(repo().join("docs/ci.md")).unwrap();
    assert!(
        !docs.contains("example.com/your-org"),
        "docs/ci.md installs from a made-up address"
    );
    for (_, pipeline) in code_blocks("docs/ci.md") {
        assert!(
            !pipeline.contains("cargo install"),
            "CI installs the released binaries: {pipeline}"
        );
    }
}

#[test]
fn the_action_runs_the_gate_and_uploads_its_sarif_log() {
    let action = yaml_file("action.yml");
    assert_eq!(action["runs"]["using"], "composite");
    assert_eq!(action["inputs"]["version"]["required"], true);
    let mut help = BTreeMap::new();
    let mut formats = Vec::new();
    for step in steps(&action) {
        for command in commands(step["run"].as_str().unwrap_or_default()) {
            assert_exists(&command, &mut help);
            formats.push(command[..3].join(" "));
        }
    }
    assert_eq!(formats, ["check --format sarif", "check --format github"]);
    let upload = steps(&action)
        .into_iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
        })
        .expect("the action uploads to code scanning");
    assert_eq!(
        upload["with"]["sarif_file"],
        "${{ steps.check.outputs.sarif }}"
    );

    // docs/ci.md installs with it, in every job.
    let pipeline = github_pipeline();
    for (name, job) in pipeline["jobs"].as_object().unwrap() {
        let with = job["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| {
                s["uses"]
                    .as_str()
                    .is_some_and(|u| u.starts_with("OWNER/marketgen@"))
            })
            .unwrap_or_else(|| panic!("{name} does not install marketgen with the action"));
        assert_eq!(with["with"]["version"], "${{ env.MARKETGEN_VERSION }}");
    }
}

/// Runs the action's install step as the runner would, with a `curl` that serves the files of
/// `release` for the release v9.9.9 of OWNER/marketgen; returns whether it succeeded, and what
/// it added to the PATH.
fn install(release: &Path, expected_sha256: &str) -> (bool, String) {
    let work = tempfile::tempdir().unwrap();
    let bin = work.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let curl = bin.join("curl");
    std::fs::write(
        &curl,
        "#!/bin/sh\n\
         while [ $# -gt 0 ]; do case $1 in --output) out=$2; shift 2;; --proto|--retry) shift 2;; -*) shift;; *) url=$1; shift;; esac; done\n\
         case $url in https://github.com/OWNER/marketgen/releases/download/v9.9.9/*) ;; *) echo \"no $url\" >&2; exit 22;; esac\n\
         cp \"$RELEASE/${url##*/}\" \"$out\" || exit 22\n",
    )
    .unwrap();
    make_executable(&curl);
    let path = work.path().join("github_path");
    std::fs::write(&path, "").unwrap();
    let status = Command::new("bash")
        .arg("-c")
        .arg(script(&yaml_file("action.yml"), "Install marketgen"))
        .env(
            "PATH",
            format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()),
        )
        .env("RELEASE", release)
        .env("RUNNER_OS", "Linux")
        .env("RUNNER_ARCH", "X64")
        .env("RUNNER_TEMP", work.path())
        .env("GITHUB_PATH", &path)
        .env("VERSION", "v9.9.9")
        .env("REPOSITORY", "OWNER/marketgen")
        .env("EXPECTED", expected_sha256)
        .status()
        .unwrap();
    let added = std::fs::read_to_string(&path).unwrap();
    let installed = Path::new(added.trim()).join("marketgen");
    assert_eq!(installed.exists(), status.success(), "{added}");
    (status.success(), added)
}

fn make_executable(file: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// A release of one archive, for Linux on x86-64, holding a `marketgen` that prints `says`;
/// `sums` is the SHA256SUMS published with it, when given, or the archive's own.
fn release(dir: &Path, says: &str, sums: Option<&str>) -> String {
    let program = dir.join("marketgen");
    std::fs::write(&program, format!("#!/bin/sh\necho {says}\n")).unwrap();
    make_executable(&program);
    let archive = "marketgen-x86_64-unknown-linux-gnu.tar.gz";
    let tar = Command::new("tar")
        .args(["-czf", archive, "marketgen"])
        .current_dir(dir)
        .status()
        .unwrap();
    assert!(tar.success());
    std::fs::remove_file(&program).unwrap();
    let sum = Command::new("sha256sum")
        .arg(archive)
        .current_dir(dir)
        .output()
        .unwrap();
    let own = String::from_utf8(sum.stdout).unwrap();
    std::fs::write(dir.join("SHA256SUMS"), sums.unwrap_or(&own)).unwrap();
    own
}

#[test]
fn the_action_installs_only_an_archive_that_matches_its_checksum() {
    let dir = tempfile::tempdir().unwrap();
    let genuine = release(dir.path(), "marketgen 9.9.9", None);
    let (ok, added) = install(dir.path(), "");
    assert!(
        ok && added.ends_with("marketgen-v9.9.9-x86_64-unknown-linux-gnu\n"),
        "{added}"
    );

    // An archive replaced after the checksums were published is refused, and nothing is on
    // the PATH.
    release(dir.path(), "something else", Some(&genuine));
    assert_eq!(install(dir.path(), ""), (false, String::new()));

    // So is one that differs from the checksum the workflow pins, whatever SHA256SUMS says.
    let replaced = release(dir.path(), "something else", None);
    let pinned = genuine.split_whitespace().next().unwrap();
    assert_eq!(install(dir.path(), pinned), (false, String::new()));
    let (ok, _) = install(dir.path(), replaced.split_whitespace().next().unwrap());
    assert!(ok);
}
