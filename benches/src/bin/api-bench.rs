//! `api-bench`: loopback load benchmarks of the generated server and client.
//!
//! ```text
//! api-bench server [--rounds R] [--requests N] [--concurrency C] [--slices S] [--only NAME[,NAME…]] [--rate RPS]
//! api-bench client [--rounds R] [--requests N]
//! ```
//!
//! `server` serves every [`Variant`] from one runtime with one worker thread and drives
//! them from a second single-threaded runtime with the same hyper load generator: `C`
//! HTTP/1.1 keep-alive connections sending `N` `CreateFlinkJarJob` requests with the seed
//! body in total, per variant and round, in `S` slices: the variants take turns after
//! every slice (in a rotating order), so that each ratio compares measurements taken side
//! by side, interleaved finely enough that other work on the machine falls on all of
//! them. Besides throughput, the CPU time of the server's threads per request is read
//! from `/proc/self/task/TID/schedstat` around every slice: time the server waited for
//! the CPU while another process ran is not in it, so it is the steadier figure on a
//! shared machine. With two or more CPUs, the server's worker and the load generator are
//! pinned to one CPU each (`pinned_cpus` in the report).
//!
//! `client` serves the hand-written baseline and sends `N` sequential requests per round
//! with the generated client and with a bare `reqwest` call of the same request, without
//! and with AK/SK signing.
//!
//! Both print one JSON document on stdout, which `cargo xtask bench` turns into a table.
//! Only 127.0.0.1 is ever contacted.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context, Result};
use api_benches::servers::{Variant, ACCESS_KEY, SECRET_KEY};
use api_benches::stats::{percentile, Summary};
use api_benches::{plain, seeds};
use apig_signer::{Credentials, SdkDate, SigningRequest};
use axum::body::Bytes;
use http_body_util::{BodyExt, Full};
use huaweicloud_api_client::{types, Client, Service};
use hyper::header::{CONTENT_TYPE, HOST};
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use tokio::net::{TcpListener, TcpStream};

/// The longest a single round of one variant may take before the run is abandoned.
const ROUND_LIMIT: Duration = Duration::from_secs(120);

struct Options {
    rounds: usize,
    requests: usize,
    concurrency: usize,
    /// `--slices S`: each round of each variant is sent in `S` parts, the variants taking
    /// turns after every part, so that a disturbance of the machine falls on all of them.
    slices: usize,
    /// `--only NAME[,NAME…]`: run just the server variants named (and the baseline), for
    /// example to profile one or to compare two side by side.
    only: Option<Vec<String>>,
    /// `--rate R`: offer `R` requests per second in all (each connection sends on its own
    /// clock, `concurrency / R` seconds apart) instead of sending the next request as
    /// soon as the answer is in.
    rate: Option<u64>,
}

/// What `--help` prints, and a missing command answers.
const USAGE: &str = "usage: api-bench server [--rounds R] [--requests N] [--concurrency C] \
[--slices S] [--only NAME[,NAME...]] [--rate RPS]
       api-bench client [--rounds R] [--requests N]

NAME is a variant's name or short name (as in the report), or part of a name.";

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|arg| arg == "--help" || arg == "-h") {
        println!("{USAGE}");
        return Ok(());
    }
    let Some((command, rest)) = args.split_first() else {
        bail!("{USAGE}");
    };
    let options = parse_options(rest)?;
    let report = match command.as_str() {
        "server" => server_bench(&options)?,
        "client" => client_bench(&options)?,
        other => bail!("unknown command `{other}`: expected `server` or `client`"),
    };
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}

fn parse_options(args: &[String]) -> Result<Options> {
    let mut options = Options {
        rounds: 5,
        requests: 20_000,
        concurrency: 16,
        slices: 10,
        only: None,
        rate: None,
    };
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let value = args
            .next()
            .with_context(|| format!("`{flag}` needs a value"))?;
        if flag == "--only" {
            options.only = Some(value.split(',').map(str::to_owned).collect());
            continue;
        }
        let number: usize = value
            .parse()
            .with_context(|| format!("`{flag} {value}`: not a whole number"))?;
        ensure!(number > 0, "`{flag}` must be at least 1");
        match flag.as_str() {
            "--rounds" => options.rounds = number,
            "--requests" => options.requests = number,
            "--concurrency" => options.concurrency = number,
            "--rate" => options.rate = Some(number as u64),
            "--slices" => options.slices = number,
            other => bail!("unknown option `{other}`"),
        }
    }
    Ok(options)
}

