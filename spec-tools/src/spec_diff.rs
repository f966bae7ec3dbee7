//! `cargo xtask spec-diff`: a breaking-change report for changes to the OpenAPI spec.
//!
//! The rules below are `docs/SPEC-DIFF.md`, included verbatim so that the command's
//! documentation and its code cannot drift apart (a test checks that every [`Kind`]
//! is listed there).
//!
#![doc = include_str!("../../docs/SPEC-DIFF.md")]

mod compare;
mod load;
mod model;
mod report;
pub mod rust_api;
mod schema;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use spec_model::Diagnostics;

pub use compare::diff;
pub use load::{Source, Spec};
pub use model::{Change, Impact, Kind};
pub use report::{json, markdown, summary};

const USAGE: &str = "\
usage: cargo xtask spec-diff <BASE> [HEAD] [--format markdown|json] [--allow-breaking]

BASE and HEAD are files, git revisions (spec/openapi.yaml at that revision) or
REV:PATH. HEAD defaults to the working-tree spec/openapi.yaml.

  --format markdown|json   report format (default: markdown)
  --allow-breaking         exit 0 even when there are breaking changes

exit status: 0 no breaking change, 1 breaking changes or an error, 2 usage error
";

/// The report format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Json,
}

/// The parsed command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    pub base: String,
    pub head: Option<String>,
    pub format: Format,
    pub allow_breaking: bool,
}

/// What the command concluded; [`Outcome::exit_code`] maps it to the exit status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// No breaking change, or breaking changes allowed by `--allow-breaking`.
    Pass,
    /// At least one change breaks clients or servers.
    Breaking,
    /// The command line was wrong; nothing was compared.
    Usage,
}

impl Outcome {
    pub fn exit_code(self) -> ExitCode {
        match self {
            Outcome::Pass => ExitCode::SUCCESS,
            Outcome::Breaking => ExitCode::from(1),
            Outcome::Usage => ExitCode::from(2),
        }
    }
}

/// Entry point for `cargo xtask spec-diff`.
///
/// Problems in a spec are printed in the one `spec_model` diagnostic rendering, one per
/// line, and exit with status 1.
pub fn run(args: &[String]) -> anyhow::Result<ExitCode> {
    let mut stdout = std::io::stdout().lock();
    match run_in(&crate::project_root(), args, &mut stdout) {
        Ok(outcome) => Ok(outcome.exit_code()),
        Err(err) => match err.downcast_ref::<Diagnostics>() {
            Some(diagnostics) => {
                eprintln!("{diagnostics}");
                Ok(ExitCode::FAILURE)
            }
            None => Err(err),
        },
    }
}

/// Runs the command against the git work tree at `root`, writing the report to `out`.
///
/// Usage errors go to stderr and return [`Outcome::Usage`]; a spec that cannot be read
/// is an `Err`, and one that cannot be parsed or compared (a `$ref` to nothing) is an
/// `Err` holding its [`Diagnostics`].
pub fn run_in(root: &Path, args: &[String], out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let options = match Options::parse(args) {
        Ok(Some(options)) => options,
        Ok(None) => {
            out.write_all(USAGE.as_bytes())?;
            return Ok(Outcome::Pass);
        }
        Err(problem) => {
            eprintln!("error: {problem}\n\n{USAGE}");
            return Ok(Outcome::Usage);
        }
    };
    let base = Spec::load(&Source::from_arg(&options.base), root)?;
    let head_source = match &options.head {
        Some(head) => Source::from_arg(head),
        None => Source::WorkingTree,
    };
    let head = Spec::load(&head_source, root)?;
    let changes = diff(&base, &head)?;
    let text = match options.format {
        // Beside the wire-level verdict, what the change does to the generated crates.
        Format::Markdown => {
            let api = rust_api::compare(base.label(), &base.text, head.label(), &head.text);
            markdown(&changes, base.label(), head.label()) + &rust_api::markdown(&api)
        }
        Format::Json => json(&changes),
    };
    out.write_all(text.as_bytes())?;
    out.flush()?;
    if !changes.iter().any(Change::is_breaking) {
        return Ok(Outcome::Pass);
    }
    if options.allow_breaking {
        eprintln!(
            "spec-diff: {} (allowed by --allow-breaking)",
            summary(&changes)
        );
        return Ok(Outcome::Pass);
    }
    eprintln!(
        "spec-diff: {}; pass --allow-breaking if this is intended",
        summary(&changes)
    );
    Ok(Outcome::Breaking)
}

impl Options {
    /// Parses the arguments after `spec-diff`; `Ok(None)` means help was asked for.
    pub fn parse(args: &[String]) -> Result<Option<Options>, String> {
        let mut positional = Vec::new();
        let mut format = Format::Markdown;
        let mut allow_breaking = false;
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let value = match arg.as_str() {
                "-h" | "--help" => return Ok(None),
                "--allow-breaking" => {
                    allow_breaking = true;
                    continue;
                }
                "--format" => Some(
                    args.next()
                        .ok_or("`--format` needs a value: markdown or json")?
                        .as_str(),
                ),
                other => other.strip_prefix("--format="),
            };
            if let Some(value) = value {
                format = match value {
                    "markdown" | "md" => Format::Markdown,
                    "json" => Format::Json,
                    other => {
                        return Err(format!(
                            "unknown format `{other}` (expected markdown or json)"
                        ))
                    }
                };
            } else if arg.starts_with('-') && arg.len() > 1 {
                return Err(format!("unknown option `{arg}`"));
            } else {
                positional.push(arg.clone());
            }
        }
        let mut positional = positional.into_iter();
        let base = positional
            .next()
            .ok_or("missing BASE (a git revision or a file)")?;
        let head = positional.next();
        if let Some(extra) = positional.next() {
            return Err(format!("unexpected argument `{extra}`"));
        }
        Ok(Some(Options {
            base,
            head,
            format,
            allow_breaking,
        }))
    }
}
