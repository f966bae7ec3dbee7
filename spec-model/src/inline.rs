//! References of parameters, request bodies, responses, headers, examples and path items
//! to other places of the document than their components, read as what is written there.
//!
//! OpenAPI lets a `$ref` of a response name any response of the document, and real
//! specs use that: `#/paths/~1pets/get/responses/401` for the same 401 on every
//! operation, `#/paths/~1a/get/parameters/0` for a parameter shared between paths. The
//! meaning is clear, so [`inline`] copies what such a reference names (following chains
//! of references) to where the reference is written, in the raw JSON, and returns one
//! message per copy at the pointer of the reference; the reader then sees an inline
//! item. References into `#/components/` are left to [`crate::resolve`], and so are
//! references that name nothing or something of another kind: their diagnostic stays
//! the resolver's. Schema references are the generator's to read (it names the types).

use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use crate::pointer::Pointer;
use crate::repair::{each_child, reach, reach_mut, Kind, Step};
use crate::resolve::resolve_raw;

/// Rounds of copying: a copied response may hold a header that refers elsewhere, read
/// in the next round. Real specs need one or two; this is only a guard.
const MAX_ROUNDS: usize = 8;

/// One reference to copy: where it is written and what it names.
struct Found {
    steps: Vec<Step>,
    pointer: String,
    reference: String,
    kind: Kind,
}

/// Copies what each reference to a place outside its components names to where the
/// reference is written; one `(pointer, message)` per copy.
pub fn inline(document: &mut Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for _ in 0..MAX_ROUNDS {
        let mut found = Vec::new();
        collect(document, "", Kind::Document, &mut Vec::new(), &mut found);
        let mut copied = false;
        for Found {
            steps,
            pointer,
            reference,
            kind,
        } in found
        {
            let Some((section, what)) = section(kind) else {
                continue;
            };
            let written = json!({ "$ref": reference });
            let Ok((value, at)) = resolve_raw(document, &written, &pointer) else {
                continue;
            };
            if !placed_as(kind, &at) || !reads_as(kind, value) {
                continue;
            }
            let mut value = value.clone();
            // A copied path item's operations are other operations than the originals:
            // their `operationId`s stay with the originals.
            let ids = match kind {
                Kind::PathItem => take_operation_ids(&mut value),
                _ => Vec::new(),
            };
            if let Some(slot) = reach_mut(document, &steps) {
                *slot = value;
                copied = true;
                let message = if kind == Kind::PathItem && !ids.is_empty() {
                    format!("this path item is given by `$ref: {reference}`; it is read as {what} written there, its operations named after this path (their `operationId`s, {}, name the originals)", ids.join(", "))
                } else if kind == Kind::PathItem {
                    format!("this path item is given by `$ref: {reference}`; it is read as {what} written there")
                } else {
                    format!("`$ref: {reference}` points outside #/components/{section}/; it is read as {what} written there")
                };
                out.push((pointer, message));
            }
        }
        if !copied {
            break;
        }
    }
    out
}

/// Removes the `operationId` of each operation of a path item; returns them, quoted.
fn take_operation_ids(path_item: &mut Value) -> Vec<String> {
    let Some(object) = path_item.as_object_mut() else {
        return Vec::new();
    };
    object
        .values_mut()
        .filter_map(|operation| operation.as_object_mut()?.remove("operationId"))
        .filter_map(|id| id.as_str().map(|id| format!("`{id}`")))
        .collect()
}

/// The components section and the noun of a kind whose references are copied. Path
/// items have no section in OpenAPI 3.0: any reference of one names another place.
fn section(kind: Kind) -> Option<(&'static str, &'static str)> {
    match kind {
        Kind::Parameter => Some(("parameters", "the parameter")),
        Kind::RequestBody => Some(("requestBodies", "the request body")),
        Kind::Response => Some(("responses", "the response")),
        Kind::Header => Some(("headers", "the header")),
        Kind::Example => Some(("examples", "the example")),
        Kind::PathItem => Some(("pathItems", "the path item")),
        _ => None,
    }
}

