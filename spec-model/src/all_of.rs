//! The one-member `allOf` rule, written once.
//!
//! OpenAPI 3.0 cannot put `description`, `nullable` or `default` beside a `$ref`, so specs
//! write `allOf: [{$ref: ...}]` with those keywords next to it. Such a wrapper means the
//! member itself, with the wrapper's annotations on top. A one-member `allOf` that also
//! constrains the shape (`type`, `properties`, `required`, ...) or says how values are
//! read (`discriminator`) is a real composition and is not a wrapper. The typed and the
//! raw form of the rule agree: beside the member there may be only [`ANNOTATIONS`] and
//! `x-` extensions.
//!
//! [`peel_value`] follows `$ref`s and wrappers together, from a use site to the schema
//! it means, for readers that walk raw JSON.

use openapiv3::{ReferenceOr, Schema, SchemaKind};
use serde_json::Value;

use crate::pointer::Pointer;
use crate::resolve::{self, resolve_raw};

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
    "xml",
];

/// The member of an `allOf` wrapper, for a typed schema: one member, or one member
/// beside members that only annotate (`allOf: [{$ref: X}, {description: ...}]`, the
/// form many generated specs use to describe a reference).
///
/// `openapiv3` reads a schema as `AllOf` only when nothing but `allOf` and the shared
/// schema data (the annotations, `discriminator` and extensions) is written, so the one
/// keyword left to refuse here is `discriminator`.
pub fn wrapped(schema: &Schema) -> Option<&ReferenceOr<Schema>> {
    if schema.schema_data.discriminator.is_some() {
        return None;
    }
    let SchemaKind::AllOf { all_of } = &schema.schema_kind else {
        return None;
    };
    let mut real = all_of.iter().filter(|m| !annotates_only(m));
    match (real.next(), real.next()) {
        (Some(member), None) => Some(member),
        _ => None,
    }
}

/// The members of an `allOf` wrapper that only annotate, whose descriptions and other
/// annotations apply to the wrapped member.
pub fn annotation_members(schema: &Schema) -> impl Iterator<Item = &Schema> {
    let members = match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => all_of.as_slice(),
        _ => &[],
    };
    members.iter().filter_map(|m| match m {
        ReferenceOr::Item(item) if annotates_only(m) => Some(item),
        _ => None,
    })
}

/// Whether a typed `allOf` member says nothing about values: no type, no keyword of any
/// type, only annotations.
fn annotates_only(member: &ReferenceOr<Schema>) -> bool {
    match member {
        ReferenceOr::Reference { .. } => false,
        ReferenceOr::Item(item) => {
            item.schema_data.discriminator.is_none()
                && matches!(&item.schema_kind, SchemaKind::Any(any) if *any == openapiv3::AnySchema::default())
        }
    }
}

/// The member of an `allOf` wrapper, for a raw schema: `allOf` with one member beside
/// members that only annotate, and nothing else beside it but annotations and `x-`
/// extensions.
pub fn wrapped_value(schema: &Value) -> Option<&Value> {
    let object = schema.as_object()?;
    let members = object.get("allOf")?.as_array()?;
    let only_annotations = object.keys().all(|k| k == "allOf" || is_annotation_key(k));
    if !only_annotations {
        return None;
    }
    let mut real = members.iter().filter(|m| !annotates_only_value(m));
    match (real.next(), real.next()) {
        (Some(member), None) => Some(member),
        _ => None,
    }
}

fn is_annotation_key(key: &str) -> bool {
    key.starts_with("x-") || ANNOTATIONS.contains(&key)
}

fn annotates_only_value(member: &Value) -> bool {
    member
        .as_object()
        .is_some_and(|m| m.keys().all(|k| is_annotation_key(k)))
}

/// One step on the way from a use site to the schema it means.
#[derive(Debug, Clone, PartialEq)]
pub enum Step<'a> {
    /// A `$ref`, or a chain of them, was followed to the value at `target`.
    Reference { target: Pointer },
    /// The one-member `allOf` wrapper at `pointer` was read as its member.
    Wrapper {
        pointer: Pointer,
        wrapper: &'a Value,
    },
}

/// A schema reached by [`peel_value`].
#[derive(Debug, Clone, PartialEq)]
pub struct Peeled<'a> {
    /// The schema itself: neither a `$ref` nor a one-member `allOf` wrapper.
    pub schema: &'a Value,
    /// Where `schema` is written.
    pub pointer: Pointer,
    /// The `$ref`s and wrappers passed through, in order.
    pub steps: Vec<Step<'a>>,
}

