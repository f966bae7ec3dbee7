//! Criterion micro-benchmarks: AK/SK signing of one request, verifying it (the signer's
//! `verify` alone, and the server's signature layer in front of a router that answers at
//! once, against the same router without it), and decoding the spec's response examples
//! into the generated types against plain derived serde structs.
//!
//! Run through `cargo xtask bench`, which reads the estimates criterion writes under
//! `target/criterion/`, or alone with `cargo bench -p api-benches --bench micro`.

use std::hint::black_box;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use api_benches::servers::{self, Variant};
use api_benches::{plain, seeds};
use apig_signer::{
    sign, verify_keyed, Credentials, ReceivedRequest, SdkDate, SigningKey, SigningRequest,
    VerifyOptions,
};
use axum::body::Body;
use axum::http::Request;
use axum::routing::post;
use axum::Router;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use huaweicloud_api_client::types;
use huaweicloud_api_server::runtime::{SignatureLayer, StaticKeys};
use huaweicloud_api_server::DLI_ERRORS;
use serde::de::DeserializeOwned;
use tower::ServiceExt;

fn signing(c: &mut Criterion) {
    let body = seeds::create_flink_jar_job_body().expect("the embedded spec has the seed body");
    let credentials = Credentials::new(
        "AK_EXAMPLE_0123456789",
        "SK_EXAMPLE_abcdefghijklmnopqrstuvwxyz",
    );
    let date = SdkDate::parse("20240101T000000Z").expect("a valid SDK date");
    let mut group = c.benchmark_group("sign");
    group.bench_function("create_flink_jar_job", |b| {
        b.iter(|| {
            let request = SigningRequest::new(
                "POST",
                "dli.cn-north-4.myhuaweicloud.com",
                seeds::CREATE_FLINK_JAR_JOB_PATH,
                date,
            )
            .header("Content-Type", "application/json")
            .header("X-Project-Id", seeds::PROJECT_ID)
            .header("User-Agent", "huaweicloud-api-client/0.1.0")
            .body(black_box(&body));
            sign(black_box(&credentials), &request).expect("signing a valid request")
        })
    });
    group.bench_function("empty_body_get", |b| {
        b.iter(|| {
            let request = SigningRequest::new(
                "GET",
                "dli.cn-north-4.myhuaweicloud.com",
                seeds::CREATE_FLINK_JAR_JOB_PATH,
                date,
            )
            .query("limit", "10")
            .header("X-Project-Id", seeds::PROJECT_ID);
            sign(black_box(&credentials), &request).expect("signing a valid request")
        })
    });
    group.finish();
}

/// Decodes one example into `T`, as the generated client's types or the plain twins.
type Decoder = fn(&[u8]) -> bool;

fn with_serde<T: DeserializeOwned>(bytes: &[u8]) -> bool {
    serde_json::from_slice::<T>(bytes).map(black_box).is_ok()
}

/// The path the generated client takes: `serde_path_to_error` around the same decoder.
fn with_path<T: DeserializeOwned>(bytes: &[u8]) -> bool {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize::<_, T>(&mut deserializer)
        .map(black_box)
        .is_ok()
}

/// The generated type, the same through `serde_path_to_error`, and the plain type of a
/// response example.
fn decoders(operation_id: &str, status: u16) -> Option<[Decoder; 3]> {
    if status >= 400 {
        return Some([
            with_serde::<types::ErrorResponse>,
            with_path::<types::ErrorResponse>,
            with_serde::<plain::ErrorResponse>,
        ]);
    }
    Some(match operation_id {
        "RunIefJobActionCallBack" | "ChangeFlinkJobStatusReport" => [
            with_serde::<types::EdgeOperationResponse>,
            with_path::<types::EdgeOperationResponse>,
            with_serde::<plain::EdgeOperationResponse>,
        ],
        "CreateFlinkJarJob" => [
            with_serde::<types::FlinkJarJobCreateResponse>,
            with_path::<types::FlinkJarJobCreateResponse>,
            with_serde::<plain::FlinkJarJobCreateResponse>,
        ],
        "UpdateFlinkJarJob" => [
            with_serde::<types::FlinkJarJobUpdateResponse>,
            with_path::<types::FlinkJarJobUpdateResponse>,
            with_serde::<plain::FlinkJarJobUpdateResponse>,
        ],
        "CreateCallbackWorkflow" => [
            with_serde::<types::WorkflowCallbackResponse>,
            with_path::<types::WorkflowCallbackResponse>,
            with_serde::<plain::WorkflowCallbackResponse>,
        ],
        _ => return None,
    })
}

