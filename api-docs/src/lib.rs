//! The HTML API reference: renders an OpenAPI 3.0 spec and its notes (Markdown) into one
//! static, self-contained page.
//!
//! The page works offline: inline CSS, no scripts, no fonts or images from anywhere.
//! [`render`] is a pure function of its two inputs (same input, same bytes). `cargo xtask
//! codegen` ships the page in the server crate for the mock's `/docs`, and `cargo xtask
//! docs` writes it to `target/api-docs/index.html`.

mod html;

use std::collections::{BTreeMap, BTreeSet};

use askama::Template;
use serde_json::Value;
use spec_model::all_of::{chain, unwrap_value};
use spec_model::load::parse_raw;
use spec_model::operations::{operations, RawOperation};
use spec_model::resolve::{component_name, follow, target};
use spec_model::Diagnostic;

use html::{anchor, escape, markdown, markdown_inline};

/// Why a page could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The spec is not YAML, or not a mapping.
    #[error("{0}")]
    Spec(Diagnostic),
    #[error("cannot render the API reference: {0}")]
    Template(#[from] askama::Error),
}

/// Renders the HTML reference of the spec (YAML or JSON text, the contents of `file`)
/// with the decisions of `notes_markdown`. Fails only when the spec is not a YAML
/// mapping. The spec is read through `spec-model`: `$ref`s and one-member `allOf`
/// wrappers are looked through as the generator does.
pub fn render(file: &str, spec_text: &str, notes_markdown: &str) -> Result<String, RenderError> {
    let (spec, _lines) = parse_raw(file, spec_text).map_err(RenderError::Spec)?;
    let page = Builder::new(&spec).page(notes_markdown);
    Ok(page.render()?)
}

// ---------------------------------------------------------------------------------------
// The page model that the template reads.

#[derive(Template)]
#[template(path = "index.html")]
struct Page {
    title: String,
    version: String,
    description_html: String,
    servers: Vec<ServerView>,
    security: Vec<SecurityView>,
    security_alternatives: Vec<String>,
    services: Vec<ServiceView>,
    schemas: Vec<SchemaView>,
    error_codes: Vec<ErrorCodeView>,
    notes_html: String,
    operation_count: usize,
}

struct ServerView {
    url: String,
    description_html: String,
    variables: Vec<VariableView>,
}

struct VariableView {
    name: String,
    default: String,
    description_html: String,
}

struct SecurityView {
    name: String,
    anchor: String,
    summary_html: String,
    description_html: String,
}

struct ServiceView {
    name: String,
    anchor: String,
    description_html: String,
    servers: Vec<String>,
    operations: Vec<OperationView>,
}

struct OperationView {
    id: String,
    anchor: String,
    method: String,
    method_class: String,
    path_html: String,
    path: String,
    summary: String,
    description_html: String,
    deprecated: bool,
    params: Vec<ParamView>,
    body: Option<BodyView>,
    responses: Vec<ResponseView>,
}

struct ParamView {
    name: String,
    location: String,
    type_html: String,
    required: bool,
    deprecated: bool,
    constraints: Vec<String>,
    description_html: String,
    example: Option<String>,
    note: Option<String>,
}

struct BodyView {
    content_type: String,
    required: bool,
    description_html: String,
    type_html: String,
    fields: Vec<FieldView>,
    examples: Vec<ExampleView>,
}

struct ResponseView {
    status: String,
    status_class: String,
    description_html: String,
    content_type: Option<String>,
    type_html: Option<String>,
    examples: Vec<ExampleView>,
}

struct ExampleView {
    name: String,
    summary_html: String,
    json_html: String,
}

struct SchemaView {
    name: String,
    anchor: String,
    kind: String,
    description_html: String,
    type_html: Option<String>,
    constraints: Vec<String>,
    fields: Vec<FieldView>,
    free_form: Option<String>,
    alternatives: Vec<AlternativeView>,
    enum_values: Vec<String>,
    example: Option<String>,
    used_by: Vec<(String, String)>,
}