/// Whether `at` is a place where OpenAPI writes an item of `kind`: a response is an entry
/// of a `responses` map, and so on. A schema with a `description` also reads as a
/// response; written under `schemas`, it is not one.
fn placed_as(kind: Kind, at: &Pointer) -> bool {
    let tokens: Vec<String> = at.tokens().collect();
    let parent = tokens.len().checked_sub(2).map(|i| tokens[i].as_str());
    let last = tokens.last().map(String::as_str);
    match kind {
        Kind::Parameter => parent == Some("parameters"),
        Kind::RequestBody => last == Some("requestBody") || parent == Some("requestBodies"),
        Kind::Response => parent == Some("responses"),
        Kind::Header => parent == Some("headers"),
        Kind::Example => parent == Some("examples"),
        Kind::PathItem => parent == Some("paths") && tokens.len() == 2,
        _ => false,
    }
}

/// Whether `value` reads as the item of `kind` (not a reference).
fn reads_as(kind: Kind, value: &Value) -> bool {
    fn ok<T: DeserializeOwned>(value: &Value) -> bool {
        T::deserialize(value).is_ok()
    }
    match kind {
        Kind::Parameter => ok::<openapiv3::Parameter>(value),
        Kind::RequestBody => ok::<openapiv3::RequestBody>(value),
        Kind::Response => ok::<openapiv3::Response>(value),
        Kind::Header => ok::<openapiv3::Header>(value),
        Kind::Example => ok::<openapiv3::Example>(value),
        Kind::PathItem => ok::<openapiv3::PathItem>(value),
        _ => false,
    }
}

