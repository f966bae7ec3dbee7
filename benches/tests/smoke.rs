//! `api-bench` itself, run briefly: every server variant and every client variant must
//! answer, so that `cargo xtask bench` cannot rot unnoticed between full runs. Loopback
//! only; the counts are tiny and no timing is asserted.

use std::process::Command;

use api_benches::servers::Variant;

fn run(args: &[&str]) -> serde_json::Value {
    let output = Command::new(env!("CARGO_BIN_EXE_api-bench"))
        .args(args)
        .output()
        .expect("api-bench starts");
    assert!(
        output.status.success(),
        "api-bench {args:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("api-bench prints one JSON document")
}

fn variants(report: &serde_json::Value) -> Vec<String> {
    report["variants"]
        .as_array()
        .expect("a list of variants")
        .iter()
        .map(|variant| variant["variant"].as_str().expect("a name").to_string())
        .collect()
}

#[test]
fn every_server_variant_answers() {
    let report = run(&[
        "server",
        "--rounds",
        "1",
        "--requests",
        "64",
        "--concurrency",
        "2",
        "--slices",
        "1",
    ]);
    let names = variants(&report);
    let expected: Vec<&str> = Variant::ALL.iter().map(|v| v.name()).collect();
    assert_eq!(names, expected);
    assert!(names.iter().any(|n| n.contains("signature")), "{names:?}");
}

#[test]
fn every_server_variant_has_its_allocations_counted() {
    let output = Command::new(env!("CARGO_BIN_EXE_alloc-count"))
        .output()
        .expect("alloc-count starts");
    assert!(
        output.status.success(),
        "alloc-count failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("alloc-count prints one JSON document");
    let names = variants(&report);
    let expected: Vec<&str> = Variant::ALL.iter().map(|v| v.name()).collect();
    assert_eq!(names, expected);
    let allocations = |name: &str| {
        report["variants"]
            .as_array()
            .expect("variants")
            .iter()
            .find(|v| v["variant"] == name)
            .and_then(|v| v["allocations"].as_f64())
            .expect("an allocation count")
    };
    // Every stack allocates per request, and checking a signature costs allocations of
    // its own (the caller, the body handed on).
    for name in &expected {
        assert!(allocations(name) > 0.0, "{name}");
    }
    assert!(allocations(Variant::GeneratedSigned.name()) > allocations(Variant::Generated.name()));
}

#[test]
fn every_client_variant_answers() {
    let report = run(&["client", "--rounds", "1", "--requests", "8"]);
    let names = variants(&report);
    assert_eq!(names.len(), 4, "{names:?}");
    for variant in report["variants"].as_array().expect("variants") {
        let median = variant["us_per_request"]["median"]
            .as_f64()
            .expect("a time");
        assert!(median > 0.0, "{variant}");
    }
}