struct FieldView {
    name: String,
    type_html: String,
    required: bool,
    deprecated: bool,
    constraints: Vec<String>,
    description_html: String,
}

struct AlternativeView {
    type_html: String,
    constraints: Vec<String>,
    description_html: String,
    canonical: bool,
}

struct ErrorCodeView {
    code: String,
    /// (status, CSS class) pairs.
    statuses: Vec<(String, String)>,
    operations: Vec<(String, String)>,
    messages: Vec<String>,
    notes: Vec<String>,
}

// ---------------------------------------------------------------------------------------
// Building the model from the document.

struct Builder<'a> {
    spec: &'a Value,
}

impl<'a> Builder<'a> {
    fn new(spec: &'a Value) -> Self {
        Builder { spec }
    }

    fn page(&self, notes_markdown: &str) -> Page {
        let spec = self.spec;
        let info = spec.get("info");
        let text = |v: Option<&Value>, key: &str| -> String {
            v.and_then(|v| v.get(key))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let services = self.services();
        let operation_count = services.iter().map(|s| s.operations.len()).sum();
        Page {
            title: Some(text(info, "title"))
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| "API reference".to_string()),
            version: text(info, "version"),
            description_html: markdown(&text(info, "description")),
            servers: self.servers(spec.get("servers")),
            security: self.security_schemes(),
            security_alternatives: security_alternatives(spec.get("security")),
            schemas: self.schemas(),
            error_codes: self.error_codes(),
            notes_html: markdown(notes_markdown),
            operation_count,
            services,
        }
    }

    /// Follows `$ref`s; a broken one leaves the value as it is (the generator and the
    /// lint report it).
    fn resolve(&self, value: &'a Value) -> &'a Value {
        follow(self.spec, value)
    }

    fn servers(&self, servers: Option<&Value>) -> Vec<ServerView> {
        let Some(Value::Array(servers)) = servers else {
            return Vec::new();
        };
        servers
            .iter()
            .map(|server| ServerView {
                url: str_of(server, "url"),
                description_html: markdown_inline(&str_of(server, "description")),
                variables: server
                    .get("variables")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                    .map(|(name, variable)| VariableView {
                        name: name.clone(),
                        default: variable.get("default").map(value_text).unwrap_or_default(),
                        description_html: markdown_inline(&str_of(variable, "description")),
                    })
                    .collect(),
            })
            .collect()
    }

    fn security_schemes(&self) -> Vec<SecurityView> {
        self.spec
            .pointer("/components/securitySchemes")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(name, scheme)| {
                let scheme = self.resolve(scheme);
                let kind = str_of(scheme, "type");
                let summary = match kind.as_str() {
                    "apiKey" => format!("{} `{}`", str_of(scheme, "in"), str_of(scheme, "name")),
                    "http" => format!("HTTP {}", str_of(scheme, "scheme")),
                    other => other.to_string(),
                };
                let summary = if scheme.get("x-signing").is_some() {
                    format!("request signing, {summary}")
                } else {
                    summary
                };
                SecurityView {
                    name: name.clone(),
                    anchor: anchor("auth", name),
                    summary_html: markdown_inline(&summary),
                    description_html: markdown(&str_of(scheme, "description")),
                }
            })
            .collect()
    }

