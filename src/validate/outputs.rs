//! The output paths a build will write, proved writable before anything is written: every
//! path is claimed once, and no path is the folder of another. A screenshot at
//! `index.html/shot.png` asks for a folder where the connector's page is a file; a file
//! `docs/setup/index.html` beside a page `docs/setup.md` asks for one path twice. `check`
//! reports both, so that it and `build` agree.

use std::collections::BTreeMap;
use std::ops::Bound;
use std::ops::Range;
use std::path::PathBuf;

use crate::diag::Diagnostic;
use crate::load::theme::Asset;
use crate::load::{ConnectorSource, Loaded, RECORD_FILE};
use crate::urls;

/// One output path, and who asks for it.
struct Claim {
    path: String,
    /// What marketgen writes there, for messages: "the connector's page".
    what: String,
    /// Where to point: the file, or the record's value that names it.
    file: PathBuf,
    range: Range<usize>,
    rank: Rank,
}

/// Of two claims on one path, the higher rank is reported: it is the one to rename.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    /// A page or file whose place marketgen fixes: a connector's own page, the field
    /// reference, the theme's and the site's static files.
    Fixed,
    /// A page named after its file: a docs or guide page.
    Page,
    /// A file of a connector's folder, published under its own path.
    File,
    /// A redirect from an old slug (`aliases`): the address is only borrowed, so of two
    /// claims it is the one to give up.
    Redirect,
}

pub fn check(loaded: &Loaded) -> Vec<Diagnostic> {
    let mut claims: Vec<Claim> = assets(loaded);
    claims.extend(loaded.connectors.iter().flat_map(connector));
    claims.extend(guide(loaded));
    claims.extend(catalogue_pages(loaded));
    collisions(&claims)
}

/// The theme's and the site's static files, published as they are: a connector's file may
/// not take their place.
fn assets(loaded: &Loaded) -> Vec<Claim> {
    loaded
        .theme
        .assets
        .iter()
        .map(|(path, asset)| Claim {
            path: path.clone(),
            what: format!("the static file `{path}`"),
            file: match asset {
                Asset::Disk(full) => loaded
                    .source
                    .root()
                    .and_then(|root| full.strip_prefix(root).ok())
                    .unwrap_or(full)
                    .to_path_buf(),
                Asset::Revision(rel) => rel.clone(),
                Asset::Embedded(_) => PathBuf::from(path),
            },
            range: 0..0,
            rank: Rank::Fixed,
        })
        .collect()
}

fn connector(source: &ConnectorSource) -> Vec<Claim> {
    let record = source.dir.join(RECORD_FILE);
    let page = |path: String, what: String, file: PathBuf| Claim {
        path: urls::page_file(&path),
        what,
        file,
        range: 0..0,
        rank: Rank::Page,
    };
    let mut claims = vec![Claim {
        rank: Rank::Fixed,
        ..page(
            urls::connector(&source.slug),
            format!("the page of the connector `{}`", source.slug),
            record.clone(),
        )
    }];
    claims.push(Claim {
        path: urls::embed_badge(&source.slug),
        what: "the connector's embeddable badge".into(),
        file: record.clone(),
        range: 0..0,
        rank: Rank::Fixed,
    });
    for doc in &source.doc_files {
        let name = doc.trim_start_matches("docs/").trim_end_matches(".md");
        if name != "index" {
            let what = format!("the docs page `{doc}`");
            claims.push(page(
                urls::connector_doc(&source.slug, name),
                what,
                source.dir.join(doc),
            ));
        }
    }
    let mut aliases: Vec<&str> = Vec::new();
    for (alias, range) in source.alias_ranges() {
        // A bad or repeated alias has its own diagnostic and makes no page.
        let valid = super::formats::is_slug(alias) && !crate::paths::is_windows_reserved(alias);
        if !valid || aliases.contains(&alias) {
            continue;
        }
        aliases.push(alias);
        claims.push(Claim {
            path: urls::page_file(&urls::alias(alias)),
            what: format!(
                "the redirect from the alias `{alias}` to the connector `{}`",
                source.slug
            ),
            file: record.clone(),
            range,
            rank: Rank::Redirect,
        });
    }
    let named = source.named_files();
    for file in &source.files {
        if file == RECORD_FILE || source.doc_files.contains(file) {
            continue;
        }
        let (at, range) = match named.get(file.as_str()) {
            Some(range) => (record.clone(), range.clone()),
            None => (source.dir.join(file), 0..0),
        };
        claims.push(Claim {
            path: urls::connector_file(&source.slug, file),
            what: format!("the file `{file}`"),
            file: at,
            range,
            rank: Rank::File,
        });
    }
    claims
}

