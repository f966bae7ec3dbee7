//! `cargo xtask bench [--quick] [--skip-build]`: every benchmark of the project in one
//! run, printed as one table.
//!
//! The command rebuilds itself, `xtask` and the `api-benches` crate in release mode and
//! re-runs from the release binary, then measures: code generation (in process, as a whole
//! `xtask codegen --check` process, and on synthetic specs of growing size, each in a
//! child process that reports its peak memory); the generated server and client over
//! loopback (`api-bench`), and the server's heap allocations per request (`alloc-count`);
//! signing and decoding (criterion, `benches/benches/micro.rs`); and the cold build of each
//! generated crate, with its default features and with its smallest useful (or largest)
//! feature set. Every figure is a median over repeated
//! runs with its spread, and every comparison a ratio of measurements taken in the same
//! run. Only 127.0.0.1 is contacted; every child process has a time limit.

mod peers;
mod report;
mod run;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use serde_json::Value;

use xtask::codegen;

use crate::{project_root, synth, SPEC_PATH};
use report::{Report, Stats};
use run::run_limited;

/// The sizes of the synthetic specs, in operations.
pub const SYNTHETIC_SIZES: [usize; 4] = [5, 50, 500, 2000];

/// How much work each part does.
#[derive(Debug, Clone, Copy)]
struct Effort {
    codegen_runs: usize,
    process_runs: usize,
    synthetic_runs: usize,
    load_rounds: usize,
    load_requests: usize,
    /// Parts of each server round, the variants taking turns after each.
    load_slices: usize,
    client_requests: usize,
    criterion_seconds: u32,
    build: bool,
}

const FULL: Effort = Effort {
    codegen_runs: 20,
    process_runs: 10,
    synthetic_runs: 5,
    // Many shorter rounds rather than a few long ones: enough rounds for a 95 %
    // confidence interval of each median that is narrower than the rounds' spread.
    load_rounds: 21,
    load_requests: 25_000,
    load_slices: 10,
    client_requests: 3_000,
    criterion_seconds: 5,
    build: true,
};

const QUICK: Effort = Effort {
    codegen_runs: 5,
    process_runs: 3,
    synthetic_runs: 3,
    load_rounds: 3,
    load_requests: 6_000,
    load_slices: 4,
    client_requests: 500,
    criterion_seconds: 1,
    build: false,
};

/// No new round of the interleaved cold builds (`--peers`) starts after this long; a
/// round is three cold builds, 2–5 minutes on the 2-core machine of the docs.
const PEER_BUILD_BUDGET: Duration = Duration::from_secs(30 * 60);

/// The number of concurrent connections of the server load.
const CONCURRENCY: usize = 16;

/// Which generated crate a cold build measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Generated {
    Client,
    Server,
}

/// One row of "Build cost": a generated crate with one feature set, built cold in its own
/// emptied `target/bench-build/<dir>`.
#[derive(Debug)]
struct BuildVariant {
    krate: Generated,
    dir: &'static str,
    /// Feature arguments for `cargo build` and `cargo tree`.
    args: &'static [&'static str],
    /// What the report calls the feature set.
    features: &'static str,
}

/// The cold builds, in report order: each crate with its default features and with its
/// smallest useful feature set (the server's default is already the smallest, so its
/// second row adds the `mock-server` binary).
const BUILD_VARIANTS: [BuildVariant; 4] = [
    BuildVariant {
        krate: Generated::Client,
        dir: "client-default",
        args: &[],
        features: "default (`rustls-tls`)",
    },
    BuildVariant {
        krate: Generated::Client,
        dir: "client-no-default-features",
        args: &["--no-default-features"],
        features: "`--no-default-features`: plain HTTP only (smallest useful)",
    },
    BuildVariant {
        krate: Generated::Server,
        dir: "server-default",
        args: &[],
        features: "default: the library only (smallest useful)",
    },
    BuildVariant {
        krate: Generated::Server,
        dir: "server-mock-server",
        args: &["--features", "mock-server"],
        features: "`--features mock-server`: with the mock server binary",
    },
];

