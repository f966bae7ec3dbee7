//! The workspace is found at run time: one built `xtask` binary, run in two copies of the
//! tree (as cargo does when two clones share one `CARGO_TARGET_DIR`), works on the copy
//! that cargo names in `CARGO_MANIFEST_DIR`, or else on the one around the current
//! directory, and never on the clone it was compiled in.

mod scratch;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use scratch::{copy_generated_tree, snapshot, Scratch};
use xtask::{project_root, SPEC_PATH};

/// A copy of what codegen reads and owns, with the workspace manifest and the `xtask/`
/// member directory that cargo would name in `CARGO_MANIFEST_DIR`.
fn copy_workspace(to: &Path) {
    let from = project_root();
    copy_generated_tree(&from, to);
    fs::copy(from.join("Cargo.toml"), to.join("Cargo.toml")).expect("the root manifest copies");
    fs::create_dir_all(to.join("xtask")).expect("the scratch dir is writable");
    fs::copy(from.join("xtask/Cargo.toml"), to.join("xtask/Cargo.toml"))
        .expect("the xtask manifest copies");
}

/// Runs the one built `xtask` binary in `cwd`, with `CARGO_MANIFEST_DIR` set to
/// `manifest_dir` (or unset).
fn xtask(args: &[&str], cwd: &Path, manifest_dir: Option<&Path>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command.args(args).current_dir(cwd);
    match manifest_dir {
        Some(dir) => command.env("CARGO_MANIFEST_DIR", dir),
        None => command.env_remove("CARGO_MANIFEST_DIR"),
    };
    command.output().expect("the xtask binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn codegen_works_on_the_clone_that_cargo_names_not_the_one_it_was_built_in() {
    let scratch = Scratch::new("two-clones");
    let (a, b) = (scratch.path().join("a"), scratch.path().join("b"));
    copy_workspace(&a);
    copy_workspace(&b);
    let spec = b.join(SPEC_PATH);
    let original = fs::read_to_string(&spec).expect("the copy has the spec");
    let needle = "  title: Huawei Cloud DLI";
    assert!(original.contains(needle), "the spec's title changed");
    fs::write(
        &spec,
        original.replacen(needle, "  title: Copy B of Huawei Cloud DLI", 1),
    )
    .expect("the scratch dir is writable");
    let a_before = snapshot(&a);

    // Cargo names clone B; the current directory is in clone A. B is stale.
    let out = xtask(&["codegen", "--check"], &a, Some(&b.join("xtask")));
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "B's spec changed: {stderr}");
    assert!(
        stderr.contains("stale: generated-server/src/generated/openapi.yaml"),
        "{stderr}"
    );

    // Cargo names clone A: A is clean, whatever the binary's own clone holds.
    let out = xtask(&["codegen", "--check"], &b, Some(&a.join("xtask")));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with("codegen --check: ")
            && text(&out.stdout).contains(" generated files match spec/openapi.yaml"),
        "{}",
        text(&out.stdout)
    );

    // Without CARGO_MANIFEST_DIR, the workspace around the current directory.
    let out = xtask(&["codegen", "--check"], &b.join("generated-server"), None);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));

    // Writing regenerates B and leaves A as it was.
    let out = xtask(&["codegen"], &a, Some(&b.join("xtask")));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("updated generated-server/src/generated/openapi.yaml"),
        "{}",
        text(&out.stdout)
    );
    let generated = fs::read_to_string(b.join("generated-server/src/generated/openapi.yaml"))
        .expect("B has the generated spec");
    assert!(generated.contains("Copy B of Huawei Cloud DLI"));
    assert_eq!(snapshot(&a), a_before, "clone A must not change");
    let out = xtask(&["codegen", "--check"], &b, None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

/// The review commands run as `$CARGO run -p spec-tools -- <args>` in the workspace that
/// was found, with the arguments, output and exit status passed through. `CARGO` is a
/// stand-in here that prints its arguments and exits with 3.
#[cfg(unix)]
#[test]
fn review_commands_run_spec_tools_through_cargo_with_everything_passed_through() {
    use std::os::unix::fs::PermissionsExt;

    let scratch = Scratch::new("dispatch");
    let b = scratch.path().join("b");
    copy_workspace(&b);
    let fake = scratch.path().join("fake-cargo");
    fs::write(
        &fake,
        "#!/bin/sh\nfor arg in \"$@\"; do echo \"$arg\"; done\necho 'from spec-tools' >&2\nexit 3\n",
    )
    .expect("the scratch dir is writable");
    fs::set_permissions(&fake, fs::Permissions::from_mode(0o755)).expect("chmod");

    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["lint", "some dir/spec.yaml", "--strict"])
        .current_dir(scratch.path())
        .env("CARGO_MANIFEST_DIR", b.join("xtask"))
        .env("CARGO", &fake)
        .output()
        .expect("the xtask binary runs");
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    let manifest = b.join("Cargo.toml").display().to_string();
    let stdout = text(&out.stdout);
    let args: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        args,
        [
            "run",
            "--quiet",
            "--manifest-path",
            &manifest,
            "--package",
            "spec-tools",
            "--",
            "lint",
            "some dir/spec.yaml",
            "--strict",
        ]
    );
    assert_eq!(text(&out.stderr), "from spec-tools\n");
}
