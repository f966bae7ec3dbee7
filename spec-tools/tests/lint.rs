//! Tests of `cargo xtask lint`: one fixture per rule under `tests/lint-fixtures/` that
//! triggers exactly that rule, the real spec is clean, and the command's output and exit
//! status.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

use spec_model::{Diagnostic, Severity};
use spec_tools::lint::{check, RULES};

fn fixture(name: &str) -> PathBuf {
    spec_tools::project_root()
        .join("spec-tools/tests/lint-fixtures")
        .join(format!("{name}.yaml"))
}

fn findings(name: &str) -> Vec<Diagnostic> {
    check(&fixture(name)).unwrap_or_else(|err| panic!("fixture {name} cannot be linted: {err:#}"))
}

fn rules_of(findings: &[Diagnostic]) -> BTreeSet<&'static str> {
    findings.iter().map(|f| f.rule).collect()
}

fn spec_tools(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_spec-tools"))
        .args(args)
        .current_dir(spec_tools::project_root())
        .output()
        .expect("the spec-tools binary runs");
    (
        output.status.code().expect("the process exited normally"),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn the_real_spec_is_clean() {
    let path = spec_tools::project_root().join(spec_tools::SPEC_PATH);
    let findings = check(&path).expect("the spec can be linted");
    let shown: Vec<String> = findings.iter().map(ToString::to_string).collect();
    assert!(shown.is_empty(), "{}", shown.join("\n"));
}

#[test]
fn the_clean_fixture_is_clean() {
    let findings = findings("clean");
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn each_rule_fixture_triggers_exactly_its_rule() {
    for (rule, _) in RULES {
        let findings = findings(rule);
        assert_eq!(
            rules_of(&findings),
            BTreeSet::from([*rule]),
            "fixture {rule}.yaml: {findings:#?}"
        );
        assert!(
            findings.iter().all(|f| f.severity == Severity::Error),
            "fixture {rule}.yaml: {findings:#?}"
        );
        assert!(
            findings.iter().all(|f| f.line.is_some()),
            "every finding has a line: {findings:#?}"
        );
    }
}

#[test]
fn findings_name_the_pointer_and_line_of_the_defect() {
    let cases = [
        ("operation-id", 21, "/paths/~1pets~1{pet_id}/get"),
        ("operation-tag", 23, "/paths/~1pets~1{pet_id}/get/tags/0"),
        (
            "error-responses",
            34,
            "/paths/~1pets~1{pet_id}/get/responses",
        ),
        (
            "example-valid",
            44,
            "/paths/~1pets~1{pet_id}/get/responses/200/content/application~1json/examples/rex/value",
        ),
        (
            "named-schemas",
            79,
            "/components/schemas/Pet/properties/owner",
        ),
        ("generator-support", 54, "/paths/~1animals~1{pet_id}"),
        (
            "descriptions",
            71,
            "/components/schemas/Pet/properties/name",
        ),
        (
            "required-parameters",
            39,
            "/paths/~1pets~1{pet_id}/get/parameters/1/schema",
        ),
        ("servers", 8, "/servers/0/url"),
        ("security", 15, "/security/0"),
    ];
    for (rule, line, pointer) in cases {
        let findings = findings(rule);
        assert_eq!(findings.len(), 1, "{rule}: {findings:#?}");
        assert_eq!(findings[0].line, Some(line), "{rule}: {findings:#?}");
        assert_eq!(findings[0].pointer, pointer, "{rule}");
    }
}

#[test]
fn named_schemas_says_what_the_generator_would_call_the_schema() {
    let findings = findings("named-schemas");
    assert!(
        findings[0].message.contains("`PetOwner`"),
        "{}",
        findings[0].message
    );
}

#[test]
fn a_plain_http_server_is_only_a_warning() {
    let findings = findings("servers-http");
    assert_eq!(rules_of(&findings), BTreeSet::from(["servers"]));
    assert!(findings.iter().all(|f| f.severity == Severity::Warning));
}

#[test]
fn a_missing_file_is_an_error() {
    let err = check(&fixture("no-such-fixture")).expect_err("a missing file cannot be linted");
    assert!(format!("{err:#}").contains("cannot read"), "{err:#}");
}

#[test]
fn the_command_prints_each_finding_and_fails_on_errors() {
    let (code, stdout, _) = spec_tools(&[
        "lint",
        "spec-tools/tests/lint-fixtures/operation-summary.yaml",
    ]);
    assert_eq!(code, 1, "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "error[operation-summary]: spec-tools/tests/lint-fixtures/operation-summary.yaml\
             #/paths/~1pets~1{pet_id}/get (line 21): GET /pets/{pet_id} has no summary; add a \
             one-line summary",
            &format!(
                "lint: spec-tools/tests/lint-fixtures/operation-summary.yaml: 1 error, 0 warnings \
                 (operation-summary: 1); {} rules checked",
                RULES.len()
            ),
        ]
    );
}

#[test]
fn the_command_passes_with_warnings_only() {
    let (code, stdout, _) =
        spec_tools(&["lint", "spec-tools/tests/lint-fixtures/servers-http.yaml"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("warning[servers]"), "{stdout}");
    assert!(stdout.contains("0 errors, 1 warning"), "{stdout}");
}

#[test]
fn the_command_passes_on_the_real_spec() {
    let (code, stdout, stderr) = spec_tools(&["lint"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.starts_with("lint: spec/openapi.yaml: 0 errors, 0 warnings"),
        "{stdout}"
    );
}

#[test]
fn the_command_rejects_unknown_options() {
    let (code, _, stderr) = spec_tools(&["lint", "--strict"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("usage: cargo xtask lint"), "{stderr}");
}
