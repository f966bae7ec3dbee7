//! The figures of one `cargo xtask bench` run and their rendering as a Markdown table.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use serde_json::Value;

use super::run::run_limited;

/// A median over repeated runs with its spread (smallest and largest value) and, where
/// `api-bench` gives it, a 95 % confidence interval of the median.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stats {
    pub median: f64,
    pub min: f64,
    pub max: f64,
    pub runs: usize,
    pub ci95: Option<(f64, f64)>,
}

impl Stats {
    /// `None` for an empty sample.
    pub fn of(values: &[f64]) -> Option<Stats> {
        if values.is_empty() || values.iter().any(|v| v.is_nan()) {
            return None;
        }
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let middle = sorted.len() / 2;
        let median = if sorted.len().is_multiple_of(2) {
            (sorted[middle - 1] + sorted[middle]) / 2.0
        } else {
            sorted[middle]
        };
        Some(Stats {
            median,
            min: sorted[0],
            max: sorted[sorted.len() - 1],
            runs: sorted.len(),
            ci95: None,
        })
    }

    /// Reads the `{median, min, max, runs, ci95_low, ci95_high}` object that `api-bench`
    /// prints (the interval is absent for fewer than six runs).
    fn from_json(value: &Value) -> Option<Stats> {
        let bound = |name: &str| value.get(name).and_then(Value::as_f64);
        Some(Stats {
            median: value.get("median")?.as_f64()?,
            min: value.get("min")?.as_f64()?,
            max: value.get("max")?.as_f64()?,
            runs: usize::try_from(value.get("runs")?.as_u64()?).ok()?,
            ci95: bound("ci95_low").zip(bound("ci95_high")),
        })
    }

    /// `12.3 (11.9–13.0, n=5)` with `digits` decimals, or `12.3 [12.1–12.6] (11.9–13.0,
    /// n=21)` with the confidence interval of the median.
    fn show(self, digits: usize) -> String {
        let interval = self.ci95.map_or_else(String::new, |(low, high)| {
            format!(" [{low:.digits$}–{high:.digits$}]")
        });
        format!(
            "{:.digits$}{interval} ({:.digits$}–{:.digits$}, n={})",
            self.median, self.min, self.max, self.runs
        )
    }
}

fn show(stats: Option<Stats>, digits: usize) -> String {
    stats.map_or_else(|| "n/a".to_string(), |s| s.show(digits))
}

/// One synthetic spec size.
#[derive(Debug)]
pub struct Synthetic {
    pub operations: usize,
    pub spec_bytes: usize,
    pub output_bytes: u64,
    /// The cold first run, in milliseconds.
    pub cold_ms: f64,
    /// The warm runs after it.
    pub warm_ms: Option<Stats>,
    pub baseline_kib: u64,
    pub peak_kib: u64,
    /// Each generated file and its size, largest first.
    pub files: Vec<(String, u64)>,
}

/// A criterion estimate: the median and its 95 % confidence interval, in nanoseconds.
#[derive(Debug)]
pub struct Criterion {
    pub id: String,
    pub median_ns: f64,
    pub lower_ns: f64,
    pub upper_ns: f64,
}

/// The cold build of one generated crate with one feature set.
#[derive(Debug)]
pub struct Build {
    pub package: String,
    /// The feature set, as the report shows it.
    pub features: String,
    pub seconds: f64,
    pub dependencies: usize,
}

/// Everything one run measured.
#[derive(Debug, Default)]
pub struct Report {
    pub quick: bool,
    pub codegen_in_process: Option<Stats>,
    pub codegen_process: Option<Stats>,
    pub codegen_process_stale: bool,
    pub synthetic: Vec<Synthetic>,
    pub criterion: Vec<Criterion>,
    pub server: Option<Value>,
    /// `alloc-count`: heap allocations per request of each server variant.
    pub allocations: Option<Value>,
    pub client: Option<Value>,
    pub builds: Vec<Build>,
    /// `--peers`: both generators on the same specs.
    pub peers: Vec<super::peers::PeerCodegen>,
    /// `--peers` with builds: our client and progenitor's built cold, interleaved.
    pub peer_builds: Option<super::peers::ColdBuilds>,
    pub total: Duration,
}

impl Report {
    pub fn new(quick: bool) -> Report {
        Report {
            quick,
            ..Report::default()
        }
    }

