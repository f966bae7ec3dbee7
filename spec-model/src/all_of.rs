//! The one-member `allOf` rule, written once.
//!
//! OpenAPI 3.0 cannot put `description`, `nullable` or `default` beside a `$ref`, so specs
//! write `allOf: [{$ref: ...}]` with those keywords next to it. Such a wrapper means the
//! member itself, with the wrapper's annotations on top. A one-member `allOf` that also
//! constrains the shape (`type`, `properties`, `required`, ...) is a real composition and
//! is not a wrapper.

use openapiv3::{ReferenceOr, Schema, SchemaKind};
use serde_json::Value;

use crate::resolve;

/// Keywords that annotate a schema without changing which values it accepts (besides
/// `nullable`, which widens it to `null`).
pub const ANNOTATIONS: &[&str] = &[
    "description",
    "title",
    "nullable",
    "default",
    "example",
    "examples",
    "readOnly",
    "writeOnly",
    "deprecated",
    "externalDocs",
];

/// The member of a one-member `allOf` wrapper, for a typed schema.
pub fn wrapped(schema: &Schema) -> Option<&ReferenceOr<Schema>> {
    match &schema.schema_kind {
        SchemaKind::AllOf { all_of } if all_of.len() == 1 => all_of.first(),
        _ => None,
    }
}

/// The member of a one-member `allOf` wrapper, for a raw schema: `allOf` with one member
/// and nothing else beside it but annotations and `x-` extensions.
pub fn wrapped_value(schema: &Value) -> Option<&Value> {
    let object = schema.as_object()?;
    let [member] = object.get("allOf")?.as_array()?.as_slice() else {
        return None;
    };
    let only_annotations = object
        .keys()
        .all(|k| k == "allOf" || k.starts_with("x-") || ANNOTATIONS.contains(&k.as_str()));
    only_annotations.then_some(member)
}

/// What a raw schema stands for, nearest first: the schema itself, then the schema its
/// `$ref` points at or the member its one-member `allOf` wrapper wraps, and so on. It
/// ends at a schema that is neither, at a `$ref` that does not resolve, and before a
/// schema it has already yielded (a cycle).
///
/// A keyword that applies where a schema is used is the first one found along the chain
/// (`chain(..).find_map(|s| s.get("maxLength"))`); the shape is that of the last schema
/// ([`unwrap_value`]).
pub fn chain<'a>(document: &'a Value, schema: &'a Value) -> Chain<'a> {
    Chain {
        document,
        next: Some(schema),
        seen: Vec::new(),
    }
}

/// The iterator of [`chain`].
pub struct Chain<'a> {
    document: &'a Value,
    next: Option<&'a Value>,
    seen: Vec<*const Value>,
}

impl<'a> Iterator for Chain<'a> {
    type Item = &'a Value;

    fn next(&mut self) -> Option<&'a Value> {
        let current = self.next.take()?;
        let address: *const Value = current;
        if self.seen.contains(&address) {
            return None;
        }
        self.seen.push(address);
        self.next = match current.get("$ref").and_then(Value::as_str) {
            Some(reference) => resolve::target(self.document, reference)
                .ok()
                .map(|(target, _)| target),
            None => wrapped_value(current),
        };
        Some(current)
    }
}

/// The schema at the end of [`chain`]: what a schema is once `$ref`s and one-member
/// `allOf` wrappers are looked through.
pub fn unwrap_value<'a>(document: &'a Value, schema: &'a Value) -> &'a Value {
    chain(document, schema).last().unwrap_or(schema)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_chain_looks_through_references_and_wrappers() {
        let document = json!({"components": {"schemas": {
            "Name": {"type": "string", "maxLength": 8, "description": "the name"},
            "Alias": {"$ref": "#/components/schemas/Name"},
            "Loop": {"allOf": [{"$ref": "#/components/schemas/Loop"}]},
        }}});
        let use_site = json!({
            "allOf": [{"$ref": "#/components/schemas/Alias"}],
            "description": "where it is used",
        });
        let links: Vec<&Value> = chain(&document, &use_site).collect();
        assert_eq!(links.len(), 4, "{links:?}");
        assert_eq!(
            links.iter().find_map(|s| s.get("description")),
            Some(&json!("where it is used"))
        );
        assert_eq!(
            links.iter().find_map(|s| s.get("maxLength")),
            Some(&json!(8))
        );
        assert_eq!(unwrap_value(&document, &use_site)["type"], "string");

        let composition =
            json!({"allOf": [{"$ref": "#/components/schemas/Name"}], "required": ["a"]});
        assert_eq!(unwrap_value(&document, &composition), &composition);
        let dangling = json!({"$ref": "#/components/schemas/Nope"});
        assert_eq!(unwrap_value(&document, &dangling), &dangling);
        let looped = &document["components"]["schemas"]["Loop"];
        assert_eq!(chain(&document, looped).count(), 2);
    }

    #[test]
    fn a_wrapper_is_one_member_and_annotations() {
        let wrapper = json!({"allOf": [{"$ref": "#/components/schemas/A"}], "nullable": true, "description": "d"});
        assert_eq!(
            wrapped_value(&wrapper),
            Some(&json!({"$ref": "#/components/schemas/A"}))
        );
        let typed: Schema = serde_json::from_value(wrapper).expect("a schema");
        assert!(wrapped(&typed).is_some());
    }

    #[test]
    fn a_composition_is_not_a_wrapper() {
        assert_eq!(
            wrapped_value(&json!({"allOf": [{"type": "object"}], "required": ["a"]})),
            None
        );
        assert_eq!(
            wrapped_value(&json!({"allOf": [{"type": "object"}, {"type": "object"}]})),
            None
        );
        assert_eq!(wrapped_value(&json!({"type": "string"})), None);
    }
}
