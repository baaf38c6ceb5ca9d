//! Raster logos, PNG or WebP, decoded within one byte budget for the whole run.
//!
//! Each is opened by its own decoder with the metadata marketgen never uses left unread (PNG's
//! iCCP and text chunks are skipped, not inflated; WebP's ICCP, EXIF and XMP chunks are never
//! read), and what decoding and making the slot copies will allocate is worked out from the
//! header before any pixel is decoded. That many bytes are reserved from the run's [`Budget`]
//! first, so logos decoding in parallel share one allowance instead of taking one each; a logo
//! that could never fit is refused, never waited for. The png crate, which counts its own
//! buffers, is held to its part of the figure.

use std::io::Cursor;
use std::sync::{Condvar, Mutex, PoisonError};

use image::{DynamicImage, ImageBuffer};

use crate::load::site::Limits;
use crate::model::{LOGO_COPIES, MediaKind};

/// The bytes every logo decode of one run draws from: eight a pixel of `image_megapixels` (what
/// each decode was allowed on its own before, when every thread took one such allowance), plus
/// the working space of the widest logo and the largest file the limits allow.
pub struct Budget {
    total: u64,
    free: Mutex<u64>,
    returned: Condvar,
}

/// Why a logo was not decoded.
pub enum Refusal {
    /// Decoding it would take more than the whole budget.
    TooCostly { needs: u64, allowed: u64 },
    /// The decoder refused it; its message.
    Undecodable(String),
}

impl Budget {
    pub fn new(limits: &Limits) -> Budget {
        let pixels = u64::from(limits.image_megapixels) * 1_000_000;
        let total =
            pixels * 8 + working_space(limits.image_px, limits.image_px, limits.image_kib * 1024);
        Budget {
            total,
            free: Mutex::new(total),
            returned: Condvar::new(),
        }
    }

    /// Takes `bytes` from the budget, waiting while other decodes hold too much of it.
    fn reserve(&self, bytes: u64) -> Result<Reservation<'_>, Refusal> {
        if bytes > self.total {
            return Err(Refusal::TooCostly {
                needs: bytes,
                allowed: self.total,
            });
        }
        // A decode holds no lock while it runs, so a poisoned lock only means a panic
        // elsewhere; the count it guards is still right.
        let mut free = self.free.lock().unwrap_or_else(PoisonError::into_inner);
        while *free < bytes {
            free = self
                .returned
                .wait(free)
                .unwrap_or_else(PoisonError::into_inner);
        }
        *free -= bytes;
        Ok(Reservation {
            budget: self,
            bytes,
        })
    }
}

/// Bytes taken from a [`Budget`], given back when dropped.
struct Reservation<'a> {
    budget: &'a Budget,
    bytes: u64,
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        let mut free = self
            .budget
            .free
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        *free += self.bytes;
        self.budget.returned.notify_all();
    }
}

/// Decodes a raster logo within its share of `budget` and hands it to `then` (which makes the
/// copies) while the share is still held.
pub fn decode<T>(
    kind: MediaKind,
    bytes: &[u8],
    budget: &Budget,
    then: impl FnOnce(DynamicImage) -> T,
) -> Result<T, Refusal> {
    let (opened, needs) = open(kind, bytes).map_err(Refusal::Undecodable)?;
    let _held = budget.reserve(needs)?;
    let image = opened.decode().map_err(Refusal::Undecodable)?;
    Ok(then(image))
}

/// The logo's header read, and what decoding it and making its copies will allocate.
fn open(kind: MediaKind, bytes: &[u8]) -> Result<(Opened<'_>, u64), String> {
    let mut opened = Opened::new(kind, bytes)?;
    let (width, height) = opened.dimensions();
    let needs = opened.decoder_bytes(bytes.len() as u64)
        + working_space(width, height, bytes.len() as u64)
        + copies_bytes(width, height);
    Ok((opened, needs))
}

/// What every decode takes besides its pixels and its decoder's buffers: the resizing of the
/// copies (fast_image_resize's vertical pass first, into a row of 4-byte pixels per output row
/// for each input column, 192 rows at most, and its convolution coefficients, a few per input
/// row and column; alpha is premultiplied in the decoded pixels, `copies`), and room for a few
/// copies of the file's bytes.
fn working_space(width: u32, height: u32, file_bytes: u64) -> u64 {
    let rows = u64::from(*LOGO_COPIES.iter().max().unwrap_or(&0));
    let (width, height) = (u64::from(width), u64::from(height));
    width * rows * 4 + (width + height) * 128 + 4 * file_bytes + (1 << 20)
}

