//! `cargo xtask codegen [--check]`: regenerates the generated crates from the spec.
//!
//! The generator renders every file in memory. This command then compares with the disk
//! and writes only files whose contents changed (through a temporary file and a rename,
//! so a file is never half-written), and removes generated files that are no longer
//! produced. It owns exactly each generated crate's `Cargo.toml`, `public-api.txt` (the
//! public API listing, `generator::public_api`) and `src/generated/`;
//! anything else in those crates (`src/lib.rs`, `src/bin/`, `tests/`, `examples/`) is
//! hand-written and never touched, and so are the runtime crates the generated code
//! calls (`client-runtime/`, `server-runtime/`, `lenient/`), which it does not write at
//! all. With `--check` it writes nothing and fails if anything is stale, naming the
//! command to run.

use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use generator::{Config, CrateConfig, GeneratedFile, Manifest};

use crate::{project_root, SPEC_PATH};

/// The command users run to regenerate; named in headers and in `--check` failures.
pub const COMMAND: &str = "cargo xtask codegen";

/// The generator's settings for this repository.
pub fn config() -> Config {
    Config {
        spec_path: SPEC_PATH.to_string(),
        command: COMMAND.to_string(),
        client: CrateConfig {
            dir: "generated-client".to_string(),
            package: "huaweicloud-api-client".to_string(),
            version: "0.1.0".to_string(),
        },
        server: CrateConfig {
            dir: "generated-server".to_string(),
            package: "huaweicloud-api-server".to_string(),
            version: "0.1.0".to_string(),
        },
        api_docs_html: None,
        // The same values as `[workspace.package]` in the root `Cargo.toml`; the
        // `package_metadata` test holds the two together.
        manifest: Manifest {
            rust_version: "1.88".to_string(),
            license: "MIT OR Apache-2.0".to_string(),
            repository: Some(REPOSITORY.to_string()),
            readme: Some("README.md".to_string()),
            keywords: ["huaweicloud", "dli", "functiongraph", "openapi", "apig"]
                .map(String::from)
                .to_vec(),
            categories: [
                "api-bindings",
                "web-programming::http-client",
                "web-programming::http-server",
            ]
            .map(String::from)
            .to_vec(),
            runtime_version: "0.1.0".to_string(),
            publish: true,
        },
    }
}

/// The project's source repository, as in `[workspace.package]`.
pub const REPOSITORY: &str = "https://github.com/apig-rs/huaweicloud-api";

/// Where the decisions rendered into the API reference live.
pub const NOTES_PATH: &str = "spec/NOTES.md";

pub fn run(args: &[String]) -> Result<ExitCode> {
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => bail!("usage: cargo xtask codegen [--check]"),
    };
    let root = project_root();
    let outcome = if check {
        check_tree(&root)
    } else {
        write_tree(&root)
    };
    match outcome {
        Ok(code) => Ok(code),
        Err(err) => match err.downcast_ref::<generator::Diagnostics>() {
            // Every diagnostic on its own line, then the summary.
            Some(diagnostics) => {
                eprintln!("{diagnostics}");
                eprintln!("error: {err}");
                Ok(ExitCode::FAILURE)
            }
            None => Err(err),
        },
    }
}

/// How the files on disk differ from what the spec generates.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// Files to write: missing or different on disk.
    pub write: Vec<GeneratedFile>,
    /// Paths (relative to the root) generated before but not produced any more.
    pub remove: Vec<String>,
    /// How many generated files are already up to date.
    pub unchanged: usize,
    /// What the generator accepted with a warning; printed, never fatal.
    pub warnings: Vec<generator::Diagnostic>,
}

impl Plan {
    pub fn is_clean(&self) -> bool {
        self.write.is_empty() && self.remove.is_empty()
    }
}

