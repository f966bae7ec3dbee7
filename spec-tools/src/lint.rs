//! `cargo xtask lint [SPEC]`: the project's own rules for `spec/openapi.yaml`, on top of
//! the standard OpenAPI linters (`scripts/lint-spec.sh`).
//!
//! Every rule has a name. Each finding is a `spec_model::Diagnostic` that names its rule,
//! its severity, the JSON pointer and the line of the place it is about, and says what to
//! do; it prints with the one rendering, `error[rule]: file#/pointer (line N): message`.
//! The spec is read and parsed once, through `spec-model`, and every rule works on that
//! one parse. Any error makes the command exit non-zero; warnings are printed but do not
//! fail.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use generator::ir::TypeKind;
use serde_json::Value;
use spec_model::operations::operations;
use spec_model::pointer::join;
use spec_model::resolve::follow;
use spec_model::{Diagnostic, Spec};

use crate::spec_check::{self, Source};

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
    (
        "required-parameters",
        "a required path, query or header parameter that is a string cannot be empty (`minLength` of at least 1)",
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

/// Runs every rule on the spec at `spec_path`, named as it is in the findings. Only a
/// file that cannot be read is an `Err`; a file that does not parse is a `syntax`
/// finding.
pub fn check(spec_path: &Path) -> Result<Vec<Diagnostic>> {
    let text = std::fs::read_to_string(spec_path)
        .with_context(|| format!("cannot read {}", spec_path.display()))?;
    Ok(check_text(&spec_path.display().to_string(), &text))
}

/// Runs every rule on `text`, the contents of `file`.
pub fn check_text(file: &str, text: &str) -> Vec<Diagnostic> {
    // The one parse: spec-model reports syntax and structure errors with a line, and a
    // spec it cannot read gets only those.
    let spec = match Spec::load(file, text) {
        Ok(spec) => spec,
        Err(diagnostics) => return diagnostics.0.into_iter().map(from_generator).collect(),
    };
    let (api, generator_diagnostics) = match generator::lower::lower(&spec) {
        Ok(api) => (Some(api), Vec::new()),
        Err(diagnostics) => (None, diagnostics),
    };

    let mut out = Vec::new();
    check_operations(&spec, &mut out);
    out.extend(spec_check::examples(Source::of(&spec)));
    if let Some(api) = &api {
        for def in api.types.iter().filter(|t| !t.component) {
            let kind = match def.kind {
                TypeKind::Struct(_) => "an inline object schema",
                TypeKind::Enum(_) => "an inline enum schema",
                TypeKind::Union(_) => "an inline union (oneOf/anyOf) schema",
                TypeKind::Alias(_) => continue,
            };
            out.push(spec.error(
                &def.pointer,
                "named-schemas",
                format!(
                    "{kind}, which the generator would name `{}`; give it a deliberate name in #/components/schemas and refer to it with $ref",
                    def.name
                ),
            ));
        }
    }
    out.extend(spec_check::descriptions(Source::of(&spec)));
    check_required_parameters(&spec, &mut out);
    check_servers(&spec, &mut out);
    check_security(&spec, &mut out);

    // A generator diagnostic at a place that a more specific rule already reported adds
    // nothing; every other one is reported under the lint's name for it.
    let reported: BTreeSet<String> = out.iter().map(|d| d.pointer.clone()).collect();
    out.extend(
        generator_diagnostics
            .into_iter()
            .filter(|d| !reported.contains(&d.pointer))
            .map(from_generator),
    );

    out.sort_by(|a, b| {
        (a.line, &a.pointer, a.rule, &a.message).cmp(&(b.line, &b.pointer, b.rule, &b.message))
    });
    out.dedup();
    out
}

/// A diagnostic of the spec reader or the generator as a lint finding: its severity as it
/// is, and its rule as the lint names it: `syntax` stays `syntax` (the file is not an
/// OpenAPI 3.0 document), every other rule (`reference`, `unsupported`, ...) is
/// `generator-support`.
fn from_generator(diagnostic: Diagnostic) -> Diagnostic {
    let rule = match diagnostic.rule {
        "syntax" => "syntax",
        _ => "generator-support",
    };
    Diagnostic { rule, ..diagnostic }
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
    let text = std::fs::read_to_string(&spec_path)
        .with_context(|| format!("cannot read {}", spec_path.display()))?;
    let findings = check_text(&shown, &text);
    for finding in &findings {
        println!("{finding}");
    }
    let errors = findings.iter().filter(|f| f.is_error()).count();
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

fn check_operations(spec: &Spec, out: &mut Vec<Diagnostic>) {
    let declared_tags: BTreeSet<&str> = match spec.raw.get("tags") {
        Some(Value::Array(tags)) => tags
            .iter()
            .filter_map(|t| t.get("name").and_then(Value::as_str))
            .collect(),
        _ => BTreeSet::new(),
    };
    let mut seen_ids: BTreeMap<String, String> = BTreeMap::new();
    for op in operations(&spec.raw) {
        let operation = op.operation;
        let at = op.pointer().to_string();
        let name = format!("{} {}", op.method.to_uppercase(), op.path);

        match op.id() {
            Some(id) if !id.trim().is_empty() => {
                if let Some(first) = seen_ids.get(id) {
                    out.push(spec.error(
                        &join(&at, "operationId"),
                        "operation-id",
                        format!("{name}: operationId `{id}` is already used by {first}; operationIds must be unique"),
                    ));
                } else {
                    seen_ids.insert(id.to_string(), name.clone());
                }
            }
            _ => out.push(spec.error(
                &at,
                "operation-id",
                format!("{name} has no operationId; add one (it names the generated method)"),
            )),
        }

        if !has_text(operation.get("summary")) {
            out.push(spec.error(
                &at,
                "operation-summary",
                format!("{name} has no summary; add a one-line summary"),
            ));
        }

        match operation.get("tags").and_then(Value::as_array) {
            Some(tags) if !tags.is_empty() => {
                let first = tags[0].as_str().unwrap_or_default();
                if !declared_tags.contains(first) {
                    out.push(spec.error(
                        &format!("{at}/tags/0"),
                        "operation-tag",
                        format!("{name}: tag `{first}` (its service) is not declared in the top-level `tags`; declare it with a description"),
                    ));
                }
            }
            _ => out.push(spec.error(
                &at,
                "operation-tag",
                format!("{name} has no tag; its first tag names its service"),
            )),
        }

        let documents_4xx = operation
            .get("responses")
            .and_then(Value::as_object)
            .is_some_and(|r| r.keys().any(|status| status.starts_with('4')));
        if !documents_4xx {
            let responses_at = if operation.get("responses").is_some() {
                join(&at, "responses")
            } else {
                at.clone()
            };
            out.push(spec.error(
                &responses_at,
                "error-responses",
                format!("{name} documents no 4xx response; document at least the error a bad request gets"),
            ));
        }
    }
}

/// A required parameter whose value may be the empty string is required in name only: an
/// empty header or query value passes `required`. Each parameter is reported once, where
/// it is written (a shared component once, at the component).
fn check_required_parameters(spec: &Spec, out: &mut Vec<Diagnostic>) {
    let mut seen = BTreeSet::new();
    for op in operations(&spec.raw) {
        let holders = [
            (op.item, join("/paths", op.path)),
            (op.operation, op.pointer().to_string()),
        ];
        for (holder, at) in holders {
            let parameters = holder.get("parameters").and_then(Value::as_array);
            for (i, parameter) in parameters.into_iter().flatten().enumerate() {
                let (pointer, parameter) = match parameter.get("$ref").and_then(Value::as_str) {
                    Some(reference) => (
                        reference.trim_start_matches('#').to_string(),
                        follow(&spec.raw, parameter),
                    ),
                    None => (format!("{at}/parameters/{i}"), parameter),
                };
                if !seen.insert(pointer.clone()) {
                    continue;
                }
                let location = parameter.get("in").and_then(Value::as_str).unwrap_or("");
                if parameter.get("required") != Some(&Value::Bool(true))
                    || !matches!(location, "path" | "query" | "header")
                {
                    continue;
                }
                let Some(schema) = parameter.get("schema") else {
                    continue;
                };
                let schema = follow(&spec.raw, schema);
                let is_string = schema.get("type").and_then(Value::as_str) == Some("string");
                let restricted = schema.get("enum").is_some() || schema.get("pattern").is_some();
                let min_length = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0);
                if is_string && !restricted && min_length == 0 {
                    let name = parameter.get("name").and_then(Value::as_str).unwrap_or("?");
                    out.push(spec.error(
                        &join(&pointer, "schema"),
                        "required-parameters",
                        format!("required {location} parameter `{name}` accepts an empty string, which is no value; give its schema `minLength: 1` (or the limits the API documents)"),
                    ));
                }
            }
        }
    }
}

fn check_servers(spec: &Spec, out: &mut Vec<Diagnostic>) {
    match spec.raw.get("servers").and_then(Value::as_array) {
        Some(servers) if !servers.is_empty() => check_server_list(spec, servers, "/servers", out),
        _ => out.push(spec.error(
            "",
            "servers",
            "the document has no top-level `servers`; name the default endpoint",
        )),
    }
    if let Some(Value::Object(paths)) = spec.raw.get("paths") {
        for (path, item) in paths {
            if let Some(servers) = item.get("servers").and_then(Value::as_array) {
                let at = join(&join("/paths", path), "servers");
                check_server_list(spec, servers, &at, out);
            }
        }
    }
    for op in operations(&spec.raw) {
        if let Some(servers) = op.operation.get("servers").and_then(Value::as_array) {
            check_server_list(spec, servers, op.pointer().join("servers").as_str(), out);
        }
    }
}

fn check_server_list(spec: &Spec, servers: &[Value], at: &str, out: &mut Vec<Diagnostic>) {
    for (i, server) in servers.iter().enumerate() {
        let at = format!("{at}/{i}");
        let Some(url) = server.get("url").and_then(Value::as_str) else {
            out.push(spec.error(&at, "servers", "the server has no `url`"));
            continue;
        };
        if !has_text(server.get("description")) {
            out.push(spec.error(&at, "servers", format!("server `{url}` has no description")));
        }
        let url_at = join(&at, "url");
        if !url.starts_with("https://") {
            out.push(spec.warning(
                &url_at,
                "servers",
                format!("server `{url}` does not use https"),
            ));
        }
        let used = url_variables(url);
        let variables = server.get("variables").and_then(Value::as_object);
        let variables_at = join(&at, "variables");
        for name in &used {
            match variables.and_then(|v| v.get(name.as_str())) {
                None => out.push(spec.error(
                    &url_at,
                    "servers",
                    format!("server `{url}` uses `{{{name}}}` but declares no variable `{name}`"),
                )),
                Some(variable) => {
                    let variable_at = join(&variables_at, name);
                    if variable.get("default").is_none() {
                        out.push(spec.error(
                            &variable_at,
                            "servers",
                            format!("server variable `{name}` has no default"),
                        ));
                    }
                    if !has_text(variable.get("description")) {
                        out.push(spec.error(
                            &variable_at,
                            "servers",
                            format!("server variable `{name}` has no description"),
                        ));
                    }
                }
            }
        }
        for name in variables.into_iter().flat_map(|v| v.keys()) {
            if !used.contains(name) {
                out.push(spec.error(
                    &join(&variables_at, name),
                    "servers",
                    format!("server variable `{name}` is declared but `{url}` does not use it"),
                ));
            }
        }
    }
}

fn check_security(spec: &Spec, out: &mut Vec<Diagnostic>) {
    let schemes = spec
        .raw
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object);
    for (name, scheme) in schemes.into_iter().flatten() {
        if !has_text(scheme.get("description")) {
            out.push(spec.error(
                &join("/components/securitySchemes", name),
                "security",
                format!("security scheme `{name}` has no description"),
            ));
        }
    }
    let mut requirements: Vec<(String, &Value)> = Vec::new();
    match spec.raw.get("security").and_then(Value::as_array) {
        Some(list) if !list.is_empty() => {
            requirements.extend(
                list.iter()
                    .enumerate()
                    .map(|(i, r)| (format!("/security/{i}"), r)),
            );
        }
        _ => out.push(spec.error(
            "",
            "security",
            "the document has no top-level `security`; say how every request authenticates",
        )),
    }
    for op in operations(&spec.raw) {
        if let Some(list) = op.operation.get("security").and_then(Value::as_array) {
            let at = op.pointer().join("security");
            requirements.extend(
                list.iter()
                    .enumerate()
                    .map(|(i, r)| (format!("{at}/{i}"), r)),
            );
        }
    }
    for (at, requirement) in requirements {
        for name in requirement.as_object().into_iter().flat_map(|r| r.keys()) {
            if !schemes.is_some_and(|s| s.contains_key(name)) {
                out.push(spec.error(
                    &at,
                    "security",
                    format!("security requirement names `{name}`, which is not declared in #/components/securitySchemes"),
                ));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generator_diagnostics_keep_their_severity_and_get_the_lint_rule_by_their_rule() {
        let unsupported = Diagnostic::warning("s.yaml", "/paths", "unsupported", "m");
        let mapped = from_generator(unsupported.clone());
        assert_eq!(mapped.rule, "generator-support");
        assert_eq!(mapped.severity, spec_model::Severity::Warning);
        assert_eq!(
            (mapped.pointer, mapped.message),
            (unsupported.pointer, unsupported.message)
        );
        let syntax = Diagnostic::error("s.yaml", "", "syntax", "not YAML");
        assert_eq!(from_generator(syntax).rule, "syntax");
        assert!(RULES.iter().any(|(rule, _)| *rule == "generator-support"));
    }
}
