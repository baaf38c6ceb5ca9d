//! Logos decode within one allowance for the whole run, whatever their files hold: `check`
//! runs on sites of eight connectors whose logos are built to be expensive, with as many
//! threads as logos, and its peak memory (the child's own high-water mark, `support::measured`) is held to
//! that of a site with one such logo, or with clean logos.

use std::path::Path;
use std::process::Command;

use crate::support::{TODAY, new_site};

/// Eight connectors, as the example: eight allowances at once before the budget.
const LOGOS: usize = 8;

/// What a run may take beyond the site it is compared with: allocator slack and threads.
const MARGIN_KIB: u64 = 40 * 1024;

/// Runs `marketgen check` on `root` with a thread per logo: its report, exit code and peak
/// resident memory in KiB.
fn check_peak(root: &Path) -> (String, i32, u64) {
    let run = crate::support::measured(
        Command::new(assert_cmd::cargo::cargo_bin("marketgen"))
            .args(["check", "--color", "never", "--format", "short", "--root"])
            .arg(root)
            .env("SOURCE_DATE_EPOCH", TODAY)
            .env("RAYON_NUM_THREADS", LOGOS.to_string())
            // mimalloc gives freed pages back 10 ms after the free: a decode that starts as
            // another ends would count both. The budget bounds what is allocated, so the figure
            // should too.
            .env("MIMALLOC_PURGE_DELAY", "0"),
    );
    (run.stdout, run.code, run.peak_kib)
}

/// Checks both sites: the hostile one's report and exit code are the clean one's, and its peak
/// memory stays within `MARGIN_KIB` of the clean one's. The report.
fn assert_costs_what_clean_costs(clean: &tempfile::TempDir, hostile: &tempfile::TempDir) -> String {
    let (clean_report, clean_code, clean_peak) = check_peak(&site_root(clean));
    let (report, code, peak) = check_peak(&site_root(hostile));
    assert_eq!((code, &report), (clean_code, &clean_report));
    assert!(
        peak < clean_peak + MARGIN_KIB,
        "peak {} MiB, clean logos {} MiB",
        peak >> 10,
        clean_peak >> 10
    );
    report
}

/// A site of `count` draft connectors, each with `logo` as its logo file `logo.EXTENSION`.
fn site_with_logos(extension: &str, logo: &[u8], count: usize) -> tempfile::TempDir {
    let (dir, site) = new_site();
    for i in 1..=count {
        crate::support::marketgen()
            .current_dir(&site)
            .args(["new", "connector", &format!("acme-{i}")])
            .assert()
            .success();
        let folder = site.join(format!("content/connectors/acme-{i}"));
        std::fs::remove_file(folder.join("logo.svg")).unwrap();
        std::fs::write(folder.join(format!("logo.{extension}")), logo).unwrap();
        let record = std::fs::read_to_string(folder.join("connector.yaml")).unwrap();
        let record = record.replace("logo: logo.svg", &format!("logo: logo.{extension}"));
        std::fs::write(folder.join("connector.yaml"), record).unwrap();
    }
    dir
}

fn site_root(dir: &tempfile::TempDir) -> std::path::PathBuf {
    dir.path().join("market")
}

/// Bits written least significant first, as deflate and GIF's LZW pack them.
#[derive(Default)]
struct LsbBits {
    bytes: Vec<u8>,
    pending: u64,
    count: u32,
}

impl LsbBits {
    fn put(&mut self, value: u64, bits: u32) {
        self.pending |= value << self.count;
        self.count += bits;
        while self.count >= 8 {
            self.bytes.push(self.pending as u8);
            self.pending >>= 8;
            self.count -= 8;
        }
    }

    /// A Huffman code, which deflate packs starting from its most significant bit.
    fn code(&mut self, code: u64, bits: u32) {
        let reversed = (0..bits).fold(0, |r, i| r | ((code >> i) & 1) << (bits - 1 - i));
        self.put(reversed, bits);
    }

    fn finish(mut self) -> Vec<u8> {
        if self.count > 0 {
            self.bytes.push(self.pending as u8);
        }
        self.bytes
    }
}

