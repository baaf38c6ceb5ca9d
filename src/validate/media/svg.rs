//! An SVG logo re-serialised by usvg, with bounds on what that may cost and produce.
//!
//! usvg copies the target of every `<use>` into its tree (so a chain of a few dozen `<use>`
//! elements, each pointing at two copies of the one before, doubles a few dozen times), draws
//! a copy of a marker at each vertex, and gives each shape its own copy of a gradient or
//! pattern it inherits. Before usvg runs, [`expansion`] counts what it would make, without
//! making it; the tree it made is counted again, what it wrote is held to the input's byte
//! limit, and read back as XML.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::load::site::Limits;
use crate::model::Media;

/// A problem: its code, message and help.
pub type Problem = (&'static str, String, String);

/// The re-serialised SVG of `bytes`, which [`super::is_svg`] accepted, and the warning of
/// what it lost that the logo showed ([`dropped`]).
pub fn clean(bytes: &[u8], limits: &Limits) -> Result<(Media, Option<Problem>), Problem> {
    let text = std::str::from_utf8(bytes).map_err(|e| unreadable(&e))?;
    let budget = budget(limits);
    let parse = |text| {
        let options = roxmltree::ParsingOptions {
            allow_dtd: true,
            // A node takes at least 2.5 bytes (`<g/>` and a line break are two), so no file
            // within the byte limit reaches this; it bounds the parse for a caller that did
            // not cap the bytes (the fuzz target).
            nodes_limit: u32::try_from(limits.svg_kib * 512).unwrap_or(u32::MAX),
            ..roxmltree::ParsingOptions::default()
        };
        roxmltree::Document::parse_with_options(text, options).map_err(|e| match e {
            roxmltree::Error::NodesLimitReached => too_complex(budget),
            e => unreadable(&e),
        })
    };
    let doc = parse(text)?;
    if expansion(&doc, budget) > budget {
        return Err(too_complex(budget));
    }
    let renamed = plain_ids(&doc, text);
    let doc = match &renamed {
        Some(renamed) => parse(renamed)?,
        None => doc,
    };
    let refused_image = Arc::new(AtomicBool::new(false));
    let tree = usvg::Tree::from_xmltree(&doc, &options(limits, &refused_image))
        .map_err(|e| unreadable(&e))?;
    if tree_cost(&tree) > budget {
        return Err(too_complex(budget));
    }
    let clean = tree.to_string(&usvg::WriteOptions::default());
    let max = limits.svg_kib * 1024;
    if clean.len() as u64 > max {
        return Err((
            "svg-too-complex",
            format!(
                "grows to {} KiB when re-serialised, more than the limit of {} KiB",
                (clean.len() as u64).div_ceil(1024),
                limits.svg_kib
            ),
            "simplify the logo (repeated `<use>` copies and embedded images count once per copy), or raise `svg_kib` under `limits:` in site.yaml".into(),
        ));
    }
    if let Err(e) = roxmltree::Document::parse(&clean) {
        return Err((
            "invalid-svg",
            format!("is not well-formed XML once re-serialised ({e})"),
            "export the logo again from your design tool as plain SVG".into(),
        ));
    }
    let size = tree.size();
    let media = Media {
        bytes: Arc::from(clean.into_bytes()),
        width: size.width().round() as u32,
        height: size.height().round() as u32,
    };
    Ok((media, dropped(&doc, refused_image.load(Ordering::Relaxed))))
}

/// What the SVG shows that its re-serialisation leaves out, as one warning: its text (usvg
/// reads no fonts, so that the output never depends on the machine's: text could only become
/// paths in a font the designer never chose), an image usvg refused (a link, an embedded SVG,
/// a raster over the limits), HTML in a `<foreignObject>` and animation. Scripts and event
/// handlers are left out too, on purpose and unseen: a logo in an `<img>` never runs them.
fn dropped(doc: &roxmltree::Document, refused_image: bool) -> Option<Problem> {
    let svg = |n: &roxmltree::Node, names: &[&str]| {
        n.tag_name().namespace() == Some(SVG_NS) && names.contains(&n.tag_name().name())
    };
    let has = |names: &[&str], shown: &dyn Fn(roxmltree::Node) -> bool| {
        doc.descendants().any(|n| svg(&n, names) && shown(n))
    };
    let lettered = |n: roxmltree::Node| {
        n.descendants()
            .any(|t| t.text().is_some_and(|t| !t.trim().is_empty()))
    };
    // In a `<switch>`, usvg shows the next child a renderer without HTML would.
    let outside_switch = |n: roxmltree::Node| !n.parent().is_some_and(|p| svg(&p, &["switch"]));
    let kinds: [(bool, &str, &str); 4] = [
        (
            has(&["text"], &lettered),
            "its text",
            "convert the text to paths (outlines) in your design tool and export it again",
        ),
        (
            refused_image,
            "an image it links or embeds",
            "embed images as PNG, JPEG, GIF or WebP data within the image limits, not as links or SVG",
        ),
        (
            has(&["foreignObject"], &outside_switch),
            "its HTML (`<foreignObject>`)",
            "draw that part with SVG shapes",
        ),
        (
            has(&ANIMATION, &|_| true),
            "its animation",
            "export a still logo",
        ),
    ];
    let lost: Vec<&(bool, &str, &str)> = kinds.iter().filter(|k| k.0).collect();
    if lost.is_empty() {
        return None;
    }
    let what: Vec<&str> = lost.iter().map(|k| k.1).collect();
    let what = match what.split_last() {
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    };
    let help: Vec<&str> = lost.iter().map(|k| k.2).collect();
    Some((
        "svg-content-dropped",
        format!(
            "is published without {what}: marketgen publishes an SVG only as re-serialised, which leaves it out"
        ),
        help.join("; "),
    ))
}

const SVG_NS: &str = "http://www.w3.org/2000/svg";

/// SVG's animation elements: usvg draws the still image they start from.
const ANIMATION: [&str; 5] = [
    "animate",
    "animateColor",
    "animateMotion",
    "animateTransform",
    "set",
];

/// What usvg may make of one SVG, in units of one element or 64 bytes of attribute values:
/// one unit for every 4 bytes of the size limit, so that any file within the limit that
/// expands nothing fits.
fn budget(limits: &Limits) -> u64 {
    limits.svg_kib * 256
}

fn unreadable(e: &dyn std::fmt::Display) -> Problem {
    (
        "invalid-svg",
        format!("cannot be read as SVG: {e}"),
        "export the logo again from your design tool as plain SVG".into(),
    )
}

fn too_complex(budget: u64) -> Problem {
    (
        "svg-too-complex",
        format!(
            "expands to more than {budget} elements once its `<use>` copies, markers and references are resolved"
        ),
        "simplify the logo (replace chains of `<use>` copies by the shapes themselves), or raise `svg_kib` under `limits:` in site.yaml, which raises this limit with it".into(),
    )
}

/// usvg's options: no file is read, no text is shaped, and an `href` is kept only when it is
/// an embedded raster whose header is within the image limits (an external reference, or an
/// embedded SVG with its own references, never is); `refused` is set when one is not.
fn options(limits: &Limits, refused: &Arc<AtomicBool>) -> usvg::Options<'static> {
    let limits = *limits;
    let (refused, refused_link) = (Arc::clone(refused), Arc::clone(refused));
    usvg::Options {
        resources_dir: None,
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: Box::new(move |_, data: Arc<Vec<u8>>, _| {
                let kind = embedded_raster(data, &limits);
                if kind.is_none() {
                    refused.store(true, Ordering::Relaxed);
                }
                kind
            }),
            resolve_string: Box::new(move |_, _| {
                refused_link.store(true, Ordering::Relaxed);
                None
            }),
        },
        ..usvg::Options::default()
    }
}

