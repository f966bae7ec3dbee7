//! The vocabulary of a spec diff: changes, their kinds, and how each is classified.

use serde::{Serialize, Serializer};

/// What a change means for one side of the API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Impact {
    /// Something that worked against BASE may fail against HEAD.
    Breaking,
    /// Everything that worked against BASE keeps working.
    Compatible,
}

impl Impact {
    /// The word used in both report formats.
    pub fn name(self) -> &'static str {
        match self {
            Impact::Breaking => "breaking",
            Impact::Compatible => "compatible",
        }
    }
}

/// One change to the API, classified separately for clients and for servers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    /// RFC 6901 pointer into HEAD, or into BASE when the thing was removed.
    pub pointer: String,
    /// A stable, machine-readable name for the rule that produced this change.
    pub kind: Kind,
    /// One human sentence.
    pub message: String,
    /// What the change means for a client built from BASE talking to a HEAD server.
    pub client: Impact,
    /// What the change means for a server built from BASE serving HEAD clients.
    pub server: Impact,
}

impl Change {
    /// Whether the change breaks clients, servers or both.
    pub fn is_breaking(&self) -> bool {
        self.client == Impact::Breaking || self.server == Impact::Breaking
    }

    /// The report order: by pointer, then kind, then message.
    pub(crate) fn sort_key(&self) -> (&str, &'static str, &str) {
        (&self.pointer, self.kind.name(), &self.message)
    }
}

/// The pair of impacts a rule assigns to a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub client: Impact,
    pub server: Impact,
}

/// Compatible for clients and for servers.
pub const COMPATIBLE: Verdict = Verdict {
    client: Impact::Compatible,
    server: Impact::Compatible,
};
/// Breaks clients, compatible for servers.
pub const BREAKS_CLIENTS: Verdict = Verdict {
    client: Impact::Breaking,
    server: Impact::Compatible,
};
/// Breaks servers, compatible for clients.
pub const BREAKS_SERVERS: Verdict = Verdict {
    client: Impact::Compatible,
    server: Impact::Breaking,
};
/// Breaks clients and servers.
pub const BREAKS_BOTH: Verdict = Verdict {
    client: Impact::Breaking,
    server: Impact::Breaking,
};

impl Verdict {
    /// Breaking where either verdict is breaking.
    pub fn or(self, other: Verdict) -> Verdict {
        Verdict {
            client: self.client.min(other.client),
            server: self.server.min(other.server),
        }
    }
}

/// Which way data flows through the schema being compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Direction {
    /// Written by the client, read by the server: parameters and request bodies.
    Request,
    /// Written by the server, read by the client: response bodies and headers.
    Response,
}

impl Direction {
    /// The verdict for a change that makes fewer values valid.
    ///
    /// The writer of the data (the client for a request) may now produce a value that
    /// the new reader rejects; the reader built from BASE is unaffected.
    pub fn narrowed(self) -> Verdict {
        match self {
            Direction::Request => BREAKS_CLIENTS,
            Direction::Response => BREAKS_SERVERS,
        }
    }

    /// The verdict for a change that makes more values valid.
    ///
    /// The reader built from BASE (the client for a response) may now receive a value
    /// it does not understand; writers built from BASE only produce values still valid.
    pub fn widened(self) -> Verdict {
        match self {
            Direction::Request => BREAKS_SERVERS,
            Direction::Response => BREAKS_CLIENTS,
        }
    }

    /// `request` or `response`, for messages.
    pub fn noun(self) -> &'static str {
        match self {
            Direction::Request => "request",
            Direction::Response => "response",
        }
    }
}

macro_rules! kinds {
    ($($(#[doc = $doc:literal])* $variant:ident => $name:literal,)*) => {
        /// The rule that produced a change; `name()` is the stable string in reports.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Kind {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Kind {
            /// Every kind, in declaration order.
            pub const ALL: &'static [Kind] = &[$(Kind::$variant,)*];

            /// The stable kebab-case name used in both report formats.
            pub fn name(self) -> &'static str {
                match self {
                    $(Kind::$variant => $name,)*
                }
            }
        }
    };
}

