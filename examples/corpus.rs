//! Writes a deterministic benchmark corpus: a complete marketgen site with N connectors, and
//! optionally the same pages as a Hugo site, so the two can be timed on identical work.
//!
//! `cargo run --release --example corpus -- --connectors 10000 --out DIR [--hugo DIR] [--screenshots] [--raster-logos]`

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::Parser;
use rayon::prelude::*;

#[derive(Parser)]
struct Args {
    /// How many connectors.
    #[arg(long)]
    connectors: usize,
    /// Where to write the marketgen site.
    #[arg(long)]
    out: PathBuf,
    /// Where to write the equivalent Hugo site.
    #[arg(long)]
    hugo: Option<PathBuf>,
    /// Long code blocks (10–19 lines, about 30 code lines a page): a highlighting stress test.
    #[arg(long)]
    code_heavy: bool,
    /// Three connectors in ten get two screenshots (PNG) of the sizes real catalogues have:
    /// 744 to 2,514 pixels wide, 60–200 KB. What a build holds of images at once.
    #[arg(long)]
    screenshots: bool,
    /// Five connectors in eight get a PNG logo instead of an SVG one, as many as in the real
    /// corpus (62%), of its sizes: from 80 pixels square to 8,259 pixels wide, half of them
    /// over 550 pixels wide. Each logo's bytes are its own, so no cache can share one decode.
    #[arg(long)]
    raster_logos: bool,
}

/// The sizes of the raster logos, cycled through: the real corpus's distribution by sixteenths
/// (its 368 PNG logos: median 551 pixels wide, a quarter over 1,190, one in twenty over 3,780,
/// the widest 8,259).
const LOGO_SIZES: [(u32, u32); 16] = [
    (80, 80),
    (160, 160),
    (245, 245),
    (300, 307),
    (400, 400),
    (512, 512),
    (551, 180),
    (640, 640),
    (800, 250),
    (1000, 1000),
    (1190, 886),
    (1500, 500),
    (2159, 510),
    (2600, 700),
    (3780, 709),
    (8259, 1212),
];

/// A logo of `width`×`height`: a rounded mark of `colour` and a word-like bar on a transparent
/// background, which compresses as real flat logos do (a 8,259 px one is about 150 KB).
fn raster_logo((width, height): (u32, u32), colour: [u8; 3]) -> Vec<u8> {
    let side = height.min(width);
    let image = image::RgbaImage::from_fn(width, height, |x, y| {
        let (cx, cy, r) = (side / 2, height / 2, side * 2 / 5);
        let (dx, dy) = (x.abs_diff(cx), y.abs_diff(cy));
        let in_mark = u64::from(dx) * u64::from(dx) + u64::from(dy) * u64::from(dy)
            <= u64::from(r) * u64::from(r);
        let in_word =
            x > side && x < width - side / 4 && dy < height / 8 && (x / (side / 3).max(1)) % 4 != 3;
        match in_mark || in_word {
            true => image::Rgba([colour[0], colour[1], colour[2], 255]),
            false => image::Rgba([0, 0, 0, 0]),
        }
    });
    let mut bytes = Vec::new();
    image
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .expect("a PNG encodes in memory");
    bytes
}

/// `png` with a `tEXt` chunk naming connector `i` after its header: the same pixels, bytes of
/// its own. marketgen never reads a text chunk.
fn own_copy(png: &[u8], i: usize) -> Vec<u8> {
    // The signature (8 bytes) and the IHDR chunk (25) come first in every PNG.
    let (head, rest) = png.split_at(33);
    let data = format!("Comment\0connector {i}");
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    chunk.extend_from_slice(b"tEXt");
    chunk.extend_from_slice(data.as_bytes());
    let mut crc = flate2::Crc::new();
    crc.update(&chunk[4..]);
    chunk.extend_from_slice(&crc.sum().to_be_bytes());
    [head, &chunk, rest].concat()
}

/// How many different screenshots the corpus cycles through: each connector still has its own
/// files, so a build reads each one separately.
const SHOTS: usize = 16;

/// The sizes of the screenshots, cycled through: those of the real corpus's screenshots.
const SHOT_SIZES: [(u32, u32); 6] = [
    (960, 540),
    (1488, 656),
    (1376, 731),
    (2514, 1014),
    (744, 638),
    (1564, 644),
];