    /// Adds what a synthetic-spec child process reported.
    pub fn add_synthetic(
        &mut self,
        operations: usize,
        spec_bytes: usize,
        child: &Value,
    ) -> Result<()> {
        let number = |key: &str| {
            child
                .get(key)
                .and_then(Value::as_u64)
                .with_context(|| format!("the child report has no `{key}`: {child}"))
        };
        let times: Vec<f64> = child
            .get("times_ms")
            .and_then(Value::as_array)
            .map(|list| list.iter().filter_map(Value::as_f64).collect())
            .unwrap_or_default();
        let Some((cold, warm)) = times.split_first() else {
            bail!("the child report has no times: {child}");
        };
        let mut files: Vec<(String, u64)> = child
            .get("file_bytes")
            .and_then(Value::as_object)
            .map(|map| {
                map.iter()
                    .filter_map(|(path, bytes)| Some((path.clone(), bytes.as_u64()?)))
                    .collect()
            })
            .unwrap_or_default();
        files.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        self.synthetic.push(Synthetic {
            operations,
            spec_bytes,
            output_bytes: number("output_bytes")?,
            cold_ms: *cold,
            warm_ms: Stats::of(warm),
            baseline_kib: number("baseline_kib")?,
            peak_kib: number("peak_kib")?,
            files,
        });
        Ok(())
    }

    /// Adds a criterion estimate from its `estimates.json`.
    pub fn add_criterion(&mut self, id: &str, path: &Path) -> Result<()> {
        let text = fs::read_to_string(path)
            .with_context(|| format!("cannot read the criterion estimate {}", path.display()))?;
        let value: Value = serde_json::from_str(&text)
            .with_context(|| format!("{} is not JSON", path.display()))?;
        let get = |pointer: &str| {
            value
                .pointer(pointer)
                .and_then(Value::as_f64)
                .with_context(|| format!("{} has no {pointer}", path.display()))
        };
        self.criterion.push(Criterion {
            id: id.to_string(),
            median_ns: get("/median/point_estimate")?,
            lower_ns: get("/median/confidence_interval/lower_bound")?,
            upper_ns: get("/median/confidence_interval/upper_bound")?,
        });
        Ok(())
    }

    fn criterion(&self, id: &str) -> Option<&Criterion> {
        self.criterion.iter().find(|c| c.id == id)
    }

