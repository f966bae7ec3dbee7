//! Checks of `spec/openapi.yaml` that the linters do not make: every example against its
//! schema, the spec against the seed transcription in `spec/seed-fields.tsv`, and English
//! descriptions everywhere.
//!
//! The spec is read through `spec-model` (parsing, pointers, `$ref`s, `allOf` wrappers);
//! the example and description checks report `Diagnostic`s under the lint's rule names
//! (`example-valid`, `descriptions`, `english`), empty when all is well. Only a file that
//! cannot be read or parsed at all is an `Err`.

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

use anyhow::{anyhow, bail, Context, Result};
use serde_json::{json, Map, Value};
use spec_model::all_of::{chain, unwrap_value};
use spec_model::load::parse_raw;
use spec_model::operations::{operations, METHODS};
use spec_model::pointer::join;
use spec_model::resolve::{follow, resolve_raw, target};
use spec_model::{Diagnostic, LineMap, Spec};

/// A spec as these checks read it: the raw document, the file it came from and where its
/// nodes are. It need not be a valid OpenAPI document, only a YAML mapping.
#[derive(Clone, Copy)]
pub struct Source<'a> {
    pub file: &'a str,
    pub document: &'a Value,
    pub lines: &'a LineMap,
}

impl<'a> Source<'a> {
    /// The source of a loaded spec.
    pub fn of(spec: &'a Spec) -> Source<'a> {
        Source {
            file: &spec.file,
            document: &spec.raw,
            lines: &spec.lines,
        }
    }

    /// An error of `rule` at `pointer`, with its line.
    fn error(&self, pointer: &str, rule: &'static str, message: String) -> Diagnostic {
        Diagnostic::error(self.file, pointer, rule, message).at_line(self.lines.line_of(pointer))
    }
}

/// A spec file, read and parsed once.
pub struct Loaded {
    pub file: String,
    pub document: Value,
    pub lines: LineMap,
}

impl Loaded {
    pub fn source(&self) -> Source<'_> {
        Source {
            file: &self.file,
            document: &self.document,
            lines: &self.lines,
        }
    }
}

/// Reads and parses an OpenAPI document (YAML or JSON); it must be a mapping.
pub fn load(spec_path: &Path) -> Result<Loaded> {
    let file = spec_path.display().to_string();
    let text = std::fs::read_to_string(spec_path).with_context(|| format!("cannot read {file}"))?;
    let (document, lines) =
        parse_raw(&file, &text).map_err(|diagnostic| anyhow!("{diagnostic}"))?;
    Ok(Loaded {
        file,
        document,
        lines,
    })
}

/// Reads an OpenAPI document (YAML or JSON) into a JSON value.
pub fn load_spec(spec_path: &Path) -> Result<Value> {
    Ok(load(spec_path)?.document)
}

/// [`examples`] of the spec at `spec_path`.
pub fn validate_examples(spec_path: &Path) -> Result<Vec<Diagnostic>> {
    Ok(examples(load(spec_path)?.source()))
}

/// [`descriptions`] of the spec at `spec_path`.
pub fn check_descriptions(spec_path: &Path) -> Result<Vec<Diagnostic>> {
    Ok(descriptions(load(spec_path)?.source()))
}

/// A problem found by one of the checks: where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Problem {
    pointer: String,
    message: String,
}

/// Validates every example in the spec against its schema: media-type `example` and
/// `examples`, parameter and header `example` and `examples`, and schema `example`.
///
/// Schemas are converted from OpenAPI 3.0 to JSON Schema draft 4 (see
/// `openapi_to_json_schema`); only local `#/components/schemas/...` references are
/// resolved, nothing is ever fetched.
///
/// Every problem is an `example-valid` error at the example (or at the broken schema).
pub fn examples(source: Source<'_>) -> Vec<Diagnostic> {
    example_problems(source.document)
        .into_iter()
        .map(|p| source.error(&p.pointer, "example-valid", p.message))
        .collect()
}

fn example_problems(spec: &Value) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut sites = Vec::new();
    collect_example_sites(spec, &mut sites, &mut problems);

    let mut ref_problems = Vec::new();
    let components = match spec.pointer("/components/schemas") {
        Some(Value::Object(schemas)) => {
            let mut converted = Map::new();
            for (name, schema) in schemas {
                let pointer = join("/components/schemas", name);
                converted.insert(
                    name.clone(),
                    openapi_to_json_schema(schema, &pointer, spec, &mut ref_problems),
                );
            }
            Value::Object(converted)
        }
        _ => Value::Object(Map::new()),
    };
    problems.extend(ref_problems);

    for site in sites {
        let mut site_problems = Vec::new();
        let converted =
            openapi_to_json_schema(&site.schema, &site.schema_pointer, spec, &mut site_problems);
        if !site_problems.is_empty() {
            // The schema itself is broken; its problems are reported once, at the schema.
            for problem in site_problems {
                if !problems.contains(&problem) {
                    problems.push(problem);
                }
            }
            continue;
        }
        let root = json!({
            "components": { "schemas": components },
            "allOf": [converted],
        });
        let validator = match jsonschema::draft4::new(&root) {
            Ok(validator) => validator,
            Err(err) => {
                problems.push(Problem {
                    pointer: site.example_pointer.clone(),
                    message: format!(
                        "the schema at {} cannot be compiled: {err}",
                        site.schema_pointer
                    ),
                });
                continue;
            }
        };
        for err in validator.iter_errors(&site.value) {
            let path = err.instance_path().to_string();
            let at = if path.is_empty() {
                "(root)".to_string()
            } else {
                path
            };
            problems.push(Problem {
                pointer: site.example_pointer.clone(),
                message: format!("{at}: {err}"),
            });
        }
    }
    problems
}

