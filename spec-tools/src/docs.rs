//! `cargo xtask docs`: writes the HTML API reference (`api_docs::render` of the spec and
//! `spec/NOTES.md`) to `target/api-docs/index.html`.

use std::process::ExitCode;

use anyhow::{bail, Context, Result};

use xtask::codegen::NOTES_PATH;

/// Where `cargo xtask docs` writes the page, relative to the workspace root.
pub const OUTPUT_PATH: &str = "target/api-docs/index.html";

/// `cargo xtask docs`: writes [`OUTPUT_PATH`] from the spec and the notes.
pub fn run(args: &[String]) -> Result<ExitCode> {
    if !args.is_empty() {
        bail!("usage: cargo xtask docs (takes no options; writes {OUTPUT_PATH})");
    }
    let root = crate::project_root();
    let spec_path = root.join(crate::SPEC_PATH);
    let notes_path = root.join(NOTES_PATH);
    let spec = std::fs::read_to_string(&spec_path)
        .with_context(|| format!("cannot read {}", spec_path.display()))?;
    let notes = std::fs::read_to_string(&notes_path)
        .with_context(|| format!("cannot read {}", notes_path.display()))?;
    let page = api_docs::render(crate::SPEC_PATH, &spec, &notes)
        .with_context(|| format!("in {}", crate::SPEC_PATH))?;
    let out = root.join(OUTPUT_PATH);
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    std::fs::write(&out, page).with_context(|| format!("cannot write {}", out.display()))?;
    println!("docs: wrote {OUTPUT_PATH}");
    Ok(ExitCode::SUCCESS)
}