/// The copies themselves, 8-bit pixels of at most four samples, at most the size of the slots:
/// each as resized, the one the next is made from, as shown (alpha divided out again), and its
/// PNG encoding, with the encoder's rows and state.
fn copies_bytes(width: u32, height: u32) -> u64 {
    LOGO_COPIES
        .iter()
        .map(|&px| u64::from(width.min(px)) * u64::from(height.min(px)) * 4 * 5 + (256 << 10))
        .sum()
}

/// A logo whose header has been read, ready to decode.
enum Opened<'a> {
    /// Only the image header is read: the chunks before the pixels are read once the decode's
    /// share is reserved.
    Png {
        decoder: Box<png::Decoder<Cursor<&'a [u8]>>>,
        width: u32,
        height: u32,
        /// The widest output pixel: EXPAND adds an alpha sample when a `tRNS` chunk follows.
        samples: u64,
    },
    Webp(Box<image_webp::WebPDecoder<Cursor<&'a [u8]>>>),
}

impl<'a> Opened<'a> {
    /// Reads the header; the error is the decoder's message.
    fn new(kind: MediaKind, bytes: &'a [u8]) -> Result<Self, String> {
        Ok(match kind {
            MediaKind::Png => {
                let png_error = |e: png::DecodingError| e.to_string();
                let mut decoder = png::Decoder::new(Cursor::new(bytes));
                // Marketgen reads only the pixels: an ICC profile or text is never inflated,
                // whatever it claims to hold.
                decoder.set_ignore_iccp_chunk(true);
                decoder.set_ignore_text_chunk(true);
                // The copies are 8-bit: 16-bit samples are never widened to 8 bytes a pixel.
                decoder.set_transformations(
                    png::Transformations::EXPAND | png::Transformations::STRIP_16,
                );
                let info = decoder.read_header_info().map_err(png_error)?;
                let (width, height) = (info.width, info.height);
                let samples = match info.color_type {
                    png::ColorType::Grayscale | png::ColorType::GrayscaleAlpha => 2,
                    _ => 4,
                };
                let own = png_own_bytes(width, bytes.len() as u64);
                decoder.set_limits(png::Limits {
                    bytes: usize::try_from(own).unwrap_or(usize::MAX),
                });
                Opened::Png {
                    decoder: Box::new(decoder),
                    width,
                    height,
                    samples,
                }
            }
            MediaKind::Webp => {
                let mut decoder =
                    image_webp::WebPDecoder::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
                // Its metadata chunks are read only on request, and never requested here.
                decoder.set_memory_limit(0);
                Opened::Webp(Box::new(decoder))
            }
            MediaKind::Svg | MediaKind::Jpeg | MediaKind::Gif => {
                return Err("only PNG and WebP logos are decoded".into());
            }
        })
    }

    fn dimensions(&self) -> (u32, u32) {
        match self {
            Opened::Png { width, height, .. } => (*width, *height),
            Opened::Webp(decoder) => decoder.dimensions(),
        }
    }

    /// What the decoder allocates for `file_bytes` of this image: its output and its own
    /// buffers, each bound read from the decoder's source.
    fn decoder_bytes(&mut self, file_bytes: u64) -> u64 {
        let (width, height) = self.dimensions();
        let pixels = u64::from(width) * u64::from(height);
        match self {
            Opened::Png { samples, .. } => pixels * *samples + png_own_bytes(width, file_bytes),
            Opened::Webp(decoder) => {
                let output = decoder.output_buffer_size().unwrap_or(usize::MAX) as u64;
                output + webp_own_bytes(decoder, pixels, file_bytes)
            }
        }
    }

    /// Decodes the first frame, the decoders that count their allocations held to the budget.
    fn decode(self) -> Result<DynamicImage, String> {
        let mismatch = || "its pixels do not match its dimensions".to_string();
        match self {
            Opened::Png { decoder, .. } => {
                let mut reader = decoder.read_info().map_err(|e| e.to_string())?;
                let size = reader.output_buffer_size().ok_or_else(mismatch)?;
                let mut buffer = vec![0; size];
                let frame = reader.next_frame(&mut buffer).map_err(|e| e.to_string())?;
                buffer.truncate(frame.buffer_size());
                let (width, height) = (frame.width, frame.height);
                match frame.color_type {
                    png::ColorType::Grayscale => {
                        ImageBuffer::from_raw(width, height, buffer).map(DynamicImage::ImageLuma8)
                    }
                    png::ColorType::GrayscaleAlpha => {
                        ImageBuffer::from_raw(width, height, buffer).map(DynamicImage::ImageLumaA8)
                    }
                    png::ColorType::Rgb => {
                        ImageBuffer::from_raw(width, height, buffer).map(DynamicImage::ImageRgb8)
                    }
                    png::ColorType::Rgba => {
                        ImageBuffer::from_raw(width, height, buffer).map(DynamicImage::ImageRgba8)
                    }
                    // EXPAND turns a palette into RGB or RGBA.
                    png::ColorType::Indexed => None,
                }
                .ok_or_else(mismatch)
            }
            Opened::Webp(mut decoder) => {
                let (width, height) = decoder.dimensions();
                let mut buffer = vec![0; decoder.output_buffer_size().ok_or_else(mismatch)?];
                decoder.read_image(&mut buffer).map_err(|e| e.to_string())?;
                match decoder.has_alpha() {
                    true => {
                        ImageBuffer::from_raw(width, height, buffer).map(DynamicImage::ImageRgba8)
                    }
                    false => {
                        ImageBuffer::from_raw(width, height, buffer).map(DynamicImage::ImageRgb8)
                    }
                }
                .ok_or_else(mismatch)
            }
        }
    }
}