/// An embedded image usvg may keep: a raster whose header is within the image limits.
fn embedded_raster(data: Arc<Vec<u8>>, limits: &Limits) -> Option<usvg::ImageKind> {
    super::header_size(&data, limits).ok()?;
    match imagesize::image_type(&data).ok()? {
        imagesize::ImageType::Png => Some(usvg::ImageKind::PNG(data)),
        imagesize::ImageType::Jpeg => Some(usvg::ImageKind::JPEG(data)),
        imagesize::ImageType::Gif => Some(usvg::ImageKind::GIF(data)),
        imagesize::ImageType::Webp => Some(usvg::ImageKind::WEBP(data)),
        _ => None,
    }
}

/// Elements that are drawn, and so take markers and inherited paint.
const SHAPES: &[&str] = &[
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "image",
];

/// Paint servers: a shape that inherits one gets its own copy.
const PAINT_SERVERS: &[&str] = &["linearGradient", "radialGradient", "pattern"];

/// An upper bound of what usvg would make of `doc`, saturating just above `budget`: each
/// element is counted once, with what it references (`<use>` targets, paint servers, clip
/// paths, masks, filters, markers) counted as often as usvg would copy it, so the count is
/// linear in the document however deep the copies nest. A reference that loops counts
/// nothing: usvg drops it.
fn expansion(doc: &roxmltree::Document, budget: u64) -> u64 {
    let ids = first_ids(doc);
    let style = style_references(doc, &ids);
    let markers: Vec<roxmltree::Node> = doc
        .descendants()
        .filter(|n| n.has_tag_name("marker"))
        .collect();
    // Markers are drawn at each vertex of each shape; one is never drawn inside another.
    let plain = count(doc, &ids, 0, budget);
    let marker_cost = markers.iter().fold(0, |sum: u64, m| {
        sum.saturating_add(plain.cost[m.id().get_usize()])
    });
    let counted = match marker_cost {
        0 => plain,
        cost => count(doc, &ids, cost, budget),
    };
    let root = doc.root_element().id().get_usize();
    // A style sheet may give every shape a reference.
    let styled = style.iter().fold(0, |sum: u64, target| {
        sum.saturating_add(counted.cost[target.id().get_usize()])
    });
    counted.cost[root]
        .saturating_add(counted.shapes[root].saturating_mul(styled))
        .min(budget.saturating_add(1))
}

