//! Scratch copies of the tree for the tests that run codegen on a copy: what codegen
//! reads and owns, file snapshots, and a directory that is removed when dropped.

use std::fs;
use std::path::{Path, PathBuf};

use xtask::codegen::config;

/// Copies what codegen reads and owns: `spec/`, and each generated crate's `Cargo.toml`,
/// `public-api.txt` and `src/generated/`.
pub fn copy_generated_tree(from: &Path, to: &Path) {
    copy_dir(&from.join("spec"), &to.join("spec"));
    let config = config();
    for krate in [&config.client, &config.server] {
        fs::create_dir_all(to.join(&krate.dir)).expect("the scratch dir is writable");
        for name in ["Cargo.toml", generator::public_api::LISTING_FILE] {
            let file = Path::new(&krate.dir).join(name);
            fs::copy(from.join(&file), to.join(&file))
                .unwrap_or_else(|err| panic!("cannot copy {}: {err}", file.display()));
        }
        let generated = Path::new(&krate.dir).join("src/generated");
        copy_dir(&from.join(&generated), &to.join(&generated));
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("the scratch dir is writable");
    for entry in fs::read_dir(from).expect("the source directory exists") {
        let entry = entry.expect("the source directory is readable");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("the file copies");
        }
    }
}

/// Every file under `root` with its contents, sorted by path.
pub fn snapshot(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).expect("the scratch dir is readable") {
            let path = entry.expect("the scratch dir is readable").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let contents = fs::read(&path).expect("the file is readable");
                out.push((path, contents));
            }
        }
    }
    out.sort();
    out
}

/// A scratch directory for one test, removed when dropped.
pub struct Scratch(PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("xtask-scratch-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("the temp dir is writable");
        Scratch(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}