/// Converts an OpenAPI 3.0 schema object into a JSON Schema draft 4 schema.
///
/// `nullable` becomes a `null` alternative; `example`, `x-*`, `discriminator`, `xml`,
/// `externalDocs`, `deprecated`, `readOnly` and `writeOnly` are dropped; `format: int32`
/// and `format: int64` become range checks. A `$ref` that does not point at an existing
/// `#/components/schemas/...` entry is reported as a problem at `pointer`.
fn openapi_to_json_schema(
    schema: &Value,
    pointer: &str,
    spec: &Value,
    problems: &mut Vec<Problem>,
) -> Value {
    let Value::Object(map) = schema else {
        return schema.clone();
    };
    let mut out = Map::new();
    for (key, value) in map {
        let child = join(pointer, key);
        match key.as_str() {
            k if k.starts_with("x-") => {}
            "example" | "discriminator" | "xml" | "externalDocs" | "deprecated" | "readOnly"
            | "writeOnly" | "nullable" => {}
            "$ref" => {
                check_schema_ref(schema, pointer, spec, problems);
                out.insert(key.clone(), value.clone());
            }
            "properties" => {
                let converted = match value {
                    Value::Object(properties) => Value::Object(
                        properties
                            .iter()
                            .map(|(name, property)| {
                                let at = join(&child, name);
                                (
                                    name.clone(),
                                    openapi_to_json_schema(property, &at, spec, problems),
                                )
                            })
                            .collect(),
                    ),
                    other => other.clone(),
                };
                out.insert(key.clone(), converted);
            }
            "items" | "additionalProperties" | "not" => {
                out.insert(
                    key.clone(),
                    openapi_to_json_schema(value, &child, spec, problems),
                );
            }
            "allOf" | "anyOf" | "oneOf" => {
                let converted = match value {
                    Value::Array(items) => Value::Array(
                        items
                            .iter()
                            .enumerate()
                            .map(|(i, item)| {
                                openapi_to_json_schema(
                                    item,
                                    &format!("{child}/{i}"),
                                    spec,
                                    problems,
                                )
                            })
                            .collect(),
                    ),
                    other => other.clone(),
                };
                out.insert(key.clone(), converted);
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }

    let is_integer = map.get("type").and_then(Value::as_str) == Some("integer");
    let range = match map.get("format").and_then(Value::as_str) {
        Some("int32") if is_integer => Some((json!(i32::MIN), json!(i32::MAX))),
        Some("int64") if is_integer => Some((json!(i64::MIN), json!(i64::MAX))),
        _ => None,
    };
    if let Some((min, max)) = range {
        let bounds = json!({ "minimum": min, "maximum": max });
        match out.get_mut("allOf") {
            Some(Value::Array(all_of)) => all_of.push(bounds),
            _ => {
                out.insert("allOf".to_string(), json!([bounds]));
            }
        }
    }

    if map.get("nullable") == Some(&Value::Bool(true)) {
        let simple_type = out.get("type").and_then(Value::as_str).map(str::to_string);
        match simple_type {
            Some(ty) if !out.contains_key("$ref") => {
                out.insert("type".to_string(), json!([ty, "null"]));
                if let Some(Value::Array(values)) = out.get_mut("enum") {
                    if !values.contains(&Value::Null) {
                        values.push(Value::Null);
                    }
                }
            }
            _ => return json!({ "anyOf": [Value::Object(out), { "type": "null" }] }),
        }
    }
    Value::Object(out)
}

/// Checks the spec against the seed transcription: every row of `tsv_path` must be
/// present in the spec with the seed's type, required-ness, length limits, enum and
/// default, or with the values of the row's `decision` column where the spec
/// deliberately differs from the seed.
///
/// The TSV format is described in `spec/NOTES.md` ("Seed field coverage").
pub fn check_seed_fields(spec_path: &Path, tsv_path: &Path) -> Result<Vec<String>> {
    let spec = load_spec(spec_path)?;
    let text = std::fs::read_to_string(tsv_path)
        .with_context(|| format!("cannot read {}", tsv_path.display()))?;
    let (rows, mut problems) = parse_seed_rows(&text, tsv_path)?;
    for row in &rows {
        let mut row_problems = Vec::new();
        check_row(&spec, row, &mut row_problems);
        problems.extend(row_problems.into_iter().map(|p| {
            format!(
                "{}:{} (seed {}, {} {} `{}`): {p}",
                tsv_path.display(),
                row.line,
                row.seed,
                row.operation_id,
                row.location,
                row.field
            )
        }));
    }
    Ok(problems)
}

/// Checks that every parameter and every schema property has a description, and that no
/// `description` or `summary` outside example values contains CJK characters (the spec
/// is written in English; Chinese text is allowed only as example data).
///
/// A missing description is a `descriptions` error, prose that is not English an
/// `english` error.
pub fn descriptions(source: Source<'_>) -> Vec<Diagnostic> {
    let spec = source.document;
    let mut missing = Vec::new();
    let mut not_english = Vec::new();
    walk_text(spec, "", TextContext::Plain, &mut not_english);
    walk_descriptions(spec, spec, "", &mut missing);
    let english = not_english
        .into_iter()
        .map(|p| source.error(&p.pointer, "english", p.message));
    let described = missing
        .into_iter()
        .map(|p| source.error(&p.pointer, "descriptions", p.message));
    english.chain(described).collect()
}

// ---------------------------------------------------------------------------------------
// Finding examples.

struct ExampleSite {
    schema: Value,
    schema_pointer: String,
    value: Value,
    example_pointer: String,
}

fn collect_example_sites(spec: &Value, sites: &mut Vec<ExampleSite>, problems: &mut Vec<Problem>) {
    if let Some(Value::Object(paths)) = spec.get("paths") {
        for (path, item) in paths {
            let item_pointer = join("/paths", path);
            if item.get("$ref").is_some() {
                continue;
            }
            collect_parameters(spec, item, &item_pointer, sites, problems);
            for method in METHODS {
                let Some(operation) = item.get(method) else {
                    continue;
                };
                let op_pointer = format!("{item_pointer}/{method}");
                collect_parameters(spec, operation, &op_pointer, sites, problems);
                if let Some(body) = operation.get("requestBody") {
                    if body.get("$ref").is_none() {
                        collect_content(
                            spec,
                            body,
                            &format!("{op_pointer}/requestBody"),
                            sites,
                            problems,
                        );
                    }
                }
                if let Some(Value::Object(responses)) = operation.get("responses") {
                    for (status, response) in responses {
                        let at = join(&format!("{op_pointer}/responses"), status);
                        collect_response(spec, response, &at, sites, problems);
                    }
                }
            }
        }
    }

    let Some(components) = spec.get("components") else {
        return;
    };
    for (section, kind) in [
        ("parameters", "parameter"),
        ("headers", "parameter"),
        ("requestBodies", "content"),
        ("responses", "response"),
    ] {
        let Some(Value::Object(entries)) = components.get(section) else {
            continue;
        };
        for (name, entry) in entries {
            let at = join(&format!("/components/{section}"), name);
            match kind {
                "parameter" => collect_parameter(spec, entry, &at, sites, problems),
                "content" => collect_content(spec, entry, &at, sites, problems),
                _ => collect_response(spec, entry, &at, sites, problems),
            }
        }
    }
    if let Some(Value::Object(schemas)) = components.get("schemas") {
        for (name, schema) in schemas {
            let at = join("/components/schemas", name);
            collect_schema_examples(schema, &at, sites);
        }
    }
}

fn collect_parameters(
    spec: &Value,
    holder: &Value,
    pointer: &str,
    sites: &mut Vec<ExampleSite>,
    problems: &mut Vec<Problem>,
) {
    if let Some(Value::Array(parameters)) = holder.get("parameters") {
        for (i, parameter) in parameters.iter().enumerate() {
            let at = format!("{pointer}/parameters/{i}");
            collect_parameter(spec, parameter, &at, sites, problems);
        }
    }
}

/// A parameter or header object: `schema` with `example`/`examples`, or `content`.
fn collect_parameter(
    spec: &Value,
    parameter: &Value,
    pointer: &str,
    sites: &mut Vec<ExampleSite>,
    problems: &mut Vec<Problem>,
) {
    if parameter.get("$ref").is_some() {
        return;
    }
    if parameter.get("content").is_some() {
        collect_content(spec, parameter, pointer, sites, problems);
    } else {
        collect_media_type(spec, parameter, pointer, sites, problems);
    }
}

fn collect_response(
    spec: &Value,
    response: &Value,
    pointer: &str,
    sites: &mut Vec<ExampleSite>,
    problems: &mut Vec<Problem>,
) {
    if response.get("$ref").is_some() {
        return;
    }
    collect_content(spec, response, pointer, sites, problems);
    if let Some(Value::Object(headers)) = response.get("headers") {
        for (name, header) in headers {
            let at = join(&format!("{pointer}/headers"), name);
            collect_parameter(spec, header, &at, sites, problems);
        }
    }
}

fn collect_content(
    spec: &Value,
    holder: &Value,
    pointer: &str,
    sites: &mut Vec<ExampleSite>,
    problems: &mut Vec<Problem>,
) {
    if let Some(Value::Object(content)) = holder.get("content") {
        for (media, media_type) in content {
            let at = join(&format!("{pointer}/content"), media);
            collect_media_type(spec, media_type, &at, sites, problems);
        }
    }
}

/// A media type object, or a parameter with `schema`: its `example` and `examples`.
fn collect_media_type(
    spec: &Value,
    holder: &Value,
    pointer: &str,
    sites: &mut Vec<ExampleSite>,
    problems: &mut Vec<Problem>,
) {
    let Some(schema) = holder.get("schema") else {
        return;
    };
    let schema_pointer = format!("{pointer}/schema");
    collect_schema_examples(schema, &schema_pointer, sites);
    if let Some(example) = holder.get("example") {
        sites.push(ExampleSite {
            schema: schema.clone(),
            schema_pointer: schema_pointer.clone(),
            value: example.clone(),
            example_pointer: format!("{pointer}/example"),
        });
    }
    let Some(Value::Object(examples)) = holder.get("examples") else {
        return;
    };
    for (name, example) in examples {
        let example_at = join(&format!("{pointer}/examples"), name);
        let (example, example_at) = match resolve_raw(spec, example, &example_at) {
            Ok((example, at)) => (example, String::from(at)),
            Err(message) => {
                problems.push(Problem {
                    pointer: example_at,
                    message,
                });
                continue;
            }
        };
        match example.get("value") {
            Some(value) => sites.push(ExampleSite {
                schema: schema.clone(),
                schema_pointer: schema_pointer.clone(),
                value: value.clone(),
                example_pointer: format!("{example_at}/value"),
            }),
            None if example.get("externalValue").is_some() => problems.push(Problem {
                pointer: example_at,
                message: "externalValue examples cannot be checked; inline the value".to_string(),
            }),
            None => problems.push(Problem {
                pointer: example_at,
                message: "the example has no value".to_string(),
            }),
        }
    }
}

/// Schema-level `example`s, in this schema and every inline schema below it.
fn collect_schema_examples(schema: &Value, pointer: &str, sites: &mut Vec<ExampleSite>) {
    let Value::Object(map) = schema else {
        return;
    };
    if map.contains_key("$ref") {
        return;
    }
    if let Some(example) = map.get("example") {
        sites.push(ExampleSite {
            schema: schema.clone(),
            schema_pointer: pointer.to_string(),
            value: example.clone(),
            example_pointer: format!("{pointer}/example"),
        });
    }
    for (child, at) in schema_children(map, pointer) {
        collect_schema_examples(child, &at, sites);
    }
}

/// The sub-schemas of a schema object, with their pointers.
fn schema_children<'a>(map: &'a Map<String, Value>, pointer: &str) -> Vec<(&'a Value, String)> {
    let mut children = Vec::new();
    for (key, value) in map {
        match (key.as_str(), value) {
            ("properties", Value::Object(properties)) => {
                for (name, property) in properties {
                    children.push((property, join(&format!("{pointer}/properties"), name)));
                }
            }
            ("items" | "additionalProperties" | "not", Value::Object(_)) => {
                children.push((value, format!("{pointer}/{key}")));
            }
            ("allOf" | "anyOf" | "oneOf", Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    children.push((item, format!("{pointer}/{key}/{i}")));
                }
            }
            _ => {}
        }
    }
    children
}

