//! `$ref` resolution, written once for every component kind and for raw JSON.
//!
//! Only references into the same document are followed (`#/...`). Chains of references
//! (a parameter `$ref` to a component that is itself a `$ref`) are followed to the end;
//! a chain that comes back on itself, or one that points at nothing, is a diagnostic at
//! the place of the first `$ref`.

use indexmap::IndexMap;
use openapiv3::{Components, ReferenceOr};
use serde_json::Value;

use crate::diag::Diagnostic;
use crate::load::Spec;
use crate::pointer::{percent_decode, unescape, Pointer};

/// The longest chain of references followed before giving up; real specs use two or
/// three hops, so this is only a guard.
const MAX_HOPS: usize = 64;

/// A kind of reusable object under `components`.
pub trait Component: Sized + 'static {
    /// The key under `components`, e.g. `schemas`.
    const SECTION: &'static str;
    /// What one of them is called in messages, e.g. `a schema`.
    const WHAT: &'static str;
    fn section(components: &Components) -> &IndexMap<String, ReferenceOr<Self>>;
}

macro_rules! component {
    ($ty:ty, $field:ident, $section:literal, $what:literal) => {
        impl Component for $ty {
            const SECTION: &'static str = $section;
            const WHAT: &'static str = $what;
            fn section(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
                &components.$field
            }
        }
    };
}

component!(openapiv3::Schema, schemas, "schemas", "a schema");
component!(
    openapiv3::Parameter,
    parameters,
    "parameters",
    "a parameter"
);
component!(
    openapiv3::RequestBody,
    request_bodies,
    "requestBodies",
    "a request body"
);
component!(openapiv3::Response, responses, "responses", "a response");
component!(openapiv3::Header, headers, "headers", "a header");
component!(openapiv3::Example, examples, "examples", "an example");
component!(
    openapiv3::SecurityScheme,
    security_schemes,
    "securitySchemes",
    "a security scheme"
);
component!(openapiv3::Link, links, "links", "a link");

/// Something that is either a `$ref` or an item: `ReferenceOr<T>` and the
/// `ReferenceOr<Box<T>>` that `openapiv3` uses for nested schemas.
pub trait RefOr<T> {
    fn split(&self) -> Result<&T, &str>;
}

impl<T> RefOr<T> for ReferenceOr<T> {
    fn split(&self) -> Result<&T, &str> {
        match self {
            ReferenceOr::Item(item) => Ok(item),
            ReferenceOr::Reference { reference } => Err(reference),
        }
    }
}

impl<T> RefOr<T> for ReferenceOr<Box<T>> {
    fn split(&self) -> Result<&T, &str> {
        match self {
            ReferenceOr::Item(item) => Ok(item),
            ReferenceOr::Reference { reference } => Err(reference),
        }
    }
}

/// What a reference resolved to.
#[derive(Debug)]
pub struct Resolved<'a, T> {
    pub item: &'a T,
    /// Where the item is written: the use site for an inline item, else the component.
    pub pointer: String,
    /// The component's name when the item was reached through a `$ref`.
    pub name: Option<&'a str>,
}

/// The component name of `#/components/{section}/{name}`, unescaped.
pub fn component_name(reference: &str, section: &str) -> Option<String> {
    let rest = reference.strip_prefix("#/components/")?;
    let name = rest.strip_prefix(section)?.strip_prefix('/')?;
    (!name.is_empty() && !name.contains('/')).then(|| unescape(name))
}