/// A zlib stream of `zeros` zero bytes, about 1,000 times smaller: one dynamic-Huffman block
/// where a literal zero, the end of the block and a 258-byte copy at distance 1 have codes of
/// two, two and one bits (the best deflate can do).
fn zlib_of_zeros(zeros: u64) -> Vec<u8> {
    let mut bits = LsbBits::default();
    bits.put(1, 1); // the last block
    bits.put(2, 2); // dynamic Huffman codes
    bits.put(286 - 257, 5);
    bits.put(0, 5); // one distance code
    bits.put(18 - 4, 4);
    // Code lengths of the code-length alphabet, in deflate's order: 18 → 1, 2 → 2, 1 → 2.
    const ORDER: [u64; 18] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1];
    for symbol in ORDER {
        bits.put(
            match symbol {
                18 => 1,
                1 | 2 => 2,
                _ => 0,
            },
            3,
        );
    }
    // Their canonical codes: 18 is 0, 1 is 10, 2 is 11.
    let (length_1, length_2, zeros_run) = ((0b10, 2), (0b11, 2), (0b0, 1));
    let run_of_zeros = |bits: &mut LsbBits, n: u64| {
        bits.code(zeros_run.0, zeros_run.1);
        bits.put(n - 11, 7);
    };
    bits.code(length_2.0, length_2.1); // literal 0: two bits
    run_of_zeros(&mut bits, 138);
    run_of_zeros(&mut bits, 117); // literals 1 to 255: none
    bits.code(length_2.0, length_2.1); // the end of the block: two bits
    run_of_zeros(&mut bits, 28); // lengths 257 to 284: none
    bits.code(length_1.0, length_1.1); // length 258: one bit
    bits.code(length_1.0, length_1.1); // distance 1: one bit
    // The literal/length codes: 285 is 0, a literal zero 10, the end 11; distance 1 is 0.
    let literal_zero = |bits: &mut LsbBits| bits.code(0b10, 2);
    literal_zero(&mut bits);
    let copies = (zeros - 1) / 258;
    for _ in 0..copies {
        bits.code(0, 1);
        bits.code(0, 1);
    }
    for _ in 0..(zeros - 1) % 258 {
        literal_zero(&mut bits);
    }
    bits.code(0b11, 2);
    let mut stream = vec![0x78, 0x01];
    stream.extend(bits.finish());
    let adler = ((zeros % 65521) << 16) | 1;
    stream.extend((adler as u32).to_be_bytes());
    stream
}

/// A 512×512 RGBA logo, with an iCCP chunk holding a profile of `profile` bytes if any.
fn png_logo(profile: Option<u64>) -> Vec<u8> {
    let (width, height) = (512, 512);
    let pixels: Vec<u8> = (0..width * height)
        .flat_map(|i| match i % 7 {
            0 => [0, 0, 0, 0],
            _ => [10, 20, 30, 255],
        })
        .collect();
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().unwrap();
    if let Some(profile) = profile {
        let mut chunk = b"icc\0\0".to_vec();
        chunk.extend(zlib_of_zeros(profile));
        writer.write_chunk(png::chunk::iCCP, &chunk).unwrap();
    }
    writer.write_image_data(&pixels).unwrap();
    writer.finish().unwrap();
    bytes
}

#[test]
fn eight_logos_whose_icc_profiles_inflate_to_300_mb_cost_what_clean_logos_cost() {
    let hostile = png_logo(Some(300 << 20));
    assert!(hostile.len() < 512 << 10, "{} bytes", hostile.len());
    let clean = site_with_logos("png", &png_logo(None), LOGOS);
    let bombs = site_with_logos("png", &hostile, LOGOS);
    assert_costs_what_clean_costs(&clean, &bombs);
}

