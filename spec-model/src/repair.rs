//! Documents `openapiv3` cannot read: repaired where the meaning is clear, located where
//! it is not.
//!
//! Real specs break the OpenAPI 3.0 schema in a few common ways that still say clearly
//! what they mean. [`repair`] rewrites those in the raw JSON, in place, and returns one
//! message per repair, at the pointer of the node as written (`docs/REAL-WORLD.md` lists
//! each decision):
//!
//! - a response without `description` gets `description: ""`;
//! - `items: [X]` (a list of one schema) is read as `items: X`; a list of several
//!   (positional items, from JSON Schema drafts before OpenAPI 3.0) as `items: {}`;
//! - `type: [T, "null"]` (JSON Schema's spelling of `nullable`) is read as `type: T,
//!   nullable: true`; a list of several types as no `type` at all (any value);
//! - `exclusiveMinimum: 5` / `exclusiveMaximum: 5` (the number form of later JSON Schema
//!   drafts) is read as `minimum: 5, exclusiveMinimum: true`;
//! - a callback given by `$ref` is left out (the generator does not generate callbacks);
//! - a validation keyword whose value has the wrong JSON type (`maxLength: "10"`,
//!   `pattern: 0`) is read as the number or boolean its text spells, or left out.
//!
//! What is still unreadable after that is [`locate`]d: the document is walked along the
//! node kinds of OpenAPI (path items, operations, parameters, responses, media types,
//! schemas, ...), each node read as its `openapiv3` type, down to the deepest node that
//! does not read although everything inside it does. The diagnostic names that node (or
//! the keyword inside it), not the map of a hundred schemas it is in.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::pointer::join;

/// The kinds of node of an OpenAPI 3.0 document that the walk knows the children of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Document,
    Components,
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Response,
    Header,
    MediaType,
    Example,
    Schema,
}

/// How the children of a node are laid out under one key.
#[derive(Clone, Copy)]
enum Layout {
    /// The value under the key is one node.
    One,
    /// The value is a map of nodes.
    Map,
    /// The value is a list of nodes.
    List,
}

/// The keys of a node of `kind` that hold nodes the walk descends into.
fn children(kind: Kind) -> &'static [(&'static str, Layout, Kind)] {
    use Kind::*;
    use Layout::*;
    match kind {
        Document => &[("paths", Map, PathItem), ("components", One, Components)],
        Components => &[
            ("schemas", Map, Schema),
            ("responses", Map, Response),
            ("parameters", Map, Parameter),
            ("requestBodies", Map, RequestBody),
            ("headers", Map, Header),
            ("examples", Map, Example),
        ],
        PathItem => &[
            ("get", One, Operation),
            ("put", One, Operation),
            ("post", One, Operation),
            ("delete", One, Operation),
            ("options", One, Operation),
            ("head", One, Operation),
            ("patch", One, Operation),
            ("trace", One, Operation),
            ("parameters", List, Parameter),
        ],
        Operation => &[
            ("parameters", List, Parameter),
            ("requestBody", One, RequestBody),
            ("responses", Map, Response),
        ],
        Parameter | Header => &[
            ("schema", One, Schema),
            ("content", Map, MediaType),
            ("examples", Map, Example),
        ],
        RequestBody => &[("content", Map, MediaType)],
        Response => &[("headers", Map, Header), ("content", Map, MediaType)],
        MediaType => &[("schema", One, Schema), ("examples", Map, Example)],
        Example => &[],
        Schema => &[
            ("properties", Map, Schema),
            ("items", One, Schema),
            ("additionalProperties", One, Schema),
            ("allOf", List, Schema),
            ("oneOf", List, Schema),
            ("anyOf", List, Schema),
            ("not", One, Schema),
        ],
    }
}

