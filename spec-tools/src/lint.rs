//! `cargo xtask lint [SPEC]`: the project's own rules for `spec/openapi.yaml`, on top of
//! the standard OpenAPI linters (`scripts/lint-spec.sh`).
//!
//! Every rule has a name. Each finding names its rule, its severity, the JSON pointer and
//! the line of the place it is about, and says what to do. Any error makes the command
//! exit non-zero; warnings are printed but do not fail.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use generator::ir::TypeKind;
use generator::spec_model::LineMap;
use serde_json::Value;

use crate::spec_check;

/// How much a finding matters: errors fail the lint, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem found in the spec by one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule's name, one of [`RULES`].
    pub rule: &'static str,
    pub severity: Severity,
    /// JSON pointer of the place, written as a URI fragment: `#/paths/~1pets/get`.
    pub pointer: String,
    /// The 1-based line of the place (or of its nearest ancestor that has one).
    pub line: Option<usize>,
    pub message: String,
}

impl Finding {
    /// Formats the finding as `file:line: severity[rule] pointer: message`.
    pub fn display<'a>(&'a self, file: &'a str) -> impl fmt::Display + 'a {
        FindingDisplay {
            finding: self,
            file,
        }
    }
}

struct FindingDisplay<'a> {
    finding: &'a Finding,
    file: &'a str,
}

impl fmt::Display for FindingDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let finding = self.finding;
        write!(f, "{}", self.file)?;
        if let Some(line) = finding.line {
            write!(f, ":{line}")?;
        }
        write!(
            f,
            ": {}[{}] {}: {}",
            finding.severity.as_str(),
            finding.rule,
            finding.pointer,
            finding.message
        )
    }
}

/// Every rule, with what it checks, in the order they run.
pub const RULES: &[(&str, &str)] = &[
    (
        "syntax",
        "the file is YAML and an OpenAPI 3.0 document at all",
    ),
    ("operation-id", "every operation has a unique operationId"),
    ("operation-summary", "every operation has a summary"),
    (
        "operation-tag",
        "every operation has a tag, and its first tag (its service) is declared in `tags`",
    ),
    (
        "error-responses",
        "every operation documents at least one 4xx response",
    ),
    ("example-valid", "every example validates against its schema"),
    (
        "named-schemas",
        "every object, enum or union schema that the generator would name is a component",
    ),
    (
        "generator-support",
        "no construct that the generator does not support (each generator diagnostic)",
    ),
    (
        "descriptions",
        "every parameter and every property has a description",
    ),
    ("english", "summaries, descriptions and titles are English"),
    (
        "servers",
        "servers exist, use https, and declare exactly the variables their URL uses, each with a default and a description",
    ),
    (
        "security",
        "a top-level security requirement exists and names only declared, described schemes",
    ),
];

/// Runs every rule on the spec at `spec_path`. Only a file that cannot be read is an
/// `Err`; a file that does not parse is a `syntax` finding.
pub fn check(spec_path: &Path) -> Result<Vec<Finding>> {
    let text = std::fs::read_to_string(spec_path)
        .with_context(|| format!("cannot read {}", spec_path.display()))?;
    let lines = LineMap::new(&text);
    let shown = spec_path.display().to_string();
    let mut out = Findings {
        lines: &lines,
        list: Vec::new(),
    };

    // The generator's loader reports syntax and structure errors with a line.
    let mut generator_diagnostics = Vec::new();
    let api = match generator::parse(&shown, &text) {
        Ok(api) => Some(api),
        Err(diagnostics) => {
            let loads = serde_yaml::from_str::<Value>(&text).is_ok_and(|v| v.is_object())
                && generator::Spec::load(&shown, &text).is_ok();
            if !loads {
                for diagnostic in diagnostics.0 {
                    out.list.push(Finding {
                        rule: "syntax",
                        severity: Severity::Error,
                        pointer: format!("#{}", diagnostic.pointer),
                        line: diagnostic.line,
                        message: diagnostic.message,
                    });
                }
                return Ok(out.list);
            }
            generator_diagnostics = diagnostics.0;
            None
        }
    };
    let spec: Value = serde_yaml::from_str(&text)
        .with_context(|| format!("{} is not valid YAML", spec_path.display()))?;

    check_operations(&spec, &mut out);
    for problem in spec_check::validate_examples(spec_path)? {
        out.error(problem.rule, &problem.pointer, problem.message);
    }
    if let Some(api) = &api {
        for def in api.types.iter().filter(|t| !t.component) {
            let kind = match def.kind {
                TypeKind::Struct(_) => "an inline object schema",
                TypeKind::Enum(_) => "an inline enum schema",
                TypeKind::Union(_) => "an inline union (oneOf/anyOf) schema",
                TypeKind::Alias(_) => continue,
            };
            out.error(
                "named-schemas",
                &format!("#{}", def.pointer),
                format!(
                    "{kind}, which the generator would name `{}`; give it a deliberate name in #/components/schemas and refer to it with $ref",
                    def.name
                ),
            );
        }
    }
    for problem in spec_check::check_descriptions(spec_path)? {
        out.error(problem.rule, &problem.pointer, problem.message);
    }
    check_servers(&spec, &mut out);
    check_security(&spec, &mut out);

    // A generator diagnostic at a place that a more specific rule already reported adds
    // nothing; every other one is a `generator-support` error.
    let reported: BTreeSet<String> = out.list.iter().map(|f| f.pointer.clone()).collect();
    for diagnostic in generator_diagnostics {
        let pointer = format!("#{}", diagnostic.pointer);
        if reported.contains(&pointer) {
            continue;
        }
        out.list.push(Finding {
            rule: "generator-support",
            severity: Severity::Error,
            pointer,
            line: diagnostic.line,
            message: diagnostic.message,
        });
    }

    let mut list = out.list;
    list.sort_by(|a, b| {
        (a.line, &a.pointer, a.rule, &a.message).cmp(&(b.line, &b.pointer, b.rule, &b.message))
    });
    list.dedup();
    Ok(list)
}

