//! The code generation behind `cargo xtask codegen`, as a library so that tests (and the
//! benchmarks in `spec-tools`) can call it.
//!
//! `main.rs` parses the command line and dispatches; the review commands live in the
//! `spec-tools` crate.

pub mod codegen;

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
