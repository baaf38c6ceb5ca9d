//! Issue 14, point 3: `marketgen diff REV` on a temporary git repository with real commits:
//! a connector added, one renamed, one deprecated and its version bumped without a changelog
//! entry, and edits left uncommitted in the working tree.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::build::copy_tree;
use crate::support::{fixture, marketgen};

/// A git repository in a temporary folder, with a site in `market/`.
pub(crate) struct Repo {
    pub(crate) dir: tempfile::TempDir,
}

impl Repo {
    pub(crate) fn new() -> Repo {
        Repo::of(&fixture("valid"))
    }

    /// A repository holding a copy of the site at `source` in `market/`, committed once.
    fn of(source: &Path) -> Repo {
        let repo = Repo {
            dir: tempfile::tempdir().unwrap(),
        };
        copy_tree(source, &repo.site());
        repo.git(&["init", "--quiet", "--initial-branch=main"]);
        repo.commit("the site");
        repo
    }

    pub(crate) fn site(&self) -> PathBuf {
        self.dir.path().join("market")
    }

    pub(crate) fn git(&self, args: &[&str]) -> String {
        crate::support::git(self.dir.path(), args)
    }

    fn commit(&self, message: &str) -> String {
        self.git(&["add", "--all"]);
        self.git(&["commit", "--quiet", "-m", message]);
        self.git(&["rev-parse", "HEAD"]).trim().to_string()
    }

    fn record(&self, slug: &str) -> PathBuf {
        self.site()
            .join("content/connectors")
            .join(slug)
            .join("connector.yaml")
    }

    pub(crate) fn edit(&self, slug: &str, from: &str, to: &str) {
        let path = self.record(slug);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{from} not in {}", path.display());
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }

    /// `marketgen diff REV` on the site: stdout and exit code.
    pub(crate) fn diff(&self, rev: &str, format: &str) -> (String, i32) {
        let output = marketgen()
            .args(["diff", rev, "--format", format, "--root"])
            .arg(self.site())
            .output()
            .unwrap();
        let stdout = String::from_utf8(output.stdout).unwrap();
        let code = output.status.code().unwrap();
        assert!(
            code != 2,
            "{stdout}{}",
            String::from_utf8_lossy(&output.stderr)
        );
        (stdout, code)
    }

    fn diff_json(&self, rev: &str) -> Value {
        let (out, _) = self.diff(rev, "json");
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
    }
}

fn connector<'a>(diff: &'a Value, slug: &str) -> &'a Value {
    diff["connectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["slug"] == slug)
        .unwrap_or_else(|| panic!("no {slug} in {diff:#}"))
}

