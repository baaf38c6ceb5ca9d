//! Issue 21, point 3: the pull request sets the rules it is judged by. Under `check --base REV`
//! and `diff REV` the working tree's content is judged by the revision's site.yaml (limits,
//! HTML mode, image hosts, badges), and every change to site.yaml is a diagnostic naming the
//! key and both values: an error when it lets content do more, unless the team passes
//! `--allow-policy-change`. Each test makes a real git repository (`diff::Repo`) whose `main`
//! is the base and whose working tree is the pull request.

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

use crate::diff::Repo;
use crate::support::{TODAY, marketgen};

impl Repo {
    /// Replaces `from` by `to` in the working tree's file at `rel` under the site.
    fn replace(&self, rel: &str, from: &str, to: &str) {
        let path = self.site().join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{from} not in {}", path.display());
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }

    /// `marketgen check --base main` on the working tree: the report and the exit code.
    fn check_base(&self, args: &[&str]) -> (String, i32) {
        let output = marketgen()
            .args(["check", "--color", "never", "--base", "main", "--root"])
            .arg(self.site())
            .args(args)
            .output()
            .unwrap();
        let report = String::from_utf8(output.stdout).unwrap();
        let code = output.status.code().unwrap();
        assert!(
            code != 2,
            "{report}{}",
            String::from_utf8_lossy(&output.stderr)
        );
        (report, code)
    }
}

/// The first line of each diagnostic of `code` in a report.
fn headlines<'a>(report: &'a str, code: &str) -> Vec<&'a str> {
    report
        .lines()
        .filter(|l| l.contains(&format!("[{code}]: ")))
        .collect()
}

#[test]
fn raised_image_limits_are_an_error_and_a_huge_logo_is_judged_by_the_base_limits_undecoded() {
    let repo = Repo::new();
    repo.replace(
        "site.yaml",
        "review:\n",
        "limits:\n  image_px: 12000\n  image_megapixels: 150\n  image_kib: 4096\nreview:\n",
    );
    let (report, code) = repo.check_base(&[]);
    assert_eq!(code, 1, "{report}");
    assert!(
        report.contains(
            "error[policy-widened]: site.yaml changes `limits.image_px` from `10000 (default)` to `12000` since `main`\n  --> site.yaml:21:3\n"
        ),
        "{report}"
    );
    let widened = headlines(&report, "policy-widened");
    for key in ["image_px", "image_megapixels", "image_kib"] {
        assert!(
            widened
                .iter()
                .any(|l| l.contains(&format!("`limits.{key}`"))),
            "{key}: {report}"
        );
    }
    assert!(report.contains("--allow-policy-change"), "{report}");

    // The team reviewed it: a warning, and the working tree's limits apply.
    let (allowed, code) = repo.check_base(&["--allow-policy-change"]);
    assert_eq!(code, 0, "{allowed}");
    assert!(
        allowed.contains(
            "warning[policy-widened]: site.yaml changes `limits.image_px` from `10000 (default)` to `12000` since `main`"
        ),
        "{allowed}"
    );
    assert_eq!(repo.check_base(&["--allow-policy-change", "--strict"]).1, 1);

    // A 12000×12000 16-bit logo: 288 MB once decoded, 0.3 MB as a file.
    let logo = repo.site().join("content/connectors/acme-orders/logo.png");
    huge_png(&logo, 12_000);
    let size = std::fs::metadata(&logo).unwrap().len();
    assert!(size < 2048 * 1024, "within the base's image_kib: {size}");
    repo.edit("acme-orders", "logo: logo.svg", "logo: logo.png");
    // A screenshot within the pull request's `image_kib` (4096) and over the base's (2048): it
    // is refused before it is read.
    let screenshot = repo
        .site()
        .join("content/connectors/acme-orders/screenshots/orders.png");
    let mut bytes = std::fs::read(&screenshot).unwrap();
    bytes.resize(3 << 20, 0);
    std::fs::write(&screenshot, bytes).unwrap();
    let (report, code, peak_kib) = check_with_peak_memory(&repo.site(), &["--strict"]);
    assert_eq!(code, 1, "{report}");
    assert!(
        headlines(&report, "policy-widened")
            .iter()
            .any(|l| l.contains("`limits.image_px` from `10000 (default)` to `12000`")),
        "{report}"
    );
    let too_large = headlines(&report, "image-too-large");
    assert_eq!(too_large.len(), 1, "{report}");
    assert!(too_large[0].contains("10000"), "the base's limit: {report}");
    assert!(
        report.contains(
            "error[file-too-large]: the file is 3072 KiB, more than the limit of 2048 KiB\n--> content/connectors/acme-orders/screenshots/orders.png"
        ),
        "{report}"
    );
    assert!(
        report.contains("--> content/connectors/acme-orders/connector.yaml:8:7"),
        "{report}"
    );
    assert!(
        peak_kib > 0 && peak_kib < 150 * 1024,
        "the logo was decoded: {peak_kib} KiB at the peak"
    );
}

