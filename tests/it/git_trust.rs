//! Issue 21, points 1 and 2: the commands that read git (`diff`, `check --base`, `report`)
//! trust nothing of the repository that content can supply, and reading a revision writes
//! nothing. Each test makes a real repository with the git program, crafting with
//! `hash-object`, `mktree` and `commit-tree` the trees that `git add` would refuse to make.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::build::copy_tree;
use crate::support::{fixture, marketgen};

/// A git repository in a temporary folder.
struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new() -> Repo {
        let repo = Repo {
            dir: tempfile::tempdir().unwrap(),
        };
        repo.git(&["init", "--quiet", "--initial-branch=main"]);
        repo
    }

    /// A repository holding the valid fixture in `site` (`""` for the repository's root),
    /// committed once.
    fn with_site(site: &str) -> Repo {
        let repo = Repo::new();
        copy_tree(&fixture("valid"), &repo.path().join(site));
        repo.commit("the site");
        repo
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn git(&self, args: &[&str]) -> String {
        crate::support::git(self.path(), args)
    }

    fn commit(&self, message: &str) -> String {
        self.git(&["add", "--all"]);
        self.git(&["commit", "--quiet", "-m", message]);
        self.git(&["rev-parse", "HEAD"]).trim().to_string()
    }

    /// Commits everything as of `date` (an ISO 8601 day).
    fn commit_on(&self, message: &str, date: &str) {
        self.git(&["add", "--all"]);
        let status = Command::new("git")
            .current_dir(self.path())
            .args(["-c", "user.name=Test", "-c", "user.email=test@test.example"])
            .args([
                "-c",
                "commit.gpgsign=false",
                "commit",
                "--quiet",
                "-m",
                message,
            ])
            .env("GIT_COMMITTER_DATE", format!("{date}T12:00:00Z"))
            .env("GIT_AUTHOR_DATE", format!("{date}T12:00:00Z"))
            .status()
            .unwrap();
        assert!(status.success());
    }

    fn blob(&self, bytes: &[u8]) -> String {
        let id = crate::support::git_with_input(
            self.path(),
            &["hash-object", "-w", "--stdin"],
            Some(bytes),
        );
        id.trim().to_string()
    }

    /// A blob of `len` zero bytes, streamed to git: held in memory here, it would count in
    /// the peak of every process this one starts (a child's peak includes what it had
    /// before it ran its program).
    fn zeros(&self, len: usize) -> String {
        let mut child = Command::new("git")
            .current_dir(self.path())
            .args(["hash-object", "-w", "--stdin"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let chunk = vec![0; 1 << 20];
        let writer = std::thread::spawn(move || {
            for _ in 0..len / chunk.len() {
                stdin.write_all(&chunk)?;
            }
            Ok::<_, std::io::Error>(())
        });
        let output = child.wait_with_output().unwrap();
        writer.join().unwrap().unwrap();
        assert!(output.status.success());
        String::from_utf8(output.stdout).unwrap().trim().to_string()
    }

    /// The tree `tree` with `entries` (`mode type id<TAB>name` lines, as `git mktree` reads
    /// them) added to the folder at `path`, even beside an entry of the same name: what a
    /// crafted tree may hold.
    fn tree_with(&self, tree: &str, path: &[&str], entries: &[String]) -> String {
        let listing = self.git(&["ls-tree", tree]);
        let mut lines: Vec<String> = listing.lines().map(str::to_string).collect();
        match path.split_first() {
            None => lines.extend(entries.iter().cloned()),
            Some((first, rest)) => {
                let at = lines
                    .iter()
                    .position(|l| l.ends_with(&format!("\t{first}")) && l.contains(" tree "));
                let inner = match at {
                    Some(at) => lines.remove(at).split(' ').nth(2).unwrap()[..40].to_string(),
                    None => crate::support::git_with_input(self.path(), &["mktree"], Some(b""))
                        .trim()
                        .to_string(),
                };
                let inner = self.tree_with(&inner, rest, entries);
                lines.push(format!("040000 tree {inner}\t{first}"));
            }
        }
        let input: String = lines.iter().map(|l| format!("{l}\n")).collect();
        crate::support::git_with_input(self.path(), &["mktree"], Some(input.as_bytes()))
            .trim()
            .to_string()
    }

    /// A commit of `tree` on top of `HEAD`, under the branch `branch`.
    fn commit_tree(&self, tree: &str, branch: &str) -> String {
        let commit = self.git(&["commit-tree", tree, "-p", "HEAD", "-m", branch]);
        let commit = commit.trim();
        self.git(&["update-ref", &format!("refs/heads/{branch}"), commit]);
        commit.to_string()
    }
}

/// A `mktree` line.
fn entry(mode: &str, kind: &str, id: &str, name: &str) -> String {
    format!("{mode} {kind} {id}\t{name}")
}

/// Runs `marketgen args` in `dir`: exit code, stdout, stderr.
fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = marketgen().current_dir(dir).args(args).output().unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// Every path under `dir`, with whether it is a link and its size: what a command must leave
/// as it found it.
fn snapshot(dir: &Path) -> Vec<(PathBuf, bool, u64)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| {
            let e = e.unwrap();
            let meta = e.path().symlink_metadata().unwrap();
            (
                e.path().to_path_buf(),
                meta.file_type().is_symlink(),
                if meta.is_file() { meta.len() } else { 0 },
            )
        })
        .collect()
}

