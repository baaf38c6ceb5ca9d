//! Images from content, checked one connector folder at a time in the per-connector pass, so
//! that no image is held in memory for the whole run.
//!
//! The bytes must be the format the extension claims; raster dimensions are read from the
//! header and refused over the limits before anything is decoded. A raster logo (PNG or WebP)
//! is decoded, within its share of the run's decode budget (`decode`), only to be published as
//! small copies for its slots, never as it came. An SVG is published only as re-serialised by usvg, so scripts, event handlers,
//! foreignObject and external references cannot survive; what usvg would expand (`<use>`
//! copies, markers, references) is counted before it does, and what it writes is held to the
//! input's byte limit and read back as XML.

mod copies;
mod decode;
mod svg;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use crate::diag::Diagnostic;
use crate::load::ConnectorSource;
use crate::load::site::Limits;
use crate::model::{ConnectorMedia, Media, MediaKind};

pub use decode::Budget;

/// Checks every image of one connector folder, `bytes` as `load::read_media` read them, and
/// makes what is published of them.
pub fn connector(
    source: &ConnectorSource,
    bytes: BTreeMap<String, Vec<u8>>,
    limits: &Limits,
    budget: &Budget,
) -> (ConnectorMedia, Vec<Diagnostic>) {
    let named = source.named_files();
    let record = source.record_file.as_ref().map(|f| f.path.clone());
    let logo = source
        .record
        .as_ref()
        .and_then(|r| r.logo.as_ref())
        .map(|l| l.value.as_str());
    let mut media = ConnectorMedia::default();
    let mut problems = Vec::new();
    for (name, bytes) in bytes {
        let place = Place {
            file: source.dir.join(&name),
            named: named
                .get(name.as_str())
                .zip(record.clone())
                .map(|(range, file)| (file, range.clone())),
        };
        let checked = check(&place, &name, bytes, limits, &mut problems).and_then(|checked| {
            // A logo is SVG, PNG or WebP (the record refuses any other kind, `LOGO_TYPES`):
            // a JPEG or GIF named as one is never decoded, only refused.
            let raster = matches!(MediaKind::of(&name), Some(MediaKind::Png | MediaKind::Webp));
            if logo == Some(name.as_str()) && raster {
                media.logo_copies = logo_copies(&place, &name, &checked.bytes, budget)?;
            }
            Ok(checked)
        });
        match checked {
            Ok(checked) => {
                media.files.insert(name, checked);
            }
            Err(problem) => problems.push(problem),
        }
    }
    (media, problems)
}

/// Where a problem with one image is shown: at the line of connector.yaml that names the file
/// (`logo:` or a screenshot's `file:`) when there is one, else at the file.
struct Place {
    file: PathBuf,
    named: Option<(PathBuf, Range<usize>)>,
}

impl Place {
    fn problem(&self, code: &'static str, message: String, help: impl Into<String>) -> Diagnostic {
        self.at(Diagnostic::error(code, message), help)
    }

    fn warning(&self, code: &'static str, message: String, help: impl Into<String>) -> Diagnostic {
        self.at(Diagnostic::warning(code, message), help)
    }

    fn at(&self, diagnostic: Diagnostic, help: impl Into<String>) -> Diagnostic {
        match &self.named {
            Some((record, range)) => diagnostic
                .at(record, range.clone(), "this image")
                .with_context(&self.file, 0..0, "this file"),
            None => diagnostic.at(&self.file, 0..0, "this file"),
        }
        .with_help(help)
    }
}