/// The children of one node: each child's pointer and kind, with a way to reach it.
pub(crate) fn each_child(
    kind: Kind,
    node: &Value,
    pointer: &str,
) -> Vec<(String, Kind, Vec<Step>)> {
    let mut out = Vec::new();
    let Some(object) = node.as_object() else {
        return out;
    };
    if object.contains_key("$ref") {
        return out;
    }
    for &(key, layout, child_kind) in children(kind) {
        let Some(value) = object.get(key) else {
            continue;
        };
        let at = join(pointer, key);
        match layout {
            Layout::One if value.is_object() => {
                out.push((at, child_kind, vec![Step::Key(key.to_string())]))
            }
            Layout::One => {}
            Layout::Map => {
                for name in value.as_object().into_iter().flatten().map(|(k, _)| k) {
                    // `x-` keys beside the nodes of a map are extensions, not nodes.
                    if name.starts_with("x-") && kind != Kind::Schema {
                        continue;
                    }
                    out.push((
                        join(&at, name),
                        child_kind,
                        vec![Step::Key(key.to_string()), Step::Key(name.clone())],
                    ));
                }
            }
            Layout::List => {
                for i in 0..value.as_array().map_or(0, Vec::len) {
                    out.push((
                        join(&at, &i.to_string()),
                        child_kind,
                        vec![Step::Key(key.to_string()), Step::Index(i)],
                    ));
                }
            }
        }
    }
    out
}

/// One step from a node to a child.
#[derive(Debug, Clone)]
pub(crate) enum Step {
    Key(String),
    Index(usize),
}

pub(crate) fn reach_mut<'v>(mut value: &'v mut Value, steps: &[Step]) -> Option<&'v mut Value> {
    for step in steps {
        value = match step {
            Step::Key(k) => value.get_mut(k.as_str())?,
            Step::Index(i) => value.get_mut(*i)?,
        };
    }
    Some(value)
}

pub(crate) fn reach<'v>(mut value: &'v Value, steps: &[Step]) -> Option<&'v Value> {
    for step in steps {
        value = match step {
            Step::Key(k) => value.get(k.as_str())?,
            Step::Index(i) => value.get(*i)?,
        };
    }
    Some(value)
}

/// Repairs what has a clear meaning, in place; one `(pointer, message)` per repair, at
/// the node as written in the source.
pub fn repair(document: &mut Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    repair_node(document, "", Kind::Document, &mut out);
    out
}

fn repair_node(node: &mut Value, pointer: &str, kind: Kind, out: &mut Vec<(String, String)>) {
    if node.get("$ref").is_some() {
        return;
    }
    // Where each child is written: a collapsed `items: [X]` keeps the pointer of `X`.
    let mut items_at = None;
    if let Some(object) = node.as_object_mut() {
        match kind {
            Kind::Operation => repair_callbacks(object, pointer, out),
            Kind::Response => repair_response(object, pointer, out),
            Kind::Schema => items_at = repair_schema(object, pointer, out),
            _ => {}
        }
    }
    for (mut at, child_kind, steps) in each_child(kind, node, pointer) {
        if let (Some(items_at), [Step::Key(key)]) = (&items_at, steps.as_slice()) {
            if key == "items" {
                at.clone_from(items_at);
            }
        }
        if let Some(child) = reach_mut(node, &steps) {
            repair_node(child, &at, child_kind, out);
        }
    }
}

/// Callbacks given by `$ref` (which `openapiv3` cannot read) are left out: the
/// generator does not generate callbacks.
fn repair_callbacks(
    object: &mut Map<String, Value>,
    pointer: &str,
    out: &mut Vec<(String, String)>,
) {
    let Some(Value::Object(callbacks)) = object.get_mut("callbacks") else {
        return;
    };
    let referenced: Vec<String> = callbacks
        .iter()
        .filter(|(_, callback)| callback.get("$ref").is_some())
        .map(|(name, _)| name.clone())
        .collect();
    for name in referenced {
        callbacks.shift_remove(&name);
        out.push((
            join(&join(pointer, "callbacks"), &name),
            "a callback given by `$ref` is not read; the generator does not generate callbacks"
                .to_string(),
        ));
    }
}

fn repair_response(
    object: &mut Map<String, Value>,
    pointer: &str,
    out: &mut Vec<(String, String)>,
) {
    if !object.get("description").is_some_and(Value::is_string) {
        let what = if object.contains_key("description") {
            "a `description` that is not text"
        } else {
            "no `description`"
        };
        object.insert("description".to_string(), Value::String(String::new()));
        out.push((
            pointer.to_string(),
            format!("this response has {what}, which OpenAPI requires; it is read as an empty description"),
        ));
    }
}

