//! Services (by first tag), operations and servers.
//!
//! A service's base URL is the servers of its first operation (its own `servers`, its
//! path item's, or the document's); a later operation of the service whose servers
//! differ keeps them as its own base URL. Operation ids are unique.

use super::*;

impl Lowerer<'_> {
    pub(super) fn services(&mut self) -> Vec<Service> {
        let doc = self.doc;
        let mut names: Vec<String> = Vec::new();
        for (_, item) in doc.paths.iter() {
            if let ReferenceOr::Item(item) = item {
                for (_, op) in item.iter() {
                    let name = op
                        .tags
                        .first()
                        .cloned()
                        .unwrap_or_else(|| "Default".to_string());
                    if !names.contains(&name) {
                        names.push(name);
                    }
                }
            }
        }
        let mut scope = Scope::new();
        names
            .into_iter()
            .map(|name| {
                let tag_index = doc.tags.iter().position(|t| t.name == name);
                let tag = tag_index.map(|i| &doc.tags[i]);
                let pointer =
                    tag_index.map_or_else(|| "/tags".to_string(), |i| format!("/tags/{i}"));
                let validation_error_code = tag
                    .and_then(|t| t.extensions.get("x-validation-error-code"))
                    .and_then(|v| v.as_str())
                    .map(str::to_string);
                let rust_name = scope.claim(naming::type_name(&name));
                Service {
                    snake_name: naming::snake(&rust_name),
                    rust_name,
                    description: tag.and_then(|t| t.description.clone()),
                    servers: Vec::new(),
                    validation_error_code,
                    pointer,
                    name,
                }
            })
            .collect()
    }

    pub(super) fn operations(&mut self, services: &mut [Service]) -> Vec<Operation> {
        let doc = self.doc;
        let mut method_names =
            Scope::with_reserved(["new", "builder", "config", "with_config", "runtime"]);
        let mut op_type_names = Scope::new();
        let mut operations = Vec::new();
        // The services whose base URL is set, by their first operation.
        let mut served: Vec<usize> = Vec::new();
        // Where each `operationId` is first written.
        let mut ids: HashMap<String, String> = HashMap::new();
        for (path, item) in doc.paths.iter() {
            let path_pointer = join("/paths", path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { reference } => {
                    // One that names a path item of this document was read as it (see
                    // `spec_model::inline`); what is left names nothing readable.
                    self.error_rule(
                        &path_pointer,
                        "reference",
                        format!("this path item is given by `$ref: {reference}`, which does not point at a path item of this document"),
                    );
                    continue;
                }
            };
            for (method, op) in item.iter() {
                let pointer = join(&path_pointer, method);
                let service_name = op
                    .tags
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "Default".to_string());
                let service = services
                    .iter()
                    .position(|s| s.name == service_name)
                    .expect("every tag was collected as a service");
                let servers_raw = if !op.servers.is_empty() {
                    (&op.servers, join(&pointer, "servers"))
                } else if !item.servers.is_empty() {
                    (&item.servers, join(&path_pointer, "servers"))
                } else {
                    (&doc.servers, "/servers".to_string())
                };
                let servers = self.servers(servers_raw.0, &servers_raw.1);
                // A service's base URL is that of its first operation; an operation whose
                // servers differ (`servers` on it or on its path item) keeps its own.
                let own_servers = if !served.contains(&service) {
                    served.push(service);
                    services[service].servers = servers;
                    Vec::new()
                } else if services[service].servers != servers {
                    servers
                } else {
                    Vec::new()
                };
                let operation_id = match &op.operation_id {
                    Some(id) => {
                        if let Some(first) = ids.get(id) {
                            self.error_rule(
                                &join(&pointer, "operationId"),
                                "invalid",
                                format!("`operationId: {id}` is also the id of the operation at `#{first}`; operation ids must be unique"),
                            );
                        } else {
                            ids.insert(id.clone(), pointer.clone());
                        }
                        id.clone()
                    }
                    None => format!("{method} {path}"),
                };
                let rust_name = method_names.claim(naming::snake(&operation_id));
                let type_name = op_type_names.claim(naming::type_name(&operation_id));
                let segments = match parse_template(path) {
                    Ok(segments) => segments,
                    Err(problem) => {
                        self.error_rule(
                            &path_pointer,
                            "invalid",
                            format!("the path template `{path}` {problem}"),
                        );
                        continue;
                    }
                };
                let (params, body) = self.params_and_body(
                    item,
                    op,
                    (path, &segments),
                    &path_pointer,
                    &pointer,
                    &type_name,
                );
                let responses = self.responses(op, &pointer, &type_name);
                operations.push(Operation {
                    operation_id,
                    rust_name,
                    type_name,
                    service,
                    method: parse_method(method),
                    path: path.clone(),
                    segments,
                    summary: op.summary.clone(),
                    description: op.description.clone(),
                    deprecated: op.deprecated,
                    params,
                    body,
                    responses,
                    servers: own_servers,
                    route: None,
                    fixed_query: Vec::new(),
                    selector: Vec::new(),
                    mixed_segments: Vec::new(),
                    pointer,
                });
            }
        }
        operations
    }

    pub(super) fn servers(&mut self, servers: &[openapiv3::Server], pointer: &str) -> Vec<Server> {
        servers
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let variables: Vec<ServerVariable> = s
                    .variables
                    .iter()
                    .flatten()
                    .map(|(name, v)| ServerVariable {
                        name: name.clone(),
                        default: v.default.clone(),
                        description: v.description.clone(),
                        allowed: v.enumeration.clone(),
                    })
                    .collect();
                let mut rest = s.url.as_str();
                while let Some(start) = rest.find('{') {
                    let Some(len) = rest[start..].find('}') else {
                        break;
                    };
                    let name = &rest[start + 1..start + len];
                    if !variables.iter().any(|v| v.name == name) {
                        self.error(
                            &format!("{pointer}/{i}/url"),
                            format!(
                                "server URL uses `{{{name}}}`, which is not among its `variables`"
                            ),
                        );
                    }
                    rest = &rest[start + len + 1..];
                }
                Server {
                    url: s.url.clone(),
                    description: s.description.clone(),
                    variables,
                }
            })
            .collect()
    }
}

