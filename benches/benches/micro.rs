//! Criterion micro-benchmarks: AK/SK signing of one request, and decoding the spec's
//! response examples into the generated types against plain derived serde structs.
//!
//! Run through `cargo xtask bench`, which reads the estimates criterion writes under
//! `target/criterion/`, or alone with `cargo bench -p api-benches --bench micro`.

use std::hint::black_box;

use api_benches::{plain, seeds};
use apig_signer::{sign, Credentials, SdkDate, SigningRequest};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use huaweicloud_api_client::types;
use serde::de::DeserializeOwned;

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

criterion_group!(micro, signing, decoding);
criterion_main!(micro);