/// A screenshot of an interface: a white page with a grey sidebar and lines of dark "words" of
/// random lengths, which compresses as real screenshots do (60–200 KB).
fn screenshot(seed: usize) -> Vec<u8> {
    let (width, height) = SHOT_SIZES[seed % SHOT_SIZES.len()];
    let mut state = (seed as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let sidebar = width / 6;
    let mut image = image::RgbImage::from_pixel(width, height, image::Rgb([255, 255, 255]));
    for y in 0..height {
        for x in 0..sidebar {
            image.put_pixel(x, y, image::Rgb([236, 238, 242]));
        }
    }
    // Lines of text every 18 pixels, 9 pixels high: words of 3–12 letters of 7 pixels,
    // each letter a few dark pixels.
    for line in 0..height / 18 {
        let mut x = sidebar + 24;
        while x + 100 < width - 24 {
            let letters = 3 + (next() % 10) as u32;
            for _ in 0..letters {
                for _ in 0..6 {
                    let bits = next();
                    let (dx, dy) = ((bits % 6) as u32, ((bits >> 8) % 9) as u32);
                    let shade = 40 + (bits >> 16) as u8 % 60;
                    image.put_pixel(
                        x + dx,
                        line * 18 + 4 + dy,
                        image::Rgb([shade, shade, shade + 10]),
                    );
                }
                x += 7;
            }
            x += 7;
        }
    }
    let mut bytes = Vec::new();
    image
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .expect("a PNG encodes in memory");
    bytes
}

const CATEGORIES: usize = 20;
const TAGS: usize = 200;
const DOCS: [&str; 4] = ["index", "setup", "field-mapping", "troubleshooting"];
const WORDS: &[&str] = &[
    "order",
    "invoice",
    "customer",
    "shipment",
    "stock",
    "warehouse",
    "product",
    "variant",
    "refund",
    "payment",
    "webhook",
    "token",
    "record",
    "field",
    "mapping",
    "sync",
    "schedule",
    "retry",
    "limit",
    "account",
    "ledger",
    "catalogue",
    "price",
    "currency",
    "tax",
    "address",
    "carrier",
    "label",
    "tracking",
    "status",
    "update",
    "create",
    "delete",
    "batch",
    "queue",
    "the",
    "a",
    "and",
    "with",
    "for",
    "every",
    "when",
    "from",
    "into",
    "each",
    "connector",
    "platform",
    "endpoint",
    "minute",
];
const LANGUAGES: [&str; 8] = [
    "json",
    "yaml",
    "bash",
    "python",
    "javascript",
    "sql",
    "rust",
    "xml",
];

/// splitmix64: small, fast and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn word(&mut self) -> &'static str {
        WORDS[self.below(WORDS.len())]
    }

    fn sentence(&mut self, words: usize) -> String {
        let mut s = String::new();
        for i in 0..words {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(self.word());
        }
        let mut chars = s.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect::<String>() + ".")
            .unwrap_or_default()
    }
}

