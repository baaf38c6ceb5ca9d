//! Logos and screenshots as a built site publishes them: every image parses, a raster logo
//! reaches its slots only as small copies, and hostile SVGs are refused quickly.

use std::io::Cursor;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::build::copy_tree;
use crate::support::{build, check_output, files, fixture, html, repo, select};

const IMAGE_EXTENSIONS: [&str; 6] = ["svg", "png", "jpg", "jpeg", "webp", "gif"];

/// Checks that every image in a built site parses: SVGs as XML (roxmltree) and as SVG (usvg),
/// rasters by decoding them whole (image). Returns how many there are.
pub fn assert_every_image_parses(out: &Path) -> usize {
    let mut checked = 0;
    for file in files(out) {
        let extension = file.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        if !extension.is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.as_str())) {
            continue;
        }
        let bytes = std::fs::read(out.join(&file)).unwrap();
        if file.to_ascii_lowercase().ends_with(".svg") {
            let text =
                std::str::from_utf8(&bytes).unwrap_or_else(|e| panic!("{file} is not UTF-8: {e}"));
            roxmltree::Document::parse(text)
                .unwrap_or_else(|e| panic!("{file} is not well-formed XML: {e}"));
            usvg::Tree::from_str(text, &usvg::Options::default())
                .unwrap_or_else(|e| panic!("{file} is not an SVG usvg reads: {e}"));
        } else {
            image::load_from_memory(&bytes)
                .unwrap_or_else(|e| panic!("{file} does not decode: {e}"));
        }
        checked += 1;
    }
    checked
}

#[test]
fn every_image_the_sample_site_publishes_parses() {
    let (_dir, out) = build(&repo(), &[]);
    assert!(assert_every_image_parses(&out) >= 10);
}

/// A PNG of `width`×`height`: a dark mark on a transparent background.
fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbaImage::from_fn(width, height, |x, _| match x % 7 {
        0 => image::Rgba([0, 0, 0, 0]),
        _ => image::Rgba([10, 20, 30, 255]),
    });
    let mut bytes = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
        .unwrap();
    bytes
}

/// The valid fixture with `acme-orders`' logo replaced by a large PNG.
fn site_with_raster_logo() -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    copy_tree(&fixture("valid"), site.path());
    let folder = site.path().join("content/connectors/acme-orders");
    std::fs::write(folder.join("logo.png"), png(6000, 1500)).unwrap();
    let record = std::fs::read_to_string(folder.join("connector.yaml")).unwrap();
    std::fs::write(
        folder.join("connector.yaml"),
        record.replace("logo: logo.svg", "logo: logo.png"),
    )
    .unwrap();
    site
}

fn decoded_size(path: &Path) -> (u32, u32) {
    let image = image::load_from_memory(&std::fs::read(path).unwrap()).unwrap();
    (image.width(), image.height())
}

#[test]
fn a_raster_logo_reaches_its_slots_only_as_small_copies() {
    let site = site_with_raster_logo();
    let (_dir, out) = build(site.path(), &[]);
    let catalogue = html(&out, "connectors/index.html");
    let card = select(&catalogue, "#card-acme-orders")[0]
        .parent()
        .and_then(scraper::ElementRef::wrap)
        .unwrap();
    let card_logo = card
        .select(&scraper::Selector::parse("img.logo").unwrap())
        .next()
        .and_then(|img| img.value().attr("src"))
        .unwrap()
        .to_string();
    assert!(
        card_logo.ends_with("/logos/acme-orders/96.png"),
        "{card_logo}"
    );
    let page = html(&out, "connectors/acme-orders/index.html");
    let large = select(&page, "img.logo-large")[0]
        .value()
        .attr("src")
        .unwrap();
    assert!(large.ends_with("/logos/acme-orders/192.png"), "{large}");
    assert_eq!(
        decoded_size(&out.join("logos/acme-orders/96.png")),
        (96, 24)
    );
    assert_eq!(
        decoded_size(&out.join("logos/acme-orders/192.png")),
        (192, 48)
    );
    assert!(
        !out.join("connectors/acme-orders/logo.png").exists(),
        "the original is never published for the slots"
    );
    let published: u64 = ["96", "192"]
        .iter()
        .map(|px| {
            std::fs::metadata(out.join(format!("logos/acme-orders/{px}.png")))
                .unwrap()
                .len()
        })
        .sum();
    assert!(published < 20_000, "the copies are {published} bytes");
    assert_every_image_parses(&out);

    // Deterministic: a second build makes the same copies, byte for byte.
    let (_again, second) = build(site.path(), &[]);
    for px in ["96", "192"] {
        let path = format!("logos/acme-orders/{px}.png");
        assert_eq!(
            std::fs::read(out.join(&path)).unwrap(),
            std::fs::read(second.join(&path)).unwrap()
        );
    }
}

#[test]
fn a_logo_over_the_pixel_limits_is_refused_before_it_is_decoded() {
    let site = site_with_raster_logo();
    let yaml = std::fs::read_to_string(site.path().join("site.yaml")).unwrap();
    std::fs::write(
        site.path().join("site.yaml"),
        format!("{yaml}limits:\n  image_megapixels: 8\n"),
    )
    .unwrap();
    let (report, code) = check_output(site.path(), &["--format", "short"]);
    assert_eq!(code, 1, "{report}");
    assert!(
        report.contains(
            "content/connectors/acme-orders/connector.yaml:8:7: error[image-too-large]: `logo.png` is 6000×1500 pixels; the limit is 8 megapixels"
        ),
        "{report}"
    );
}

#[test]
fn a_use_chain_logo_is_refused_at_its_logo_line_in_seconds() {
    let start = Instant::now();
    let (report, code) = check_output(&fixture("invalid/svg-use-bomb"), &["--format", "short"]);
    assert_eq!(code, 1, "{report}");
    assert!(report.contains("error[svg-too-complex]"), "{report}");
    assert!(start.elapsed() < Duration::from_secs(20));
}