/// What the png crate allocates besides the output: a few rows of the widest samples and the
/// inflater's window, and chunks it keeps whole (`eXIf`, which it cannot skip: a buffer that
/// doubles as it fills, then a copy), no larger than the file. It counts these against its
/// `Limits`.
fn png_own_bytes(width: u32, file_bytes: u64) -> u64 {
    let row = u64::from(width) * 8 + 1;
    row * 8 + 3 * file_bytes + (256 << 10)
}

/// What image-webp allocates besides the output, a pixel by the kind of image: a lossy frame's
/// YUV planes (1.5), a lossy alpha plane decoded losslessly (6: RGBA, then its green), a
/// lossless image's transforms' sub-images (under 1), and without alpha, the RGBA it is decoded
/// to first (4); an animation adds its canvas (4) and the frame before it is composed (4).
/// A lossless stream (the image, a lossy image's alpha, or a frame) also holds its prefix codes.
fn webp_own_bytes(
    decoder: &mut image_webp::WebPDecoder<Cursor<&[u8]>>,
    pixels: u64,
    file_bytes: u64,
) -> u64 {
    let (lossy, alpha, animated) = (
        decoder.is_lossy(),
        decoder.has_alpha(),
        decoder.is_animated(),
    );
    let frame = match (lossy, alpha) {
        (true, true) => 2 + 6,
        (true, false) => 2,
        (false, true) => 1,
        (false, false) => 4 + 1,
    };
    let a_pixel = match animated {
        true => u64::max(frame, 2 + 6) + 4 + 4,
        false => frame,
    };
    let lossless = !lossy || alpha || animated;
    pixels * a_pixel + u64::from(lossless) * PREFIX_CODE_BYTES_A_BYTE * file_bytes
}

/// The most a byte of a lossless WebP stream can make image-webp allocate for prefix codes: it
/// builds every group of five codes the stream declares (up to 65,536 groups, whatever the
/// image's size), and about 92 bits of stream make a code with a 4 KB lookup table (360 times
/// as many bytes), codes longer than ten bits a little more (tree nodes, under 550 times).
/// Measured: a 1.9 MB lossless logo of 512×512 pixels declaring 30,000 groups took 610 MB.
const PREFIX_CODE_BYTES_A_BYTE: u64 = 600;

#[cfg(test)]
mod tests {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::cell::Cell;
    use std::path::PathBuf;
    use std::sync::atomic::{AtomicU64, Ordering};

    use super::super::{Place, logo_copies};
    use super::*;

    /// The unit tests' allocator: the system's, counting what each thread holds and the most
    /// it held, so that a decode's allocations can be held to its reservation.
    struct Counting;

    thread_local! {
        static HELD: Cell<i64> = const { Cell::new(0) };
        static MOST: Cell<i64> = const { Cell::new(0) };
    }

    fn count(bytes: i64) {
        // Threads being torn down have no counters left; nothing is measured there.
        let _ = HELD.try_with(|held| {
            held.set(held.get() + bytes);
            let _ = MOST.try_with(|most| most.set(most.get().max(held.get())));
        });
    }

