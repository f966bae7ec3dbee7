//! Tests of `cargo xtask spec-diff`: one fixture pair per rule, the command line, and
//! git revisions.
//!
//! Each directory under `tests/spec-diff/` holds `base.yaml`, `head.yaml` and
//! `expected.md`, the Markdown report of the diff. Run with `UPDATE_EXPECT=1` to
//! rewrite the expected reports, then review them with `git diff`.

use std::path::{Path, PathBuf};
use std::process::Command;

use spec_tools::spec_diff::{diff, json, markdown, run_in, Impact, Kind, Outcome, Spec};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/spec-diff")
}

fn fixture(rule: &str) -> PathBuf {
    fixtures_dir().join(rule)
}

fn load(path: &Path, label: &str) -> Spec {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
    Spec::parse(label, &text).unwrap_or_else(|err| panic!("{err:#}"))
}

fn report(rule: &str) -> String {
    let dir = fixture(rule);
    let base = load(&dir.join("base.yaml"), "base.yaml");
    let head = load(&dir.join("head.yaml"), "head.yaml");
    let changes = diff(&base, &head).unwrap_or_else(|err| panic!("{rule}: {err:#}"));
    markdown(&changes, base.label(), head.label())
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|arg| arg.to_string()).collect()
}

/// Runs the command in `root` and returns its outcome and standard output.
fn run(root: &Path, list: &[&str]) -> (Outcome, String) {
    let mut out = Vec::new();
    let outcome = run_in(root, &args(list), &mut out)
        .unwrap_or_else(|err| panic!("spec-diff {list:?} failed: {err:#}"));
    let text = String::from_utf8(out).expect("reports are UTF-8");
    (outcome, text)
}

fn path_arg(path: &Path) -> &str {
    path.to_str().expect("fixture paths are UTF-8")
}

