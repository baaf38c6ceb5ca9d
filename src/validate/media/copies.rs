//! A decoded raster logo made into its slot copies: resized by fast_image_resize, encoded as
//! PNG.
//!
//! The resizing is the cost of a build with raster logos (a 6,000 px logo is 9 to 48
//! megapixels for two copies of under 37,000 pixels), so it is done once at full size: the
//! largest copy is made from the logo, each smaller one from the copy before it, which is at
//! least as large. A copy the logo already fits is the logo as decoded, never enlarged, and
//! encoded once for every slot it fits. Alpha is premultiplied in the decoded buffer itself
//! rather than in a copy of it, so that nothing the size of the logo is allocated besides its
//! decode: what is allocated here is `decode::working_space` and `decode::copies_bytes`.

use fast_image_resize::images::Image;
use fast_image_resize::{FilterType, MulDiv, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::DynamicImage;

use crate::model::LOGO_COPIES;

/// The logo's copies, PNG, by the size they fit in, in the order of [`LOGO_COPIES`].
pub fn make(image: DynamicImage) -> Result<Vec<(u32, Vec<u8>)>, String> {
    let mut logo = Pixels::of(image)?;
    let mut slots = LOGO_COPIES;
    slots.sort_unstable_by(|a, b| b.cmp(a));
    let mut copies = Vec::with_capacity(slots.len());
    // The logo as decoded, encoded once for every slot it fits.
    let mut as_decoded: Option<Vec<u8>> = None;
    // The last resized copy, its alpha still premultiplied: the next copy is made from it.
    let mut smaller: Option<Pixels> = None;
    let mut resizer = Resizer::new();
    for px in slots {
        let (width, height) = fit(logo.width, logo.height, px);
        // Slots are taken largest first, so the ones the logo fits come before any resize
        // premultiplies its alpha.
        if (width, height) == (logo.width, logo.height) {
            let png = match &as_decoded {
                Some(png) => png.clone(),
                None => as_decoded.insert(encode(&logo)?).clone(),
            };
            copies.push((px, png));
            continue;
        }
        if smaller.is_none() {
            logo.premultiply()?;
        }
        let from = smaller.as_mut().unwrap_or(&mut logo);
        let resized = from.resize(&mut resizer, width, height)?;
        let mut shown = resized.clone();
        shown.unpremultiply()?;
        copies.push((px, encode(&shown)?));
        smaller = Some(resized);
    }
    copies.sort_unstable_by_key(|&(px, _)| LOGO_COPIES.iter().position(|&slot| slot == px));
    Ok(copies)
}

/// The size of a `width`×`height` image scaled to fit in `px`×`px` keeping its proportions,
/// or its own when it fits already. The same rounding as `image`'s `resize`, in integers.
pub fn fit(width: u32, height: u32, px: u32) -> (u32, u32) {
    if width <= px && height <= px {
        return (width, height);
    }
    let (long, short) = (u64::from(width.max(height)), u64::from(width.min(height)));
    let scaled = ((short * u64::from(px) * 2 + long) / (long * 2)).max(1) as u32;
    match width >= height {
        true => (px, scaled),
        false => (scaled, px),
    }
}

/// 8-bit pixels, one to four samples each, as the decoders hand them over.
#[derive(Clone)]
struct Pixels {
    width: u32,
    height: u32,
    kind: PixelType,
    bytes: Vec<u8>,
}

impl Pixels {
    fn of(image: DynamicImage) -> Result<Pixels, String> {
        let (width, height) = (image.width(), image.height());
        let (kind, bytes) = match image {
            DynamicImage::ImageLuma8(image) => (PixelType::U8, image.into_raw()),
            DynamicImage::ImageLumaA8(image) => (PixelType::U8x2, image.into_raw()),
            DynamicImage::ImageRgb8(image) => (PixelType::U8x3, image.into_raw()),
            DynamicImage::ImageRgba8(image) => (PixelType::U8x4, image.into_raw()),
            // The decoders are set to hand over 8-bit samples only (`decode::Opened`).
            _ => return Err("its pixels are not 8-bit".into()),
        };
        Ok(Pixels {
            width,
            height,
            kind,
            bytes,
        })
    }

    fn has_alpha(&self) -> bool {
        matches!(self.kind, PixelType::U8x2 | PixelType::U8x4)
    }

    fn view(&mut self) -> Result<Image<'_>, String> {
        Image::from_slice_u8(self.width, self.height, &mut self.bytes, self.kind)
            .map_err(|e| e.to_string())
    }

    /// Colours weighted by their alpha, so that a transparent pixel's colour (often black or
    /// noise) does not bleed into its visible neighbours when they are averaged.
    fn premultiply(&mut self) -> Result<(), String> {
        if !self.has_alpha() {
            return Ok(());
        }
        MulDiv::default()
            .multiply_alpha_inplace(&mut self.view()?)
            .map_err(|e| e.to_string())
    }

    fn unpremultiply(&mut self) -> Result<(), String> {
        if !self.has_alpha() {
            return Ok(());
        }
        MulDiv::default()
            .divide_alpha_inplace(&mut self.view()?)
            .map_err(|e| e.to_string())
    }

    /// A copy of `width`×`height`, by a bilinear (triangle) convolution whose kernel widens
    /// with the scale, so every pixel of the source counts; alpha is already premultiplied.
    fn resize(&mut self, resizer: &mut Resizer, width: u32, height: u32) -> Result<Pixels, String> {
        let kind = self.kind;
        let mut copy = Image::new(width, height, kind);
        let options = ResizeOptions::new()
            .resize_alg(ResizeAlg::Convolution(FilterType::Bilinear))
            .use_alpha(false);
        resizer
            .resize(&self.view()?, &mut copy, &options)
            .map_err(|e| e.to_string())?;
        Ok(Pixels {
            width,
            height,
            kind,
            bytes: copy.into_vec(),
        })
    }
}