/// One connector's content, shared by both generators.
struct Connector {
    slug: String,
    name: String,
    summary: String,
    category: usize,
    tags: Vec<usize>,
    docs: Vec<(&'static str, String, String)>,
    logo_colour: String,
    approved_on: String,
}

fn connector(i: usize, code_heavy: bool) -> Connector {
    let mut rng = Rng(i as u64 * 7919 + 1);
    let mut tags: Vec<usize> = (0..3).map(|_| rng.below(TAGS)).collect();
    tags.sort();
    tags.dedup();
    let docs = DOCS
        .iter()
        .enumerate()
        .map(|(n, page)| {
            let title = if *page == "index" {
                "Overview".to_string()
            } else {
                format!("{} {}", rng.sentence(2).trim_end_matches('.'), n)
            };
            (*page, title, doc_body(&mut rng, page, code_heavy))
        })
        .collect();
    Connector {
        slug: format!("connector-{i:05}"),
        name: format!("Connector {i} {}", rng.word()),
        summary: rng.sentence(12),
        category: i % CATEGORIES,
        tags,
        docs,
        logo_colour: format!("#{:06x}", rng.next() & 0xff_ffff),
        approved_on: format!(
            "20{:02}-{:02}-{:02}",
            20 + rng.below(6),
            1 + rng.below(12),
            1 + rng.below(28)
        ),
    }
}

/// 300–800 words with headings, a table, a list, links and fenced code in several languages.
/// Calibrated on the sample marketplace's real docs (about 4 code lines a page) with room to
/// spare: one or two snippets of 3–8 lines. `code_heavy` makes the 10–19-line blocks of a
/// stress test instead.
fn doc_body(rng: &mut Rng, page: &str, code_heavy: bool) -> String {
    let mut body = String::new();
    let target = 300 + rng.below(501);
    let mut words = 0;
    let mut section = 0;
    let snippets = 1 + rng.below(2);
    let mut written = 0;
    while words < target {
        section += 1;
        let _ = writeln!(
            body,
            "## {} {section}\n",
            rng.sentence(3).trim_end_matches('.')
        );
        words += 3;
        let n = 25 + rng.below(25);
        words += n + 7;
        let _ = writeln!(
            body,
            "{} See [the setup guide](setup.md) or [the platform](https://platform.example/docs/{}).\n",
            rng.sentence(n),
            rng.word()
        );
        match section % 3 {
            1 if written < snippets => {
                written += 1;
                let language = LANGUAGES[rng.below(LANGUAGES.len())];
                let lines = if code_heavy {
                    10 + rng.below(10)
                } else {
                    3 + rng.below(6)
                };
                let _ = writeln!(body, "```{language}");
                for line in 0..lines {
                    let _ = writeln!(body, "{}", code_line(language, line, rng));
                }
                body.push_str("```\n\n");
            }
            2 => {
                body.push_str("| Field | Type | Required |\n|:------|:----:|---------:|\n");
                for _ in 0..4 {
                    let _ = writeln!(body, "| `{}_{}` | string | yes |", rng.word(), rng.word());
                    words += 4;
                }
                body.push('\n');
            }
            _ => {
                for _ in 0..3 {
                    let _ = writeln!(body, "- **{}**: {}", rng.word(), rng.sentence(8));
                    words += 9;
                }
                body.push('\n');
            }
        }
    }
    while written < snippets {
        written += 1;
        let language = LANGUAGES[rng.below(LANGUAGES.len())];
        let _ = writeln!(
            body,
            "```{language}\n{}\n```\n",
            code_line(language, 0, rng)
        );
    }
    if page != "index" {
        body.push_str("Back to the [overview](index.md).\n");
    }
    body
}

fn code_line(language: &str, line: usize, rng: &mut Rng) -> String {
    let (a, b) = (rng.word(), rng.word());
    match language {
        "json" => format!("  \"{a}_{line}\": {{ \"{b}\": {line}, \"enabled\": true }},"),
        "yaml" => format!("{a}_{line}:\n  {b}: {line}"),
        "bash" => format!(
            "curl -s -H \"Authorization: Bearer $TOKEN\" https://api.example/{a}/{line} | jq '.{b}'"
        ),
        "python" => format!(
            "def {a}_{line}(client):\n    return client.get(\"/{b}\", params={{\"n\": {line}}})"
        ),
        "javascript" => format!("const {a}{line} = await client.get(`/{b}/${{{line}}}`);"),
        "sql" => format!("SELECT {a}, {b} FROM orders WHERE id = {line} AND status = 'open';"),
        "rust" => format!("let {a}_{line}: Vec<u32> = {b}.iter().map(|x| x * {line}).collect();"),
        _ => format!("<{a} id=\"{line}\"><{b}>{line}</{b}></{a}>"),
    }
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create folder");
    }
    std::fs::write(path, text).expect("write file");
}

/// The pages both sites have besides the connectors: the home page and the guide.
fn shared_pages(out: &Path) {
    write(
        &out.join("content/_index.md"),
        "---\ntitle: Benchmark\n---\nA generated marketplace.\n",
    );
    write(
        &out.join("content/guide/_index.md"),
        "---\ntitle: Guide\n---\nHow to submit a connector.\n",
    );
}

fn logo(c: &Connector) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"64\" height=\"64\" viewBox=\"0 0 64 64\"><rect width=\"64\" height=\"64\" rx=\"12\" fill=\"{}\"/><circle cx=\"32\" cy=\"32\" r=\"14\" fill=\"#ffffff\"/></svg>\n",
        c.logo_colour
    )
}

/// The raster logos, one of each size in [`LOGO_SIZES`], or none.
fn raster_logos(wanted: bool) -> Vec<Vec<u8>> {
    match wanted {
        true => LOGO_SIZES
            .par_iter()
            .enumerate()
            .map(|(k, &size)| raster_logo(size, [(k * 40 % 200) as u8, 90, 160]))
            .collect(),
        false => Vec::new(),
    }
}