/// Repairs one schema object; returns where its `items` schema is written when that
/// is not `<pointer>/items` (a list of one schema collapsed into it).
fn repair_schema(
    object: &mut Map<String, Value>,
    pointer: &str,
    out: &mut Vec<(String, String)>,
) -> Option<String> {
    let mut items_at = None;
    if let Some(Value::Array(list)) = object.get("items") {
        let at = join(pointer, "items");
        let (replacement, message) = match list.as_slice() {
            [one] if one.is_object() => {
                items_at = Some(join(&at, "0"));
                (
                    one.clone(),
                    "`items` is a list of one schema; it is read as that schema".to_string(),
                )
            }
            _ => (
                Value::Object(Map::new()),
                format!("`items` is a list of {} schemas (positional items, which OpenAPI 3.0 does not have); the items are read as any value", list.len()),
            ),
        };
        object.insert("items".to_string(), replacement);
        out.push((at, message));
    }
    if let Some(Value::Array(types)) = object.get("type") {
        let at = join(pointer, "type");
        let names: Vec<&str> = types.iter().filter_map(Value::as_str).collect();
        let null = names.contains(&"null");
        let real: Vec<&str> = names.iter().copied().filter(|t| *t != "null").collect();
        let message = match real.as_slice() {
            [one] if names.len() == types.len() => {
                let message = if null {
                    format!("`type` is a list of `{one}` and `null`; it is read as `type: {one}` with `nullable: true`")
                } else {
                    format!("`type` is a list of one type; it is read as `type: {one}`")
                };
                let one = Value::String(one.to_string());
                object.insert("type".to_string(), one);
                message
            }
            _ => {
                object.remove("type");
                "`type` is a list of several types, which OpenAPI 3.0 cannot say; the schema is read without a `type` (any value its other keywords allow)".to_string()
            }
        };
        if null {
            object.insert("nullable".to_string(), Value::Bool(true));
        }
        out.push((at, message));
    }
    // Validation keywords whose value has the wrong JSON type: text that spells a
    // number or boolean is read as it, anything else is left out.
    for &(keyword, expected) in KEYWORD_TYPES {
        if !VALIDATION_KEYWORDS.contains(&keyword) {
            continue;
        }
        let Some(value) = object.get(keyword) else {
            continue;
        };
        if fits(keyword, expected, value) {
            continue;
        }
        let read = value
            .as_str()
            .map(str::trim)
            .and_then(|text| match expected {
                "boolean" => text.parse::<bool>().ok().map(Value::Bool),
                "number" => text
                    .parse::<f64>()
                    .ok()
                    .and_then(serde_json::Number::from_f64)
                    .map(Value::Number),
                "string" => None,
                _ => text.parse::<u64>().ok().map(Value::from),
            });
        let at = join(pointer, keyword);
        let shown = short(value);
        match read {
            Some(read) => {
                out.push((
                    at,
                    format!(
                        "`{keyword}: {shown}` is not {}; it is read as `{read}`",
                        article(expected)
                    ),
                ));
                object.insert(keyword.to_string(), read);
            }
            None => {
                out.push((
                    at,
                    format!(
                        "`{keyword}: {shown}` is not {}; it is ignored",
                        article(expected)
                    ),
                ));
                object.remove(keyword);
            }
        }
    }
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        let Some(limit) = object.get(exclusive).filter(|v| v.is_number()).cloned() else {
            continue;
        };
        out.push((
            join(pointer, exclusive),
            format!("`{exclusive}` is a number (the form of later JSON Schema drafts); it is read as `{bound}: {limit}` with `{exclusive}: true`"),
        ));
        object.insert(bound.to_string(), limit);
        object.insert(exclusive.to_string(), Value::Bool(true));
    }
    items_at
}

/// The deepest node of `document` that `openapiv3` cannot read, as a pointer and what
/// is wrong there; `None` when the walk finds no such node (the caller then reports the
/// document as a whole).
pub fn locate(document: &Value) -> Option<(String, String)> {
    locate_node(document, "", Kind::Document)
}

fn locate_node(node: &Value, pointer: &str, kind: Kind) -> Option<(String, String)> {
    read(kind, node, pointer)?;
    for (at, child_kind, steps) in each_child(kind, node, pointer) {
        if let Some(found) = reach(node, &steps).and_then(|c| locate_node(c, &at, child_kind)) {
            return Some(found);
        }
    }
    // Every child reads: the problem is in this node itself.
    if kind == Kind::Schema {
        if let Some(found) = schema_keyword_problem(node, pointer) {
            return Some(found);
        }
    }
    read(kind, node, pointer)
}