pub(super) fn parse_method(method: &str) -> Method {
    match method {
        "get" => Method::Get,
        "put" => Method::Put,
        "post" => Method::Post,
        "delete" => Method::Delete,
        "options" => Method::Options,
        "head" => Method::Head,
        "patch" => Method::Patch,
        _ => Method::Trace,
    }
}

/// Parses a path template into literal text and `{parameter}`s; the error says what is
/// wrong with it.
pub(super) fn parse_template(path: &str) -> Result<Vec<Segment>, String> {
    let mut segments = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        let open = rest.find('{');
        let close = rest.find('}');
        match (open, close) {
            (None, None) => {
                segments.push(Segment::Literal(rest.to_string()));
                break;
            }
            (_, Some(c)) if open.is_none_or(|o| c < o) => {
                return Err("has a `}` without a `{` before it".to_string())
            }
            (Some(o), _) => {
                if o > 0 {
                    segments.push(Segment::Literal(rest[..o].to_string()));
                }
                let after = &rest[o + 1..];
                let Some(len) = after.find('}') else {
                    return Err("has a `{` that is never closed".to_string());
                };
                let name = &after[..len];
                if name.is_empty() || name.contains('{') {
                    return Err(format!("has an invalid parameter `{{{name}}}`"));
                }
                if segments.contains(&Segment::Param(name.to_string())) {
                    return Err(format!("names the parameter `{{{name}}}` twice"));
                }
                segments.push(Segment::Param(name.to_string()));
                rest = &after[len + 1..];
            }
            (None, Some(_)) => unreachable!("handled by the guard above"),
        }
    }
    Ok(segments)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_parse_into_literals_and_parameters() {
        assert_eq!(
            parse_template("/v1/{project_id}/jobs/{job_id}").expect("valid"),
            [
                Segment::Literal("/v1/".into()),
                Segment::Param("project_id".into()),
                Segment::Literal("/jobs/".into()),
                Segment::Param("job_id".into()),
            ]
        );
        assert_eq!(
            parse_template("/a/{x}.json").expect("valid")[2],
            Segment::Literal(".json".into())
        );
    }

    #[test]
    fn broken_templates_say_what_is_wrong() {
        assert!(parse_template("/a/{x")
            .unwrap_err()
            .contains("never closed"));
        assert!(parse_template("/a/x}")
            .unwrap_err()
            .contains("without a `{`"));
        assert!(parse_template("/a/{}")
            .unwrap_err()
            .contains("invalid parameter"));
        assert!(parse_template("/{a}/{a}").unwrap_err().contains("twice"));
    }

    #[test]
    fn a_broken_template_is_a_located_diagnostic() {
        let errors = crate::lower::tests::errors_of(
            "paths:\n  /a/{x:\n    get:\n      responses: {'200': {description: ok}}\n",
        );
        assert!(
            errors[0].starts_with("error[invalid]: spec.yaml#/paths/~1a~1{x (line 4)"),
            "{errors:?}"
        );
    }
}