/// A PNG of `side`×`side` 16-bit grey pixels, all zero, made in milliseconds: its image data
/// is all zeros (filter byte and pixels alike), so the zlib stream is one compressed run of
/// rows repeated, each run a complete set of deflate blocks that refers to nothing before it.
fn huge_png(path: &Path, side: u32) {
    let row = 1 + side as usize * 2;
    let rows_per_run = 100;
    assert_eq!(side as usize % rows_per_run, 0);
    let run = vec![0u8; row * rows_per_run];
    let mut compress = flate2::Compress::new(flate2::Compression::best(), false);
    let mut block = Vec::with_capacity(run.len() / 100);
    compress
        .compress_vec(&run, &mut block, flate2::FlushCompress::Sync)
        .unwrap();
    assert_eq!(
        compress.total_in(),
        run.len() as u64,
        "one call compresses the run"
    );
    let mut zlib = vec![0x78, 0x01];
    for _ in 0..side as usize / rows_per_run {
        zlib.extend_from_slice(&block);
    }
    // The final block: fixed Huffman codes, holding nothing.
    zlib.extend_from_slice(&[0x03, 0x00]);
    // Adler-32 of zeros: the sum of bytes stays 1, the sum of sums counts them.
    let adler = ((row as u64 * side as u64 % 65_521) << 16) | 1;
    zlib.extend_from_slice(&(adler as u32).to_be_bytes());

    let file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut encoder = png::Encoder::new(file, side, side);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Sixteen);
    let mut writer = encoder.write_header().unwrap();
    writer.write_chunk(png::chunk::IDAT, &zlib).unwrap();
    writer.finish().unwrap();
}

/// `marketgen check --base main --color never ARGS…` on the site at `root`: the report, the
/// exit code, and the most resident memory the process had, in KiB.
fn check_with_peak_memory(root: &Path, args: &[&str]) -> (String, i32, u64) {
    let run = crate::support::measured(
        Command::new(assert_cmd::cargo::cargo_bin("marketgen"))
            .args(["check", "--color", "never", "--base", "main", "--root"])
            .arg(root)
            .args(args)
            .env("SOURCE_DATE_EPOCH", TODAY),
    );
    (run.stdout, run.code, run.peak_kib)
}

#[test]
fn sanitize_mode_set_by_the_pull_request_is_an_error_and_its_html_is_judged_as_escaped() {
    let repo = Repo::new();
    repo.replace(
        "site.yaml",
        "  raw_html: escape\n",
        "  raw_html: sanitize\n",
    );
    repo.replace(
        "content/connectors/acme-orders/docs/setup.md",
        "## Install\n",
        "## Install\n\n<div class=\"note\">Read this first.</div>\n",
    );
    let (report, code) = repo.check_base(&[]);
    assert_eq!(code, 1, "{report}");
    assert!(
        report.contains(
            "error[policy-widened]: site.yaml changes `markdown.raw_html` from `escape` to `sanitize` since `main`\n  --> site.yaml:23:3\n"
        ),
        "{report}"
    );
    let escaped = headlines(&report, "raw-html");
    assert!(
        !escaped.is_empty(),
        "judged by main's escape mode: {report}"
    );
    assert!(
        report.contains("--> content/connectors/acme-orders/docs/setup.md:8:1"),
        "{report}"
    );

    let (allowed, code) = repo.check_base(&["--allow-policy-change"]);
    assert_eq!(code, 0, "{allowed}");
    assert_eq!(headlines(&allowed, "policy-widened").len(), 1, "{allowed}");
    assert!(headlines(&allowed, "raw-html").is_empty(), "{allowed}");
}

