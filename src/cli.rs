//! The command line: clap types, and the one place where outcomes become exit codes
//! (0 clean, 1 content errors, 2 usage or environment errors).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::diag::{Format, emit, emit_under, printable};
use crate::{BuildOptions, CheckOptions, Report, TextFormat};

#[derive(Debug, Parser)]
#[command(
    name = "marketgen",
    version,
    about = "Build and check a connector marketplace"
)]
pub struct Cli {
    /// When to colour diagnostics.
    #[arg(long, value_enum, default_value_t = Color::Auto, global = true)]
    pub color: Color,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the content and write the site.
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Where to write the site [default: ROOT/public].
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Fail on warnings too.
        #[arg(long)]
        strict: bool,
        /// Replace an output folder that marketgen did not write.
        #[arg(long)]
        force: bool,
        /// Print the time of each phase.
        #[arg(long)]
        timings: bool,
        #[command(flatten)]
        preview: PreviewArg,
        #[command(flatten)]
        cache: CacheArgs,
    },
    /// Build the site, serve it on 127.0.0.1 and rebuild on every change, reloading open pages.
    Serve {
        /// The site folder, holding site.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port; 0 picks a free one (the address is printed).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Open the site in a browser.
        #[arg(long)]
        open: bool,
        #[command(flatten)]
        preview: PreviewArg,
        #[command(flatten)]
        cache: CacheArgs,
    },
    /// Preview one connector folder, outside any site, as it will look once listed, with what
    /// it still needs to be listed; the page reloads as you edit.
    Preview {
        /// The connector's folder (holding connector.yaml).
        folder: PathBuf,
        /// The port; 0 picks a free one (the address is printed).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Open the page in a browser.
        #[arg(long)]
        open: bool,
        /// Preview inside this site's theme, categories and guide instead of the defaults.
        #[arg(long)]
        site: Option<PathBuf>,
    },
    /// Start a new site or connector from commented starter files.
    New {
        #[command(subcommand)]
        what: New,
    },
    /// Print a completion script for SHELL, such as
    /// `marketgen completions bash > ~/.local/share/bash-completion/completions/marketgen`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the JSON Schema of connector.yaml or site.yaml (for editors).
    Schema {
        #[arg(value_enum, default_value_t = crate::schema::SchemaOf::Connector)]
        of: crate::schema::SchemaOf,
    },
    /// What the working tree changes in the published catalogue against a git revision.
    Diff {
        /// The revision to compare with, such as `origin/main` or `HEAD`.
        rev: String,
        /// The site folder, holding site.yaml, inside a git repository.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// How to print the changes (markdown for a pull-request comment).
        #[arg(long, value_enum, default_value_t = TextFormat::Human)]
        format: TextFormat,
        /// The marketplace team has reviewed the changes to site.yaml that let content do
        /// more: the working tree is checked with its own site.yaml, and each such change is
        /// a warning instead of an error.
        #[arg(long)]
        allow_policy_change: bool,
    },
    /// The pipeline at a glance, for the team: intents, submissions waiting for review, stale
    /// reviews, deprecated and incomplete listings. Shows private fields; writes no file.
    Report {
        /// The site folder, holding site.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// How to print it (markdown for an issue or a weekly note).
        #[arg(long, value_enum, default_value_t = TextFormat::Human)]
        format: TextFormat,
    },
    /// The review meeting's agenda for one connector, as Markdown. Shows private fields;
    /// writes no file.
    Review {
        /// The connector's slug (its folder under content/connectors).
        slug: String,
        /// The site folder, holding site.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Check the content without writing anything: the site at --root, or one connector folder.
    Check {
        /// A connector folder (holding connector.yaml) to check on its own, outside any site,
        /// as `preview` shows it, instead of the site at --root.
        #[arg(conflicts_with_all = ["root", "base_url"])]
        folder: Option<PathBuf>,
        /// With FOLDER: check it with this site's settings and categories instead of the
        /// built-in defaults.
        #[arg(long, requires = "folder")]
        site: Option<PathBuf>,
        /// Also fail on what each record still needs from its developer to be listed: the
        /// rules of approved records whatever its status, and no placeholder of `new
        /// connector` left (a connector developer's CI gate); what the marketplace team sets
        /// is never a failure.
        #[arg(long)]
        ready: bool,
        #[command(flatten)]
        site_args: SiteArgs,
        /// How to print diagnostics.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Fail on warnings too.
        #[arg(long)]
        strict: bool,
        /// Compare with this git revision (such as `origin/main`): the content is judged by
        /// the revision's site.yaml (limits, HTML mode, image hosts, badges), every change to
        /// site.yaml since is reported (`policy-widened` is an error), and a badge a record
        /// gains is a `badge-added` warning, for the marketplace team to review.
        #[arg(long, value_name = "REV", conflicts_with = "folder")]
        base: Option<String>,
        /// With --base: the marketplace team has reviewed the changes to site.yaml that let
        /// content do more; the working tree's site.yaml judges the content, and each such
        /// change is a warning.
        #[arg(long, requires = "base")]
        allow_policy_change: bool,
        /// Print the time of each phase (on stderr, so that the report stays machine-readable).
        #[arg(long)]
        timings: bool,
        #[command(flatten)]
        cache: CacheArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum New {
    /// A site folder with site.yaml, a home page, a guide and an example connector.
    Site {
        /// The folder to create; it must not exist or be empty.
        dir: PathBuf,
    },
    /// A connector folder: a commented connector.yaml with every field, docs/index.md and a
    /// placeholder logo. Inside a site it goes to content/connectors/SLUG, elsewhere to ./SLUG.
    Connector {
        /// The connector's slug, such as acme-crm.
        slug: String,
        /// Its display name [default: from the slug].
        #[arg(long)]
        name: Option<String>,
        /// The site folder, when not the current one.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Debug, clap::Args)]
pub struct SiteArgs {
    /// The site folder, holding site.yaml.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Publish under this address instead of site.yaml's `base_url`.
    #[arg(long, value_name = "URL", value_parser = base_url)]
    pub base_url: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct PreviewArg {
    /// Also render records that are not listed (intent, in review…), each with a "Preview"
    /// banner and noindex; they never appear in listings, the sitemap or catalogue.json.
    #[arg(long)]
    pub preview: bool,
}

/// `--base-url` by the rule for site.yaml's `base_url`: a full http(s) address, or a usage
/// error before anything is read.
fn base_url(text: &str) -> Result<String, String> {
    crate::validate::formats::url(text, false)
        .map(|_| text.to_string())
        .map_err(|why| format!("{why} (write a full address, such as https://example.com/market/)"))
}

impl SiteArgs {
    fn options(self, preview: bool, cache: &CacheArgs) -> CheckOptions {
        CheckOptions {
            cache: cache.options(&self.root),
            root: self.root,
            today: crate::today(),
            base_url: self.base_url,
            preview,
            lone: None,
            as_listed: false,
            policy: None,
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct CacheArgs {
    /// Keep the build cache here: pages, logo copies and what the checks found of each
    /// connector, reused while its inputs are unchanged [default: ROOT/.marketgen-cache].
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Neither read nor write the build cache.
    #[arg(long, conflicts_with_all = ["cache_dir", "cache_max_mib"])]
    pub no_cache: bool,
    /// Prune the least recently used entries down to this size after a build.
    #[arg(long, value_name = "MIB", default_value_t = crate::CacheOptions::DEFAULT_MAX_MIB)]
    pub cache_max_mib: u64,
}

impl CacheArgs {
    fn options(&self, root: &std::path::Path) -> Option<crate::CacheOptions> {
        (!self.no_cache).then(|| crate::CacheOptions {
            dir: self
                .cache_dir
                .clone()
                .unwrap_or_else(|| root.join(crate::CacheOptions::DEFAULT_DIR)),
            max_bytes: self.cache_max_mib.saturating_mul(1 << 20),
        })
    }
}

pub fn run(cli: Cli) -> ExitCode {
    match execute(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {}", printable(&format!("{error:#}")));
            ExitCode::from(2)
        }
    }
}

fn execute(cli: Cli) -> anyhow::Result<ExitCode> {
    let color = |terminal: bool| match cli.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => terminal && std::env::var_os("NO_COLOR").is_none(),
    };
    match cli.command {
        Command::Serve {
            root,
            port,
            open,
            preview,
            cache,
        } => {
            crate::serve::run(crate::serve::ServeOptions {
                cache: cache.options(&root),
                root,
                port,
                open,
                today: crate::today(),
                preview: preview.preview,
                lone: None,
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::New {
            what: New::Site { dir },
        } => {
            crate::scaffold::site(&dir)?;
            println!(
                "created a site in {}: run `marketgen serve --preview --root {}` to see it (its example connector is not listed until approved)",
                shown(&dir),
                shown(&dir)
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::New {
            what: New::Connector { slug, name, root },
        } => {
            let dir = crate::scaffold::connector(&root, &slug, name.as_deref())?;
            // The command that works from where it was run: the site's check inside a site,
            // the folder's own outside one.
            let check = if root.join(crate::load::SITE_FILE).is_file() {
                match root == std::path::Path::new(".") {
                    true => "marketgen check".to_string(),
                    false => format!("marketgen check --root {}", shown(&root)),
                }
            } else {
                format!(
                    "marketgen check {}` (add `--ready` to see what listing needs) or `marketgen preview {}",
                    shown(&dir),
                    shown(&dir)
                )
            };
            println!(
                "created {}: fill in connector.yaml, then run `{check}`",
                shown(&dir)
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Preview {
            folder,
            port,
            open,
            site,
        } => {
            let options = lone(&folder, site, true)?;
            crate::serve::run(crate::serve::ServeOptions {
                root: options.root,
                port,
                open,
                today: options.today,
                preview: true,
                lone: options.lone,
                cache: None,
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut command, "marketgen", &mut script);
            std::io::stdout().write_all(&script)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema { of } => {
            print!("{}", crate::schema::schema(of));
            Ok(ExitCode::SUCCESS)
        }
        Command::Diff {
            rev,
            root,
            format,
            allow_policy_change,
        } => {
            let (diff, warnings) = crate::diff::diff(&crate::diff::DiffOptions {
                root,
                rev,
                today: crate::today(),
                allow_policy_change,
            })?;
            // The comparison is the output (a pull-request comment); what needs the team's
            // review is also said as diagnostics, on stderr like `build`'s.
            emit(
                &mut std::io::stderr().lock(),
                &warnings.sources,
                &warnings.diagnostics,
                Format::Human,
                color(std::io::stderr().is_terminal()),
            )?;
            match format {
                TextFormat::Human => print!("{}", diff.human()),
                TextFormat::Markdown => print!("{}", diff.markdown()),
                TextFormat::Json => println!("{}", json(&diff)?),
            }
            Ok(
                match diff.errors_after == 0 && !warnings.diagnostics.has_errors() {
                    true => ExitCode::SUCCESS,
                    false => ExitCode::from(1),
                },
            )
        }
        Command::Report { root, format } => {
            let report = crate::report::report(&crate::report::ReportOptions {
                root,
                today: crate::today(),
            })?;
            match format {
                TextFormat::Human => print!("{}", report.human()),
                TextFormat::Markdown => print!("{}", report.markdown()),
                TextFormat::Json => println!("{}", json(&report)?),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Review { slug, root } => {
            print!(
                "{}",
                crate::review::agenda(&crate::review::ReviewOptions {
                    root,
                    slug,
                    today: crate::today(),
                })?
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Check {
            folder,
            site,
            ready,
            site_args,
            format,
            strict,
            base,
            allow_policy_change,
            timings,
            cache,
        } => {
            let options = CheckOptions {
                as_listed: ready,
                ..match folder {
                    Some(folder) => lone(&folder, site, false)?,
                    None => site_args.options(false, &cache),
                }
            };
            let base = base.map(|rev| crate::Base {
                rev,
                allow_policy_change,
            });
            let (report, spent) = crate::check_timed(&options, base.as_ref())?;
            let base = repository_relative(&options.root);
            let mut out = std::io::stdout().lock();
            emit_under(
                &mut out,
                &report.sources,
                &report.diagnostics,
                format,
                color(std::io::stdout().is_terminal()),
                &base,
            )?;
            if format == Format::Human && report.diagnostics.is_empty() {
                writeln!(out, "no problems found")?;
            }
            // What listing needs of the team is said, never counted against the developer;
            // on stderr for the machine formats, whose stdout a program reads.
            if ready {
                let note = crate::validate::marketplace_note();
                match format {
                    Format::Human => writeln!(out, "note: {note}")?,
                    _ => eprintln!("note: {note}"),
                }
            }
            if timings {
                let s = |d: std::time::Duration| format!("{:.3}s", d.as_secs_f64());
                eprintln!("load {} · validate {}", s(spent.load), s(spent.validate));
            }
            Ok(exit(&report, strict))
        }
        Command::Build {
            site,
            output,
            strict,
            force,
            timings,
            preview,
            cache,
        } => {
            let output = output.unwrap_or_else(|| crate::default_output(&site.root));
            let options = BuildOptions {
                check: site.options(preview.preview, &cache),
                output,
                strict,
                force,
                progress: true,
            };
            let (report, built) = crate::build(&options)?;
            let mut err = std::io::stderr().lock();
            emit(
                &mut err,
                &report.sources,
                &report.diagnostics,
                Format::Human,
                color(std::io::stderr().is_terminal()),
            )?;
            match built {
                Some(built) => {
                    println!(
                        "built {} pages for {} connectors in {:.2}s → {}",
                        built.pages,
                        built.connectors,
                        built.timings.total().as_secs_f64(),
                        shown(&options.output)
                    );
                    if timings {
                        println!("{}", timings_line(&built));
                    }
                    Ok(ExitCode::SUCCESS)
                }
                None => {
                    writeln!(
                        err,
                        "the site was not written: fix the errors above (the previous site is untouched)"
                    )?;
                    Ok(exit(&report, strict))
                }
            }
        }
    }
}

/// JSON for the terminal, on one line: serde_json, with the characters a terminal acts on
/// escaped.
fn json(value: &impl serde::Serialize) -> anyhow::Result<String> {
    Ok(crate::diag::json_escaped(serde_json::to_string(value)?))
}

/// The options that read `folder` as a connector folder outside any site, with the defaults
/// or `site`'s settings: what `preview` serves and `check FOLDER` checks.
fn lone(
    folder: &std::path::Path,
    site: Option<PathBuf>,
    preview: bool,
) -> anyhow::Result<CheckOptions> {
    let folder = std::path::absolute(folder)?;
    let (Some(root), Some(name)) = (folder.parent(), folder.file_name()) else {
        anyhow::bail!("{} is not a connector folder", shown(&folder));
    };
    Ok(CheckOptions {
        root: root.to_path_buf(),
        today: crate::today(),
        base_url: None,
        preview,
        lone: Some(crate::Lone {
            folder: name.to_string_lossy().into_owned(),
            site: site.map(|s| std::path::absolute(&s)).transpose()?,
        }),
        as_listed: false,
        policy: None,
        cache: None,
    })
}

/// A path as the terminal may show it: the site's own folder names are content too.
pub fn shown(path: &std::path::Path) -> String {
    printable(&path.display().to_string()).into_owned()
}

/// The site's root as CI tools name files, relative to the folder marketgen runs in (the
/// checkout): `--root site` makes `content/…` read `site/content/…`. A root outside the
/// current folder stays as given.
fn repository_relative(root: &std::path::Path) -> PathBuf {
    let absolute = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    let here = std::env::current_dir().ok();
    let relative = here
        .as_deref()
        .and_then(|here| absolute.strip_prefix(here).ok())
        .unwrap_or(root);
    relative
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect()
}

fn exit(report: &Report, strict: bool) -> ExitCode {
    if report.fails(strict) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn timings_line(built: &crate::Built) -> String {
    let t = &built.timings;
    let s = |d: std::time::Duration| format!("{:.3}s", d.as_secs_f64());
    format!(
        "load {} · validate {} · render {} (writing {} summed over threads) · swap {} · {} pages, {} files",
        s(t.load),
        s(t.validate),
        s(t.render),
        s(t.write),
        s(t.swap),
        built.pages,
        built.files
    )
}
