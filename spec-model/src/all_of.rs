//! The one-member `allOf` rule, written once.
//!
//! OpenAPI 3.0 cannot put `description`, `nullable` or `default` beside a `$ref`, so specs
//! write `allOf: [{$ref: ...}]` with those keywords next to it. Such a wrapper means the
//! member itself, with the wrapper's annotations on top. A one-member `allOf` that also
//! constrains the shape (`type`, `properties`, `required`, ...) is a real composition and
//! is not a wrapper.

use openapiv3::{ReferenceOr, Schema, SchemaKind};
use serde_json::Value;

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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