/// The references of parameters, request bodies, responses, headers, examples and path
/// items under `node` that name a place of the document outside their components section.
fn collect(node: &Value, pointer: &str, kind: Kind, steps: &mut Vec<Step>, out: &mut Vec<Found>) {
    if let Some(reference) = node.get("$ref").and_then(Value::as_str) {
        if let Some((section, _)) = section(kind) {
            let local = reference.starts_with("#/");
            let component = reference.starts_with(&format!("#/components/{section}/"));
            if local && !component {
                out.push(Found {
                    steps: steps.clone(),
                    pointer: pointer.to_string(),
                    reference: reference.to_string(),
                    kind,
                });
            }
        }
        return;
    }
    // Schemas hold no parameters, bodies, responses or headers.
    if kind == Kind::Schema {
        return;
    }
    for (at, child_kind, child_steps) in each_child(kind, node, pointer) {
        let Some(child) = reach(node, &child_steps) else {
            continue;
        };
        let depth = steps.len();
        steps.extend(child_steps);
        collect(child, &at, child_kind, steps, out);
        steps.truncate(depth);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_elsewhere_are_copied_and_components_are_left_alone() {
        let mut doc = json!({
            "components": {"schemas": {"Described": {"type": "object", "description": "A schema."}}},
            "paths": {
                "/a": {"get": {
                    "parameters": [{"name": "id", "in": "query", "schema": {"type": "string"}}],
                    "responses": {"401": {"description": "Denied.", "headers": {
                        "X-Limit": {"schema": {"type": "integer"}}
                    }}}
                }},
                "/b": {"get": {
                    "parameters": [
                        {"$ref": "#/paths/~1a/get/parameters/0"},
                        {"$ref": "#/components/parameters/Kept"}
                    ],
                    "responses": {
                        "401": {"$ref": "#/paths/~1a/get/responses/401"},
                        "200": {"description": "Ok.", "headers": {
                            "X-Limit": {"$ref": "#/paths/~1a/get/responses/401/headers/X-Limit"}
                        }},
                        "500": {"$ref": "#/paths/~1a/get/parameters/0"},
                        "501": {"$ref": "#/components/schemas/Described"},
                        "502": {"$ref": "#/paths/~1nowhere"}
                    }
                }}
            }
        });
        let messages = inline(&mut doc);
        let at: Vec<&str> = messages.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            at,
            [
                "/paths/~1b/get/parameters/0",
                "/paths/~1b/get/responses/401",
                "/paths/~1b/get/responses/200/headers/X-Limit",
            ]
        );
        assert!(
            messages[1].1.contains("outside #/components/responses/"),
            "{}",
            messages[1].1
        );
        let b = &doc["paths"]["/b"]["get"];
        assert_eq!(b["parameters"][0]["name"], "id");
        assert_eq!(b["parameters"][1]["$ref"], "#/components/parameters/Kept");
        assert_eq!(b["responses"]["401"]["description"], "Denied.");
        assert_eq!(
            b["responses"]["200"]["headers"]["X-Limit"]["schema"]["type"],
            "integer"
        );
        // A parameter is not a response, and nothing is nothing: left to the resolver.
        assert_eq!(
            b["responses"]["500"]["$ref"],
            "#/paths/~1a/get/parameters/0"
        );
        assert_eq!(b["responses"]["502"]["$ref"], "#/paths/~1nowhere");
    }

    #[test]
    fn examples_and_path_items_elsewhere_are_copied() {
        let mut doc = json!({
            "paths": {
                "/a": {"get": {"responses": {"200": {"description": "Ok.", "content": {
                    "application/json": {"examples": {"one": {"value": {"id": 1}}}}
                }}}}},
                "/b": {"get": {"responses": {"200": {"description": "Ok.", "content": {
                    "application/json": {"examples": {"one": {
                        "$ref": "#/paths/~1a/get/responses/200/content/application~1json/examples/one"
                    }}}
                }}}}},
                "/c": {"$ref": "#/paths/~1a"},
                "/d": {"get": {"operationId": "getD", "responses": {}}},
                "/e": {"$ref": "#/paths/~1d"}
            }
        });
        let messages = inline(&mut doc);
        assert_eq!(messages.len(), 3, "{messages:?}");
        // A copied operation is another operation: its `operationId` stays with `/d`.
        assert_eq!(doc["paths"]["/d"]["get"]["operationId"], "getD");
        assert_eq!(
            doc["paths"]["/e"]["get"].get("operationId"),
            None,
            "{doc:#}"
        );
        assert!(messages[2].1.contains("`getD`"), "{}", messages[2].1);
        assert_eq!(messages[1].0, "/paths/~1c");
        assert!(messages[1].1.contains("path item"), "{}", messages[1].1);
        let example = &doc["paths"]["/b"]["get"]["responses"]["200"]["content"]["application/json"]
            ["examples"]["one"];
        assert_eq!(example["value"]["id"], 1);
        assert_eq!(doc["paths"]["/c"], doc["paths"]["/a"]);
    }

    #[test]
    fn chains_and_references_inside_copies_are_followed() {
        let mut doc = json!({
            "paths": {
                "/a": {"get": {"responses": {"401": {"description": "Denied.", "headers": {
                    "X-Why": {"$ref": "#/paths/~1c/get/responses/200/headers/X-Why"}
                }}}}},
                "/b": {"get": {"responses": {"401": {"$ref": "#/paths/~1d/get/responses/401"}}}},
                "/c": {"get": {"responses": {"200": {"description": "Ok.", "headers": {
                    "X-Why": {"schema": {"type": "string"}}
                }}}}},
                "/d": {"get": {"responses": {"401": {"$ref": "#/paths/~1a/get/responses/401"}}}}
            }
        });
        inline(&mut doc);
        let header = &doc["paths"]["/b"]["get"]["responses"]["401"]["headers"]["X-Why"];
        assert_eq!(header["schema"]["type"], "string", "{doc:#}");
    }
}
