//! `cargo xtask codegen` (not written yet).

pub fn run(_args: &[String]) -> anyhow::Result<std::process::ExitCode> {
    anyhow::bail!("`cargo xtask codegen` is not implemented yet")
}
