//! The operations of a raw document, for readers that walk the JSON (lint, the example
//! and seed checks, the HTML reference): the path items under `/paths` and the
//! operations they hold, in document order.

use serde_json::Value;

use crate::pointer::Pointer;

/// The HTTP methods a path item holds operations under, in the order OpenAPI lists them.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One operation of a raw document.
#[derive(Debug, Clone, Copy)]
pub struct RawOperation<'a> {
    /// The path, e.g. `/pets/{id}`.
    pub path: &'a str,
    /// The lower-case method, one of [`METHODS`].
    pub method: &'static str,
    /// The path item the operation is in, for path-level `parameters` and `servers`.
    pub item: &'a Value,
    pub operation: &'a Value,
}

impl<'a> RawOperation<'a> {
    /// Where the operation is written: `/paths/~1pets~1{id}/get`.
    pub fn pointer(&self) -> Pointer {
        Pointer::from_tokens(["paths", self.path, self.method])
    }

    /// Its `operationId`, if it has one.
    pub fn id(&self) -> Option<&'a str> {
        self.operation.get("operationId").and_then(Value::as_str)
    }

    /// Its `operationId`, or `GET /pets/{id}` when it has none.
    pub fn name(&self) -> String {
        self.id().map_or_else(
            || format!("{} {}", self.method.to_uppercase(), self.path),
            str::to_string,
        )
    }
}

/// Every operation under `/paths`, in document order. A path item that is a `$ref` is
/// not looked into: its operations are those of the item it names, which are listed
/// where that item is written (and the generator reports such items as unsupported).
pub fn operations(document: &Value) -> impl Iterator<Item = RawOperation<'_>> {
    document
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(_, item)| item.get("$ref").is_none())
        .flat_map(|(path, item)| {
            METHODS.into_iter().filter_map(move |method| {
                Some(RawOperation {
                    path,
                    method,
                    item,
                    operation: item.get(method)?,
                })
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn operations_come_in_document_and_method_order() {
        let document = json!({
            "paths": {
                "/b/{id}": {"post": {"operationId": "Make"}, "get": {}, "parameters": []},
                "/a": {"delete": {"operationId": "Drop"}},
                "/alias": {"$ref": "#/paths/~1a"},
            },
        });
        let found: Vec<(String, String, Option<&str>)> = operations(&document)
            .map(|op| (op.pointer().to_string(), op.name(), op.id()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "/paths/~1b~1{id}/get".to_string(),
                    "GET /b/{id}".to_string(),
                    None
                ),
                (
                    "/paths/~1b~1{id}/post".to_string(),
                    "Make".to_string(),
                    Some("Make")
                ),
                (
                    "/paths/~1a/delete".to_string(),
                    "Drop".to_string(),
                    Some("Drop")
                ),
            ]
        );
        assert!(operations(&json!({"paths": 1})).next().is_none());
    }
}
