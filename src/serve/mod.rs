//! `marketgen serve`: builds the site into a temporary folder, serves it on 127.0.0.1, rebuilds
//! what each saved change affects, and reloads open pages. A content error never stops the
//! server: the last good site stays served, with an overlay listing the diagnostics until
//! they are fixed; before any build has passed, every page answers with the diagnostics
//! themselves. The live-reload script is added to pages as they are served, never to what
//! `build` writes.

mod http;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use notify_debouncer_full::notify::{self, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, NoCache, new_debouncer_opt};
use tokio::sync::broadcast;

use crate::CheckOptions;
use crate::diag::{Diagnostic, Diagnostics, Format, Sources, emit, emit_each, printable};
use crate::pipeline::{Rebuild, Session};

pub struct ServeOptions {
    pub root: PathBuf,
    pub port: u16,
    pub open: bool,
    pub today: i64,
    pub preview: bool,
    /// A connector folder under `root`, previewed on its own (`marketgen preview`).
    pub lone: Option<crate::Lone>,
    /// The build cache: the first build reads it, so a warm cache serves the first page sooner.
    pub cache: Option<crate::CacheOptions>,
}

/// What open pages are told.
#[derive(Debug, Clone)]
pub enum Event {
    Reload,
    /// The diagnostics as text, after a headline line saying what is shown meanwhile; empty
    /// when the content is fine again.
    Status(String),
}

/// Shared between the server and the rebuild loop.
pub struct State {
    pub out: PathBuf,
    /// The port the server is bound to, which every request's Host must name.
    pub port: u16,
    pub events: broadcast::Sender<Event>,
    /// The current content errors as text, for pages opened after they appeared.
    pub status: Mutex<String>,
    /// Whether a build has passed and been swapped in: until then there is no site to show,
    /// and every page answers with the diagnostics.
    pub built: AtomicBool,
    /// What the last build's diagnostics said (see [`said`]); `None` before the first.
    said: Mutex<Option<BTreeSet<String>>>,
}

/// Runs until Ctrl-C; the temporary folder is removed on the way out.
pub fn run(options: ServeOptions) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(serve(options))
}

async fn serve(options: ServeOptions) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", options.port))
        .await
        .with_context(|| format!("cannot listen on 127.0.0.1:{}", options.port))?;
    let address = listener.local_addr()?;
    let url = format!("http://{address}/");
    let folder = tempfile::Builder::new()
        .prefix("marketgen-serve-")
        .tempdir()?;
    let out = folder.path().join("site");
    let check = CheckOptions {
        root: std::path::absolute(&options.root)?,
        today: options.today,
        base_url: Some(url.clone()),
        preview: options.preview,
        lone: options.lone.clone(),
        as_listed: false,
        policy: None,
        cache: options.cache.clone(),
    };
    let (events, _) = broadcast::channel(16);
    let state = Arc::new(State {
        out: out.clone(),
        port: address.port(),
        events,
        status: Mutex::new(String::new()),
        built: AtomicBool::new(false),
        said: Mutex::new(None),
    });
    let mut session = Session::new(check.clone(), out.clone());
    let mut first = session.full()?;
    first.what = "the site".into();
    report(&state, &first);
    // Watch and catch Ctrl-C before saying so: an edit or a Ctrl-C made the moment the address
    // appears must not be missed.
    let folders = crate::pipeline::watched(&check);
    let watcher = watch(&folders, session, state.clone())?;
    let interrupted = interrupted()?;
    let page = match &options.lone {
        Some(lone) => format!("{url}connectors/{}/", lone.folder),
        None => url.clone(),
    };
    println!(
        "serving {} (site in {}; Ctrl-C to stop)",
        printable(&page),
        crate::cli::shown(folder.path())
    );
    if options.open {
        let _ = std::process::Command::new("xdg-open").arg(&page).spawn();
    }

    let app = http::router(state.clone());
    tokio::select! {
        served = axum::serve(listener, app) => served.context("the server stopped")?,
        _ = interrupted => println!("stopping"),
    }
    drop(watcher);
    drop(folder);
    Ok(())
}

/// Watches the folders `load` reads and rebuilds what each batch of saves affects. A symlink
/// is never followed, so one that appears while serving (to `/usr`, `/dev/zero`) adds no
/// watch; the session then fingerprints it without reading through it.
fn watch(
    folders: &[(PathBuf, bool)],
    mut session: Session,
    state: Arc<State>,
) -> anyhow::Result<impl Drop> {
    let (sender, receiver) = mpsc::channel::<DebounceEventResult>();
    // An editor's save is a burst of events within a few milliseconds: one rebuild per burst,
    // soon enough that the whole edit-to-reload stays under 100 ms.
    let config = notify::Config::default().with_follow_symlinks(false);
    let mut debouncer = new_debouncer_opt::<_, notify::RecommendedWatcher, _>(
        Duration::from_millis(30),
        None,
        sender,
        NoCache,
        config,
    )?;
    for (folder, recursive) in folders {
        let mode = match recursive {
            true => RecursiveMode::Recursive,
            false => RecursiveMode::NonRecursive,
        };
        debouncer.watch(folder, mode)?;
    }
    std::thread::spawn(move || {
        for result in receiver {
            // When the watcher cannot tell what changed, everything is looked at again.
            let rebuild = match result {
                Ok(events) if !events.iter().any(|e| e.need_rescan()) => {
                    // Reading a file is an event too: without this filter each page view
                    // would rebuild.
                    let paths: Vec<PathBuf> = events
                        .iter()
                        .filter(|e| !e.kind.is_access())
                        .flat_map(|e| e.paths.clone())
                        .collect();
                    session.changed(&paths)
                }
                _ => session.rescan(),
            };
            match rebuild {
                Ok(Some(rebuild)) => report(&state, &rebuild),
                Ok(None) => {}
                Err(error) => eprintln!("error: {}", printable(&format!("{error:#}"))),
            }
        }
    });
    Ok(debouncer)
}

