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
    /// The names the generated code declares besides the spec's own (`lower::names`).
    pub names: Names,
}

impl Api {
    /// The variables of every service's server and of every operation's own server,
    /// each once, in order of first appearance: the client builder has one setter per
    /// variable.
    pub fn server_variables(&self) -> Vec<&ServerVariable> {
        let mut out: Vec<&ServerVariable> = Vec::new();
        let services = self.services.iter().flat_map(|s| s.servers.first());
        let operations = self.operations.iter().flat_map(|o| o.servers.first());
        for server in services.chain(operations) {
            for variable in &server.variables {
                if !out.iter().any(|v| v.name == variable.name) {
                    out.push(variable);
                }
            }
        }
        out
    }
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
    /// The operation's own servers, when they differ from its service's (`servers` on
    /// the operation or its path item); empty when it uses the service's base URL.
    pub servers: Vec<Server>,
    /// The path the server's router serves the operation at (the template without a
    /// `#fragment`, with the parameter names of the first path of the same shape), or
    /// `None` when the generated server does not serve it (`lower::routes`).
    pub route: Option<String>,
    /// Query pairs written into the path after a `?` (`/jobs?type=2`): the client sends
    /// them on every call, before the parameters.
    pub fixed_query: Vec<(String, String)>,
    /// What tells this operation apart from the others the server serves with the same
    /// method and route: query names, each with the value it must have (`None`: any
    /// value), from the path's `?query` or `#fragment` (`/#Action=CreateQueue`). Empty
    /// when the operation is alone on its method and route, or the one served when no
    /// other's pairs match.
    pub selector: Vec<(String, Option<String>)>,
    /// The `/`-separated pieces of the path that axum's router cannot take as written:
    /// parameters that share their segment with text (`{name}.json`, `{a}-{b}.zip`,
    /// `{name}:cancel`) and text that axum reads as its old syntax (`:token`). The route
    /// has a parameter of its own in their place, and the server matches the segment
    /// against these parts. Empty for most paths.
    pub mixed_segments: Vec<MixedSegment>,
    pub pointer: String,
}

/// A segment of a path that the server matches itself (`Operation::mixed_segments`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MixedSegment {
    /// The segment's index among the request path's `/`-separated pieces (`/files/{name}.json`: 2).
    pub index: usize,
    /// Its text and parameters in order, none of them empty and no two parameters side by side.
    pub parts: Vec<Segment>,
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

    /// The position of parameter `name` among the `/`-separated pieces of the path, when
    /// it is a whole piece (`/items/{id}/tags` gives 2 for `id`).
    pub fn path_piece(&self, name: &str) -> Option<usize> {
        let whole = format!("{{{name}}}");
        self.path.split('/').position(|piece| piece == whole)
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

    /// The distinct bodies of the 2xx responses (`success`) or of the others, in order;
    /// `None` stands for a status without a body.
    pub fn distinct_bodies(&self, success: bool) -> Vec<Option<BodyShape<'_>>> {
        let mut distinct: Vec<Option<BodyShape<'_>>> = Vec::new();
        for (index, r) in self.responses.iter().enumerate() {
            if r.status.is_success() != success {
                continue;
            }
            let shape = match r.contents.as_slice() {
                [] => None,
                [one] => Some(BodyShape::One(one.representation())),
                _ => Some(BodyShape::Several(index)),
            };
            if !distinct.contains(&shape) {
                distinct.push(shape);
            }
        }
        distinct
    }

    /// Every media type the responses can be sent as, each once, in order.
    pub fn response_media_types(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for media in self
            .responses
            .iter()
            .flat_map(|r| &r.contents)
            .flat_map(|c| &c.media_types)
        {
            if !out.contains(&media.as_str()) {
                out.push(media);
            }
        }
        out
    }
}

/// How a response's body is held: the one representation of its content, or the
/// response's own enum of several (named after the response at this index).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BodyShape<'a> {
    One(Representation<'a>),
    Several(usize),
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

    /// Lower-case, as the names of `reqwest`'s and `axum`'s per-method functions.
    pub fn as_lower(self) -> &'static str {
        match self {
            Method::Get => "get",
            Method::Put => "put",
            Method::Post => "post",
            Method::Delete => "delete",
            Method::Options => "options",
            Method::Head => "head",
            Method::Patch => "patch",
            Method::Trace => "trace",
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
    Cookie,
}

impl ParamLocation {
    pub fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        }
    }

    /// The style a parameter here has when the spec names none.
    pub fn default_style(self) -> ParamStyle {
        match self {
            ParamLocation::Path | ParamLocation::Header => ParamStyle::Simple,
            ParamLocation::Query | ParamLocation::Cookie => ParamStyle::Form,
        }
    }
}