/// A `$ref` in a schema (`schema`, written at `pointer`) must name a component schema
/// that exists: the converted components are all the validator can resolve.
fn check_schema_ref(schema: &Value, pointer: &str, spec: &Value, problems: &mut Vec<Problem>) {
    let problem = match schema.get("$ref").and_then(Value::as_str) {
        None => Some("$ref is not a string".to_string()),
        Some(r) if !r.starts_with("#/components/schemas/") => Some(format!(
            "$ref `{r}` is not a local `#/components/schemas/...` reference"
        )),
        Some(_) => resolve_raw(spec, schema, pointer).err(),
    };
    if let Some(message) = problem {
        let problem = Problem {
            pointer: pointer.to_string(),
            message,
        };
        if !problems.contains(&problem) {
            problems.push(problem);
        }
    }
}

// ---------------------------------------------------------------------------------------
// The seed transcription.

const TSV_COLUMNS: [&str; 13] = [
    "seed",
    "operation_id",
    "location",
    "pointer",
    "field",
    "seed_type",
    "seed_required",
    "min_length",
    "max_length",
    "enum",
    "default",
    "description",
    "decision",
];

#[derive(Debug, Default)]
struct SeedRow {
    line: usize,
    seed: String,
    operation_id: String,
    location: String,
    pointer: String,
    field: String,
    seed_type: String,
    seed_required: String,
    min_length: String,
    max_length: String,
    enum_values: String,
    default: String,
    description: String,
    decision: String,
}

fn parse_seed_rows(text: &str, tsv_path: &Path) -> Result<(Vec<SeedRow>, Vec<String>)> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line))
        .filter(|(_, line)| !line.trim().is_empty() && !line.starts_with('#'));
    let Some((header_line, header)) = lines.next() else {
        bail!("{} has no header line", tsv_path.display());
    };
    let header: Vec<&str> = header.split('\t').collect();
    if header != TSV_COLUMNS {
        bail!(
            "{}:{header_line}: the header must be the tab-separated columns `{}`, found `{}`",
            tsv_path.display(),
            TSV_COLUMNS.join(" "),
            header.join(" ")
        );
    }
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (line, text) in lines {
        let cells: Vec<String> = text.split('\t').map(|c| c.trim().to_string()).collect();
        if cells.len() != TSV_COLUMNS.len() {
            problems.push(format!(
                "{}:{line}: expected {} tab-separated columns, found {}",
                tsv_path.display(),
                TSV_COLUMNS.len(),
                cells.len()
            ));
            continue;
        }
        let mut cells = cells.into_iter();
        let mut next = || cells.next().unwrap_or_default();
        rows.push(SeedRow {
            line,
            seed: next(),
            operation_id: next(),
            location: next(),
            pointer: next(),
            field: next(),
            seed_type: next(),
            seed_required: next(),
            min_length: next(),
            max_length: next(),
            enum_values: next(),
            default: next(),
            description: next(),
            decision: next(),
        });
    }
    if rows.is_empty() && problems.is_empty() {
        bail!("{} has no rows", tsv_path.display());
    }
    Ok((rows, problems))
}

/// What the spec must say about one field: the seed's values, overridden by the decision.
#[derive(Debug)]
struct Expected {
    ty: Option<String>,
    required: Option<bool>,
    min_length: Option<u64>,
    max_length: Option<u64>,
    /// `minimum` and `maximum`, compared only when the table has those columns.
    range: Option<(Option<f64>, Option<f64>)>,
    enum_values: Option<Vec<String>>,
    default: Option<Value>,
}

/// The field a table row is about.
struct FieldRef<'a> {
    location: &'a str,
    pointer: &'a str,
    field: &'a str,
}

