//! Where a link or image written in content may point, and what it becomes when published.
//!
//! One rule for every URL content writes, in Markdown, in author HTML and in records: it is
//! read the way a browser reads it (WHATWG URL parsing, through the `url` crate), so `/\host`,
//! `\\host` and `java\tscript:` mean here what they mean to a visitor's browser. Addresses are
//! published in their serialised form, so every href is valid and percent-encoded.

use std::collections::{BTreeMap, BTreeSet};

use url::Url;

use super::headings::published_id;
use crate::paths;

/// Where a page lives, so relative links can be resolved and checked.
pub struct Bundle<'a> {
    /// The page's folder, relative to the bundle root (`docs` for a connector's docs).
    pub dir: &'a str,
    /// Every file in the bundle, relative to its root.
    pub files: &'a BTreeSet<String>,
    /// Markdown files of the bundle (relative to its root) to their published URLs.
    pub pages: &'a BTreeMap<String, String>,
    /// The published URL of the bundle root; its files are published below it.
    pub url: &'a str,
    /// What to call the bundle in messages: "the connector's folder".
    pub name: &'a str,
    /// Prefix of site-absolute links (`/guide/` becomes `{base_path}guide/`).
    pub base_path: &'a str,
    /// Whether a file of the bundle may be published (images may; other files may not).
    pub publishable: fn(&str) -> bool,
}

pub enum Target {
    /// Published as it is: another site, a page of this site, a fragment.
    Url(String),
    /// A file of the bundle, published with the page.
    File { file: String, url: String },
    /// A heading of a page of the bundle (`page`; `None`: the linking page), which only the
    /// whole bundle's analysis can confirm.
    Anchor {
        page: Option<String>,
        fragment: String,
        url: String,
    },
}

/// Fragments that need no element: `#` and `#top` scroll to the top in every browser.
fn names_an_element(fragment: &str) -> bool {
    !fragment.is_empty() && !fragment.eq_ignore_ascii_case("top")
}

pub struct Problem {
    pub code: &'static str,
    /// A warning does not fail the build: the link is published as `shown`, or as its text.
    pub warning: bool,
    pub shown: Option<String>,
    pub message: String,
    pub label: &'static str,
    pub help: String,
}

impl Problem {
    fn error(
        code: &'static str,
        message: impl Into<String>,
        label: &'static str,
        help: impl Into<String>,
    ) -> Self {
        Problem {
            code,
            warning: false,
            shown: None,
            message: message.into(),
            label,
            help: help.into(),
        }
    }
}

/// Schemes a visitor's browser may follow from content.
const ALLOWED_SCHEMES: &[&str] = &["http", "https", "mailto"];

/// A base that no real link can reach: a relative link that leaves its host is one a browser
/// would take to another site.
const PROBE_HOST: &str = "marketgen.invalid";

/// What the link rule needs beyond the bundle.
pub struct Rules<'a> {
    /// Hosts whose images pages may show (`markdown.image_hosts` in site.yaml).
    pub image_hosts: &'a [String],
    /// Whether a broken link may still get a "did you mean": the search is bounded per page.
    pub suggest: bool,
}

/// Resolves a link or image destination written in content.
pub fn resolve(dest: &str, bundle: &Bundle, image: bool, rules: &Rules) -> Result<Target, Problem> {
    // Browsers drop tabs and newlines anywhere in a URL and spaces and controls around it.
    let compact: String = dest
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    if let Some(scheme) = scheme_of(&compact) {
        return absolute(dest, &compact, &scheme.to_ascii_lowercase(), image, rules);
    }
    let probe = Url::parse(&format!("https://{PROBE_HOST}/{}/", bundle.dir))
        .expect("the probe base is a valid URL");
    match probe.join(&compact) {
        Ok(joined) if joined.host_str() == Some(PROBE_HOST) => {}
        _ => {
            return Err(Problem::error(
                "unsafe-link",
                "a browser reads this as the address of another site",
                "unsafe destination",
                "write the full https:// address, or a path inside the site",
            ));
        }
    }
    if compact != dest {
        return Err(Problem::error(
            "unsafe-link",
            "the address contains spaces or control characters",
            "unsafe destination",
            "remove them, or percent-encode spaces as %20",
        ));
    }
    if let Some(fragment) = dest.strip_prefix('#') {
        let url = format!("#{}", encoded(&published_id(fragment)));
        if names_an_element(fragment) {
            return Ok(Target::Anchor {
                page: None,
                fragment: encoded(fragment),
                url,
            });
        }
        return Ok(Target::Url(url));
    }
    if dest.starts_with('/') {
        let site = Url::parse(&format!("https://{PROBE_HOST}/"))
            .and_then(|base| base.join(dest))
            .map_err(|_| invalid_address())?;
        let path = &site[url::Position::BeforePath..];
        return Ok(Target::Url(format!(
            "{}{}",
            bundle.base_path,
            encoded(path.trim_start_matches('/'))
        )));
    }
    relative(dest, bundle, rules)
}