/// Generates from the spec under `root` and compares with the files there.
pub fn plan(root: &Path) -> Result<Plan> {
    let mut config = config();
    let spec = root.join(SPEC_PATH);
    let text =
        fs::read_to_string(&spec).with_context(|| format!("cannot read {}", spec.display()))?;
    // The mock server serves the HTML reference at `/docs`: it is rendered here from the
    // spec and its notes and shipped like any other generated file. A spec that does not
    // parse gets its diagnostics from the generator below instead.
    if generator::parse(SPEC_PATH, &text).is_ok() {
        let notes_path = root.join(NOTES_PATH);
        let notes = fs::read_to_string(&notes_path)
            .with_context(|| format!("cannot read {}", notes_path.display()))?;
        let html =
            api_docs::render(SPEC_PATH, &text, &notes).context("rendering the API reference")?;
        config.api_docs_html = Some(html);
    }
    let (files, warnings) = match generator::generate_with_warnings(&config, &text) {
        Ok(generated) => generated,
        Err(diagnostics) => {
            // Callers can downcast to `Diagnostics` for the pointers and lines; the
            // message says how many there were.
            let count = diagnostics.0.len();
            let summary = format!(
                "{count} problem{} in {SPEC_PATH}; nothing was written",
                if count == 1 { "" } else { "s" }
            );
            return Err(anyhow::Error::new(diagnostics).context(summary));
        }
    };
    // The public API listings, read back from the generated code; a change to them is a
    // change to the crates' semver surface.
    let listings =
        generator::public_api::listing_files(&config, &files).map_err(anyhow::Error::msg)?;
    let files: Vec<GeneratedFile> = files.into_iter().chain(listings).collect();
    let mut plan = Plan {
        warnings,
        ..Plan::default()
    };
    let produced: BTreeSet<String> = files.iter().map(|f| f.path.clone()).collect();
    for file in files {
        let on_disk = fs::read(root.join(&file.path)).ok();
        if on_disk.as_deref() == Some(file.contents.as_bytes()) {
            plan.unchanged += 1;
        } else {
            plan.write.push(file);
        }
    }
    for krate in [&config.client, &config.server] {
        for path in owned_files(root, krate)? {
            if !produced.contains(&path) {
                plan.remove.push(path);
            }
        }
    }
    Ok(plan)
}

/// Generated files that exist under `root` for one crate: its `Cargo.toml` and
/// `public-api.txt` and everything below `src/generated/`.
fn owned_files(root: &Path, krate: &CrateConfig) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for name in ["Cargo.toml", generator::public_api::LISTING_FILE] {
        let file = format!("{}/{name}", krate.dir);
        if root.join(&file).exists() {
            out.push(file);
        }
    }
    let dir = root.join(&krate.dir).join("src/generated");
    let mut stack = vec![dir];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let entry = entry.with_context(|| format!("cannot list {}", dir.display()))?;
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(relative) = path.strip_prefix(root) {
                out.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    Ok(out)
}

fn write_tree(root: &Path) -> Result<ExitCode> {
    let plan = plan(root)?;
    print_warnings(&plan);
    for file in &plan.write {
        let target = root.join(&file.path);
        let existed = target.exists();
        write_atomically(&target, file.contents.as_bytes())?;
        println!(
            "{} {}",
            if existed { "updated" } else { "created" },
            file.path
        );
    }
    for path in &plan.remove {
        fs::remove_file(root.join(path)).with_context(|| format!("cannot remove {path}"))?;
        println!("removed {path}");
    }
    println!(
        "codegen: {} written, {} removed, {} unchanged",
        plan.write.len(),
        plan.remove.len(),
        plan.unchanged
    );
    Ok(ExitCode::SUCCESS)
}

fn check_tree(root: &Path) -> Result<ExitCode> {
    let plan = plan(root)?;
    print_warnings(&plan);
    if plan.is_clean() {
        println!(
            "codegen --check: {} generated files match {SPEC_PATH}",
            plan.unchanged
        );
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!("The generated crates do not match {SPEC_PATH}:");
    for file in &plan.write {
        let state = if root.join(&file.path).exists() {
            "stale"
        } else {
            "missing"
        };
        eprintln!("  {state}: {}", file.path);
    }
    for path in &plan.remove {
        eprintln!("  extra: {path}");
    }
    eprintln!("Run `{COMMAND}` and commit the result.");
    Ok(ExitCode::FAILURE)
}

/// Writes through a temporary file in the same directory and renames it into place.
fn write_atomically(target: &Path, contents: &[u8]) -> Result<()> {
    let dir = target
        .parent()
        .context("a generated file always has a parent directory")?;
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let name = target
        .file_name()
        .context("a generated file always has a name")?;
    let temp: PathBuf = dir.join(format!(
        ".{}.tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| -> Result<()> {
        let mut file =
            fs::File::create(&temp).with_context(|| format!("cannot create {}", temp.display()))?;
        file.write_all(contents)
            .with_context(|| format!("cannot write {}", temp.display()))?;
        file.sync_all()
            .with_context(|| format!("cannot flush {}", temp.display()))?;
        fs::rename(&temp, target)
            .with_context(|| format!("cannot move {} into place", target.display()))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Every warning on its own line, on stderr: what was accepted and how it was read.
fn print_warnings(plan: &Plan) {
    for warning in &plan.warnings {
        eprintln!("{warning}");
    }
}
