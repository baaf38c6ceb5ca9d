use std::io::Cursor;
use std::time::{Duration, Instant};

use super::*;
use crate::diag::Diagnostic;
use crate::model::Media;

fn budget() -> Budget {
    Budget::new(&Limits::default())
}

fn run(name: &str, bytes: &[u8]) -> Result<Media, Diagnostic> {
    let place = Place {
        file: PathBuf::from("c/x"),
        named: None,
    };
    check(
        &place,
        name,
        bytes.to_vec(),
        &Limits::default(),
        &mut Vec::new(),
    )
}

const PNG_1X1: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, b'I', b'H', b'D', b'R', 0, 0, 0,
    1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1F, 0x15, 0xC4, 0x89,
];

fn png_header(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = PNG_1X1.to_vec();
    bytes[16..20].copy_from_slice(&width.to_be_bytes());
    bytes[20..24].copy_from_slice(&height.to_be_bytes());
    bytes
}

/// A real PNG of `width`×`height`: a dark shape on a transparent background.
fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbaImage::from_fn(width, height, |x, y| match (x + y) % 3 {
        0 => image::Rgba([0, 0, 0, 0]),
        _ => image::Rgba([20, 30, 40, 255]),
    });
    let mut bytes = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
        .unwrap();
    bytes
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            out.push(match i <= chunk.len() {
                true => ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char,
                false => '=',
            });
        }
    }
    out
}

fn svg_text(media: &Media) -> String {
    String::from_utf8(media.bytes.to_vec()).unwrap()
}

#[test]
fn svg_is_re_serialised_without_active_content() {
    let hostile = br##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="64" height="64" onload="alert(1)">
        <script>alert(2)</script>
        <rect width="64" height="64" fill="#123456" onclick="alert(3)"/>
        <foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>
        <image href="https://evil.example/track.png" width="10" height="10"/>
        <a href="javascript:alert(4)"><circle r="5" cx="5" cy="5"/></a>
        <use xlink:href="https://evil.example/sprite.svg#a"/>
    </svg>"##;
    let media = run("logo.svg", hostile).unwrap();
    let out = svg_text(&media);
    for token in [
        "script",
        "alert",
        "onload",
        "onclick",
        "foreignObject",
        "evil.example",
        "javascript",
    ] {
        assert!(!out.contains(token), "{token} survived: {out}");
    }
    assert!(out.contains("#123456"), "the shapes went missing: {out}");
    assert_eq!((media.width, media.height), (64, 64));
}

#[test]
fn entity_bombs_are_refused() {
    let bomb = br#"<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg">&b;</svg>"#;
    assert_eq!(run("logo.svg", bomb).unwrap_err().code, "unsafe-svg");
}

#[test]
fn html_renamed_as_png_names_both_formats() {
    let d = run("logo.png", b"<html><script>alert(1)</script></html>").unwrap_err();
    assert_eq!(d.code, "file-type");
    assert_eq!(
        d.message,
        "`logo.png` claims to be a PNG image by its extension, but its bytes are HTML or XML text"
    );
    let d = run("logo.svg", PNG_1X1).unwrap_err();
    assert_eq!(
        d.message,
        "`logo.svg` claims to be an SVG image by its extension, but its bytes are a PNG image"
    );
}

#[test]
fn raster_dimensions_come_from_the_header_and_are_capped() {
    let media = run("shot.png", &png_header(800, 500)).unwrap();
    assert_eq!((media.width, media.height), (800, 500));
    let d = run("shot.png", &png_header(100_000, 100_000)).unwrap_err();
    assert_eq!(d.code, "image-too-large");
    // Within each side's limit, but more pixels than a decoder may allocate.
    let d = run("shot.png", &png_header(9_000, 9_000)).unwrap_err();
    assert_eq!(
        d.message,
        "`shot.png` is 9000×9000 pixels; the limit is 25 megapixels"
    );
}