/// Starts a runtime with one worker thread on its own thread, serves every router on
/// its own 127.0.0.1 port, and returns the addresses in order.
fn serve(routers: Vec<axum::Router>) -> Result<Vec<SocketAddr>> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .on_thread_start(|| {
            if let Some(cpu) = PINNED.get().and_then(|cpus| cpus.server) {
                pin_current_thread(cpu);
            }
            if let Some(tid) = current_thread_id() {
                server_threads().lock().expect("the thread list").push(tid);
            }
        })
        .enable_all()
        .build()
        .context("cannot start the server runtime")?;
    let mut addresses = Vec::new();
    for router in routers {
        let listener = runtime
            .block_on(TcpListener::bind("127.0.0.1:0"))
            .context("cannot listen on 127.0.0.1")?;
        addresses.push(listener.local_addr()?);
        runtime.spawn(async move {
            if let Err(err) = axum::serve(listener, router).await {
                eprintln!("server stopped: {err}");
            }
        });
    }
    // The runtime lives until the process ends; its worker thread serves the routers.
    std::mem::forget(runtime);
    Ok(addresses)
}

/// The CPUs the server's worker thread and the load generator's thread are pinned to,
/// when the process may run on two or more: the two then never compete for one CPU or
/// migrate between CPUs mid-run, which narrows the spread of the figures.
#[derive(Clone, Copy, Debug)]
struct Pinned {
    server: Option<usize>,
    client: Option<usize>,
}

static PINNED: OnceLock<Pinned> = OnceLock::new();

/// Chooses the two CPUs (the first two the process may use) and pins the calling thread,
/// which drives the load, to the second.
fn pin_threads() -> Pinned {
    let allowed = allowed_cpus();
    let pinned = match allowed[..] {
        [server, client, ..] => Pinned {
            server: Some(server),
            client: pin_current_thread(client).then_some(client),
        },
        _ => Pinned {
            server: None,
            client: None,
        },
    };
    *PINNED.get_or_init(|| pinned)
}

/// The CPUs this process may run on, in order.
fn allowed_cpus() -> Vec<usize> {
    // SAFETY: `cpu_set_t` is plain data for which all zeroes is the empty set, and the
    // kernel writes at most `size_of::<cpu_set_t>()` bytes into it.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        if libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) != 0 {
            return Vec::new();
        }
        (0..libc::CPU_SETSIZE as usize)
            .filter(|&cpu| libc::CPU_ISSET(cpu, &set))
            .collect()
    }
}

/// Pins the calling thread to `cpu`; `false` when the kernel refuses.
fn pin_current_thread(cpu: usize) -> bool {
    // SAFETY: as in `allowed_cpus`; pid 0 is the calling thread.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu, &mut set);
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) == 0
    }
}

/// The ids of the server runtime's threads.
fn server_threads() -> &'static Mutex<Vec<String>> {
    static THREADS: OnceLock<Mutex<Vec<String>>> = OnceLock::new();
    THREADS.get_or_init(|| Mutex::new(Vec::new()))
}

/// The kernel's id of the calling thread, from `/proc/thread-self` (`PID/task/TID`).
fn current_thread_id() -> Option<String> {
    let link = std::fs::read_link("/proc/thread-self").ok()?;
    Some(link.file_name()?.to_str()?.to_string())
}

/// Nanoseconds the server runtime's threads have run on a CPU so far (the first field
/// of each thread's `schedstat`); `None` where `/proc` does not tell.
fn server_cpu_ns() -> Option<u64> {
    let threads = server_threads().lock().ok()?;
    if threads.is_empty() {
        return None;
    }
    let mut total = 0;
    for tid in threads.iter() {
        let text = std::fs::read_to_string(format!("/proc/self/task/{tid}/schedstat")).ok()?;
        total += text.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(total)
}

fn client_runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the client runtime")
}

// ---------------------------------------------------------------------------------
// Server overhead.

/// What one variant measured in one round, summed over its slices.
#[derive(Default)]
struct LoadRound {
    requests: usize,
    elapsed: Duration,
    /// Server CPU time over the slices, when `/proc` tells.
    server_cpu_ns: Option<u64>,
    latencies: Vec<u64>,
}

