//! The generator's own model of an API: what `lower` produces and `codegen` reads.
//!
//! No `openapiv3` type appears here. Every node keeps its wire name (as the spec spells
//! it), its Rust name (decided once, in `naming`), and the JSON pointer of the place in
//! the spec it came from, so that generated docs and diagnostics can point back.

use serde_json::Value;

/// A whole API, ready for code generation.
#[derive(Debug, Clone)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// Services in order of first appearance; an operation's first tag names its service.
    pub services: Vec<Service>,
    /// Operations in spec order (paths, then methods in the order OpenAPI lists them).
    pub operations: Vec<Operation>,
    /// Named types; a `TypeId` indexes this list. Component schemas come first, in spec
    /// order, then types named after the place where an inline schema appears.
    pub types: Vec<TypeDef>,
    /// Parameters given once when the client is built (`x-client-parameter`).
    pub client_params: Vec<ClientParam>,
    pub security_schemes: Vec<SecurityScheme>,
    /// The top-level security requirement: alternatives, each a list of scheme names.
    pub security: Vec<Vec<String>>,
    /// How error bodies look (`x-error-model`), used by the server for rejections.
    pub error_model: Option<ErrorModel>,
}

/// A group of operations served from one base URL.
#[derive(Debug, Clone)]
pub struct Service {
    /// The tag, as written in the spec.
    pub name: String,
    /// `UpperCamelCase`, e.g. `FunctionGraph`.
    pub rust_name: String,
    /// `snake_case`, e.g. `function_graph`.
    pub snake_name: String,
    pub description: Option<String>,
    pub servers: Vec<Server>,
    /// `x-validation-error-code` on the tag: the code the server answers rejections with.
    pub validation_error_code: Option<String>,
    pub pointer: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    pub url: String,
    pub description: Option<String>,
    pub variables: Vec<ServerVariable>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServerVariable {
    pub name: String,
    pub default: String,
    pub description: Option<String>,
    pub allowed: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Operation {
    /// The `operationId` as written.
    pub operation_id: String,
    /// `snake_case` method name.
    pub rust_name: String,
    /// `UpperCamelCase` prefix for types generated for this operation.
    pub type_name: String,
    pub service: usize,
    pub method: Method,
    /// The path template as written, e.g. `/v1/{project_id}/edgesrv/messages`.
    pub path: String,
    /// The path template parsed once, during lowering, into literal text and parameters.
    pub segments: Vec<Segment>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    /// Path-level parameters first, then operation parameters (an operation parameter
    /// replaces a path-level one with the same name and location).
    pub params: Vec<Parameter>,
    pub body: Option<RequestBody>,
    /// In spec order; `default` last.
    pub responses: Vec<Response>,
    pub pointer: String,
}

impl Operation {
    /// The path split into literal text and parameter references.
    pub fn path_segments(&self) -> Vec<PathSegment<'_>> {
        self.segments
            .iter()
            .map(|segment| match segment {
                Segment::Literal(text) => PathSegment::Literal(text),
                Segment::Param(name) => PathSegment::Param(name),
            })
            .collect()
    }

    /// The literal text before the first parameter, e.g. `/v1/` of `/v1/{project_id}/jobs`.
    pub fn literal_prefix(&self) -> &str {
        match self.segments.first() {
            Some(Segment::Literal(text)) => text,
            _ => "",
        }
    }

    /// Parameters in one location, in order.
    pub fn params_in(&self, location: ParamLocation) -> impl Iterator<Item = &Parameter> {
        self.params.iter().filter(move |p| p.location == location)
    }

    /// Responses whose status is 2xx.
    pub fn success_responses(&self) -> impl Iterator<Item = &Response> {
        self.responses.iter().filter(|r| r.status.is_success())
    }

    /// Responses that are not 2xx, including `default`.
    pub fn error_responses(&self) -> impl Iterator<Item = &Response> {
        self.responses.iter().filter(|r| !r.status.is_success())
    }
}

/// One piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Literal(String),
    /// `{name}`: the wire name of a path parameter.
    Param(String),
}