/// A progressive CMYK JPEG of `width`×`height` that holds only its first scan, the DC
/// coefficients, each one bit: a few hundred KB that zune-jpeg decodes by keeping every
/// coefficient of four components, eleven bytes a pixel with its RGB output.
fn progressive_cmyk_jpeg(width: u16, height: u16) -> Vec<u8> {
    let segment = |marker: u8, body: &[u8]| {
        let mut bytes = vec![0xFF, marker];
        bytes.extend((body.len() as u16 + 2).to_be_bytes());
        bytes.extend(body);
        bytes
    };
    let mut jpeg = vec![0xFF, 0xD8];
    // Adobe's segment, transform 0: the four components are CMYK.
    jpeg.extend(segment(0xEE, b"Adobe\0\x64\0\0\0\0\0"));
    jpeg.extend(segment(0xDB, &[[0].as_slice(), &[1; 64]].concat()));
    let mut frame = vec![8];
    frame.extend(height.to_be_bytes());
    frame.extend(width.to_be_bytes());
    frame.push(4);
    for component in 1..=4 {
        frame.extend([component, 0x11, 0]);
    }
    jpeg.extend(segment(0xC2, &frame));
    // One DC code, of one bit, for a difference of zero.
    let mut counts = [0; 16];
    counts[0] = 1;
    jpeg.extend(segment(0xC4, &[[0].as_slice(), &counts, &[0]].concat()));
    jpeg.extend(segment(
        0xDA,
        &[4, 1, 0, 2, 0, 3, 0, 4, 0, 0, 0, 0], // all four, DC only, first pass
    ));
    let blocks = usize::from(width).div_ceil(8) * usize::from(height).div_ceil(8) * 4;
    jpeg.extend(vec![0; blocks.div_ceil(8)]);
    jpeg.extend([0xFF, 0xD9]);
    jpeg
}

/// A clean baseline JPEG logo of 512×512.
fn baseline_jpeg() -> Vec<u8> {
    let image = image::RgbImage::from_fn(512, 512, |x, _| image::Rgb([(x % 251) as u8, 20, 30]));
    let mut bytes = Vec::new();
    image
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    bytes
}

#[test]
fn eight_progressive_cmyk_jpeg_logos_are_refused_without_being_decoded() {
    let hostile = progressive_cmyk_jpeg(3500, 3500);
    assert!(hostile.len() < 256 << 10, "{} bytes", hostile.len());
    let clean = site_with_logos("jpg", &baseline_jpeg(), LOGOS);
    let bombs = site_with_logos("jpg", &hostile, LOGOS);
    let report = assert_costs_what_clean_costs(&clean, &bombs);
    assert!(report.contains("error[file-type]: `logo` must be one of: svg, png, webp"));
}

/// A PNG of `side`×`side` in one colour: a few KB that decode to four bytes a pixel.
fn large_png(side: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, side, side);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().unwrap();
    // Row by row: this process stays small, and so does the child's figure (see `check_peak`).
    let mut stream = writer.stream_writer().unwrap();
    let row = vec![90; side as usize * 4];
    for _ in 0..side {
        std::io::Write::write_all(&mut stream, &row).unwrap();
    }
    stream.finish().unwrap();
    drop(writer);
    bytes
}

/// The decode budget at the default limits: eight bytes a pixel of 25 megapixels, and the
/// working space of the largest copies (4 bytes for each of 10,000 columns by 192 rows, and
/// the resizer's coefficients, 128 bytes for each of 10,000 columns and rows) and of a 2 MiB
/// file.
const BUDGET_KIB: u64 =
    (25_000_000 * 8 + 10_000 * 192 * 4 + 20_000 * 128 + 4 * (2 << 20) + (1 << 20)) >> 10;

#[test]
fn eight_logos_of_25_megapixels_share_one_allowance() {
    let clean = site_with_logos("png", &png_logo(None), LOGOS);
    let large = site_with_logos("png", &large_png(5000), LOGOS);
    let (clean_report, clean_code, clean_peak) = check_peak(&site_root(&clean));
    let (report, code, peak) = check_peak(&site_root(&large));
    assert_eq!((code, report), (clean_code, clean_report));
    assert!(
        peak < clean_peak + BUDGET_KIB + MARGIN_KIB,
        "peak {} MiB, small logos {} MiB, budget {} MiB",
        peak >> 10,
        clean_peak >> 10,
        BUDGET_KIB >> 10
    );
}

