//! All naming: wire names to Rust identifiers, in one place.
//!
//! Case conversion uses `heck`. On top of it: Rust keywords become raw identifiers
//! (`r#type`) or get a suffix where raw identifiers are not allowed (`self`, `Self`,
//! `crate`, `super`), names that start with a digit or are empty get a prefix, and names
//! that collide after conversion within one scope get a numeric suffix in spec order, so
//! that the first keeps the plain name.
//!
//! A [`Scope`] is one namespace of the generated code (a module, a struct's fields, a
//! function's locals). Names the generated code always writes the same way are reserved
//! in it first, then the spec's names are claimed, then the names the generated code
//! picks for itself (locals, imports), so that the spec's names keep their plain form
//! and the generated code's own names give way.

use std::collections::BTreeSet;

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

/// Words that cannot be used as plain identifiers.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers either.
const NOT_RAW: &[&str] = &["self", "Self", "crate", "super", "_"];

/// Type names that would shadow what generated code refers to without a path.
const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Client",
    "ClientBuilder",
    "Error",
    "ResponseValue",
    "Service",
    "Value",
    "Map",
];

/// A `SCREAMING_SNAKE_CASE` identifier for a constant or static, from a Rust name.
pub fn shouty(rust_name: &str) -> String {
    snake(rust_name.trim_start_matches("r#")).to_uppercase()
}

/// A `snake_case` identifier for a field, parameter, method or module.
pub fn snake(wire: &str) -> String {
    let converted = wire.to_snake_case();
    fix_ident(converted, "field")
}

/// An `UpperCamelCase` identifier for a type or variant.
pub fn camel(wire: &str) -> String {
    let converted = wire.to_upper_camel_case();
    fix_ident(converted, "Type")
}

/// A type name that does not shadow names the generated code uses unqualified.
pub fn type_name(wire: &str) -> String {
    let name = camel(wire);
    if RESERVED_TYPES.contains(&name.as_str()) {
        format!("{name}Type")
    } else {
        name
    }
}

/// An enum variant for a string value: `gift-card` becomes `GiftCard`, `2fa-token`
/// becomes `V2faToken`, and a value with no letters or digits is spelled out.
pub fn variant(wire: &str) -> String {
    let converted = wire.to_upper_camel_case();
    if converted.is_empty() {
        let spelled: String = wire.chars().map(|c| format!("U{:04X}", c as u32)).collect();
        return if spelled.is_empty() {
            "Empty".to_string()
        } else {
            spelled
        };
    }
    fix_ident(converted, "V")
}

/// Whether a `snake` or `camel` result must be written as a raw identifier.
pub fn is_keyword(ident: &str) -> bool {
    KEYWORDS.contains(&ident)
}

fn fix_ident(mut name: String, empty: &str) -> String {
    if name.is_empty() {
        return empty.to_string();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        let prefix = if empty == "field" { "n_" } else { "V" };
        name.insert_str(0, prefix);
    }
    if NOT_RAW.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// Hands out names within one scope, suffixing later duplicates with `2`, `3`, ...
#[derive(Debug, Default)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    pub fn new() -> Self {
        Self::default()
    }

    /// A scope in which the given names are already used.
    pub fn with_reserved<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        Scope {
            taken: names.into_iter().map(str::to_string).collect(),
        }
    }

    /// Reserves names the generated code writes literally in this namespace. They must be
    /// reserved before anything is claimed: a name claimed earlier would be used twice.
    pub fn reserve<'a>(&mut self, names: impl IntoIterator<Item = &'a str>) {
        self.taken.extend(names.into_iter().map(str::to_string));
    }

    /// Claims `name`, or the first free `name2`, `name3`, ... if it is taken.
    pub fn claim(&mut self, name: String) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        let joiner = if name.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        (2..)
            .map(|n| format!("{name}{joiner}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unbounded range always yields a free name")
    }

    /// Claims `name`, or when it is taken `fallback` (a longer name that says what the
    /// thing is), suffixed like [`Scope::claim`] if that is taken too.
    pub fn claim_or(&mut self, name: String, fallback: impl FnOnce(&str) -> String) -> String {
        if self.contains(&name) {
            let fallback = fallback(&name);
            self.claim(fallback)
        } else {
            self.claim(name)
        }
    }

    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

/// The constant `http::StatusCode` has for a registered status, e.g. `BAD_REQUEST`.
pub fn status_constant(code: u16) -> Option<String> {
    let variant = status_variant(code);
    (!variant.starts_with("Status")).then(|| variant.to_shouty_snake_case())
}

/// The `UpperCamelCase` variant name of a status range (`4XX` is `ClientError`), after
/// the class RFC 9110 gives it.
pub fn status_range_variant(digit: u16) -> String {
    match digit {
        1 => "Informational",
        2 => "Success",
        3 => "Redirection",
        4 => "ClientError",
        5 => "ServerError",
        _ => return format!("Status{digit}XX"),
    }
    .to_string()
}

