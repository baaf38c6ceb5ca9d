//! The hot paths of a build, for `cargo bench`: Markdown with highlighting, one connector's
//! pages, one record. Whole-site figures against Hugo are in bench/compare.sh.

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use marketgen::load::{self, yaml};
use marketgen::markdown::{self, Policy, Source};
use marketgen::model::RawHtml;
use marketgen::validate;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const SHOPIFY: &str = "content/connectors/shopify";

fn sample() -> (load::Loaded, marketgen::model::Catalog) {
    let (loaded, _, _) =
        load::load(&load::Source::folder(Path::new(ROOT)), None).expect("the sample site loads");
    let (catalog, diagnostics) = validate::check(&loaded, &options());
    assert!(!diagnostics.has_errors(), "the sample site is valid");
    (loaded, catalog)
}

fn docs_of(
    loaded: &load::Loaded,
    catalog: &marketgen::model::Catalog,
    slug: &str,
) -> marketgen::model::Docs {
    let source = loaded
        .connectors
        .iter()
        .find(|s| s.slug == slug)
        .expect("the connector exists");
    let (raw, _) = load::read_docs(&loaded.source, source, loaded.limits);
    validate::docs(&raw, source, &catalog.site).0
}

fn options() -> validate::Options<'static> {
    validate::Options {
        today: 20_600,
        base_url: None,
        as_listed: false,
        lone: false,
        policy: None,
    }
}

fn bench(c: &mut Criterion) {
    let (loaded, catalog) = sample();
    let docs = docs_of(&loaded, &catalog, "shopify");
    let source = loaded
        .connectors
        .iter()
        .find(|s| s.slug == "shopify")
        .expect("shopify");

    let (raw, _) = load::read_docs(&loaded.source, source, loaded.limits);
    let setup = raw.iter().find(|p| p.name == "setup").expect("setup.md");
    let links = validate::pages::ConnectorLinks::new(
        &catalog.site,
        "shopify",
        marketgen::model::doc_names(&source.files),
    );
    let bundle = links.bundle(&catalog.site, &source.files);
    let page = Source {
        file: &setup.file.path,
        text: &setup.file.text,
        body_offset: setup.body_offset,
        title: "Setup",
    };
    let policy = Policy {
        raw_html: RawHtml::Escape,
        image_hosts: &[],
    };
    c.bench_function("markdown: check one docs page", |b| {
        b.iter(|| markdown::analyse(&page, &bundle, &policy))
    });
    let (body, _) = markdown::analyse(&page, &bundle, &policy);
    c.bench_function("markdown: write and highlight one docs page", |b| {
        b.iter(|| markdown::html(&body.document))
    });

    let renderer =
        marketgen::render::Renderer::new(&catalog, &loaded.theme, marketgen::render::Scope::Listed)
            .expect("templates compile");
    let shopify = catalog.connector("shopify").expect("shopify is listed");
    c.bench_function("render: one connector's pages", |b| {
        b.iter(|| {
            renderer
                .connector(shopify, &docs, &Default::default(), &[])
                .expect("renders")
        })
    });

    let text = std::fs::read_to_string(Path::new(ROOT).join(SHOPIFY).join("connector.yaml"))
        .expect("record");
    let cx = validate::Context {
        site: &catalog.site,
        today: 20_600,
        as_listed: false,
        lone: false,
    };
    c.bench_function("load: parse and check one record", |b| {
        b.iter(|| {
            let doc = yaml::Embedded {
                file: Path::new("connector.yaml"),
                file_text: &text,
                offset: 0,
                yaml: &text,
            };
            let raw = load::record::parse(&doc).0.expect("parses");
            let one = load::ConnectorSource {
                slug: source.slug.clone(),
                dir: source.dir.clone(),
                record_file: source.record_file.clone(),
                record: Some(raw),
                doc_files: Vec::new(),
                files: source.files.clone(),
            };
            validate::record::check(&one, &cx)
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