fn check_row(spec: &Value, row: &SeedRow, problems: &mut Vec<String>) {
    if row.description.is_empty() {
        problems.push("the row has no description (the seed's text in English)".to_string());
    }
    let Some((path_item, operation)) = find_operation(spec, &row.operation_id) else {
        problems.push(format!("no operation `{}` in the spec", row.operation_id));
        return;
    };
    match row.location.as_str() {
        "status" => {
            match operation
                .get("responses")
                .and_then(|responses| responses.get(&row.field))
            {
                Some(response) => {
                    let response = follow(spec, response);
                    if !has_text(response.get("description").and_then(Value::as_str)) {
                        problems.push(format!("response {} has no description", row.field));
                    }
                }
                None => problems.push(format!("the spec documents no response {}", row.field)),
            }
            return;
        }
        "error-code" => {
            if !error_code_in_examples(spec, operation, &row.field) {
                problems.push(format!(
                    "no example of a 4xx/5xx response of this operation carries error_code `{}`",
                    row.field
                ));
            }
            return;
        }
        _ => {}
    }

    let Some(expected) = expected_for(row, problems) else {
        return;
    };
    let field = FieldRef {
        location: &row.location,
        pointer: &row.pointer,
        field: &row.field,
    };
    check_field(spec, path_item, operation, &field, &expected, problems);
}

/// Compares one parameter or property of the spec with what a table row expects of it.
fn check_field(
    spec: &Value,
    path_item: &Value,
    operation: &Value,
    row: &FieldRef<'_>,
    expected: &Expected,
    problems: &mut Vec<String>,
) {
    let (schema, required, description) = match row.location {
        "path" | "header" | "query" | "cookie" => {
            match find_parameter(spec, path_item, operation, row.location, row.field) {
                Some(parameter) => {
                    let Some(schema) = parameter.get("schema") else {
                        problems.push("the parameter has no schema".to_string());
                        return;
                    };
                    let required = parameter.get("required") == Some(&Value::Bool(true));
                    let description = parameter
                        .get("description")
                        .and_then(Value::as_str)
                        .map(str::to_string);
                    (schema, required, description)
                }
                None => {
                    problems.push(format!(
                        "the operation has no {} parameter `{}`",
                        row.location, row.field
                    ));
                    return;
                }
            }
        }
        location => {
            let root = match body_schema(spec, operation, location) {
                Ok(root) => root,
                Err(message) => {
                    problems.push(message);
                    return;
                }
            };
            let mut reachable = BTreeSet::new();
            collect_reachable(spec, root, &mut reachable, 0);
            if !reachable.contains(row.pointer) {
                problems.push(format!(
                    "{} is not used by the {location} of this operation",
                    row.pointer
                ));
                return;
            }
            let Ok((target, _)) = target(spec, row.pointer) else {
                problems.push(format!("{} does not resolve in the spec", row.pointer));
                return;
            };
            let Some(property) = target
                .get("properties")
                .and_then(|properties| properties.get(row.field))
            else {
                problems.push(format!("{} has no property `{}`", row.pointer, row.field));
                return;
            };
            let required = target
                .get("required")
                .and_then(Value::as_array)
                .is_some_and(|names| names.iter().any(|n| n.as_str() == Some(row.field)));
            (property, required, effective_description(spec, property))
        }
    };

    if !has_text(description.as_deref()) {
        problems.push("the spec gives it no description".to_string());
    }
    let actual_type = signature(spec, schema, 0);
    if let Some(ty) = &expected.ty {
        if !type_matches(ty, &actual_type) {
            problems.push(format!(
                "type is `{actual_type}` in the spec, expected `{ty}`"
            ));
        }
    }
    if let Some(expected_required) = expected.required {
        if required != expected_required {
            problems.push(format!(
                "the spec has required: {required}, expected required: {expected_required}"
            ));
        }
    }
    for (keyword, want) in [
        ("minLength", expected.min_length),
        ("maxLength", expected.max_length),
    ] {
        let have = effective(spec, schema, keyword).and_then(Value::as_u64);
        if have != want {
            problems.push(format!(
                "{keyword} is {} in the spec, expected {}",
                show(have),
                show(want)
            ));
        }
    }
    if let Some((minimum, maximum)) = expected.range {
        for (keyword, want) in [("minimum", minimum), ("maximum", maximum)] {
            let have = effective(spec, schema, keyword).and_then(Value::as_f64);
            if have != want {
                problems.push(format!(
                    "{keyword} is {} in the spec, expected {}",
                    show(have),
                    show(want)
                ));
            }
        }
    }
    let have_enum = effective(spec, schema, "enum")
        .and_then(Value::as_array)
        .map(|values| {
            let mut values: Vec<String> = values.iter().map(value_text).collect();
            values.sort();
            values
        });
    if have_enum != expected.enum_values {
        problems.push(format!(
            "enum is {} in the spec, expected {}",
            show_list(&have_enum),
            show_list(&expected.enum_values)
        ));
    }
    let have_default = effective(spec, schema, "default").cloned();
    if have_default != expected.default {
        problems.push(format!(
            "default is {} in the spec, expected {}",
            show(have_default),
            show(expected.default.clone())
        ));
    }
}

/// The seed's values with the decision column applied; `None` after a problem that makes
/// the row uncheckable.
fn expected_for(row: &SeedRow, problems: &mut Vec<String>) -> Option<Expected> {
    let mut decided = Map::new();
    for part in row
        .decision
        .split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let Some((key, value)) = part.split_once('=') else {
            problems.push(format!("decision `{part}` is not `key=value`"));
            return None;
        };
        let key = key.trim();
        if ![
            "type",
            "required",
            "min_length",
            "max_length",
            "enum",
            "default",
        ]
        .contains(&key)
        {
            problems.push(format!("decision key `{key}` is not one of type, required, min_length, max_length, enum, default"));
            return None;
        }
        decided.insert(key.to_string(), Value::String(value.trim().to_string()));
    }
    let decision = |key: &str| decided.get(key).and_then(Value::as_str);
    let repeats = |key: &str, seed_value: &str| {
        decision(key).is_some_and(|d| d == seed_value || (d == "none" && seed_value.is_empty()))
    };

    let seed_type = if row.seed_type.is_empty() {
        None
    } else {
        match seed_type_to_signature(&row.seed_type) {
            Some(ty) => Some(ty.to_string()),
            None => {
                problems.push(format!("seed type `{}` is not known", row.seed_type));
                return None;
            }
        }
    };
    let ty = match (decision("type"), seed_type) {
        (Some(d), Some(seed)) if d == seed => {
            problems.push(format!("decision `type={d}` repeats the seed; remove it"));
            None
        }
        (Some(d), _) => Some(d.to_string()),
        (None, Some(seed)) => Some(seed),
        (None, None) => {
            problems.push(
                "the seed gives no type, so the decision column must say `type=...`".to_string(),
            );
            None
        }
    };

    let seed_required = match row.seed_required.as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        "unknown" => None,
        other => {
            problems.push(format!(
                "seed_required is `{other}`, expected yes, no or unknown"
            ));
            return None;
        }
    };
    let required = match (decision("required"), seed_required) {
        (Some(d), _) if d != "yes" && d != "no" => {
            problems.push(format!("decision `required={d}` must be yes or no"));
            return None;
        }
        (Some(d), Some(seed)) if (d == "yes") == seed => {
            problems.push(format!(
                "decision `required={d}` repeats the seed; remove it"
            ));
            None
        }
        (Some(d), _) => Some(d == "yes"),
        (None, Some(seed)) => Some(seed),
        (None, None) => {
            problems.push("the seed's required-ness is unknown, so the decision column must say `required=yes` or `required=no`".to_string());
            None
        }
    };

    let mut length = |key: &str, seed_value: &str| -> Option<u64> {
        if repeats(key, seed_value) {
            problems.push(format!("decision `{key}` repeats the seed; remove it"));
        }
        let text = decision(key).unwrap_or(seed_value);
        if text.is_empty() || text == "none" {
            return None;
        }
        match text.parse() {
            Ok(n) => Some(n),
            Err(_) => {
                problems.push(format!("{key} `{text}` is not a number"));
                None
            }
        }
    };
    let min_length = length("min_length", &row.min_length);
    let max_length = length("max_length", &row.max_length);

    if repeats("enum", &row.enum_values) {
        problems.push("decision `enum` repeats the seed; remove it".to_string());
    }
    let enum_text = decision("enum").unwrap_or(&row.enum_values);
    let enum_values = if enum_text.is_empty() || enum_text == "none" {
        None
    } else {
        let mut values: Vec<String> = enum_text.split('|').map(|v| v.trim().to_string()).collect();
        values.sort();
        Some(values)
    };

    if repeats("default", &row.default) {
        problems.push("decision `default` repeats the seed; remove it".to_string());
    }
    let default_text = decision("default").unwrap_or(&row.default);
    let default = if default_text.is_empty() || default_text == "none" {
        None
    } else {
        Some(parse_default(default_text))
    };

    Some(Expected {
        ty,
        required,
        min_length,
        max_length,
        range: None,
        enum_values,
        default,
    })
}