fn decoding(c: &mut Criterion) {
    let examples = seeds::seed_responses().expect("the embedded spec has response examples");
    let cases: Vec<(&[u8], [Decoder; 3])> = examples
        .iter()
        .map(|example| {
            let decoders = decoders(&example.operation_id, example.status).unwrap_or_else(|| {
                panic!("no decoder for {} {}", example.operation_id, example.status)
            });
            for decode in decoders {
                assert!(
                    decode(&example.json),
                    "{} {} example `{}` does not decode",
                    example.operation_id,
                    example.status,
                    example.name
                );
            }
            (example.json.as_slice(), decoders)
        })
        .collect();
    let bytes: usize = cases.iter().map(|(json, _)| json.len()).sum();
    let mut group = c.benchmark_group("decode");
    group.throughput(Throughput::Bytes(bytes as u64));
    for (index, name) in ["generated", "generated_path_to_error", "plain"]
        .into_iter()
        .enumerate()
    {
        group.bench_function(name, |b| {
            b.iter(|| {
                for (json, decoders) in &cases {
                    black_box(decoders[index](black_box(json)));
                }
            })
        });
    }
    group.finish();
}

const HOST: &str = "127.0.0.1:8080";
const ACCESS_KEY: &str = "AK_EXAMPLE_0123456789";
const SECRET_KEY: &str = "SK_EXAMPLE_abcdefghijklmnopqrstuvwxyz";

/// The seed `CreateFlinkJarJob` request as the load benchmark sends it: its body, and the
/// headers the signer adds (with `Content-Type` and `Host`).
fn signed_seed_request() -> (Vec<u8>, Vec<(String, String)>, SdkDate) {
    let body = seeds::create_flink_jar_job_body().expect("the embedded spec has the seed body");
    let date = SdkDate::now().expect("the clock is within the SDK date range");
    let request = SigningRequest::new("POST", HOST, seeds::CREATE_FLINK_JAR_JOB_PATH, date)
        .header("Content-Type", "application/json")
        .body(&body);
    let signed = sign(&Credentials::new(ACCESS_KEY, SECRET_KEY), &request).expect("signs");
    (body, signed.headers, date)
}

