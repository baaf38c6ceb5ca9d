//! The real corpus: 609 connectors as their developers published them (Airbyte and Meltano
//! Hub, converted), which marketgen must build cleanly and render as their authors meant.
//!
//! The corpus lives beside the repository, at `../shared/corpus/real`, under other licences:
//! nothing of it is copied here. A clone without it skips these tests with a loud notice.
//! `MARKETGEN_CORPUS=DIR` names another site of the same kind.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Instant;

use scraper::{ElementRef, Html, Node};
use serde_json::Value;

use crate::html_checker::{assert_valid, pages, vnu};
use crate::support::{check_output, marketgen, select};

/// The corpus folder, or `None` with a loud notice.
pub fn real_corpus() -> Option<PathBuf> {
    let folder = match std::env::var_os("MARKETGEN_CORPUS") {
        Some(named) => PathBuf::from(named),
        None => Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()?
            .join("shared/corpus/real"),
    };
    if folder.join("site.yaml").is_file() {
        return Some(folder);
    }
    eprintln!(
        "\n**** SKIPPED: real-corpus test, because {} holds no site. \
         It is the sample of real connectors beside the repository (../shared/corpus/real); \
         MARKETGEN_CORPUS=DIR names another. ****\n",
        folder.display()
    );
    None
}

/// The corpus built once per test run into target/tmp/corpus-real: the output folder, or
/// every error line of `check` when the build failed. `None` (with the notice, for each test
/// that asks) when there is no corpus.
pub fn built_corpus() -> Option<&'static Result<PathBuf, String>> {
    static BUILT: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let corpus = real_corpus()?;
    Some(BUILT.get_or_init(|| build(&corpus)))
}

/// The marketplace's own choices for the corpus, each a setting README documents: the one
/// host its docs show images from, room for its largest SVG logo (299 KiB), and where its
/// connectors are installed.
const POLICIES: &str = "\nmarkdown:\n  image_hosts: [raw.githubusercontent.com]\nlimits:\n  svg_kib: 512\n\
    install_url: https://app.example.com/marketplace/{slug}/install\n";

/// A copy of the corpus with [`POLICIES`] added to its site.yaml.
fn with_policies(corpus: &Path) -> PathBuf {
    let site = Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpus-site");
    let _ = std::fs::remove_dir_all(&site);
    crate::build::copy_tree(corpus, &site);
    let yaml = std::fs::read_to_string(corpus.join("site.yaml")).unwrap();
    assert!(
        !yaml.contains("\nmarkdown:")
            && !yaml.contains("\nlimits:")
            && !yaml.contains("\ninstall_url:"),
        "the corpus sets markdown:, limits: or install_url: itself; merge POLICIES into it"
    );
    let _ = std::fs::remove_file(site.join("site.yaml"));
    std::fs::write(site.join("site.yaml"), format!("{yaml}{POLICIES}")).unwrap();
    site
}

fn build(corpus: &Path) -> Result<PathBuf, String> {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpus-real");
    let corpus = &with_policies(corpus);
    let start = Instant::now();
    let build = marketgen()
        .args(["build", "--force", "--color", "never", "--root"])
        .arg(corpus)
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    eprintln!(
        "built the real corpus ({}) in {:.2} s",
        corpus.display(),
        start.elapsed().as_secs_f64()
    );
    if build.status.success() {
        return Ok(out);
    }
    let (report, _) = check_output(corpus, &["--format", "short"]);
    let errors: Vec<&str> = report
        .lines()
        .filter(|line| line.contains(": error["))
        .collect();
    Err(match errors.is_empty() {
        true => format!(
            "the build failed without a content error:\n{}{}",
            String::from_utf8_lossy(&build.stdout),
            String::from_utf8_lossy(&build.stderr)
        ),
        false => format!("{} errors:\n{}", errors.len(), errors.join("\n")),
    })
}