// ---------------------------------------------------------------------------------------
// The SDK transcription.

const SDK_COLUMNS: [&str; 15] = [
    "sdk_class",
    "operation_id",
    "location",
    "pointer",
    "field",
    "sdk_type",
    "sdk_required",
    "min_length",
    "max_length",
    "minimum",
    "maximum",
    "enum",
    "default",
    "docstring",
    "decision",
];

/// One row of `spec/sdk-fields.tsv`: the SDK's name for the model, where the field is in
/// the spec, and what the SDK documents about it.
#[derive(Debug, Default)]
struct SdkRow {
    line: usize,
    sdk_class: String,
    operation_id: String,
    location: String,
    pointer: String,
    field: String,
    sdk_type: String,
    sdk_required: String,
    min_length: String,
    max_length: String,
    minimum: String,
    maximum: String,
    enum_values: String,
    default: String,
    docstring: String,
    decision: String,
}

/// Checks the spec against the transcription of the official SDK's models in
/// `tsv_path`: every row must be present in the spec with the SDK's type, required-ness,
/// lengths, range, values and default, or with the values of the row's `decision`.
///
/// On top of that it enforces rule 1 of `spec/NOTES.md`: a decision may accept more than
/// the SDK documents as valid, never less. Making a field required that the SDK makes
/// optional, a limit or range narrower than the SDK's, an enum without one of the SDK's
/// values or a type that does not take the SDK's is reported, unless the row names the
/// key in `narrows=<key>[,<key>]` (and NOTES says why). An SDK column left empty means
/// the SDK documents nothing, so a limit there narrows nothing.
pub fn check_sdk_fields(spec_path: &Path, tsv_path: &Path) -> Result<Vec<String>> {
    let spec = load_spec(spec_path)?;
    let text = std::fs::read_to_string(tsv_path)
        .with_context(|| format!("cannot read {}", tsv_path.display()))?;
    let (rows, mut problems) = parse_sdk_rows(&text, tsv_path)?;
    for row in &rows {
        let mut row_problems = Vec::new();
        check_sdk_row(&spec, row, &mut row_problems);
        problems.extend(row_problems.into_iter().map(|p| {
            format!(
                "{}:{} (SDK {}, {} {} `{}`): {p}",
                tsv_path.display(),
                row.line,
                row.sdk_class,
                row.operation_id,
                row.location,
                row.field
            )
        }));
    }
    Ok(problems)
}

fn parse_sdk_rows(text: &str, tsv_path: &Path) -> Result<(Vec<SdkRow>, Vec<String>)> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line))
        .filter(|(_, line)| !line.trim().is_empty() && !line.starts_with('#'));
    let Some((header_line, header)) = lines.next() else {
        bail!("{} has no header line", tsv_path.display());
    };
    let header: Vec<&str> = header.split('\t').collect();
    if header != SDK_COLUMNS {
        bail!(
            "{}:{header_line}: the header must be the tab-separated columns `{}`, found `{}`",
            tsv_path.display(),
            SDK_COLUMNS.join(" "),
            header.join(" ")
        );
    }
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (line, text) in lines {
        let cells: Vec<String> = text.split('\t').map(|c| c.trim().to_string()).collect();
        if cells.len() != SDK_COLUMNS.len() {
            problems.push(format!(
                "{}:{line}: expected {} tab-separated columns, found {}",
                tsv_path.display(),
                SDK_COLUMNS.len(),
                cells.len()
            ));
            continue;
        }
        let mut cells = cells.into_iter();
        let mut next = || cells.next().unwrap_or_default();
        rows.push(SdkRow {
            line,
            sdk_class: next(),
            operation_id: next(),
            location: next(),
            pointer: next(),
            field: next(),
            sdk_type: next(),
            sdk_required: next(),
            min_length: next(),
            max_length: next(),
            minimum: next(),
            maximum: next(),
            enum_values: next(),
            default: next(),
            docstring: next(),
            decision: next(),
        });
    }
    if rows.is_empty() && problems.is_empty() {
        bail!("{} has no rows", tsv_path.display());
    }
    Ok((rows, problems))
}

fn check_sdk_row(spec: &Value, row: &SdkRow, problems: &mut Vec<String>) {
    if row.docstring.is_empty() {
        problems.push(
            "the row has no docstring (the SDK's text in English, or `(no docstring)`)".to_string(),
        );
    }
    let Some((path_item, operation)) = find_operation(spec, &row.operation_id) else {
        problems.push(format!("no operation `{}` in the spec", row.operation_id));
        return;
    };
    let Some(expected) = sdk_expected(row, problems) else {
        return;
    };
    let field = FieldRef {
        location: &row.location,
        pointer: &row.pointer,
        field: &row.field,
    };
    check_field(spec, path_item, operation, &field, &expected, problems);
}

