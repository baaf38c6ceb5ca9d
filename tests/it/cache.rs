//! The build cache: a build from it is the build without it, byte for byte, after any sequence
//! of edits; `check` reports the same from a warm cache as from a cold one; an entry that is
//! truncated, corrupt or another build's is a miss; two builds at once share one cache; the
//! cache stays within its size.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use proptest::prelude::*;

use crate::support::{marketgen, repo};

/// A few of the sample site's connectors: a replacement pair (zendesk-classic names zendesk),
/// two that share tags (related connectors) and one with screenshots.
const CONNECTORS: &[&str] = &["zendesk", "zendesk-classic", "stripe", "shopify", "hubspot"];

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().map(Result::unwrap) {
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A small site made of the sample site's settings and a few of its connectors.
fn small_site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    std::fs::create_dir_all(root.join("content/connectors")).unwrap();
    let settings = std::fs::read_to_string(repo().join("site.yaml")).unwrap();
    let settings = settings.replace(
        "featured: [shopify, netsuite, stripe]",
        "featured: [shopify, stripe]",
    );
    std::fs::write(root.join("site.yaml"), settings).unwrap();
    for name in CONNECTORS {
        copy_dir(
            &repo().join("content/connectors").join(name),
            &root.join("content/connectors").join(name),
        );
    }
    (dir, root)
}

/// Every file under `dir`, by relative path, with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            (
                rel.to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// A one-colour PNG logo of `side` pixels: made into 96 and 192 px copies.