/// The error diagnostics `check --format json` reports on the folder at `root`, as
/// (code, file) pairs.
fn folder_errors(root: &Path) -> Vec<(String, String)> {
    let output = marketgen()
        .args(["check", "--format", "json", "--root"])
        .arg(root)
        .output()
        .unwrap();
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn add_badge(record: &Path) {
    let text = std::fs::read_to_string(record).unwrap();
    assert!(text.contains("badges: [certified]"));
    std::fs::write(
        record,
        text.replace("badges: [certified]", "badges: [certified, platform-team]"),
    )
    .unwrap();
}

/// Point 1: a pull request adds to `site/` the files of a bare repository whose `main` is the
/// attacker's own "base" (where the badge it adds was already held), a `config` with a
/// textconv command and attributes that apply it. git, run in `site/`, takes that folder for
/// the repository; marketgen refuses it, from `--root site` and from inside the folder.
#[test]
fn a_repository_layout_in_the_site_folder_is_refused_and_never_used() {
    let outside = tempfile::tempdir().unwrap();
    let marker = outside.path().join("textconv-ran");

    // The attacker's repository: the site with the badge already held.
    let forged = Repo::new();
    copy_tree(&fixture("valid"), forged.path());
    add_badge(
        &forged
            .path()
            .join("content/connectors/acme-orders/connector.yaml"),
    );
    let forged_base = forged.commit("the forged base");

    let repo = Repo::with_site("site");
    repo.git(&["update-ref", "refs/remotes/origin/main", "HEAD"]);
    let site = repo.path().join("site");
    add_badge(&site.join("content/connectors/acme-orders/connector.yaml"));
    copy_tree(&forged.path().join(".git/objects"), &site.join("objects"));
    std::fs::write(site.join("HEAD"), "ref: refs/heads/main\n").unwrap();
    for branch in ["refs/heads/main", "refs/remotes/origin/main"] {
        let path = site.join(branch);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, format!("{forged_base}\n")).unwrap();
    }
    let textconv = format!("touch {} && cat", marker.display());
    std::fs::write(
        site.join("config"),
        format!(
            "[core]\n\trepositoryformatversion = 0\n\tbare = true\n[diff \"x\"]\n\ttextconv = {textconv}\n"
        ),
    )
    .unwrap();
    std::fs::create_dir_all(site.join("info")).unwrap();
    std::fs::write(site.join("info/attributes"), "* diff=x\n").unwrap();
    repo.commit("the pull request");
    // The layout is live: git, run in the site's folder, takes it for the repository.
    assert_eq!(
        crate::support::git(&site, &["rev-parse", "--git-dir"]).trim(),
        "."
    );

    let shown = repo.path().canonicalize().unwrap().join("site");
    let refused = |dir: &Path, args: &[&str]| {
        let (code, stdout, stderr) = run_in(dir, args);
        assert_eq!(code, 2, "{args:?} in {}: {stdout}{stderr}", dir.display());
        assert!(
            stderr.contains(&format!(
                "{} holds the files of a git repository (HEAD, objects, refs, config, info)",
                shown.display()
            )),
            "{args:?}: {stderr}"
        );
        assert!(stderr.contains("remove them from the content"), "{stderr}");
        assert!(!marker.exists(), "{args:?} ran the textconv command");
    };
    let top = repo.path();
    refused(
        top,
        &[
            "check",
            "--root",
            "site",
            "--base",
            "origin/main",
            "--strict",
        ],
    );
    refused(&site, &["check", "--base", "origin/main", "--strict"]);
    refused(top, &["diff", "origin/main", "--root", "site"]);
    refused(&site, &["diff", "origin/main"]);
    refused(top, &["report", "--root", "site"]);
    refused(&site, &["report"]);
    // `review` reads no git, and so has nothing to refuse.
    let (code, _, stderr) = run_in(top, &["review", "acme-orders", "--root", "site"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!marker.exists());

    // Without those files, the real base is the one compared with: the badge needs review.
    repo.git(&[
        "rm",
        "-r",
        "--quiet",
        "site/HEAD",
        "site/objects",
        "site/refs",
        "site/config",
        "site/info",
    ]);
    let (code, stdout, stderr) = run_in(
        top,
        &[
            "check",
            "--root",
            "site",
            "--base",
            "origin/main",
            "--strict",
        ],
    );
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stdout.contains("warning[badge-added]: `acme-orders` gains the badge `platform-team`"),
        "{stdout}"
    );
    assert!(!marker.exists());
}

