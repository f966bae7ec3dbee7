//! `cargo xtask lint` (not written yet).

pub fn run(_args: &[String]) -> anyhow::Result<std::process::ExitCode> {
    anyhow::bail!("`cargo xtask lint` is not implemented yet")
}
