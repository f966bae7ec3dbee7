//! Parameters: path, query, header and cookie, path-level and operation-level, each with
//! how its value is written: an OpenAPI 3.0 `style` (with `explode` and `allowReserved`,
//! defaults filled in) for the shape its schema has, or `content` with a JSON media type.

use super::*;

/// What a parameter's schema is, for the styles: a scalar (or scalar union), or a
/// container of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scalar {
    Plain,
    Union,
}

/// How deep objects in a `deepObject` (and unions in unions) may nest.
const MAX_DEPTH: usize = 8;

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
            let (location, style, allow_reserved) = match param {
                openapiv3::Parameter::Path { style, .. } => (
                    ParamLocation::Path,
                    match style {
                        openapiv3::PathStyle::Simple => ParamStyle::Simple,
                        openapiv3::PathStyle::Label => ParamStyle::Label,
                        openapiv3::PathStyle::Matrix => ParamStyle::Matrix,
                    },
                    false,
                ),
                openapiv3::Parameter::Query {
                    style,
                    allow_reserved,
                    ..
                } => (
                    ParamLocation::Query,
                    match style {
                        openapiv3::QueryStyle::Form => ParamStyle::Form,
                        openapiv3::QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                        openapiv3::QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                        openapiv3::QueryStyle::DeepObject => ParamStyle::DeepObject,
                    },
                    *allow_reserved,
                ),
                openapiv3::Parameter::Header { .. } => {
                    (ParamLocation::Header, ParamStyle::Simple, false)
                }
                openapiv3::Parameter::Cookie { .. } => {
                    (ParamLocation::Cookie, ParamStyle::Form, false)
                }
            };
            let data = param.parameter_data_ref();
            let hint = format!("{type_name}{}", naming::camel(&data.name));
            let lowered = match &data.format {
                openapiv3::ParameterSchemaOrContent::Schema(s) => {
                    let at_schema = join(at, "schema");
                    let schema = self.schema(s, &at_schema, &hint);
                    self.styled(&data.name, schema, style, &at_schema)
                        .map(|(schema, shape)| {
                            let encoding = match shape {
                                Some(shape) => ParamEncoding::Style {
                                    style,
                                    explode: data.explode.unwrap_or(style == ParamStyle::Form),
                                    allow_reserved,
                                    shape,
                                },
                                None => ParamEncoding::Json {
                                    media_type: "application/json".to_string(),
                                },
                            };
                            (schema, encoding)
                        })
                }
                openapiv3::ParameterSchemaOrContent::Content(content) => {
                    self.param_content(&data.name, content, location, at, &hint)
                }
            };
            let Some((schema, encoding)) = lowered else {
                continue;
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
            let client_param = match self.spec.client_parameter(&data.extensions, at) {
                Some(Ok(ext)) => {
                    let plain = matches!(
                        &encoding,
                        ParamEncoding::Style { style, allow_reserved: false, shape: ParamShape::Scalar, .. }
                            if *style == location.default_style()
                    );
                    if !plain || location == ParamLocation::Cookie {
                        self.error_rule(at, "extension", "`x-client-parameter` needs a path, query or header parameter that is a scalar in its location's default style");
                    }
                    self.client_param(param, location, &schema, ext, at)
                }
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
                encoding,
                client_param,
                pointer: at.clone(),
            });
        }
        for name in segments.iter().filter_map(|s| match s {
            Segment::Param(name) => Some(name),
            Segment::Literal(_) => None,
        }) {
            if params
                .iter()
                .any(|p| p.location == ParamLocation::Path && &p.wire_name == name)
            {
                continue;
            }
            // The template names the parameter, so its place and its being required are
            // clear; only its type is not said, and a path segment is text.
            self.warn(pointer, "lenient", format!("the path has `{{{name}}}` but the operation declares no path parameter `{name}`; it is taken as a required string"));
            params.push(Parameter {
                wire_name: name.clone(),
                rust_name: scope.claim(naming::snake(name)),
                location: ParamLocation::Path,
                required: true,
                deprecated: false,
                description: None,
                schema: Schema::of(TypeRef::String(StringFormat::Plain)),
                encoding: ParamEncoding::Style {
                    style: ParamStyle::Simple,
                    explode: false,
                    allow_reserved: false,
                    shape: ParamShape::Scalar,
                },
                client_param: None,
                pointer: pointer.to_string(),
            });
        }
        let body = op
            .request_body
            .as_ref()
            .and_then(|b| self.request_body(b, &join(pointer, "requestBody"), type_name));
        (params, body)
    }

    /// A parameter described by `schema`: the schema (a schema without a type read as a
    /// string) and its shape; no shape when no style can write the value, which is then
    /// sent as JSON (with a warning).
    fn styled(
        &mut self,
        name: &str,
        mut schema: Schema,
        style: ParamStyle,
        at: &str,
    ) -> Option<(Schema, Option<ParamShape>)> {
        // A parameter is text: a schema that says nothing of its type reads it as text.
        let untyped = match &mut schema.ty {
            ty @ TypeRef::Any => Some(ty),
            TypeRef::Array(items) if items.ty == TypeRef::Any => Some(&mut items.ty),
            _ => None,
        };
        if let Some(ty) = untyped {
            *ty = TypeRef::String(StringFormat::Plain);
            self.warn(
                at,
                "lenient",
                format!("parameter `{name}` has no type; it is read as a string"),
            );
        }
        let deep = style == ParamStyle::DeepObject;
        let shape = match self.param_shape(&schema.ty, deep, 0) {
            Ok(shape) => shape,
            Err(what) => {
                // The value's type is clear; only its text is not: JSON is the one text
                // that writes any value, and what `content: application/json` would say.
                self.warn(
                    at,
                    "lenient",
                    format!("parameter `{name}` is {what}, which no `style` can write; it is sent and read as JSON text, as `content: application/json` would describe it"),
                );
                return Some((schema, None));
            }
        };
        if deep && self.has_array_property(&schema.ty, 0) {
            self.warn(
                at,
                "lenient",
                format!("parameter `{name}` has an array property, which `style: deepObject` does not describe; each item is sent as a pair of its own, `{name}[property]=item`"),
            );
        }
        match (style, shape) {
            (ParamStyle::DeepObject, ParamShape::Array) => {
                self.warn(
                    at,
                    "lenient",
                    format!("parameter `{name}` is an array, which `style: deepObject` does not write (it writes objects); it is sent and read as JSON text, as `content: application/json` would describe it"),
                );
                return Some((schema, None));
            }
            (
                ParamStyle::DeepObject | ParamStyle::SpaceDelimited | ParamStyle::PipeDelimited,
                ParamShape::Scalar,
            ) => {
                let style = match style {
                    ParamStyle::DeepObject => "deepObject",
                    ParamStyle::SpaceDelimited => "spaceDelimited",
                    _ => "pipeDelimited",
                };
                self.warn(
                    at,
                    "lenient",
                    format!("parameter `{name}` is a single value, which `style: {style}` does not describe; it is sent as `{name}=value`"),
                );
            }
            _ => {}
        }
        Some((schema, Some(shape)))
    }

    /// A parameter described by `content`: JSON text, or plain text for a scalar.
    fn param_content(
        &mut self,
        name: &str,
        content: &openapiv3::Content,
        location: ParamLocation,
        at: &str,
        hint: &str,
    ) -> Option<(Schema, ParamEncoding)> {
        let content_at = join(at, "content");
        let mut media_types = content.iter();
        let (Some((media_type, media)), None) = (media_types.next(), media_types.next()) else {
            self.error_rule(
                &content_at,
                "invalid",
                format!(
                    "parameter `{name}`: `content` must have exactly one media type, it has {}",
                    content.len()
                ),
            );
            return None;
        };
        let media_at = join(&content_at, media_type);
        let schema_at = join(&media_at, "schema");
        let schema = match &media.schema {
            Some(schema) => self.schema(schema, &schema_at, hint),
            None => Schema::of(TypeRef::Any),
        };
        let essence = media_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        if super::bodies::is_json(media_type) {
            return Some((
                schema,
                ParamEncoding::Json {
                    media_type: media_type.clone(),
                },
            ));
        }
        let any = essence == "*/*";
        let scalar = matches!(
            self.param_shape(&schema.ty, false, 0),
            Ok(ParamShape::Scalar)
        );
        if any && !scalar {
            // `*/*` admits JSON, the one media type that writes any value.
            self.warn(
                &media_at,
                "lenient",
                format!("parameter `{name}` is described with `*/*` and is not a scalar; it is sent and read as JSON, as `application/json` would"),
            );
            return Some((
                schema,
                ParamEncoding::Json {
                    media_type: "application/json".to_string(),
                },
            ));
        }
        if scalar && (essence.starts_with("text/") || any) {
            // Plain text is the value as it is: a scalar in its location's default style.
            // Any other text, and `*/*` (no media type in particular), write a scalar the
            // same way.
            let style = location.default_style();
            let (schema, shape) = self.styled(name, schema, style, &schema_at)?;
            if let Some(shape @ ParamShape::Scalar) = shape {
                if essence != "text/plain" {
                    self.warn(
                        &media_at,
                        "lenient",
                        format!("parameter `{name}` is described with `{media_type}`; a scalar of it is sent and read as its text, as `text/plain` would"),
                    );
                }
                let encoding = ParamEncoding::Style {
                    style,
                    explode: false,
                    allow_reserved: false,
                    shape,
                };
                return Some((schema, encoding));
            }
        }
        self.error(
            &media_at,
            format!("parameter `{name}`: `{media_type}` is not a media type the generator writes parameters in; it writes JSON (`application/json`, `*/*+json`, `*/*`) and, for a scalar, text (`text/*`)"),
        );
        None
    }

    /// The shape of a parameter of this type, or what it is when no style writes it.
    /// `deep` (for `deepObject`) lets an object hold objects, down to `depth` levels.
    fn param_shape(
        &self,
        ty: &TypeRef,
        deep: bool,
        depth: usize,
    ) -> Result<ParamShape, &'static str> {
        if depth > MAX_DEPTH {
            return Err("an object nested too deep (or in itself)");
        }
        if let Some(scalar) = self.param_scalar(ty, 0) {
            return Ok(match scalar {
                Scalar::Plain => ParamShape::Scalar,
                Scalar::Union => ParamShape::Union { open: false },
            });
        }
        match self.resolved_alias(ty) {
            TypeRef::Array(items) => match self.param_scalar(&items.ty, 0) {
                Some(_) => Ok(ParamShape::Array),
                None => Err("an array of arrays or objects"),
            },
            TypeRef::Map(values) => {
                self.param_property(&values.ty, deep, depth)?;
                Ok(ParamShape::Object { open: true })
            }
            TypeRef::FreeObject => Ok(ParamShape::Object { open: true }),
            TypeRef::Named(id) => match &self.types[id.0].kind {
                TypeKind::Struct(s) => {
                    for field in &s.fields {
                        self.param_property(&field.schema.ty, deep, depth)?;
                    }
                    if let Some(additional) = &s.additional {
                        self.param_property(&additional.ty, deep, depth)?;
                    }
                    Ok(ParamShape::Object {
                        open: s.additional.is_some(),
                    })
                }
                // The alternatives are read in turn: each must have a shape of its own.
                TypeKind::Union(u) if u.discriminator.is_none() && !u.variants.is_empty() => {
                    let mut open = false;
                    for variant in &u.variants {
                        match self.param_shape(&variant.schema.ty, deep, depth + 1) {
                            Ok(ParamShape::Array) if deep => {
                                return Err("a union with an array alternative, which `deepObject` cannot write")
                            }
                            Ok(ParamShape::Object { open: o }) => open |= o,
                            Ok(ParamShape::Scalar | ParamShape::Array) => {}
                            Ok(ParamShape::Union { .. }) | Err(_) => {
                                return Err("a union with an alternative that is neither a scalar, nor an array of scalars, nor an object of them")
                            }
                        }
                    }
                    Ok(ParamShape::Union { open })
                }
                TypeKind::Union(_) => Err("a union with a discriminator"),
                _ => Err("a value of no scalar type"),
            },
            _ => Err("a value of no scalar type"),
        }
    }

    /// Checks one property of an object parameter: a scalar, or for `deepObject` an
    /// array of them or an object of them.
    fn param_property(&self, ty: &TypeRef, deep: bool, depth: usize) -> Result<(), &'static str> {
        // A property of any type is read as its text.
        if self.param_scalar(ty, 0).is_some() || *self.resolved_alias(ty) == TypeRef::Any {
            return Ok(());
        }
        if !deep {
            return Err("an object with a property that is an array or an object");
        }
        match self.param_shape(ty, deep, depth + 1) {
            // An array is repeated pairs, `name[key]=1&name[key]=2` (see `styled`).
            Ok(ParamShape::Object { .. } | ParamShape::Array) => Ok(()),
            Err(what) if depth >= MAX_DEPTH => Err(what),
            _ => Err("an object with a property that is an array or a union of objects"),
        }
    }

    /// Whether an object (or an object in it, or an alternative of a union) has a
    /// property that is an array.
    fn has_array_property(&self, ty: &TypeRef, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        let is_array = |ty: &TypeRef| matches!(self.resolved_alias(ty), TypeRef::Array(_));
        let holds = |ty: &TypeRef| is_array(ty) || self.has_array_property(ty, depth + 1);
        match self.resolved_alias(ty) {
            TypeRef::Map(values) => holds(&values.ty),
            TypeRef::Named(id) => match &self.types[id.0].kind {
                TypeKind::Struct(s) => {
                    s.fields.iter().any(|f| holds(&f.schema.ty))
                        || s.additional.as_ref().is_some_and(|a| holds(&a.ty))
                }
                TypeKind::Union(u) => u
                    .variants
                    .iter()
                    .any(|v| self.has_array_property(&v.schema.ty, depth + 1)),
                _ => false,
            },
            _ => false,
        }
    }

    /// Whether the type is written as one piece of text: a string, number, boolean or
    /// string enum (`Plain`), or a `oneOf`/`anyOf` of those (`Union`).
    fn param_scalar(&self, ty: &TypeRef, depth: usize) -> Option<Scalar> {
        if depth > MAX_DEPTH {
            return None;
        }
        match self.resolved_alias(ty) {
            TypeRef::String(_) | TypeRef::Integer(_) | TypeRef::Number(_) | TypeRef::Boolean => {
                Some(Scalar::Plain)
            }
            TypeRef::Named(id) => match &self.types[id.0].kind {
                TypeKind::Enum(_) => Some(Scalar::Plain),
                TypeKind::Union(u) if u.discriminator.is_none() && !u.variants.is_empty() => u
                    .variants
                    .iter()
                    .all(|v| self.param_scalar(&v.schema.ty, depth + 1).is_some())
                    .then_some(Scalar::Union),
                _ => None,
            },
            _ => None,
        }
    }

    /// The type an alias stands for (aliases of aliases followed, a cycle left as it is).
    fn resolved_alias<'t>(&'t self, mut ty: &'t TypeRef) -> &'t TypeRef {
        for _ in 0..=self.types.len() {
            match ty {
                TypeRef::Named(id) => match &self.types[id.0].kind {
                    TypeKind::Alias(schema) => ty = &schema.ty,
                    _ => return ty,
                },
                _ => return ty,
            }
        }
        ty
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::lower_yaml;
    use super::*;

    const SPEC: &str = r##"
paths:
  /items/{id}:
    get:
      operationId: getItem
      parameters:
        - {name: id, in: path, required: true, style: label, schema: {type: array, items: {type: integer}}}
        - {name: q, in: query, schema: {type: string}}
        - {name: tags, in: query, schema: {type: array, items: {type: string}}}
        - {name: color, in: query, style: deepObject, schema: {type: object, additionalProperties: {type: integer}}}
        - {name: where, in: query, content: {application/json: {schema: {type: object}}}}
        - {name: ref, in: header, schema: {oneOf: [{type: integer}, {type: string}]}}
        - {name: back, in: query, allowReserved: true, schema: {type: string}}
        - {name: session, in: cookie, schema: {type: string}}
        - {name: any, in: query, schema: {}}
      responses:
        "204": {description: Done.}
"##;

    fn encodings() -> Vec<(String, ParamEncoding, bool)> {
        let api = lower_yaml(SPEC).expect("lowers");
        api.operations[0]
            .params
            .iter()
            .map(|p| (p.wire_name.clone(), p.encoding.clone(), p.is_plain()))
            .collect()
    }

    fn style(style: ParamStyle, explode: bool, shape: ParamShape) -> ParamEncoding {
        ParamEncoding::Style {
            style,
            explode,
            allow_reserved: false,
            shape,
        }
    }

    #[test]
    fn every_parameter_has_its_style_with_the_defaults_filled_in() {
        let found = encodings();
        let expected = [
            (
                "id",
                style(ParamStyle::Label, false, ParamShape::Array),
                false,
            ),
            ("q", style(ParamStyle::Form, true, ParamShape::Scalar), true),
            (
                "tags",
                style(ParamStyle::Form, true, ParamShape::Array),
                false,
            ),
            (
                "color",
                style(
                    ParamStyle::DeepObject,
                    false,
                    ParamShape::Object { open: true },
                ),
                false,
            ),
            (
                "where",
                ParamEncoding::Json {
                    media_type: "application/json".to_string(),
                },
                false,
            ),
            (
                "ref",
                style(ParamStyle::Simple, false, ParamShape::Union { open: false }),
                false,
            ),
            (
                "back",
                ParamEncoding::Style {
                    style: ParamStyle::Form,
                    explode: true,
                    allow_reserved: true,
                    shape: ParamShape::Scalar,
                },
                false,
            ),
            (
                "session",
                style(ParamStyle::Form, true, ParamShape::Scalar),
                true,
            ),
            (
                "any",
                style(ParamStyle::Form, true, ParamShape::Scalar),
                true,
            ),
        ];
        assert_eq!(found.len(), expected.len());
        for ((name, encoding, plain), (want_name, want, want_plain)) in found.iter().zip(expected) {
            assert_eq!(name, want_name);
            assert_eq!(encoding, &want, "{name}");
            assert_eq!(*plain, want_plain, "{name}");
        }
    }

    #[test]
    fn a_parameter_without_a_type_is_a_string_with_a_warning() {
        let spec = Spec::load(
            "spec.yaml",
            &format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\n{SPEC}"),
        )
        .expect("loads");
        let (api, warnings) = lower_with_warnings(&spec).expect("lowers");
        let any = api.operations[0]
            .params
            .iter()
            .find(|p| p.wire_name == "any")
            .expect("the parameter");
        assert_eq!(any.schema.ty, TypeRef::String(StringFormat::Plain));
        assert!(
            warnings
                .iter()
                .any(|w| w.to_string().contains("parameter `any` has no type")),
            "{warnings:?}"
        );
    }

    #[test]
    fn aliases_are_followed_to_what_they_stand_for() {
        let api = lower_yaml(
            r##"
paths:
  /a:
    get:
      operationId: getA
      parameters:
        - {name: id, in: query, schema: {$ref: '#/components/schemas/Id'}}
        - {name: ids, in: query, schema: {$ref: '#/components/schemas/Ids'}}
      responses:
        "204": {description: Done.}
components:
  schemas:
    Id: {type: string}
    Ids: {type: array, items: {$ref: '#/components/schemas/Id'}}
"##,
        )
        .expect("lowers");
        let shapes: Vec<ParamShape> = api.operations[0]
            .params
            .iter()
            .map(|p| match p.encoding {
                ParamEncoding::Style { shape, .. } => shape,
                ParamEncoding::Json { .. } => panic!("styled"),
            })
            .collect();
        assert_eq!(shapes, [ParamShape::Scalar, ParamShape::Array]);
    }
}