/// The SDK's values with the decision applied, after checking that the decision only
/// widens what the SDK documents (or says `narrows=`).
fn sdk_expected(row: &SdkRow, problems: &mut Vec<String>) -> Option<Expected> {
    const KEYS: [&str; 9] = [
        "type",
        "required",
        "min_length",
        "max_length",
        "minimum",
        "maximum",
        "enum",
        "default",
        "narrows",
    ];
    let mut decided: Vec<(String, String)> = Vec::new();
    for part in row
        .decision
        .split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let Some((key, value)) = part.split_once('=') else {
            problems.push(format!("decision `{part}` is not `key=value`"));
            return None;
        };
        let key = key.trim();
        if !KEYS.contains(&key) {
            problems.push(format!(
                "decision key `{key}` is not one of {}",
                KEYS.join(", ")
            ));
            return None;
        }
        decided.push((key.to_string(), value.trim().to_string()));
    }
    let decision = |key: &str| {
        decided
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let narrows: Vec<&str> = decision("narrows")
        .map(|keys| keys.split(',').map(str::trim).collect())
        .unwrap_or_default();
    for key in &narrows {
        if !KEYS[..8].contains(key) {
            problems.push(format!("`narrows={key}` names no decision key"));
        }
    }
    let mut narrowed: Vec<&'static str> = Vec::new();
    let repeats = |key: &str, sdk_value: &str| {
        decision(key).is_some_and(|d| d == sdk_value || (d == "none" && sdk_value.is_empty()))
    };
    for key in [
        "min_length",
        "max_length",
        "minimum",
        "maximum",
        "enum",
        "default",
    ] {
        let sdk_value = match key {
            "min_length" => &row.min_length,
            "max_length" => &row.max_length,
            "minimum" => &row.minimum,
            "maximum" => &row.maximum,
            "enum" => &row.enum_values,
            _ => &row.default,
        };
        if repeats(key, sdk_value) {
            problems.push(format!("decision `{key}` repeats the SDK; remove it"));
        }
    }

    // Type: the SDK's, or the decided one, which must take the SDK's.
    let Some(sdk_type) = sdk_type_to_signature(&row.sdk_type) else {
        problems.push(format!("SDK type `{}` is not known", row.sdk_type));
        return None;
    };
    let ty = match decision("type") {
        Some(d) if d == sdk_type => {
            problems.push(format!("decision `type={d}` repeats the SDK; remove it"));
            sdk_type.clone()
        }
        Some(d) => {
            if !d
                .split('|')
                .any(|alternative| type_matches(&sdk_type, alternative))
            {
                narrowed.push("type");
            }
            d.to_string()
        }
        None => sdk_type,
    };

    // Required-ness: the SDK always says.
    let sdk_required = match row.sdk_required.as_str() {
        "yes" => true,
        "no" => false,
        other => {
            problems.push(format!("sdk_required is `{other}`, expected yes or no"));
            return None;
        }
    };
    let required = match decision("required") {
        Some(d) if d != "yes" && d != "no" => {
            problems.push(format!("decision `required={d}` must be yes or no"));
            return None;
        }
        Some(d) if (d == "yes") == sdk_required => {
            problems.push(format!(
                "decision `required={d}` repeats the SDK; remove it"
            ));
            sdk_required
        }
        Some(d) => {
            if d == "yes" {
                narrowed.push("required");
            }
            d == "yes"
        }
        None => sdk_required,
    };

    // Lengths and ranges: a decided lower bound above the SDK's, or an upper bound below
    // it, narrows; where the SDK documents no bound, any bound is a decision, not a
    // narrowing.
    let mut number = |key: &str, sdk_value: &str| -> (Option<f64>, Option<f64>) {
        let parse = |text: &str, problems: &mut Vec<String>| -> Option<f64> {
            if text.is_empty() || text == "none" {
                return None;
            }
            match text.parse::<f64>() {
                Ok(n) => Some(n),
                Err(_) => {
                    problems.push(format!("{key} `{text}` is not a number"));
                    None
                }
            }
        };
        let sdk = parse(sdk_value, problems);
        let value = match decision(key) {
            Some(d) => parse(d, problems),
            None => sdk,
        };
        (sdk, value)
    };
    let bounds = [
        ("min_length", number("min_length", &row.min_length), true),
        ("max_length", number("max_length", &row.max_length), false),
        ("minimum", number("minimum", &row.minimum), true),
        ("maximum", number("maximum", &row.maximum), false),
    ];
    for (key, (sdk, value), lower) in bounds {
        let narrower = match (sdk, value) {
            (Some(sdk), Some(value)) => {
                if lower {
                    value > sdk
                } else {
                    value < sdk
                }
            }
            _ => false,
        };
        if narrower {
            narrowed.push(key);
        }
    }
    let [(_, (_, min_length), _), (_, (_, max_length), _), (_, (_, minimum), _), (_, (_, maximum), _)] =
        bounds;

    let sorted = |text: &str| -> Option<Vec<String>> {
        if text.is_empty() || text == "none" {
            return None;
        }
        let mut values: Vec<String> = text.split('|').map(|v| v.trim().to_string()).collect();
        values.sort();
        Some(values)
    };
    let sdk_enum = sorted(&row.enum_values);
    let enum_values = match decision("enum") {
        Some(d) => sorted(d),
        None => sdk_enum.clone(),
    };
    if let (Some(sdk), Some(values)) = (&sdk_enum, &enum_values) {
        if !sdk.iter().all(|v| values.contains(v)) {
            narrowed.push("enum");
        }
    }

    let default_text = decision("default").unwrap_or(&row.default);
    let default = if default_text.is_empty() || default_text == "none" {
        None
    } else {
        Some(parse_default(default_text))
    };

    for key in &narrowed {
        if !narrows.contains(key) {
            problems.push(format!(
                "decision `{key}` accepts less than the SDK documents as valid (rule 1); widen it, or say `narrows={key}` and give the reason in spec/NOTES.md"
            ));
        }
    }
    for key in &narrows {
        if KEYS[..8].contains(key) && !narrowed.contains(key) {
            problems.push(format!(
                "`narrows={key}`, but the decision on {key} does not narrow what the SDK documents; remove it"
            ));
        }
    }

    Some(Expected {
        ty: Some(ty),
        required: Some(required),
        min_length: min_length.map(|n| n as u64),
        max_length: max_length.map(|n| n as u64),
        range: Some((minimum, maximum)),
        enum_values,
        default,
    })
}

/// The spec's type vocabulary for the SDK's `openapi_types`: Python types, `list[...]`,
/// and model classes (objects).
fn sdk_type_to_signature(sdk_type: &str) -> Option<String> {
    let scalar = |t: &str| -> Option<&'static str> {
        Some(match t {
            "str" => "string",
            "int" => "integer",
            "bool" => "boolean",
            "float" => "number",
            "object" => "object",
            model if model.starts_with(|c: char| c.is_ascii_uppercase()) => "object",
            _ => return None,
        })
    };
    match sdk_type
        .strip_prefix("list[")
        .and_then(|t| t.strip_suffix(']'))
    {
        Some(items) => Some(format!("array<{}>", scalar(items)?)),
        None => scalar(sdk_type).map(str::to_string),
    }
}

// ---------------------------------------------------------------------------------------
// The region catalogue.

