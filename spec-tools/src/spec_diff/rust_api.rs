//! What a spec change does to the generated crates' public Rust API: both specs are
//! generated in memory with the repository's codegen settings, each crate's public items
//! listed (`generator::public_api`) and the listings compared.

use generator::public_api::{self, ApiChange, Weight};

use super::schema::code;

/// The comparison for one generated crate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CrateApi {
    /// The package name, e.g. `huaweicloud-api-client`.
    pub package: String,
    pub changes: Vec<ApiChange>,
}

/// The Rust API section of a report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RustApi {
    /// Both specs were generated and compared.
    Compared(Vec<CrateApi>),
    /// One side could not be generated (the generator refuses that spec): the reason.
    NotCompared(String),
}

/// Generates both spec texts and compares the generated crates' public APIs.
pub fn compare(base_label: &str, base: &str, head_label: &str, head: &str) -> RustApi {
    let listings = |label: &str, text: &str| {
        let mut config = xtask::codegen::config();
        config.spec_path = label.to_string();
        let files = generator::generate(&config, text).map_err(|diagnostics| {
            let count = diagnostics.0.len();
            let first = diagnostics
                .0
                .first()
                .map(ToString::to_string)
                .unwrap_or_default();
            format!(
                "the generator refuses {label} ({count} problem{}; the first: {first})",
                if count == 1 { "" } else { "s" }
            )
        })?;
        public_api::crate_listings(&config, &files).map(|listings| {
            listings
                .into_iter()
                .map(|(package, items)| (package.to_string(), items))
                .collect::<Vec<_>>()
        })
    };
    let (base, head) = match (listings(base_label, base), listings(head_label, head)) {
        (Ok(base), Ok(head)) => (base, head),
        (Err(reason), _) | (_, Err(reason)) => return RustApi::NotCompared(reason),
    };
    RustApi::Compared(
        base.into_iter()
            .zip(head)
            .map(|((package, old), (_, new))| CrateApi {
                package,
                changes: public_api::diff(&old, &new),
            })
            .collect(),
    )
}

/// The Markdown section: per crate, its breaking and compatible changes, then the
/// version bump the generated crates need.
pub fn markdown(api: &RustApi) -> String {
    let mut out = String::from("\n### Generated Rust API\n\n");
    let crates = match api {
        RustApi::NotCompared(reason) => {
            out.push_str(&format!("Not compared: {reason}.\n"));
            return out;
        }
        RustApi::Compared(crates) => crates,
    };
    for krate in crates {
        let breaking = krate
            .changes
            .iter()
            .filter(|change| change.weight == Weight::Breaking)
            .count();
        let compatible = krate.changes.len() - breaking;
        if krate.changes.is_empty() {
            out.push_str(&format!(
                "- {}: no change to the public API.\n",
                code(&krate.package)
            ));
            continue;
        }
        out.push_str(&format!(
            "- {}: {breaking} breaking, {compatible} compatible.\n",
            code(&krate.package),
        ));
        for change in &krate.changes {
            let badge = match change.weight {
                Weight::Breaking => "**breaking**",
                Weight::Compatible => "compatible",
            };
            out.push_str(&format!("  - {badge} · {}\n", change.message));
        }
    }
    let all = || crates.iter().flat_map(|krate| &krate.changes);
    let verdict = if all().any(|change| change.weight == Weight::Breaking) {
        "a breaking release of the generated crates: a new major version (a new minor one while the version is 0.x)"
    } else if all().next().is_some() {
        "a compatible release of the generated crates: a new minor version (a patch while the version is 0.x)"
    } else {
        "no change to the generated crates' public API"
    };
    out.push_str(&format!("\nSemver: {verdict}.\n"));
    out
}