fn slugs(diff: &Value) -> Vec<&str> {
    diff["connectors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["slug"].as_str().unwrap())
        .collect()
}

/// The history the tests compare against: base, added, renamed, deprecated, bumped.
struct History {
    repo: Repo,
    base: String,
    renamed: String,
}

fn history() -> History {
    let repo = Repo::new();
    // The fixture's old-sync names acme-orders as its replacement, and this story renames
    // acme-orders, which would break that link: it starts without it.
    repo.edit(
        "old-sync",
        "replaced_by: acme-orders\nsunset: 2027-06-30\n",
        "",
    );
    repo.commit("old-sync without a replacement");
    let base = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    let connectors = repo.site().join("content/connectors");
    copy_tree(&connectors.join("old-sync"), &connectors.join("new-sync"));
    let record = repo.record("new-sync");
    let text = std::fs::read_to_string(&record).unwrap();
    let text = text
        .replace(
            "name: \"Old \\\"Sync\\\" <Legacy> & Co's\"",
            "name: New Sync",
        )
        .replace("status: deprecated", "status: approved")
        .replace("canary-deprecated", "canary-added");
    assert!(text.contains("name: New Sync"), "{text}");
    std::fs::write(&record, text).unwrap();
    repo.commit("add new-sync");
    repo.git(&[
        "mv",
        "market/content/connectors/acme-orders",
        "market/content/connectors/acme-stock",
    ]);
    let renamed = repo.commit("rename acme-orders to acme-stock");
    repo.edit("acme-stock", "status: approved", "status: deprecated");
    repo.commit("deprecate acme-stock");
    repo.edit("acme-stock", "version: 2.3.0", "version: 2.4.0");
    repo.commit("bump acme-stock without a changelog entry");
    History {
        repo,
        base,
        renamed,
    }
}

#[test]
fn diff_reports_added_renamed_deprecated_and_bumped_connectors() {
    let History {
        repo,
        base,
        renamed,
    } = history();

    let diff = repo.diff_json(&base);
    assert_eq!(diff["commit"], base.as_str());
    assert_eq!(slugs(&diff), ["acme-orders", "acme-stock", "new-sync"]);
    let added = connector(&diff, "new-sync");
    assert_eq!(added["change"], "added");
    assert_eq!(added["name"], "New Sync");
    assert_eq!(
        added["status"],
        serde_json::json!({"before": null, "after": "approved"})
    );
    assert_eq!(
        added["version"],
        serde_json::json!({"before": null, "after": "1.0.0"})
    );
    let removed = connector(&diff, "acme-orders");
    assert_eq!(removed["change"], "removed");
    assert_eq!(removed["renamed_to"], "acme-stock");
    assert_eq!(
        removed["status"],
        Value::Null,
        "a rename only says where it went"
    );
    let moved = connector(&diff, "acme-stock");
    assert_eq!(moved["change"], "added");
    assert_eq!(moved["renamed_from"], "acme-orders");
    // Compared with what it was under its old slug: deprecated and bumped, nothing else.
    assert_eq!(
        moved["status"],
        serde_json::json!({"before": "approved", "after": "deprecated"})
    );
    assert_eq!(moved["version_without_changelog"], true);
    assert_eq!(moved["fields"], serde_json::json!([]));
    assert_eq!(
        diff["pages_removed"],
        serde_json::json!([
            "/connectors/acme-orders/",
            "/connectors/acme-orders/docs/migrating/",
            "/connectors/acme-orders/docs/setup/"
        ])
    );
    let added_pages = diff["pages_added"].as_array().unwrap();
    assert!(
        added_pages.contains(&"/connectors/new-sync/".into()),
        "{diff:#}"
    );
    assert!(
        added_pages.contains(&"/connectors/acme-stock/docs/setup/".into()),
        "{diff:#}"
    );

    let diff = repo.diff_json(&renamed);
    assert_eq!(slugs(&diff), ["acme-stock"]);
    let changed = connector(&diff, "acme-stock");
    assert_eq!(changed["change"], "changed");
    assert_eq!(
        changed["status"],
        serde_json::json!({"before": "approved", "after": "deprecated"})
    );
    assert_eq!(
        changed["version"],
        serde_json::json!({"before": "2.3.0", "after": "2.4.0"})
    );
    assert_eq!(changed["version_without_changelog"], true);
    assert_eq!(diff["pages_removed"], serde_json::json!([]));

    let (human, code) = repo.diff(&renamed, "human");
    assert_eq!(code, 0);
    assert!(
        human.contains("changed   acme-stock (Orders & Stock)\n"),
        "{human}"
    );
    assert!(
        human.contains("    version: 2.3.0 → 2.4.0 (no changelog entry for the new version)\n"),
        "{human}"
    );
    let (markdown, _) = repo.diff(&base, "markdown");
    assert!(
        markdown
            .contains("- **Removed** `acme-orders` (`Orders & Stock`): renamed to `acme-stock`\n"),
        "{markdown}"
    );
    assert!(markdown.contains("#### Pages that disappear"), "{markdown}");
    assert!(
        markdown.contains("- `/connectors/acme-orders/docs/setup/`\n"),
        "{markdown}"
    );

    let (none, code) = repo.diff("HEAD", "human");
    assert_eq!(
        (none.lines().nth(1), code),
        (Some("no change"), 0),
        "{none}"
    );
}

#[test]
fn diff_compares_the_working_tree_shows_public_fields_only_and_touches_nothing() {
    let History { repo, .. } = history();
    repo.edit("new-sync", "summary: The previous", "summary: The next");
    repo.edit(
        "new-sync",
        "name: New Sync",
        "name: \"`New` [Sync](javascript:alert(1)) @team <img src=x>\"",
    );
    repo.edit("new-sync", "canary-added-email", "canary-changed-email");
    repo.edit("new-sync", "canary-added-profile", "canary-changed-profile");
    let status = repo.git(&["status", "--porcelain=v2", "--untracked-files=all"]);
    let index = std::fs::read(repo.dir.path().join(".git/index")).unwrap();

    let diff = repo.diff_json("HEAD");
    assert_eq!(slugs(&diff), ["new-sync"]);
    let fields: Vec<&str> = connector(&diff, "new-sync")["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["name", "summary"]);
    // In a pull-request comment a value is a code span, whatever it holds.
    let (markdown, _) = repo.diff("HEAD", "markdown");
    assert!(
        markdown.contains(
            "- name: `New Sync` → `` `New` [Sync](javascript:alert(1)) @team <img src=x> ``\n"
        ),
        "{markdown}"
    );
    for format in ["human", "markdown", "json"] {
        let (out, _) = repo.diff("HEAD", format);
        assert!(!out.contains("canary"), "{format}: {out}");
    }
    assert_eq!(
        repo.git(&["status", "--porcelain=v2", "--untracked-files=all"]),
        status
    );
    assert_eq!(
        std::fs::read(repo.dir.path().join(".git/index")).unwrap(),
        index
    );
    let text = std::fs::read_to_string(repo.record("new-sync")).unwrap();
    assert!(text.contains("summary: The next"));
}

#[test]
fn diff_fails_with_content_errors_and_refuses_what_is_not_a_revision() {
    let repo = Repo::new();
    repo.edit("acme-orders", "category: ecommerce", "category: nowhere");
    let (out, code) = repo.diff("HEAD", "human");
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("content errors: 0 at the revision, 1 in the working tree"),
        "{out}"
    );

    for rev in ["no-such-branch", "--output=x"] {
        let output = marketgen()
            .args(["diff", "--root"])
            .arg(repo.site())
            .arg(rev)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{rev}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.starts_with("error: "), "{stderr}");
    }
    let outside = tempfile::tempdir().unwrap();
    copy_tree(&fixture("valid"), outside.path());
    let output = marketgen()
        .args(["diff", "HEAD", "--root"])
        .arg(outside.path())
        .env(
            "GIT_CEILING_DIRECTORIES",
            outside.path().parent().unwrap_or(Path::new("/")),
        )
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("is not inside a git repository"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn diff_runs_on_the_sample_marketplace() {
    let repo = crate::support::repo();
    let output = crate::support::success_of(&[
        "diff".as_ref(),
        "HEAD".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        "--root".as_ref(),
        repo.as_os_str(),
    ]);
    let diff: Value = serde_json::from_str(&output).unwrap();
    assert_eq!(diff["errors_after"], 0);
}

#[test]
fn diff_on_the_real_corpus_shows_its_changes_and_none_of_its_private_fields() {
    let Some(corpus) = crate::corpus::real_corpus() else {
        return;
    };
    let repo = Repo::of(&corpus);
    let mut records: Vec<(String, String)> =
        std::fs::read_dir(repo.site().join("content/connectors"))
            .unwrap()
            .filter_map(|entry| {
                let slug = entry.unwrap().file_name().into_string().unwrap();
                let text = std::fs::read_to_string(repo.record(&slug)).ok()?;
                Some((slug, text))
            })
            .collect();
    records.sort();
    let approved: Vec<&(String, String)> = records
        .iter()
        .filter(|(_, text)| text.contains("\nstatus: approved\n") && text.contains("\nversion: "))
        .take(3)
        .collect();
    let [deprecated, bumped, private] = approved.as_slice() else {
        panic!("the corpus has fewer than three approved records with a version");
    };
    repo.edit(
        &deprecated.0,
        "\nstatus: approved\n",
        "\nstatus: deprecated\n",
    );
    let version = bumped
        .1
        .split("\nversion: ")
        .nth(1)
        .unwrap()
        .lines()
        .next()
        .unwrap();
    repo.edit(
        &bumped.0,
        &format!("\nversion: {version}\n"),
        "\nversion: 999.0.0\n",
    );
    repo.edit(&private.0, "\n  email: ", "\n  email: changed-");
    repo.edit(
        &private.0,
        "\n  company_profile: ",
        "\n  company_profile: changed-",
    );

    let diff = repo.diff_json("HEAD");
    assert_eq!(
        slugs(&diff),
        [deprecated.0.as_str(), bumped.0.as_str()],
        "only public changes: {diff:#}"
    );
    assert_eq!(
        connector(&diff, &deprecated.0)["status"]["after"],
        "deprecated"
    );
    assert_eq!(
        connector(&diff, &bumped.0)["version_without_changelog"],
        true
    );
    // No developer's email or company profile, of any record.
    let private: Vec<&str> = records
        .iter()
        .flat_map(|(_, text)| {
            let developer = text.split("\ndeveloper:\n").nth(1).unwrap_or_default();
            developer
                .lines()
                .take_while(|l| l.starts_with("  "))
                .filter_map(|l| {
                    l.trim()
                        .strip_prefix("email: ")
                        .or_else(|| l.trim().strip_prefix("company_profile: "))
                })
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(!private.is_empty());
    // Each format prints the same data: JSON and Markdown stand for all three, as each diff
    // of the corpus checks 609 records twice.
    let (markdown, _) = repo.diff("HEAD", "markdown");
    for out in [diff.to_string(), markdown] {
        for value in &private {
            assert!(!out.contains(value), "{value} in {out}");
        }
    }
}

/// Issue 15, point 1: a badge is the marketplace team's word. A change that gives a record
/// a badge it did not hold at the revision is a `badge-added` warning at the badge, from
/// `check --base REV` (which `--strict` turns into a failure) and from `diff REV`, which
/// also lists it; a badge held at the revision, or one taken away, is none.
#[test]
fn a_badge_added_since_the_revision_is_a_warning_at_the_badge_for_check_and_diff() {
    let repo = Repo::new();
    let check = |args: &[&str]| {
        let output = marketgen()
            .args(["check", "--color", "never", "--base", "HEAD", "--root"])
            .arg(repo.site())
            .args(args)
            .output()
            .unwrap();
        let code = output.status.code().unwrap();
        (String::from_utf8(output.stdout).unwrap(), code)
    };
    let (clean, code) = check(&["--strict"]);
    assert_eq!((clean.as_str(), code), ("no problems found\n", 0));

    repo.edit(
        "acme-orders",
        "badges: [certified]",
        "badges: [certified, platform-team]",
    );
    let (report, code) = check(&[]);
    assert_eq!(code, 0, "a warning: {report}");
    assert!(
        report.starts_with(
            "warning[badge-added]: `acme-orders` gains the badge `platform-team`\n  --> content/connectors/acme-orders/connector.yaml:60:21\n"
        ),
        "{report}"
    );
    assert!(report.contains("not held at `HEAD`"), "{report}");
    assert!(report.ends_with("0 errors, 1 warning\n"), "{report}");
    assert_eq!(check(&["--strict"]).1, 1);

    let output = marketgen()
        .args(["diff", "HEAD", "--color", "never", "--root"])
        .arg(repo.site())
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stdout.contains("badges added: platform-team (badge-added"),
        "{stdout}"
    );
    assert!(
        stderr.starts_with("warning[badge-added]: `acme-orders` gains the badge `platform-team`"),
        "{stderr}"
    );
    assert_eq!(
        connector(&repo.diff_json("HEAD"), "acme-orders")["badges_added"],
        serde_json::json!(["platform-team"])
    );

    // Taking a badge away needs no review.
    repo.edit(
        "acme-orders",
        "badges: [certified, platform-team]",
        "badges: []",
    );
    assert_eq!(check(&["--strict"]).1, 0);

    // A new record brings all its badges: each is added.
    let connectors = repo.site().join("content/connectors");
    copy_tree(&connectors.join("old-sync"), &connectors.join("newcomer"));
    let record = repo.record("newcomer");
    let text = std::fs::read_to_string(&record).unwrap();
    let text = text.replace(
        "name: \"Old \\\"Sync\\\" <Legacy> & Co's\"",
        "name: Newcomer",
    );
    std::fs::write(&record, text + "badges: [certified]\n").unwrap();
    let (report, _) = check(&[]);
    assert!(
        report.contains("`newcomer` gains the badge `certified`")
            && report.contains("a record new since `HEAD`"),
        "{report}"
    );
}
