//! The catalogue as a browser sees it, for `bench/storefront.sh`: the time until the search
//! is ready and the time of each keystroke, in Debian's chromium, for marketgen's catalogue
//! and, with `--pagefind`, for Pagefind's index of the same site.
//!
//! `cargo run --example catalogue_bench -- --site DIR [--pagefind] [--runs N]`
//!
//! It serves DIR on a free port (uncompressed; the script measures compressed weight from
//! the files) and prints one line per measure.

use std::path::PathBuf;
use std::time::Duration;

use chromiumoxide::cdp::browser_protocol::page::AddScriptToEvaluateOnNewDocumentParams;
use chromiumoxide::{Browser, BrowserConfig, Page};
use clap::Parser;
use futures_util::StreamExt;

#[derive(Parser)]
struct Args {
    /// A built marketgen site (with `pagefind/` in it for `--pagefind`).
    #[arg(long)]
    site: PathBuf,
    /// Also measure Pagefind's search of the same site.
    #[arg(long)]
    pagefind: bool,
    /// Page loads to take the median of.
    #[arg(long, default_value_t = 3)]
    runs: usize,
}

/// Queries typed key by key: every start of each is one keystroke.
const QUERIES: &[&str] = &["connector 42", "invoice", "webhook retry", "stock sync"];

/// The time between two keystrokes, not counted: a fast typist's pace (ten keys a second),
/// so that what a page does after painting a keystroke's results (its logos) happens, as it
/// would, between keystrokes rather than inside the next one.
const KEY_GAP_MS: u32 = 100;

/// How long Pagefind's keystrokes are typed at most.
const PAGEFIND_BUDGET: Duration = Duration::from_secs(90);

/// Records, from the page's first byte, when the catalogue script says it is ready.
const READY: &str = "new MutationObserver((_, o) => {
  if (document.documentElement?.dataset.catalogue) { window.__ready = performance.now(); o.disconnect(); }
}).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-catalogue'] });";

/// A page without the site's Content-Security-Policy, which rightly forbids the
/// WebAssembly Pagefind runs on.
const PAGEFIND_PAGE: &str =
    "<!DOCTYPE html><html lang=en><title>Pagefind</title><body></body></html>";

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at]
}

fn summary(name: &str, mut times: Vec<f64>) {
    times.sort_by(f64::total_cmp);
    println!(
        "{name}: {} keystrokes, p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        times.len(),
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        times[times.len() - 1]
    );
}

async fn eval<T: serde::de::DeserializeOwned>(page: &Page, js: &str) -> T {
    page.evaluate(js)
        .await
        .unwrap_or_else(|e| panic!("{js}: {e}"))
        .into_value()
        .unwrap_or_else(|e| panic!("{js}: {e}"))
}

async fn wait_for(page: &Page, condition: &str) {
    for _ in 0..2000 {
        let done = page.evaluate(format!("!!({condition})")).await;
        if done.ok().and_then(|v| v.into_value::<bool>().ok()) == Some(true) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("timed out waiting for {condition}");
}

/// The compressed size of each file a page fetched, as a static host serving gzip sends it.
fn weigh(site: &std::path::Path, what: &str, paths: &[String]) {
    let mut total = 0;
    for path in paths {
        let mut file = site.join(path.trim_start_matches('/'));
        if path.ends_with('/') {
            file.push("index.html");
        }
        let gzip = std::process::Command::new("gzip")
            .args(["-9", "-c"])
            .arg(&file)
            .output()
            .unwrap_or_else(|e| panic!("gzip {}: {e}", file.display()));
        total += gzip.stdout.len();
        println!("  {path:<28} {:>9} B gzip", gzip.stdout.len());
    }
    println!("marketgen: {what}: {} KB gzip", total / 1024);
}

async fn marketgen(browser: &Browser, site: &std::path::Path, base: &str, runs: usize) {
    let mut ready = Vec::new();
    let mut keys = Vec::new();
    let mut scripts = Vec::new();
    for _ in 0..runs {
        let page = browser.new_page("about:blank").await.unwrap();
        page.evaluate_on_new_document(AddScriptToEvaluateOnNewDocumentParams::new(READY))
            .await
            .unwrap();
        page.goto(format!("{base}/connectors/")).await.unwrap();
        wait_for(&page, "window.__ready").await;
        ready.push(eval::<f64>(&page, "window.__ready").await);
        if keys.is_empty() {
            let fetched: Vec<String> = eval(
                &page,
                "[location.pathname, ...performance.getEntriesByType('resource').map(r => new URL(r.name).pathname)]",
            )
            .await;
            weigh(
                site,
                "first view, as fetched until the search is ready",
                &fetched,
            );
            // Type once the cards and docs words are in, as a visitor's second query would
            // find them.
            eval::<bool>(&page, "(q => { q.focus(); q.value = 'x'; q.dispatchEvent(new Event('input')); return true; })(document.getElementById('q'))").await;
            wait_for(&page, "document.documentElement.dataset.docs === 'loaded' && document.documentElement.dataset.cards === 'loaded'").await;
            let later: Vec<String> = eval(
                &page,
                "performance.getEntriesByType('resource').map(r => new URL(r.name).pathname)",
            )
            .await;
            let later: Vec<String> = later.into_iter().filter(|p| !fetched.contains(p)).collect();
            weigh(site, "then on the first query", &later);
            for query in QUERIES {
                let times: Vec<(f64, f64)> = eval(
                    &page,
                    &format!(
                        "(async (query) => {{
                           const q = document.getElementById('q');
                           const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
                           const times = [];
                           const pause = () => new Promise(r => setTimeout(r, {KEY_GAP_MS}));
                           for (let i = 1; i <= query.length; i++) {{
                             await pause();
                             const start = performance.now();
                             q.value = query.slice(0, i);
                             q.dispatchEvent(new Event('input'));
                             const script = performance.now() - start;
                             await frame();
                             times.push([performance.now() - start, script]);
                           }}
                           return times;
                         }})({query:?})"
                    ),
                )
                .await;
                if std::env::var_os("BENCH_VERBOSE").is_some() {
                    for (i, (total, script)) in times.iter().enumerate() {
                        println!(
                            "  {:<14} {total:6.1} ms, script {script:5.1} ms",
                            &query[..=i]
                        );
                    }
                }
                keys.extend(times.iter().map(|t| t.0));
                scripts.extend(times.iter().map(|t| t.1));
            }
        }
        page.close().await.unwrap();
    }
    ready.sort_by(f64::total_cmp);
    println!(
        "marketgen: search ready {:.0} ms after navigation (median of {runs})",
        ready[ready.len() / 2]
    );
    summary("marketgen (to the next frame painted)", keys);
    summary("marketgen (the script alone)", scripts);
}