    fn services(&self) -> Vec<ServiceView> {
        let spec = self.spec;
        let mut services: Vec<ServiceView> = Vec::new();
        let tags: Vec<&Value> = spec
            .get("tags")
            .and_then(Value::as_array)
            .map(|t| t.iter().collect())
            .unwrap_or_default();
        for tag in &tags {
            let name = str_of(tag, "name");
            services.push(ServiceView {
                anchor: anchor("service", &name),
                description_html: markdown(&str_of(tag, "description")),
                name,
                servers: Vec::new(),
                operations: Vec::new(),
            });
        }
        for op in operations(spec) {
            let (item, operation) = (op.item, op.operation);
            let service_name = operation
                .get("tags")
                .and_then(|t| t.get(0))
                .and_then(Value::as_str)
                .unwrap_or("Other")
                .to_string();
            let index = match services.iter().position(|s| s.name == service_name) {
                Some(index) => index,
                None => {
                    services.push(ServiceView {
                        anchor: anchor("service", &service_name),
                        description_html: String::new(),
                        name: service_name,
                        servers: Vec::new(),
                        operations: Vec::new(),
                    });
                    services.len() - 1
                }
            };
            let servers = [operation.get("servers"), item.get("servers")]
                .into_iter()
                .flatten()
                .chain(spec.get("servers"))
                .find_map(|s| s.as_array().filter(|a| !a.is_empty()))
                .map(|list| list.iter().map(|s| str_of(s, "url")).collect::<Vec<_>>())
                .unwrap_or_default();
            for url in servers {
                if !services[index].servers.contains(&url) {
                    services[index].servers.push(url);
                }
            }
            let view = self.operation(op);
            services[index].operations.push(view);
        }
        services.retain(|s| !s.operations.is_empty());
        services
    }

    fn operation(&self, op: RawOperation<'a>) -> OperationView {
        let RawOperation {
            path,
            method,
            item,
            operation,
        } = op;
        let id = op.name();

        // Path-level parameters first; an operation parameter with the same name and
        // location replaces one.
        let mut params: Vec<&Value> = Vec::new();
        for list in [item.get("parameters"), operation.get("parameters")]
            .into_iter()
            .flatten()
        {
            for parameter in list.as_array().into_iter().flatten() {
                let parameter = self.resolve(parameter);
                let key = (str_of(parameter, "name"), str_of(parameter, "in"));
                params.retain(|p| (str_of(p, "name"), str_of(p, "in")) != key);
                params.push(parameter);
            }
        }
        let params = params.into_iter().map(|p| self.param(p)).collect();

        let body = operation.get("requestBody").map(|body| {
            let body = self.resolve(body);
            let (content_type, media) = first_media(body);
            let schema = media.and_then(|m| m.get("schema"));
            BodyView {
                content_type,
                required: body.get("required").and_then(Value::as_bool) == Some(true),
                description_html: markdown_inline(&str_of(body, "description")),
                type_html: schema.map(|s| self.type_html(s)).unwrap_or_default(),
                fields: schema.map(|s| self.fields(s)).unwrap_or_default(),
                examples: media.map(|m| self.examples(m)).unwrap_or_default(),
            }
        });

        let responses = operation
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(status, response)| {
                let response = self.resolve(response);
                let (content_type, media) = first_media(response);
                let schema = media.and_then(|m| m.get("schema"));
                ResponseView {
                    status: status.clone(),
                    status_class: status_class(status),
                    description_html: markdown_inline(&str_of(response, "description")),
                    content_type: media.map(|_| content_type),
                    type_html: schema.map(|s| self.type_html(s)),
                    examples: media.map(|m| self.examples(m)).unwrap_or_default(),
                }
            })
            .collect();

