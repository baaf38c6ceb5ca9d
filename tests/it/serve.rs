//! `marketgen serve`, driven as a user would: start it on a free port, fetch pages, edit files,
//! watch the live-reload events, break and fix a record, stop it with Ctrl-C.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::build::copy_tree;
use crate::support::{TODAY, fixture, select};

/// Generous: rebuilds take milliseconds, but CI machines are shared.
const WAIT: Duration = Duration::from_secs(20);

pub struct Server {
    child: Child,
    pub address: String,
    folder: PathBuf,
    log: Arc<Mutex<Vec<String>>>,
    /// Its standard error, where diagnostics go, line by line.
    errors: Arc<Mutex<Vec<String>>>,
}

impl Server {
    pub fn start(root: &Path) -> Server {
        Server::start_with(root, &[])
    }

    fn start_with(root: &Path, args: &[&str]) -> Server {
        let mut all: Vec<&std::ffi::OsStr> = ["serve", "--port", "0", "--root"]
            .iter()
            .map(std::ffi::OsStr::new)
            .collect();
        all.push(root.as_os_str());
        all.extend(args.iter().map(std::ffi::OsStr::new));
        Server::spawn(&all, Path::new("."))
    }

    /// Runs `marketgen ARGS` in `dir` and waits until it serves.
    fn spawn(args: &[&std::ffi::OsStr], dir: &Path) -> Server {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("marketgen"))
            .args(args)
            .current_dir(dir)
            .env("SOURCE_DATE_EPOCH", TODAY)
            // Held open and never written: reading it would block, as a terminal's would.
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        while !first.starts_with("serving") {
            first.clear();
            assert!(
                stdout.read_line(&mut first).unwrap() > 0,
                "serve exited before serving"
            );
        }
        let rest = first.strip_prefix("serving http://").unwrap();
        let (address, rest) = rest.split_once('/').unwrap();
        let folder = rest
            .split_once("(site in ")
            .unwrap()
            .1
            .split(';')
            .next()
            .unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let lines = log.clone();
        std::thread::spawn(move || {
            for line in stdout.lines().map_while(Result::ok) {
                lines.lock().unwrap().push(line);
            }
        });
        let errors = Arc::new(Mutex::new(Vec::new()));
        let lines = errors.clone();
        let stderr = BufReader::new(child.stderr.take().unwrap());
        std::thread::spawn(move || {
            for line in stderr.lines().map_while(Result::ok) {
                lines.lock().unwrap().push(line);
            }
        });
        Server {
            child,
            address: address.to_string(),
            folder: PathBuf::from(folder),
            log,
            errors,
        }
    }

    pub fn get(&self, path: &str) -> (u16, String) {
        self.get_as(&self.address, path)
    }

    /// A request naming `host` in its Host header, as a page on another site would send it.
    fn get_as(&self, host: &str, path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.address).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let response = String::from_utf8_lossy(&response).into_owned();
        let (head, body) = response.split_once("\r\n\r\n").unwrap();
        let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
        let body = if head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked")
        {
            dechunk(body)
        } else {
            body.to_string()
        };
        (status, body)
    }

    /// An open event stream, as a browser tab holds one.
    fn events(&self) -> BufReader<TcpStream> {
        let mut stream = TcpStream::connect(&self.address).unwrap();
        write!(
            stream,
            "GET /_marketgen/events HTTP/1.1\r\nHost: {}\r\n\r\n",
            self.address
        )
        .unwrap();
        stream.set_read_timeout(Some(WAIT)).unwrap();
        BufReader::new(stream)
    }

    /// Its standard error so far, emptied: what the next rebuild prints is on its own.
    pub fn take_stderr(&self) -> String {
        let lines = std::mem::take(&mut *self.errors.lock().unwrap());
        lines.iter().map(|l| format!("{l}\n")).collect()
    }

    /// Waits until its standard error has a line holding `text`.
    pub fn wait_for_stderr(&self, text: &str) {
        let start = Instant::now();
        while !self.errors.lock().unwrap().iter().any(|l| l.contains(text)) {
            assert!(
                start.elapsed() < WAIT,
                "no `{text}` on stderr: {:?}",
                self.errors.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn log_contains(&self, text: &str) -> bool {
        self.log.lock().unwrap().iter().any(|l| l.contains(text))
    }

    pub fn wait_for_log(&self, text: &str) {
        let start = Instant::now();
        while !self.log_contains(text) {
            assert!(
                start.elapsed() < WAIT,
                "no `{text}` in the log: {:?}",
                self.log.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn interrupt(mut self) -> std::process::ExitStatus {
        self.stop().expect("serve did not stop on Ctrl-C")
    }

    /// Ctrl-C, as a user would stop it; `None` if it has not stopped within the wait.
    fn stop(&mut self) -> Option<std::process::ExitStatus> {
        // Once reaped, its process id may belong to another process: never signal it again.
        if let Ok(Some(status)) = self.child.try_wait() {
            return Some(status);
        }
        let _ = Command::new("kill")
            .arg("-INT")
            .arg(self.child.id().to_string())
            .status();
        let start = Instant::now();
        while start.elapsed() < WAIT {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Server {
    /// Stops the server as a user would, so it removes its folder; a hard kill only if it hangs.
    fn drop(&mut self) {
        if self.stop().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn dechunk(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.push_str(&after[..size]);
        rest = &after[size + 2..];
    }
    out
}

/// Reads server-sent events until one named `name` arrives, and checks that it has data.
fn wait_for_event(events: &mut BufReader<TcpStream>, name: &str) {
    let start = Instant::now();
    let mut seen = Vec::new();
    loop {
        let mut line = String::new();
        events
            .read_line(&mut line)
            .unwrap_or_else(|e| panic!("no `{name}` event: {e}; saw {seen:?}"));
        if line.trim_end() == format!("event: {name}") {
            // A browser dispatches no event whose data is empty (issue 24): each has a `data:`.
            let mut data = String::new();
            events.read_line(&mut data).unwrap();
            assert!(
                data.starts_with("data:") && data.trim_end().len() > "data:".len(),
                "the `{name}` event has no data, so browsers drop it: {data:?}"
            );
            return;
        }
        seen.push(line);
        assert!(start.elapsed() < WAIT, "no `{name}` event; saw {seen:?}");
    }
}

pub fn site() -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    copy_tree(&fixture("valid"), site.path());
    site
}

#[test]
fn an_edited_docs_page_is_rebuilt_and_open_pages_reload() {
    let site = site();
    let server = Server::start(site.path());
    let (status, page) = server.get("/connectors/acme-orders/docs/setup/");
    assert_eq!(status, 200);
    assert!(
        page.contains("<script src=\"/_marketgen/live.js\" defer></script></head>"),
        "{page}"
    );
    assert!(
        page.contains("href=\"http://127.0.0.1:"),
        "links should point at the server"
    );
    let mut events = server.events();
    let doc = site
        .path()
        .join("content/connectors/acme-orders/docs/setup.md");
    let text = std::fs::read_to_string(&doc).unwrap();
    assert!(!server.get("/search-docs.json").1.contains("zanzibarish"));
    std::fs::write(
        &doc,
        format!("{text}\nA NEW-PARAGRAPH-MARKER appears, zanzibarish.\n"),
    )
    .unwrap();
    wait_for_event(&mut events, "reload");
    assert!(
        server
            .get("/connectors/acme-orders/docs/setup/")
            .1
            .contains("NEW-PARAGRAPH-MARKER")
    );
    server.wait_for_log("rebuilt the docs of acme-orders in");
    // The search finds the new word too.
    assert!(server.get("/search-docs.json").1.contains("zanzibarish"));
}

#[test]
fn a_save_that_changes_nothing_rebuilds_nothing() {
    let site = site();
    let server = Server::start(site.path());
    let doc = site
        .path()
        .join("content/connectors/acme-orders/docs/setup.md");
    let record = site
        .path()
        .join("content/connectors/acme-orders/connector.yaml");
    for file in [&doc, &record] {
        let bytes = std::fs::read(file).unwrap();
        std::fs::write(file, bytes).unwrap();
    }
    // Past the debounce window, so a rebuild for the no-op saves would be a rebuild of its own;
    // then a real edit, so the test knows the watcher has seen everything before it.
    std::thread::sleep(Duration::from_millis(600));
    let text = std::fs::read_to_string(&doc).unwrap();
    std::fs::write(&doc, format!("{text}\nEdited.\n")).unwrap();
    server.wait_for_log("rebuilt the docs of acme-orders");
    let rebuilds = server
        .log
        .lock()
        .unwrap()
        .iter()
        .filter(|l| l.starts_with("rebuilt"))
        .count();
    assert_eq!(rebuilds, 1, "{:?}", server.log.lock().unwrap());
}

#[test]
fn content_errors_keep_the_last_good_site_and_show_until_fixed() {
    let site = site();
    let server = Server::start(site.path());
    let mut events = server.events();
    let record = site
        .path()
        .join("content/connectors/acme-orders/connector.yaml");
    let good = std::fs::read_to_string(&record).unwrap();
    std::fs::write(
        &record,
        good.replace(
            "summary: Sync orders and stock levels between Acme Shop and the platform.\n",
            "",
        ),
    )
    .unwrap();
    wait_for_event(&mut events, "status");
    let (_, status) = server.get("/_marketgen/status");
    assert!(
        status.contains("error[missing-field]: missing required field `summary`"),
        "{status}"
    );
    assert!(
        status.contains("--> content/connectors/acme-orders/connector.yaml:1:1"),
        "{status}"
    );
    let (code, page) = server.get("/connectors/acme-orders/");
    assert_eq!(code, 200);
    assert!(
        page.contains("Sync orders and stock levels"),
        "the last good page should still be served"
    );
    server.wait_for_log("content errors in everything");
    std::fs::write(&record, good).unwrap();
    wait_for_event(&mut events, "reload");
    assert_eq!(server.get("/_marketgen/status").1, "");
}

#[test]
fn ctrl_c_stops_the_server_and_removes_its_folder() {
    let site = site();
    let server = Server::start(site.path());
    let folder = server.folder.clone();
    assert!(folder.join("site/index.html").is_file());
    let status = server.interrupt();
    assert!(status.success(), "{status:?}");
    assert!(!folder.exists(), "{} was left behind", folder.display());
}

#[test]
fn a_missing_page_is_the_sites_404() {
    let site = site();
    let server = Server::start(site.path());
    let (code, page) = server.get("/no/such/page/");
    assert_eq!(code, 404);
    assert!(page.contains("Page not found"));
}

#[test]
fn serve_preview_shows_records_that_are_not_listed() {
    let site = site();
    let server = Server::start_with(site.path(), &["--preview"]);
    let (code, page) = server.get("/connectors/reviewing/");
    assert_eq!(code, 200);
    assert!(
        page.contains("Preview — not listed (status: in-review)"),
        "{page}"
    );
    let plain = Server::start(site.path());
    assert_eq!(plain.get("/connectors/reviewing/").0, 404);
}

/// `marketgen new connector acme-crm` in a new folder, then `marketgen preview acme-crm` there.
pub fn preview_new_connector(extra: &[&std::ffi::OsStr]) -> (tempfile::TempDir, Server) {
    let dir = crate::support::new_lone_connector();
    let mut args: Vec<&std::ffi::OsStr> = ["preview", "acme-crm", "--port", "0"]
        .iter()
        .map(std::ffi::OsStr::new)
        .collect();
    args.extend(extra);
    let server = Server::spawn(&args, dir.path());
    (dir, server)
}

/// The acceptance of the preview command: a developer with only their own folder.
#[test]
fn a_lone_connector_folder_previews_with_what_it_still_needs() {
    let (dir, server) = preview_new_connector(&[]);
    let (code, page) = server.get("/connectors/acme-crm/");
    assert_eq!(code, 200);
    assert!(
        page.contains("Preview — not listed (status: intent)"),
        "{page}"
    );
    assert!(page.contains("Listing readiness"), "{page}");
    assert!(page.contains("missing required field “version”"), "{page}");
    assert!(page.contains("/guide/fields/#field-version"), "{page}");
    assert!(page.contains("start a changelog"), "{page}");
    let doc = scraper::Html::parse_document(&page);
    let card = crate::support::text_of(&doc, ".readiness .card-preview .card h3");
    assert_eq!(card, "Acme Crm", "the card as the catalogue shows it");
    // Its search result: the catalogue and its search data hold it, as once it is listed.
    let search = select(&doc, ".readiness a[href^='/connectors/?q=']");
    assert_eq!(
        search[0].value().attr("href"),
        Some("/connectors/?q=Acme+Crm")
    );
    let (_, catalogue) = server.get("/connectors/");
    assert!(catalogue.contains("data-slug=\"acme-crm\""), "{catalogue}");
    let (_, index) = server.get("/search-index.json");
    assert!(index.contains("[\"acme-crm\",\"Acme Crm\""), "{index}");
    assert_eq!(
        server.get("/guide/fields/").0,
        200,
        "the field reference the panel links to"
    );
    let mut events = server.events();
    let record = dir.path().join("acme-crm/connector.yaml");
    let text = std::fs::read_to_string(&record).unwrap();
    std::fs::write(&record, text.replace("# version: 1.0.0", "version: 1.0.0")).unwrap();
    wait_for_event(&mut events, "reload");
    let (_, page) = server.get("/connectors/acme-crm/");
    assert!(!page.contains("missing required field “version”"), "{page}");
    assert!(page.contains("missing required field “support”"), "{page}");
}

#[test]
fn a_lone_connector_previews_inside_a_real_sites_theme_and_vocabulary() {
    // The valid fixture's title and category names differ from the built-in defaults.
    let site = crate::support::fixture("valid");
    let (_dir, server) = preview_new_connector(&["--site".as_ref(), site.as_os_str()]);
    let (code, page) = server.get("/connectors/acme-crm/");
    assert_eq!(code, 200);
    assert!(
        page.contains("<title>Acme Crm · Test Marketplace</title>"),
        "the site's own title: {page}"
    );
    assert!(
        page.contains("E-commerce &amp; Retail"),
        "the site's own category names: {page}"
    );
    assert_eq!(
        server.get("/connectors/acme-orders/").0,
        404,
        "none of the site's connectors"
    );
}

/// Issue 16: DNS rebinding. A page on evil.example points its name at 127.0.0.1, and its
/// requests arrive with `Host: evil.example:PORT`.
#[test]
fn requests_for_any_other_host_are_refused_on_every_route() {
    let site = site();
    let server = Server::start_with(site.path(), &["--preview"]);
    let port = server.address.rsplit_once(':').unwrap().1.to_string();
    let routes = [
        "/",
        "/connectors/future-crm/",
        "/_marketgen/status",
        "/_marketgen/events",
        "/_marketgen/live.js",
        "/no-such-page/",
    ];
    for host in [
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        "127.0.0.1".to_string(),
        "localhost:1".to_string(),
        String::new(),
    ] {
        for route in routes {
            let (status, body) = server.get_as(&host, route);
            assert_eq!(status, 403, "{host} {route}: {body}");
            assert!(
                body.starts_with("forbidden: marketgen serve answers only"),
                "{body}"
            );
            assert!(body.len() < 200, "{body}");
        }
    }
    for host in [
        format!("localhost:{port}"),
        format!("LOCALHOST:{port}"),
        format!("127.0.0.1:{port}"),
    ] {
        let (status, body) = server.get_as(&host, "/connectors/future-crm/");
        assert_eq!(status, 200, "{host}: {body}");
    }
}

/// The inotify watches a process holds, from /proc (Linux).
fn inotify_watches(pid: u32) -> usize {
    let fds = std::fs::read_dir(format!("/proc/{pid}/fdinfo")).unwrap();
    fds.filter_map(Result::ok)
        .filter_map(|fd| std::fs::read_to_string(fd.path()).ok())
        .map(|info| {
            info.lines()
                .filter(|l| l.starts_with("inotify wd:"))
                .count()
        })
        .sum()
}

/// Bytes the process has read through system calls so far, from /proc (Linux).
fn bytes_read(pid: u32) -> u64 {
    let io = std::fs::read_to_string(format!("/proc/{pid}/io")).unwrap();
    io.lines()
        .find_map(|l| l.strip_prefix("rchar: "))
        .unwrap()
        .parse()
        .unwrap()
}

/// Issue 16: a `git pull` can bring links to `/dev/stdin`, `/dev/zero` or `/usr` while serving.
#[test]
fn a_symlink_appearing_while_serving_is_reported_never_followed_read_or_watched() {
    let site = site();
    let server = Server::start(site.path());
    let pid = server.child.id();
    let watches = inotify_watches(pid);
    let docs = site.path().join("content/connectors/acme-orders/docs");
    let links = [
        (PathBuf::from("/dev/stdin"), docs.join("stdin.md")),
        (PathBuf::from("/dev/zero"), docs.join("zero.md")),
        (
            PathBuf::from("/usr"),
            site.path().join("content/connectors/usr"),
        ),
    ];
    for (target, link) in &links {
        std::os::unix::fs::symlink(target, link).unwrap();
    }
    server.wait_for_log("content errors in everything");
    let (_, status) = server.get("/_marketgen/status");
    for link in ["docs/stdin.md", "docs/zero.md", "content/connectors/usr"] {
        assert!(status.contains(link), "{link}: {status}");
    }
    assert_eq!(status.matches("error[symlink]").count(), 3, "{status}");
    assert!(
        inotify_watches(pid) <= watches + 2,
        "the linked /usr was watched"
    );
    assert!(bytes_read(pid) < 16 << 20, "{} bytes read", bytes_read(pid));

    for (_, link) in &links {
        std::fs::remove_file(link).unwrap();
    }
    server.wait_for_log("rebuilt everything");
}

/// Issue 16: at startup the session fingerprints what `load` reads, within its caps, and
/// nothing else in full: not the project's files, not a file over the caps.
#[test]
fn startup_reads_no_file_past_the_caps_of_load() {
    let site = site();
    for big in [
        "big.iso",
        "content/connectors/acme-orders/big.iso",
        "content/connectors/acme-orders/docs/big.md",
    ] {
        let file = std::fs::File::create(site.path().join(big)).unwrap();
        // Sparse: no disk is used, but reading it whole reads 64 MiB.
        file.set_len(64 << 20).unwrap();
    }
    let server = Server::start(site.path());
    let read = bytes_read(server.child.id());
    assert!(read < 16 << 20, "{read} bytes read at startup");
}

/// Whether the served site lists `slug`: its page, catalogue.json and the sitemap.
fn lists(server: &Server, slug: &str) -> [bool; 3] {
    let page = server.get(&format!("/connectors/{slug}/")).0 == 200;
    let catalogue = server
        .get("/catalogue.json")
        .1
        .contains(&format!("\"slug\": \"{slug}\""));
    let sitemap = server
        .get("/sitemap.xml")
        .1
        .contains(&format!("/connectors/{slug}/<"));
    [page, catalogue, sitemap]
}

/// Waits until the page, catalogue.json and the sitemap all list `slug` or all do not.
fn wait_until_listed(server: &Server, slug: &str, expected: bool) {
    let start = Instant::now();
    while lists(server, slug) != [expected; 3] {
        assert!(
            start.elapsed() < WAIT,
            "{slug}: page, catalogue.json, sitemap {:?}, expected all {expected}: {:?}",
            lists(server, slug),
            server.log.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Waits until the overlay's status holds `text` or, for `None`, is empty.
fn wait_for_status(server: &Server, text: Option<&str>) {
    let start = Instant::now();
    loop {
        let status = server.get("/_marketgen/status").1;
        if text.map_or(status.is_empty(), |t| status.contains(t)) {
            return;
        }
        assert!(
            start.elapsed() < WAIT,
            "status {status:?}, expected {text:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Issue 13: a connector folder deleted or moved out of content/ stayed served (page,
/// catalogue.json, sitemap) and its errors stayed in the overlay, and a folder copied in was
/// sometimes missed, until an unrelated save. Each is seen now.
#[test]
fn deleted_moved_and_copied_connector_folders_are_seen_while_serving() {
    let site = site();
    // The fixture's old-sync names acme-orders as its replacement, which a missing
    // acme-orders would make an error: this story is about folders, not replacements.
    let old_sync = site
        .path()
        .join("content/connectors/old-sync/connector.yaml");
    let record = std::fs::read_to_string(&old_sync).unwrap();
    std::fs::write(&old_sync, record.replace("replaced_by: acme-orders\n", "")).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let server = Server::start(site.path());
    let connectors = site.path().join("content/connectors");
    assert_eq!(lists(&server, "acme-orders"), [true; 3]);

    std::fs::rename(
        connectors.join("acme-orders"),
        elsewhere.path().join("acme-orders"),
    )
    .unwrap();
    wait_until_listed(&server, "acme-orders", false);

    copy_tree(
        &elsewhere.path().join("acme-orders"),
        &connectors.join("acme-orders"),
    );
    wait_until_listed(&server, "acme-orders", true);

    std::fs::remove_dir_all(connectors.join("acme-orders")).unwrap();
    wait_until_listed(&server, "acme-orders", false);

    std::fs::rename(
        elsewhere.path().join("acme-orders"),
        connectors.join("acme-copy"),
    )
    .unwrap();
    wait_until_listed(&server, "acme-copy", true);

    // A broken record's error leaves the overlay with its folder.
    std::fs::write(connectors.join("acme-copy/connector.yaml"), "name: [\n").unwrap();
    wait_for_status(&server, Some("acme-copy/connector.yaml"));
    std::fs::remove_dir_all(connectors.join("acme-copy")).unwrap();
    wait_for_status(&server, None);
}

/// The texts of the elements `selector` finds in `page`.
fn texts(page: &scraper::Html, selector: &str) -> Vec<String> {
    select(page, selector)
        .iter()
        .map(|e| e.text().collect::<String>())
        .collect()
}

/// Issue 13: the readiness panel said "Nothing is missing" while the docs and the logo were
/// the untouched placeholders, listed the team's `approved_on` as the developer's task, showed
/// Markdown's backquotes, and the page showed an empty Support box.
#[test]
fn readiness_tells_the_truth_about_placeholders_and_whose_task_it_is() {
    let (_dir, server) = preview_new_connector(&[]);
    let (_, page) = server.get("/connectors/acme-crm/");
    let doc = scraper::Html::parse_document(&page);
    let required = texts(&doc, ".readiness-required li");
    let team = texts(&doc, ".readiness-marketplace li");
    let recommended = texts(&doc, ".readiness-recommended li");
    assert!(
        required
            .iter()
            .any(|r| r.contains("placeholder logo") && r.contains("line ")),
        "{required:?}"
    );
    assert!(
        !required.iter().any(|r| r.contains("approved_on")),
        "{required:?}"
    );
    assert!(
        team.iter()
            .any(|r| r.contains("marketplace team sets “approved_on”")),
        "{team:?}"
    );
    // Issue 24: the placeholder overview is missing documentation, which listing requires.
    assert!(
        required
            .iter()
            .any(|r| r.contains("docs/index.md is still the placeholder text")),
        "{required:?}"
    );
    assert!(
        !recommended.iter().any(|r| r.contains("placeholder")),
        "{recommended:?}"
    );
    let panel = texts(&doc, ".readiness").concat();
    assert!(!panel.contains('`'), "{panel}");
    assert!(!panel.contains("Nothing"), "{panel}");
    assert!(
        select(&doc, "#support-title").is_empty(),
        "an empty Support box"
    );
}

/// Issue 13: invalid values (`version: 1.0`, `type: oauth`) never reached the readiness
/// panel: an error kept the last good preview. A lone folder's preview now shows them, each at
/// its line, while the overlay lists them too.
#[test]
fn invalid_values_appear_in_the_readiness_panel_at_their_lines() {
    let (dir, server) = preview_new_connector(&[]);
    let record = dir.path().join("acme-crm/connector.yaml");
    let text = std::fs::read_to_string(&record).unwrap();
    std::fs::write(&record, text.replace("# version: 1.0.0", "version: 1.0")).unwrap();
    let line = std::fs::read_to_string(&record)
        .unwrap()
        .lines()
        .position(|l| l.starts_with("version: 1.0 "))
        .unwrap()
        + 1;
    let start = Instant::now();
    loop {
        let (_, page) = server.get("/connectors/acme-crm/");
        let doc = scraper::Html::parse_document(&page);
        let required = texts(&doc, ".readiness-required li");
        if required.iter().any(|r| {
            r.contains("“version” is not a semantic version")
                && r.contains(&format!("line {line})"))
        }) {
            break;
        }
        assert!(start.elapsed() < WAIT, "{required:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
    wait_for_status(&server, Some("error[invalid-version]"));
}

/// Issue 15: an alias's redirect page is an output file like any other: an alias added while
/// serving answers at once.
#[test]
fn old_addresses_are_served_and_follow_the_record() {
    let site = site();
    let server = Server::start(site.path());
    assert_eq!(server.get("/connectors/acme-shop-orders/").0, 404);
    let mut events = server.events();
    let record = site
        .path()
        .join("content/connectors/acme-orders/connector.yaml");
    let text = std::fs::read_to_string(&record).unwrap();
    std::fs::write(&record, format!("{text}aliases: [acme-shop-orders]\n")).unwrap();
    wait_for_event(&mut events, "reload");
    let (code, page) = server.get("/connectors/acme-shop-orders/");
    assert_eq!(code, 200);
    assert!(page.contains("This connector moved to"), "{page}");
    assert!(
        page.contains("http-equiv=\"refresh\" content=\"0; url=/connectors/acme-orders/\""),
        "{page}"
    );
}

/// A fresh `new connector` folder whose record has lost its `name:` line, previewed: no
/// build of it can pass, so there is no record to show.
pub fn preview_nameless_connector() -> (tempfile::TempDir, Server) {
    let dir = crate::support::new_lone_connector();
    let record = dir.path().join("acme-crm/connector.yaml");
    let text = std::fs::read_to_string(&record).unwrap();
    let name = text.lines().find(|l| l.starts_with("name:")).unwrap();
    std::fs::write(&record, text.replacen(&format!("{name}\n"), "", 1)).unwrap();
    let args = ["preview", "acme-crm", "--port", "0"].map(std::ffi::OsStr::new);
    let server = Server::spawn(&args, dir.path());
    (dir, server)
}

/// The text of the page `serve` answers with while no build has passed, waiting until it
/// holds `text`; the page is HTML with the diagnostics in its `<pre>`.
fn problems_page(server: &Server, path: &str, text: &str) -> String {
    let start = Instant::now();
    loop {
        let (code, page) = server.get(path);
        let doc = scraper::Html::parse_document(&page);
        let shown = texts(&doc, "main#marketgen-problems").concat();
        if code == 200 && shown.contains(text) {
            assert!(page.starts_with("<!DOCTYPE html>"), "{page}");
            assert!(page.contains("/_marketgen/live.js"), "{page}");
            return shown;
        }
        assert!(start.elapsed() < WAIT, "{path}: {code} {page:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Issue 24, point 2: `preview` of a record missing a required field said the last good site
/// was still served (there was none) and its address answered 404 with an empty body. The
/// first page now names the problem, file and field, until it is fixed.
#[test]
fn a_preview_that_cannot_be_built_shows_what_must_be_fixed() {
    let (dir, server) = preview_nameless_connector();
    let shown = problems_page(
        &server,
        "/connectors/acme-crm/",
        "missing required field `name`",
    );
    assert!(shown.contains("acme-crm/connector.yaml:"), "{shown}");
    assert!(shown.contains("there is no site to show"), "{shown}");
    assert!(!shown.contains("last good"), "{shown}");
    // Any other address answers the same, not an empty 404.
    problems_page(&server, "/", "missing required field `name`");
    let log = server.log.lock().unwrap().join("\n");
    assert!(!log.contains("last good"), "{log}");

    let record = dir.path().join("acme-crm/connector.yaml");
    let text = std::fs::read_to_string(&record).unwrap();
    std::fs::write(&record, format!("name: Acme CRM\n{text}")).unwrap();
    let start = Instant::now();
    loop {
        let (code, page) = server.get("/connectors/acme-crm/");
        if code == 200 && page.contains("Listing readiness") {
            break;
        }
        assert!(start.elapsed() < WAIT, "{code} {page}");
        std::thread::sleep(Duration::from_millis(50));
    }
    wait_for_status(&server, None);
}

/// Issue 24, point 2, for `serve`: a site whose very first build fails answers its first
/// page with the problems, and once they are fixed, with the site.
#[test]
fn a_site_whose_first_build_fails_shows_what_must_be_fixed() {
    let site = site();
    let record = site
        .path()
        .join("content/connectors/acme-orders/connector.yaml");
    let text = std::fs::read_to_string(&record).unwrap();
    let summary = text.lines().find(|l| l.starts_with("summary:")).unwrap();
    std::fs::write(&record, text.replacen(&format!("{summary}\n"), "", 1)).unwrap();
    let server = Server::start(site.path());
    let shown = problems_page(&server, "/", "missing required field `summary`");
    assert!(
        shown.contains("content/connectors/acme-orders/connector.yaml:"),
        "{shown}"
    );
    assert!(!shown.contains("last good"), "{shown}");
    problems_page(&server, "/connectors/", "missing required field `summary`");

    std::fs::write(&record, &text).unwrap();
    let start = Instant::now();
    loop {
        let (code, page) = server.get("/");
        if code == 200 && !page.contains("marketgen-problems") {
            break;
        }
        assert!(start.elapsed() < WAIT, "{code} {page}");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(server.get("/connectors/acme-orders/").0, 200);
}