impl LoadRound {
    fn add(&mut self, slice: LoadRound) {
        if self.requests == 0 {
            self.server_cpu_ns = slice.server_cpu_ns;
        } else {
            self.server_cpu_ns = self
                .server_cpu_ns
                .zip(slice.server_cpu_ns)
                .map(|(a, b)| a + b);
        }
        self.requests += slice.requests;
        self.elapsed += slice.elapsed;
        self.latencies.extend(slice.latencies);
    }

    fn requests_per_second(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }

    /// Server CPU microseconds per request, or NaN.
    fn cpu_us_per_request(&self) -> f64 {
        self.server_cpu_ns
            .map_or(f64::NAN, |ns| ns as f64 / 1000.0 / self.requests as f64)
    }

    /// The `p`-th percentile of the latencies, once they are sorted.
    fn latency_us(&self, p: f64) -> f64 {
        percentile(&self.latencies, p).map_or(f64::NAN, |ns| ns as f64 / 1000.0)
    }
}

fn server_bench(options: &Options) -> Result<Value> {
    let body = Bytes::from(seeds::create_flink_jar_job_body()?);
    let variants: Vec<Variant> = Variant::ALL
        .into_iter()
        .enumerate()
        .filter(|(i, v)| {
            *i == 0
                || options.only.as_ref().is_none_or(|names| {
                    names.iter().any(|only| {
                        // A name given whole (or a short name, as in the report's JSON
                        // keys and the micro benchmarks) selects that variant alone;
                        // otherwise every variant whose name contains it.
                        let whole = |v: &Variant| v.name() == only || v.short_name() == only;
                        if Variant::ALL.iter().any(whole) {
                            whole(v)
                        } else {
                            v.name().contains(only.as_str())
                        }
                    })
                })
        })
        .map(|(_, v)| v)
        .collect();
    let pinned = pin_threads();
    let addresses = serve(variants.iter().map(|v| v.router()).collect())?;
    let runtime = client_runtime()?;
    runtime.block_on(async {
        for (variant, address) in variants.iter().zip(&addresses) {
            check_answer(*address, &body, variant.signed())
                .await
                .with_context(|| format!("{} answers wrongly", variant.name()))?;
            // Warm-up: connections, allocator, caches.
            load(
                *address,
                &body,
                variant.signed(),
                options.concurrency,
                options.requests / 10 + 1,
                options.rate,
            )
            .await?;
        }
        let slices = options.slices.min(options.requests);
        let mut rounds: Vec<Vec<LoadRound>> = variants.iter().map(|_| Vec::new()).collect();
        for round in 0..options.rounds {
            let mut measured: Vec<LoadRound> =
                variants.iter().map(|_| LoadRound::default()).collect();
            for slice in 0..slices {
                let requests =
                    options.requests / slices + usize::from(slice < options.requests % slices);
                for turn in 0..variants.len() {
                    let index = (round * slices + slice + turn) % variants.len();
                    let part = load(
                        addresses[index],
                        &body,
                        variants[index].signed(),
                        options.concurrency,
                        requests,
                        options.rate,
                    )
                    .await
                    .with_context(|| format!("{}, round {}", variants[index].name(), round + 1))?;
                    measured[index].add(part);
                }
            }
            for (all, one) in rounds.iter_mut().zip(measured) {
                all.push(one);
            }
        }
        for measured in rounds.iter_mut().flatten() {
            measured.latencies.sort_unstable();
        }
        let rps_of = |index: usize| -> Vec<f64> {
            rounds[index]
                .iter()
                .map(LoadRound::requests_per_second)
                .collect()
        };
        let cpu_of = |index: usize| -> Vec<f64> {
            rounds[index]
                .iter()
                .map(LoadRound::cpu_us_per_request)
                .collect()
        };
        // Ratios per round against the baseline (and, for the signed variant, against the
        // same router unsigned); CPU ratios are baseline CPU / variant CPU, so that for
        // both figures higher is better and 1.0 is parity.
        let ratios = |index: usize, base: usize| {
            let throughput: Vec<f64> = rps_of(index)
                .iter()
                .zip(rps_of(base))
                .map(|(v, b)| v / b)
                .collect();
            let cpu: Vec<f64> = cpu_of(index)
                .iter()
                .zip(cpu_of(base))
                .map(|(v, b)| b / v)
                .collect();
            (Summary::of(&throughput), Summary::of(&cpu))
        };
        let generated = variants.iter().position(|v| *v == Variant::Generated);
        let mut results = Vec::new();
        for (index, variant) in variants.iter().enumerate() {
            let (throughput_ratio, cpu_ratio) = ratios(index, 0);
            let p50: Vec<f64> = rounds[index].iter().map(|r| r.latency_us(50.0)).collect();
            let p99: Vec<f64> = rounds[index].iter().map(|r| r.latency_us(99.0)).collect();
            let mut result = json!({
                "variant": variant.name(),
                "requests_per_second": Summary::of(&rps_of(index)),
                "server_cpu_us_per_request": Summary::of(&cpu_of(index)),
                "p50_us": Summary::of(&p50),
                "p99_us": Summary::of(&p99),
                "throughput_ratio": throughput_ratio,
                "cpu_ratio": cpu_ratio,
            });
            if let (true, Some(generated)) = (variant.signed(), generated) {
                let (throughput, cpu) = ratios(index, generated);
                result["vs_generated"] = json!({"throughput_ratio": throughput, "cpu_ratio": cpu});
            }
            results.push(result);
        }
        Ok(json!({
            "rounds": options.rounds,
            "requests": options.requests,
            "concurrency": options.concurrency,
            "rate": options.rate,
            "slices": slices,
            "pinned_cpus": {"server": pinned.server, "load": pinned.client},
            "request_bytes": body.len(),
            "variants": results,
        }))
    })
}

