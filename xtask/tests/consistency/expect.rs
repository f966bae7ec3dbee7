//! What the generated code must contain, read from the spec with `openapiv3` alone.
//!
//! This module is the test's own reading of OpenAPI 3.0; it shares nothing with the
//! generator's IR. `$ref`s are resolved here, a one-member `allOf` around a `$ref` means
//! the referenced schema, and an `anyOf` marked `x-canonical: N` means its alternative N.

use std::collections::BTreeMap;
use std::fmt;

use heck::{ToSnakeCase, ToUpperCamelCase};
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, OpenAPI, Parameter, ReferenceOr, Schema,
    SchemaKind, StatusCode, Type, VariantOrUnknownOrEmpty,
};

/// A Rust type in the shape both sides are compared in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    String,
    Prim(&'static str),
    Vec(Box<Ty>),
    /// A map with string keys, whatever map type is used.
    Map(Box<Ty>),
    /// `serde_json::Map<String, Value>`: a free-form object.
    JsonMap,
    /// `serde_json::Value`: any JSON value.
    JsonValue,
    Option(Box<Ty>),
    /// A generated type, by its Rust name.
    Named(String),
    Unit,
    /// Something the comparison does not model, kept as text for the message.
    Other(String),
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ty::String => write!(f, "String"),
            Ty::Prim(name) => write!(f, "{name}"),
            Ty::Vec(inner) => write!(f, "Vec<{inner}>"),
            Ty::Map(inner) => write!(f, "Map<String, {inner}>"),
            Ty::JsonMap => write!(f, "serde_json::Map<String, Value>"),
            Ty::JsonValue => write!(f, "serde_json::Value"),
            Ty::Option(inner) => write!(f, "Option<{inner}>"),
            Ty::Named(name) => write!(f, "{name}"),
            Ty::Unit => write!(f, "()"),
            Ty::Other(text) => write!(f, "{text}"),
        }
    }
}

