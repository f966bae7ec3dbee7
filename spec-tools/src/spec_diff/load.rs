//! Finding a spec (a file, a git revision or the working tree) and reading it through
//! `spec_model`, the project's one spec reader.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context};
use openapiv3::OpenAPI;
use spec_model::{self, Diagnostics};

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

/// A spec read through `spec_model` (the typed document, its raw JSON and its line
/// map), reported under the label of its [`Source`].
pub struct Spec {
    pub model: spec_model::Spec,
    /// The text as read, for generating code from it.
    pub text: String,
}

impl Spec {
    /// Parses YAML (or JSON) text as an OpenAPI 3.0 document; `label` names it in
    /// reports and diagnostics.
    pub fn parse(label: &str, text: &str) -> Result<Spec, Diagnostics> {
        spec_model::Spec::load(label, text).map(|model| Spec {
            model,
            text: text.to_string(),
        })
    }

    /// Reads and parses a source. A spec that does not parse is an error holding its
    /// [`Diagnostics`].
    pub fn load(source: &Source, root: &Path) -> anyhow::Result<Spec> {
        let text = source.read(root)?;
        Ok(Spec::parse(&source.label(), &text)?)
    }

    /// How the spec is named in reports: the label it was parsed under.
    pub fn label(&self) -> &str {
        &self.model.file
    }

    /// The typed document.
    pub fn api(&self) -> &OpenAPI {
        &self.model.document
    }
}

impl std::fmt::Debug for Spec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Spec")
            .field("label", &self.label())
            .finish_non_exhaustive()
    }
}
