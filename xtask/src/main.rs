//! Project automation, run as `cargo xtask <command>` (see `.cargo/config.toml`).
//!
//! Each command lives in its own module; this file only parses the command line and
//! dispatches. Commands print what they did and exit non-zero on any problem.

use std::process::ExitCode;

use xtask::{bench, codegen, docs, lint, spec_diff};

/// Generating code allocates and frees millions of small token and syntax-tree nodes
/// from several threads at once, which mimalloc does several times faster than glibc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    let result = match command.as_str() {
        "codegen" => codegen::run(rest),
        "lint" => lint::run(rest),
        "spec-diff" => spec_diff::run(rest),
        "docs" => docs::run(rest),
        "bench" => bench::run(rest),
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
