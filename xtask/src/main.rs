//! Project automation, run as `cargo xtask <command>` (see `.cargo/config.toml`).
//!
//! This binary only dispatches. `codegen` runs here, so that `cargo xtask codegen` builds
//! no more than the generator, the spec reader and the HTML reference. The review
//! commands (`lint`, `spec-diff`, `docs`, `bench`, `corpus`) live in the `spec-tools` crate and
//! run as `cargo run -p spec-tools -- <command>`, so they are built only when used; their
//! arguments, output and exit status pass through unchanged.

use std::process::{Command, ExitCode};

use anyhow::{Context, Result};
use xtask::{codegen, project_root};

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  codegen [--check]                 regenerate the generated crates from spec/openapi.yaml
                                    (--check: write nothing, fail if anything is stale)
  lint                              check spec/openapi.yaml against the project's rules
  spec-diff <BASE> [HEAD] [--format markdown|json] [--allow-breaking]
                                    report API changes between two revisions of the spec
  docs                              render the HTML API reference into target/api-docs/
  bench [--quick] [--skip-build]    run every benchmark in release mode and print a table
  corpus [--sample N] [--seed S] [--limit N] [--no-compile] [SPEC...]
                                    run the generator on the APIs.guru directory (fetched
                                    once with npm) and compile a sample of the results
";

/// The commands that the `spec-tools` binary implements.
const SPEC_TOOLS_COMMANDS: [&str; 5] = ["lint", "spec-diff", "docs", "bench", "corpus"];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    let result = match command.as_str() {
        "codegen" => codegen::run(rest),
        name if SPEC_TOOLS_COMMANDS.contains(&name) => spec_tools(&args),
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        other => {
            eprintln!("error: unknown command `{other}`\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Runs `cargo run --quiet -p spec-tools -- <args>` in this workspace, with the caller's
/// working directory (paths on the command line stay relative to it) and stdio, and
/// exits with its status.
fn spec_tools(args: &[String]) -> Result<ExitCode> {
    // Cargo sets `CARGO` to itself for the processes that `cargo run` starts.
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let manifest = project_root().join("Cargo.toml");
    let mut command = Command::new(&cargo);
    command.args(["run", "--quiet"]);
    // The corpus runs the generator on thousands of specs: optimised, that takes minutes.
    if args.first().is_some_and(|a| a == "corpus") {
        command.arg("--release");
    }
    let status = command
        .arg("--manifest-path")
        .arg(&manifest)
        .args(["--package", "spec-tools", "--"])
        .args(args)
        .status()
        .with_context(|| format!("cannot run {}", cargo.to_string_lossy()))?;
    Ok(match status.code() {
        Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        // Killed by a signal: there is no status to pass on.
        None => ExitCode::FAILURE,
    })
}
