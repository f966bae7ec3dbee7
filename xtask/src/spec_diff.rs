//! `cargo xtask spec_diff` (not written yet).

pub fn run(_args: &[String]) -> anyhow::Result<std::process::ExitCode> {
    anyhow::bail!("`cargo xtask spec_diff` is not implemented yet")
}