struct Counted {
    /// By node: what usvg makes of it and its copies.
    cost: Vec<u64>,
    /// By node: how many shapes it holds, copies included.
    shapes: Vec<u64>,
}

fn count(
    doc: &roxmltree::Document,
    ids: &HashMap<&str, roxmltree::Node>,
    marker_cost: u64,
    budget: u64,
) -> Counted {
    let cap = budget.saturating_add(1);
    let len = doc.descendants().count();
    let mut counted = Counted {
        cost: vec![0; len],
        shapes: vec![0; len],
    };
    // 0: not seen, 1: on the current path (a reference to it loops), 2: counted.
    let mut state = vec![0u8; len];
    let mut stack = vec![(doc.root_element(), false)];
    while let Some((node, done)) = stack.pop() {
        let i = node.id().get_usize();
        if !done {
            if state[i] != 0 {
                continue;
            }
            state[i] = 1;
            stack.push((node, true));
            let targets = references(node, ids).map(|(target, _)| target);
            for next in node.children().filter(|n| n.is_element()).chain(targets) {
                if state[next.id().get_usize()] == 0 {
                    stack.push((next, false));
                }
            }
            continue;
        }
        let attributes: usize = node.attributes().map(|a| a.value().len()).sum();
        let shape = SHAPES.contains(&node.tag_name().name());
        let mut cost = 1 + attributes as u64 / 64;
        let mut shapes = u64::from(shape);
        for child in node.children().filter(|n| n.is_element()) {
            let c = child.id().get_usize();
            cost = cost.saturating_add(counted.cost[c]);
            shapes = shapes.saturating_add(counted.shapes[c]);
        }
        let mut inherited = Vec::new();
        for (target, how) in references(node, ids) {
            let t = target.id().get_usize();
            if state[t] != 2 {
                continue;
            }
            match how {
                Reference::Copy => {
                    cost = cost.saturating_add(counted.cost[t]);
                    shapes = shapes.saturating_add(counted.shapes[t]);
                }
                Reference::Paint => inherited.push(target),
                Reference::Once => cost = cost.saturating_add(counted.cost[t]),
            }
        }
        for target in inherited {
            let copies = match PAINT_SERVERS.contains(&target.tag_name().name()) {
                true => shapes.max(1),
                false => 1,
            };
            cost =
                cost.saturating_add(copies.saturating_mul(counted.cost[target.id().get_usize()]));
        }
        if shape && marker_cost > 0 {
            let vertices = ["d", "points"]
                .iter()
                .filter_map(|a| node.attribute(*a))
                .map(str::len)
                .sum::<usize>() as u64;
            cost = cost.saturating_add((vertices + 2).saturating_mul(marker_cost));
        }
        counted.cost[i] = cost.min(cap);
        counted.shapes[i] = shapes.min(cap);
        state[i] = 2;
    }
    counted
}

