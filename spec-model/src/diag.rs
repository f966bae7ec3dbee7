//! Diagnostics: problems found in a spec, each with the file, a JSON pointer, a line, a
//! severity and the rule that found it. Codegen, lint, spec-diff and docs all report
//! through this one type and its one rendering:
//!
//! ```text
//! error[reference]: spec/openapi.yaml#/paths/~1pets/get/requestBody (line 12): `$ref: ...` points at nothing
//! ```

use std::fmt;

use crate::pointer::Pointer;

/// How much a finding matters: errors stop codegen and fail the lint; warnings are
/// reported and do not; notes say how something unusual but valid was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// One problem in the input spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The spec file as the user named it, e.g. `spec/openapi.yaml`.
    pub file: String,
    /// An RFC 6901 JSON pointer into the document, without `#`, e.g. `/paths/~1pets/get`.
    pub pointer: String,
    /// The 1-based line where the pointed-to node starts, when it could be found.
    pub line: Option<usize>,
    pub severity: Severity,
    /// A short kebab-case name of the check, e.g. `syntax`, `reference`, `unsupported`.
    pub rule: &'static str,
    pub message: String,
}

impl Diagnostic {
    /// An error at `pointer` of `file`, without a line yet (see [`Diagnostic::at_line`]).
    pub fn error(
        file: &str,
        pointer: impl Into<String>,
        rule: &'static str,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            file: file.to_string(),
            pointer: pointer.into(),
            line: None,
            severity: Severity::Error,
            rule,
            message: message.into(),
        }
    }

    /// A warning: reported, but it does not stop anything.
    pub fn warning(
        file: &str,
        pointer: impl Into<String>,
        rule: &'static str,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, pointer, rule, message)
        }
    }

    /// A note: how something valid but unusual was read (an unknown `format`, say).
    pub fn note(
        file: &str,
        pointer: impl Into<String>,
        rule: &'static str,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            severity: Severity::Note,
            ..Diagnostic::error(file, pointer, rule, message)
        }
    }

    /// The same diagnostic with its line.
    pub fn at_line(mut self, line: Option<usize>) -> Diagnostic {
        self.line = line;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    pub fn pointer(&self) -> Pointer {
        Pointer::parse(&self.pointer)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}[{}]: {}#{}",
            self.severity.as_str(),
            self.rule,
            self.file,
            self.pointer
        )?;
        if let Some(line) = self.line {
            write!(f, " (line {line})")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Every problem found in one run, reported together, one per line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.is_error())
    }

    /// Warnings and notes: everything that does not stop anything.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| !d.is_error())
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, diagnostic) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_rendering_names_severity_rule_file_pointer_and_line() {
        let d = Diagnostic::error("spec.yaml", "/paths/~1a", "reference", "no such schema")
            .at_line(Some(7));
        assert_eq!(
            d.to_string(),
            "error[reference]: spec.yaml#/paths/~1a (line 7): no such schema"
        );
        let w = Diagnostic::warning("spec.yaml", "", "lenient", "ignored");
        assert_eq!(w.to_string(), "warning[lenient]: spec.yaml#: ignored");
        let n = Diagnostic::note("spec.yaml", "/a", "format", "read as a string");
        assert_eq!(
            n.to_string(),
            "note[format]: spec.yaml#/a: read as a string"
        );
        let all = Diagnostics(vec![d, w, n]);
        assert!(all.has_errors());
        assert_eq!(all.warnings().count(), 2);
    }
}