impl Spec {
    /// Resolves `item` (written at `at`) to the component it names, following chains.
    pub fn resolve<'a, T: Component>(
        &'a self,
        item: &'a impl RefOr<T>,
        at: &str,
    ) -> Result<Resolved<'a, T>, Diagnostic> {
        let mut reference = match item.split() {
            Ok(item) => {
                return Ok(Resolved {
                    item,
                    pointer: at.to_string(),
                    name: None,
                })
            }
            Err(reference) => reference,
        };
        let section = self.document.components.as_ref().map(T::section);
        let mut seen: Vec<&str> = Vec::new();
        loop {
            if seen.contains(&reference) || seen.len() >= MAX_HOPS {
                return Err(self.error(
                    at,
                    "reference",
                    format!(
                        "`$ref: {}` is part of a cycle of references that never reaches {}",
                        seen[0],
                        T::WHAT
                    ),
                ));
            }
            seen.push(reference);
            // The name as written, then percent-decoded (`Foo%20Bar`), as `target` reads it.
            let lookup = |reference: &str| {
                let name = component_name(reference, T::SECTION)?;
                section?.get_key_value(&name)
            };
            let found = lookup(reference)
                .or_else(|| percent_decode(reference).and_then(|decoded| lookup(&decoded)));
            let Some((name, value)) = found else {
                return Err(self.error(at, "reference", unresolved::<T>(reference)));
            };
            match value {
                ReferenceOr::Item(item) => {
                    return Ok(Resolved {
                        item,
                        pointer: Pointer::from_tokens(["components", T::SECTION, name]).into(),
                        name: Some(name),
                    })
                }
                ReferenceOr::Reference { reference: next } => reference = next,
            }
        }
    }

    /// Follows `$ref`s from a raw value (written at `at`) to a value that is not one.
    /// Any local pointer is allowed, not only components.
    pub fn resolve_value<'a>(
        &'a self,
        value: &'a Value,
        at: &str,
    ) -> Result<(&'a Value, Pointer), Diagnostic> {
        resolve_raw(&self.raw, value, at).map_err(|message| self.error(at, "reference", message))
    }
}

/// [`Spec::resolve_value`] on a bare document, for readers that hold only the JSON
/// (a spec that `openapiv3` does not read). The error is the message alone.
pub fn resolve_raw<'a>(
    document: &'a Value,
    value: &'a Value,
    at: &str,
) -> Result<(&'a Value, Pointer), String> {
    let mut current = value;
    let mut pointer = Pointer::parse(at);
    let mut seen: Vec<&str> = Vec::new();
    while let Some(reference) = current.get("$ref").and_then(Value::as_str) {
        if seen.contains(&reference) || seen.len() >= MAX_HOPS {
            return Err(format!(
                "`$ref: {}` is part of a cycle of references",
                seen[0]
            ));
        }
        seen.push(reference);
        (current, pointer) = target(document, reference)?;
    }
    Ok((current, pointer))
}

/// The value that one local `$ref` names in `document`, and its pointer: one hop, not
/// followed further. The error is the message alone.
pub fn target<'a>(document: &'a Value, reference: &str) -> Result<(&'a Value, Pointer), String> {
    let Some(local) = reference.strip_prefix('#') else {
        return Err(format!(
            "`$ref: {reference}` points outside this document; only `#/...` references are supported"
        ));
    };
    let pointer = Pointer::parse(local);
    if let Some(value) = pointer.get(document) {
        return Ok((value, pointer));
    }
    // A fragment is percent-encoded (`#/paths/~1a~1%7Bid%7D`); the text as written is
    // tried first, for a key that holds a literal `%`.
    let decoded = percent_decode(local).map(|text| Pointer::parse(&text));
    match decoded.as_ref().and_then(|pointer| pointer.get(document)) {
        Some(value) => Ok((value, decoded.unwrap_or_default())),
        None => Err(format!("`$ref: {reference}` points at nothing")),
    }
}

/// Follows `$ref`s from `value` like [`resolve_raw`], but a reference that does not
/// resolve (or a cycle) leaves the value as it is: for readers that show what is there
/// and leave reporting broken references to others (the generator, the lint).
pub fn follow<'a>(document: &'a Value, value: &'a Value) -> &'a Value {
    resolve_raw(document, value, "").map_or(value, |(found, _)| found)
}

