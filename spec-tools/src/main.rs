//! The review commands that `cargo xtask` runs through `cargo run -p spec-tools --
//! <command>`; the command line is `cargo xtask`'s (see `xtask/src/main.rs`).

use std::process::ExitCode;

use spec_tools::{bench, corpus, docs, lint, spec_diff};

/// `cargo xtask bench` generates synthetic specs of 500 and 2,000 operations in this
/// process, which allocates and frees millions of small token and syntax-tree nodes from
/// several threads at once; mimalloc does that several times faster than glibc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "\
usage: cargo xtask <lint|spec-diff|docs|bench|corpus> [options]   (see `cargo xtask help`)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    let result = match command.as_str() {
        "lint" => lint::run(rest),
        "spec-diff" => spec_diff::run(rest),
        "docs" => docs::run(rest),
        "bench" => bench::run(rest),
        "corpus" => corpus::run(rest),
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