#[test]
fn every_fixture_matches_its_expected_report() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut rules: Vec<String> = std::fs::read_dir(fixtures_dir())
        .expect("tests/spec-diff exists")
        .map(|entry| entry.expect("readable directory entry"))
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    rules.sort();
    assert!(
        rules.len() >= 15,
        "expected at least 15 rule fixtures, found {}",
        rules.len()
    );

    let mut mismatches = Vec::new();
    for rule in &rules {
        let actual = report(rule);
        let expected_path = fixture(rule).join("expected.md");
        if update {
            std::fs::write(&expected_path, &actual).expect("expected.md is writable");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != actual {
            mismatches.push(format!(
                "--- {rule}/expected.md\n{expected}\n+++ actual report\n{actual}"
            ));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} fixture(s) differ (rerun with UPDATE_EXPECT=1 and review the diff):\n\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

#[test]
fn moving_a_schema_into_components_is_not_a_change() {
    let dir = fixture("schema-moved-into-components");
    let base = load(&dir.join("base.yaml"), "base");
    let head = load(&dir.join("head.yaml"), "head");
    assert_ne!(base.api(), head.api(), "the fixture must differ textually");
    assert_eq!(diff(&base, &head).expect("diff"), Vec::new());
}

#[test]
fn a_spec_compared_with_itself_has_no_changes() {
    let dir = fixture("recursive-schema");
    let spec = load(&dir.join("head.yaml"), "head");
    assert_eq!(diff(&spec, &spec).expect("diff"), Vec::new());
}

#[test]
fn classification_follows_the_direction_of_the_data() {
    let classify = |rule: &str| -> Vec<(Kind, Impact, Impact)> {
        let dir = fixture(rule);
        let changes = diff(
            &load(&dir.join("base.yaml"), "base"),
            &load(&dir.join("head.yaml"), "head"),
        )
        .expect("diff");
        changes
            .iter()
            .map(|c| (c.kind, c.client, c.server))
            .collect()
    };
    use Impact::{Breaking, Compatible};
    assert_eq!(
        classify("request-enum-narrowed"),
        [(Kind::EnumValueRemoved, Breaking, Compatible)]
    );
    assert_eq!(
        classify("response-enum-narrowed"),
        [(Kind::EnumValueRemoved, Compatible, Breaking)]
    );
    assert_eq!(
        classify("response-enum-widened"),
        [(Kind::EnumValueAdded, Breaking, Compatible)]
    );
    assert_eq!(
        classify("request-limit-loosened"),
        [(Kind::MaximumChanged, Compatible, Breaking)]
    );
    assert_eq!(
        classify("status-code-added-under-default"),
        [(Kind::StatusCodeAdded, Compatible, Compatible)]
    );
    assert_eq!(
        classify("operation-removed"),
        [(Kind::OperationRemoved, Breaking, Compatible)]
    );
    assert_eq!(
        classify("deprecated-operation-removed"),
        [(Kind::DeprecatedOperationRemoved, Breaking, Compatible)]
    );
}

#[test]
fn json_format_and_exit_status() {
    let dir = fixture("added-required-request-field");
    let (base, head) = (dir.join("base.yaml"), dir.join("head.yaml"));
    let root = spec_tools::project_root();

    let (outcome, text) = run(
        &root,
        &[path_arg(&base), path_arg(&head), "--format", "json"],
    );
    assert_eq!(outcome, Outcome::Breaking);
    let value: serde_json::Value = serde_json::from_str(&text).expect("the JSON report parses");
    let expected = serde_json::json!([{
        "pointer": "/components/schemas/NewJob/properties/owner",
        "kind": "field-added",
        "message": "required request field `NewJob.owner` was added",
        "client": "breaking",
        "server": "compatible",
    }]);
    assert_eq!(value, expected);
    let keys: Vec<&String> = value[0].as_object().expect("an object").keys().collect();
    assert_eq!(keys, ["pointer", "kind", "message", "client", "server"]);

    let (outcome, _) = run(
        &root,
        &[
            path_arg(&base),
            path_arg(&head),
            "--format=json",
            "--allow-breaking",
        ],
    );
    assert_eq!(outcome, Outcome::Pass);

    let compatible = fixture("added-optional-request-field");
    let (outcome, text) = run(
        &root,
        &[
            path_arg(&compatible.join("base.yaml")),
            path_arg(&compatible.join("head.yaml")),
        ],
    );
    assert_eq!(outcome, Outcome::Pass);
    assert!(
        text.contains("**0 breaking for clients, 0 breaking for servers, 1 compatible.**"),
        "{text}"
    );
}

#[test]
fn usage_errors_exit_with_status_two() {
    let root = spec_tools::project_root();
    let base = fixture("type-changed").join("base.yaml");
    let base = path_arg(&base);
    for list in [
        &[][..],
        &[base, "--format", "xml"][..],
        &[base, "--format"][..],
        &[base, "--frobnicate"][..],
        &[base, base, base][..],
    ] {
        let mut out = Vec::new();
        let outcome = run_in(&root, &args(list), &mut out).expect("usage errors are not Err");
        assert_eq!(outcome, Outcome::Usage, "{list:?}");
        assert!(out.is_empty(), "no report on a usage error: {list:?}");
    }
    assert_eq!(Outcome::Usage.exit_code(), std::process::ExitCode::from(2));
    assert_eq!(
        Outcome::Breaking.exit_code(),
        std::process::ExitCode::from(1)
    );
}

#[test]
fn a_broken_spec_is_an_error_with_its_location() {
    let err =
        Spec::parse("broken.yaml", "openapi: 3.0.3\ninfo: {title: x\n").expect_err("invalid YAML");
    let message = format!("{err:#}");
    assert!(
        message.starts_with(
            "error[syntax]: broken.yaml# (line 3): not a valid OpenAPI document: did not find expected"
        ),
        "{message}"
    );

    let err = Spec::parse(
        "nopaths.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n",
    )
    .expect_err("paths is required");
    let message = format!("{err:#}");
    assert!(
        message.starts_with("error[syntax]: nopaths.yaml#"),
        "{message}"
    );
    assert!(message.contains("missing field `paths`"), "{message}");

    let root = spec_tools::project_root();
    let mut out = Vec::new();
    let err = run_in(&root, &args(&["no-such-revision-or-file"]), &mut out)
        .expect_err("an unknown revision is an error");
    assert!(
        format!("{err:#}").contains("no-such-revision-or-file"),
        "{err:#}"
    );
}

#[test]
fn a_dangling_or_cyclic_ref_is_an_error() {
    let spec = |schemas: &str| {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/A'\ncomponents:\n  schemas:\n{schemas}"
        );
        Spec::parse("spec.yaml", &text).expect("valid document")
    };
    let good = spec("    A:\n      type: string\n");
    let dangling = spec("    B:\n      type: string\n");
    let err = diff(&good, &dangling).expect_err("dangling $ref");
    assert_eq!(
        err.to_string(),
        "error[reference]: spec.yaml#/paths/~1a/get/responses/200/content/application~1json/schema (line 11): `$ref: #/components/schemas/A` points at nothing"
    );
    let cyclic = spec("    A:\n      $ref: '#/components/schemas/B'\n    B:\n      $ref: '#/components/schemas/A'\n");
    let err = diff(&good, &cyclic).expect_err("$ref cycle");
    assert!(err.to_string().starts_with("error[reference]: spec.yaml#/paths/~1a/get/responses/200/content/application~1json/schema (line 11): "), "{err}");
    assert!(err.to_string().contains("cycle"), "{err}");
}

#[test]
fn cycles_of_every_kind_are_errors_and_all_problems_are_reported_at_once() {
    let text = r##"openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    parameters:
      - $ref: '#/components/parameters/Loop'
    post:
      requestBody:
        $ref: '#/components/requestBodies/Missing'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Itself'
components:
  parameters:
    Loop: {$ref: '#/components/parameters/Loop2'}
    Loop2: {$ref: '#/components/parameters/Loop'}
  schemas:
    Itself:
      description: A wrapper of itself, which never reaches a schema.
      allOf:
        - $ref: '#/components/schemas/Itself'
"##;
    let spec = Spec::parse("cyclic.yaml", text).expect("a valid document");
    let err = diff(&spec, &spec).expect_err("nothing here resolves");
    let lines: Vec<String> = err.0.iter().map(ToString::to_string).collect();
    assert_eq!(lines.len(), 3, "{err}");
    assert!(
        lines[0].starts_with("error[reference]: cyclic.yaml#/paths/~1a/parameters/0 (line 6): ")
            && lines[0].contains("cycle"),
        "{err}"
    );
    assert!(
        lines[1]
            .starts_with("error[reference]: cyclic.yaml#/paths/~1a/post/requestBody (line 8): ")
            && lines[1].contains("does not point at a request body"),
        "{err}"
    );
    assert!(
        lines[2].starts_with(
            "error[reference]: cyclic.yaml#/paths/~1a/post/responses/200/content/application~1json/schema (line 15): "
        ) && lines[2].contains("without reaching a schema"),
        "{err}"
    );
}

#[test]
fn chained_references_and_lowercase_ranges_are_followed() {
    let spec = |parameter: &str, limit: u32| {
        let text = format!(
            r##"openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  /a:
    get:
      parameters:
        - {parameter}
      responses:
        4xx:
          description: a client error
          content:
            application/json:
              schema: {{type: string, maxLength: {limit}}}
components:
  parameters:
    Id: {{$ref: '#/components/parameters/RealId'}}
    RealId: {{name: id, in: query, required: true, schema: {{type: string}}}}
"##
        );
        Spec::parse("spec.yaml", &text).expect("a valid document")
    };
    let inline = spec("{name: id, in: query, schema: {type: string}}", 10);
    let chained = spec("$ref: '#/components/parameters/Id'", 20);
    let changes = diff(&inline, &chained).expect("everything resolves");
    let found: Vec<(&str, Kind)> = changes
        .iter()
        .map(|change| (change.pointer.as_str(), change.kind))
        .collect();
    assert_eq!(
        found,
        [
            (
                "/components/parameters/RealId",
                Kind::ParameterBecameRequired
            ),
            (
                "/paths/~1a/get/responses/4xx/content/application~1json/schema",
                Kind::MaxLengthChanged
            ),
        ]
    );
}

#[test]
fn a_renamed_path_parameter_is_still_compared() {
    let spec = |path: &str, name: &str, kind: &str| {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  {path}:\n    delete:\n      parameters:\n        - {{name: {name}, in: path, required: true, schema: {{type: {kind}}}}}\n      responses:\n        '204': {{description: gone}}\n"
        );
        Spec::parse("spec.yaml", &text).expect("a valid document")
    };
    let base = spec("/jobs/{id}", "id", "string");
    let head = spec("/jobs/{job_id}", "job_id", "integer");
    let changes = diff(&base, &head).expect("diff");
    let found: Vec<(&str, Kind)> = changes
        .iter()
        .map(|change| (change.pointer.as_str(), change.kind))
        .collect();
    assert_eq!(
        found,
        [
            ("/paths/~1jobs~1{job_id}/delete", Kind::PathParameterRenamed),
            (
                "/paths/~1jobs~1{job_id}/delete/parameters/0/schema",
                Kind::TypeChanged
            ),
        ]
    );
}

