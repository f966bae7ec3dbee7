//! The code generation behind `cargo xtask codegen`, as a library so that tests (and the
//! benchmarks in `spec-tools`) can call it, and the lookup of the workspace root.
//!
//! `main.rs` parses the command line and dispatches; the review commands live in the
//! `spec-tools` crate.

pub mod codegen;

use std::path::{Path, PathBuf};

/// The hand-written spec that everything is generated from, relative to the root.
pub const SPEC_PATH: &str = "spec/openapi.yaml";

/// The workspace root, found at run time, never from where this binary was compiled:
/// with one `CARGO_TARGET_DIR` shared by two clones, cargo reuses one clone's binary in
/// the other, and a compile-time path would make it work on the wrong clone.
///
/// Cargo sets `CARGO_MANIFEST_DIR` for the processes `cargo run` and `cargo test` start;
/// the root is the nearest directory at or above it that is this workspace (see
/// [`is_root`]). Without it (or when it is not inside one) the root is looked for from
/// the current directory up. When neither finds one, it is the current directory, so
/// that commands fail naming the `spec/openapi.yaml` they cannot read.
pub fn project_root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    let current_dir = std::env::current_dir().ok();
    find_root(manifest_dir.as_deref(), current_dir.as_deref())
        .or(current_dir)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The first directory that [`is_root`], going up from `manifest_dir`, then from
/// `current_dir`.
pub fn find_root(manifest_dir: Option<&Path>, current_dir: Option<&Path>) -> Option<PathBuf> {
    [manifest_dir, current_dir]
        .into_iter()
        .flatten()
        .flat_map(Path::ancestors)
        .find(|dir| is_root(dir))
        .map(Path::to_path_buf)
}

/// Whether `dir` is this workspace's root: its `Cargo.toml` has a `[workspace]` table and
/// it has the spec.
pub fn is_root(dir: &Path) -> bool {
    dir.join(SPEC_PATH).is_file()
        && std::fs::read_to_string(dir.join("Cargo.toml"))
            .is_ok_and(|manifest| manifest.lines().any(|line| line.trim() == "[workspace]"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A directory tree under the system's temp dir, removed when dropped.
    struct Tree(PathBuf);

    impl Tree {
        fn new(name: &str) -> Tree {
            let dir =
                std::env::temp_dir().join(format!("xtask-root-{}-{name}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            Tree(dir)
        }

        fn file(&self, path: &str, contents: &str) -> PathBuf {
            let path = self.0.join(path);
            let dir = path.parent().expect("a file has a directory");
            std::fs::create_dir_all(dir).expect("the temp dir is writable");
            std::fs::write(&path, contents).expect("the temp dir is writable");
            path
        }

        /// A workspace at `dir` with a member `xtask/`.
        fn workspace(&self, dir: &str) -> (PathBuf, PathBuf) {
            self.file(
                &format!("{dir}/Cargo.toml"),
                "[workspace]\nmembers = [\"xtask\"]\n",
            );
            self.file(&format!("{dir}/{SPEC_PATH}"), "openapi: 3.0.3\n");
            let member = self.file(&format!("{dir}/xtask/Cargo.toml"), "[package]\n");
            let member = member.parent().expect("in xtask/").to_path_buf();
            (self.0.join(dir), member)
        }
    }

    impl Drop for Tree {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn the_manifest_dir_names_the_clone() {
        let tree = Tree::new("manifest");
        let (a, _) = tree.workspace("a");
        let (b, b_member) = tree.workspace("b");
        assert_eq!(find_root(Some(&b_member), Some(&a)), Some(b));
        assert_eq!(find_root(None, Some(&a.join("xtask"))), Some(a.clone()));
    }

    #[test]
    fn a_manifest_dir_outside_any_workspace_falls_back_to_the_current_dir() {
        let tree = Tree::new("outside");
        let (a, _) = tree.workspace("a");
        let elsewhere = tree.file("elsewhere/Cargo.toml", "[package]\n");
        let elsewhere = elsewhere.parent().expect("a directory");
        assert_eq!(find_root(Some(elsewhere), Some(&a)), Some(a));
        assert_eq!(find_root(Some(elsewhere), None), None);
    }

    #[test]
    fn a_root_has_a_workspace_manifest_and_the_spec() {
        let tree = Tree::new("markers");
        tree.file("member-only/Cargo.toml", "[package]\nname = \"x\"\n");
        tree.file(&format!("member-only/{SPEC_PATH}"), "openapi: 3.0.3\n");
        tree.file("no-spec/Cargo.toml", "[workspace]\n");
        assert!(!is_root(&tree.0.join("member-only")));
        assert!(!is_root(&tree.0.join("no-spec")));
        let (root, _) = tree.workspace("real");
        assert!(is_root(&root));
    }
}