    // SAFETY: every call is passed to the system allocator unchanged; only sizes are counted.
    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            count(layout.size() as i64);
            unsafe { System.alloc(layout) }
        }
        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            count(layout.size() as i64);
            unsafe { System.alloc_zeroed(layout) }
        }
        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            count(new_size as i64);
            let moved = unsafe { System.realloc(ptr, layout, new_size) };
            count(-(layout.size() as i64));
            moved
        }
        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            unsafe { System.dealloc(ptr, layout) };
            count(-(layout.size() as i64));
        }
    }

    #[global_allocator]
    static COUNTING: Counting = Counting;

    /// The most `run` held at once on this thread, beyond what was held before it.
    fn most_held(run: impl FnOnce()) -> u64 {
        let before = HELD.with(Cell::get);
        MOST.with(|most| most.set(before));
        run();
        (MOST.with(Cell::get) - before) as u64
    }

    fn encoded(image: image::DynamicImage, format: image::ImageFormat) -> Vec<u8> {
        let mut bytes = Vec::new();
        image
            .write_to(&mut Cursor::new(&mut bytes), format)
            .unwrap();
        bytes
    }

    /// A PNG of `color` and `depth` whose pixels alternate, with an `eXIf` chunk of `exif`
    /// bytes, or an animation of `frames` frames.
    fn png(color: png::ColorType, depth: png::BitDepth, exif: usize, frames: u32) -> Vec<u8> {
        let (width, height) = (1200u32, 900u32);
        let mut bytes = Vec::new();
        let mut encoder = png::Encoder::new(&mut bytes, width, height);
        encoder.set_color(color);
        encoder.set_depth(depth);
        if frames > 1 {
            encoder.set_animated(frames, 0).unwrap();
        }
        let mut writer = encoder.write_header().unwrap();
        if exif > 0 {
            writer
                .write_chunk(png::chunk::eXIf, &vec![7; exif])
                .unwrap();
        }
        let row = (width as usize * color.samples() * depth as usize).div_ceil(8);
        let pixels: Vec<u8> = (0..row * height as usize).map(|i| (i % 3) as u8).collect();
        for _ in 0..frames {
            writer.write_image_data(&pixels).unwrap();
        }
        writer.finish().unwrap();
        bytes
    }

    #[test]
    fn no_decode_allocates_more_than_it_reserves() {
        let rgba = image::DynamicImage::ImageRgba8(image::RgbaImage::from_fn(1200, 900, |x, y| {
            image::Rgba([(x % 251) as u8, (y % 241) as u8, 30, (x % 2 * 255) as u8])
        }));
        let rgb = image::DynamicImage::ImageRgb8(rgba.to_rgb8());
        let logos = [
            (
                "8-bit RGBA PNG",
                MediaKind::Png,
                png(png::ColorType::Rgba, png::BitDepth::Eight, 0, 1),
            ),
            (
                "16-bit RGB PNG",
                MediaKind::Png,
                png(png::ColorType::Rgb, png::BitDepth::Sixteen, 0, 1),
            ),
            (
                "grey PNG",
                MediaKind::Png,
                png(png::ColorType::Grayscale, png::BitDepth::Two, 0, 1),
            ),
            (
                "PNG with 1 MB of eXIf",
                MediaKind::Png,
                png(png::ColorType::Rgba, png::BitDepth::Eight, 1 << 20, 1),
            ),
            (
                "APNG of 20 frames",
                MediaKind::Png,
                png(png::ColorType::Rgba, png::BitDepth::Eight, 0, 20),
            ),
            (
                "lossless WebP with alpha",
                MediaKind::Webp,
                encoded(rgba, image::ImageFormat::WebP),
            ),
            (
                "lossless WebP without alpha",
                MediaKind::Webp,
                encoded(rgb, image::ImageFormat::WebP),
            ),
        ];
        let place = Place {
            file: PathBuf::from("c/logo"),
            named: None,
        };
        let budget = Budget::new(&Limits::default());
        for (shape, kind, bytes) in logos {
            let (_, reserved) = open(kind, &bytes).ok().unwrap();
            let held = most_held(|| {
                let copies = logo_copies(&place, "logo", &bytes, &budget);
                assert!(copies.is_ok(), "{shape} does not decode");
            });
            assert!(
                held <= reserved,
                "{shape}: {held} bytes held, {reserved} reserved"
            );
        }
    }

    #[test]
    fn a_decode_larger_than_the_whole_budget_is_refused_not_awaited() {
        let budget = Budget::new(&Limits::default());
        let _most = budget.reserve(budget.total - 1).ok().unwrap();
        match budget.reserve(budget.total + 1) {
            Err(Refusal::TooCostly { needs, allowed }) => {
                assert_eq!((needs, allowed), (budget.total + 1, budget.total));
            }
            _ => panic!("a reservation over the whole budget must be refused"),
        }
    }

    #[test]
    fn decodes_on_many_threads_hold_no_more_than_the_budget_at_once() {
        let budget = Budget::new(&Limits::default());
        let share = budget.total * 2 / 5;
        let (held, most) = (AtomicU64::new(0), AtomicU64::new(0));
        std::thread::scope(|scope| {
            for _ in 0..8 {
                scope.spawn(|| {
                    for _ in 0..50 {
                        let _reservation = budget.reserve(share).ok().unwrap();
                        let now = held.fetch_add(share, Ordering::SeqCst) + share;
                        most.fetch_max(now, Ordering::SeqCst);
                        std::thread::yield_now();
                        held.fetch_sub(share, Ordering::SeqCst);
                    }
                });
            }
        });
        // Two shares fit, three do not.
        assert!(most.load(Ordering::SeqCst) <= 2 * share);
    }
}