#[test]
fn every_kind_is_documented() {
    let doc_path = spec_tools::project_root().join("docs/SPEC-DIFF.md");
    let doc = std::fs::read_to_string(&doc_path).expect("docs/SPEC-DIFF.md exists");
    let missing: Vec<&str> = Kind::ALL
        .iter()
        .map(|kind| kind.name())
        .filter(|name| !doc.contains(&format!("`{name}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "kinds missing from docs/SPEC-DIFF.md: {missing:?}"
    );
}

/// A throwaway git repository under the system temp directory, removed on drop.
struct TempRepo(PathBuf);

impl TempRepo {
    fn new() -> TempRepo {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("the clock is after 1970")
            .as_nanos();
        let dir = std::env::temp_dir().join(format!("spec-diff-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(dir.join("spec")).expect("temp dir is writable");
        let repo = TempRepo(dir);
        repo.git(&["init", "--quiet"]);
        repo
    }

    fn git(&self, list: &[&str]) {
        let status = Command::new("git")
            .args([
                "-c",
                "user.name=spec-diff test",
                "-c",
                "user.email=test@example.invalid",
            ])
            .args([
                "-c",
                "commit.gpgsign=false",
                "-c",
                "core.hooksPath=/dev/null",
            ])
            .args(list)
            .current_dir(&self.0)
            .status()
            .expect("git runs");
        assert!(status.success(), "git {list:?} failed");
    }

    fn commit_spec(&self, from: &Path, message: &str) {
        std::fs::copy(from, self.0.join("spec/openapi.yaml")).expect("spec copied");
        self.git(&["add", "spec/openapi.yaml"]);
        self.git(&["commit", "--quiet", "-m", message]);
    }
}

impl Drop for TempRepo {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn git_revisions_are_read_from_the_repository() {
    let dir = fixture("request-enum-narrowed");
    let repo = TempRepo::new();
    repo.commit_spec(&dir.join("base.yaml"), "base");
    repo.commit_spec(&dir.join("head.yaml"), "head");

    let expected_line = "request field `NewJob.priority` lost enum value `high`";
    let (outcome, text) = run(&repo.0, &["HEAD~1", "HEAD"]);
    assert_eq!(outcome, Outcome::Breaking);
    assert!(
        text.contains("from `HEAD~1:spec/openapi.yaml` to `HEAD:spec/openapi.yaml`"),
        "{text}"
    );
    assert!(text.contains(expected_line), "{text}");

    // HEAD defaults to the working tree, which holds the second commit.
    let (outcome, text) = run(&repo.0, &["HEAD~1"]);
    assert_eq!(outcome, Outcome::Breaking);
    assert!(text.contains(expected_line), "{text}");

    // The explicit REV:PATH form, and the same revision on both sides.
    let (outcome, text) = run(
        &repo.0,
        &["HEAD:spec/openapi.yaml", "HEAD", "--format", "json"],
    );
    assert_eq!(outcome, Outcome::Pass);
    assert_eq!(text.trim(), "[]");

    let mut out = Vec::new();
    let err = run_in(&repo.0, &args(&["HEAD~5"]), &mut out).expect_err("no such revision");
    assert!(format!("{err:#}").contains("HEAD~5"), "{err:#}");
}

#[test]
fn reports_are_deterministic() {
    let dir = fixture("recursive-schema");
    let first = report("recursive-schema");
    let second = report("recursive-schema");
    assert_eq!(first, second);
    let base = load(&dir.join("base.yaml"), "base");
    let head = load(&dir.join("head.yaml"), "head");
    let changes = diff(&base, &head).expect("diff");
    let mut sorted = changes.clone();
    sorted.sort_by(|a, b| (&a.pointer, a.kind.name()).cmp(&(&b.pointer, b.kind.name())));
    assert_eq!(changes, sorted);
    assert_eq!(json(&changes), json(&sorted));
}

/// The Rust API section of a Markdown report from BASE to HEAD, both fixture files.
fn rust_api_section(rule: &str) -> (Outcome, String) {
    let dir = fixture(rule);
    let (outcome, text) = run(
        &fixtures_dir(),
        &[
            path_arg(&dir.join("base.yaml")),
            path_arg(&dir.join("head.yaml")),
        ],
    );
    let section = text
        .split_once("### Generated Rust API")
        .map(|(_, section)| section.to_string())
        .unwrap_or_else(|| panic!("{rule}: no Rust API section in\n{text}"));
    (outcome, section)
}

#[test]
fn a_renamed_operation_id_renames_a_method_a_trait_method_and_the_types_named_after_it() {
    let (outcome, section) = rust_api_section("operation-id-renamed");
    // Compatible on the wire, breaking in Rust: the report says both.
    assert_eq!(outcome, Outcome::Pass);
    for line in [
        "- `huaweicloud-api-client`: 1 breaking, 0 compatible.",
        "**breaking** · renamed method `client::Client::get_job` to `fetch_job`",
        "- `huaweicloud-api-server`: 3 breaking, 0 compatible.",
        "**breaking** · renamed required method `server::Default::get_job` to `fetch_job`",
        "**breaking** · renamed struct `server::GetJobInput` to `FetchJobInput`",
        "**breaking** · renamed enum `server::GetJobResponse` to `FetchJobResponse`",
        "Semver: a breaking release of the generated crates",
    ] {
        assert!(section.contains(line), "missing `{line}` in\n{section}");
    }
}

#[test]
fn new_struct_fields_and_renamed_arguments_are_reported_with_their_weight() {
    let (_, section) = rust_api_section("added-required-request-field");
    assert!(
        section.contains(
            "**breaking** · added field `types::NewJob.owner`: `String` (struct literals of the old fields no longer compile)"
        ),
        "{section}"
    );
    let (_, section) = rust_api_section("path-parameter-renamed");
    assert!(
        section.contains(
            "compatible · renamed the arguments of method `client::Client::get_job`: `async fn get_job(&self, job_id: &str)"
        ),
        "{section}"
    );
    // A new operation is an addition to the client, but a new required method of the
    // server's service trait: every implementation must add it.
    let (_, section) = rust_api_section("operation-added");
    for line in [
        "- `huaweicloud-api-client`: 0 breaking, 1 compatible.",
        "  - compatible · added method `client::Client::delete_job`",
        "**breaking** · added required method `server::Default::delete_job`",
        "(every implementation of the trait must add it)",
    ] {
        assert!(section.contains(line), "missing `{line}` in\n{section}");
    }
}

#[test]
fn an_unchanged_api_and_a_spec_the_generator_refuses_are_said_so() {
    let dir = fixture("operation-removed");
    let base_path = dir.join("base.yaml");
    let base = path_arg(&base_path);
    let (_, text) = run(&fixtures_dir(), &[base, base]);
    assert!(
        text.contains("- `huaweicloud-api-client`: no change to the public API."),
        "{text}"
    );
    assert!(
        text.contains("Semver: no change to the generated crates' public API."),
        "{text}"
    );

    // The spec reader accepts a path parameter that is never declared; the generator
    // refuses it, so the Rust API is not compared, and the report says why.
    let refused = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /jobs/{id}:\n    get:\n      responses:\n        '204': {description: none}\n";
    let base_text = std::fs::read_to_string(dir.join("base.yaml")).expect("fixture");
    let api =
        spec_tools::spec_diff::rust_api::compare("base.yaml", &base_text, "head.yaml", refused);
    let spec_tools::spec_diff::rust_api::RustApi::NotCompared(reason) = &api else {
        panic!("compared a spec the generator refuses: {api:?}");
    };
    assert!(
        reason.starts_with("the generator refuses head.yaml (1 problem"),
        "{reason}"
    );
    let section = spec_tools::spec_diff::rust_api::markdown(&api);
    assert!(
        section.contains("Not compared: the generator refuses head.yaml"),
        "{section}"
    );
}
