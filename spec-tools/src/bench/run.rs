//! Running a child process with a time limit and its output captured.

use std::io::Read;
use std::process::{Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

/// What a finished child process did.
#[derive(Debug)]
pub struct Output {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
    /// From spawning to exit, to within a millisecond.
    pub elapsed: Duration,
}

/// Runs `command` to completion, killing it (and failing) if it runs longer than
/// `limit`.
pub fn run_limited(mut command: Command, limit: Duration) -> Result<Output> {
    let shown = format!("{command:?}");
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = command
        .spawn()
        .with_context(|| format!("cannot start {shown}"))?;
    let stdout = reader(child.stdout.take());
    let stderr = reader(child.stderr.take());
    let status = loop {
        if let Some(status) = child.try_wait().context("cannot wait for a child")? {
            break status;
        }
        if started.elapsed() > limit {
            // Our own child, ended by its handle.
            let _ = child.kill();
            let _ = child.wait();
            bail!("{shown} took longer than {limit:?} and was stopped");
        }
        thread::sleep(Duration::from_micros(500));
    };
    let elapsed = started.elapsed();
    Ok(Output {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
        elapsed,
    })
}

/// Reads a pipe to the end on its own thread, so that a full pipe never blocks the child.
fn reader<R: Read + Send + 'static>(pipe: Option<R>) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut pipe) = pipe {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            text = String::from_utf8_lossy(&bytes).into_owned();
        }
        text
    })
}