fn invalid_address() -> Problem {
    Problem::error(
        "invalid-url",
        "not a valid web address",
        "invalid address",
        "write a full address such as https://docs.acme.example/page",
    )
}

fn absolute(
    dest: &str,
    compact: &str,
    scheme: &str,
    image: bool,
    rules: &Rules,
) -> Result<Target, Problem> {
    if scheme == "file" {
        return Err(Problem {
            code: "local-link",
            warning: true,
            shown: None,
            message: "`file:` addresses point at the reader's own disk".into(),
            label: "shown as text",
            help: "a web page cannot open files on a visitor's computer: write the path as `code` instead of a link".into(),
        });
    }
    if !ALLOWED_SCHEMES.contains(&scheme) {
        return Err(Problem::error(
            "unsafe-link",
            format!("the `{scheme}:` scheme is not allowed"),
            "unsafe destination",
            "link to an https:// address or a file in the folder",
        ));
    }
    if compact != dest {
        return Err(spaces_in(dest.trim(), image, rules));
    }
    if scheme == "mailto" {
        let url = Url::parse(dest).map_err(|_| invalid_address())?;
        if image {
            return Err(remote_image(None));
        }
        return Ok(Target::Url(encoded(url.as_str())));
    }
    let url = web_address(dest).map_err(|_| invalid_address())?;
    if image {
        let host = url.host_str().unwrap_or_default();
        let allowed = url.scheme() == "https" && rules.image_hosts.iter().any(|h| h == host);
        if !allowed {
            return Err(remote_image(Some(host)));
        }
    }
    Ok(Target::Url(published(dest, &url)))
}

/// A web address as it is published, in Markdown and from records: as written, with what the
/// HTML checker refuses in an href percent-encoded, when that still means `url` to a browser;
/// otherwise (a backslash, a host beyond ASCII) as the browser serialises it, encoded the same
/// way.
pub fn published(written: &str, url: &Url) -> String {
    let (origin, rest) = url
        .as_str()
        .split_at(url[..url::Position::BeforePath].len());
    let candidate = encoded(written);
    if candidate.starts_with(origin) && Url::parse(&candidate).is_ok_and(|same| same == *url) {
        return candidate;
    }
    format!("{origin}{}", encoded(rest))
}

/// An address with spaces inside: a browser percent-encodes them and follows it, so it is
/// published the same way, with a warning (the spaces are most likely a mistake). Any other
/// white space or control character is an error: browsers drop them, which is how
/// `java\tscript:` hides its scheme.
fn spaces_in(dest: &str, image: bool, rules: &Rules) -> Problem {
    let only_spaces = !dest
        .chars()
        .any(|c| c != ' ' && (c.is_whitespace() || c.is_control()));
    let encoded_dest = dest.replace(' ', "%20");
    let shown = match absolute(
        &encoded_dest,
        &encoded_dest,
        scheme_of(dest).unwrap_or(""),
        image,
        rules,
    ) {
        Ok(Target::Url(url)) if only_spaces => Some(url),
        _ => None,
    };
    match shown {
        Some(url) => Problem {
            code: "url-with-spaces",
            warning: true,
            shown: Some(url),
            message: "the address contains spaces".into(),
            label: "published with %20 for each space",
            help: "check the address: spaces in it are usually a mistake, and a real one is written %20".into(),
        },
        None => Problem::error(
            "unsafe-link",
            "the address contains spaces or control characters",
            "unsafe destination",
            "remove them, or percent-encode spaces as %20",
        ),
    }
}

fn remote_image(host: Option<&str>) -> Problem {
    let help = match host {
        Some(host) if !host.is_empty() => format!(
            "download the image into the folder and link to it, such as `../screenshots/orders.png`; a marketplace that trusts `{host}` can allow it with `markdown.image_hosts` in site.yaml"
        ),
        _ => {
            "download the image into the folder and link to it, such as `../screenshots/orders.png`"
                .into()
        }
    };
    Problem::error(
        "remote-image",
        "images must be files in the folder, not remote addresses",
        "remote image",
        help,
    )
}

/// Why `text` is not a web address a visitor can follow, if it is not: the rule for every
/// http(s) URL, in Markdown and in records.
pub fn web_address(text: &str) -> Result<Url, String> {
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("URLs may not contain spaces or control characters".into());
    }
    let url = Url::parse(text).map_err(|e| format!("not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "the `{}:` scheme is not allowed; use https",
            url.scheme()
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("URLs may not contain a user name or password".into());
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("the URL has no host".into());
    }
    Ok(url)
}