fn png(side: u32, shade: u8) -> Vec<u8> {
    let image = image::RgbaImage::from_pixel(side, side, image::Rgba([shade, 40, 200, 255]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    image.write_to(&mut bytes, image::ImageFormat::Png).unwrap();
    bytes.into_inner()
}

/// An edit a pull request could make.
#[derive(Debug, Clone)]
enum Edit {
    /// A record's summary, seen on its card in other connectors' pages too.
    Summary(usize, u8),
    /// A record's tags, which decide the related connectors of others.
    Tags(usize, u8),
    /// A docs page gains a paragraph, a code block (highlighted) or a link to a fragment no
    /// heading has (a per-connector diagnostic).
    Doc(usize, u8),
    /// A new docs page, or the last one removed.
    AddDoc(usize, u8),
    RemoveDoc(usize),
    /// The logo replaced by a PNG (copies made) or its SVG redrawn.
    Logo(usize, u8),
    /// site.yaml's title, shown on every page.
    SiteTitle(u8),
    /// A template override in the site's `templates/`.
    Template(u8),
    /// A connector folder renamed, or deleted.
    Rename(usize, u8),
    Delete(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let at = 0..CONNECTORS.len();
    prop_oneof![
        (at.clone(), any::<u8>()).prop_map(|(c, n)| Edit::Summary(c, n)),
        (at.clone(), any::<u8>()).prop_map(|(c, n)| Edit::Tags(c, n)),
        (at.clone(), any::<u8>()).prop_map(|(c, n)| Edit::Doc(c, n)),
        (at.clone(), any::<u8>()).prop_map(|(c, n)| Edit::AddDoc(c, n)),
        at.clone().prop_map(Edit::RemoveDoc),
        (at.clone(), any::<u8>()).prop_map(|(c, n)| Edit::Logo(c, n)),
        any::<u8>().prop_map(Edit::SiteTitle),
        any::<u8>().prop_map(Edit::Template),
        (at.clone(), any::<u8>()).prop_map(|(c, n)| Edit::Rename(c, n)),
        at.prop_map(Edit::Delete),
    ]
}

/// The connector folders of the site now, sorted: edits name them by position.
fn folders(root: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(root.join("content/connectors"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    found.sort();
    found
}

fn replace_line(path: &Path, key: &str, line: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let edited: Vec<String> = text
        .lines()
        .map(|l| match l.starts_with(key) {
            true => line.to_string(),
            false => l.to_string(),
        })
        .collect();
    std::fs::write(path, edited.join("\n") + "\n").unwrap();
}

fn apply(root: &Path, edit: &Edit) {
    let folders = folders(root);
    let folder = |i: usize| folders.get(i % folders.len().max(1)).cloned();
    match *edit {
        Edit::Summary(i, n) => {
            if let Some(dir) = folder(i) {
                let line = format!("summary: Moves orders and refunds, edit {n}.");
                replace_line(&dir.join("connector.yaml"), "summary:", &line);
            }
        }
        Edit::Tags(i, n) => {
            if let Some(dir) = folder(i) {
                let tags = ["tickets", "payments", "refunds", "orders", "customers"];
                let line = format!(
                    "tags: [{}, {}]",
                    tags[n as usize % 5],
                    tags[n as usize / 5 % 5]
                );
                replace_line(&dir.join("connector.yaml"), "tags:", &line);
            }
        }
        Edit::Doc(i, n) => {
            let Some(dir) = folder(i) else { return };
            let Some(page) = std::fs::read_dir(dir.join("docs"))
                .ok()
                .and_then(|mut d| d.next())
            else {
                return;
            };
            let addition = match n % 3 {
                0 => format!("\nA paragraph added by edit {n}.\n"),
                1 => format!("\n```rust\nfn edit() -> u32 {{ {n} }}\n```\n"),
                _ => format!("\nSee [the missing part](#nowhere-{n}).\n"),
            };
            let path = page.unwrap().path();
            let mut text = std::fs::read_to_string(&path).unwrap();
            text.push_str(&addition);
            std::fs::write(path, text).unwrap();
        }
        Edit::AddDoc(i, n) => {
            if let Some(dir) = folder(i) {
                std::fs::create_dir_all(dir.join("docs")).unwrap();
                let page = format!("---\ntitle: Extra {n}\n---\n\nAn extra page, {n}.\n");
                std::fs::write(dir.join(format!("docs/extra-{n}.md")), page).unwrap();
            }
        }
        Edit::RemoveDoc(i) => {
            let Some(dir) = folder(i) else { return };
            let mut pages: Vec<PathBuf> = std::fs::read_dir(dir.join("docs"))
                .map(|d| d.map(|e| e.unwrap().path()).collect())
                .unwrap_or_default();
            pages.sort();
            if pages.len() > 1 {
                std::fs::remove_file(pages.last().unwrap()).unwrap();
            }
        }
        Edit::Logo(i, n) => {
            let Some(dir) = folder(i) else { return };
            if n % 2 == 0 {
                std::fs::write(dir.join("logo.png"), png(200 + u32::from(n % 7), n)).unwrap();
                replace_line(&dir.join("connector.yaml"), "logo:", "logo: logo.png");
            } else {
                let svg = format!(
                    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><rect width=\"10\" height=\"10\" fill=\"#{n:02x}4080\"/></svg>\n"
                );
                std::fs::write(dir.join("logo.svg"), svg).unwrap();
                replace_line(&dir.join("connector.yaml"), "logo:", "logo: logo.svg");
            }
        }
        Edit::SiteTitle(n) => {
            replace_line(
                &root.join("site.yaml"),
                "title:",
                &format!("title: Marketplace {n}"),
            );
        }
        Edit::Template(n) => {
            let theme = repo().join("themes/default/templates/connector.html");
            let text = std::fs::read_to_string(theme).unwrap().replacen(
                "{% block head %}",
                &format!("{{% block head %}}<meta name=\"edit\" content=\"{n}\">"),
                1,
            );
            std::fs::create_dir_all(root.join("templates")).unwrap();
            std::fs::write(root.join("templates/connector.html"), text).unwrap();
        }
        Edit::Rename(i, n) => {
            if let Some(dir) = folder(i) {
                let to = dir.with_file_name(format!("renamed-{n}"));
                if !to.exists() {
                    std::fs::rename(dir, to).unwrap();
                }
            }
        }
        Edit::Delete(i) => {
            if let Some(dir) = folder(i).filter(|_| folders.len() > 1) {
                std::fs::remove_dir_all(dir).unwrap();
            }
        }
    }
}

const TODAY: i64 = 20_430;

fn options(root: &Path, cache: Option<&Path>) -> marketgen::CheckOptions {
    marketgen::CheckOptions {
        cache: cache.map(|dir| marketgen::CacheOptions {
            dir: dir.to_path_buf(),
            max_bytes: 1 << 30,
        }),
        ..marketgen::CheckOptions::site(root.to_path_buf(), TODAY)
    }
}

/// Builds in process (as `build` does) into `out`: the files written, or `None` when the
/// content failed; and the diagnostics, as JSON.
fn build(root: &Path, out: &Path, cache: Option<&Path>) -> Built {
    let options = marketgen::BuildOptions {
        check: options(root, cache),
        output: out.to_path_buf(),
        strict: false,
        force: false,
        progress: false,
    };
    let (report, built) = marketgen::build(&options).unwrap();
    let diagnostics = serde_json::to_string(&report.diagnostics).unwrap();
    (built.map(|_| tree(out)), diagnostics)
}

type Built = (Option<BTreeMap<String, Vec<u8>>>, String);

/// Where two builds differ: the files one has and the other lacks or has otherwise, and
/// whether their diagnostics differ; empty when they are the same.
fn differences(cached: &Built, clean: &Built) -> Vec<String> {
    let mut found = Vec::new();
    match (&cached.0, &clean.0) {
        (Some(a), Some(b)) => {
            let paths: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            found.extend(
                paths
                    .into_iter()
                    .filter(|p| a.get(*p) != b.get(*p))
                    .map(|p| format!("file {p}")),
            );
        }
        (None, None) => {}
        (a, b) => found.push(format!(
            "written: cached {}, clean {}",
            a.is_some(),
            b.is_some()
        )),
    }
    if cached.1 != clean.1 {
        found.push(format!(
            "diagnostics: cached {}, clean {}",
            cached.1, clean.1
        ));
    }
    found
}

fn check(root: &Path, cache: Option<&Path>) -> String {
    let report = marketgen::check(&options(root, cache)).unwrap();
    serde_json::to_string(&report.diagnostics).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    /// After every edit of a random sequence, the build from the cache (warm with every
    /// earlier state's entries) writes exactly what a build without it writes and reports the
    /// same, and so does `check`.
    #[test]
    fn a_cached_build_is_the_clean_build_after_any_edits(edits in prop::collection::vec(edit(), 1..5)) {
        let (dir, root) = small_site();
        let cache = dir.path().join("cache");
        let out = |name: &str| dir.path().join(name);
        // Cold, then warm on the unedited site.
        let clean = build(&root, &out("clean"), None);
        prop_assert!(clean.0.is_some(), "the unedited site builds: {}", clean.1);
        for _ in 0..2 {
            let cached = build(&root, &out("cached"), Some(&cache));
            prop_assert_eq!(differences(&cached, &clean), Vec::<String>::new());
        }
        prop_assert_eq!(check(&root, Some(&cache)), check(&root, None));
        prop_assert_eq!(check(&root, Some(&cache)), check(&root, None));
        for edit in &edits {
            apply(&root, edit);
            let clean = build(&root, &out("clean"), None);
            let cached = build(&root, &out("cached"), Some(&cache));
            prop_assert_eq!(differences(&cached, &clean), Vec::<String>::new(), "after {:?}", edit);
            let cold = check(&root, None);
            prop_assert_eq!(&check(&root, Some(&cache)), &cold, "check after {:?}", edit);
            prop_assert_eq!(&check(&root, Some(&cache)), &cold, "warm check after {:?}", edit);
        }
    }
}

/// The entry files in a cache folder.
fn entries(cache: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(cache.join("v1"))
        .min_depth(2)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file() && !e.path().starts_with(cache.join("v1/tmp")))
        .map(|e| e.into_path())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

fn build_cli(root: &Path, out: &Path, cache: &Path) -> assert_cmd::assert::Assert {
    marketgen()
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .arg("--cache-dir")
        .arg(cache)
        .assert()
}

#[test]
fn truncated_corrupt_and_foreign_entries_are_rebuilt_not_trusted() {
    let (dir, root) = small_site();
    let cache = dir.path().join("cache");
    let clean = dir.path().join("clean");
    marketgen()
        .args(["build", "--no-cache", "--root"])
        .arg(&root)
        .arg("--output")
        .arg(&clean)
        .assert()
        .success();
    build_cli(&root, &dir.path().join("cold"), &cache).success();
    let stored = entries(&cache);
    assert_eq!(stored.len(), CONNECTORS.len(), "{stored:?}");
    // One entry cut short, one with a byte changed in its body, one another build's (its
    // header names another build), one swapped for another connector's entry under its name,
    // one replaced by a page content could have written.
    let bytes: Vec<Vec<u8>> = stored.iter().map(|p| std::fs::read(p).unwrap()).collect();
    std::fs::write(&stored[0], &bytes[0][..bytes[0].len() / 2]).unwrap();
    let mut flipped = bytes[1].clone();
    let last = flipped.len() - 10;
    flipped[last] ^= 1;
    std::fs::write(&stored[1], flipped).unwrap();
    let mut foreign = bytes[2].clone();
    foreign[16] ^= 0xff;
    std::fs::write(&stored[2], foreign).unwrap();
    std::fs::write(&stored[3], &bytes[0]).unwrap();
    std::fs::write(&stored[4], b"<script>alert(1)</script>").unwrap();
    let warm = dir.path().join("warm");
    build_cli(&root, &warm, &cache).success();
    assert_eq!(tree(&warm), tree(&clean));
    // Each bad entry was rebuilt and stored whole again.
    for (path, before) in stored.iter().zip(&bytes) {
        assert_eq!(&std::fs::read(path).unwrap(), before, "{}", path.display());
    }
}

#[test]
fn two_builds_at_once_share_one_cache() {
    let (dir, root) = small_site();
    let cache = dir.path().join("cache");
    let clean = dir.path().join("clean");
    marketgen()
        .args(["build", "--no-cache", "--root"])
        .arg(&root)
        .arg("--output")
        .arg(&clean)
        .assert()
        .success();
    for round in 0..2 {
        let outs: Vec<PathBuf> = (0..3)
            .map(|i| dir.path().join(format!("out-{round}-{i}")))
            .collect();
        let children: Vec<std::process::Child> = outs
            .iter()
            .map(|out| {
                std::process::Command::new(assert_cmd::cargo::cargo_bin("marketgen"))
                    .env("SOURCE_DATE_EPOCH", crate::support::TODAY)
                    .args(["build", "--root"])
                    .arg(&root)
                    .arg("--output")
                    .arg(out)
                    .arg("--cache-dir")
                    .arg(&cache)
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for mut child in children {
            assert!(child.wait().unwrap().success());
        }
        for out in &outs {
            assert_eq!(tree(out), tree(&clean), "{}", out.display());
        }
    }
    assert_eq!(entries(&cache).len(), CONNECTORS.len());
}

#[test]
fn the_cache_is_pruned_to_its_size_least_recently_used_first() {
    let (dir, root) = small_site();
    let cache = dir.path().join("cache");
    build_cli(&root, &dir.path().join("a"), &cache).success();
    let one_build: u64 = entries(&cache)
        .iter()
        .map(|p| std::fs::metadata(p).unwrap().len())
        .sum();
    // Every connector's page changes with the site's title: a second set of entries.
    replace_line(&root.join("site.yaml"), "title:", "title: Another title");
    let max_mib = one_build.div_ceil(1 << 20);
    marketgen()
        .args(["build", "--root"])
        .arg(&root)
        .arg("--output")
        .arg(dir.path().join("b"))
        .arg("--cache-dir")
        .arg(&cache)
        .args(["--cache-max-mib", &max_mib.to_string()])
        .assert()
        .success();
    let kept: u64 = entries(&cache)
        .iter()
        .map(|p| std::fs::metadata(p).unwrap().len())
        .sum();
    assert!(kept <= max_mib << 20, "{kept} bytes kept");
    // The newest build's entries are the ones kept: a third build with the same title stores
    // nothing new.
    let before = entries(&cache);
    build_cli(&root, &dir.path().join("c"), &cache).success();
    assert_eq!(entries(&cache), before);
}

#[test]
fn the_cache_folder_is_refused_inside_the_content_or_the_output() {
    let (dir, root) = small_site();
    for (cache, why) in [
        (root.join("content/cache"), "content/ folder"),
        (dir.path().join("out/cache"), "overlap"),
        (root.clone(), "holds the site"),
    ] {
        let output = build_cli(&root, &dir.path().join("out"), &cache)
            .failure()
            .get_output()
            .stderr
            .clone();
        let stderr = String::from_utf8(output).unwrap();
        assert!(stderr.contains(why), "{stderr}");
    }
}

#[test]
fn the_default_cache_is_beside_the_site_and_ignored_by_git() {
    let (dir, root) = small_site();
    marketgen()
        .args(["build", "--root"])
        .arg(&root)
        .arg("--output")
        .arg(dir.path().join("out"))
        .assert()
        .success();
    let cache = root.join(".marketgen-cache");
    assert_eq!(entries(&cache).len(), CONNECTORS.len());
    let ignore = std::fs::read_to_string(cache.join(".gitignore")).unwrap();
    assert!(ignore.lines().any(|l| l == "*"), "{ignore}");
    // --no-cache neither reads nor writes it.
    std::fs::remove_dir_all(&cache).unwrap();
    marketgen()
        .args(["build", "--no-cache", "--root"])
        .arg(&root)
        .arg("--output")
        .arg(dir.path().join("out"))
        .assert()
        .success();
    assert!(!cache.exists());
}
