//! Freshness of the generated crates: the same check as `cargo xtask codegen --check`,
//! run as a test so that `cargo test` fails when the committed generated code is stale.
//! Also shows, on a scratch copy of the tree, that the check names exactly the files that
//! differ, and that a broken spec fails with a located diagnostic and writes nothing.

mod scratch;

use std::fs;
use std::path::Path;

use scratch::{copy_generated_tree, snapshot, Scratch};
use xtask::codegen::{config, plan, Plan, COMMAND};
use xtask::{project_root, SPEC_PATH};

#[test]
fn generated_crates_match_the_spec() {
    let root = project_root();
    let plan = plan(&root).expect("the spec generates without diagnostics");
    assert!(
        plan.is_clean(),
        "the generated crates do not match {SPEC_PATH}:\n{}\nRun `{COMMAND}` and commit the result.",
        describe(&root, &plan)
    );
    assert!(plan.unchanged > 0, "the check compared no files at all");
}

#[test]
fn a_plan_names_exactly_the_edited_file_and_the_extra_file() {
    let scratch = Scratch::new("edited");
    copy_generated_tree(&project_root(), scratch.path());
    let before = plan(scratch.path()).expect("the copied spec generates");
    assert!(
        before.is_clean(),
        "a fresh copy of the tree should be clean:\n{}",
        describe(scratch.path(), &before)
    );

    let edited = "generated-client/src/generated/types.rs";
    let mut text = fs::read_to_string(scratch.path().join(edited)).expect("the copy has types.rs");
    text.push_str("\n// A hand edit that codegen must undo.\n");
    fs::write(scratch.path().join(edited), text).expect("the scratch dir is writable");
    let extra = "generated-server/src/generated/leftover.rs";
    fs::write(
        scratch.path().join(extra),
        "// Left over from an older spec.\n",
    )
    .expect("the scratch dir is writable");

    let after = plan(scratch.path()).expect("the copied spec generates");
    let written: Vec<&str> = after.write.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(written, vec![edited], "files to write");
    assert_eq!(after.remove, vec![extra.to_string()], "files to remove");
    assert_eq!(after.unchanged, before.unchanged - 1);
    assert!(!after.is_clean());
}

#[test]
fn a_broken_spec_fails_with_a_located_diagnostic_and_writes_nothing() {
    let scratch = Scratch::new("broken");
    copy_generated_tree(&project_root(), scratch.path());
    let spec_file = scratch.path().join(SPEC_PATH);
    let text = fs::read_to_string(&spec_file).expect("the copy has the spec");
    let needle = "$ref: '#/components/schemas/IefJobActionCallbackRequest'";
    assert!(
        text.contains(needle),
        "the spec no longer has the reference this test breaks"
    );
    let broken = text.replacen(needle, "$ref: '#/components/schemas/NoSuchSchema'", 1);
    fs::write(&spec_file, &broken).expect("the scratch dir is writable");
    let snapshot_before = snapshot(scratch.path());

    let error = plan(scratch.path()).expect_err("a dangling $ref must fail the plan");
    let message = format!("{error:#}");
    assert!(
        message.contains(SPEC_PATH) && message.contains("nothing was written"),
        "the error should name the spec and say nothing was written: {message}"
    );

    // `plan` prints the diagnostics themselves to stderr; they come from exactly this
    // call, so check their content here.
    let diagnostics =
        generator::generate(&config(), &broken).expect_err("the generator rejects the spec");
    let pointer = "/paths/~1v1~1{project_id}~1edgesrv~1messages/post/requestBody/content/application~1json/schema";
    // The pointer names the `schema:` node whose value is the broken `$ref`, so its
    // line is the one just above the reference (1-based: the index of the `$ref` line).
    let expected_line = broken
        .lines()
        .position(|line| line.contains("NoSuchSchema"))
        .expect("the broken reference is in the text");
    let found = diagnostics.0.iter().find(|d| {
        d.file == SPEC_PATH && d.pointer == pointer && d.message.contains("NoSuchSchema")
    });
    let Some(found) = found else {
        panic!("no diagnostic names {SPEC_PATH}#{pointer} and NoSuchSchema:\n{diagnostics}");
    };
    let line = found.line.expect("the diagnostic has a line");
    assert_eq!(
        line, expected_line,
        "the diagnostic's line should be that of the `schema:` key: {found}"
    );
    let shown = found.to_string();
    assert!(
        shown.contains(&format!("{SPEC_PATH}#{}", found.pointer))
            && shown.contains(&format!("line {line}")),
        "the diagnostic text names file, pointer and line: {shown}"
    );

    assert_eq!(
        snapshot(scratch.path()),
        snapshot_before,
        "a failed plan must not change any file"
    );
}

/// One line per file that differs, as `cargo xtask codegen --check` prints them.
fn describe(root: &Path, plan: &Plan) -> String {
    let mut lines = Vec::new();
    for file in &plan.write {
        let state = if root.join(&file.path).exists() {
            "stale"
        } else {
            "missing"
        };
        lines.push(format!("  {state}: {}", file.path));
    }
    for path in &plan.remove {
        lines.push(format!("  extra: {path}"));
    }
    lines.join("\n")
}

#[test]
fn a_spec_accepted_with_a_warning_generates_and_reports_it() {
    let scratch = Scratch::new("warning");
    copy_generated_tree(&project_root(), scratch.path());
    let spec = scratch.path().join(SPEC_PATH);
    let text = fs::read_to_string(&spec).expect("the copy has the spec");
    assert_eq!(
        plan(scratch.path()).expect("the copy generates").warnings,
        [],
        "the project's spec has no warnings"
    );
    let needle = "\n          type: integer\n";
    let at = text.find(needle).expect("the spec has an integer property");
    let edited = format!(
        "{}\n          type: integer\n          maxLength: 3\n{}",
        &text[..at],
        &text[at + needle.len()..]
    );
    fs::write(&spec, edited).expect("the scratch dir is writable");
    let plan = plan(scratch.path()).expect("a warning does not stop codegen");
    assert_eq!(plan.warnings.len(), 1, "{:?}", plan.warnings);
    let warning = plan.warnings[0].to_string();
    assert!(
        warning.starts_with("warning[lenient]: spec/openapi.yaml#/")
            && warning.ends_with("`maxLength` does not apply to `type: integer` and is ignored"),
        "{warning}"
    );
}