/// Sends one request and checks the answer is the seed response.
async fn check_answer(address: SocketAddr, body: &Bytes, signed: bool) -> Result<()> {
    let stream = TcpStream::connect(address).await?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .context("HTTP handshake")?;
    tokio::spawn(connection);
    let extra = signature_headers(address, body, signed)?;
    let response = sender.send_request(request(address, body, &extra)?).await?;
    let status = response.status();
    let bytes = response.into_body().collect().await?.to_bytes();
    ensure!(
        status == StatusCode::OK,
        "status {status}: {}",
        String::from_utf8_lossy(&bytes)
    );
    let answer: plain::FlinkJarJobCreateResponse =
        serde_json::from_slice(&bytes).context("the answer is not the seed response")?;
    ensure!(
        answer == plain::create_flink_jar_job_response(),
        "unexpected answer {answer:?}"
    );
    Ok(())
}

fn request(
    address: SocketAddr,
    body: &Bytes,
    extra: &[(String, String)],
) -> Result<Request<Full<Bytes>>> {
    let mut builder = Request::builder()
        .method(Method::POST)
        .uri(seeds::CREATE_FLINK_JAR_JOB_PATH)
        .header(HOST, address.to_string())
        .header(CONTENT_TYPE, "application/json");
    for (name, value) in extra {
        builder = builder.header(name, value);
    }
    Ok(builder.body(Full::new(body.clone()))?)
}

/// The `X-Sdk-Date` and `Authorization` headers of the benchmark request, signed now, or
/// none. One signature serves a whole round: it stays valid for the verifier's window.
fn signature_headers(
    address: SocketAddr,
    body: &Bytes,
    signed: bool,
) -> Result<Vec<(String, String)>> {
    if !signed {
        return Ok(Vec::new());
    }
    let request = SigningRequest::new(
        "POST",
        address.to_string(),
        seeds::CREATE_FLINK_JAR_JOB_PATH,
        SdkDate::now()?,
    )
    .header("Content-Type", "application/json")
    .body(body);
    let signed = apig_signer::sign(&Credentials::new(ACCESS_KEY, SECRET_KEY), &request)?;
    Ok(signed
        .headers
        .into_iter()
        .filter(|(name, _)| {
            !name.eq_ignore_ascii_case("host") && !name.eq_ignore_ascii_case("content-type")
        })
        .collect())
}