/// The built corpus, for the tests that look at its pages; `None` when there is no corpus.
fn output() -> Option<&'static Path> {
    match built_corpus()? {
        Ok(out) => Some(out),
        Err(_) => panic!(
            "the real corpus did not build, so its pages cannot be checked \
             (corpus::the_real_corpus_builds_without_errors lists the errors)"
        ),
    }
}

#[test]
fn the_real_corpus_builds_without_errors() {
    if let Some(Err(errors)) = built_corpus() {
        panic!("the real corpus does not build: {errors}");
    }
}

/// Markup, admonition fences, code fences, Markdown links and MDX imports that show as text:
/// an author's construct marketgen did not understand. Pages are checked as a visitor reads them, without the text of scripts,
/// styles and (for the fences and imports, which code samples legitimately hold) code.
#[test]
fn no_page_of_the_real_corpus_shows_markup_as_text() {
    let Some(out) = output() else {
        return;
    };
    let mut shown = Vec::new();
    for page in pages(out) {
        let doc = Html::parse_document(&std::fs::read_to_string(&page).unwrap());
        let name = page.strip_prefix(out).unwrap().display().to_string();
        for (text, in_code) in visible_text(&doc) {
            // Escaped author HTML is published as a code box (`<pre>`), so these are looked for
            // in code too: no code sample in real connector docs shows a comment or `<details>`.
            // An embedded frame is published as a link to what it shows, never as its source.
            let mut found: Vec<&str> = ["<!--", "<details", "&lt;details", "<iframe"]
                .into_iter()
                .filter(|needle| text.contains(needle))
                .collect();
            if !in_code {
                // A fence, an admonition marker or a Markdown link left as text: Markdown read
                // as text where MDX reads it (between author HTML tags, on one line).
                for needle in [":::", "```", "](http"] {
                    if text.contains(needle) {
                        found.push(needle);
                    }
                }
                if text
                    .lines()
                    .any(|line| line.trim_start().starts_with("import "))
                {
                    found.push("import ");
                }
            }
            for needle in found {
                let excerpt: String = text.trim().chars().take(160).collect();
                shown.push(format!("{name}: {needle:?} in {excerpt:?}"));
            }
        }
    }
    assert!(
        shown.is_empty(),
        "{} texts show markup:\n{}",
        shown.len(),
        shown.join("\n")
    );
}

/// Each text node of the body that a visitor sees, and whether it is inside code.
fn visible_text(doc: &Html) -> Vec<(&str, bool)> {
    let body = select(doc, "body")[0];
    body.descendants()
        .filter_map(|node| match node.value() {
            Node::Text(text) => Some((node, &**text)),
            _ => None,
        })
        .filter_map(|(node, text)| {
            let ancestors: Vec<&str> = node
                .ancestors()
                .filter_map(ElementRef::wrap)
                .map(|e| e.value().name())
                .collect();
            let hidden = ancestors
                .iter()
                .any(|name| matches!(*name, "script" | "style" | "template"));
            let in_code = ancestors.iter().any(|name| matches!(*name, "pre" | "code"));
            (!hidden).then_some((text, in_code))
        })
        .collect()
}

#[test]
#[ignore = "needs vnu"]
fn every_page_of_the_real_corpus_passes_the_nu_html_checker() {
    let vnu = vnu();
    let Some(out) = output() else {
        return;
    };
    let start = Instant::now();
    assert_valid(&vnu, out);
    eprintln!(
        "the Nu HTML checker read {} pages in {:.1} s",
        pages(out).len(),
        start.elapsed().as_secs_f64()
    );
}