#[test]
fn an_embedded_raster_survives_re_serialisation() {
    let svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="32" height="32"><image width="32" height="32" xlink:href="data:image/png;base64,{}"/></svg>"#,
        base64(&png(8, 8))
    );
    let out = svg_text(&run("logo.svg", svg.as_bytes()).unwrap());
    let doc = roxmltree::Document::parse(&out).unwrap();
    let image = doc.descendants().find(|n| n.has_tag_name("image"));
    let href = image.and_then(|n| n.attribute(("http://www.w3.org/1999/xlink", "href")));
    assert!(
        href.is_some_and(|h| h.starts_with("data:image/png;base64,")),
        "the image went: {out}"
    );
}

#[test]
fn an_embedded_raster_over_the_limits_or_an_embedded_svg_is_dropped() {
    let huge = base64(&png_header(100_000, 100_000));
    let nested = base64(br#"<svg xmlns="http://www.w3.org/2000/svg"><image href="https://evil.example/x.png"/></svg>"#);
    let svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32"><rect width="4" height="4"/><image width="32" height="32" href="data:image/png;base64,{huge}"/><image width="32" height="32" href="data:image/svg+xml;base64,{nested}"/></svg>"#
    );
    let out = svg_text(&run("logo.svg", svg.as_bytes()).unwrap());
    assert!(!out.contains("<image"), "{out}");
}