/// `total` requests over `concurrency` keep-alive connections; every answer must be 200.
async fn load(
    address: SocketAddr,
    body: &Bytes,
    signed: bool,
    concurrency: usize,
    total: usize,
    rate: Option<u64>,
) -> Result<LoadRound> {
    // Each connection's own clock; a tick missed because an answer was late is not
    // made up, so the offered load never exceeds the rate.
    let period = rate.map(|rate| Duration::from_secs_f64(concurrency as f64 / rate as f64));
    let extra = Arc::new(signature_headers(address, body, signed)?);
    let issued = Arc::new(AtomicUsize::new(0));
    let cpu_before = server_cpu_ns();
    let started = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        let issued = Arc::clone(&issued);
        let body = body.clone();
        let extra = Arc::clone(&extra);
        workers.spawn(async move {
            let stream = TcpStream::connect(address).await?;
            stream.set_nodelay(true)?;
            let (mut sender, connection) =
                hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
            tokio::spawn(connection);
            let mut latencies = Vec::new();
            let mut clock = period.map(|period| {
                let mut clock = tokio::time::interval(period);
                clock.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                clock
            });
            while issued.fetch_add(1, Ordering::Relaxed) < total {
                if let Some(clock) = &mut clock {
                    clock.tick().await;
                }
                let sent = Instant::now();
                sender.ready().await?;
                let response = sender
                    .send_request(request(address, &body, &extra)?)
                    .await?;
                let status = response.status();
                response.into_body().collect().await?;
                ensure!(status == StatusCode::OK, "status {status}");
                latencies.push(sent.elapsed().as_nanos() as u64);
            }
            anyhow::Ok(latencies)
        });
    }
    let mut latencies = Vec::with_capacity(total);
    let collected = tokio::time::timeout(ROUND_LIMIT, async {
        while let Some(worker) = workers.join_next().await {
            latencies.extend(worker.context("a load worker panicked")??);
        }
        anyhow::Ok(())
    })
    .await;
    match collected {
        Ok(result) => result?,
        Err(_) => bail!("the round took longer than {ROUND_LIMIT:?}"),
    }
    let elapsed = started.elapsed();
    let server_cpu_ns = cpu_before
        .zip(server_cpu_ns())
        .map(|(before, after)| after.saturating_sub(before));
    Ok(LoadRound {
        requests: latencies.len(),
        elapsed,
        server_cpu_ns,
        latencies,
    })
}

// ---------------------------------------------------------------------------------
// Client overhead.

/// The two clients compared, with or without signing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ClientVariant {
    Generated,
    Reqwest,
    GeneratedSigned,
    ReqwestSigned,
}

impl ClientVariant {
    const ALL: [ClientVariant; 4] = [
        ClientVariant::Reqwest,
        ClientVariant::Generated,
        ClientVariant::ReqwestSigned,
        ClientVariant::GeneratedSigned,
    ];

    fn name(self) -> &'static str {
        match self {
            ClientVariant::Generated => "generated client",
            ClientVariant::Reqwest => "bare reqwest",
            ClientVariant::GeneratedSigned => "generated client, AK/SK",
            ClientVariant::ReqwestSigned => "bare reqwest + apig_signer, AK/SK",
        }
    }

    /// The variant this one is compared with.
    fn baseline(self) -> ClientVariant {
        match self {
            ClientVariant::Generated | ClientVariant::Reqwest => ClientVariant::Reqwest,
            ClientVariant::GeneratedSigned | ClientVariant::ReqwestSigned => {
                ClientVariant::ReqwestSigned
            }
        }
    }
}

struct Clients {
    url: String,
    host: String,
    generated: Client,
    generated_signed: Client,
    bare: reqwest::Client,
    credentials: Credentials,
    typed_body: types::FlinkJarJobCreateRequest,
    plain_body: plain::FlinkJarJobCreateRequest,
}

impl Clients {
    async fn call(&self, variant: ClientVariant) -> Result<()> {
        match variant {
            ClientVariant::Generated => self.call_generated(&self.generated).await,
            ClientVariant::GeneratedSigned => self.call_generated(&self.generated_signed).await,
            ClientVariant::Reqwest => self.call_bare(false).await,
            ClientVariant::ReqwestSigned => self.call_bare(true).await,
        }
    }

    async fn call_generated(&self, client: &Client) -> Result<()> {
        let answer = client
            .create_flink_jar_job(&self.typed_body)
            .await
            .map_err(|err| anyhow::anyhow!("generated client: {err}"))?;
        ensure!(answer.body.job.map(|job| job.job_id) == Some(138));
        Ok(())
    }