/// Checks one image; `name` is its path in the connector's folder. What it will be published
/// without is a warning, added to `warnings`.
fn check(
    place: &Place,
    name: &str,
    bytes: Vec<u8>,
    limits: &Limits,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Media, Diagnostic> {
    let Some(claimed) = MediaKind::of(name) else {
        return Err(place.problem(
            "file-type",
            format!("`{name}` is not an image marketgen can publish"),
            format!("use one of: {}", MediaKind::EXTENSIONS),
        ));
    };
    // Entity declarations are how XML bombs expand; no logo needs one.
    if claimed == MediaKind::Svg
        && String::from_utf8_lossy(&bytes)
            .to_ascii_lowercase()
            .contains("<!entity")
    {
        return Err(place.problem(
            "unsafe-svg",
            "the SVG declares XML entities".into(),
            "remove the DOCTYPE and its entity declarations",
        ));
    }
    let actual = sniff(&bytes);
    if actual != Some(claimed) {
        let found = match actual {
            Some(kind) => kind.name(),
            None if looks_like_markup(&bytes) => "HTML or XML text",
            None => "not an image format marketgen knows",
        };
        return Err(place.problem(
            "file-type",
            format!(
                "`{name}` claims to be {} by its extension, but its bytes are {found}",
                claimed.name()
            ),
            "export the image again in the format its name says, or rename it to match",
        ));
    }
    if claimed == MediaKind::Svg {
        let (media, dropped) = svg::clean(&bytes, limits).map_err(|(code, message, help)| {
            place.problem(code, format!("`{name}` {message}"), help)
        })?;
        if let Some((code, message, help)) = dropped {
            warnings.push(place.warning(code, format!("`{name}` {message}"), help));
        }
        return Ok(media);
    }
    let (width, height) = header_size(&bytes, limits).map_err(|message| {
        place.problem(
            "image-too-large",
            format!("`{name}` {message}"),
            "scale the image down (screenshots read well at 1600 pixels wide, logos at 512), or raise `image_px` or `image_megapixels` under `limits:` in site.yaml",
        )
    })?;
    Ok(Media {
        bytes: Arc::from(bytes),
        width,
        height,
    })
}

/// A raster's dimensions from its header, within the limits; the message says what is wrong.
fn header_size(bytes: &[u8], limits: &Limits) -> Result<(u32, u32), String> {
    let size = imagesize::blob_size(bytes).map_err(|e| format!("has no readable size: {e}"))?;
    let (width, height) = (size.width as u64, size.height as u64);
    let max_side = u64::from(limits.image_px);
    let max_pixels = u64::from(limits.image_megapixels) * 1_000_000;
    if width == 0 || height == 0 {
        return Err(format!("is {width}×{height} pixels: it has no area"));
    }
    if width > max_side || height > max_side {
        return Err(format!(
            "is {width}×{height} pixels; the limit is {max_side} on each side"
        ));
    }
    if width * height > max_pixels {
        return Err(format!(
            "is {width}×{height} pixels; the limit is {} megapixels",
            limits.image_megapixels
        ));
    }
    Ok((width as u32, height as u32))
}

/// The copies of a raster logo for its slots (PNG, each within its size, never enlarged,
/// `copies`), decoded once within its share of the run's decode budget: the header was checked against the
/// limits already, and what the decode will allocate is reserved before it starts.
fn logo_copies(
    place: &Place,
    name: &str,
    bytes: &[u8],
    budget: &Budget,
) -> Result<Vec<(u32, Vec<u8>)>, Diagnostic> {
    let undecodable = |message: String| {
        place.problem(
            "invalid-image",
            format!("`{name}` cannot be decoded: {message}"),
            "export the logo again as PNG or WebP",
        )
    };
    let kind = sniff(bytes).ok_or_else(|| undecodable("its format is unknown".into()))?;
    let copies = decode::decode(kind, bytes, budget, copies::make);
    match copies {
        Ok(copies) => copies.map_err(undecodable),
        Err(decode::Refusal::Undecodable(message)) => Err(undecodable(message)),
        Err(decode::Refusal::TooCostly { needs, allowed }) => Err(place.problem(
            "image-too-large",
            format!(
                "`{name}` would take {} MB to decode; logos decode within {} MB (eight bytes a pixel of `image_megapixels`, and working space)",
                needs.div_ceil(1_000_000),
                allowed / 1_000_000
            ),
            "scale the logo down (logos read well at 512 pixels) or save it as an 8-bit PNG, or raise `image_megapixels` under `limits:` in site.yaml",
        )),
    }
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

#[cfg(test)]
mod tests;