/// Checks that the servers of the spec carry the region catalogue of `tsv_path` (the
/// official SDK's `DliRegion` and `FunctionGraphRegion`, columns `service`, `region`,
/// `endpoint`; `spec/NOTES.md`, "Regions"):
///
/// - each region of a service is in the `enum` of the `region` variable of exactly one
///   of the service's servers, and that server's URL, with the region filled in and every
///   other variable at its default, is the SDK's endpoint;
/// - no server lists a region the SDK does not know for that service, and each `region`
///   default is among its server's values.
///
/// A service's servers are those of its operations (operation, then path item, then the
/// top level), the service being an operation's first tag.
pub fn check_regions(spec_path: &Path, tsv_path: &Path) -> Result<Vec<String>> {
    let spec = load_spec(spec_path)?;
    let text = std::fs::read_to_string(tsv_path)
        .with_context(|| format!("cannot read {}", tsv_path.display()))?;
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line))
        .filter(|(_, line)| !line.trim().is_empty() && !line.starts_with('#'));
    let Some((header_line, header)) = lines.next() else {
        bail!("{} has no header line", tsv_path.display());
    };
    if header.split('\t').collect::<Vec<_>>() != ["service", "region", "endpoint"] {
        bail!(
            "{}:{header_line}: the header must be `service region endpoint`",
            tsv_path.display()
        );
    }
    let mut problems = Vec::new();
    let mut catalogue: Vec<(usize, String, String, String)> = Vec::new();
    for (line, text) in lines {
        let cells: Vec<&str> = text.split('\t').map(str::trim).collect();
        match cells[..] {
            [service, region, endpoint] => catalogue.push((
                line,
                service.to_string(),
                region.to_string(),
                endpoint.to_string(),
            )),
            _ => problems.push(format!(
                "{}:{line}: expected 3 tab-separated columns, found {}",
                tsv_path.display(),
                cells.len()
            )),
        }
    }

    // The servers of each service, and where they are written.
    let mut services: Vec<(String, String, &Vec<Value>)> = Vec::new();
    let top = spec.get("servers").and_then(Value::as_array);
    for op in operations(&spec) {
        let Some(service) = op.operation.pointer("/tags/0").and_then(Value::as_str) else {
            continue;
        };
        fn own(holder: &Value) -> Option<&Vec<Value>> {
            holder
                .get("servers")
                .and_then(Value::as_array)
                .filter(|s| !s.is_empty())
        }
        let (servers, at) = if let Some(servers) = own(op.operation) {
            (servers, op.pointer().join("servers").to_string())
        } else if let Some(servers) = own(op.item) {
            (servers, join(&join("/paths", op.path), "servers"))
        } else if let Some(servers) = top {
            (servers, "/servers".to_string())
        } else {
            continue;
        };
        match services.iter().find(|(name, _, _)| name == service) {
            Some((_, first, _)) if *first != at => problems.push(format!(
                "{}: the operations of service {service} use the servers at {first} and at {at}",
                op.name()
            )),
            Some(_) => {}
            None => services.push((service.to_string(), at, servers)),
        }
    }

    let regions_of = |server: &Value| -> Vec<String> {
        server
            .pointer("/variables/region/enum")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect()
    };
    for (line, service, region, endpoint) in &catalogue {
        let at = format!("{}:{line}", tsv_path.display());
        let Some((_, pointer, servers)) = services.iter().find(|(name, _, _)| name == service)
        else {
            problems.push(format!("{at}: the spec has no service (tag) `{service}`"));
            continue;
        };
        let listing: Vec<usize> = servers
            .iter()
            .enumerate()
            .filter(|(_, server)| regions_of(server).contains(region))
            .map(|(i, _)| i)
            .collect();
        match listing[..] {
            [] => problems.push(format!(
                "{at}: region `{region}` of {service} is in the `region` enum of none of the servers at {pointer} (the SDK's endpoint: {endpoint})"
            )),
            [i] => {
                let url = fill_server(&servers[i], region);
                if url != *endpoint {
                    problems.push(format!(
                        "{at}: region `{region}` of {service} resolves to {url} through {pointer}/{i}, but the SDK's endpoint is {endpoint}"
                    ));
                }
            }
            _ => problems.push(format!(
                "{at}: region `{region}` of {service} is listed by several servers at {pointer} ({listing:?}); a region must name one host"
            )),
        }
    }
    for (service, pointer, servers) in &services {
        for (i, server) in servers.iter().enumerate() {
            let regions = regions_of(server);
            for region in &regions {
                if !catalogue
                    .iter()
                    .any(|(_, s, r, _)| s == service && r == region)
                {
                    problems.push(format!(
                        "{pointer}/{i}: lists region `{region}`, which the SDK does not know for {service}"
                    ));
                }
            }
            let default = server
                .pointer("/variables/region/default")
                .and_then(Value::as_str);
            if let Some(default) = default {
                if !regions.is_empty() && !regions.iter().any(|r| r == default) {
                    problems.push(format!(
                        "{pointer}/{i}: the default region `{default}` is not among its values"
                    ));
                }
            }
        }
    }
    Ok(problems)
}

/// A server's URL with `region` filled in and every other variable at its default.
fn fill_server(server: &Value, region: &str) -> String {
    let mut url = server
        .get("url")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if let Some(Value::Object(variables)) = server.get("variables") {
        for (name, variable) in variables {
            let value = if name == "region" {
                region
            } else {
                variable
                    .get("default")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
            };
            url = url.replace(&format!("{{{name}}}"), value);
        }
    }
    url
}

/// The spec's type vocabulary for the seed tables' type names.
fn seed_type_to_signature(seed_type: &str) -> Option<&'static str> {
    Some(match seed_type {
        "String" => "string",
        "Integer" => "integer",
        "Long" => "integer/int64",
        "Boolean" => "boolean",
        "Object" | "object" => "object",
        "Array of Objects" => "array<object>",
        "Array of Strings" => "array<string>",
        _ => return None,
    })
}

/// `integer` (any width) matches every integer format; everything else must be equal.
fn type_matches(expected: &str, actual: &str) -> bool {
    expected == actual
        || (expected == "integer" && actual.starts_with("integer/"))
        || (expected == "number" && actual.starts_with("number/"))
}

/// A seed default as a JSON value: `false`, `2` and `"v1"` parse as JSON, anything else
/// (such as a formula) is a string.
fn parse_default(text: &str) -> Value {
    match serde_json::from_str::<Value>(text) {
        Ok(value @ (Value::Bool(_) | Value::Number(_) | Value::String(_) | Value::Null)) => value,
        _ => Value::String(text.to_string()),
    }
}

/// A short type signature of a schema: `string`, `integer/int64`, `array<string>`,
/// `object`; a union lists its alternatives joined with `|`, the `x-canonical` one first.
fn signature(spec: &Value, schema: &Value, depth: usize) -> String {
    if depth > 32 {
        return "(too deep)".to_string();
    }
    let schema = unwrap_value(spec, schema);
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        return format!("(unresolved {reference})");
    }
    for union in ["anyOf", "oneOf"] {
        if let Some(Value::Array(alternatives)) = schema.get(union) {
            let mut alternatives: Vec<(usize, String)> = alternatives
                .iter()
                .map(|alternative| signature(spec, alternative, depth + 1))
                .enumerate()
                .collect();
            if let Some(canonical) = schema.get("x-canonical").and_then(Value::as_u64) {
                alternatives.sort_by_key(|(i, _)| *i as u64 != canonical);
            }
            return alternatives
                .into_iter()
                .map(|(_, s)| s)
                .collect::<Vec<_>>()
                .join("|");
        }
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("integer") | Some("number") => {
            let ty = schema
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or_default();
            match schema.get("format").and_then(Value::as_str) {
                Some(format) => format!("{ty}/{format}"),
                None => ty.to_string(),
            }
        }
        Some("array") => {
            let items = schema
                .get("items")
                .map(|items| signature(spec, items, depth + 1))
                .unwrap_or_else(|| "any".to_string());
            format!("array<{items}>")
        }
        Some(ty) => ty.to_string(),
        None if schema.get("properties").is_some() => "object".to_string(),
        None => "any".to_string(),
    }
}

/// A keyword's value as it applies where `schema` is used: on the schema itself, or else
/// on what it stands for through `$ref`s and one-member `allOf` wrappers.
fn effective<'a>(spec: &'a Value, schema: &'a Value, keyword: &str) -> Option<&'a Value> {
    chain(spec, schema).find_map(|schema| schema.get(keyword))
}

