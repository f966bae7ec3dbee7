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
pub mod public_api;
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
    /// The package metadata written into both generated `Cargo.toml`s.
    pub manifest: Manifest,
}

/// Package metadata of the generated crates: what a registry shows and checks.
///
/// The generated manifests take every value from here, so that a repository states its
/// license, minimum Rust version and links once, in its codegen settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// `rust-version`: the oldest compiler the crates (and the runtimes) build with.
    pub rust_version: String,
    /// `license`, an SPDX expression such as `MIT OR Apache-2.0`.
    pub license: String,
    /// `repository`, a URL; `None` writes none.
    pub repository: Option<String>,
    /// `readme`, relative to the generated crate's directory; `None` writes none.
    pub readme: Option<String>,
    /// `keywords` (crates.io takes at most five).
    pub keywords: Vec<String>,
    /// `categories`, crates.io category slugs.
    pub categories: Vec<String>,
    /// The version requirement on the runtime crates (`apig-*-runtime`, `apig-signer`)
    /// written beside their paths, so that the crates can be published.
    pub runtime_version: String,
    /// `false` writes `publish = false`.
    pub publish: bool,
}

impl Default for Manifest {
    /// Unpublished crates on the runtimes of this generator's version.
    fn default() -> Self {
        Manifest {
            rust_version: "1.88".to_string(),
            license: "MIT OR Apache-2.0".to_string(),
            repository: None,
            readme: None,
            keywords: Vec::new(),
            categories: Vec::new(),
            runtime_version: env!("CARGO_PKG_VERSION").to_string(),
            publish: false,
        }
    }
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
    let render_error = |message| {
        Diagnostics(vec![Diagnostic::error(
            &config.spec_path,
            "",
            "render",
            message,
        )])
    };
    let spec = Spec::load(&config.spec_path, text)?;
    let (api, warnings) = lower::lower_with_warnings(&spec).map_err(Diagnostics)?;
    // The JSON copy is all that rendering needs of the parsed document, which is several
    // times the size of the text: the typed document is dropped now, the JSON copy made
    // and the raw one dropped before the code is built.
    let spec_json = render::spec_json(&spec.into_raw()).map_err(render_error)?;
    let files = render::render(config, &api, text, spec_json).map_err(render_error)?;
    Ok((files, warnings))
}