/// `cargo xtask lint [SPEC]`: prints every finding and a summary; exit 1 on any error.
pub fn run(args: &[String]) -> Result<ExitCode> {
    let (spec_path, shown) = match args {
        [] => (
            crate::project_root().join(crate::SPEC_PATH),
            crate::SPEC_PATH.to_string(),
        ),
        [path] if !path.starts_with('-') => (PathBuf::from(path), path.clone()),
        _ => bail!(
            "usage: cargo xtask lint [SPEC] (default: {})",
            crate::SPEC_PATH
        ),
    };
    let findings = check(&spec_path)?;
    for finding in &findings {
        println!("{}", finding.display(&shown));
    }
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    let mut per_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for finding in &findings {
        *per_rule.entry(finding.rule).or_default() += 1;
    }
    let rules: Vec<String> = per_rule
        .iter()
        .map(|(rule, n)| format!("{rule}: {n}"))
        .collect();
    let detail = if rules.is_empty() {
        String::new()
    } else {
        format!(" ({})", rules.join(", "))
    };
    println!(
        "lint: {shown}: {errors} {}, {warnings} {}{detail}; {} rules checked",
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings"),
        RULES.len()
    );
    Ok(if errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

// ---------------------------------------------------------------------------------------
// Rules on the raw document.

/// Collects findings and gives each its line.
struct Findings<'a> {
    lines: &'a LineMap,
    list: Vec<Finding>,
}

impl Findings<'_> {
    fn push(&mut self, rule: &'static str, severity: Severity, pointer: &str, message: String) {
        let pointer = if pointer.starts_with('#') {
            pointer.to_string()
        } else {
            format!("#{pointer}")
        };
        let line = self.lines.line_of(&pointer[1..]);
        self.list.push(Finding {
            rule,
            severity,
            pointer,
            line,
            message,
        });
    }

    fn error(&mut self, rule: &'static str, pointer: &str, message: String) {
        self.push(rule, Severity::Error, pointer, message);
    }

    fn warning(&mut self, rule: &'static str, pointer: &str, message: String) {
        self.push(rule, Severity::Warning, pointer, message);
    }
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn check_operations(spec: &Value, out: &mut Findings<'_>) {
    let declared_tags: BTreeSet<&str> = match spec.get("tags") {
        Some(Value::Array(tags)) => tags
            .iter()
            .filter_map(|t| t.get("name").and_then(Value::as_str))
            .collect(),
        _ => BTreeSet::new(),
    };
    let mut seen_ids: BTreeMap<String, String> = BTreeMap::new();
    let Some(Value::Object(paths)) = spec.get("paths") else {
        return;
    };
    for (path, item) in paths {
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let at = format!("#/paths/{}/{method}", escape(path));
            let name = format!("{} {path}", method.to_uppercase());

            match operation.get("operationId").and_then(Value::as_str) {
                Some(id) if !id.trim().is_empty() => {
                    if let Some(first) = seen_ids.get(id) {
                        out.error(
                            "operation-id",
                            &format!("{at}/operationId"),
                            format!("{name}: operationId `{id}` is already used by {first}; operationIds must be unique"),
                        );
                    } else {
                        seen_ids.insert(id.to_string(), name.clone());
                    }
                }
                _ => out.error(
                    "operation-id",
                    &at,
                    format!("{name} has no operationId; add one (it names the generated method)"),
                ),
            }

            if !has_text(operation.get("summary")) {
                out.error(
                    "operation-summary",
                    &at,
                    format!("{name} has no summary; add a one-line summary"),
                );
            }

            match operation.get("tags").and_then(Value::as_array) {
                Some(tags) if !tags.is_empty() => {
                    let first = tags[0].as_str().unwrap_or_default();
                    if !declared_tags.contains(first) {
                        out.error(
                            "operation-tag",
                            &format!("{at}/tags/0"),
                            format!("{name}: tag `{first}` (its service) is not declared in the top-level `tags`; declare it with a description"),
                        );
                    }
                }
                _ => out.error(
                    "operation-tag",
                    &at,
                    format!("{name} has no tag; its first tag names its service"),
                ),
            }

            let documents_4xx = operation
                .get("responses")
                .and_then(Value::as_object)
                .is_some_and(|r| r.keys().any(|status| status.starts_with('4')));
            if !documents_4xx {
                let responses_at = if operation.get("responses").is_some() {
                    format!("{at}/responses")
                } else {
                    at.clone()
                };
                out.error(
                    "error-responses",
                    &responses_at,
                    format!("{name} documents no 4xx response; document at least the error a bad request gets"),
                );
            }
        }
    }
}

