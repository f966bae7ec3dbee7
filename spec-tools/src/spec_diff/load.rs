//! Finding a spec (a file, a git revision or the working tree) and parsing it.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context};
use openapiv3::OpenAPI;

use crate::SPEC_PATH;

/// Where one side of the comparison comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A file on disk, as named on the command line.
    File(PathBuf),
    /// A file at a git revision: `git show REV:PATH`, run from the project root.
    Git { rev: String, path: String },
    /// The working-tree `spec/openapi.yaml` under the project root.
    WorkingTree,
}

impl Source {
    /// Interprets a command-line argument.
    ///
    /// An existing file wins; otherwise `REV:PATH` names a file at a revision, and
    /// anything else is a revision whose `spec/openapi.yaml` is read.
    pub fn from_arg(arg: &str) -> Source {
        if Path::new(arg).is_file() {
            return Source::File(PathBuf::from(arg));
        }
        match arg.split_once(':') {
            Some((rev, path)) if !rev.is_empty() && !path.is_empty() => Source::Git {
                rev: rev.to_owned(),
                path: path.to_owned(),
            },
            _ => Source::Git {
                rev: arg.to_owned(),
                path: SPEC_PATH.to_owned(),
            },
        }
    }

    /// How the source is named in reports and error messages.
    pub fn label(&self) -> String {
        match self {
            Source::File(path) => path.display().to_string(),
            Source::Git { rev, path } => format!("{rev}:{path}"),
            Source::WorkingTree => format!("{SPEC_PATH} (working tree)"),
        }
    }

    /// Reads the source's text; `root` is the project root (the git work tree).
    pub fn read(&self, root: &Path) -> anyhow::Result<String> {
        match self {
            Source::File(path) => std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display())),
            Source::WorkingTree => {
                let path = root.join(SPEC_PATH);
                std::fs::read_to_string(&path)
                    .with_context(|| format!("cannot read {}", path.display()))
            }
            Source::Git { rev, path } => {
                let object = format!("{rev}:{path}");
                let output = Command::new("git")
                    .arg("show")
                    .arg(&object)
                    .current_dir(root)
                    .output()
                    .with_context(|| format!("cannot run `git show {object}`"))?;
                if !output.status.success() {
                    bail!(
                        "cannot read `{path}` at git revision `{rev}` (and no file named `{}` exists): {}",
                        if path == SPEC_PATH { rev } else { &object },
                        String::from_utf8_lossy(&output.stderr).trim()
                    );
                }
                String::from_utf8(output.stdout)
                    .with_context(|| format!("`{object}` is not valid UTF-8"))
            }
        }
    }
}

/// A parsed spec and the label it is reported under.
#[derive(Clone, Debug)]
pub struct Spec {
    pub label: String,
    pub api: OpenAPI,
}

impl Spec {
    /// Parses YAML (or JSON) text as an OpenAPI 3.0 document.
    ///
    /// Errors name the source and, where serde_yaml knows it, the line and column.
    pub fn parse(label: &str, text: &str) -> anyhow::Result<Spec> {
        match serde_yaml::from_str::<OpenAPI>(text) {
            Ok(api) => Ok(Spec {
                label: label.to_owned(),
                api,
            }),
            Err(err) => {
                let message = err.to_string();
                match err.location() {
                    Some(location) => {
                        let suffix =
                            format!(" at line {} column {}", location.line(), location.column());
                        let message = message.strip_suffix(&suffix).unwrap_or(&message);
                        bail!(
                            "{label}:{}:{}: not a valid OpenAPI document: {message}",
                            location.line(),
                            location.column()
                        )
                    }
                    None => bail!("{label}: not a valid OpenAPI document: {message}"),
                }
            }
        }
    }

    /// Reads and parses a source.
    pub fn load(source: &Source, root: &Path) -> anyhow::Result<Spec> {
        let text = source.read(root)?;
        Spec::parse(&source.label(), &text)
    }
}
