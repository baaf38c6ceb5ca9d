//! Helpers shared by the integration tests: running the binary and reading what it wrote.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use scraper::{Html, Selector};

/// 2026-11-26, so that stale-review warnings do not depend on the day the tests run.
pub const TODAY: &str = "1795651200";

/// Script elements that run: all but JSON data blocks (browsers never run them, and CSP does
/// not apply to them) and the theme's own script file.
pub const RUNNING_SCRIPT: &str = "script:not([type='application/ld+json'], [type='application/json'], [src='/marketgen.js']:empty)";

/// The JSON data blocks of a page: schema.org data and the compare page's facts.
pub const DATA_BLOCK: &str = "script[type='application/ld+json'], script[type='application/json']";

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

pub fn marketgen() -> Command {
    let mut cmd = Command::cargo_bin("marketgen").expect("the binary is built");
    cmd.env("SOURCE_DATE_EPOCH", TODAY).env_remove("NO_COLOR");
    cmd
}

/// Builds the site at `root` into a new temporary folder; returns the folder and the output.
pub fn build(root: &Path, extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    marketgen()
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--output")
        .arg(&out)
        .args(extra)
        .assert()
        .success();
    (dir, out)
}

/// Runs `marketgen check` (plain colours) on the site at `root`: its report and exit code.
pub fn check_output(root: &Path, args: &[&str]) -> (String, i32) {
    let output = marketgen()
        .arg("check")
        .arg("--root")
        .arg(root)
        .args(["--color", "never"])
        .args(args)
        .output()
        .unwrap();
    let code = output.status.code().unwrap();
    (String::from_utf8(output.stdout).unwrap(), code)
}

/// The standard output of `marketgen ARGS…`, which must succeed (its stderr is the message
/// when it does not).
pub fn success_of(args: &[&std::ffi::OsStr]) -> String {
    let output = marketgen().args(args).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Every file under `dir` with its bytes: compared before and after, proof that a command
/// wrote nothing there.
pub fn snapshot(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect()
}

/// A site made by `marketgen new site`, in a temporary folder: (the folder, the site).
pub fn new_site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("market");
    marketgen()
        .args(["new", "site"])
        .arg(&site)
        .assert()
        .success();
    (dir, site)
}

/// The parsed JSON of the first data block `selector` finds in `page`.
pub fn data_block(page: &Html, selector: &str) -> serde_json::Value {
    let text = select(page, selector)[0].inner_html();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{selector}: {e}: {text}"))
}

/// `marketgen new connector acme-crm` in a new folder, outside any site: what a connector
/// developer starts from. Returns the folder it ran in.
pub fn new_lone_connector() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    marketgen()
        .current_dir(dir.path())
        .args(["new", "connector", "acme-crm"])
        .assert()
        .success();
    dir
}

/// Runs `build` for the site at `root` into `out`, which may hold an earlier build.
pub fn build_into(root: &Path, out: &Path) -> assert_cmd::assert::Assert {
    marketgen()
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .assert()
}

/// Every file under `dir`, relative to it with `/`, sorted.
pub fn files(dir: &Path) -> Vec<String> {
    let mut found: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            rel.components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect();
    found.sort();
    found
}

pub fn html(out: &Path, page: &str) -> Html {
    let path = out.join(page);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Html::parse_document(&text)
}

pub fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector = Selector::parse(css).unwrap();
    doc.select(&selector).collect()
}

pub fn text_of(doc: &Html, css: &str) -> String {
    select(doc, css)
        .iter()
        .map(|e| e.text().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `href` and `src` values of every element of a page.
pub fn references(doc: &Html) -> Vec<String> {
    select(doc, "[href], [src]")
        .iter()
        .flat_map(|e| [e.value().attr("href"), e.value().attr("src")])
        .flatten()
        .map(str::to_string)
        .collect()
}

/// A child process's exit code, its output and the most resident memory it held, in KiB.
pub struct Measured {
    pub code: i32,
    pub stdout: String,
    pub peak_kib: u64,
}

/// Runs `command` to its end, measuring its peak resident memory as the child's own high-water
/// mark (`VmHWM`), read from /proc while it runs. Not `wait4`'s `ru_maxrss`: a child spawned
/// from this process carries this process's high-water mark (and so the other tests') from
/// before its exec into that figure. The mark only grows, so a read can understate the peak
/// only by what the child took in its last two milliseconds.
pub fn measured(command: &mut std::process::Command) -> Measured {
    use std::process::Stdio;
    let stdout = tempfile::NamedTempFile::new().unwrap();
    // `spawn` returns once the child has exec'd, so every read below is of the child's own memory.
    let mut child = command
        .stdin(Stdio::null())
        .stdout(stdout.reopen().unwrap())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let status = format!("/proc/{}/status", child.id());
    let started = std::time::Instant::now();
    let mut peak_kib = 0;
    let code = loop {
        let high_water = std::fs::read_to_string(&status).ok().and_then(|text| {
            let line = text.lines().find(|l| l.starts_with("VmHWM:"))?;
            line.split_whitespace().nth(1)?.parse::<u64>().ok()
        });
        peak_kib = peak_kib.max(high_water.unwrap_or_default());
        if let Some(exit) = child.try_wait().unwrap() {
            break exit
                .code()
                .expect("the child exited rather than being killed");
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(300),
            "the child ran for five minutes: {command:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(2));
    };
    Measured {
        code,
        stdout: std::fs::read_to_string(stdout.path()).unwrap(),
        peak_kib,
    }
}

/// Runs git in `dir` as a test's author, `input` on its standard input: what it printed. Fails
/// the test, with git's message, when git fails.
pub fn git_with_input(dir: &Path, args: &[&str], input: Option<&[u8]>) -> String {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = std::process::Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@test.example"])
        .args(["-c", "commit.gpgsign=false", "-c", "core.fsmonitor=false"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.unwrap_or_default().to_vec();
    // Written from another thread: git answers as it reads, and a full pipe would stall both.
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// [`git_with_input`] with nothing to read.
pub fn git(dir: &Path, args: &[&str]) -> String {
    git_with_input(dir, args, None)
}
