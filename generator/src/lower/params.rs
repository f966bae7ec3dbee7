//! Parameters: path, query and header, path-level and operation-level.

use super::*;

impl Lowerer<'_> {
    #[allow(clippy::too_many_arguments)] // The places a parameter list is read from.
    pub(super) fn params_and_body(
        &mut self,
        item: &openapiv3::PathItem,
        op: &openapiv3::Operation,
        (path, segments): (&str, &[Segment]),
        path_pointer: &str,
        pointer: &str,
        type_name: &str,
    ) -> (Vec<Parameter>, Option<RequestBody>) {
        let mut raw: Vec<(openapiv3::Parameter, String)> = Vec::new();
        for (i, p) in item.parameters.iter().enumerate() {
            if let Some(found) = self.resolve_item(p, &format!("{path_pointer}/parameters/{i}")) {
                raw.push(found);
            }
        }
        for (i, p) in op.parameters.iter().enumerate() {
            if let Some((param, at)) = self.resolve_item(p, &format!("{pointer}/parameters/{i}")) {
                let data = param.parameter_data_ref();
                let same = raw.iter().position(|(q, _)| {
                    q.parameter_data_ref().name == data.name
                        && std::mem::discriminant(q) == std::mem::discriminant(&param)
                });
                match same {
                    Some(index) => raw[index] = (param, at),
                    None => raw.push((param, at)),
                }
            }
        }
        let mut scope = Scope::with_reserved(["body"]);
        let mut params = Vec::new();
        for (param, at) in &raw {
            let (location, explode_default) = match param {
                openapiv3::Parameter::Path { .. } => (ParamLocation::Path, false),
                openapiv3::Parameter::Query { .. } => (ParamLocation::Query, true),
                openapiv3::Parameter::Header { .. } => (ParamLocation::Header, false),
                openapiv3::Parameter::Cookie { .. } => {
                    self.error(at, "cookie parameters are not supported by the generator");
                    continue;
                }
            };
            let data = param.parameter_data_ref();
            let schema = match &data.format {
                openapiv3::ParameterSchemaOrContent::Schema(s) => self.schema(
                    s,
                    &join(at, "schema"),
                    &format!("{type_name}{}", naming::camel(&data.name)),
                ),
                openapiv3::ParameterSchemaOrContent::Content(_) => {
                    self.error(
                        at,
                        "parameters described with `content` are not supported; use `schema`",
                    );
                    continue;
                }
            };
            if location == ParamLocation::Path && !data.required {
                self.error_rule(
                    at,
                    "invalid",
                    format!("path parameter `{}` must be `required: true`", data.name),
                );
            }
            if location == ParamLocation::Path
                && !segments.contains(&Segment::Param(data.name.clone()))
            {
                self.error_rule(
                    at,
                    "invalid",
                    format!(
                        "path parameter `{}` does not appear in the path `{path}`",
                        data.name
                    ),
                );
            }
            if !is_simple(&schema.ty, &self.types) {
                self.error(&join(at, "schema"), format!("parameter `{}` must be a string, number, boolean, string enum or an array of those", data.name));
            }
            let client_param = match self.spec.client_parameter(&data.extensions, at) {
                Some(Ok(ext)) => self.client_param(param, location, &schema, ext, at),
                Some(Err(diagnostic)) => {
                    self.report(diagnostic);
                    None
                }
                None => None,
            };
            params.push(Parameter {
                wire_name: data.name.clone(),
                rust_name: scope.claim(naming::snake(&data.name)),
                location,
                required: data.required,
                deprecated: data.deprecated.unwrap_or(false),
                description: data.description.clone(),
                schema,
                explode: data.explode.unwrap_or(explode_default),
                client_param,
                pointer: at.clone(),
            });
        }
        for name in segments.iter().filter_map(|s| match s {
            Segment::Param(name) => Some(name),
            Segment::Literal(_) => None,
        }) {
            if !params
                .iter()
                .any(|p| p.location == ParamLocation::Path && &p.wire_name == name)
            {
                self.error_rule(pointer, "invalid", format!("the path has `{{{name}}}` but the operation declares no path parameter `{name}`"));
            }
        }
        let body = op
            .request_body
            .as_ref()
            .and_then(|b| self.request_body(b, &join(pointer, "requestBody"), type_name));
        (params, body)
    }
}

/// Whether a parameter of this type can be written as text.
pub(super) fn is_simple(ty: &TypeRef, types: &[TypeDef]) -> bool {
    match ty {
        TypeRef::String(_) | TypeRef::Integer(_) | TypeRef::Number(_) | TypeRef::Boolean => true,
        TypeRef::Named(id) => matches!(types[id.0].kind, TypeKind::Enum(_)),
        TypeRef::Array(items) => {
            !matches!(items.ty, TypeRef::Array(_)) && is_simple(&items.ty, types)
        }
        _ => false,
    }
}