/// A borrowed [`Segment`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathSegment<'a> {
    Literal(&'a str),
    Param(&'a str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    /// Upper-case, as on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }

    /// Whether repeating the request has the same effect as sending it once (RFC 9110).
    pub fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

impl ParamLocation {
    pub fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Parameter {
    pub wire_name: String,
    pub rust_name: String,
    pub location: ParamLocation,
    pub required: bool,
    pub deprecated: bool,
    pub description: Option<String>,
    pub schema: Schema,
    /// For query arrays: `true` sends `a=1&a=2`, `false` sends `a=1,2`.
    pub explode: bool,
    /// Index into `Api::client_params` when the client supplies this parameter itself.
    pub client_param: Option<usize>,
    pub pointer: String,
}

/// A parameter whose value is given once, when the client is built.
#[derive(Debug, Clone)]
pub struct ClientParam {
    pub wire_name: String,
    pub rust_name: String,
    pub location: ParamLocation,
    pub description: Option<String>,
    pub schema: Schema,
    /// A header the client also sends the value in, on every request.
    pub header: Option<String>,
    /// An environment variable the client reads the value from when none is given.
    pub env: Option<String>,
    pub pointer: String,
}

#[derive(Debug, Clone)]
pub struct RequestBody {
    pub content_type: String,
    pub required: bool,
    pub description: Option<String>,
    pub schema: Schema,
    pub examples: Vec<Example>,
    pub pointer: String,
}

#[derive(Debug, Clone)]
pub struct Response {
    pub status: Status,
    pub description: String,
    /// `UpperCamelCase` variant name, e.g. `Ok`, `BadRequest`, `Default`.
    pub variant_name: String,
    pub body: Option<ResponseBody>,
    pub headers: Vec<ResponseHeader>,
    pub pointer: String,
}

#[derive(Debug, Clone)]
pub struct ResponseBody {
    pub content_type: String,
    pub schema: Schema,
    pub examples: Vec<Example>,
}

#[derive(Debug, Clone)]
pub struct ResponseHeader {
    pub wire_name: String,
    pub rust_name: String,
    pub required: bool,
    pub description: Option<String>,
    pub schema: Schema,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Code(u16),
    Default,
}

impl Status {
    pub fn is_success(self) -> bool {
        matches!(self, Status::Code(200..=299))
    }
}

/// A named example from the spec.
#[derive(Debug, Clone)]
pub struct Example {
    pub name: String,
    pub summary: Option<String>,
    pub value: Value,
    pub pointer: String,
}

/// An index into `Api::types`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// A use of a type at one place: the type plus what the place adds to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    pub ty: TypeRef,
    pub constraints: Constraints,
    pub nullable: bool,
    pub default: Option<Value>,
    pub description: Option<String>,
    /// Other shapes accepted on input in place of `ty` (`x-canonical`).
    pub lenient: Vec<TypeRef>,
}

impl Schema {
    pub fn of(ty: TypeRef) -> Self {
        Schema {
            ty,
            constraints: Constraints::default(),
            nullable: false,
            default: None,
            description: None,
            lenient: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    Named(TypeId),
    String(StringFormat),
    Integer(IntFormat),
    Number(NumFormat),
    Boolean,
    Array(Box<Schema>),
    /// An object with arbitrary keys and values of one schema (`additionalProperties`).
    Map(Box<Schema>),
    /// A JSON object with no declared properties.
    FreeObject,
    /// Any JSON value.
    Any,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StringFormat {
    Plain,
    DateTime,
    Date,
    Byte,
    Binary,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntFormat {
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumFormat {
    F32,
    F64,
}

/// Validation keywords that apply where a schema is used.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub pattern: Option<String>,
    pub minimum: Option<f64>,
    pub exclusive_minimum: bool,
    pub maximum: Option<f64>,
    pub exclusive_maximum: bool,
    pub multiple_of: Option<f64>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    pub unique_items: bool,
    pub min_properties: Option<usize>,
    pub max_properties: Option<usize>,
    /// Allowed values of an inline enum that was not given a type of its own
    /// (for example a non-string enum).
    pub allowed: Vec<Value>,
}

impl Constraints {
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The component name, or the synthesized name for an inline schema.
    pub name: String,
    pub rust_name: String,
    pub description: Option<String>,
    pub kind: TypeKind,
    /// Examples attached to the schema itself (`example`).
    pub examples: Vec<Example>,
    pub pointer: String,
    /// Whether the schema came from `components/schemas`.
    pub component: bool,
}

// The IR is built once per run and never moved in bulk; boxing would only add noise.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum TypeKind {
    Struct(Struct),
    Enum(Enum),
    Union(Union),
    /// A component that is not an object, enum or union: a primitive, array or map.
    /// It becomes a type alias; uses of it are expanded in place.
    Alias(Schema),
}

#[derive(Debug, Clone)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// Typed `additionalProperties`, collected into a map next to the fields.
    pub additional: Option<Box<Schema>>,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub wire_name: String,
    pub rust_name: String,
    pub required: bool,
    pub deprecated: bool,
    pub schema: Schema,
    /// Set when the field must be boxed to break a cycle of types.
    pub boxed: bool,
    pub pointer: String,
}

#[derive(Debug, Clone)]
pub struct Enum {
    pub values: Vec<EnumValue>,
    /// The name of the variant that keeps values this spec does not list.
    pub other_variant: String,
}

#[derive(Debug, Clone)]
pub struct EnumValue {
    pub wire: String,
    pub rust_name: String,
}

#[derive(Debug, Clone)]
pub struct Union {
    /// `oneOf` (exactly one alternative matches) or `anyOf`.
    pub exclusive: bool,
    pub variants: Vec<UnionVariant>,
    pub discriminator: Option<Discriminator>,
}

#[derive(Debug, Clone)]
pub struct UnionVariant {
    pub rust_name: String,
    pub schema: Schema,
    /// Set when the variant must be boxed to break a cycle of types.
    pub boxed: bool,
}

#[derive(Debug, Clone)]
pub struct Discriminator {
    pub property: String,
    /// Wire value of the property for each variant, in variant order.
    pub values: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct SecurityScheme {
    pub name: String,
    pub description: Option<String>,
    pub kind: SecurityKind,
}

#[derive(Debug, Clone)]
pub enum SecurityKind {
    /// A key sent in a header, query parameter or cookie, named by `name`.
    ApiKey {
        location: String,
        name: String,
    },
    /// `x-signing`: the request is signed; the fields come from the extension.
    Signing(Signing),
    Http {
        scheme: String,
    },
    Other,
}

#[derive(Debug, Clone)]
pub struct Signing {
    pub algorithm: String,
    pub header: String,
    pub date_header: String,
    pub content_sha256_header: Option<String>,
    pub security_token_header: Option<String>,
    pub access_key_env: Option<String>,
    pub secret_key_env: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ErrorModel {
    pub schema: TypeId,
    pub code_field: String,
    pub message_field: String,
}