/// `text` with every character a URL may not hold as it is percent-encoded: what WHATWG
/// parsing leaves alone (`{`, `|`, a lone `%`, letters beyond ASCII) the HTML checker and
/// older tools still reject.
pub fn encoded(text: &str) -> String {
    const KEPT: &[u8] = b"-._~!$&'()*+,;=:@/?#";
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    for (i, &b) in bytes.iter().enumerate() {
        let escape = bytes
            .get(i + 1..i + 3)
            .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit));
        if b.is_ascii_alphanumeric() || KEPT.contains(&b) || (b == b'%' && escape) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn relative(dest: &str, bundle: &Bundle, rules: &Rules) -> Result<Target, Problem> {
    let (path, fragment) = match dest.split_once('#') {
        Some((path, fragment)) => (path, Some(encoded(fragment))),
        None => (dest, None),
    };
    let broken =
        |message: String, help: String| Problem::error("broken-link", message, "broken link", help);
    let Some(joined) = paths::join(bundle.dir, path).filter(|_| !path.contains('\\')) else {
        return Err(broken(
            format!("it leaves {}", bundle.name),
            format!("link only to files inside {}", bundle.name),
        ));
    };
    if let Some(problem) = paths::problem(&joined) {
        return Err(Problem::error(
            "unsafe-link",
            problem,
            "unsafe path",
            format!("link to a file inside {}", bundle.name),
        ));
    }
    let with_fragment = |url: &str| match &fragment {
        Some(f) => format!("{url}#{f}"),
        None => url.to_string(),
    };
    if let Some(url) = bundle.pages.get(&joined) {
        return Ok(match fragment.as_deref().filter(|f| names_an_element(f)) {
            Some(f) => Target::Anchor {
                page: Some(joined.clone()),
                fragment: f.to_string(),
                url: format!("{url}#{}", published_id(f)),
            },
            None => Target::Url(with_fragment(url)),
        });
    }
    if bundle.files.contains(&joined) && !joined.ends_with(".md") {
        if !(bundle.publishable)(&joined) {
            return Err(Problem::error(
                "file-type",
                format!("`{joined}` is not an image, and only images are published"),
                "cannot be published",
                "link to an image or to a documentation page",
            ));
        }
        return Ok(Target::File {
            url: with_fragment(&format!("{}{joined}", bundle.url)),
            file: joined,
        });
    }
    let help = match rules.suggest.then(|| closest(&joined, bundle)).flatten() {
        Some(close) => format!("did you mean `{}`?", relative_to(bundle.dir, close)),
        None => format!("no file `{joined}` exists in {}", bundle.name),
    };
    Err(broken(format!("`{joined}` does not exist"), help))
}

/// Longer names are not typos of each other, and comparing them costs their lengths' product.
const MAX_SUGGESTED_LENGTH: usize = 128;
/// A folder with more files than this gets no "did you mean": the search would cost too much.
const MAX_CANDIDATES: usize = 512;

/// The bundle's file or page whose name is closest to `joined`'s, of the same kind (a page
/// for a page): `mapping.md` and `index.md` share a folder and an extension, not a name.
fn closest<'b>(joined: &str, bundle: &'b Bundle) -> Option<&'b str> {
    if joined.len() > MAX_SUGGESTED_LENGTH {
        return None;
    }
    let page = joined.ends_with(".md");
    let candidates: Vec<&str> = bundle
        .pages
        .keys()
        .chain(bundle.files.iter())
        .map(String::as_str)
        .filter(|c| c.ends_with(".md") == page && c.len() <= MAX_SUGGESTED_LENGTH)
        .take(MAX_CANDIDATES + 1)
        .collect();
    if candidates.len() > MAX_CANDIDATES {
        return None;
    }
    // Compared without what every candidate shares: the page's folder and the extension.
    let folder = format!("{}/", bundle.dir);
    let name = |path: &'b str| -> &'b str {
        let path = path.strip_prefix(folder.as_str()).unwrap_or(path);
        path.rsplit_once('.').map_or(path, |(stem, _)| stem)
    };
    let wanted = joined.strip_prefix(folder.as_str()).unwrap_or(joined);
    let wanted = wanted.rsplit_once('.').map_or(wanted, |(stem, _)| stem);
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(wanted, name(c)), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// `close` (relative to the bundle root) as a link from a page in `dir`.
fn relative_to(dir: &str, close: &str) -> String {
    let depth = dir.split('/').filter(|p| !p.is_empty()).count();
    match close.strip_prefix(&format!("{dir}/")) {
        Some(inside) if !dir.is_empty() => inside.to_string(),
        _ => format!("{}{close}", "../".repeat(depth)),
    }
}

/// The scheme of an absolute URL: letters, digits, `+-.` before the first `:`, which must come
/// before any `/`, `?` or `#`.
fn scheme_of(url: &str) -> Option<&str> {
    let colon = url.find(':')?;
    let scheme = &url[..colon];
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    valid.then_some(scheme)
}

pub fn is_external(url: &str) -> bool {
    url.starts_with("http://") || url.starts_with("https://")
}