#[test]
fn an_image_host_added_by_the_pull_request_is_an_error_and_its_images_stay_refused() {
    let repo = Repo::new();
    repo.replace(
        "site.yaml",
        "  raw_html: escape\n",
        "  raw_html: escape\n  image_hosts: [images.acme.example]\n",
    );
    repo.replace(
        "content/connectors/acme-orders/docs/setup.md",
        "## Install\n",
        "## Install\n\n![Tracking](https://images.acme.example/pixel.png)\n",
    );
    let (report, code) = repo.check_base(&[]);
    assert_eq!(code, 1, "{report}");
    assert!(
        report.contains(
            "error[policy-widened]: site.yaml changes `markdown.image_hosts` from (not set) to `[images.acme.example]` since `main`\n  --> site.yaml:24:3\n"
        ),
        "{report}"
    );
    assert_eq!(headlines(&report, "remote-image").len(), 1, "{report}");

    let (allowed, code) = repo.check_base(&["--allow-policy-change"]);
    assert_eq!(code, 0, "{allowed}");
    assert!(headlines(&allowed, "remote-image").is_empty(), "{allowed}");
}

#[test]
fn a_badge_defined_and_used_in_the_same_pull_request_is_an_error() {
    let repo = Repo::new();
    repo.replace(
        "site.yaml",
        "  - slug: platform-team\n",
        "  - slug: gold\n    name: Gold partner\n  - slug: platform-team\n",
    );
    repo.edit(
        "acme-orders",
        "badges: [certified]",
        "badges: [certified, gold]",
    );
    let (report, code) = repo.check_base(&[]);
    assert_eq!(code, 1, "{report}");
    assert!(
        report.contains(
            "error[policy-widened]: site.yaml changes `badges[gold]` from (not set) to `{slug: gold, name: Gold partner}` since `main`\n  --> site.yaml:18:11\n"
        ),
        "{report}"
    );
    // Judged by main's vocabulary, which has no `gold`.
    assert_eq!(headlines(&report, "unknown-badge").len(), 1, "{report}");

    let (allowed, code) = repo.check_base(&["--allow-policy-change"]);
    assert_eq!(code, 0, "{allowed}");
    assert!(headlines(&allowed, "unknown-badge").is_empty(), "{allowed}");
    assert_eq!(headlines(&allowed, "badge-added").len(), 1, "{allowed}");
}

#[test]
fn diff_reports_a_pull_request_that_only_edits_site_yaml_in_every_format() {
    let repo = Repo::new();
    repo.replace(
        "site.yaml",
        "title: Test Marketplace\n",
        "title: \"[Free](https://evil.example) @team\"\n",
    );
    repo.replace(
        "site.yaml",
        "review:\n",
        "limits:\n  image_px: 12000\nreview:\n",
    );

    let (human, code) = repo.diff("main", "human");
    assert_eq!(code, 1, "a widening change is an error: {human}");
    assert!(!human.contains("no change"), "{human}");
    assert!(
        human.contains(
            "site.yaml:\n    limits.image_px: 10000 (default) → 12000 (lets content do more: policy-widened, the marketplace team reviews this)\n    title: Test Marketplace → [Free](https://evil.example) @team\n"
        ),
        "{human}"
    );

    let (markdown, _) = repo.diff("main", "markdown");
    assert!(!markdown.contains("No change"), "{markdown}");
    assert!(
        markdown.contains("- `title`: `Test Marketplace` → `[Free](https://evil.example) @team`\n"),
        "{markdown}"
    );
    assert!(
        markdown.contains("- `limits.image_px`: `10000 (default)` → `12000` (lets content do more"),
        "{markdown}"
    );

    let (json_text, _) = repo.diff("main", "json");
    let diff: Value = serde_json::from_str(&json_text).unwrap();
    assert_eq!(
        diff["settings"],
        json!([
            {"key": "limits.image_px", "before": "10000 (default)", "after": "12000", "widens": true},
            {"key": "title", "before": "Test Marketplace", "after": "[Free](https://evil.example) @team", "widens": false},
        ])
    );

    let output = marketgen()
        .args([
            "diff",
            "main",
            "--allow-policy-change",
            "--color",
            "never",
            "--root",
        ])
        .arg(repo.site())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("warning[policy-widened]: site.yaml changes `limits.image_px`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning[site-setting-changed]: site.yaml changes `title`"),
        "{stderr}"
    );
}