/// Follows `$ref`s (any local pointer, as [`resolve_raw`]) and one-member `allOf`
/// wrappers from `value`, written at `at` in `document`, to the schema they mean.
///
/// A schema whose properties refer back to it is fine: only the schema itself is
/// reached here, not what is inside it. A walk that comes back to a place it has
/// already been (`A: {allOf: [$ref: A]}`) never reaches a schema and is an error, as
/// is a `$ref` that points at nothing. The error is the message alone.
pub fn peel_value<'a>(
    document: &'a Value,
    value: &'a Value,
    at: &str,
) -> Result<Peeled<'a>, String> {
    let mut schema = value;
    let mut pointer = Pointer::parse(at);
    let mut steps = Vec::new();
    let mut seen = vec![pointer.clone()];
    loop {
        let (next, next_pointer) = if schema.get("$ref").and_then(Value::as_str).is_some() {
            let (target, target_pointer) = resolve_raw(document, schema, pointer.as_str())?;
            steps.push(Step::Reference {
                target: target_pointer.clone(),
            });
            (target, target_pointer)
        } else if let Some(member) = wrapped_value(schema) {
            steps.push(Step::Wrapper {
                pointer: pointer.clone(),
                wrapper: schema,
            });
            let index = schema["allOf"]
                .as_array()
                .and_then(|all| all.iter().position(|m| std::ptr::eq(m, member)))
                .unwrap_or_default();
            (member, pointer.join("allOf").join(&index.to_string()))
        } else {
            return Ok(Peeled {
                schema,
                pointer,
                steps,
            });
        };
        if seen.contains(&next_pointer) {
            return Err(format!(
                "the `$ref`s and one-member `allOf` wrappers from `#{}` come back to `#{next_pointer}` without reaching a schema",
                seen[0]
            ));
        }
        seen.push(next_pointer.clone());
        (schema, pointer) = (next, next_pointer);
    }
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
    fn members_that_only_annotate_do_not_count() {
        let wrapper = json!({"allOf": [{"$ref": "#/components/schemas/A"}, {"description": "d"}]});
        assert_eq!(
            wrapped_value(&wrapper),
            Some(&json!({"$ref": "#/components/schemas/A"}))
        );
        let typed: Schema = serde_json::from_value(wrapper).expect("a schema");
        assert!(wrapped(&typed).is_some());
        let descriptions: Vec<_> = annotation_members(&typed)
            .filter_map(|m| m.schema_data.description.as_deref())
            .collect();
        assert_eq!(descriptions, ["d"]);
        let two_real = json!({"allOf": [{"$ref": "#/components/schemas/A"}, {"type": "object"}]});
        assert_eq!(wrapped_value(&two_real), None);
        let typed: Schema = serde_json::from_value(two_real).expect("a schema");
        assert!(wrapped(&typed).is_none());
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

    #[test]
    fn a_discriminator_beside_the_member_is_not_a_wrapper_in_either_form() {
        let schema = json!({
            "allOf": [{"$ref": "#/components/schemas/A"}],
            "discriminator": {"propertyName": "kind"}
        });
        assert_eq!(wrapped_value(&schema), None);
        let typed: Schema = serde_json::from_value(schema).expect("a schema");
        assert!(wrapped(&typed).is_none());
    }

    #[test]
    fn peeling_follows_references_and_wrappers_to_the_schema() {
        let doc = json!({"components": {"schemas": {
            "A": {"$ref": "#/components/schemas/B"},
            "B": {"nullable": true, "allOf": [{"$ref": "#/components/schemas/C"}]},
            "C": {"type": "object", "properties": {"again": {"$ref": "#/components/schemas/A"}}}
        }}});
        let use_site = json!({"$ref": "#/components/schemas/A"});
        let peeled = peel_value(&doc, &use_site, "/paths/x/schema").expect("reaches C");
        assert_eq!(peeled.pointer.as_str(), "/components/schemas/C");
        assert_eq!(peeled.schema["type"], "object");
        assert_eq!(
            peeled.steps,
            [
                Step::Reference {
                    target: Pointer::parse("/components/schemas/B")
                },
                Step::Wrapper {
                    pointer: Pointer::parse("/components/schemas/B"),
                    wrapper: &doc["components"]["schemas"]["B"]
                },
                Step::Reference {
                    target: Pointer::parse("/components/schemas/C")
                },
            ]
        );
        let plain = json!({"type": "string"});
        let peeled = peel_value(&doc, &plain, "/x").expect("nothing to follow");
        assert!(peeled.steps.is_empty());
        assert_eq!(peeled.pointer.as_str(), "/x");
    }

    #[test]
    fn peeling_reports_walks_that_never_reach_a_schema() {
        let doc = json!({"components": {"schemas": {
            "Self": {"allOf": [{"$ref": "#/components/schemas/Self"}]},
            "Loop": {"$ref": "#/components/schemas/Loop"}
        }}});
        let wrapper_cycle = json!({"$ref": "#/components/schemas/Self"});
        let err = peel_value(&doc, &wrapper_cycle, "/x").unwrap_err();
        assert!(
            err.contains("come back to `#/components/schemas/Self`"),
            "{err}"
        );
        let ref_cycle = json!({"$ref": "#/components/schemas/Loop"});
        let err = peel_value(&doc, &ref_cycle, "/x").unwrap_err();
        assert!(err.contains("cycle"), "{err}");
        let dangling = json!({"$ref": "#/components/schemas/Nope"});
        let err = peel_value(&doc, &dangling, "/x").unwrap_err();
        assert!(err.contains("points at nothing"), "{err}");
    }
}