    /// The whole report as Markdown.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "## `cargo xtask bench{}` results\n",
            if self.quick { " --quick" } else { "" }
        );
        let _ = writeln!(out, "{}\n", machine());
        let _ = writeln!(
            out,
            "Figures are `median (min–max, n=runs)`; ratios are computed per round between \
             measurements taken side by side, then summarised the same way. Where there are \
             enough rounds, `[low–high]` after the median is a distribution-free 95 % \
             confidence interval of the median (two order statistics of the rounds): two \
             figures whose intervals do not overlap differ.\n"
        );
        self.render_codegen(&mut out);
        self.render_server(&mut out);
        self.render_client(&mut out);
        self.render_micro(&mut out);
        self.render_builds(&mut out);
        self.render_peer_builds(&mut out);
        self.render_peers(&mut out);
        let _ = writeln!(out, "Total bench time: {:.0} s.", self.total.as_secs_f64());
        out
    }

    fn render_codegen(&self, out: &mut String) {
        let _ = writeln!(out, "### Code generation\n");
        let _ = writeln!(out, "| measure | time (ms) |\n|---|---|");
        let _ = writeln!(
            out,
            "| `generator::generate`, both crates from `spec/openapi.yaml`, in process | {} |",
            show(self.codegen_in_process, 2)
        );
        let _ = writeln!(
            out,
            "| `xtask codegen --check` as a whole process (release binary){} | {} |\n",
            if self.codegen_process_stale {
                " — the tree was stale, the check failed"
            } else {
                ""
            },
            show(self.codegen_process, 1)
        );
        let _ = writeln!(
            out,
            "| synthetic ops | spec KiB | output KiB | cold run (ms) | warm runs (ms) | µs per op (warm) | time growth vs previous size (ops ×) | peak RSS MiB (before) |\n|---|---|---|---|---|---|---|---|"
        );
        let mut previous: Option<&Synthetic> = None;
        for s in &self.synthetic {
            let warm = s.warm_ms.map_or(s.cold_ms, |w| w.median);
            let growth = previous.map_or_else(
                || "—".to_string(),
                |p| {
                    let p_warm = p.warm_ms.map_or(p.cold_ms, |w| w.median);
                    let time = warm / p_warm;
                    let ops = s.operations as f64 / p.operations as f64;
                    format!(
                        "×{time:.1} (×{ops:.0}); exponent {:.2}",
                        time.ln() / ops.ln()
                    )
                },
            );
            let _ = writeln!(
                out,
                "| {} | {:.0} | {:.0} | {:.1} | {} | {:.0} | {} | {:.1} ({:.1}) |",
                s.operations,
                s.spec_bytes as f64 / 1024.0,
                s.output_bytes as f64 / 1024.0,
                s.cold_ms,
                show(s.warm_ms, 1),
                warm * 1000.0 / s.operations as f64,
                growth,
                s.peak_kib as f64 / 1024.0,
                s.baseline_kib as f64 / 1024.0,
            );
            previous = Some(s);
        }
        if let Some(largest) = self.synthetic.last() {
            let files: Vec<String> = largest
                .files
                .iter()
                .take(6)
                .map(|(path, bytes)| format!("`{path}` {:.0} KiB", *bytes as f64 / 1024.0))
                .collect();
            let _ = writeln!(
                out,
                "\nLargest outputs for {} operations: {}.",
                largest.operations,
                files.join(", ")
            );
        }
        out.push('\n');
    }

    fn render_server(&self, out: &mut String) {
        let Some(server) = &self.server else {
            return;
        };
        let _ = writeln!(
            out,
            "### Generated server: `CreateFlinkJarJob` with the seed body over loopback\n\n\
             {} rounds × {} requests per variant, each round in {} slices with the variants \
             taking turns after every slice; {} keep-alive connections, server on one worker \
             thread, load generator on another. Server CPU is the run time of the server's \
             threads (`/proc/self/task/TID/schedstat`) per request, which leaves out time \
             spent waiting for the CPU while other processes ran; its ratio is the baseline's \
             CPU per request over the variant's (1.0 = parity, higher is better).\n",
            server["rounds"], server["requests"], server["slices"], server["concurrency"]
        );
        let _ = writeln!(
            out,
            "| server | requests/s | server CPU µs/request | p50 (µs) | p99 (µs) | throughput vs hand-written | server CPU vs hand-written |\n|---|---|---|---|---|---|---|"
        );
        let mut signed = Vec::new();
        for variant in server["variants"].as_array().into_iter().flatten() {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                variant["variant"].as_str().unwrap_or("?"),
                show(Stats::from_json(&variant["requests_per_second"]), 0),
                show(Stats::from_json(&variant["server_cpu_us_per_request"]), 2),
                show(Stats::from_json(&variant["p50_us"]), 0),
                show(Stats::from_json(&variant["p99_us"]), 0),
                show(Stats::from_json(&variant["throughput_ratio"]), 3),
                show(Stats::from_json(&variant["cpu_ratio"]), 3),
            );
            if let Some(versus) = variant.get("vs_generated") {
                signed.push((variant["variant"].as_str().unwrap_or("?"), versus));
            }
        }
        for (name, versus) in signed {
            let _ = writeln!(
                out,
                "\n{name} against the same generated router unsigned: throughput {}, server CPU {}.",
                show(Stats::from_json(&versus["throughput_ratio"]), 3),
                show(Stats::from_json(&versus["cpu_ratio"]), 3),
            );
        }
        out.push('\n');
        self.render_allocations(out);
    }

    fn render_allocations(&self, out: &mut String) {
        let Some(allocations) = &self.allocations else {
            return;
        };
        let _ = writeln!(
            out,
            "Heap allocations per request of the same variants, answering the same request in \
             process (`alloc-count`, {} requests each after as many unmeasured; exact counts, \
             independent of the machine's load):\n\n\
             | server | allocations | bytes | of 1 KiB or more |\n|---|---|---|---|",
            allocations["requests"]
        );
        for variant in allocations["variants"].as_array().into_iter().flatten() {
            let figure = |key: &str| {
                variant[key]
                    .as_f64()
                    .map_or_else(|| "?".to_string(), |value| format!("{value:.1}"))
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                variant["variant"].as_str().unwrap_or("?"),
                figure("allocations"),
                figure("bytes"),
                figure("large"),
            );
        }
        out.push('\n');
    }

    fn render_client(&self, out: &mut String) {
        let Some(client) = &self.client else {
            return;
        };
        let _ = writeln!(
            out,
            "### Generated client against bare `reqwest`, same request, same local server\n\n\
             {} rounds × {} sequential requests per variant.\n",
            client["rounds"], client["requests"]
        );
        let _ = writeln!(
            out,
            "| client | µs per request | time vs baseline (goal ≤ 1.1) | baseline |\n|---|---|---|---|"
        );
        for variant in client["variants"].as_array().into_iter().flatten() {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                variant["variant"].as_str().unwrap_or("?"),
                show(Stats::from_json(&variant["us_per_request"]), 1),
                show(Stats::from_json(&variant["time_ratio"]), 3),
                variant["baseline"].as_str().unwrap_or("?"),
            );
        }
        out.push('\n');
    }

    fn render_micro(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "### Signing, verifying and decoding (criterion: median and its 95 % confidence interval)\n"
        );
        let _ = writeln!(out, "| benchmark | time | note |\n|---|---|---|");
        for c in &self.criterion {
            let note = match c.id.as_str() {
                "sign/create_flink_jar_job" => "goal ≤ 5 µs; POST with the 435-byte seed body",
                "sign/empty_body_get" => "GET, one query parameter, no body",
                "verify/create_flink_jar_job" => {
                    "the seed POST checked (`verify_keyed`, the key made once), in a tight loop"
                }
                "verify/create_flink_jar_job_one_by_one" => "the same, each check timed alone",
                "verify/create_flink_jar_job_after_io" => {
                    "each check after a loopback TCP exchange of the request's size, as a server runs the kernel's network path between two checks"
                }
                "decode/generated" => "every seed response, generated types (lenient decoders)",
                "decode/generated_path_to_error" => {
                    "the same through `serde_path_to_error`, which the generated client runs only to explain a body that does not decode"
                }
                "decode/plain" => "the same into plain derived serde structs",
                _ => "",
            };
            let _ = writeln!(
                out,
                "| `{}` | {} ({}–{}) | {note} |",
                c.id,
                nanos(c.median_ns),
                nanos(c.lower_ns),
                nanos(c.upper_ns)
            );
        }
        if let (Some(sign), Some(verify), Some(alone), Some(after_io)) = (
            self.criterion("sign/create_flink_jar_job"),
            self.criterion("verify/create_flink_jar_job"),
            self.criterion("verify/create_flink_jar_job_one_by_one"),
            self.criterion("verify/create_flink_jar_job_after_io"),
        ) {
            let _ = writeln!(
                out,
                "\nVerifying / signing the seed POST: {:.2}; a check after loopback I/O / one alone: {:.2}.",
                verify.median_ns / sign.median_ns,
                after_io.median_ns / alone.median_ns
            );
        }
        if let (Some(generated), Some(path), Some(plain)) = (
            self.criterion("decode/generated"),
            self.criterion("decode/generated_path_to_error"),
            self.criterion("decode/plain"),
        ) {
            let _ = writeln!(
                out,
                "\nDecoding ratio, generated / plain: {:.2} (through `serde_path_to_error`: {:.2}).",
                generated.median_ns / plain.median_ns,
                path.median_ns / plain.median_ns
            );
        }
        out.push('\n');
    }

    fn render_builds(&self, out: &mut String) {
        if self.builds.is_empty() {
            let _ = writeln!(
                out,
                "### Build cost\n\nSkipped (`--quick` or `--skip-build`).\n"
            );
            return;
        }
        let _ = writeln!(
            out,
            "### Build cost: cold `cargo build -p <crate> [features]` (dev profile, an emptied target directory per row)\n"
        );
        let _ = writeln!(
            out,
            "| crate | feature set | cold build (s) | dependency crates (`cargo tree -e normal`, unique) |\n|---|---|---|---|"
        );
        for build in &self.builds {
            let _ = writeln!(
                out,
                "| `{}` | {} | {:.0} | {} |",
                build.package, build.features, build.seconds, build.dependencies
            );
        }
        out.push('\n');
    }
}

