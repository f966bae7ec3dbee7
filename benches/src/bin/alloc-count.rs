//! `alloc-count`: heap allocations per request of every server variant of the load
//! benchmark, answering the seed `CreateFlinkJarJob` request in process (`oneshot`, as
//! `router/*` in `benches/benches/micro.rs`). Counts, unlike times, do not depend on the
//! machine or its load, so they tell a change in a stack's work apart from noise.
//!
//! Prints JSON: per variant the allocations (and reallocations) and the bytes asked for per
//! request, and how many of those allocations were of 1 KiB or more (glibc serves those
//! outside its per-thread cache). Building the request and reading the answer's body are
//! left out.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, Result};
use api_benches::seeds;
use api_benches::servers::{self, Variant};
use apig_signer::{sign, Credentials, SdkDate, SigningRequest};
use axum::body::Body;
use axum::http::Request;
use serde_json::json;
use tower::ServiceExt;

/// The system allocator, counting.
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
static BYTES: AtomicUsize = AtomicUsize::new(0);
static LARGE: AtomicUsize = AtomicUsize::new(0);

/// What glibc's per-thread cache serves at most; larger blocks take its slower paths.
const LARGE_BYTES: usize = 1024;

fn count(size: usize) {
    ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    BYTES.fetch_add(size, Ordering::Relaxed);
    if size >= LARGE_BYTES {
        LARGE.fetch_add(1, Ordering::Relaxed);
    }
}

// SAFETY: every call is forwarded to `System` unchanged; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: the caller's contract is passed on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: the caller's contract is passed on.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract is passed on.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size);
        // SAFETY: the caller's contract is passed on.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The counters now: allocations, bytes, large allocations.
fn counters() -> [usize; 3] {
    [&ALLOCATIONS, &BYTES, &LARGE].map(|counter| counter.load(Ordering::Relaxed))
}

/// Requests measured per variant (after as many unmeasured ones).
const REQUESTS: usize = 1000;

fn main() -> Result<()> {
    match std::env::args().nth(1).as_deref() {
        None => {}
        Some("--help" | "-h") => {
            println!("usage: alloc-count\n\nTakes no options; prints one JSON document.");
            return Ok(());
        }
        Some(other) => anyhow::bail!("unknown argument `{other}`: alloc-count takes no options"),
    }
    let body = seeds::create_flink_jar_job_body()?;
    let host = "127.0.0.1:8080";
    let request = SigningRequest::new(
        "POST",
        host,
        seeds::CREATE_FLINK_JAR_JOB_PATH,
        SdkDate::now()?,
    )
    .header("Content-Type", "application/json")
    .body(&body);
    let signed = sign(
        &Credentials::new(servers::ACCESS_KEY, servers::SECRET_KEY),
        &request,
    )?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .context("a current-thread runtime")?;
    let mut results = Vec::new();
    for variant in Variant::ALL {
        let router = variant.router();
        let request = || -> Result<Request<Body>> {
            let mut builder = Request::post(seeds::CREATE_FLINK_JAR_JOB_PATH);
            for (name, value) in &signed.headers {
                if variant.signed()
                    || name.eq_ignore_ascii_case("host")
                    || name.eq_ignore_ascii_case("content-type")
                {
                    builder = builder.header(name, value);
                }
            }
            Ok(builder.body(Body::from(body.clone()))?)
        };
        let mut measured = [0usize; 3];
        for round in 0..2 * REQUESTS {
            let request = request()?;
            let before = counters();
            let response = runtime.block_on(router.clone().oneshot(request))?;
            let after = counters();
            anyhow::ensure!(
                response.status().is_success(),
                "{} answered {}",
                variant.name(),
                response.status()
            );
            drop(response);
            if round >= REQUESTS {
                for (sum, (a, b)) in measured.iter_mut().zip(after.iter().zip(before)) {
                    *sum += a - b;
                }
            }
        }
        let per_request = |total: usize| total as f64 / REQUESTS as f64;
        results.push(json!({
            "variant": variant.name(),
            "allocations": per_request(measured[0]),
            "bytes": per_request(measured[1]),
            "large": per_request(measured[2]),
        }));
    }
    println!(
        "{}",
        serde_json::to_string_pretty(&json!({ "requests": REQUESTS, "variants": results }))?
    );
    Ok(())
}