fn effective_description(spec: &Value, schema: &Value) -> Option<String> {
    effective(spec, schema, "description")
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// The pointers of every component schema reachable from `schema`.
fn collect_reachable(spec: &Value, schema: &Value, seen: &mut BTreeSet<String>, depth: usize) {
    if depth > 64 {
        return;
    }
    let Value::Object(map) = schema else {
        return;
    };
    if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
        if seen.insert(reference.to_string()) {
            if let Ok((target, _)) = target(spec, reference) {
                collect_reachable(spec, target, seen, depth + 1);
            }
        }
        return;
    }
    for (child, _) in schema_children(map, "") {
        collect_reachable(spec, child, seen, depth + 1);
    }
}

fn find_operation<'a>(spec: &'a Value, operation_id: &str) -> Option<(&'a Value, &'a Value)> {
    operations(spec)
        .find(|op| op.id() == Some(operation_id))
        .map(|op| (op.item, op.operation))
}

fn find_parameter<'a>(
    spec: &'a Value,
    path_item: &'a Value,
    operation: &'a Value,
    location: &str,
    name: &str,
) -> Option<&'a Value> {
    let same_name = |candidate: &str| {
        if location == "header" {
            candidate.eq_ignore_ascii_case(name)
        } else {
            candidate == name
        }
    };
    [operation, path_item]
        .into_iter()
        .filter_map(|holder| holder.get("parameters").and_then(Value::as_array))
        .flatten()
        .map(|parameter| follow(spec, parameter))
        .find(|parameter| {
            parameter.get("in").and_then(Value::as_str) == Some(location)
                && parameter
                    .get("name")
                    .and_then(Value::as_str)
                    .is_some_and(same_name)
        })
}

/// The JSON schema of the request body (`body`) or of one response (`response:<status>`).
fn body_schema<'a>(
    spec: &'a Value,
    operation: &'a Value,
    location: &str,
) -> Result<&'a Value, String> {
    let holder = if location == "body" {
        operation
            .get("requestBody")
            .map(|body| follow(spec, body))
            .ok_or_else(|| "the operation has no request body".to_string())?
    } else if let Some(status) = location.strip_prefix("response:") {
        operation
            .get("responses")
            .and_then(|responses| responses.get(status))
            .map(|response| follow(spec, response))
            .ok_or_else(|| format!("the operation has no response {status}"))?
    } else {
        return Err(format!(
            "location `{location}` is not path, header, query, cookie, body, response:<status>, status or error-code"
        ));
    };
    holder
        .get("content")
        .and_then(|content| content.get("application/json"))
        .and_then(|media| media.get("schema"))
        .ok_or_else(|| format!("the {location} has no application/json schema"))
}

fn error_code_in_examples(spec: &Value, operation: &Value, code: &str) -> bool {
    let Some(Value::Object(responses)) = operation.get("responses") else {
        return false;
    };
    responses
        .iter()
        .filter(|(status, _)| {
            status.starts_with('4') || status.starts_with('5') || *status == "default"
        })
        .map(|(_, response)| follow(spec, response))
        .filter_map(|response| response.get("content").and_then(Value::as_object))
        .flat_map(|content| content.values())
        .flat_map(|media| {
            let single = media.get("example").into_iter();
            let named = media
                .get("examples")
                .and_then(Value::as_object)
                .into_iter()
                .flat_map(|examples| examples.values())
                .map(|example| follow(spec, example))
                .filter_map(|example| example.get("value"));
            single.chain(named)
        })
        .any(|value| value.get("error_code").and_then(Value::as_str) == Some(code))
}

// ---------------------------------------------------------------------------------------
// Descriptions.

fn has_cjk(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c as u32, 0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
    })
}

/// Where `walk_text` is in the document, so that data is told apart from prose.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TextContext {
    Plain,
    /// The map of a `properties` keyword: its keys are property names.
    Properties,
    /// The map of an `examples` keyword: its keys are example names.
    Examples,
    /// One entry of an `examples` map: its `value` is data.
    ExampleEntry,
}

/// Flags `description`, `summary` and `title` texts with CJK characters, skipping example
/// values, defaults and enums (which are data).
fn walk_text(value: &Value, pointer: &str, context: TextContext, problems: &mut Vec<Problem>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let at = join(pointer, key);
                let is_data = match context {
                    TextContext::Properties | TextContext::Examples => false,
                    TextContext::ExampleEntry => key == "value",
                    TextContext::Plain => matches!(key.as_str(), "example" | "default" | "enum"),
                };
                if is_data {
                    continue;
                }
                let is_prose = context != TextContext::Properties
                    && context != TextContext::Examples
                    && matches!(key.as_str(), "description" | "summary" | "title");
                if let (true, Some(text)) = (is_prose, child.as_str()) {
                    if has_cjk(text) {
                        problems.push(Problem {
                            message: format!("the text is not English: {text}"),
                            pointer: at,
                        });
                    }
                    continue;
                }
                let child_context = match (context, key.as_str()) {
                    (TextContext::Examples, _) => TextContext::ExampleEntry,
                    (TextContext::Properties, _) => TextContext::Plain,
                    (_, "properties") => TextContext::Properties,
                    (_, "examples") => TextContext::Examples,
                    _ => TextContext::Plain,
                };
                walk_text(child, &at, child_context, problems);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk_text(item, &format!("{pointer}/{i}"), context, problems);
            }
        }
        _ => {}
    }
}

/// Flags parameters and schema properties without a description.
fn walk_descriptions(spec: &Value, value: &Value, pointer: &str, problems: &mut Vec<Problem>) {
    let Value::Object(map) = value else {
        if let Value::Array(items) = value {
            for (i, item) in items.iter().enumerate() {
                walk_descriptions(spec, item, &format!("{pointer}/{i}"), problems);
            }
        }
        return;
    };
    // Parameter and header objects have `in` and `name`; security schemes also have a `type`.
    let is_parameter = map.contains_key("in")
        && map.contains_key("name")
        && !map.contains_key("type")
        && !map.contains_key("$ref");
    if is_parameter && !has_text(map.get("description").and_then(Value::as_str)) {
        problems.push(Problem {
            pointer: pointer.to_string(),
            message: "the parameter has no description".to_string(),
        });
    }
    for (key, child) in map {
        let at = join(pointer, key);
        match key.as_str() {
            "example" | "examples" | "default" | "enum" => {}
            "properties" => {
                if let Value::Object(properties) = child {
                    for (name, property) in properties {
                        let property_at = join(&at, name);
                        if !has_text(effective_description(spec, property).as_deref()) {
                            problems.push(Problem {
                                pointer: property_at.clone(),
                                message: "the property has no description".to_string(),
                            });
                        }
                        walk_descriptions(spec, property, &property_at, problems);
                    }
                }
            }
            _ => walk_descriptions(spec, child, &at, problems),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Small helpers.

/// Whether a text is present and not blank.
fn has_text(text: Option<&str>) -> bool {
    text.is_some_and(|t| !t.trim().is_empty())
}

fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn show<T: fmt::Display>(value: Option<T>) -> String {
    value.map_or_else(|| "absent".to_string(), |v| v.to_string())
}

fn show_list(values: &Option<Vec<String>>) -> String {
    values
        .as_ref()
        .map_or_else(|| "absent".to_string(), |v| format!("[{}]", v.join(", ")))
}