#[test]
fn ids_that_need_escaping_are_renamed_with_their_references() {
    let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">
        <defs><linearGradient id="a&amp;b"><stop offset="0" stop-color="#ff0000"/><stop offset="1" stop-color="#0000ff"/></linearGradient>
        <clipPath id="c&lt;d"><rect width="5" height="5"/></clipPath></defs>
        <style>.s { fill: url(#a&amp;b) }</style>
        <g id="g&quot;1" clip-path="url(#c&lt;d)"><rect class="s" width="10" height="10"/><rect width="10" height="10" style="fill: url('#a&amp;b')"/></g>
    </svg>"##;
    let out = svg_text(&run("logo.svg", svg).unwrap());
    let doc = roxmltree::Document::parse(&out).expect("well-formed");
    let gradients: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("linearGradient"))
        .filter_map(|n| Some(format!("url(#{})", n.attribute("id")?)))
        .collect();
    let painted = doc
        .descendants()
        .filter_map(|n| n.attribute("fill"))
        .filter(|fill| gradients.iter().any(|g| g == fill))
        .count();
    assert_eq!(painted, 2, "both rectangles keep the gradient: {out}");
    assert!(
        doc.descendants()
            .any(|n| n.attribute("clip-path").is_some()),
        "{out}"
    );
    for id in doc.descendants().filter_map(|n| n.attribute("id")) {
        assert!(!id.contains(['&', '<', '"']), "{id} in {out}");
    }
}

/// A chain of `depth` groups, each holding two `<use>` copies of the one before.
fn use_chain(depth: usize) -> String {
    let mut svg = String::from(
        r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="64" height="64"><defs><g id="l0"><rect width="1" height="1" fill="#123456"/></g>"##,
    );
    for i in 1..=depth {
        let j = i - 1;
        svg += &format!(
            r##"<g id="l{i}"><use xlink:href="#l{j}"/><use xlink:href="#l{j}" x="1"/></g>"##
        );
    }
    svg + &format!(r##"</defs><use xlink:href="#l{depth}"/></svg>"##)
}

#[test]
fn use_chain_bombs_are_refused_in_well_under_a_second_of_work() {
    let start = Instant::now();
    let d = run("logo.svg", use_chain(60).as_bytes()).unwrap_err();
    assert_eq!(d.code, "svg-too-complex", "{}", d.message);
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[test]
fn no_svg_is_published_larger_than_the_input_limit() {
    let limit = Limits::default().svg_kib as usize * 1024;
    for depth in 0..=24 {
        let start = Instant::now();
        let input = use_chain(depth);
        assert!(input.len() < 4 * 1024);
        match run("logo.svg", input.as_bytes()) {
            Ok(media) => assert!(media.bytes.len() <= limit, "depth {depth}"),
            Err(d) => assert_eq!(d.code, "svg-too-complex", "depth {depth}: {}", d.message),
        }
        assert!(start.elapsed() < Duration::from_secs(5), "depth {depth}");
    }
}

#[test]
fn markers_and_inherited_patterns_count_once_per_copy() {
    let shapes = r##"<path d="M0 0h1v1h1v1h1"/>"##.repeat(2000);
    let markers = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><defs><marker id="m">{shapes}</marker></defs><path marker-mid="url(#m)" d="{}"/></svg>"##,
        "l1 1".repeat(5000)
    );
    let d = run("logo.svg", markers.as_bytes()).unwrap_err();
    assert_eq!(d.code, "svg-too-complex");
    let pattern = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><defs><pattern id="p" width="1" height="1">{shapes}</pattern></defs><g fill="url(#p)">{}</g></svg>"##,
        r#"<rect width="1" height="1"/>"#.repeat(2000)
    );
    let d = run("logo.svg", pattern.as_bytes()).unwrap_err();
    assert_eq!(d.code, "svg-too-complex");
}

#[test]
fn a_raster_logo_is_published_as_copies_for_its_slots_never_enlarged() {
    let place = Place {
        file: PathBuf::from("c/logo.png"),
        named: None,
    };
    let copies = logo_copies(&place, "logo.png", &png(800, 200), &budget()).unwrap();
    let sizes: Vec<(u32, (u32, u32))> = copies
        .iter()
        .map(|(px, bytes)| {
            let copy = image::load_from_memory(bytes).unwrap();
            (*px, (copy.width(), copy.height()))
        })
        .collect();
    assert_eq!(sizes, [(96, (96, 24)), (192, (192, 48))]);
    let small = logo_copies(&place, "logo.png", &png(40, 30), &budget()).unwrap();
    for (_, bytes) in small {
        let copy = image::load_from_memory(&bytes).unwrap();
        assert_eq!((copy.width(), copy.height()), (40, 30));
    }
}

#[test]
fn a_logo_that_does_not_decode_is_refused() {
    let place = Place {
        file: PathBuf::from("c/logo.png"),
        named: None,
    };
    let mut broken = png(64, 64);
    broken.truncate(60);
    let d = logo_copies(&place, "logo.png", &broken, &budget()).unwrap_err();
    assert_eq!(d.code, "invalid-image");
}

#[test]
fn png_logos_of_every_colour_type_and_depth_make_copies() {
    let place = Place {
        file: PathBuf::from("c/logo.png"),
        named: None,
    };
    let shapes: [(png::ColorType, png::BitDepth, usize, Option<&[u8]>); 5] = [
        (png::ColorType::Rgba, png::BitDepth::Sixteen, 64, None),
        (png::ColorType::Grayscale, png::BitDepth::One, 1, None),
        (
            png::ColorType::Grayscale,
            png::BitDepth::Eight,
            8,
            Some(&[0, 7]),
        ),
        (png::ColorType::Indexed, png::BitDepth::Eight, 8, Some(&[0])),
        (png::ColorType::Rgb, png::BitDepth::Sixteen, 48, None),
    ];
    for (color, depth, bits_a_pixel, transparent) in shapes {
        let (width, height) = (300, 100);
        let mut bytes = Vec::new();
        let mut encoder = png::Encoder::new(&mut bytes, width, height);
        encoder.set_color(color);
        encoder.set_depth(depth);
        if color == png::ColorType::Indexed {
            encoder.set_palette(vec![0, 0, 0, 200, 100, 50]);
        }
        if let Some(trns) = transparent {
            encoder.set_trns(trns.to_vec());
        }
        let mut writer = encoder.write_header().unwrap();
        let row = (width as usize * bits_a_pixel).div_ceil(8);
        let pixels: Vec<u8> = (0..row * height as usize).map(|i| (i % 2) as u8).collect();
        writer.write_image_data(&pixels).unwrap();
        writer.finish().unwrap();
        let copies = logo_copies(&place, "logo.png", &bytes, &budget())
            .unwrap_or_else(|d| panic!("{color:?} {depth:?}: {}", d.message));
        let sizes: Vec<(u32, u32)> = copies
            .iter()
            .map(|(_, png)| {
                let copy = image::load_from_memory(png).unwrap();
                (copy.width(), copy.height())
            })
            .collect();
        assert_eq!(sizes, [(96, 32), (192, 64)], "{color:?} {depth:?}");
    }
}
