//! The workspace's package metadata, read through `cargo metadata`: an honest
//! `rust-version`, full metadata on every published crate, versioned dependencies
//! between the workspace's crates, and `tracing` without its default features.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// The crates published to crates.io; every other workspace member is `publish = false`.
const PUBLISHED: &[&str] = &[
    "apig-signer",
    "apig-types-runtime",
    "apig-client-runtime",
    "apig-server-runtime",
    "huaweicloud-api-client",
    "huaweicloud-api-server",
];

fn metadata() -> Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace root");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let output = Command::new(cargo)
        .current_dir(root)
        .args(["metadata", "--format-version", "1", "--locked"])
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON")
}

/// `1.88` or `1.88.0` as numbers, for comparison.
fn parse_version(text: &str) -> Vec<u64> {
    let mut parts: Vec<u64> = text
        .split('.')
        .map(|part| {
            part.parse()
                .unwrap_or_else(|_| panic!("`{text}` is not a rust-version"))
        })
        .collect();
    parts.resize(3, 0);
    parts
}

fn str_field<'a>(package: &'a Value, field: &str) -> Option<&'a str> {
    package[field].as_str()
}

fn name(package: &Value) -> &str {
    str_field(package, "name").expect("every package has a name")
}

struct Workspace {
    members: Vec<Value>,
    others: Vec<Value>,
}

fn workspace() -> Workspace {
    let metadata = metadata();
    let ids: BTreeSet<&str> = metadata["workspace_members"]
        .as_array()
        .expect("workspace_members is an array")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let (members, others) = metadata["packages"]
        .as_array()
        .expect("packages is an array")
        .iter()
        .cloned()
        .partition(|package| ids.contains(str_field(package, "id").unwrap_or_default()));
    Workspace { members, others }
}

fn member<'a>(workspace: &'a Workspace, wanted: &str) -> &'a Value {
    workspace
        .members
        .iter()
        .find(|package| name(package) == wanted)
        .unwrap_or_else(|| panic!("`{wanted}` is a workspace member"))
}

#[test]
fn rust_version_is_at_least_every_dependencys() {
    let workspace = workspace();
    let ours = str_field(member(&workspace, "apig-signer"), "rust_version")
        .expect("the workspace declares a rust-version");
    let mut too_new: Vec<String> = workspace
        .others
        .iter()
        .filter_map(|package| {
            let theirs = str_field(package, "rust_version")?;
            (parse_version(theirs) > parse_version(ours)).then(|| {
                format!(
                    "{} {} needs {theirs}",
                    name(package),
                    str_field(package, "version").unwrap_or("?")
                )
            })
        })
        .collect();
    too_new.sort();
    assert!(
        too_new.is_empty(),
        "rust-version = \"{ours}\", but the lockfile holds:\n{}",
        too_new.join("\n")
    );
    // Every member, the generated crates included, declares the same value.
    for package in &workspace.members {
        assert_eq!(
            str_field(package, "rust_version"),
            Some(ours),
            "{} declares another rust-version",
            name(package)
        );
    }
}

#[test]
fn published_crates_have_full_metadata() {
    let workspace = workspace();
    let reference = member(&workspace, "apig-signer");
    for package in &workspace.members {
        let name = name(package);
        let published = package["publish"].is_null();
        assert_eq!(
            published,
            PUBLISHED.contains(&name),
            "{name}: only {PUBLISHED:?} are published; the others say `publish = false`"
        );
        if !published {
            continue;
        }
        for field in ["description", "license", "repository", "readme"] {
            assert!(
                str_field(package, field).is_some_and(|value| !value.is_empty()),
                "{name} has no {field}"
            );
        }
        // The generated manifests repeat the workspace's values; they must agree.
        for field in ["license", "repository"] {
            assert_eq!(
                str_field(package, field),
                str_field(reference, field),
                "{name}: {field} differs from the workspace's"
            );
        }
        let readme = Path::new(str_field(package, "manifest_path").unwrap_or_default())
            .with_file_name(str_field(package, "readme").unwrap_or_default());
        assert!(readme.is_file(), "{name}: {} is missing", readme.display());
        for license in ["LICENSE-MIT", "LICENSE-APACHE"] {
            let path = readme.with_file_name(license);
            assert!(path.is_file(), "{name}: {} is missing", path.display());
        }
        for field in ["keywords", "categories"] {
            let values = package[field].as_array().map(Vec::len).unwrap_or(0);
            assert!(
                (1..=5).contains(&values),
                "{name}: {field} needs one to five entries, has {values}"
            );
        }
        assert!(
            package["metadata"]["docs"]["rs"].is_object(),
            "{name} has no [package.metadata.docs.rs]"
        );
    }
}

#[test]
fn published_crates_depend_on_versioned_published_crates() {
    let workspace = workspace();
    let members: BTreeSet<&str> = workspace.members.iter().map(name).collect();
    for package in workspace
        .members
        .iter()
        .filter(|package| PUBLISHED.contains(&name(package)))
    {
        for dependency in package["dependencies"].as_array().into_iter().flatten() {
            let dep = str_field(dependency, "name").unwrap_or_default();
            // Dev-dependencies without a version are dropped when packaging.
            if !members.contains(dep) || dependency["kind"].as_str() == Some("dev") {
                continue;
            }
            let req = str_field(dependency, "req").unwrap_or("*");
            assert_ne!(req, "*", "{}: `{dep}` has no version", name(package));
            assert!(
                PUBLISHED.contains(&dep),
                "{}: depends on `{dep}`, which is not published",
                name(package)
            );
        }
    }
}

#[test]
fn tracing_is_used_without_default_features() {
    let workspace = workspace();
    for package in &workspace.members {
        for dependency in package["dependencies"].as_array().into_iter().flatten() {
            if str_field(dependency, "name") != Some("tracing") {
                continue;
            }
            assert_eq!(
                dependency["uses_default_features"].as_bool(),
                Some(false),
                "{}: tracing's default features pull in syn through `attributes`",
                name(package)
            );
        }
    }
}