        OperationView {
            anchor: anchor("op", &id),
            method: method.to_uppercase(),
            method_class: format!("m-{method}"),
            path_html: path_html(path),
            path: path.to_string(),
            summary: str_of(operation, "summary"),
            description_html: markdown(&str_of(operation, "description")),
            deprecated: operation.get("deprecated").and_then(Value::as_bool) == Some(true),
            params,
            body,
            responses,
            id,
        }
    }

    fn param(&self, parameter: &Value) -> ParamView {
        let schema = parameter.get("schema");
        let client = parameter.get("x-client-parameter");
        let note = client.map(|c| {
            let mut note = "Given once when the client is built".to_string();
            if let Some(env) = c.get("env").and_then(Value::as_str) {
                note.push_str(&format!(" (or read from `{env}`)"));
            }
            if let Some(header) = c.get("header").and_then(Value::as_str) {
                note.push_str(&format!("; also sent in the `{header}` header"));
            }
            note.push('.');
            note
        });
        ParamView {
            name: str_of(parameter, "name"),
            location: str_of(parameter, "in"),
            type_html: schema.map(|s| self.type_html(s)).unwrap_or_default(),
            required: parameter.get("required").and_then(Value::as_bool) == Some(true),
            deprecated: parameter.get("deprecated").and_then(Value::as_bool) == Some(true),
            constraints: schema.map(|s| self.constraints(s)).unwrap_or_default(),
            description_html: markdown_inline(&str_of(parameter, "description")),
            example: parameter.get("example").map(value_text),
            note: note.map(|n| markdown_inline(&n)),
        }
    }

    fn examples(&self, media: &Value) -> Vec<ExampleView> {
        let mut out = Vec::new();
        if let Some(value) = media.get("example") {
            out.push(ExampleView {
                name: "example".to_string(),
                summary_html: String::new(),
                json_html: html::json(value),
            });
        }
        for (name, example) in media
            .get("examples")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let example = self.resolve(example);
            let Some(value) = example.get("value") else {
                continue;
            };
            out.push(ExampleView {
                name: name.clone(),
                summary_html: markdown_inline(&str_of(example, "summary")),
                json_html: html::json(value),
            });
        }
        out
    }

    /// The fields of an object schema, looking through `$ref` and a one-member `allOf`.
    fn fields(&self, schema: &Value) -> Vec<FieldView> {
        let schema = self.unwrap_schema(schema);
        let required: BTreeSet<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(name, property)| FieldView {
                name: name.clone(),
                type_html: self.type_html(property),
                required: required.contains(name.as_str()),
                deprecated: property.get("deprecated").and_then(Value::as_bool) == Some(true),
                constraints: self.constraints(property),
                description_html: markdown_inline(&self.description(property)),
            })
            .collect()
    }

    /// What a schema stands for through `$ref`s and one-member `allOf` wrappers.
    fn unwrap_schema(&self, schema: &'a Value) -> &'a Value {
        unwrap_value(self.spec, schema)
    }

    /// A schema's own description, or else that of what it stands for.
    fn description(&self, schema: &Value) -> String {
        chain(self.spec, schema)
            .map(|schema| str_of(schema, "description"))
            .find(|text| !text.is_empty())
            .unwrap_or_default()
    }

    /// A short HTML rendering of a schema's type; component references are links.
    fn type_html(&self, schema: &Value) -> String {
        self.type_html_at(schema, 0)
    }

    fn type_html_at(&self, schema: &Value, depth: usize) -> String {
        if depth > 8 {
            return "…".to_string();
        }
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            return match component_name(reference, "schemas") {
                Some(name) if target(self.spec, reference).is_ok() => format!(
                    "<a class=\"type-ref\" href=\"#{}\">{}</a>",
                    anchor("schema", &name),
                    escape(&name)
                ),
                _ => format!("<code>{}</code>", escape(reference)),
            };
        }
        let nullable = if schema.get("nullable").and_then(Value::as_bool) == Some(true) {
            " <span class=\"type-mod\">or null</span>"
        } else {
            ""
        };
        for (keyword, joiner) in [("allOf", " &amp; "), ("oneOf", " | "), ("anyOf", " | ")] {
            if let Some(members) = schema.get(keyword).and_then(Value::as_array) {
                let parts: Vec<String> = members
                    .iter()
                    .map(|m| self.type_html_at(m, depth + 1))
                    .collect();
                let prefix = match (keyword, members.len()) {
                    ("allOf", _) | (_, 1) => "",
                    ("oneOf", _) => "<span class=\"type-mod\">one of</span> ",
                    _ => "<span class=\"type-mod\">any of</span> ",
                };
                return format!("{prefix}{}{nullable}", parts.join(joiner));
            }
        }
        let ty = schema.get("type").and_then(Value::as_str).unwrap_or("");
        let format = schema
            .get("format")
            .and_then(Value::as_str)
            .map(|f| format!(" <span class=\"type-fmt\">{}</span>", escape(f)))
            .unwrap_or_default();
        let base = match ty {
            "array" => {
                let items = schema
                    .get("items")
                    .map(|i| self.type_html_at(i, depth + 1))
                    .unwrap_or_else(|| "any".to_string());
                format!("array of {items}")
            }
            "object" | "" if schema.get("properties").is_some() => "object".to_string(),
            "object" | "" => match schema.get("additionalProperties") {
                Some(Value::Object(values)) if !values.is_empty() => {
                    format!(
                        "map of {}",
                        self.type_html_at(&Value::Object(values.clone()), depth + 1)
                    )
                }
                _ if ty.is_empty() => "any".to_string(),
                _ => "object <span class=\"type-mod\">(free-form)</span>".to_string(),
            },
            other => escape(other),
        };
        format!("<span class=\"type\">{base}</span>{format}{nullable}")
    }

    /// The validation keywords and defaults of a schema, one short text each.
    fn constraints(&self, schema: &Value) -> Vec<String> {
        let mut out = Vec::new();
        let number = |key: &str| schema.get(key).map(value_text);
        let exclusive = |key: &str| schema.get(key).and_then(Value::as_bool) == Some(true);
        match (number("minLength"), number("maxLength")) {
            (Some(min), Some(max)) => out.push(format!("length {min}–{max}")),
            (Some(min), None) => out.push(format!("length ≥ {min}")),
            (None, Some(max)) => out.push(format!("length ≤ {max}")),
            (None, None) => {}
        }
        let low = if exclusive("exclusiveMinimum") {
            ">"
        } else {
            "≥"
        };
        let high = if exclusive("exclusiveMaximum") {
            "<"
        } else {
            "≤"
        };
        if let Some(min) = number("minimum") {
            out.push(format!("{low} {min}"));
        }
        if let Some(max) = number("maximum") {
            out.push(format!("{high} {max}"));
        }
        if let Some(step) = number("multipleOf") {
            out.push(format!("multiple of {step}"));
        }
        match (number("minItems"), number("maxItems")) {
            (Some(min), Some(max)) => out.push(format!("{min}–{max} items")),
            (Some(min), None) => out.push(format!("≥ {min} items")),
            (None, Some(max)) => out.push(format!("≤ {max} items")),
            (None, None) => {}
        }
        if exclusive("uniqueItems") {
            out.push("unique items".to_string());
        }
        if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
            out.push(format!("pattern {pattern}"));
        }
        if let Some(Value::Array(values)) = schema.get("enum") {
            let values: Vec<String> = values.iter().map(value_text).collect();
            out.push(format!("one of: {}", values.join(", ")));
        }
        if let Some(default) = schema.get("default") {
            out.push(format!("default {}", value_text(default)));
        }
        if exclusive("readOnly") {
            out.push("read-only".to_string());
        }
        if exclusive("writeOnly") {
            out.push("write-only".to_string());
        }
        out
    }

    fn schemas(&self) -> Vec<SchemaView> {
        let used_by = self.schema_users();
        self.spec
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(name, schema)| self.schema(name, schema, &used_by))
            .collect()
    }

    fn schema(
        &self,
        name: &str,
        schema: &Value,
        used_by: &BTreeMap<String, Vec<(String, String)>>,
    ) -> SchemaView {
        let canonical = schema.get("x-canonical").and_then(Value::as_u64);
        let union = ["oneOf", "anyOf"]
            .into_iter()
            .find_map(|k| schema.get(k).and_then(Value::as_array).map(|a| (k, a)));
        let is_object = schema.get("properties").is_some()
            || schema.get("type").and_then(Value::as_str) == Some("object");
        let enum_values: Vec<String> = schema
            .get("enum")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(value_text)
            .collect();
        let kind = match (union, canonical) {
            (Some(_), Some(_)) => "lenient".to_string(),
            (Some(("oneOf", _)), None) => "one of".to_string(),
            (Some(_), None) => "any of".to_string(),
            _ if !enum_values.is_empty() => "enum".to_string(),
            _ if is_object => "object".to_string(),
            _ => str_of(schema, "type"),
        };
        let alternatives = union
            .map(|(_, members)| {
                members
                    .iter()
                    .enumerate()
                    .map(|(i, member)| AlternativeView {
                        type_html: self.type_html(member),
                        constraints: self.constraints(member),
                        description_html: markdown_inline(&str_of(member, "description")),
                        canonical: canonical == Some(i as u64),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let free_form = match schema.get("additionalProperties") {
            Some(Value::Bool(false)) => Some("No other properties are allowed.".to_string()),
            Some(Value::Bool(true)) if is_object => {
                Some("Any other properties are allowed.".to_string())
            }
            Some(Value::Object(values)) if is_object => Some(format!(
                "Other properties are allowed with values of type {}.",
                self.type_html(&Value::Object(values.clone()))
            )),
            _ => None,
        };
        let mut constraints = self.constraints(schema);
        if !enum_values.is_empty() {
            constraints.retain(|c| !c.starts_with("one of: "));
        }
        SchemaView {
            anchor: anchor("schema", name),
            name: name.to_string(),
            kind,
            description_html: markdown(&str_of(schema, "description")),
            type_html: (union.is_none() && !is_object).then(|| self.type_html(schema)),
            constraints,
            fields: if is_object {
                self.fields(schema)
            } else {
                Vec::new()
            },
            free_form,
            alternatives,
            enum_values,
            example: schema.get("example").map(html::json),
            used_by: used_by.get(name).cloned().unwrap_or_default(),
        }
    }

    /// For each component schema, the operations whose parameters, request or responses
    /// use it, directly or through other schemas.
    fn schema_users(&self) -> BTreeMap<String, Vec<(String, String)>> {
        let mut users: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
        for op in operations(self.spec) {
            let (item, operation) = (op.item, op.operation);
            let id = op.name();
            let mut seen = BTreeSet::new();
            self.collect_refs(operation, &mut seen, 0);
            if let Some(parameters) = item.get("parameters") {
                self.collect_refs(parameters, &mut seen, 0);
            }
            for reference in seen {
                if let Some(name) = component_name(&reference, "schemas") {
                    users
                        .entry(name)
                        .or_default()
                        .push((anchor("op", &id), id.clone()));
                }
            }
        }
        users
    }

    fn collect_refs(&self, value: &Value, seen: &mut BTreeSet<String>, depth: usize) {
        if depth > 64 {
            return;
        }
        match value {
            Value::Object(map) => {
                if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
                    if seen.insert(reference.to_string()) {
                        if let Ok((target, _)) = target(self.spec, reference) {
                            self.collect_refs(target, seen, depth + 1);
                        }
                    }
                }
                for (key, child) in map {
                    if key != "example" && key != "examples" {
                        self.collect_refs(child, seen, depth + 1);
                    }
                }
            }
            Value::Array(items) => {
                for item in items {
                    self.collect_refs(item, seen, depth + 1);
                }
            }
            _ => {}
        }
    }

    /// Every error code the spec mentions: in the examples of error responses (the
    /// field named by `x-error-model`) and as a tag's `x-validation-error-code`.
    fn error_codes(&self) -> Vec<ErrorCodeView> {
        let spec = self.spec;
        let code_field = spec
            .pointer("/x-error-model/code-field")
            .and_then(Value::as_str)
            .unwrap_or("error_code");
        let message_field = spec
            .pointer("/x-error-model/message-field")
            .and_then(Value::as_str)
            .unwrap_or("error_msg");
        let mut codes: BTreeMap<String, ErrorCodeView> = BTreeMap::new();
        for tag in spec
            .get("tags")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(code) = tag.get("x-validation-error-code").and_then(Value::as_str) {
                let note = format!(
                    "Sent by this project's server when it rejects a {} request before the handler runs.",
                    str_of(tag, "name")
                );
                push_unique(&mut error_entry(&mut codes, code).notes, note);
            }
        }
        for op in operations(spec) {
            let id = op.name();
            for (status, response) in op
                .operation
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                if status.starts_with('2') || status.starts_with('3') {
                    continue;
                }
                let response = self.resolve(response);
                for media in response
                    .get("content")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flat_map(|c| c.values())
                {
                    let mut values: Vec<&Value> = media.get("example").into_iter().collect();
                    values.extend(
                        media
                            .get("examples")
                            .and_then(Value::as_object)
                            .into_iter()
                            .flat_map(|e| e.values())
                            .filter_map(|e| self.resolve(e).get("value")),
                    );
                    for value in values {
                        let Some(code) = value.get(code_field).and_then(Value::as_str) else {
                            continue;
                        };
                        let view = error_entry(&mut codes, code);
                        let chip = (status.clone(), status_class(status));
                        if !view.statuses.contains(&chip) {
                            view.statuses.push(chip);
                        }
                        let link = (anchor("op", &id), id.clone());
                        if !view.operations.contains(&link) {
                            view.operations.push(link);
                        }
                        if let Some(message) = value.get(message_field).and_then(Value::as_str) {
                            push_unique(&mut view.messages, message.to_string());
                        }
                    }
                }
            }
        }
        codes.into_values().collect()
    }
}