impl Report {
    fn render_peer_builds(&self, out: &mut String) {
        let Some(builds) = &self.peer_builds else {
            return;
        };
        let _ = writeln!(
            out,
            "### Cold builds against progenitor's client (`--peers`), interleaved\n\n\
             {} rounds; in each, every build below from an emptied target directory, \
             progenitor's between ours. Wall and CPU (user + system, of cargo and the \
             compilers) from `/usr/bin/time`; ratios are ours over progenitor's of the same \
             round (goal: ≤ 0.8 without TLS). Dependency crates: unique lines of \
             `cargo tree -e normal --prefix none` without the crate itself.\n",
            builds.rounds
        );
        let _ = writeln!(
            out,
            "| crate | feature set | wall (s) | CPU (s) | wall vs progenitor | CPU vs progenitor | dependency crates |\n|---|---|---|---|---|---|---|"
        );
        for row in &builds.rows {
            let ratio = |stats: Option<Stats>| match row.wall_ratio {
                None => "—".to_string(),
                Some(_) => show(stats, 3),
            };
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} | {} | {} | {} |",
                row.package,
                row.features,
                show(row.wall, 1),
                show(row.cpu, 1),
                ratio(row.wall_ratio),
                ratio(row.cpu_ratio),
                row.dependencies
            );
        }
        out.push('\n');
    }

    fn render_peers(&self, out: &mut String) {
        if self.peers.is_empty() {
            return;
        }
        let _ = writeln!(
            out,
            "### Against progenitor (`--peers`): the whole generating process, `/usr/bin/time`\n\n\
             Ours writes the client and the server crates; `cargo-progenitor` a client crate \
             only. The two take turns in every round; ratios are ours over progenitor's, per \
             round.\n"
        );
        let _ = writeln!(
            out,
            "| spec | operations | ours (s) | progenitor (s) | time ratio | ours peak MiB | progenitor peak MiB | memory ratio |\n|---|---|---|---|---|---|---|---|"
        );
        for row in &self.peers {
            if let Some(error) = &row.theirs_error {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | failed: {} | — | {} | — | — |",
                    row.spec,
                    row.operations,
                    show(row.ours_seconds, 3),
                    error.replace('|', "\\|"),
                    show(row.ours_peak_mib, 0),
                );
                continue;
            }
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                row.spec,
                row.operations,
                show(row.ours_seconds, 3),
                show(row.theirs_seconds, 3),
                show(row.time_ratio, 3),
                show(row.ours_peak_mib, 0),
                show(row.theirs_peak_mib, 0),
                show(row.memory_ratio, 3),
            );
        }
        out.push('\n');
    }
}

