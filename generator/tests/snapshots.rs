//! Snapshot tests of the generator: every spec in `tests/fixtures/` (one concern each)
//! is generated and compared with the files under `tests/snapshots/<fixture>/`; every
//! spec in `tests/invalid/` must fail with the diagnostics in `tests/invalid/<name>.txt`.
//!
//! The snapshots are compiled by the workspace crates in `tests/compile-client/` and
//! `tests/compile-server/`, so a snapshot that does not build (or has a clippy warning)
//! fails CI too. A fixture accepted with warnings or notes has them in
//! `tests/snapshots/<fixture>/warnings.txt`. After a deliberate generator change, run
//! `UPDATE_SNAPSHOTS=1 cargo test -p generator --test snapshots` and review the diff.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use generator::{Config, CrateConfig};

fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

fn config(spec_path: &str) -> Config {
    Config {
        spec_path: spec_path.to_string(),
        command: "cargo xtask codegen".to_string(),
        client: CrateConfig {
            dir: "client".to_string(),
            package: "fixture-client".to_string(),
            version: "0.1.0".to_string(),
        },
        server: CrateConfig {
            dir: "server".to_string(),
            package: "fixture-server".to_string(),
            version: "0.1.0".to_string(),
        },
        api_docs_html: None,
        manifest: Default::default(),
    }
}

fn updating() -> bool {
    std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v == "1")
}

/// The `*.yaml` files of a directory, sorted.
fn specs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|err| panic!("cannot list {}: {err}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .collect();
    out.sort();
    out
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .expect("a fixture has a name")
        .to_string_lossy()
        .into_owned()
}

/// Every file below `dir`, relative to it.
fn files_below(dir: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let Ok(entries) = fs::read_dir(&current) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(dir).expect("below the directory");
                out.insert(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out
}

#[test]
fn fixtures_match_their_snapshots() {
    let fixtures = specs(&tests_dir().join("fixtures"));
    assert!(
        fixtures.len() >= 8,
        "expected the fixture specs in tests/fixtures/"
    );
    let mut problems = Vec::new();
    for fixture in &fixtures {
        let name = stem(fixture);
        let text = fs::read_to_string(fixture).expect("fixture is readable");
        let config = config(&format!("tests/fixtures/{name}.yaml"));
        let mut files = match generator::generate_with_warnings(&config, &text) {
            Ok((files, warnings)) => {
                let mut files = files;
                // What the fixture is accepted with is part of its snapshot.
                if !warnings.is_empty() {
                    let text: String = warnings.iter().map(|w| format!("{w}\n")).collect();
                    files.push(generator::GeneratedFile {
                        path: "warnings.txt".to_string(),
                        contents: text,
                    });
                }
                files
            }
            Err(diagnostics) => {
                problems.push(format!("{name}: does not generate:\n{diagnostics}"));
                continue;
            }
        };
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let dir = tests_dir().join("snapshots").join(&name);
        let mut expected = files_below(&dir);
        for file in &files {
            expected.remove(&file.path);
            let path = dir.join(&file.path);
            let on_disk = fs::read_to_string(&path).ok();
            if on_disk.as_deref() == Some(file.contents.as_str()) {
                continue;
            }
            if updating() {
                fs::create_dir_all(path.parent().expect("snapshot files have a parent"))
                    .expect("can create snapshot dirs");
                fs::write(&path, &file.contents).expect("can write snapshots");
            } else {
                let state = if on_disk.is_some() {
                    "differs"
                } else {
                    "is missing"
                };
                problems.push(format!("{name}: snapshot {} {state}", file.path));
            }
        }
        for extra in expected {
            if updating() {
                fs::remove_file(dir.join(&extra)).expect("can remove stale snapshots");
            } else {
                problems.push(format!("{name}: snapshot {extra} is no longer generated"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{}\n\nIf the change is intended: UPDATE_SNAPSHOTS=1 cargo test -p generator --test snapshots, then review `git diff`.",
        problems.join("\n")
    );
}

#[test]
fn generation_is_deterministic() {
    for fixture in specs(&tests_dir().join("fixtures")) {
        let text = fs::read_to_string(&fixture).expect("fixture is readable");
        let config = config("spec.yaml");
        let first = generator::generate(&config, &text);
        let second = generator::generate(&config, &text);
        assert_eq!(
            first,
            second,
            "{} generated differently twice",
            fixture.display()
        );
    }
}

#[test]
fn invalid_specs_report_their_diagnostics() {
    let invalid = specs(&tests_dir().join("invalid"));
    assert!(
        invalid.len() >= 5,
        "expected the invalid specs in tests/invalid/"
    );
    let mut problems = Vec::new();
    for spec in &invalid {
        let name = stem(spec);
        let text = fs::read_to_string(spec).expect("spec is readable");
        let actual =
            match generator::generate(&config(&format!("tests/invalid/{name}.yaml")), &text) {
                Ok(_) => {
                    problems.push(format!("{name}: generated without a diagnostic"));
                    continue;
                }
                Err(diagnostics) => {
                    for d in &diagnostics.0 {
                        if !d.pointer.is_empty() && !d.pointer.starts_with('/') {
                            problems.push(format!("{name}: `{}` is not a JSON pointer", d.pointer));
                        }
                    }
                    format!("{diagnostics}\n")
                }
            };
        let path = spec.with_extension("txt");
        let expected = fs::read_to_string(&path).ok();
        if expected.as_deref() != Some(actual.as_str()) {
            if updating() {
                fs::write(&path, &actual).expect("can write snapshots");
            } else {
                problems.push(format!(
                    "{name}: diagnostics differ from {}:\n{actual}",
                    path.display()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_fixture_is_compiled() {
    for krate in ["compile-client", "compile-server"] {
        let lib = fs::read_to_string(tests_dir().join(krate).join("src/lib.rs"))
            .expect("compile crate exists");
        for fixture in specs(&tests_dir().join("fixtures")) {
            let name = stem(&fixture);
            let needle = format!("snapshots/{name}/");
            assert!(
                lib.contains(&needle),
                "tests/{krate}/src/lib.rs does not compile the `{name}` snapshot"
            );
        }
    }
}