/// Every logo a page or `catalogue.json` names is a file that parses as the image it claims to
/// be, and no SVG logo paints nothing once re-serialised (an embedded raster dropped leaves a
/// blank logo).
#[test]
fn every_logo_of_the_real_corpus_parses() {
    let Some(out) = output() else {
        return;
    };
    let logos = logos(out);
    assert!(!logos.is_empty(), "the corpus has logos");
    let broken: Vec<String> = logos
        .iter()
        .filter_map(|url| {
            let file = out.join(url.trim_start_matches('/'));
            parse_image(&file).err().map(|e| format!("{url}: {e}"))
        })
        .collect();
    assert!(
        broken.is_empty(),
        "{} of {} logos do not parse:\n{}",
        broken.len(),
        logos.len(),
        broken.join("\n")
    );
    // And every other image it publishes: screenshots and the images of docs.
    assert!(crate::media::assert_every_image_parses(out) >= logos.len());
}

/// The address of every logo in the output: the `src` and `srcset` of each image whose class
/// names a logo, and the `logo` of each connector in `catalogue.json`.
fn logos(out: &Path) -> BTreeSet<String> {
    let mut logos = BTreeSet::new();
    for page in pages(out) {
        let doc = Html::parse_document(&std::fs::read_to_string(&page).unwrap());
        for image in select(&doc, "img") {
            let image = image.value();
            if !image.classes().any(|c| c.starts_with("logo")) {
                continue;
            }
            let srcset = image.attr("srcset").unwrap_or_default().split(',');
            let candidates = srcset.filter_map(|c| c.split_whitespace().next());
            logos.extend(
                image
                    .attr("src")
                    .into_iter()
                    .chain(candidates)
                    .map(String::from),
            );
        }
    }
    let catalogue: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("catalogue.json")).unwrap())
            .unwrap();
    for connector in catalogue["connectors"].as_array().unwrap() {
        logos.extend(connector["logo"].as_str().map(String::from));
    }
    logos
}

/// Whether anything in `group` paints: a shape filled or stroked with a colour, a gradient or a
/// pattern that itself paints, an image or text. An embedded raster dropped from a pattern
/// leaves a shape that paints nothing.
fn draws(group: &usvg::Group) -> bool {
    let paints = |paint: Option<&usvg::Paint>| match paint {
        None => false,
        Some(usvg::Paint::Pattern(pattern)) => draws(pattern.root()),
        Some(_) => true,
    };
    group.children().iter().any(|node| match node {
        usvg::Node::Group(group) => draws(group),
        usvg::Node::Path(path) => {
            paints(path.fill().map(usvg::Fill::paint))
                || paints(path.stroke().map(usvg::Stroke::paint))
        }
        usvg::Node::Image(_) | usvg::Node::Text(_) => true,
    })
}

/// Reads an image as a browser would have to: an SVG as well-formed XML with something to
/// draw, a raster by its header, of the type its extension says.
fn parse_image(file: &Path) -> Result<(), String> {
    let bytes = std::fs::read(file).map_err(|e| e.to_string())?;
    let extension = file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if extension == "svg" {
        let text = std::str::from_utf8(&bytes).map_err(|e| e.to_string())?;
        roxmltree::Document::parse(text).map_err(|e| format!("not well-formed XML: {e}"))?;
        let tree = usvg::Tree::from_data(&bytes, &usvg::Options::default())
            .map_err(|e| format!("not an SVG: {e}"))?;
        return match draws(tree.root()) {
            true => Ok(()),
            false => Err("an SVG with nothing to draw".to_string()),
        };
    }
    let expected = match extension.as_str() {
        "png" => imagesize::ImageType::Png,
        "jpg" | "jpeg" => imagesize::ImageType::Jpeg,
        "webp" => imagesize::ImageType::Webp,
        "gif" => imagesize::ImageType::Gif,
        other => return Err(format!("an unexpected logo type: {other:?}")),
    };
    let found = imagesize::image_type(&bytes).map_err(|e| format!("no image header: {e:?}"))?;
    if found != expected {
        return Err(format!("a {found:?} image named .{extension}"));
    }
    let size = imagesize::blob_size(&bytes).map_err(|e| format!("no image size: {e:?}"))?;
    match size.width > 0 && size.height > 0 {
        true => Ok(()),
        false => Err(format!("{}×{} pixels", size.width, size.height)),
    }
}