// ---------------------------------------------------------------------------------------
// Small helpers.

fn str_of(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// A scalar as text (strings without quotes); other values as compact JSON.
fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn error_entry<'m>(
    codes: &'m mut BTreeMap<String, ErrorCodeView>,
    code: &str,
) -> &'m mut ErrorCodeView {
    codes
        .entry(code.to_string())
        .or_insert_with(|| ErrorCodeView {
            code: code.to_string(),
            statuses: Vec::new(),
            operations: Vec::new(),
            messages: Vec::new(),
            notes: Vec::new(),
        })
}

fn push_unique(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// The CSS class of a status code's chip: `s2` for 2xx … `s5` for 5xx, `sd` otherwise.
fn status_class(status: &str) -> String {
    match status.chars().next() {
        Some(c @ '2'..='5') => format!("s{c}"),
        _ => "sd".to_string(),
    }
}

/// The first media type of a request body or response, and its object.
fn first_media(holder: &Value) -> (String, Option<&Value>) {
    match holder
        .get("content")
        .and_then(Value::as_object)
        .and_then(|c| c.iter().next())
    {
        Some((name, media)) => (name.clone(), Some(media)),
        None => (String::new(), None),
    }
}

/// The path with `{parameters}` highlighted.
fn path_html(path: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        out.push_str(&escape(&rest[..start]));
        out.push_str(&format!(
            "<span class=\"path-param\">{}</span>",
            escape(&rest[start..start + len + 1])
        ));
        rest = &rest[start + len + 1..];
    }
    out.push_str(&escape(rest));
    out
}

/// The top-level security alternatives, each as `A + B`.
fn security_alternatives(security: Option<&Value>) -> Vec<String> {
    security
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|requirement| {
            let names: Vec<&str> = requirement
                .as_object()
                .into_iter()
                .flat_map(|r| r.keys())
                .map(String::as_str)
                .collect();
            if names.is_empty() {
                "none".to_string()
            } else {
                names.join(" + ")
            }
        })
        .collect()
}