/// `None` when `node` reads as `kind`; otherwise where reading failed and why.
fn read(kind: Kind, node: &Value, pointer: &str) -> Option<(String, String)> {
    use openapiv3 as oa;
    match kind {
        Kind::Document => try_read::<oa::OpenAPI>(node, pointer),
        Kind::Components => try_read::<oa::Components>(node, pointer),
        Kind::PathItem => try_read::<oa::ReferenceOr<oa::PathItem>>(node, pointer),
        Kind::Operation => try_read::<oa::Operation>(node, pointer),
        Kind::Parameter => try_read::<oa::ReferenceOr<oa::Parameter>>(node, pointer),
        Kind::RequestBody => try_read::<oa::ReferenceOr<oa::RequestBody>>(node, pointer),
        Kind::Response => try_read::<oa::ReferenceOr<oa::Response>>(node, pointer),
        Kind::Header => try_read::<oa::ReferenceOr<oa::Header>>(node, pointer),
        Kind::MediaType => try_read::<oa::MediaType>(node, pointer),
        Kind::Example => try_read::<oa::ReferenceOr<oa::Example>>(node, pointer),
        Kind::Schema => try_read::<oa::ReferenceOr<oa::Schema>>(node, pointer),
    }
}

fn try_read<T: DeserializeOwned>(node: &Value, pointer: &str) -> Option<(String, String)> {
    let err = serde_path_to_error::deserialize::<_, T>(node).err()?;
    let mut at = pointer.to_string();
    for segment in err.path().iter() {
        match segment {
            serde_path_to_error::Segment::Map { key } => at = join(&at, key),
            serde_path_to_error::Segment::Seq { index } => at = join(&at, &index.to_string()),
            _ => {}
        }
    }
    Some((at, err.into_inner().to_string()))
}

/// The keywords of a schema whose values have one JSON type, and that type.
const KEYWORD_TYPES: &[(&str, &str)] = &[
    ("type", "string"),
    ("format", "string"),
    ("pattern", "string"),
    ("title", "string"),
    ("description", "string"),
    ("required", "array"),
    ("enum", "array"),
    ("allOf", "array"),
    ("oneOf", "array"),
    ("anyOf", "array"),
    ("properties", "object"),
    ("items", "object"),
    ("not", "object"),
    ("discriminator", "object"),
    ("minLength", "non-negative integer"),
    ("maxLength", "non-negative integer"),
    ("minItems", "non-negative integer"),
    ("maxItems", "non-negative integer"),
    ("minProperties", "non-negative integer"),
    ("maxProperties", "non-negative integer"),
    ("minimum", "number"),
    ("maximum", "number"),
    ("multipleOf", "number"),
    ("nullable", "boolean"),
    ("readOnly", "boolean"),
    ("writeOnly", "boolean"),
    ("deprecated", "boolean"),
    ("uniqueItems", "boolean"),
    ("exclusiveMinimum", "boolean"),
    ("exclusiveMaximum", "boolean"),
];

/// The keywords of [`KEYWORD_TYPES`] that only check or annotate values: one whose value
/// cannot be read is left out with a warning, as the schema still means what it says.
const VALIDATION_KEYWORDS: &[&str] = &[
    "format",
    "pattern",
    "title",
    "description",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
    "minimum",
    "maximum",
    "multipleOf",
    "nullable",
    "readOnly",
    "writeOnly",
    "deprecated",
    "uniqueItems",
];

/// Whether `value` is of the JSON type `expected` that [`KEYWORD_TYPES`] gives `keyword`.
fn fits(keyword: &str, expected: &str, value: &Value) -> bool {
    let fits = match expected {
        "string" => value.is_string(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        "boolean" => value.is_boolean(),
        "number" => value.is_number(),
        _ => value.is_u64(),
    };
    fits && match keyword {
        "required" => value
            .as_array()
            .is_some_and(|names| names.iter().all(Value::is_string)),
        _ => true,
    }
}

/// The first keyword of a schema whose value has the wrong JSON type, named.
fn schema_keyword_problem(node: &Value, pointer: &str) -> Option<(String, String)> {
    let object = node.as_object()?;
    for &(keyword, expected) in KEYWORD_TYPES {
        let Some(value) = object.get(keyword) else {
            continue;
        };
        if !fits(keyword, expected, value) {
            let what = if keyword == "required" && value.is_array() {
                "a list of property names".to_string()
            } else {
                article(expected)
            };
            return Some((
                join(pointer, keyword),
                format!("`{keyword}` must be {what}, not `{}`", short(value)),
            ));
        }
    }
    if let Some(additional) = object.get("additionalProperties") {
        if !additional.is_boolean() && !additional.is_object() {
            return Some((
                join(pointer, "additionalProperties"),
                format!(
                    "`additionalProperties` must be a boolean or a schema, not `{}`",
                    short(additional)
                ),
            ));
        }
    }
    None
}

/// `a string`, `an array`.
fn article(noun: &str) -> String {
    if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {noun}")
    } else {
        format!("a {noun}")
    }
}