/// A lossless WebP of 512×512 pixels whose one prefix-code group image points at group
/// `groups - 1`, so that the decoder builds `groups` groups of five codes, each code with a
/// 4 KB lookup table bought with 92 bits of stream (code lengths 1 to 10 and 10 again); every
/// pixel then is the one-bit symbol 0 of the last group.
fn webp_with_prefix_code_groups(groups: u32) -> Vec<u8> {
    let mut bits = LsbBits::default();
    bits.put(0x2f, 8); // VP8L's signature
    bits.put(511, 14);
    bits.put(511, 14);
    bits.put(0, 1 + 3); // no alpha, version 0
    bits.put(0, 1); // no transform
    bits.put(0, 1); // no colour cache
    bits.put(1, 1); // a prefix-code group image,
    bits.put(9 - 2, 3); // of 512-pixel blocks: one pixel
    bits.put(0, 1); // with no colour cache,
    let last = u64::from(groups - 1);
    // and five one-symbol codes, so that its pixel is the group number (red, green) = last.
    for symbol in [last & 255, last >> 8, 0, 0, 0] {
        bits.put(0b1, 1); // a simple code
        bits.put(0, 1); // of one symbol
        bits.put(1, 1); // of eight bits
        bits.put(symbol, 8);
    }
    // The code-length code: lengths 1 to 6 have codes of three bits, 7 to 10 of four, in
    // VP8L's order of code-length symbols.
    const ORDER: [u64; 14] = [17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8, 9, 10];
    let code_of_length = |length: u64| match length {
        1..=6 => (length - 1, 3),
        _ => (0b1100 + length - 7, 4),
    };
    for _ in 0..groups * 5 {
        bits.put(0, 1); // a normal code
        bits.put(ORDER.len() as u64 - 4, 4);
        for symbol in ORDER {
            bits.put(
                match symbol {
                    1..=6 => 3,
                    7..=10 => 4,
                    _ => 0,
                },
                3,
            );
        }
        bits.put(1, 1); // of 11 code lengths, written in 2 + 2 × 1 bits
        bits.put(1, 3);
        bits.put(11 - 2, 4);
        for length in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10] {
            let (code, width) = code_of_length(length);
            bits.code(code, width);
        }
    }
    // Each pixel: green, red, blue and alpha are symbol 0, whose code is the one bit 0.
    for _ in 0..512 * 512 {
        bits.put(0, 4);
    }
    let stream = bits.finish();
    let mut riff = b"RIFF".to_vec();
    let padded = stream.len() + stream.len() % 2;
    riff.extend(((4 + 8 + padded) as u32).to_le_bytes());
    riff.extend(b"WEBPVP8L");
    riff.extend((stream.len() as u32).to_le_bytes());
    riff.extend(&stream);
    riff.resize(8 + 4 + 8 + padded, 0);
    riff
}

#[test]
fn eight_lossless_webp_logos_declaring_30000_prefix_code_groups_are_refused_undecoded() {
    // The shape is a real image: with 100 groups, it decodes.
    let small = image::load_from_memory(&webp_with_prefix_code_groups(100)).unwrap();
    assert_eq!((small.width(), small.height()), (512, 512));
    let hostile = webp_with_prefix_code_groups(30_000);
    assert!(hostile.len() < 2 << 20, "{} bytes", hostile.len());
    let clean = site_with_logos("png", &png_logo(None), LOGOS);
    let bombs = site_with_logos("webp", &hostile, LOGOS);
    let (_, _, clean_peak) = check_peak(&site_root(&clean));
    let (report, code, peak) = check_peak(&site_root(&bombs));
    assert_eq!(code, 1, "{report}");
    let refused = "error[image-too-large]: `logo.webp` would take";
    assert_eq!(report.matches(refused).count(), LOGOS, "{report}");
    assert!(
        peak < clean_peak + MARGIN_KIB,
        "peak {} MiB, clean logos {} MiB",
        peak >> 10,
        clean_peak >> 10
    );
}