const USAGE: &str = "usage: cargo xtask bench [--quick] [--skip-build] [--peers]";

pub fn run(args: &[String]) -> Result<ExitCode> {
    if let [flag, path, runs] = args {
        if flag == "--synth-child" {
            let runs: usize = runs
                .parse()
                .with_context(|| format!("`{runs}`: not a number of runs"))?;
            return synth_child(Path::new(path), runs);
        }
    }
    let mut effort = FULL;
    let mut skip_build = false;
    let mut with_peers = false;
    for arg in args {
        match arg.as_str() {
            "--quick" => effort = QUICK,
            "--skip-build" => skip_build = true,
            "--peers" => with_peers = true,
            other => bail!("unknown option `{other}`\n{USAGE}"),
        }
    }
    if skip_build {
        effort.build = false;
    }
    let root = project_root();
    if cfg!(debug_assertions) {
        return rerun_in_release(&root, args);
    }
    let quick = args.iter().any(|a| a == "--quick");
    let report = measure(&root, effort, quick, with_peers)?;
    let text = report.render();
    let out = target_dir(&root).join("bench/report.md");
    fs::write(&out, &text).with_context(|| format!("cannot write {}", out.display()))?;
    println!("{text}");
    println!("(also written to {})", out.display());
    Ok(ExitCode::SUCCESS)
}

/// The build directory of the workspace.
fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}

/// Builds the release binaries and runs this command again from the release `spec-tools`.
fn rerun_in_release(root: &Path, args: &[String]) -> Result<ExitCode> {
    eprintln!("bench: building xtask, spec-tools and api-benches in release mode");
    let status = Command::new(cargo())
        .current_dir(root)
        .args([
            "build",
            "--release",
            "--quiet",
            "-p",
            "xtask",
            "-p",
            "spec-tools",
            "-p",
            "api-benches",
            "--bins",
        ])
        .status()
        .context("cannot run cargo")?;
    if !status.success() {
        bail!("the release build failed");
    }
    let tools = target_dir(root).join("release/spec-tools");
    let status = Command::new(&tools)
        .arg("bench")
        .args(args)
        .current_dir(root)
        .status()
        .with_context(|| format!("cannot run {}", tools.display()))?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}