/// Prints what a rebuild did, and tells open pages.
fn report(state: &State, rebuild: &Rebuild) {
    let (sources, diagnostics) = (&rebuild.report.sources, &rebuild.report.diagnostics);
    let errors = diagnostics.has_errors();
    let ms = rebuild.elapsed.as_secs_f64() * 1000.0;
    if rebuild.written {
        state.built.store(true, Ordering::SeqCst);
    }
    let built = state.built.load(Ordering::SeqCst);
    // What open pages show meanwhile, said as the overlay's headline: never a last good site
    // that does not exist.
    let shown = match (rebuild.written, built) {
        (true, _) => {
            "Content errors: the preview shows what it can, its readiness panel listing them"
        }
        (false, true) => "Content errors: the last good site is still shown",
        (false, false) => "Content errors: there is no site to show until they are fixed",
    };
    if rebuild.written {
        let verb = if rebuild.what == "the site" {
            "built"
        } else {
            "rebuilt"
        };
        println!("{verb} {} in {ms:.0} ms", printable(&rebuild.what));
    } else if built {
        println!(
            "content errors in {} ({ms:.0} ms): the last good site is still served",
            printable(&rebuild.what)
        );
    } else {
        println!(
            "content errors in {} ({ms:.0} ms): every page shows them until they are fixed",
            printable(&rebuild.what)
        );
    }
    eprint!("{}", changes(state, sources, diagnostics));
    let status = match errors {
        true => {
            let mut text = Vec::new();
            let _ = emit(&mut text, sources, diagnostics, Format::Human, false);
            format!("{shown}\n{}", String::from_utf8_lossy(&text))
        }
        false => String::new(),
    };
    if let Ok(mut current) = state.status.lock() {
        *current = status.clone();
    }
    let _ = state.events.send(Event::Status(status));
    if rebuild.written {
        let _ = state.events.send(Event::Reload);
    }
}

/// What the terminal is told of a build's diagnostics: each in full the first time, then only
/// what changed since the last build, in full when new and as a count when fixed or still
/// there, so that a save does not scroll every standing warning past again.
fn changes(state: &State, sources: &Sources, diagnostics: &Diagnostics) -> String {
    let now: Vec<String> = diagnostics.iter().map(|d| said(sources, d)).collect();
    let before = state
        .said
        .lock()
        .ok()
        .and_then(|mut said| said.replace(now.iter().cloned().collect()));
    let is_new = |said: &String| before.as_ref().is_none_or(|b| !b.contains(said));
    let new: Diagnostics = diagnostics
        .iter()
        .zip(&now)
        .filter(|(_, said)| is_new(said))
        .map(|(d, _)| d.clone())
        .collect();
    let mut text = Vec::new();
    let _ = emit_each(&mut text, sources, &new, false);
    let mut text = String::from_utf8_lossy(&text).into_owned();
    let count = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    let totals = format!(
        "{}, {}",
        count(diagnostics.error_count(), "error"),
        count(diagnostics.warning_count(), "warning")
    );
    let Some(before) = before else {
        if !diagnostics.is_empty() {
            text.push_str(&totals);
            text.push('\n');
        }
        return text;
    };
    let now: BTreeSet<&String> = now.iter().collect();
    let fixed = before.iter().filter(|said| !now.contains(said)).count();
    let unchanged = diagnostics.iter().count() - new.iter().count();
    if new.is_empty() && fixed == 0 {
        return match unchanged {
            0 => String::new(),
            _ => format!("{totals}, as before\n"),
        };
    }
    let mut parts = Vec::new();
    if !new.is_empty() {
        parts.push(format!("{} new (above)", new.iter().count()));
    }
    if fixed > 0 {
        parts.push(format!("{fixed} gone"));
    }
    if unchanged > 0 {
        parts.push(format!("{unchanged} as before (not shown again)"));
    }
    text.push_str(&format!("{totals}: {}\n", parts.join(", ")));
    text
}

/// What a diagnostic says, with the text it points at rather than its line, so that a
/// problem that only moved (a line added above it) is not new.
fn said(sources: &Sources, diagnostic: &Diagnostic) -> String {
    let mut said = format!(
        "{:?} {} {}\n{}",
        diagnostic.severity,
        diagnostic.code,
        diagnostic.message,
        diagnostic.help.as_deref().unwrap_or_default()
    );
    for label in &diagnostic.labels {
        let text = sources
            .indexed(&label.file)
            .and_then(|(text, _)| text.get(label.range.clone()))
            .unwrap_or_default();
        said.push_str(&format!(
            "\n{} {text:?} {}",
            label.file.display(),
            label.message
        ));
    }
    said
}

/// Ctrl-C or a polite kill (SIGTERM), with the handlers registered now rather than when
/// first awaited.
#[cfg(unix)]
fn interrupted() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    })
}

#[cfg(not(unix))]
fn interrupted() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}