fn verification(c: &mut Criterion) {
    let (body, headers, date) = signed_seed_request();
    let mut group = c.benchmark_group("verify");
    let raw: Vec<(&str, &[u8])> = headers
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_bytes()))
        .collect();
    let now = date.to_system_time() + Duration::from_secs(1);
    let options = VerifyOptions::default();
    // As a server's key store holds it: keyed once.
    let key = SigningKey::new(&SECRET_KEY.into());
    group.bench_function("create_flink_jar_job", |b| {
        b.iter(|| {
            let received = ReceivedRequest {
                method: "POST",
                host: None,
                path: seeds::CREATE_FLINK_JAR_JOB_PATH,
                query: "",
                headers: black_box(&raw),
                body: black_box(&body),
            };
            verify_keyed(&received, now, &options, |_| Some(key.clone())).expect("verifies")
        })
    });

    // The same check one at a time, after nothing and after a loopback TCP exchange of the
    // request's size: a server runs the kernel's network path between two checks, which
    // leaves the check's code, data and branch history colder than a tight loop does.
    // Both time each call alone, so that the ratio of the two is the price of the cold.
    let (mut sender, mut receiver) = loopback_pair();
    let exchanged = vec![b'x'; body.len() + 256];
    let mut scratch = vec![0; exchanged.len()];
    for (name, exchange) in [
        ("create_flink_jar_job_one_by_one", false),
        ("create_flink_jar_job_after_io", true),
    ] {
        group.bench_function(name, |b| {
            b.iter_batched(
                || {
                    if exchange {
                        sender.write_all(&exchanged).expect("a loopback write");
                        receiver.read_exact(&mut scratch).expect("a loopback read");
                    }
                },
                |()| {
                    let received = ReceivedRequest {
                        method: "POST",
                        host: None,
                        path: seeds::CREATE_FLINK_JAR_JOB_PATH,
                        query: "",
                        headers: black_box(&raw),
                        body: black_box(&body),
                    };
                    verify_keyed(&received, now, &options, |_| Some(key.clone())).expect("verifies")
                },
                criterion::BatchSize::PerIteration,
            )
        });
    }

    // The layer in front of a route that answers at once, so that the difference between
    // the two is what the layer costs a request (reading the body included).
    let route = || {
        Router::new().route(
            "/v1.0/{project_id}/streaming/flink-jobs",
            post(|| async { "ok" }),
        )
    };
    let keys = StaticKeys::new([(ACCESS_KEY, SECRET_KEY)]);
    let signed = route().layer(SignatureLayer::new(&DLI_ERRORS).secret_keys(keys));
    let unsigned = route();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a current-thread runtime");
    let request = |with_signature: bool| {
        let mut builder = Request::post(seeds::CREATE_FLINK_JAR_JOB_PATH);
        for (name, value) in &headers {
            if with_signature
                || name.eq_ignore_ascii_case("host")
                || name.eq_ignore_ascii_case("content-type")
            {
                builder = builder.header(name, value);
            }
        }
        builder
            .body(Body::from(body.clone()))
            .expect("a valid request")
    };
    for (name, router, with_signature) in [
        ("layer_signed", &signed, true),
        ("layer_absent", &unsigned, false),
    ] {
        group.bench_function(name, |b| {
            b.iter_batched(
                || request(with_signature),
                |request| {
                    let response = runtime
                        .block_on(router.clone().oneshot(request))
                        .expect("infallible");
                    assert!(response.status().is_success(), "{:?}", response.status());
                    response
                },
                criterion::BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

/// Two connected TCP sockets on 127.0.0.1 (an ephemeral port), without Nagle's delay.
fn loopback_pair() -> (TcpStream, TcpStream) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback listener");
    let sender =
        TcpStream::connect(listener.local_addr().expect("an address")).expect("a connection");
    let (receiver, _) = listener.accept().expect("an accepted connection");
    sender.set_nodelay(true).expect("TCP_NODELAY");
    (sender, receiver)
}

/// Every server variant of the load benchmark answering the seed `CreateFlinkJarJob`
/// request in process (`oneshot`, no sockets): what each stack costs a request apart from
/// HTTP parsing and the kernel, and a cleaner target for `perf` than the load benchmark.
fn routers(c: &mut Criterion) {
    let body = seeds::create_flink_jar_job_body().expect("the embedded spec has the seed body");
    let date = SdkDate::now().expect("the clock is in range");
    let request = SigningRequest::new("POST", HOST, seeds::CREATE_FLINK_JAR_JOB_PATH, date)
        .header("Content-Type", "application/json")
        .body(&body);
    let credentials = Credentials::new(servers::ACCESS_KEY, servers::SECRET_KEY);
    let signed = sign(&credentials, &request).expect("signs");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a current-thread runtime");
    let mut group = c.benchmark_group("router");
    for variant in Variant::ALL {
        let router = variant.router();
        let request = || {
            let mut builder = Request::post(seeds::CREATE_FLINK_JAR_JOB_PATH);
            for (name, value) in &signed.headers {
                if variant.signed()
                    || name.eq_ignore_ascii_case("host")
                    || name.eq_ignore_ascii_case("content-type")
                {
                    builder = builder.header(name, value);
                }
            }
            builder
                .body(Body::from(body.clone()))
                .expect("a valid request")
        };
        group.bench_function(variant.short_name(), |b| {
            b.iter_batched(
                request,
                |request| {
                    let response = runtime
                        .block_on(router.clone().oneshot(request))
                        .expect("infallible");
                    assert!(response.status().is_success(), "{:?}", response.status());
                    response
                },
                criterion::BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

/// Every server variant behind hyper's HTTP/1.1 server on an in-memory connection
/// (`tokio::io::duplex`), driven by hyper's client over one keep-alive connection: the
/// request head is parsed and the body arrives as hyper's own body type, as over
/// loopback, but without the kernel. Set beside `router/*`, it tells whether a cost seen
/// over loopback is in the stack or in the sockets.
fn connections(c: &mut Criterion) {
    use http_body_util::BodyExt;
    use hyper_util::rt::TokioIo;

    let body = axum::body::Bytes::from(
        seeds::create_flink_jar_job_body().expect("the embedded spec has the seed body"),
    );
    let date = SdkDate::now().expect("the clock is in range");
    let request = SigningRequest::new("POST", HOST, seeds::CREATE_FLINK_JAR_JOB_PATH, date)
        .header("Content-Type", "application/json")
        .body(&body);
    let credentials = Credentials::new(servers::ACCESS_KEY, servers::SECRET_KEY);
    let signed = sign(&credentials, &request).expect("signs");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a current-thread runtime");
    let mut group = c.benchmark_group("conn");
    for variant in Variant::ALL {
        let (client_io, server_io) = tokio::io::duplex(256 * 1024);
        let service = hyper_util::service::TowerToHyperService::new(variant.router());
        runtime.spawn(
            hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(server_io), service),
        );
        let mut sender = runtime.block_on(async {
            let (sender, connection) =
                hyper::client::conn::http1::handshake(TokioIo::new(client_io))
                    .await
                    .expect("an in-memory handshake");
            tokio::spawn(connection);
            sender
        });
        let headers: Vec<(String, String)> = signed
            .headers
            .iter()
            .filter(|(name, _)| {
                variant.signed()
                    || name.eq_ignore_ascii_case("host")
                    || name.eq_ignore_ascii_case("content-type")
            })
            .cloned()
            .collect();
        group.bench_function(variant.short_name(), |b| {
            b.iter(|| {
                let mut builder = Request::post(seeds::CREATE_FLINK_JAR_JOB_PATH);
                for (name, value) in &headers {
                    builder = builder.header(name, value);
                }
                let request = builder
                    .body(http_body_util::Full::new(body.clone()))
                    .expect("a valid request");
                runtime.block_on(async {
                    let response = sender.send_request(request).await.expect("an answer");
                    assert!(response.status().is_success(), "{:?}", response.status());
                    response.into_body().collect().await.expect("the body")
                })
            })
        });
    }
    group.finish();
}

criterion_group!(micro, signing, verification, decoding, routers, connections);
criterion_main!(micro);