fn measure(root: &Path, effort: Effort, quick: bool, with_peers: bool) -> Result<Report> {
    let started = Instant::now();
    let target = target_dir(root);
    let bench_dir = target.join("bench");
    fs::create_dir_all(&bench_dir)
        .with_context(|| format!("cannot create {}", bench_dir.display()))?;
    let mut report = Report::new(quick);

    eprintln!("bench: code generation from {SPEC_PATH}");
    let spec_path = root.join(SPEC_PATH);
    let text = fs::read_to_string(&spec_path)
        .with_context(|| format!("cannot read {}", spec_path.display()))?;
    let config = codegen::config();
    let mut times = Vec::new();
    for run in 0..=effort.codegen_runs {
        let started = Instant::now();
        let files = generator::generate(&config, &text).map_err(|diagnostics| {
            anyhow::anyhow!("{SPEC_PATH} does not generate:\n{diagnostics}")
        })?;
        std::hint::black_box(files);
        // The first run warms caches and is not counted.
        if run > 0 {
            times.push(started.elapsed().as_secs_f64() * 1e3);
        }
    }
    report.codegen_in_process = Stats::of(&times);

    // `cargo xtask codegen --check` as users run it, from the release `xtask` built above.
    let xtask = target.join("release/xtask");
    let mut times = Vec::new();
    let mut stale = false;
    for _ in 0..effort.process_runs {
        let mut command = Command::new(&xtask);
        command.args(["codegen", "--check"]).current_dir(root);
        let output = run_limited(command, Duration::from_secs(60))?;
        stale |= !output.status.success();
        times.push(output.elapsed.as_secs_f64() * 1e3);
    }
    report.codegen_process = Stats::of(&times);
    report.codegen_process_stale = stale;

    eprintln!("bench: synthetic specs");
    let tools = std::env::current_exe().context("cannot find the running spec-tools binary")?;
    for operations in SYNTHETIC_SIZES {
        let path = bench_dir.join(format!("synthetic-{operations}.yaml"));
        let yaml = synth::spec_yaml(operations);
        fs::write(&path, &yaml).with_context(|| format!("cannot write {}", path.display()))?;
        let mut command = Command::new(&tools);
        command
            .arg("bench")
            .arg("--synth-child")
            .arg(&path)
            .arg(effort.synthetic_runs.to_string());
        let output = run_limited(command, Duration::from_secs(600))?;
        if !output.status.success() {
            bail!(
                "generating the synthetic spec with {operations} operations failed:\n{}",
                output.stderr
            );
        }
        let child: Value = serde_json::from_str(&output.stdout)
            .with_context(|| format!("unreadable child report: {}", output.stdout))?;
        report.add_synthetic(operations, yaml.len(), &child)?;
    }

    eprintln!("bench: criterion (signing, verifying, decoding)");
    let seconds = effort.criterion_seconds.to_string();
    let mut command = Command::new(cargo());
    command.current_dir(root).args([
        "bench",
        "--quiet",
        "-p",
        "api-benches",
        "--bench",
        "micro",
        "--",
        "--warm-up-time",
        "1",
        "--measurement-time",
        &seconds,
        "--noplot",
    ]);
    let output = run_limited(command, Duration::from_secs(1800))?;
    if !output.status.success() {
        bail!("the criterion benches failed:\n{}", output.stderr);
    }
    let criterion = target.join("criterion");
    for id in [
        "sign/create_flink_jar_job",
        "sign/empty_body_get",
        "verify/create_flink_jar_job",
        "verify/create_flink_jar_job_one_by_one",
        "verify/create_flink_jar_job_after_io",
        "decode/generated",
        "decode/generated_path_to_error",
        "decode/plain",
    ] {
        report.add_criterion(id, &criterion.join(id).join("new/estimates.json"))?;
    }

    let api_bench = target.join("release/api-bench");
    eprintln!("bench: generated server under load");
    let mut command = Command::new(&api_bench);
    command.args([
        "server",
        "--rounds",
        &effort.load_rounds.to_string(),
        "--requests",
        &effort.load_requests.to_string(),
        "--concurrency",
        &CONCURRENCY.to_string(),
        "--slices",
        &effort.load_slices.to_string(),
    ]);
    report.server = Some(json_of(
        run_limited(command, Duration::from_secs(1800))?,
        "api-bench server",
    )?);

    eprintln!("bench: heap allocations per request of each server");
    report.allocations = Some(json_of(
        run_limited(
            Command::new(target.join("release/alloc-count")),
            Duration::from_secs(300),
        )?,
        "alloc-count",
    )?);

    eprintln!("bench: generated client against bare reqwest");
    let mut command = Command::new(&api_bench);
    command.args([
        "client",
        "--rounds",
        &effort.load_rounds.to_string(),
        "--requests",
        &effort.client_requests.to_string(),
    ]);
    report.client = Some(json_of(
        run_limited(command, Duration::from_secs(1800))?,
        "api-bench client",
    )?);

    if effort.build {
        for variant in &BUILD_VARIANTS {
            if with_peers && variant.krate == Generated::Client {
                // Measured below, interleaved with progenitor's client.
                continue;
            }
            let package = match variant.krate {
                Generated::Client => config.client.package.as_str(),
                Generated::Server => config.server.package.as_str(),
            };
            eprintln!("bench: cold build of {package}, {}", variant.features);
            report.builds.push(report::build_cost(
                root,
                &target.join("bench-build").join(variant.dir),
                package,
                variant.args,
                variant.features,
            )?);
        }
    }
    if with_peers {
        let progenitor = peers::ensure_progenitor(root)?;
        eprintln!("bench: both generators on the same specs (--peers)");
        let peers_dir = bench_dir.join("peers");
        fs::create_dir_all(&peers_dir)
            .with_context(|| format!("cannot create {}", peers_dir.display()))?;
        let mut specs = vec![("openapi".to_string(), spec_path.clone(), 5)];
        for operations in [500, 2000] {
            specs.push((
                format!("synthetic-{operations}"),
                bench_dir.join(format!("synthetic-{operations}.yaml")),
                operations,
            ));
        }
        let rounds = if quick { 1 } else { 3 };
        report.peers = peers::codegen(&progenitor, &tools, &peers_dir, &specs, rounds)?;
        if effort.build {
            eprintln!(
                "bench: cold builds of our client and progenitor's client of {SPEC_PATH}, \
                 interleaved"
            );
            let ours: Vec<peers::ColdBuild> = BUILD_VARIANTS
                .iter()
                .filter(|v| v.krate == Generated::Client)
                .map(|v| peers::ColdBuild {
                    package: config.client.package.clone(),
                    args: v.args.iter().map(|a| a.to_string()).collect(),
                    features: v.features.to_string(),
                })
                .collect();
            report.peer_builds = Some(peers::interleaved_cold_builds(
                root,
                &peers_dir.join("progenitor-openapi"),
                &target.join("bench-build/peers"),
                &ours,
                rounds,
                PEER_BUILD_BUDGET,
            )?);
        }
    }
    report.total = started.elapsed();
    Ok(report)
}

