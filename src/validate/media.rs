//! Images from content: the bytes must be the format the extension claims, raster dimensions
//! are read from the header and capped, and an SVG is published only as re-serialised by
//! usvg, so scripts, event handlers, foreignObject and external references cannot survive.

use std::path::Path;
use std::sync::Arc;

use crate::diag::Diagnostic;
use crate::load::site::Limits;
use crate::model::{Media, MediaKind};

/// Checks one file of a connector's folder; `path` is relative to the site root.
pub fn check(path: &Path, name: &str, bytes: &[u8], limits: &Limits) -> Result<Media, Diagnostic> {
    let Some(claimed) = MediaKind::of(name) else {
        return Err(problem(
            path,
            "file-type",
            format!("`{name}` is not an image marketgen can publish"),
            format!("use one of: {}", MediaKind::EXTENSIONS),
        ));
    };
    // Entity declarations are how XML bombs expand; no logo needs one.
    if claimed == MediaKind::Svg
        && String::from_utf8_lossy(bytes)
            .to_ascii_lowercase()
            .contains("<!entity")
    {
        return Err(problem(
            path,
            "unsafe-svg",
            "the SVG declares XML entities".into(),
            "remove the DOCTYPE and its entity declarations",
        ));
    }
    let actual = sniff(bytes);
    if actual != Some(claimed) {
        let found = match actual {
            Some(kind) => kind.name(),
            None if looks_like_markup(bytes) => "HTML or XML text",
            None => "not an image format marketgen knows",
        };
        return Err(problem(
            path,
            "file-type",
            format!(
                "`{name}` claims to be {} by its extension, but its bytes are {found}",
                claimed.name()
            ),
            "export the image again in the format its name says, or rename it to match",
        ));
    }
    if claimed == MediaKind::Svg {
        return svg(path, bytes);
    }
    let size = imagesize::blob_size(bytes).map_err(|e| {
        problem(
            path,
            "file-type",
            format!("cannot read the size of `{name}`: {e}"),
            "export the image again",
        )
    })?;
    let (width, height) = (size.width, size.height);
    let max = limits.image_px as usize;
    if width > max || height > max || width == 0 || height == 0 {
        return Err(problem(
            path,
            "image-too-large",
            format!("`{name}` is {width}×{height} pixels; the limit is {max} on each side"),
            "scale the image down (screenshots read well at 1600 pixels wide)",
        ));
    }
    Ok(Media {
        bytes: bytes.into(),
        width: width as u32,
        height: height as u32,
    })
}

fn problem(
    path: &Path,
    code: &'static str,
    message: String,
    help: impl Into<String>,
) -> Diagnostic {
    Diagnostic::error(code, message)
        .at(path, 0..0, "this file")
        .with_help(help)
}

/// The format of `bytes` by their magic numbers.
fn sniff(bytes: &[u8]) -> Option<MediaKind> {
    match imagesize::image_type(bytes) {
        Ok(imagesize::ImageType::Png) => Some(MediaKind::Png),
        Ok(imagesize::ImageType::Jpeg) => Some(MediaKind::Jpeg),
        Ok(imagesize::ImageType::Webp) => Some(MediaKind::Webp),
        Ok(imagesize::ImageType::Gif) => Some(MediaKind::Gif),
        _ if is_svg(bytes) => Some(MediaKind::Svg),
        _ => None,
    }
}

/// An `<svg` root element after an optional XML declaration and comments.
fn is_svg(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    let mut rest = text.trim_start_matches('\u{feff}').trim_start();
    loop {
        if let Some(after) = rest.strip_prefix("<?") {
            rest = after.split_once("?>").map_or("", |(_, r)| r).trim_start();
        } else if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.split_once("-->").map_or("", |(_, r)| r).trim_start();
        } else if rest.starts_with("<!DOCTYPE svg") || rest.starts_with("<!doctype svg") {
            rest = rest.split_once('>').map_or("", |(_, r)| r).trim_start();
        } else {
            return rest.starts_with("<svg");
        }
    }
}

fn looks_like_markup(bytes: &[u8]) -> bool {
    bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<')
}

fn svg(path: &Path, bytes: &[u8]) -> Result<Media, Diagnostic> {
    let options = usvg::Options {
        resources_dir: None,
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: Box::new(|_, _, _| None),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_data(bytes, &options).map_err(|e| {
        problem(
            path,
            "invalid-svg",
            format!("the SVG cannot be read: {e}"),
            "export the logo again from your design tool as plain SVG",
        )
    })?;
    let size = tree.size();
    let clean = tree.to_string(&usvg::WriteOptions::default());
    Ok(Media {
        bytes: Arc::from(clean.into_bytes()),
        width: size.width().round() as u32,
        height: size.height().round() as u32,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(name: &str, bytes: &[u8]) -> Result<Media, Diagnostic> {
        check(Path::new("c/x"), name, bytes, &Limits::default())
    }

    const PNG_1X1: &[u8] = &[
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, b'I', b'H', b'D', b'R', 0, 0,
        0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1F, 0x15, 0xC4, 0x89,
    ];

    fn png_header(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = PNG_1X1.to_vec();
        bytes[16..20].copy_from_slice(&width.to_be_bytes());
        bytes[20..24].copy_from_slice(&height.to_be_bytes());
        bytes
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
        let out = String::from_utf8(media.bytes.to_vec()).unwrap();
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
    }
}