/// Connector `i`'s raster logo (its own bytes), if it has one.
fn raster_logo_of(logos: &[Vec<u8>], i: usize) -> Option<Vec<u8>> {
    // The connectors with one take the sizes in turn.
    let nth = i / 8 * 5 + i % 8;
    (!logos.is_empty() && i % 8 < 5).then(|| own_copy(&logos[nth % logos.len()], i))
}

fn marketgen_site(out: &Path, n: usize, code_heavy: bool, screenshots: bool, logos: &[Vec<u8>]) {
    let shots: Vec<Vec<u8>> = match screenshots {
        true => (0..SHOTS).into_par_iter().map(screenshot).collect(),
        false => Vec::new(),
    };
    let mut site = String::from(
        "title: Benchmark Marketplace\nbase_url: https://bench.example/\ndescription: A generated catalogue.\ncategories:\n",
    );
    for k in 0..CATEGORIES {
        let _ = writeln!(
            site,
            "  - slug: category-{k}\n    name: Category {k}\n    description: Connectors of kind {k}."
        );
    }
    write(&out.join("site.yaml"), &site);
    shared_pages(out);
    (0..n).into_par_iter().for_each(|i| {
        let c = connector(i, code_heavy);
        let dir = out.join("content/connectors").join(&c.slug);
        let tags: Vec<String> = c.tags.iter().map(|t| format!("tag-{t}")).collect();
        let record = format!(
            "name: {name}\nstatus: approved\nsummary: {summary}\ncategory: category-{category}\ntags: [{tags}]\nsystems: [System {category}]\nversion: 1.{i}.0\nlogo: logo.svg\ndeveloper:\n  name: Vendor {v}\n  email: partner{i}@vendor.example\n  company_profile: vendor-{v}\n  website: https://vendor{v}.example\nsupport:\n  email: support@vendor{v}.example\n  url: https://vendor{v}.example/support\n  response_time: 1 business day\nauthentication:\n  type: oauth2\nendpoints:\n  - name: Orders\n    method: GET\n    path: /v1/orders\n    direction: source\n    description: Reads orders.\n  - name: Stock\n    method: PUT\n    path: /v1/stock\n    direction: destination\n  - name: Customers\n    method: POST\n    path: /v1/customers\n    direction: both\ncompliance:\n  privacy_policy: https://vendor{v}.example/privacy\n  gdpr: true\napproved_on: {approved}\nlast_reviewed: 2026-06-01\nchangelog:\n  - version: 1.{i}.0\n    date: 2026-05-01\n    notes: Faster sync.\n  - version: 1.0.0\n    date: {approved}\n    notes: First release.\n",
            name = c.name,
            summary = c.summary,
            category = c.category,
            tags = tags.join(", "),
            v = i % 97,
            approved = c.approved_on,
        );
        let with_shots = !shots.is_empty() && i % 10 < 3;
        let record = match with_shots {
            true => record + "screenshots:\n  - file: screenshots/orders.png\n    caption: Orders as they sync.\n  - file: screenshots/stock.png\n    caption: Stock levels by warehouse.\n",
            false => record,
        };
        match raster_logo_of(logos, i) {
            Some(png) => {
                write(&dir.join("connector.yaml"), &record.replace("logo: logo.svg", "logo: logo.png"));
                std::fs::write(dir.join("logo.png"), png).expect("writable");
            }
            None => {
                write(&dir.join("connector.yaml"), &record);
                write(&dir.join("logo.svg"), &logo(&c));
            }
        }
        if with_shots {
            for (k, name) in ["orders", "stock"].iter().enumerate() {
                let path = dir.join(format!("screenshots/{name}.png"));
                std::fs::create_dir_all(path.parent().expect("a folder")).expect("writable");
                std::fs::write(&path, &shots[(2 * i + k) % SHOTS]).expect("writable");
            }
        }
        for (page, title, body) in &c.docs {
            write(&dir.join(format!("docs/{page}.md")), &format!("---\ntitle: {title}\nweight: {}\n---\n{body}", DOCS.iter().position(|d| d == page).unwrap_or(0) * 10));
        }
    });
}