async fn pagefind(browser: &Browser, base: &str) {
    let page = browser.new_page("about:blank").await.unwrap();
    page.goto(format!("{base}/__pagefind-bench.html"))
        .await
        .unwrap();
    let (init, first): (f64, f64) = eval(
        &page,
        "(async () => {
           // Every fetch counted: chromium keeps 250 resource entries unless told more.
           performance.setResourceTimingBufferSize(1000000);
           const start = performance.now();
           window.pf = await import('/pagefind/pagefind.js');
           await pf.init();
           const ready = performance.now();
           const r = await pf.search('c');
           await Promise.all(r.results.slice(0, 10).map(x => x.data()));
           return [ready - start, performance.now() - ready];
         })()",
    )
    .await;
    println!("pagefind: init {init:.0} ms, first search with its first 10 results {first:.0} ms");
    // One evaluation a keystroke: a slow search must not outlast the protocol's timeout.
    // At 10,000 connectors a keystroke can take seconds: typing stops after a budget, and
    // the figures say how many keystrokes they cover.
    let mut keys = Vec::new();
    let started = std::time::Instant::now();
    'typing: for query in QUERIES {
        for typed in query
            .char_indices()
            .map(|(i, c)| &query[..i + c.len_utf8()])
        {
            if started.elapsed() > PAGEFIND_BUDGET {
                println!("pagefind: typing stopped after {PAGEFIND_BUDGET:?}");
                break 'typing;
            }
            let time: f64 = eval(
                &page,
                &format!(
                    "(async () => {{
                       const start = performance.now();
                       const r = await pf.search({typed:?});
                       await Promise.all(r.results.slice(0, 10).map(x => x.data()));
                       return performance.now() - start;
                     }})()"
                ),
            )
            .await;
            keys.push(time);
        }
    }
    let bytes: f64 = eval(
        &page,
        "performance.getEntriesByType('resource').filter(r => r.name.includes('/pagefind/'))
           .reduce((sum, r) => sum + r.encodedBodySize, 0)",
    )
    .await;
    println!(
        "pagefind: {:.0} KB fetched for these searches",
        bytes / 1024.0
    );
    summary("pagefind", keys);
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = axum::Router::new()
        .route(
            "/__pagefind-bench.html",
            axum::routing::get(|| async { axum::response::Html(PAGEFIND_PAGE) }),
        )
        .fallback_service(tower_http::services::ServeDir::new(&args.site));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let profile = tempfile::tempdir().unwrap();
    let config = BrowserConfig::builder()
        .chrome_executable("/usr/bin/chromium")
        .no_sandbox()
        .args(["--disable-dev-shm-usage", "--disable-gpu", "--no-first-run"])
        .user_data_dir(profile.path())
        .viewport(None)
        .window_size(1280, 900)
        .build()
        .unwrap();
    let (mut browser, mut handler) = Browser::launch(config).await.unwrap();
    let handler = tokio::spawn(async move { while handler.next().await.is_some() {} });
    marketgen(&browser, &args.site, &base, args.runs).await;
    if args.pagefind {
        pagefind(&browser, &base).await;
    }
    browser.close().await.unwrap();
    browser.wait().await.unwrap();
    handler.await.unwrap();
}
