//! The commands behind `cargo xtask`, as a library so that tests can call them.
//!
//! `main.rs` parses the command line; each module here implements one command and
//! keeps its logic callable from `xtask/tests/`.

pub mod bench;
pub mod codegen;
pub mod docs;
pub mod lint;
pub mod spec_check;
pub mod spec_diff;
pub mod synth;

use std::path::{Path, PathBuf};

/// The workspace root: the parent of this crate's manifest directory.
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// The hand-written spec that everything is generated from, relative to the root.
pub const SPEC_PATH: &str = "spec/openapi.yaml";