/// An OpenAPI 3.0 `style`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// `name=value` (query, cookie).
    Form,
    /// `value` (path, header).
    Simple,
    /// `.value` (path).
    Label,
    /// `;name=value` (path).
    Matrix,
    /// Items separated by spaces (query).
    SpaceDelimited,
    /// Items separated by `|` (query).
    PipeDelimited,
    /// `name[key]=value` (query objects).
    DeepObject,
}

/// What a styled parameter's schema takes, which decides how its style writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamShape {
    /// A string, number, boolean or string enum (an alias of one included): written as
    /// its `Display` text.
    Scalar,
    /// A `oneOf`/`anyOf` (no discriminator) whose alternatives are scalars, arrays or
    /// objects: written as its value's shape says; the server tries the alternatives in
    /// order. `open` when an alternative is an open object.
    Union { open: bool },
    /// An array of scalars or scalar unions.
    Array,
    /// An object whose properties are scalars (and, for `deepObject`, objects of them);
    /// `open` when it takes properties it does not declare (a map, a free-form object,
    /// `additionalProperties`).
    Object { open: bool },
}

/// How a parameter's value is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamEncoding {
    /// `style`, `explode` and `allowReserved` (defaults filled in), with the shape of
    /// the value they apply to.
    Style {
        style: ParamStyle,
        explode: bool,
        allow_reserved: bool,
        shape: ParamShape,
    },
    /// `content` with a JSON media type: the value's JSON text.
    Json { media_type: String },
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
    /// How the value is written: a style (`form`, `label`, ...), or JSON text.
    pub encoding: ParamEncoding,
    /// Index into `Api::client_params` when the client supplies this parameter itself.
    pub client_param: Option<usize>,
    pub pointer: String,
}

impl Parameter {
    /// Whether the parameter is a scalar in its location's default style (and no
    /// `allowReserved`): its `Display` text is the whole of it.
    pub fn is_plain(&self) -> bool {
        matches!(
            self.encoding,
            ParamEncoding::Style {
                style,
                allow_reserved: false,
                shape: ParamShape::Scalar,
                ..
            } if style == self.location.default_style()
        )
    }

    /// Whether an array or object is written as one pair (or `;name=`, `.`) per item or
    /// property (`explode: true` where it changes anything).
    pub fn explodes(&self) -> bool {
        matches!(
            self.encoding,
            ParamEncoding::Style {
                explode: true,
                shape: ParamShape::Array | ParamShape::Object { .. } | ParamShape::Union { .. },
                ..
            }
        )
    }
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
    pub required: bool,
    pub description: Option<String>,
    /// The body's representations in spec order: media types that are read and written
    /// the same way (the same schema as JSON, or any text) share one. With more than one,
    /// the client chooses one per call and the server accepts each.
    pub contents: Vec<Content>,
    pub pointer: String,
}

impl RequestBody {
    /// Every media type the body can be sent as, in order.
    pub fn media_types(&self) -> Vec<&str> {
        self.contents
            .iter()
            .flat_map(|c| &c.media_types)
            .map(String::as_str)
            .collect()
    }
}

/// One representation of a body: the media types (as the spec writes them, ranges such
/// as `text/*` included) that share a way of reading and writing, and its schema.
#[derive(Debug, Clone)]
pub struct Content {
    /// At least one, in spec order.
    pub media_types: Vec<String>,
    /// The `Content-Type` sent for this representation: its first media type, or a
    /// concrete one for a range (`*/*` read as JSON is sent as `application/json`).
    pub send_as: String,
    pub kind: ContentKind,
    /// The value's schema: the document for JSON and forms, an object for multipart,
    /// a string for text and binary bodies.
    pub schema: Schema,
    pub examples: Vec<Example>,
    /// `UpperCamelCase` variant name among the representations of one body, e.g.
    /// `Json`, `Form`, `Csv`.
    pub variant_name: String,
    /// Where the first media type is written.
    pub pointer: String,
}

impl Content {
    /// What decides whether two media types can share a Rust type.
    pub fn representation(&self) -> Representation<'_> {
        match &self.kind {
            ContentKind::Json => Representation::Json(&self.schema.ty),
            ContentKind::Form => Representation::Form(&self.schema.ty),
            ContentKind::Multipart(_) => Representation::Multipart(&self.schema.ty),
            ContentKind::Text => Representation::Text,
            ContentKind::Binary => Representation::Binary,
        }
    }
}

/// How a body is read and written.
#[derive(Debug, Clone, PartialEq)]
pub enum ContentKind {
    /// JSON (`application/json`, `+json`, wildcards with a schema).
    Json,
    /// `application/x-www-form-urlencoded`: the schema's object as form fields.
    Form,
    /// `multipart/form-data`: one part per property.
    Multipart(Multipart),
    /// `text/*`: a string.
    Text,
    /// Any other media type, and any with a `format: binary` schema or none: bytes.
    Binary,
}