const HUGO_BASEOF: &str = r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ .Site.Title }}</title><meta name="description" content="{{ .Summary | plainify | truncate 160 }}"><link rel="canonical" href="{{ .Permalink }}"><link rel="stylesheet" href="/style.css"></head><body><header><a href="/">{{ .Site.Title }}</a> <a href="/connectors/">Connectors</a></header><main>{{ block "main" . }}{{ end }}</main><footer>{{ .Site.Title }}</footer></body></html>"#;
const HUGO_SINGLE: &str = r#"{{ define "main" }}<article><h1>{{ .Title }}</h1>{{ .TableOfContents }}{{ .Content }}</article><nav>{{ range .Parent.Pages }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</nav>{{ end }}"#;
// The logo's two copies, as marketgen makes them (the same as bench/hugo_twin.py's): an SVG
// logo is published as it is.
const HUGO_LIST: &str = r#"{{ define "main" }}<h1>{{ .Title }}</h1>{{ with .Resources.GetMatch "logo.*" }}{{ if in (slice ".png" ".webp" ".jpg") (path.Ext .Name) }}<img src="{{ (.Resize "192x png").RelPermalink }}" width="96" alt=""><img src="{{ (.Resize "96x png").RelPermalink }}" width="48" alt="">{{ else }}<img src="{{ .RelPermalink }}" width="96" alt="">{{ end }}{{ end }}{{ with .Params.summary }}<p>{{ . }}</p>{{ end }}{{ with .Params.endpoints }}<table>{{ range . }}<tr><th>{{ .name }}</th><td>{{ .method }}</td><td>{{ .path }}</td><td>{{ .direction }}</td></tr>{{ end }}</table>{{ end }}{{ range .Params.tags }}<a href="/tags/{{ . | urlize }}/">{{ . }}</a> {{ end }}{{ .TableOfContents }}{{ .Content }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.summary }}</li>{{ end }}</ul>{{ end }}"#;
const HUGO_TERMS: &str = r#"{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul>{{ end }}"#;

fn hugo_site(out: &Path, n: usize, code_heavy: bool, logos: &[Vec<u8>]) {
    write(
        &out.join("hugo.toml"),
        "baseURL = \"https://bench.example/\"\ntitle = \"Benchmark Marketplace\"\ndisableKinds = [\"RSS\"]\n[taxonomies]\n  category = \"categories\"\n  tag = \"tags\"\n[markup.highlight]\n  noClasses = false\n[markup.tableOfContents]\n  startLevel = 2\n  endLevel = 3\n",
    );
    write(&out.join("layouts/_default/baseof.html"), HUGO_BASEOF);
    write(&out.join("layouts/_default/single.html"), HUGO_SINGLE);
    write(&out.join("layouts/_default/list.html"), HUGO_LIST);
    write(&out.join("layouts/_default/terms.html"), HUGO_TERMS);
    write(
        &out.join("static/style.css"),
        "body { font-family: sans-serif; }\n",
    );
    shared_pages(out);
    write(
        &out.join("content/connectors/_index.md"),
        "---\ntitle: All connectors\n---\n",
    );
    (0..n).into_par_iter().for_each(|i| {
        let c = connector(i, code_heavy);
        let dir = out.join("content/connectors").join(&c.slug);
        let tags: Vec<String> = c.tags.iter().map(|t| format!("\"tag-{t}\"")).collect();
        for (page, title, body) in &c.docs {
            let path = if *page == "index" { dir.join("_index.md") } else { dir.join(format!("docs/{page}.md")) };
            let front = if *page == "index" {
                format!(
                    "---\ntitle: \"{}\"\nsummary: \"{}\"\ncategories: [\"Category {}\"]\ntags: [{}]\nendpoints:\n  - {{name: Orders, method: GET, path: /v1/orders, direction: source}}\n  - {{name: Stock, method: PUT, path: /v1/stock, direction: destination}}\n  - {{name: Customers, method: POST, path: /v1/customers, direction: both}}\ndate: {}\n---\n",
                    c.name, c.summary, c.category, tags.join(", "), c.approved_on
                )
            } else {
                format!("---\ntitle: \"{title}\"\n---\n")
            };
            write(&path, &format!("{front}{body}"));
        }
        match raster_logo_of(logos, i) {
            Some(png) => std::fs::write(dir.join("logo.png"), png).expect("writable"),
            None => write(&dir.join("logo.svg"), &logo(&c)),
        }
    });
}

fn main() {
    let args = Args::parse();
    let logos = raster_logos(args.raster_logos);
    marketgen_site(
        &args.out,
        args.connectors,
        args.code_heavy,
        args.screenshots,
        &logos,
    );
    if let Some(hugo) = &args.hugo {
        hugo_site(hugo, args.connectors, args.code_heavy, &logos);
    }
}
