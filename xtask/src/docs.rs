//! `cargo xtask docs` (not written yet).

pub fn run(_args: &[String]) -> anyhow::Result<std::process::ExitCode> {
    anyhow::bail!("`cargo xtask docs` is not implemented yet")
}