fn unresolved<T: Component>(reference: &str) -> String {
    if !reference.starts_with('#') {
        format!(
            "`$ref: {reference}` points outside this document; only `#/components/{}/...` references are supported",
            T::SECTION
        )
    } else if reference.starts_with(&format!("#/components/{}/", T::SECTION)) {
        format!(
            "`$ref: {reference}` does not point at {} in #/components/{}/",
            T::WHAT,
            T::SECTION
        )
    } else {
        // One that names such an item elsewhere in the document was read as that item
        // (see `crate::inline`).
        format!(
            "`$ref: {reference}` does not point at {} of this document",
            T::WHAT
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(text: &str) -> Spec {
        Spec::load("spec.yaml", text).expect("the test spec loads")
    }

    const CHAINED: &str = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  parameters:
    Id: {$ref: "#/components/parameters/RealId"}
    RealId: {name: id, in: path, required: true, schema: {type: string}}
    Loop: {$ref: "#/components/parameters/Loop2"}
    Loop2: {$ref: "#/components/parameters/Loop"}
"##;

    #[test]
    fn chained_references_are_followed_to_the_end() {
        let spec = spec(CHAINED);
        let item: ReferenceOr<openapiv3::Parameter> =
            ReferenceOr::ref_("#/components/parameters/Id");
        let resolved = spec.resolve(&item, "/paths/x").expect("the chain ends");
        assert_eq!(resolved.name, Some("RealId"));
        assert_eq!(resolved.pointer, "/components/parameters/RealId");
        assert_eq!(resolved.item.parameter_data_ref().name, "id");
    }

    #[test]
    fn cycles_and_dangling_references_are_diagnostics_at_the_use() {
        let spec = spec(CHAINED);
        let looped: ReferenceOr<openapiv3::Parameter> =
            ReferenceOr::ref_("#/components/parameters/Loop");
        let err = spec.resolve(&looped, "/paths/x").unwrap_err();
        assert_eq!(err.pointer, "/paths/x");
        assert!(err.message.contains("cycle"), "{err}");
        let dangling: ReferenceOr<openapiv3::Parameter> =
            ReferenceOr::ref_("#/components/parameters/Nope");
        let err = spec.resolve(&dangling, "/paths/y").unwrap_err();
        assert!(
            err.message.contains("does not point at a parameter"),
            "{err}"
        );
        let encoded: ReferenceOr<openapiv3::Parameter> =
            ReferenceOr::ref_("#/components/parameters/Real%49d");
        let resolved = spec.resolve(&encoded, "/paths/w").expect("decoded");
        assert_eq!(resolved.name, Some("RealId"));
        let wrong_kind: ReferenceOr<openapiv3::Parameter> =
            ReferenceOr::ref_("#/components/schemas/RealId");
        assert!(spec.resolve(&wrong_kind, "/paths/z").is_err());
    }

    #[test]
    fn raw_values_follow_any_local_pointer() {
        let spec = spec(CHAINED);
        let value = serde_json::json!({"$ref": "#/components/parameters/Id"});
        let (found, pointer) = spec.resolve_value(&value, "/x").expect("resolves");
        assert_eq!(found["name"], "id");
        assert_eq!(pointer.as_str(), "/components/parameters/RealId");
        let looped = serde_json::json!({"$ref": "#/components/parameters/Loop"});
        assert!(spec.resolve_value(&looped, "/x").is_err());
    }

    #[test]
    fn one_hop_and_following_on_a_bare_document() {
        let spec = spec(CHAINED);
        let (found, pointer) =
            target(&spec.raw, "#/components/parameters/Id").expect("one hop resolves");
        assert_eq!(found["$ref"], "#/components/parameters/RealId");
        assert_eq!(pointer.as_str(), "/components/parameters/Id");
        let err = target(&spec.raw, "#/components/parameters/Nope").unwrap_err();
        assert!(err.contains("points at nothing"), "{err}");
        // Percent-encoded, as a fragment is.
        let (found, pointer) =
            target(&spec.raw, "#/components/%70arameters/Real%49d").expect("decoded");
        assert_eq!(found["name"], "id");
        assert_eq!(pointer.as_str(), "/components/parameters/RealId");
        let err = target(&spec.raw, "other.yaml#/a").unwrap_err();
        assert!(err.contains("points outside this document"), "{err}");

        let chained = serde_json::json!({"$ref": "#/components/parameters/Id"});
        assert_eq!(follow(&spec.raw, &chained)["name"], "id");
        for broken in [
            serde_json::json!({"$ref": "#/components/parameters/Nope"}),
            serde_json::json!({"$ref": "#/components/parameters/Loop"}),
        ] {
            assert_eq!(follow(&spec.raw, &broken), &broken);
        }
    }

    #[test]
    fn component_names_are_unescaped() {
        assert_eq!(
            component_name("#/components/schemas/a~1b", "schemas").as_deref(),
            Some("a/b")
        );
        assert_eq!(component_name("#/components/schemas/a/b", "schemas"), None);
        assert_eq!(component_name("#/components/parameters/a", "schemas"), None);
    }
}