/// The catalogue's pages of results, as many as every connector folder listed would need:
/// they share `connectors/` with the connectors' own folders.
fn catalogue_pages(loaded: &Loaded) -> impl Iterator<Item = Claim> {
    let pages = loaded.connectors.len().div_ceil(urls::PER_PAGE);
    (2..=pages).map(|number| Claim {
        path: urls::page_file(&urls::listing_page(urls::CATALOGUE, number)),
        what: format!("page {number} of the catalogue"),
        file: PathBuf::from("content/connectors"),
        range: 0..0,
        rank: Rank::Fixed,
    })
}

/// The guide's pages, and the field reference marketgen adds among them.
fn guide(loaded: &Loaded) -> Vec<Claim> {
    let mut claims = vec![Claim {
        path: urls::page_file(urls::FIELDS),
        what: "the generated field reference".into(),
        file: PathBuf::from("content/guide"),
        range: 0..0,
        rank: Rank::Fixed,
    }];
    claims.extend(loaded.guide.iter().map(|page| Claim {
        path: urls::page_file(&urls::guide_page(&page.name)),
        what: format!("the guide page `{}`", page.name),
        file: page.file.path.clone(),
        range: 0..0,
        rank: Rank::Page,
    }));
    claims
}

/// Every claim that shares its path with an earlier one, or whose path is the folder of
/// another's, reported at the one to rename (a file before a page, the later of equals).
/// Paths compare without case: on macOS and Windows a logo `BADGE.SVG` is the file
/// `badge.svg`, and one would overwrite the other.
fn collisions(claims: &[Claim]) -> Vec<Diagnostic> {
    let mut by_path: BTreeMap<String, &Claim> = BTreeMap::new();
    let mut problems = Vec::new();
    for claim in claims {
        let key = claim.path.to_lowercase();
        match by_path.get(&key) {
            Some(first) => problems.push(same_path(first, claim)),
            None => {
                by_path.insert(key, claim);
            }
        }
    }
    for (path, outer) in &by_path {
        let folder = format!("{path}/");
        let inside = by_path
            .range::<str, _>((Bound::Included(folder.as_str()), Bound::Unbounded))
            .take_while(|(p, _)| p.starts_with(&folder));
        for (_, inner) in inside {
            problems.push(nested(outer, inner));
        }
    }
    problems
}

fn same_path(first: &Claim, second: &Claim) -> Diagnostic {
    let (blamed, other) = blame(first, second);
    let message = format!(
        "{} would be published at `{}`, where marketgen writes {}",
        blamed.what, blamed.path, other.what
    );
    report(blamed, other, message)
}

/// `outer`'s path is a file where `inner` needs a folder.
fn nested(outer: &Claim, inner: &Claim) -> Diagnostic {
    let (blamed, other) = blame(outer, inner);
    let message = if std::ptr::eq(blamed, inner) {
        format!(
            "{} would be published at `{}`, inside `{}`, which is {}",
            blamed.what, blamed.path, other.path, other.what
        )
    } else {
        format!(
            "{} would be published at `{}`, which must be a folder for {} at `{}`",
            blamed.what, blamed.path, other.what, other.path
        )
    };
    report(blamed, other, message)
}

fn blame<'c>(earlier: &'c Claim, later: &'c Claim) -> (&'c Claim, &'c Claim) {
    if earlier.rank > later.rank {
        (earlier, later)
    } else {
        (later, earlier)
    }
}

fn report(blamed: &Claim, other: &Claim, message: String) -> Diagnostic {
    let diagnostic = Diagnostic::error("output-collision", message).at(
        &blamed.file,
        blamed.range.clone(),
        "cannot be written there",
    );
    // An alias takes an address another record may hold: point at both records.
    let same_place = blamed.file == other.file && other.range.is_empty();
    let diagnostic = match blamed.rank {
        Rank::Redirect if !same_place => diagnostic.with_context(
            &other.file,
            other.range.clone(),
            "the address is taken here",
        ),
        _ => diagnostic,
    };
    let help = match blamed.rank {
        Rank::Redirect => format!(
            "remove the alias: `{}` is already {}",
            other.path, other.what
        ),
        _ => format!(
            "rename or move it: the site needs `{}` for {}",
            other.path, other.what
        ),
    };
    diagnostic.with_help(help)
}