impl Ty {
    pub fn optional(self, optional: bool) -> Ty {
        if optional {
            Ty::Option(Box::new(self))
        } else {
            self
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Location {
    Path,
    Query,
    Header,
    Cookie,
}

impl Location {
    /// The variant name of the server runtime's `ParamLocation`.
    pub fn variant(self) -> &'static str {
        match self {
            Location::Path => "Path",
            Location::Query => "Query",
            Location::Header => "Header",
            Location::Cookie => "Cookie",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Param {
    pub wire: String,
    /// The Rust argument name: the wire name in snake case.
    pub arg: String,
    pub location: Location,
    pub required: bool,
    pub ty: Ty,
    /// For a client-level parameter (`x-client-parameter`): the header it is also sent in.
    pub client_level: Option<Option<String>>,
}

#[derive(Debug, Clone)]
pub struct Body {
    pub content_type: String,
    pub required: bool,
    pub ty: Ty,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Code(u16),
    Default,
}

impl Status {
    pub fn is_success(self) -> bool {
        matches!(self, Status::Code(code) if (200..300).contains(&code))
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Status::Code(code) => write!(f, "{code}"),
            Status::Default => write!(f, "default"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Resp {
    pub status: Status,
    pub body: Option<Ty>,
}

#[derive(Debug, Clone)]
pub struct Operation {
    pub id: String,
    /// The Rust method name: the operationId in snake case.
    pub method_name: String,
    /// The Rust type name stem: the operationId in upper camel case.
    pub type_name: String,
    /// Upper-case HTTP method.
    pub http_method: String,
    pub path: String,
    pub tag: String,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub responses: Vec<Resp>,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub wire: String,
    /// The full expected type, `Option<..>` included when the field may be absent or null.
    pub ty: Ty,
}

#[derive(Debug, Clone)]
pub enum SchemaKindExpect {
    Struct {
        fields: Vec<Field>,
        additional: bool,
    },
    StringEnum(Vec<String>),
    Union(Vec<Ty>),
    Alias(Ty),
}

#[derive(Debug, Clone)]
pub struct SchemaExpect {
    pub name: String,
    pub rust_name: String,
    pub kind: SchemaKindExpect,
}

#[derive(Debug, Clone, Default)]
pub struct Expectations {
    pub operations: Vec<Operation>,
    pub schemas: Vec<SchemaExpect>,
    /// Problems the test found while reading the spec (constructs it does not model).
    pub problems: Vec<String>,
}

/// Reads the expectations from the spec text (YAML or JSON).
pub fn read(text: &str) -> Result<Expectations, String> {
    let api: OpenAPI =
        serde_yaml::from_str(text).map_err(|e| format!("openapiv3 cannot read the spec: {e}"))?;
    let reader = Reader { api: &api };
    let mut out = Expectations::default();
    for (path, item) in api.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            out.problems.push(format!(
                "path {path}: path item references are not modelled"
            ));
            continue;
        };
        for (method, op) in item.iter() {
            let at = format!("{} {path}", method.to_uppercase());
            let Some(id) = op.operation_id.clone() else {
                out.problems.push(format!("{at}: no operationId"));
                continue;
            };
            let mut params: Vec<Param> = Vec::new();
            for p in item.parameters.iter().chain(op.parameters.iter()) {
                match reader.param(p) {
                    Ok(param) => {
                        params.retain(|q| !(q.wire == param.wire && q.location == param.location));
                        params.push(param);
                    }
                    Err(e) => out.problems.push(format!("{id}: {e}")),
                }
            }
            let body = match &op.request_body {
                None => None,
                Some(body) => match reader.request_body(body) {
                    Ok(body) => body,
                    Err(e) => {
                        out.problems.push(format!("{id}: request body: {e}"));
                        None
                    }
                },
            };
            let mut responses = Vec::new();
            let statuses = op
                .responses
                .responses
                .iter()
                .map(|(code, r)| (code.clone(), r))
                .map(|(code, r)| match code {
                    StatusCode::Code(code) => Ok((Status::Code(code), r)),
                    StatusCode::Range(range) => Err(format!("status range {range}XX")),
                })
                .chain(
                    op.responses
                        .default
                        .iter()
                        .map(|r| Ok((Status::Default, r))),
                );
            for entry in statuses {
                match entry.and_then(|(status, r)| {
                    reader.response_body(r).map(|body| Resp { status, body })
                }) {
                    Ok(resp) => responses.push(resp),
                    Err(e) => out.problems.push(format!("{id}: response: {e}")),
                }
            }
            out.operations.push(Operation {
                method_name: id.to_snake_case(),
                type_name: id.to_upper_camel_case(),
                http_method: method.to_uppercase(),
                path: path.clone(),
                tag: op.tags.first().cloned().unwrap_or_default(),
                params,
                body,
                responses,
                id,
            });
        }
    }
    if let Some(components) = &api.components {
        for (name, schema) in &components.schemas {
            let schema = match schema {
                ReferenceOr::Item(schema) => schema,
                ReferenceOr::Reference { reference } => {
                    out.problems.push(format!(
                        "schema {name}: a component that is only a $ref ({reference}) is not modelled"
                    ));
                    continue;
                }
            };
            match reader.component(schema) {
                Ok(kind) => out.schemas.push(SchemaExpect {
                    name: name.clone(),
                    rust_name: name.to_upper_camel_case(),
                    kind,
                }),
                Err(e) => out.problems.push(format!("schema {name}: {e}")),
            }
        }
    }
    Ok(out)
}

struct Reader<'a> {
    api: &'a OpenAPI,
}

const SCHEMA_PREFIX: &str = "#/components/schemas/";

impl<'a> Reader<'a> {
    fn schema_by_ref(&self, reference: &str) -> Result<(&'a str, &'a Schema), String> {
        let name = reference
            .strip_prefix(SCHEMA_PREFIX)
            .ok_or_else(|| format!("unsupported $ref {reference}"))?;
        let components = self.api.components.as_ref().ok_or("no components")?;
        match components.schemas.get_key_value(name) {
            Some((key, ReferenceOr::Item(schema))) => Ok((key.as_str(), schema)),
            Some((_, ReferenceOr::Reference { reference })) => {
                Err(format!("{name} is itself a $ref to {reference}"))
            }
            None => Err(format!("$ref {reference} points at no schema")),
        }
    }

    fn param(&self, p: &ReferenceOr<Parameter>) -> Result<Param, String> {
        let p = match p {
            ReferenceOr::Item(p) => p,
            ReferenceOr::Reference { reference } => {
                let name = reference
                    .strip_prefix("#/components/parameters/")
                    .ok_or_else(|| format!("unsupported parameter $ref {reference}"))?;
                match self
                    .api
                    .components
                    .as_ref()
                    .and_then(|c| c.parameters.get(name))
                {
                    Some(ReferenceOr::Item(p)) => p,
                    _ => return Err(format!("parameter $ref {reference} does not resolve")),
                }
            }
        };
        let (data, location) = match p {
            Parameter::Path { parameter_data, .. } => (parameter_data, Location::Path),
            Parameter::Query { parameter_data, .. } => (parameter_data, Location::Query),
            Parameter::Header { parameter_data, .. } => (parameter_data, Location::Header),
            Parameter::Cookie { parameter_data, .. } => (parameter_data, Location::Cookie),
        };
        let ty = match &data.format {
            openapiv3::ParameterSchemaOrContent::Schema(schema) => self.ty(schema)?,
            openapiv3::ParameterSchemaOrContent::Content(_) => {
                return Err(format!("parameter {}: content is not modelled", data.name))
            }
        };
        let client_level = data
            .extensions
            .get("x-client-parameter")
            .map(|x| x.get("header").and_then(|h| h.as_str()).map(str::to_string));
        Ok(Param {
            arg: data.name.to_snake_case(),
            wire: data.name.clone(),
            location,
            required: data.required,
            ty,
            client_level,
        })
    }

    fn request_body(
        &self,
        body: &ReferenceOr<openapiv3::RequestBody>,
    ) -> Result<Option<Body>, String> {
        let ReferenceOr::Item(body) = body else {
            return Err("request body $refs are not modelled".to_string());
        };
        let Some((content_type, media)) = body.content.first() else {
            return Ok(None);
        };
        let schema = media.schema.as_ref().ok_or("a body without a schema")?;
        Ok(Some(Body {
            content_type: content_type.clone(),
            required: body.required,
            ty: self.ty(schema)?,
        }))
    }

    fn response_body(&self, r: &ReferenceOr<openapiv3::Response>) -> Result<Option<Ty>, String> {
        let r = match r {
            ReferenceOr::Item(r) => r,
            ReferenceOr::Reference { reference } => {
                let name = reference
                    .strip_prefix("#/components/responses/")
                    .ok_or_else(|| format!("unsupported response $ref {reference}"))?;
                match self
                    .api
                    .components
                    .as_ref()
                    .and_then(|c| c.responses.get(name))
                {
                    Some(ReferenceOr::Item(r)) => r,
                    _ => return Err(format!("response $ref {reference} does not resolve")),
                }
            }
        };
        match r.content.first() {
            None => Ok(None),
            Some((_, media)) => match &media.schema {
                None => Ok(None),
                Some(schema) => self.ty(schema).map(Some),
            },
        }
    }

    /// The Rust type a schema is used as, where it is used (a field, a parameter, a body).
    fn ty(&self, schema: &ReferenceOr<Schema>) -> Result<Ty, String> {
        self.ty_depth(schema, 0)
    }

    fn ty_boxed(&self, schema: &ReferenceOr<Box<Schema>>, depth: usize) -> Result<Ty, String> {
        match schema {
            ReferenceOr::Item(schema) => {
                self.ty_depth(&ReferenceOr::Item((**schema).clone()), depth)
            }
            ReferenceOr::Reference { reference } => self.ty_depth(
                &ReferenceOr::Reference {
                    reference: reference.clone(),
                },
                depth,
            ),
        }
    }

    fn ty_depth(&self, schema: &ReferenceOr<Schema>, depth: usize) -> Result<Ty, String> {
        if depth > 32 {
            return Err("alias chain too deep".to_string());
        }
        let schema = match schema {
            ReferenceOr::Reference { reference } => {
                let (name, target) = self.schema_by_ref(reference)?;
                // A component that is only another name for a type (a primitive, an
                // array, a map, a lenient alternative) is used as that type.
                return match self.component(target)? {
                    SchemaKindExpect::Alias(_) => {
                        self.ty_depth(&ReferenceOr::Item(target.clone()), depth + 1)
                    }
                    _ => Ok(Ty::Named(name.to_upper_camel_case())),
                };
            }
            ReferenceOr::Item(schema) => schema,
        };
        if let Some(alternative) = self.canonical(schema)? {
            return self.ty_depth(alternative, depth + 1);
        }
        match &schema.schema_kind {
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                self.ty_depth(&all_of[0], depth + 1)
            }
            SchemaKind::Type(Type::String(s)) if s.enumeration.is_empty() => Ok(Ty::String),
            SchemaKind::Type(Type::String(_)) => {
                Err("an inline string enum is not modelled".into())
            }
            SchemaKind::Type(Type::Integer(i)) => Ok(Ty::Prim(match &i.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => "i32",
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int64) => "i64",
                VariantOrUnknownOrEmpty::Empty => "i64",
                VariantOrUnknownOrEmpty::Unknown(other) => match other.as_str() {
                    "int8" => "i8",
                    "int16" => "i16",
                    "uint8" => "u8",
                    "uint16" => "u16",
                    "uint32" => "u32",
                    "uint64" => "u64",
                    _ => return Err(format!("integer format {other} is not modelled")),
                },
            })),
            SchemaKind::Type(Type::Number(n)) => Ok(Ty::Prim(match &n.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => "f32",
                _ => "f64",
            })),
            SchemaKind::Type(Type::Boolean(_)) => Ok(Ty::Prim("bool")),
            SchemaKind::Type(Type::Array(a)) => {
                let items = a.items.as_ref().ok_or("an array without items")?;
                Ok(Ty::Vec(Box::new(self.ty_boxed(items, depth + 1)?)))
            }
            SchemaKind::Type(Type::Object(o)) if o.properties.is_empty() => {
                self.map_type(o.additional_properties.as_ref(), depth)
            }
            SchemaKind::Any(any) if any.properties.is_empty() && any.items.is_none() => {
                if any.typ.as_deref() == Some("object") || any.additional_properties.is_some() {
                    self.map_type(any.additional_properties.as_ref(), depth)
                } else {
                    Ok(Ty::JsonValue)
                }
            }
            _ => {
                Err("an inline object, union or allOf is not modelled; make it a component".into())
            }
        }
    }

    fn map_type(
        &self,
        additional: Option<&AdditionalProperties>,
        depth: usize,
    ) -> Result<Ty, String> {
        match additional {
            None | Some(AdditionalProperties::Any(true)) => Ok(Ty::JsonMap),
            Some(AdditionalProperties::Any(false)) => {
                Err("an empty closed object is not modelled".into())
            }
            Some(AdditionalProperties::Schema(values)) => {
                Ok(Ty::Map(Box::new(self.ty_depth(values, depth + 1)?)))
            }
        }
    }

    /// The canonical alternative of an `anyOf` marked `x-canonical: N`.
    fn canonical<'s>(&self, schema: &'s Schema) -> Result<Option<&'s ReferenceOr<Schema>>, String> {
        let Some(mark) = schema.schema_data.extensions.get("x-canonical") else {
            return Ok(None);
        };
        let SchemaKind::AnyOf { any_of } = &schema.schema_kind else {
            return Err("x-canonical outside an anyOf".into());
        };
        let index = mark.as_u64().ok_or("x-canonical is not an index")?;
        let index = usize::try_from(index).map_err(|e| e.to_string())?;
        any_of
            .get(index)
            .map(Some)
            .ok_or_else(|| format!("x-canonical {index} is out of range"))
    }

    /// What a component schema becomes as a generated type.
    fn component(&self, schema: &Schema) -> Result<SchemaKindExpect, String> {
        if let Some(alternative) = self.canonical(schema)? {
            return Ok(SchemaKindExpect::Alias(self.ty(alternative)?));
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) if !o.properties.is_empty() => {
                let mut fields = Vec::new();
                self.collect_fields(&o.properties, &o.required, &mut fields)?;
                Ok(SchemaKindExpect::Struct {
                    fields,
                    additional: matches!(
                        o.additional_properties,
                        Some(AdditionalProperties::Schema(_))
                    ),
                })
            }
            SchemaKind::AllOf { all_of } if all_of.len() > 1 => {
                let mut fields = Vec::new();
                for member in all_of {
                    let member = match member {
                        ReferenceOr::Item(s) => s,
                        ReferenceOr::Reference { reference } => self.schema_by_ref(reference)?.1,
                    };
                    match &member.schema_kind {
                        SchemaKind::Type(Type::Object(o)) => {
                            self.collect_fields(&o.properties, &o.required, &mut fields)?
                        }
                        _ => return Err("an allOf member that is not an object".into()),
                    }
                }
                Ok(SchemaKindExpect::Struct {
                    fields,
                    additional: false,
                })
            }
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => Ok(
                SchemaKindExpect::StringEnum(s.enumeration.iter().flatten().cloned().collect()),
            ),
            SchemaKind::OneOf {
                one_of: alternatives,
            }
            | SchemaKind::AnyOf {
                any_of: alternatives,
            } => {
                let tys = alternatives
                    .iter()
                    .map(|a| self.ty(a))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(SchemaKindExpect::Union(tys))
            }
            _ => Ok(SchemaKindExpect::Alias(
                self.ty(&ReferenceOr::Item(schema.clone()))?,
            )),
        }
    }

    fn collect_fields(
        &self,
        properties: &indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        fields: &mut Vec<Field>,
    ) -> Result<(), String> {
        for (wire, property) in properties {
            let ty = self
                .ty_boxed(property, 0)
                .map_err(|e| format!("property {wire}: {e}"))?;
            let nullable = self.nullable(property)?;
            let optional = !required.contains(wire) || nullable;
            fields.retain(|f: &Field| &f.wire != wire);
            fields.push(Field {
                wire: wire.clone(),
                ty: ty.optional(optional),
            });
        }
        Ok(())
    }

    /// Whether a property may be `null`: marked on itself, on a one-member `allOf`
    /// wrapper, or on the schema it references.
    fn nullable(&self, property: &ReferenceOr<Box<Schema>>) -> Result<bool, String> {
        Ok(match property {
            ReferenceOr::Reference { reference } => {
                self.schema_by_ref(reference)?.1.schema_data.nullable
            }
            ReferenceOr::Item(schema) => {
                schema.schema_data.nullable
                    || match &schema.schema_kind {
                        SchemaKind::AllOf { all_of } if all_of.len() == 1 => match &all_of[0] {
                            ReferenceOr::Reference { reference } => {
                                self.schema_by_ref(reference)?.1.schema_data.nullable
                            }
                            ReferenceOr::Item(s) => s.schema_data.nullable,
                        },
                        _ => false,
                    }
            }
        })
    }
}

/// The reason-phrase variant name the server uses for a status, from RFC 9110.
pub fn status_variant(status: Status) -> Option<&'static str> {
    let Status::Code(code) = status else {
        return Some("Default");
    };
    let table: BTreeMap<u16, &str> = [
        (200, "Ok"),
        (201, "Created"),
        (202, "Accepted"),
        (204, "NoContent"),
        (301, "MovedPermanently"),
        (302, "Found"),
        (304, "NotModified"),
        (400, "BadRequest"),
        (401, "Unauthorized"),
        (403, "Forbidden"),
        (404, "NotFound"),
        (405, "MethodNotAllowed"),
        (409, "Conflict"),
        (410, "Gone"),
        (412, "PreconditionFailed"),
        (413, "ContentTooLarge"),
        (415, "UnsupportedMediaType"),
        (422, "UnprocessableContent"),
        (429, "TooManyRequests"),
        (500, "InternalServerError"),
        (501, "NotImplemented"),
        (502, "BadGateway"),
        (503, "ServiceUnavailable"),
        (504, "GatewayTimeout"),
    ]
    .into_iter()
    .collect();
    table.get(&code).copied()
}