/// The Rust shape of a body representation; equal shapes share one type.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Representation<'a> {
    Json(&'a TypeRef),
    Form(&'a TypeRef),
    Multipart(&'a TypeRef),
    Text,
    Binary,
}

/// The parts of a `multipart/form-data` body, from its object schema's properties.
#[derive(Debug, Clone, PartialEq)]
pub struct Multipart {
    /// One per property, in the schema's order; empty when the schema lists none (or
    /// another multipart content of the same body has them), and the body is then any
    /// list of parts.
    pub parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub wire_name: String,
    /// The field of the generated multipart struct (the object's field name).
    pub rust_name: String,
    pub required: bool,
    pub description: Option<String>,
    pub kind: PartKind,
    pub schema: Schema,
    /// `encoding.<name>.contentType`, when the spec gives one.
    pub content_type: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    /// `type: string, format: binary`: a file.
    File,
    /// An array of files, sent as parts of one name.
    Files,
    /// Any other value: text for a primitive, JSON for an object; an array is sent as
    /// one part per item.
    Value,
}

#[derive(Debug, Clone)]
pub struct Response {
    pub status: Status,
    pub description: String,
    /// `UpperCamelCase` variant name, e.g. `Ok`, `BadRequest`, `ClientError`, `Default`.
    pub variant_name: String,
    /// The body's representations, as for a request body; empty without a body.
    pub contents: Vec<Content>,
    pub headers: Vec<ResponseHeader>,
    pub pointer: String,
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
    /// `1XX` to `5XX`: the hundreds digit.
    Range(u16),
    Default,
}

impl Status {
    pub fn is_success(self) -> bool {
        matches!(self, Status::Code(200..=299) | Status::Range(2))
    }

    /// Whether the answer carries its actual status (a range or `default`).
    pub fn is_variable(self) -> bool {
        !matches!(self, Status::Code(_))
    }

    /// The lowest and highest code a range covers.
    pub fn range_bounds(self) -> Option<(u16, u16)> {
        match self {
            Status::Range(digit) => Some((digit * 100, digit * 100 + 99)),
            _ => None,
        }
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

/// The identifiers the generated code declares for itself, next to the spec's own names
/// (types, fields, variants, methods, parameters): its items (`{Op}Response`,
/// `handle_{op}`, `{SERVICE}_ERRORS`, rule statics, ...), the names it imports and the
/// locals its functions use. `lower::names` claims each of them in the namespace where
/// the generated code puts it, after every spec name of that namespace, so that codegen
/// only reads names and never makes one. The lists run parallel to the `Api` lists they
/// are named after.
///
/// Names that are the same in every crate (`Client`, `router`, `ctx`, ...) are written
/// literally by codegen; `lower::names` reserves them in their namespaces, so that no
/// spec name takes them.
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub client: ClientNames,
    pub server: ServerNames,
    /// One per `Api::services`.
    pub services: Vec<ServiceNames>,
    /// One per `Api::operations`.
    pub operations: Vec<OperationNames>,
    /// One per `Api::types`.
    pub types: Vec<TypeNames>,
    /// The statics of the distinct `pattern`s of the `validate` module, in the order
    /// they are first used.
    pub patterns: Vec<PatternStatic>,
}

/// Names in the client's `client` module.
#[derive(Debug, Clone, Default)]
pub struct ClientNames {
    /// One per `Api::client_params`: the field of `Client` and `ClientBuilder`, the
    /// builder's setter, the client's accessor and the local of `ClientBuilder::build`.
    pub params: Vec<String>,
    /// One per `Api::server_variables()`: the builder's setter.
    pub server_variables: Vec<String>,
}

/// Names the server's `server` module imports, as the module spells them: the plain
/// name, or an alias when a spec name took it (a tag `Response` makes a trait
/// `Response`).
#[derive(Debug, Clone, Default)]
pub struct ServerNames {
    /// `::axum::response::IntoResponse`.
    pub into_response: String,
    /// `::axum::response::Response`.
    pub response: String,
    /// `::std::future::Future`.
    pub future: String,
    /// `::std::sync::Arc`.
    pub arc: String,
    /// `crate::runtime::RequestContext`.
    pub request_context: String,
    /// The type parameter of the service routers and the handlers (`S: Trait`).
    pub service_param: String,
}

/// Names declared for one service.
#[derive(Debug, Clone, Default)]
pub struct ServiceNames {
    /// The server trait, e.g. `FunctionGraph`.
    pub trait_name: String,
    /// The router of this service alone, e.g. `function_graph_router`.
    pub router_fn: String,
    /// The private function that builds it with a choice of where the finishing work
    /// happens (`runtime::Finishing`), e.g. `function_graph_routes`.
    pub routes_fn: String,
    /// The error format constant, e.g. `FUNCTION_GRAPH_ERRORS`.
    pub errors_const: String,
    /// The type parameter of the combined `router`, e.g. `FunctionGraphImpl`.
    pub impl_param: String,
    /// The argument of the combined `router`, e.g. `function_graph`.
    pub router_arg: String,
}

/// Names declared for one operation.
#[derive(Debug, Clone, Default)]
pub struct OperationNames {
    /// The client method (`Operation::rust_name` unless a client accessor has it).
    pub client_method: String,
    /// The client's enum of the 2xx bodies when they differ, e.g. `GetJobSuccess`.
    pub success_enum: Option<String>,
    /// The client's enum of the error bodies when they differ, e.g. `GetJobErrorBody`.
    pub error_enum: Option<String>,
    /// The client's enum of the request body's representations when it has several,
    /// e.g. `UploadBody`.
    pub client_body_enum: Option<String>,
    /// The client's struct of a `multipart/form-data` request body's parts, e.g.
    /// `UploadMultipart`.
    pub client_multipart: Option<String>,
    /// One per `Operation::responses`: the client's enum of the response body's
    /// representations when it has several, e.g. `GetReportOkContent`.
    pub client_contents: Vec<Option<String>>,
    /// The locals of the client method.
    pub client_locals: ClientLocals,
    /// The server's response enum, e.g. `GetJobResponse`.
    pub response_enum: String,
    /// The struct of the operation's inputs the trait method receives, e.g.
    /// `GetJobInput`.
    pub input_struct: String,
    /// The server's enum of the request body's representations when it has several.
    pub body_enum: Option<String>,
    /// The server's struct of a `multipart/form-data` request body's parts.
    pub multipart_struct: Option<String>,
    /// The axum handler, e.g. `handle_get_job`.
    pub handler_fn: String,
    /// The locals of the handler.
    pub handler_locals: HandlerLocals,
    /// One per `Operation::responses`: the names inside the response enum's variant.
    pub responses: Vec<ResponseNames>,
    /// The static of the operation's parameters (`validate::params::`) and of its
    /// inline body (`validate::bodies::`), e.g. `GET_JOB`.
    pub rules_static: String,
    /// One per content of the request body: the static of its schema in
    /// `validate::bodies::` when it is not a named schema (the first is `rules_static`).
    pub body_statics: Vec<String>,
}

/// The locals of a client method, besides its arguments.
#[derive(Debug, Clone, Default)]
pub struct ClientLocals {
    /// The percent-encoded path.
    pub path: String,
    /// The `runtime::Request` being built.
    pub request: String,
    /// The answer being read.
    pub response: String,
    /// The value of an optional parameter that is set.
    pub value: String,
}

/// The locals of a server handler, besides one per parameter and `body`.
#[derive(Debug, Clone, Default)]
pub struct HandlerLocals {
    /// The service implementation (the router's state).
    pub service: String,
    /// The HTTP request.
    pub request: String,
    /// The `runtime::Input` reading the request.
    pub input: String,
    /// The `RequestContext` given to the trait method.
    pub ctx: String,
    /// A rejection answered instead of calling the trait method.
    pub response: String,
    /// The bytes of a request body that is not read as JSON straight away.
    pub bytes: String,
}

/// The names inside one variant of a response enum, and the locals of its arm of
/// `into_response`.
#[derive(Debug, Clone, Default)]
pub struct ResponseNames {
    /// The field with the status of a `default` response.
    pub status_field: String,
    /// The field with the body, in a variant with named fields.
    pub body_field: String,
    /// The answer being built in the arm.
    pub response_local: String,
    /// The value of an optional header that is set, and the value inside a content
    /// variant.
    pub value_local: String,
    /// The server's enum of the body's representations when it has several, e.g.
    /// `GetReportOkContent`.
    pub content_enum: Option<String>,
}

/// Names declared for one named type.
#[derive(Debug, Clone, Default)]
pub struct TypeNames {
    /// The static of its rule in the server's `validate` module, e.g. `FLINK_JOB`.
    pub rule_static: String,
    /// The field that collects `additionalProperties`, for a struct that has them.
    pub additional_field: Option<String>,
}

/// The static of one distinct `pattern` in the server's `validate` module.
#[derive(Debug, Clone, Default)]
pub struct PatternStatic {
    pub pattern: String,
    pub name: String,
}

/// `a=1&b`: query names with the value each must have (`None`: any value), as a query.
pub fn query_text(pairs: &[(String, Option<String>)]) -> String {
    pairs
        .iter()
        .map(|(name, value)| match value {
            Some(value) => format!("{name}={value}"),
            None => name.clone(),
        })
        .collect::<Vec<_>>()
        .join("&")
}