/// The PNG of `pixels`: fdeflate's fast mode with adaptive row filters, which for logos of
/// 192 pixels is within a few percent of zlib's default level in size and several times faster.
fn encode(pixels: &Pixels) -> Result<Vec<u8>, String> {
    let color = match pixels.kind {
        PixelType::U8 => png::ColorType::Grayscale,
        PixelType::U8x2 => png::ColorType::GrayscaleAlpha,
        PixelType::U8x3 => png::ColorType::Rgb,
        _ => png::ColorType::Rgba,
    };
    let mut png = Vec::new();
    let mut encoder = png::Encoder::new(&mut png, pixels.width, pixels.height);
    encoder.set_color(color);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    writer
        .write_image_data(&pixels.bytes)
        .map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())?;
    Ok(png)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_keeps_proportions_as_image_rounds_them() {
        for (width, height) in [(6000, 1500), (1500, 6000), (193, 1), (1000, 999), (97, 96)] {
            for px in LOGO_COPIES {
                let image = DynamicImage::new_luma8(width, height);
                let ours = fit(width, height, px);
                if width <= px && height <= px {
                    assert_eq!(ours, (width, height));
                } else {
                    let theirs = image.resize(px, px, image::imageops::FilterType::Nearest);
                    assert_eq!(
                        ours,
                        (theirs.width(), theirs.height()),
                        "{width}×{height} in {px}"
                    );
                }
            }
        }
    }

    fn decoded(png: &[u8]) -> image::RgbaImage {
        image::load_from_memory(png).unwrap().to_rgba8()
    }

    #[test]
    fn the_colour_of_transparent_pixels_does_not_bleed_into_the_copies() {
        // Opaque blue columns between transparent red ones: averaged without weighting by
        // alpha, the copies' visible pixels would be purple.
        let logo = image::RgbaImage::from_fn(1000, 400, |x, _| match x % 2 {
            0 => image::Rgba([0, 0, 255, 255]),
            _ => image::Rgba([255, 0, 0, 0]),
        });
        let copies = make(DynamicImage::ImageRgba8(logo)).unwrap();
        assert_eq!(copies.len(), LOGO_COPIES.len());
        for (px, png) in copies {
            let copy = decoded(&png);
            assert_eq!(copy.dimensions(), fit(1000, 400, px));
            for pixel in copy.pixels().filter(|p| p[3] > 0) {
                assert!(pixel[0] < 8 && pixel[2] > 247, "{px}: {pixel:?}");
            }
        }
    }

    #[test]
    fn a_logo_within_every_slot_is_encoded_once_as_decoded() {
        let logo = image::RgbImage::from_fn(90, 60, |x, y| image::Rgb([x as u8, y as u8, 7]));
        let copies = make(DynamicImage::ImageRgb8(logo.clone())).unwrap();
        let slots: Vec<u32> = copies.iter().map(|(px, _)| *px).collect();
        assert_eq!(slots, LOGO_COPIES);
        assert!(copies.iter().all(|(_, png)| *png == copies[0].1));
        assert_eq!(
            image::load_from_memory(&copies[0].1).unwrap().to_rgb8(),
            logo
        );
    }
}