/// The `UpperCamelCase` variant name of a media type among the media types of one body:
/// `Json`, `Form`, `Multipart`, `Text` and `Binary` for the common ones, `Any` for
/// `*/*`, the subtype for other `application/` and `text/` types (`Xml`, `Csv`,
/// `MergePatchJson`), and type and subtype for the rest (`ImagePng`, `Image` for
/// `image/*`).
pub fn media_variant(media_type: &str) -> String {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let fixed = match essence.as_str() {
        "application/json" => Some("Json"),
        "application/x-www-form-urlencoded" => Some("Form"),
        "multipart/form-data" => Some("Multipart"),
        "text/plain" => Some("Text"),
        "application/octet-stream" => Some("Binary"),
        "*/*" | "*" => Some("Any"),
        _ => None,
    };
    if let Some(fixed) = fixed {
        return fixed.to_string();
    }
    let (kind, subtype) = essence.split_once('/').unwrap_or((&essence, ""));
    let words = match (kind, subtype) {
        (kind, "*") => kind.to_string(),
        ("application" | "text", subtype) => subtype.to_string(),
        (kind, subtype) => format!("{kind} {subtype}"),
    };
    variant(&words.replace(['.', '+'], " "))
}

/// The `UpperCamelCase` variant name of an HTTP status code, after its reason phrase.
pub fn status_variant(code: u16) -> String {
    let reason = match code {
        100 => "Continue",
        101 => "SwitchingProtocols",
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        301 => "MovedPermanently",
        302 => "Found",
        303 => "SeeOther",
        304 => "NotModified",
        307 => "TemporaryRedirect",
        308 => "PermanentRedirect",
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "LengthRequired",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        414 => "UriTooLong",
        415 => "UnsupportedMediaType",
        416 => "RangeNotSatisfiable",
        417 => "ExpectationFailed",
        422 => "UnprocessableEntity",
        423 => "Locked",
        425 => "TooEarly",
        428 => "PreconditionRequired",
        429 => "TooManyRequests",
        431 => "RequestHeaderFieldsTooLarge",
        451 => "UnavailableForLegalReasons",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        505 => "HttpVersionNotSupported",
        _ => return format!("Status{code}"),
    };
    reason.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_ids_in_any_style_become_snake_case() {
        assert_eq!(snake("findPets"), "find_pets");
        assert_eq!(snake("find pet by id"), "find_pet_by_id");
        assert_eq!(snake("get_item"), "get_item");
        assert_eq!(snake("DeleteItem"), "delete_item");
        assert_eq!(
            snake("RunIefJobActionCallBack"),
            "run_ief_job_action_call_back"
        );
    }

    #[test]
    fn keywords_and_digits_are_made_usable() {
        assert_eq!(snake("type"), "type");
        assert!(is_keyword(&snake("type")));
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("X-Workflow-Run-Id"), "x_workflow_run_id");
        assert_eq!(snake("2fa"), "n_2fa");
        assert_eq!(camel("self"), "Self_");
        assert_eq!(variant("2fa-token"), "V2faToken");
        assert_eq!(variant("gift-card"), "GiftCard");
        assert_eq!(variant("-"), "U002D");
        assert_eq!(type_name("Option"), "OptionType");
    }

    #[test]
    fn collisions_get_suffixes_in_claim_order() {
        let mut scope = Scope::new();
        assert_eq!(scope.claim(snake("fooBar")), "foo_bar");
        assert_eq!(scope.claim(snake("foo_bar")), "foo_bar2");
        assert_eq!(scope.claim(snake("FooBar")), "foo_bar3");
        let mut scope = Scope::new();
        assert_eq!(scope.claim("V2".to_string()), "V2");
        assert_eq!(scope.claim("V2".to_string()), "V2_2");
    }

    #[test]
    fn media_types_and_ranges_name_variants() {
        assert_eq!(media_variant("application/json; charset=utf-8"), "Json");
        assert_eq!(
            media_variant("application/merge-patch+json"),
            "MergePatchJson"
        );
        assert_eq!(media_variant("application/vnd.api+json"), "VndApiJson");
        assert_eq!(media_variant("text/csv"), "Csv");
        assert_eq!(media_variant("image/png"), "ImagePng");
        assert_eq!(media_variant("image/*"), "Image");
        assert_eq!(media_variant("*/*"), "Any");
        assert_eq!(status_range_variant(4), "ClientError");
    }

    #[test]
    fn reserved_names_are_never_handed_out() {
        let mut scope = Scope::new();
        scope.reserve(["request", "path"]);
        assert_eq!(scope.claim("request".to_string()), "request2");
        assert_eq!(scope.claim("limit".to_string()), "limit");
        let fallback = |name: &str| format!("{name}_variable");
        assert_eq!(
            scope.claim_or("path".to_string(), fallback),
            "path_variable"
        );
        assert_eq!(scope.claim_or("zone".to_string(), fallback), "zone");
        assert!(scope.contains("path"));
        assert_eq!(shouty("FlinkJob"), "FLINK_JOB");
        assert_eq!(shouty("r#type"), "TYPE");
    }
}