fn json_of(output: run::Output, what: &str) -> Result<Value> {
    if !output.status.success() {
        bail!("{what} failed:\n{}", output.stderr);
    }
    serde_json::from_str(&output.stdout)
        .with_context(|| format!("unreadable {what} report: {}", output.stdout))
}

/// The child process of one synthetic size: generates once, reads its peak resident
/// memory, generates `runs` more times, and prints the times and the memory as JSON.
/// The first, cold run is timed too: it is what `cargo xtask codegen` does.
fn synth_child(path: &Path, runs: usize) -> Result<ExitCode> {
    let text =
        fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let baseline = memory_kib("VmHWM")?;
    let config = codegen::config();
    let mut times = Vec::new();
    let mut peak = baseline;
    let mut sizes = serde_json::Map::new();
    for run in 0..=runs {
        let started = Instant::now();
        let files = generator::generate(&config, &text).map_err(|diagnostics| {
            anyhow::anyhow!("{} does not generate:\n{diagnostics}", path.display())
        })?;
        times.push(started.elapsed().as_secs_f64() * 1e3);
        sizes = files
            .iter()
            .map(|f| (f.path.clone(), serde_json::json!(f.contents.len())))
            .collect();
        drop(files);
        if run == 0 {
            peak = memory_kib("VmHWM")?;
        }
    }
    let report = serde_json::json!({
        "baseline_kib": baseline,
        "peak_kib": peak,
        "output_bytes": sizes.values().filter_map(serde_json::Value::as_u64).sum::<u64>(),
        "file_bytes": sizes,
        "times_ms": times,
    });
    println!("{report}");
    Ok(ExitCode::SUCCESS)
}

/// A `Vm*` line of `/proc/self/status`, in KiB.
fn memory_kib(field: &str) -> Result<u64> {
    let status = fs::read_to_string("/proc/self/status")
        .context("cannot read /proc/self/status (peak memory is measured on Linux only)")?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .with_context(|| format!("no {field} in /proc/self/status"))
}

#[cfg(test)]
mod tests {
    use super::{Generated, BUILD_VARIANTS};

    #[test]
    fn every_cold_build_has_its_own_directory_and_each_crate_a_default_row() {
        let mut dirs: Vec<&str> = BUILD_VARIANTS.iter().map(|v| v.dir).collect();
        dirs.sort_unstable();
        dirs.dedup();
        assert_eq!(dirs.len(), BUILD_VARIANTS.len());
        for krate in [Generated::Client, Generated::Server] {
            let rows: Vec<_> = BUILD_VARIANTS.iter().filter(|v| v.krate == krate).collect();
            assert_eq!(
                rows.len(),
                2,
                "{krate:?}: a default and another feature set"
            );
            assert!(
                rows[0].args.is_empty(),
                "{krate:?}: the default comes first"
            );
            assert!(!rows[1].args.is_empty(), "{krate:?}");
        }
    }
}
