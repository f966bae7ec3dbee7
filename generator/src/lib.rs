//! A general OpenAPI 3.0 → Rust generator: a typed async client crate on reqwest and an
//! axum server crate.
//!
//! The pipeline is `load` (text → `openapiv3`), `lower` (→ our IR, every problem collected
//! as a diagnostic), `codegen` (IR → tokens) and `render` (tokens → formatted files). The
//! library returns files in memory and never touches the disk; `cargo xtask codegen`
//! decides what to write.

pub mod codegen;
pub mod ir;
pub mod lower;
pub mod naming;
pub mod render;

pub use spec_model::{self, Diagnostic, Diagnostics, Spec};

/// One file of output, with a path relative to the workspace root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: String,
    pub contents: String,
}

/// Where the output goes and what the crates are called.
#[derive(Debug, Clone)]
pub struct Config {
    /// The spec's path as shown in headers and diagnostics, e.g. `spec/openapi.yaml`.
    pub spec_path: String,
    /// The command that regenerates, named in every header.
    pub command: String,
    pub client: CrateConfig,
    pub server: CrateConfig,
    /// An HTML API reference to ship in the server crate (`spec::API_DOCS_HTML`), for
    /// the mock server's `/docs`. The caller renders it; `None` ships none.
    pub api_docs_html: Option<String>,
}

#[derive(Debug, Clone)]
pub struct CrateConfig {
    /// Directory relative to the workspace root, e.g. `generated-client`.
    pub dir: String,
    /// Package name, e.g. `huaweicloud-api-client`.
    pub package: String,
    pub version: String,
}

/// Parses and checks a spec, returning the IR.
pub fn parse(spec_path: &str, text: &str) -> Result<ir::Api, Diagnostics> {
    let spec = Spec::load(spec_path, text)?;
    lower::lower(&spec).map_err(Diagnostics)
}

/// Generates every file of both crates from the spec text.
pub fn generate(config: &Config, text: &str) -> Result<Vec<GeneratedFile>, Diagnostics> {
    generate_with_warnings(config, text).map(|(files, _)| files)
}

/// Generates every file of both crates, with the warnings found on the way (things
/// accepted with a clear meaning that the spec's author may want to fix).
pub fn generate_with_warnings(
    config: &Config,
    text: &str,
) -> Result<(Vec<GeneratedFile>, Vec<Diagnostic>), Diagnostics> {
    let spec = Spec::load(&config.spec_path, text)?;
    let (api, warnings) = lower::lower_with_warnings(&spec).map_err(Diagnostics)?;
    let files = render::render(config, &api, text, &spec.raw).map_err(|message| {
        Diagnostics(vec![Diagnostic::error(
            &config.spec_path,
            "",
            "render",
            message,
        )])
    })?;
    Ok((files, warnings))
}
