//! `api-bench` itself, run briefly: every server variant and every client variant must
//! answer, so that `cargo xtask bench` cannot rot unnoticed between full runs. Loopback
//! only; the counts are tiny and no timing is asserted.

use std::process::Command;

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
    assert_eq!(names.len(), 5, "{names:?}");
    assert!(names.iter().any(|n| n.contains("signature")), "{names:?}");
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
