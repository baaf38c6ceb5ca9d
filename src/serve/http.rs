//! The HTTP side of `serve`: the built site as files, the live-reload script added to each
//! HTML page as it is served, server-sent events, and the current content errors (as a page
//! of their own while no build has passed).

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State as Shared};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event as Sse, KeepAlive};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tower_http::services::{ServeDir, ServeFile};

use super::{Event, State};

const LIVE_JS: &str = include_str!("live.js");
const OVERLAY_CSS: &str = include_str!("overlay.css");
/// A file, not inline code, so the pages' Content-Security-Policy allows it.
const SCRIPT_TAG: &str = "<script src=\"/_marketgen/live.js\" defer></script>";

pub fn router(state: Arc<State>) -> Router {
    let hosts = Arc::new(allowed_hosts(state.port));
    let files =
        ServeDir::new(&state.out).not_found_service(ServeFile::new(state.out.join("404.html")));
    Router::new()
        .route(
            "/_marketgen/live.js",
            get(|| async { ([(header::CONTENT_TYPE, "text/javascript")], LIVE_JS) }),
        )
        .route(
            "/_marketgen/overlay.css",
            get(|| async { ([(header::CONTENT_TYPE, "text/css")], OVERLAY_CSS) }),
        )
        .route("/_marketgen/status", get(status))
        .route("/_marketgen/events", get(events))
        .fallback_service(files)
        .layer(middleware::from_fn_with_state(state.clone(), unbuilt))
        .layer(middleware::from_fn(inject))
        .layer(middleware::from_fn_with_state(hosts, only_own_host))
        .with_state(state)
}

/// The Host headers this server answers: its own address and `localhost`, with its port (and
/// without one only on port 80, where browsers leave it out).
fn allowed_hosts(port: u16) -> Vec<String> {
    let names = ["127.0.0.1", "localhost", "[::1]"];
    let mut hosts: Vec<String> = names.iter().map(|n| format!("{n}:{port}")).collect();
    if port == 80 {
        hosts.extend(names.iter().map(|n| n.to_string()));
    }
    hosts
}

/// Refuses every request whose Host is not this server's own, on every route. A page on the
/// internet can point its own name at 127.0.0.1 (DNS rebinding) and then read previews of
/// unlisted records and the diagnostics, which quote private fields; its requests still carry
/// its own name as the Host.
async fn only_own_host(
    Shared(hosts): Shared<Arc<Vec<String>>>,
    request: Request,
    next: Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_ascii_lowercase);
    match host {
        Some(host) if hosts.contains(&host) => next.run(request).await,
        _ => (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!(
                "forbidden: marketgen serve answers only requests for {}\n",
                hosts[..2].join(" or ")
            ),
        )
            .into_response(),
    }
}

/// Until a build passes there is no site: every page (the address `serve` and `preview` print
/// first, and any other) answers with the content errors and what to do, never an empty 404.
async fn unbuilt(Shared(state): Shared<Arc<State>>, request: Request, next: Next) -> Response {
    let own = request.uri().path().starts_with("/_marketgen/");
    if own || state.built.load(Ordering::SeqCst) {
        return next.run(request).await;
    }
    let status = state.status.lock().map(|s| s.clone()).unwrap_or_default();
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        problems_page(&status),
    )
        .into_response()
}

/// The page shown while no build has passed: the status's headline and its diagnostics, which
/// the live-reload script keeps current until the site is built and the page reloads.
fn problems_page(status: &str) -> String {
    let (headline, diagnostics) = status.split_once('\n').unwrap_or((status, ""));
    let headline = match headline {
        "" => "The site is being built",
        headline => headline,
    };
    let mut page = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Content errors · marketgen</title>\
         <link rel=\"stylesheet\" href=\"/_marketgen/overlay.css\"></head>\
         <body><main id=\"marketgen-problems\"><h1>",
    );
    crate::markdown::escape_into(&mut page, headline);
    page.push_str(
        "</h1><p>Fix what is listed below and save: this page reloads by itself.</p><pre>",
    );
    crate::markdown::escape_into(&mut page, diagnostics);
    page.push_str("</pre></main></body></html>\n");
    page
}

async fn status(Shared(state): Shared<Arc<State>>) -> String {
    state.status.lock().map(|s| s.clone()).unwrap_or_default()
}

/// Every event carries a `data:` line: a browser's EventSource dispatches nothing while an
/// event's data is empty, so an event without one would never reach the page. A status is its
/// text as a JSON string (`""` once the content is fixed), which also keeps its newlines on one
/// `data:` line.
async fn events(Shared(state): Shared<Arc<State>>) -> impl IntoResponse {
    let receiver = state.events.subscribe();
    let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
        loop {
            match receiver.recv().await {
                Ok(Event::Reload) => {
                    return Some((
                        Ok::<_, Infallible>(Sse::default().event("reload").data("reload")),
                        receiver,
                    ));
                }
                Ok(Event::Status(text)) => {
                    let data = serde_json::to_string(&text).unwrap_or_default();
                    return Some((Ok(Sse::default().event("status").data(data)), receiver));
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    axum::response::sse::Sse::new(stream).keep_alive(KeepAlive::default())
}

/// Adds the live-reload script to HTML pages, just before `</head>`.
async fn inject(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_html {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024 * 1024).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let html = String::from_utf8_lossy(&bytes);
    let injected = match html.find("</head>") {
        Some(at) => format!("{}{SCRIPT_TAG}{}", &html[..at], &html[at..]),
        None => format!("{html}{SCRIPT_TAG}"),
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    // Pages change under the server: never let the browser keep an old one.
    parts.headers.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    Response::from_parts(parts, Body::from(injected))
}