fn nanos(ns: f64) -> String {
    if ns >= 1000.0 {
        format!("{:.2} µs", ns / 1000.0)
    } else {
        format!("{ns:.0} ns")
    }
}

/// The machine: cores, CPU model and memory, from `/proc`.
fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name")?.split_once(':'))
        .map_or("unknown CPU", |(_, model)| model.trim())
        .to_string();
    let meminfo = fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory = meminfo
        .lines()
        .find_map(|line| line.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or("unknown".to_string(), |kib| {
            format!("{:.1} GiB", kib / 1024.0 / 1024.0)
        });
    format!("Machine: {cores} cores ({model}), {memory} memory.")
}

/// Builds `package` with the feature arguments `args` from scratch in `target_dir` (emptied
/// first) and counts its dependencies with the same features. `features` names the set
/// in the report.
pub fn build_cost(
    root: &Path,
    target_dir: &Path,
    package: &str,
    args: &[&str],
    features: &str,
) -> Result<Build> {
    if target_dir.exists() {
        fs::remove_dir_all(target_dir)
            .with_context(|| format!("cannot clear {}", target_dir.display()))?;
    }
    let shown = format!("-p {package} {}", args.join(" "));
    let shown = shown.trim_end();
    let mut command = Command::new(super::cargo());
    command
        .current_dir(root)
        .env("CARGO_TARGET_DIR", target_dir)
        .args(["build", "--quiet", "-p", package])
        .args(args);
    let output = run_limited(command, Duration::from_secs(3600))?;
    if !output.status.success() {
        bail!("the cold build {shown} failed:\n{}", output.stderr);
    }
    let mut command = Command::new(super::cargo());
    command
        .current_dir(root)
        .args([
            "tree", "--quiet", "-p", package, "-e", "normal", "--prefix", "none",
        ])
        .args(args);
    let tree = run_limited(command, Duration::from_secs(300))?;
    if !tree.status.success() {
        bail!("cargo tree {shown} failed:\n{}", tree.stderr);
    }
    Ok(Build {
        package: package.to_string(),
        features: features.to_string(),
        seconds: output.elapsed.as_secs_f64(),
        dependencies: count_dependencies(&tree.stdout, package),
    })
}

/// Unique crates in `cargo tree --prefix none` output, without the root itself.
pub fn count_dependencies(tree: &str, root: &str) -> usize {
    let mut crates: Vec<&str> = tree
        .lines()
        .map(|line| line.trim_end_matches(" (*)").trim())
        .filter(|line| !line.is_empty())
        .filter(|line| line.split(' ').next() != Some(root))
        .collect();
    crates.sort_unstable();
    crates.dedup();
    crates.len()
}