/// How usvg uses what an element references.
#[derive(Clone, Copy)]
enum Reference {
    /// A copy in place of the reference (`<use>`, and `href` between definitions).
    Copy,
    /// Paint (`fill`, `stroke`), inherited by the shapes below.
    Paint,
    /// Once for this element (clip paths, masks, filters).
    Once,
}

/// What `node` references by id: `href` (in either namespace) and `url(#…)` in attributes and
/// its `style`. Marker properties are left out: markers are counted per vertex.
fn references<'a, 'input>(
    node: roxmltree::Node<'a, 'input>,
    ids: &HashMap<&'a str, roxmltree::Node<'a, 'input>>,
) -> impl Iterator<Item = (roxmltree::Node<'a, 'input>, Reference)> {
    let mut found = Vec::new();
    for attribute in node.attributes() {
        let (name, value) = (attribute.name(), attribute.value());
        if name == "href" {
            if let Some(target) = value.strip_prefix('#').and_then(|id| ids.get(id)) {
                found.push((*target, Reference::Copy));
            }
        } else if name == "style" {
            for declaration in value.split(';') {
                if let Some((property, value)) = declaration.split_once(':') {
                    push_urls(property.trim(), value, ids, &mut found);
                }
            }
        } else {
            push_urls(name, value, ids, &mut found);
        }
    }
    found.into_iter()
}

fn push_urls<'a, 'input>(
    property: &str,
    value: &str,
    ids: &HashMap<&'a str, roxmltree::Node<'a, 'input>>,
    found: &mut Vec<(roxmltree::Node<'a, 'input>, Reference)>,
) {
    if property.starts_with("marker") {
        return;
    }
    let how = match property {
        "fill" | "stroke" => Reference::Paint,
        _ => Reference::Once,
    };
    for (_, id) in url_ids(value) {
        if let Some(target) = ids.get(id) {
            found.push((*target, how));
        }
    }
}

/// Each `url(#id)` in `value`: the byte range of the id, and the id.
fn url_ids(value: &str) -> impl Iterator<Item = (Range<usize>, &str)> {
    value.match_indices("url(").filter_map(move |(at, _)| {
        let rest = &value[at + 4..];
        let start = rest.len() - rest.trim_start_matches([' ', '\'', '"']).len();
        let inner = rest[start..].strip_prefix('#')?;
        let len = inner.find([')', '\'', '"', ' ']).unwrap_or(inner.len());
        let begin = at + 4 + start + 1;
        Some((begin..begin + len, &inner[..len]))
    })
}

/// Elements by id, the first of each as usvg takes it.
fn first_ids<'a, 'input>(
    doc: &'a roxmltree::Document<'input>,
) -> HashMap<&'a str, roxmltree::Node<'a, 'input>> {
    let mut ids = HashMap::new();
    for node in doc.descendants() {
        if let Some(id) = node.attribute("id") {
            ids.entry(id).or_insert(node);
        }
    }
    ids
}

/// The elements `<style>` sheets reference: a selector may apply them to any element.
fn style_references<'a, 'input>(
    doc: &'a roxmltree::Document<'input>,
    ids: &HashMap<&'a str, roxmltree::Node<'a, 'input>>,
) -> Vec<roxmltree::Node<'a, 'input>> {
    let mut found = Vec::new();
    for style in doc.descendants().filter(|n| n.has_tag_name("style")) {
        for text in style.children().filter_map(|n| n.text()) {
            for declaration in text.split([';', '{', '}']) {
                if let Some((property, value)) = declaration.split_once(':') {
                    push_urls(property.trim(), value, ids, &mut found);
                }
            }
        }
    }
    found.into_iter().map(|(node, _)| node).collect()
}