#[test]
fn a_change_that_narrows_what_content_may_do_is_a_warning_only() {
    let repo = Repo::new();
    repo.replace(
        "site.yaml",
        "review:\n",
        "limits:\n  doc_kib: 512\nreview:\n",
    );
    repo.replace(
        "site.yaml",
        "  - slug: platform-team\n    name: Built by the platform team\n",
        "",
    );
    let (report, code) = repo.check_base(&[]);
    assert_eq!(code, 0, "{report}");
    assert!(!report.contains("error["), "{report}");
    assert!(
        report.contains(
            "warning[site-setting-changed]: site.yaml changes `limits.doc_kib` from `1024 (default)` to `512` since `main`\n  --> site.yaml:19:3\n"
        ),
        "{report}"
    );
    assert!(
        report.contains(
            "warning[site-setting-changed]: site.yaml changes `badges[platform-team]` from `{slug: platform-team, name: Built by the platform team}` to (not set) since `main`\n  --> site.yaml:14:1\n"
        ),
        "{report}"
    );
    assert!(report.ends_with("0 errors, 2 warnings\n"), "{report}");
    assert_eq!(repo.check_base(&["--strict"]).1, 1);
    assert_eq!(repo.diff("main", "human").1, 0);
}

/// A variant: templates and static files are the marketplace team's as site.yaml is, and run
/// on every page; a pull request that adds a template with a remote script, or a script to
/// `static/`, passed `check --base main --strict`, and `diff` said "No change to the published
/// catalogue". Each file added or changed is now `policy-widened` and listed in every format;
/// a file the revision holds as it is reports nothing.
#[test]
fn a_template_or_static_file_brought_by_the_pull_request_is_an_error_and_listed_by_diff() {
    let repo = Repo::new();
    let site = repo.site();
    std::fs::create_dir_all(site.join("static")).unwrap();
    std::fs::write(site.join("static/brand.css"), "body { color: navy }\n").unwrap();
    repo.git(&["add", "--all"]);
    repo.git(&["commit", "--quiet", "-m", "brand"]);
    std::fs::create_dir_all(site.join("templates")).unwrap();
    std::fs::write(
        site.join("templates/home.html"),
        "{% extends \"base.html\" %}{% block content %}<script src=\"https://evil.example/x.js\"></script>{% endblock %}\n",
    )
    .unwrap();
    std::fs::write(site.join("static/evil.js"), "alert(1)\n").unwrap();

    let (report, code) = repo.check_base(&["--strict"]);
    assert_eq!(code, 1, "{report}");
    let widened = headlines(&report, "policy-widened");
    assert_eq!(widened.len(), 2, "{report}");
    assert!(
        widened[0].starts_with(
            "error[policy-widened]: the theme changes `theme[static/evil.js]` from (not set) to `blob "
        ),
        "{report}"
    );
    assert!(
        widened[1].starts_with(
            "error[policy-widened]: the theme changes `theme[templates/home.html]` from `blob "
        ),
        "{report}"
    );
    let (allowed, code) = repo.check_base(&["--allow-policy-change"]);
    assert_eq!(code, 0, "{allowed}");

    let (markdown, _) = repo.diff("main", "markdown");
    assert!(!markdown.contains("No change"), "{markdown}");
    assert!(
        markdown.contains("- `theme[templates/home.html]`: `blob "),
        "{markdown}"
    );
    let (json_text, _) = repo.diff("main", "json");
    let diff: Value = serde_json::from_str(&json_text).unwrap();
    let keys: Vec<(&str, bool)> = diff["settings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["key"].as_str().unwrap(), s["widens"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        keys,
        [
            ("theme[static/evil.js]", true),
            ("theme[templates/home.html]", true)
        ]
    );
}