#[cfg(test)]
mod tests {
    use super::{count_dependencies, Build, Report, Stats};

    #[test]
    fn the_micro_table_compares_verifying_with_signing() {
        let mut report = Report::new(false);
        for (id, median_ns) in [
            ("sign/create_flink_jar_job", 1600.0),
            ("verify/create_flink_jar_job", 1200.0),
            ("verify/create_flink_jar_job_one_by_one", 1250.0),
            ("verify/create_flink_jar_job_after_io", 1375.0),
        ] {
            report.criterion.push(super::Criterion {
                id: id.to_string(),
                median_ns,
                lower_ns: median_ns - 10.0,
                upper_ns: median_ns + 10.0,
            });
        }
        let mut out = String::new();
        report.render_micro(&mut out);
        assert!(
            out.contains("Verifying / signing the seed POST: 0.75; a check after loopback I/O / one alone: 1.10."),
            "{out}"
        );
        assert!(
            out.contains("| `verify/create_flink_jar_job_after_io` | 1.38 µs"),
            "{out}"
        );
    }

    #[test]
    fn build_rows_name_their_feature_set() {
        let mut report = Report::new(false);
        report.builds.push(Build {
            package: "client".to_string(),
            features: "`--no-default-features`".to_string(),
            seconds: 12.4,
            dependencies: 95,
        });
        let mut out = String::new();
        report.render_builds(&mut out);
        assert!(
            out.contains("| crate | feature set | cold build (s) |"),
            "{out}"
        );
        assert!(
            out.contains("| `client` | `--no-default-features` | 12 | 95 |"),
            "{out}"
        );
    }

    #[test]
    fn interleaved_builds_show_ratios_for_ours_only() {
        use crate::bench::peers::{ColdBuildRow, ColdBuilds};
        let mut report = Report::new(false);
        let row = |package: &str, ratio: Option<Stats>| ColdBuildRow {
            package: package.to_string(),
            features: "set".to_string(),
            dependencies: 80,
            wall: Stats::of(&[30.0, 32.0, 31.0]),
            cpu: Stats::of(&[50.0, 52.0, 51.0]),
            wall_ratio: ratio,
            cpu_ratio: ratio,
        };
        report.peer_builds = Some(ColdBuilds {
            rounds: 3,
            rows: vec![
                row("client", Stats::of(&[0.7, 0.75, 0.8])),
                row("progenitor-client-bench", None),
            ],
        });
        let mut out = String::new();
        report.render_peer_builds(&mut out);
        assert!(out.contains("3 rounds"), "{out}");
        assert!(
            out.contains("| `client` | set | 31.0 (30.0–32.0, n=3) | 51.0 (50.0–52.0, n=3) | 0.750 (0.700–0.800, n=3) | 0.750 (0.700–0.800, n=3) | 80 |"),
            "{out}"
        );
        assert!(out.contains("| `progenitor-client-bench` | set | 31.0 (30.0–32.0, n=3) | 51.0 (50.0–52.0, n=3) | — | — | 80 |"), "{out}");
    }

    #[test]
    fn dependencies_are_counted_once_without_the_root() {
        let tree = "client v0.1.0 (/w/client)\nserde v1.0.1\nserde_derive v1.0.1 (proc-macro)\nserde v1.0.1 (*)\n";
        assert_eq!(count_dependencies(tree, "client"), 2);
    }

    #[test]
    fn stats_show_median_and_spread() {
        let stats = Stats::of(&[3.0, 1.0, 2.0]).expect("three values");
        assert_eq!(stats.show(1), "2.0 (1.0–3.0, n=3)");
        assert_eq!(Stats::of(&[]), None);
        let json = serde_json::json!({
            "median": 0.97, "min": 0.91, "max": 0.99, "runs": 21,
            "ci95_low": 0.95, "ci95_high": 0.98,
        });
        let read = Stats::from_json(&json).expect("a summary");
        assert_eq!(read.show(3), "0.970 [0.950–0.980] (0.910–0.990, n=21)");
        let without = serde_json::json!({
            "median": 0.97, "min": 0.91, "max": 0.99, "runs": 5,
            "ci95_low": null, "ci95_high": null,
        });
        let read = Stats::from_json(&without).expect("a summary");
        assert_eq!(read.show(2), "0.97 (0.91–0.99, n=5)");
    }
}