fn check_servers(spec: &Value, out: &mut Findings<'_>) {
    match spec.get("servers").and_then(Value::as_array) {
        Some(servers) if !servers.is_empty() => check_server_list(servers, "#/servers", out),
        _ => out.error(
            "servers",
            "#",
            "the document has no top-level `servers`; name the default endpoint".to_string(),
        ),
    }
    if let Some(Value::Object(paths)) = spec.get("paths") {
        for (path, item) in paths {
            let at = format!("#/paths/{}", escape(path));
            if let Some(servers) = item.get("servers").and_then(Value::as_array) {
                check_server_list(servers, &format!("{at}/servers"), out);
            }
            for method in METHODS {
                if let Some(servers) = item
                    .get(method)
                    .and_then(|o| o.get("servers"))
                    .and_then(Value::as_array)
                {
                    check_server_list(servers, &format!("{at}/{method}/servers"), out);
                }
            }
        }
    }
}

fn check_server_list(servers: &[Value], at: &str, out: &mut Findings<'_>) {
    for (i, server) in servers.iter().enumerate() {
        let at = format!("{at}/{i}");
        let Some(url) = server.get("url").and_then(Value::as_str) else {
            out.error("servers", &at, "the server has no `url`".to_string());
            continue;
        };
        if !has_text(server.get("description")) {
            out.error("servers", &at, format!("server `{url}` has no description"));
        }
        if !url.starts_with("https://") {
            out.warning(
                "servers",
                &format!("{at}/url"),
                format!("server `{url}` does not use https"),
            );
        }
        let used = url_variables(url);
        let variables = server.get("variables").and_then(Value::as_object);
        for name in &used {
            match variables.and_then(|v| v.get(name.as_str())) {
                None => out.error(
                    "servers",
                    &format!("{at}/url"),
                    format!("server `{url}` uses `{{{name}}}` but declares no variable `{name}`"),
                ),
                Some(variable) => {
                    let variable_at = format!("{at}/variables/{}", escape(name));
                    if variable.get("default").is_none() {
                        out.error(
                            "servers",
                            &variable_at,
                            format!("server variable `{name}` has no default"),
                        );
                    }
                    if !has_text(variable.get("description")) {
                        out.error(
                            "servers",
                            &variable_at,
                            format!("server variable `{name}` has no description"),
                        );
                    }
                }
            }
        }
        for name in variables.into_iter().flat_map(|v| v.keys()) {
            if !used.contains(name) {
                out.error(
                    "servers",
                    &format!("{at}/variables/{}", escape(name)),
                    format!("server variable `{name}` is declared but `{url}` does not use it"),
                );
            }
        }
    }
}

fn check_security(spec: &Value, out: &mut Findings<'_>) {
    let schemes = spec
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object);
    for (name, scheme) in schemes.into_iter().flatten() {
        if !has_text(scheme.get("description")) {
            out.error(
                "security",
                &format!("#/components/securitySchemes/{}", escape(name)),
                format!("security scheme `{name}` has no description"),
            );
        }
    }
    let mut requirements: Vec<(String, &Value)> = Vec::new();
    match spec.get("security").and_then(Value::as_array) {
        Some(list) if !list.is_empty() => {
            requirements.extend(
                list.iter()
                    .enumerate()
                    .map(|(i, r)| (format!("#/security/{i}"), r)),
            );
        }
        _ => out.error(
            "security",
            "#",
            "the document has no top-level `security`; say how every request authenticates"
                .to_string(),
        ),
    }
    if let Some(Value::Object(paths)) = spec.get("paths") {
        for (path, item) in paths {
            for method in METHODS {
                if let Some(list) = item
                    .get(method)
                    .and_then(|o| o.get("security"))
                    .and_then(Value::as_array)
                {
                    let at = format!("#/paths/{}/{method}/security", escape(path));
                    requirements.extend(
                        list.iter()
                            .enumerate()
                            .map(|(i, r)| (format!("{at}/{i}"), r)),
                    );
                }
            }
        }
    }
    for (at, requirement) in requirements {
        for name in requirement.as_object().into_iter().flat_map(|r| r.keys()) {
            if !schemes.is_some_and(|s| s.contains_key(name)) {
                out.error(
                    "security",
                    &at,
                    format!("security requirement names `{name}`, which is not declared in #/components/securitySchemes"),
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Small helpers.

fn has_text(value: Option<&Value>) -> bool {
    value
        .and_then(Value::as_str)
        .is_some_and(|t| !t.trim().is_empty())
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// The `{name}` variables of a server URL, in order.
fn url_variables(url: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = url;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        out.push(rest[start + 1..start + len].to_string());
        rest = &rest[start + len + 1..];
    }
    out
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}