/// What usvg made: its nodes, the definitions they share, and embedded images and path data
/// by their size.
fn tree_cost(tree: &usvg::Tree) -> u64 {
    fn group(g: &usvg::Group) -> u64 {
        g.children().iter().fold(1, |sum: u64, node| {
            sum.saturating_add(match node {
                usvg::Node::Group(g) => group(g),
                usvg::Node::Path(p) => 1 + p.data().points().len() as u64 / 16,
                usvg::Node::Image(i) => match i.kind() {
                    usvg::ImageKind::PNG(d)
                    | usvg::ImageKind::JPEG(d)
                    | usvg::ImageKind::GIF(d)
                    | usvg::ImageKind::WEBP(d) => 1 + d.len() as u64 / 48,
                    usvg::ImageKind::SVG(t) => tree_cost(t),
                },
                usvg::Node::Text(_) => 1,
            })
        })
    }
    let roots = tree
        .clip_paths()
        .iter()
        .map(|c| c.root())
        .chain(tree.masks().iter().map(|m| m.root()))
        .chain(tree.patterns().iter().map(|p| p.root()));
    let stops = tree
        .linear_gradients()
        .iter()
        .map(|g| g.stops().len())
        .chain(tree.radial_gradients().iter().map(|g| g.stops().len()))
        .sum::<usize>() as u64;
    roots
        .fold(group(tree.root()), |sum, g| sum.saturating_add(group(g)))
        .saturating_add(stops)
        .saturating_add(tree.filters().len() as u64)
}

/// `text` with every id that is not a plain name renamed, and every reference to it: usvg
/// writes ids into its output as they are, without escaping `&` or `<`. `None` when every id
/// is plain already.
fn plain_ids(doc: &roxmltree::Document, text: &str) -> Option<String> {
    let is_plain =
        |id: &str| !id.is_empty() && id.chars().all(|c| c.is_alphanumeric() || "-_.".contains(c));
    let taken: std::collections::HashSet<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("id"))
        .collect();
    let mut renamed: HashMap<&str, String> = HashMap::new();
    let mut next = 0;
    for id in doc.descendants().filter_map(|n| n.attribute("id")) {
        if is_plain(id) || renamed.contains_key(id) {
            continue;
        }
        let name = loop {
            next += 1;
            let name = format!("id{next}");
            if !taken.contains(name.as_str()) {
                break name;
            }
        };
        renamed.insert(id, name);
    }
    if renamed.is_empty() {
        return None;
    }
    let rename = |value: &str| -> Option<String> {
        if let Some(name) = value.strip_prefix('#').and_then(|id| renamed.get(id)) {
            return Some(format!("#{name}"));
        }
        let mut out = String::new();
        let mut last = 0;
        for (range, id) in url_ids(value) {
            if let Some(name) = renamed.get(id) {
                out.push_str(&value[last..range.start]);
                out.push_str(name);
                last = range.end;
            }
        }
        (last > 0).then(|| out + &value[last..])
    };
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    for node in doc.descendants() {
        for attribute in node.attributes() {
            let value = match (attribute.name(), renamed.get(attribute.value())) {
                ("id", Some(name)) => Some(name.clone()),
                _ => rename(attribute.value()),
            };
            if let Some(value) = value {
                edits.push((attribute.range_value(), escape(&value)));
            }
        }
        if node.is_text() && node.parent().is_some_and(|p| p.has_tag_name("style")) {
            let css = node.text().unwrap_or_default();
            let mut out = String::new();
            let mut last = 0;
            for (range, id) in url_ids(css) {
                if let Some(name) = renamed.get(id) {
                    out.push_str(&css[last..range.start]);
                    out.push_str(name);
                    last = range.end;
                }
            }
            if last > 0 {
                edits.push((node.range(), escape(&(out + &css[last..]))));
            }
        }
    }
    edits.sort_by_key(|(range, _)| range.start);
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (range, value) in edits {
        out.push_str(&text[last..range.start]);
        out.push_str(&value);
        last = range.end;
    }
    out.push_str(&text[last..]);
    Some(out)
}

/// Text for an attribute value in double quotes, or for element content.
fn escape(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