/// A value as JSON, cut to a length that fits in a message.
fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

/// The HTTP methods of a path item, for a test that the walk and `METHODS` agree.
#[cfg(test)]
fn walked_methods() -> Vec<&'static str> {
    children(Kind::PathItem)
        .iter()
        .map(|(key, _, _)| *key)
        .filter(|key| *key != "parameters")
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operations::METHODS;
    use serde_json::json;

    #[test]
    fn the_walk_knows_every_method() {
        assert_eq!(walked_methods(), METHODS);
    }

    #[test]
    fn clear_mistakes_are_repaired_where_they_are_written() {
        let mut doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {}}}}},
            "components": {"schemas": {
                "List": {"type": "array", "items": [{"type": "array", "items": [{"type": ["string", "null"]}]}]},
                "Tuple": {"type": "array", "items": [{"type": "string"}, {"type": "integer"}]},
                "Many": {"type": ["string", "integer"]},
                "Bound": {"type": "integer", "exclusiveMinimum": 0},
                "Loose": {"type": "string", "maxLength": "10", "pattern": 0},
            }},
        });
        let repairs = repair(&mut doc);
        let pointers: Vec<&str> = repairs.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/paths/~1a/get/responses/200",
                "/components/schemas/List/items",
                "/components/schemas/List/items/0/items",
                "/components/schemas/List/items/0/items/0/type",
                "/components/schemas/Tuple/items",
                "/components/schemas/Many/type",
                "/components/schemas/Bound/exclusiveMinimum",
                "/components/schemas/Loose/pattern",
                "/components/schemas/Loose/maxLength",
            ],
            "{repairs:#?}"
        );
        assert_eq!(
            doc["paths"]["/a"]["get"]["responses"]["200"]["description"],
            ""
        );
        assert_eq!(
            doc["components"]["schemas"]["List"]["items"]["items"],
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(doc["components"]["schemas"]["Tuple"]["items"], json!({}));
        assert_eq!(doc["components"]["schemas"]["Many"], json!({}));
        assert_eq!(
            doc["components"]["schemas"]["Bound"],
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})
        );
        assert_eq!(
            doc["components"]["schemas"]["Loose"],
            json!({"type": "string", "maxLength": 10})
        );
        assert!(locate(&doc).is_none(), "{:?}", locate(&doc));
        let _: openapiv3::OpenAPI = serde_json::from_value(doc).expect("reads after repair");
    }

    #[test]
    fn callbacks_given_by_reference_are_left_out() {
        let mut doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"post": {
                "responses": {"200": {"description": "ok"}},
                "callbacks": {"onDone": {"$ref": "#/components/callbacks/Done"}},
            }}},
        });
        let repairs = repair(&mut doc);
        assert_eq!(repairs.len(), 1, "{repairs:?}");
        assert_eq!(repairs[0].0, "/paths/~1a/post/callbacks/onDone");
        let _: openapiv3::OpenAPI = serde_json::from_value(doc).expect("reads after repair");
    }

    #[test]
    fn what_cannot_be_read_is_located_at_the_node() {
        let doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "content": {
                "application/json": {"schema": {"type": "object", "properties": {
                    "fine": {"type": "string"},
                    "broken": {"type": "string", "maxLength": "ten"},
                }}},
            }}}}}},
        });
        let (pointer, message) = locate(&doc).expect("found");
        assert_eq!(
            pointer,
            "/paths/~1a/get/responses/200/content/application~1json/schema/properties/broken/maxLength"
        );
        assert_eq!(
            message,
            "`maxLength` must be a non-negative integer, not `\"ten\"`"
        );

        let doc = json!({"openapi": "3.0.3", "info": {"title": "t"}, "paths": {}});
        let (pointer, message) = locate(&doc).expect("found");
        assert_eq!(pointer, "/info");
        assert!(message.contains("missing field `version`"), "{message}");
    }
}