    /// The same request as the generated client sends, by hand.
    async fn call_bare(&self, signed: bool) -> Result<()> {
        let body = serde_json::to_vec(&self.plain_body)?;
        let mut headers = vec![
            ("Content-Type".to_string(), "application/json".to_string()),
            ("X-Project-Id".to_string(), seeds::PROJECT_ID.to_string()),
            (
                "User-Agent".to_string(),
                "huaweicloud-api-client/0.1.0".to_string(),
            ),
        ];
        if signed {
            let date = SdkDate::now()?;
            let mut request = SigningRequest::new(
                "POST",
                self.host.clone(),
                seeds::CREATE_FLINK_JAR_JOB_PATH,
                date,
            )
            .body(&body);
            for (name, value) in &headers {
                request = request.header(name.clone(), value.clone());
            }
            let signed = apig_signer::sign(&self.credentials, &request)?;
            headers = signed
                .headers
                .into_iter()
                .filter(|(name, _)| !name.eq_ignore_ascii_case("host"))
                .collect();
        }
        let mut request = self.bare.post(&self.url).body(body);
        for (name, value) in headers {
            request = request.header(name, value);
        }
        let response = request.send().await?;
        ensure!(
            response.status() == StatusCode::OK,
            "status {}",
            response.status()
        );
        let bytes = response.bytes().await?;
        let answer: plain::FlinkJarJobCreateResponse = serde_json::from_slice(&bytes)?;
        ensure!(answer.job.map(|job| job.job_id) == Some(138));
        Ok(())
    }
}

fn client_bench(options: &Options) -> Result<Value> {
    let addresses = serve(vec![Variant::HandWritten.router()])?;
    let address = addresses[0];
    let base = format!("http://{address}");
    let seed = seeds::create_flink_jar_job_body()?;
    let typed_body: types::FlinkJarJobCreateRequest = serde_json::from_slice(&seed)?;
    let plain_body: plain::FlinkJarJobCreateRequest = serde_json::from_slice(&seed)?;
    ensure!(
        serde_json::to_vec(&typed_body)? == serde_json::to_vec(&plain_body)?,
        "the generated and the plain request types serialise the seed body differently"
    );
    let build = |credentials: Option<Credentials>| -> Result<Client> {
        Ok(Client::builder()
            .region("bench-1")
            .project_id(seeds::PROJECT_ID)
            .endpoint(Service::Dli, base.clone())
            .endpoint(Service::FunctionGraph, base.clone())
            .config(|config| match credentials {
                Some(credentials) => config.credentials(credentials),
                None => config,
            })
            .build()?)
    };
    let credentials = Credentials::new(ACCESS_KEY, SECRET_KEY);
    let clients = Clients {
        url: format!("{base}{}", seeds::CREATE_FLINK_JAR_JOB_PATH),
        host: address.to_string(),
        generated: build(None)?,
        generated_signed: build(Some(credentials.clone()))?,
        // After the generated clients: building those installs the `ring` provider that
        // reqwest's rustls defaults need (docs/CLIENT.md).
        bare: reqwest::Client::builder().build()?,
        credentials,
        typed_body,
        plain_body,
    };
    let runtime = client_runtime()?;
    runtime.block_on(async {
        let variants = ClientVariant::ALL;
        for variant in variants {
            for _ in 0..options.requests / 10 + 1 {
                clients
                    .call(variant)
                    .await
                    .with_context(|| format!("warming up {}", variant.name()))?;
            }
        }
        let mut per_request: Vec<Vec<f64>> = variants.iter().map(|_| Vec::new()).collect();
        for round in 0..options.rounds {
            for turn in 0..variants.len() {
                let index = (round + turn) % variants.len();
                let started = Instant::now();
                tokio::time::timeout(ROUND_LIMIT, async {
                    for _ in 0..options.requests {
                        clients.call(variants[index]).await?;
                    }
                    anyhow::Ok(())
                })
                .await
                .map_err(|_| anyhow::anyhow!("the round took longer than {ROUND_LIMIT:?}"))??;
                per_request[index]
                    .push(started.elapsed().as_secs_f64() * 1e6 / options.requests as f64);
            }
        }
        let results: Vec<Value> = variants
            .iter()
            .enumerate()
            .map(|(index, variant)| {
                let baseline = variants
                    .iter()
                    .position(|v| *v == variant.baseline())
                    .expect("every baseline is a variant");
                let ratio: Vec<f64> = per_request[index]
                    .iter()
                    .zip(&per_request[baseline])
                    .map(|(v, b)| v / b)
                    .collect();
                json!({
                    "variant": variant.name(),
                    "baseline": variant.baseline().name(),
                    "us_per_request": Summary::of(&per_request[index]),
                    "time_ratio": Summary::of(&ratio),
                })
            })
            .collect();
        Ok(json!({
            "rounds": options.rounds,
            "requests": options.requests,
            "variants": results,
        }))
    })
}