kinds! {
    /// An operation (method and path) appeared.
    OperationAdded => "operation-added",
    /// An operation (method and path) disappeared.
    OperationRemoved => "operation-removed",
    /// An operation that BASE had deprecated disappeared: the announced end of a
    /// deprecation, which still breaks clients that kept calling it.
    DeprecatedOperationRemoved => "deprecated-operation-removed",
    /// A path parameter was renamed in the path template (`{id}` to `{job_id}`); the
    /// operation is the same, and so are the URLs clients send.
    PathParameterRenamed => "path-parameter-renamed",
    /// An operation kept its method and path but changed its operationId.
    OperationIdChanged => "operation-id-changed",
    /// An operation, parameter, header or schema was deprecated or undeprecated.
    DeprecationChanged => "deprecation-changed",
    /// A parameter appeared.
    ParameterAdded => "parameter-added",
    /// A parameter disappeared.
    ParameterRemoved => "parameter-removed",
    /// A parameter kept its name but moved to another location.
    ParameterLocationChanged => "parameter-location-changed",
    /// An optional parameter became required.
    ParameterBecameRequired => "parameter-became-required",
    /// A required parameter became optional.
    ParameterBecameOptional => "parameter-became-optional",
    /// A parameter's serialization (style, explode, schema or content) changed.
    ParameterStyleChanged => "parameter-style-changed",
    /// An operation gained a request body.
    RequestBodyAdded => "request-body-added",
    /// An operation lost its request body.
    RequestBodyRemoved => "request-body-removed",
    /// An optional request body became required.
    RequestBodyBecameRequired => "request-body-became-required",
    /// A required request body became optional.
    RequestBodyBecameOptional => "request-body-became-optional",
    /// A request or response gained a media type.
    ContentTypeAdded => "content-type-added",
    /// A request or response lost a media type.
    ContentTypeRemoved => "content-type-removed",
    /// An operation gained a documented status code (or `default`).
    StatusCodeAdded => "status-code-added",
    /// An operation lost a documented status code (or `default`).
    StatusCodeRemoved => "status-code-removed",
    /// A response gained a header.
    ResponseHeaderAdded => "response-header-added",
    /// A response lost a header.
    ResponseHeaderRemoved => "response-header-removed",
    /// An optional response header became required.
    ResponseHeaderBecameRequired => "response-header-became-required",
    /// A required response header became optional.
    ResponseHeaderBecameOptional => "response-header-became-optional",
    /// A server URL appeared.
    ServerAdded => "server-added",
    /// A server URL disappeared.
    ServerRemoved => "server-removed",
    /// A server URL was replaced by another.
    ServerUrlChanged => "server-url-changed",
    /// A server variable changed its default value.
    ServerVariableDefaultChanged => "server-variable-default-changed",
    /// A server variable gained an allowed value.
    ServerVariableValueAdded => "server-variable-value-added",
    /// A server variable lost an allowed value.
    ServerVariableValueRemoved => "server-variable-value-removed",
    /// A security requirement alternative appeared.
    SecurityRequirementAdded => "security-requirement-added",
    /// A security requirement alternative disappeared.
    SecurityRequirementRemoved => "security-requirement-removed",
    /// A security scheme appeared in `components`.
    SecuritySchemeAdded => "security-scheme-added",
    /// A security scheme disappeared from `components`.
    SecuritySchemeRemoved => "security-scheme-removed",
    /// A security scheme changed its type, location, name or flows.
    SecuritySchemeChanged => "security-scheme-changed",
    /// A schema changed its type (or between a type and a composition).
    TypeChanged => "type-changed",
    /// A schema gained, lost or changed its `format`.
    FormatChanged => "format-changed",
    /// An enum gained a value.
    EnumValueAdded => "enum-value-added",
    /// An enum lost a value.
    EnumValueRemoved => "enum-value-removed",
    /// A schema gained an `enum` restriction.
    EnumAdded => "enum-added",
    /// A schema lost its `enum` restriction.
    EnumRemoved => "enum-removed",
    /// `minLength` changed.
    MinLengthChanged => "min-length-changed",
    /// `maxLength` changed.
    MaxLengthChanged => "max-length-changed",
    /// `minimum` changed.
    MinimumChanged => "minimum-changed",
    /// `maximum` changed.
    MaximumChanged => "maximum-changed",
    /// `exclusiveMinimum` changed.
    ExclusiveMinimumChanged => "exclusive-minimum-changed",
    /// `exclusiveMaximum` changed.
    ExclusiveMaximumChanged => "exclusive-maximum-changed",
    /// `multipleOf` changed.
    MultipleOfChanged => "multiple-of-changed",
    /// `minItems` changed.
    MinItemsChanged => "min-items-changed",
    /// `maxItems` changed.
    MaxItemsChanged => "max-items-changed",
    /// `uniqueItems` changed.
    UniqueItemsChanged => "unique-items-changed",
    /// `minProperties` changed.
    MinPropertiesChanged => "min-properties-changed",
    /// `maxProperties` changed.
    MaxPropertiesChanged => "max-properties-changed",
    /// `pattern` was added, removed or changed.
    PatternChanged => "pattern-changed",
    /// `nullable` changed.
    NullableChanged => "nullable-changed",
    /// `default` was added, removed or changed.
    DefaultChanged => "default-changed",
    /// `readOnly` or `writeOnly` changed.
    AccessChanged => "access-changed",
    /// An object gained a property.
    FieldAdded => "field-added",
    /// An object lost a property.
    FieldRemoved => "field-removed",
    /// A property (or a name in `required`) became required.
    FieldBecameRequired => "field-became-required",
    /// A property (or a name in `required`) became optional.
    FieldBecameOptional => "field-became-optional",
    /// `additionalProperties` changed between forbidden, any and a schema.
    AdditionalPropertiesChanged => "additional-properties-changed",
    /// A `oneOf`, `anyOf` or `allOf` gained an alternative.
    AlternativeAdded => "alternative-added",
    /// A `oneOf`, `anyOf` or `allOf` lost an alternative.
    AlternativeRemoved => "alternative-removed",
    /// A `discriminator` changed its property name or mapping keys.
    DiscriminatorChanged => "discriminator-changed",
    /// A `not` schema changed.
    NotChanged => "not-changed",
    /// A vendor extension (`x-…`) was added, removed or changed.
    ExtensionChanged => "extension-changed",
}

impl Serialize for Kind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}