/// Point 1, the ordinary case: revisions named every way are read with no `git` program
/// (one on the PATH that would run is never run) and nothing from the environment.
#[test]
fn revisions_are_read_without_the_git_program_or_the_environment() {
    let repo = Repo::with_site("market");
    let first = repo.git(&["rev-parse", "HEAD"]).trim().to_string();
    repo.git(&["tag", "--annotate", "v1", "--message", "the first site"]);
    let site = repo.path().join("market");
    let record = site.join("content/connectors/reviewing/connector.yaml");
    let text = std::fs::read_to_string(&record).unwrap();
    std::fs::write(
        &record,
        text.replace("status: in-review", "status: submitted"),
    )
    .unwrap();
    repo.commit("back to submitted");
    add_badge(&site.join("content/connectors/acme-orders/connector.yaml"));

    // A `git` that would leave a mark, and an environment that names another repository.
    let outside = tempfile::tempdir().unwrap();
    let marker = outside.path().join("git-ran");
    let bin = outside.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let fake = bin.join("git");
    std::fs::write(
        &fake,
        format!("#!/bin/sh\n: > {}\nexit 1\n", marker.display()),
    )
    .unwrap();
    let executable = std::os::unix::fs::PermissionsExt::from_mode(0o755);
    std::fs::set_permissions(&fake, executable).unwrap();
    let elsewhere = Repo::new();
    let hostile = |args: &[&str]| {
        let output = marketgen()
            .current_dir(repo.path())
            .env("PATH", &bin)
            .env("GIT_DIR", elsewhere.path().join(".git"))
            .env("GIT_WORK_TREE", elsewhere.path())
            .env(
                "GIT_OBJECT_DIRECTORY",
                elsewhere.path().join(".git/objects"),
            )
            .env("GIT_CONFIG_GLOBAL", outside.path().join("nothing"))
            .args(args)
            .output()
            .unwrap();
        (
            output.status.code().unwrap(),
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8(output.stderr).unwrap(),
        )
    };
    let short = &first[..12];
    for rev in ["HEAD", "HEAD~1", "v1", "main~1", first.as_str(), short] {
        let (code, stdout, stderr) =
            hostile(&["diff", rev, "--format", "json", "--root", "market"]);
        assert_eq!(code, 0, "{rev}: {stderr}");
        let diff: Value = serde_json::from_str(&stdout).unwrap();
        let acme = diff["connectors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["slug"] == "acme-orders")
            .unwrap_or_else(|| panic!("{rev}: {stdout}"));
        assert_eq!(acme["badges_added"], serde_json::json!(["platform-team"]));
    }
    let commit_of = |rev: &str| {
        let (_, stdout, _) = hostile(&["diff", rev, "--format", "json", "--root", "market"]);
        serde_json::from_str::<Value>(&stdout).unwrap()["commit"].clone()
    };
    assert_eq!(commit_of("HEAD"), commit_of("main"));
    assert_eq!(commit_of("v1"), serde_json::json!(first));
    let (code, stdout, _) = hostile(&["check", "--root", "market", "--base", "v1", "--strict"]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("warning[badge-added]"), "{stdout}");
    // Relative roots, and the site's own folder.
    let (code, stdout, stderr) = run_in(&site, &["check", "--base", "HEAD", "--root", "."]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("warning[badge-added]"), "{stdout}");
    let (code, _, stderr) = hostile(&["diff", "no-such-branch", "--root", "market"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no commit `no-such-branch`"), "{stderr}");

    // report's wait, on a detached HEAD too.
    repo.git(&["checkout", "--quiet", "--detach"]);
    let (code, stdout, stderr) = hostile(&["report", "--format", "json", "--root", "market"]);
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["waiting"][0]["slug"], "reviewing");
    assert!(report["waiting"][0]["since"].is_string(), "{report}");
    assert!(!marker.exists(), "marketgen ran the git program");
}

/// Point 2: a revision whose tree holds links beside folders of the same name, a link to the
/// user's `.git` among them, is read without writing anything: `.git/config` stays as it
/// was, nothing appears in the repository or the temporary folder, and each link is reported
/// as a link in a folder would be.
#[test]
fn a_revision_with_links_writes_nothing_and_reports_each_link() {
    let outside = tempfile::tempdir().unwrap();
    let marker = outside.path().join("fsmonitor-ran");
    let repo = Repo::with_site("");
    let config = format!("[core]\n\tfsmonitor = touch {}\n", marker.display());
    let config = repo.blob(config.as_bytes());
    let folder = repo.tree_with(
        crate::support::git_with_input(repo.path(), &["mktree"], Some(b"")).trim(),
        &[],
        &[entry("100644", "blob", &config, "config")],
    );
    let to_git = repo.blob(b"/proc/self/cwd/.git");
    let pair = [
        entry("120000", "blob", &to_git, "l"),
        entry("040000", "tree", &folder, "l"),
    ];
    let tree = repo.git(&["rev-parse", "HEAD^{tree}"]).trim().to_string();
    let tree = repo.tree_with(&tree, &["content"], &pair);
    let tree = repo.tree_with(&tree, &["content", "connectors", "acme-orders"], &pair);
    let to_config = repo.blob(b"/proc/self/cwd/.git/config");
    let tree = repo.tree_with(
        &tree,
        &["content", "connectors", "linked"],
        &[entry("120000", "blob", &to_config, "connector.yaml")],
    );
    repo.commit_tree(&tree, "links");
    repo.git(&[
        "tag",
        "--annotate",
        "links-tag",
        "--message",
        "links",
        "links",
    ]);

    // The same files in a folder, links made as links: what the revision must report.
    let same = tempfile::tempdir().unwrap();
    copy_tree(&fixture("valid"), same.path());
    let connectors = same.path().join("content/connectors");
    std::os::unix::fs::symlink("/proc/self/cwd/.git", same.path().join("content/l")).unwrap();
    std::os::unix::fs::symlink("/proc/self/cwd/.git", connectors.join("acme-orders/l")).unwrap();
    std::fs::create_dir(connectors.join("linked")).unwrap();
    std::os::unix::fs::symlink(
        "/proc/self/cwd/.git/config",
        connectors.join("linked/connector.yaml"),
    )
    .unwrap();
    let expected = folder_errors(same.path());
    assert!(
        expected.contains(&(
            "symlink".to_string(),
            "content/connectors/acme-orders/l".to_string()
        )) && expected.contains(&(
            "symlink".to_string(),
            "content/connectors/linked/connector.yaml".to_string()
        )),
        "{expected:?}"
    );

    let config_before = std::fs::read(repo.path().join(".git/config")).unwrap();
    let before = snapshot(repo.path());
    let temporary = tempfile::tempdir().unwrap();
    let quiet = |args: &[&str]| {
        let output = marketgen()
            .current_dir(repo.path())
            .env("TMPDIR", temporary.path())
            .args(args)
            .output()
            .unwrap();
        assert_eq!(
            std::fs::read(repo.path().join(".git/config")).unwrap(),
            config_before,
            "{args:?} wrote the repository's configuration"
        );
        assert_eq!(
            snapshot(repo.path()),
            before,
            "{args:?} wrote in the repository"
        );
        assert_eq!(
            std::fs::read_dir(temporary.path()).unwrap().count(),
            0,
            "{args:?} wrote a temporary folder"
        );
        (
            output.status.code().unwrap(),
            String::from_utf8(output.stdout).unwrap(),
        )
    };
    let errors_before = |rev: &str| {
        let (code, stdout) = quiet(&["diff", rev, "--format", "json"]);
        assert_eq!(code, 0, "{stdout}");
        let diff: Value = serde_json::from_str(&stdout).unwrap();
        diff["errors_before"].as_u64().unwrap() as usize
    };
    assert_eq!(errors_before("links"), expected.len());
    assert_eq!(errors_before("links-tag"), expected.len());
    let (code, stdout) = quiet(&["check", "--base", "links"]);
    assert_eq!(code, 0, "{stdout}");
    // Packed, the same.
    repo.git(&["gc", "--quiet"]);
    let before_packed = snapshot(repo.path());
    let output = marketgen()
        .current_dir(repo.path())
        .args(["diff", "links", "--format", "json"])
        .output()
        .unwrap();
    let diff: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(diff["errors_before"], expected.len());
    assert_eq!(snapshot(repo.path()), before_packed);
    // The next git command the user runs runs nothing of the revision's.
    repo.git(&["status", "--short"]);
    assert!(!marker.exists(), "the revision's fsmonitor ran");
}

/// Runs `marketgen args` in `dir`: its exit code, its output and its peak memory in bytes.
fn peak_memory(dir: &Path, args: &[&str]) -> (i32, String, u64) {
    let run = crate::support::measured(
        Command::new(env!("CARGO_BIN_EXE_marketgen"))
            .env("SOURCE_DATE_EPOCH", crate::support::TODAY)
            .current_dir(dir)
            .args(args),
    );
    (run.code, run.stdout, run.peak_kib * 1024)
}

/// Point 2: a blob larger than its cap (a docs page and an image of 256 MiB of zeros, which
/// git stores in a few hundred KiB) is a `file-too-large` error found from the object's
/// header: marketgen's memory stays far below the blob's size, loose or packed.
#[test]
fn a_large_blob_in_a_revision_is_refused_by_its_header_without_reading_it() {
    const BIG: usize = 256 << 20;
    let repo = Repo::with_site("site");
    let big = repo.zeros(BIG);
    let tree = repo.git(&["rev-parse", "HEAD^{tree}"]).trim().to_string();
    let folder = ["site", "content", "connectors", "acme-orders"];
    let tree = repo.tree_with(&tree, &folder, &[entry("100644", "blob", &big, "big.png")]);
    let docs = [folder.as_slice(), &["docs"]].concat();
    let tree = repo.tree_with(&tree, &docs, &[entry("100644", "blob", &big, "big.md")]);
    repo.commit_tree(&tree, "big");

    // The same files in a folder (sparse: nothing is written): what the revision must report.
    let same = tempfile::tempdir().unwrap();
    copy_tree(&fixture("valid"), same.path());
    let acme = same.path().join("content/connectors/acme-orders");
    for file in ["big.png", "docs/big.md"] {
        std::fs::File::create(acme.join(file))
            .unwrap()
            .set_len(BIG as u64)
            .unwrap();
    }
    let expected = folder_errors(same.path());
    assert_eq!(
        expected,
        [
            (
                "file-too-large".to_string(),
                "content/connectors/acme-orders/big.png".to_string()
            ),
            (
                "file-too-large".to_string(),
                "content/connectors/acme-orders/docs/big.md".to_string()
            )
        ]
    );

    let measure = |what: &str| {
        let (code, stdout, peak) = peak_memory(
            repo.path(),
            &["diff", "big", "--format", "json", "--root", "site"],
        );
        assert_eq!(code, 0, "{stdout}");
        let diff: Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(diff["errors_before"], expected.len(), "{what}");
        assert!(
            peak < BIG as u64 * 3 / 8,
            "{what}: diff held {} MiB for a {} MiB blob",
            peak >> 20,
            BIG >> 20
        );
        let (code, _, peak) =
            peak_memory(repo.path(), &["check", "--root", "site", "--base", "big"]);
        assert_eq!(code, 0, "{what}");
        assert!(
            peak < BIG as u64 * 3 / 8,
            "{what}: check held {} MiB",
            peak >> 20
        );
    };
    measure("loose");
    repo.git(&["gc", "--quiet"]);
    measure("packed");
}

/// Point 2, a variant: a revision whose folders nest under names of a MiB each, or whose
/// paths near the longest a checkout can make are many (git stores either in a few KiB), is
/// refused before it is listed: listed, each entry holds its whole path, so memory grew
/// with the square of the depth.
#[test]
fn a_revision_of_paths_past_any_checkout_is_refused_before_it_is_listed() {
    let repo = Repo::with_site("site");
    let page = repo.blob(b"# Deep\n");
    let mktree = |lines: &[String]| {
        let input: String = lines.iter().map(|l| format!("{l}\n")).collect();
        crate::support::git_with_input(repo.path(), &["mktree"], Some(input.as_bytes()))
            .trim()
            .to_string()
    };
    // Names of `len` bytes, `depth` folders deep, above a folder of `width` pages.
    let nested = |len: usize, depth: usize, width: usize| {
        let pages: Vec<String> = (0..width)
            .map(|i| entry("100644", "blob", &page, &format!("{i}.md")))
            .collect();
        let mut tree = mktree(&pages);
        for _ in 0..depth {
            tree = mktree(&[entry("040000", "tree", &tree, &"n".repeat(len))]);
        }
        tree
    };
    let base = repo.git(&["rev-parse", "HEAD^{tree}"]).trim().to_string();
    let docs = ["site", "content", "connectors", "acme-orders", "docs"];
    for (branch, deep, refusal) in [
        (
            "deep",
            nested(1 << 20, 24, 1),
            "a path longer than 4096 bytes, which no checkout can make",
        ),
        (
            "wide",
            nested(200, 19, 20_000),
            "paths of more than 64 MiB between them",
        ),
    ] {
        let tree = repo.tree_with(&base, &docs, &[entry("040000", "tree", &deep, "deep")]);
        repo.commit_tree(&tree, branch);
        for args in [
            &["diff", branch, "--root", "site"][..],
            &["check", "--root", "site", "--base", branch],
        ] {
            let (code, _, stderr) = run_in(repo.path(), args);
            assert_eq!(code, 2, "{args:?}: {stderr}");
            assert!(stderr.contains(refusal), "{args:?}: {stderr}");
            let (_, _, peak) = peak_memory(repo.path(), args);
            assert!(peak < 200 << 20, "{args:?}: held {} MiB", peak >> 20);
        }
    }
}

/// A variant: a commit that deletes thousands of folders beside the one a waiting record
/// was renamed to made `report` compare the record with every deleted one (87 seconds per
/// waiting record for 3,000 folders). Past 100 deleted folders, as past git's rename limit,
/// only an unchanged record is followed: this one, renamed and edited in such a commit, has
/// waited since that commit.
#[test]
fn report_compares_a_renamed_record_with_a_bounded_number_of_deleted_folders() {
    let repo = Repo::new();
    let site = repo.path().join("site");
    copy_tree(&fixture("valid"), &site);
    let connectors = site.join("content/connectors");
    let record = std::fs::read_to_string(connectors.join("reviewing/connector.yaml")).unwrap();
    for i in 0..150 {
        let folder = connectors.join(format!("gone-{i}"));
        std::fs::create_dir(&folder).unwrap();
        let text = record.replace("waiting for review.", &format!("waiting, copy {i}."));
        std::fs::write(folder.join("connector.yaml"), text).unwrap();
    }
    repo.commit_on("the site", "2026-10-01");
    for i in 0..150 {
        std::fs::remove_dir_all(connectors.join(format!("gone-{i}"))).unwrap();
    }
    std::fs::rename(connectors.join("reviewing"), connectors.join("renamed")).unwrap();
    let path = connectors.join("renamed/connector.yaml");
    std::fs::write(
        &path,
        record.replace("name: Reviewing Connector", "name: Renamed Connector"),
    )
    .unwrap();
    repo.commit_on("a new slug, and a clean-up", "2026-11-01");

    let (code, stdout, stderr) = run_in(
        repo.path(),
        &["report", "--format", "json", "--root", "site"],
    );
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["waiting"][0]["slug"], "renamed", "{report}");
    assert_eq!(report["waiting"][0]["since"], "2026-11-01", "{report}");
}

/// Point 1, a variant: a pull request that turns the site's folder into a link to another
/// folder of the repository (here a demo site whose site.yaml allows HTML) was compared with
/// that folder's past and judged by its site.yaml: `check --base` passed and `diff` said
/// "no change", while a build of `site` would publish the other folder. A link between the
/// site and its repository's root is an error, whether named by `--root` or changed into.
#[test]
fn a_site_folder_turned_into_a_link_is_refused_before_its_history_is_read() {
    let repo = Repo::with_site("site");
    copy_tree(&fixture("valid"), &repo.path().join("demo"));
    let demo_yaml = repo.path().join("demo/site.yaml");
    let text = std::fs::read_to_string(&demo_yaml).unwrap();
    std::fs::write(
        &demo_yaml,
        text.replace("raw_html: escape", "raw_html: sanitize"),
    )
    .unwrap();
    repo.commit("a demo site");
    std::fs::remove_dir_all(repo.path().join("site")).unwrap();
    std::os::unix::fs::symlink("demo", repo.path().join("site")).unwrap();

    let refusal = "site is a symbolic link inside the site's repository";
    for args in [
        &["check", "--root", "site", "--base", "main"][..],
        &["diff", "main", "--root", "site"],
    ] {
        let (code, stdout, stderr) = run_in(repo.path(), args);
        assert_eq!(code, 2, "{args:?}: {stdout}{stderr}");
        assert!(stderr.contains(refusal), "{args:?}: {stderr}");
    }
    // Changed into through the link, as a shell does: `PWD` names the link.
    let inside = marketgen()
        .current_dir(repo.path().join("site"))
        .env("PWD", repo.path().join("site"))
        .args(["diff", "main"])
        .output()
        .unwrap();
    assert_eq!(inside.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&inside.stderr).contains(refusal));
    // The folder itself is read as before.
    let (code, stdout, stderr) = run_in(repo.path(), &["diff", "main", "--root", "demo"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
}

/// `report`'s wait, now one walk of the history for every record: a record's status change
/// is found past a later edit of another line and a rename of its folder, each record at
/// its own commit.
#[test]
fn report_finds_each_status_change_past_edits_and_a_renamed_folder() {
    let repo = Repo::new();
    let site = repo.path().join("site");
    copy_tree(&fixture("valid"), &site);
    let connectors = site.join("content/connectors");
    copy_tree(&connectors.join("reviewing"), &connectors.join("second"));
    let edit = |slug: &str, from: &str, to: &str| {
        let path = connectors.join(slug).join("connector.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{from}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    edit(
        "second",
        "name: Reviewing Connector",
        "name: Second Connector",
    );
    repo.commit_on("the site", "2026-10-01");
    edit("reviewing", "status: in-review", "status: submitted");
    repo.commit_on("reviewing submitted again", "2026-10-10");
    edit("second", "status: in-review", "status: submitted");
    repo.commit_on("second submitted again", "2026-10-20");
    repo.git(&[
        "mv",
        "site/content/connectors/reviewing",
        "site/content/connectors/renamed",
    ]);
    repo.commit_on("a new slug", "2026-11-01");
    edit(
        "renamed",
        "name: Reviewing Connector",
        "name: Renamed Connector",
    );
    edit("second", "name: Second Connector", "name: Second One");
    repo.commit_on("new names", "2026-11-05");

    let (code, stdout, stderr) = run_in(
        repo.path(),
        &["report", "--format", "json", "--root", "site"],
    );
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let since: Vec<(&str, &str)> = report["waiting"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["slug"].as_str().unwrap(), w["since"].as_str().unwrap()))
        .collect();
    assert_eq!(since, [("renamed", "2026-10-10"), ("second", "2026-10-20")]);

    // A shallow clone (as CI makes them) knows only its newest commit: git's answer too.
    let shallow = tempfile::tempdir().unwrap();
    let from = format!("file://{}", repo.path().display());
    let into = shallow.path().to_str().unwrap();
    crate::support::git_with_input(
        repo.path(),
        &["clone", "--quiet", "--depth", "1", &from, into],
        None,
    );
    let (code, stdout, stderr) = run_in(
        shallow.path(),
        &["report", "--format", "json", "--root", "site"],
    );
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["waiting"][0]["since"], "2026-11-05", "{report}");
    assert_eq!(report["waiting"][1]["since"], "2026-11-05", "{report}");
}
