//! Responses: one per status code, range (`4XX`) or `default`, with bodies and headers.

use super::*;

impl Lowerer<'_> {
    pub(super) fn responses(
        &mut self,
        op: &openapiv3::Operation,
        pointer: &str,
        type_name: &str,
    ) -> Vec<Response> {
        let mut out = Vec::new();
        let mut scope = Scope::new();
        let statuses = op
            .responses
            .responses
            .iter()
            .map(|(code, r)| (Some(code), r))
            .chain(op.responses.default.iter().map(|r| (None, r)));
        for (code, response) in statuses {
            let (status, key) = match code {
                Some(openapiv3::StatusCode::Code(c)) => (Status::Code(*c), c.to_string()),
                Some(openapiv3::StatusCode::Range(r)) if (1..=5).contains(r) => {
                    (Status::Range(*r), format!("{r}XX"))
                }
                Some(openapiv3::StatusCode::Range(r)) => {
                    self.error_rule(
                        &join(&join(pointer, "responses"), &format!("{r}XX")),
                        "invalid",
                        "a status range must be one of `1XX` to `5XX`",
                    );
                    continue;
                }
                None => (Status::Default, "default".to_string()),
            };
            let at = join(&join(pointer, "responses"), &key);
            let Some((response, at)) = self.resolve_item(response, &at) else {
                continue;
            };
            let variant_name = scope.claim(match status {
                Status::Code(c) => naming::status_variant(c),
                Status::Range(digit) => naming::status_range_variant(digit),
                Status::Default => "Default".to_string(),
            });
            let contents = self.contents(
                &response.content,
                &join(&at, "content"),
                &format!("{type_name}{variant_name}Body"),
            );
            let mut header_scope = Scope::new();
            let mut headers = Vec::new();
            for (name, header) in &response.headers {
                let header_at = join(&join(&at, "headers"), name);
                let header = match self.spec.resolve(header, &header_at) {
                    Ok(found) => found.item,
                    Err(diagnostic) => {
                        self.report(diagnostic);
                        continue;
                    }
                };
                let schema = match &header.format {
                    openapiv3::ParameterSchemaOrContent::Schema(s) => self.schema(
                        s,
                        &join(&header_at, "schema"),
                        &format!("{type_name}{}", naming::camel(name)),
                    ),
                    // A header is text; what `content` says of its encoding changes
                    // nothing a caller can check, so the header is read as it comes.
                    openapiv3::ParameterSchemaOrContent::Content(content) => {
                        let media_types: Vec<&str> = content.keys().map(String::as_str).collect();
                        self.warn(
                            &join(&header_at, "content"),
                            "lenient",
                            format!("header `{name}` is described with `content` ({}); it is read as text", media_types.join(", ")),
                        );
                        Schema::of(TypeRef::String(StringFormat::Plain))
                    }
                };
                headers.push(ResponseHeader {
                    wire_name: name.clone(),
                    rust_name: header_scope.claim(naming::snake(name)),
                    required: header.required,
                    description: header.description.clone(),
                    schema,
                });
            }
            out.push(Response {
                status,
                description: response.description.clone(),
                variant_name,
                contents,
                headers,
                pointer: at,
            });
        }
        if out.is_empty() {
            self.error(
                &join(pointer, "responses"),
                "the operation documents no responses",
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::Status;

    #[test]
    fn ranges_are_statuses_named_after_their_class() {
        let api = crate::lower::tests::lower_yaml(
            "paths:\n  /a:\n    get:\n      responses:\n        '200': {description: ok}\n        '2XX': {description: some}\n        4xx: {description: client}\n        default: {description: other}\n",
        )
        .expect("lowers");
        let responses: Vec<(Status, &str)> = api.operations[0]
            .responses
            .iter()
            .map(|r| (r.status, r.variant_name.as_str()))
            .collect();
        assert_eq!(
            responses,
            [
                (Status::Code(200), "Ok"),
                (Status::Range(2), "Success"),
                (Status::Range(4), "ClientError"),
                (Status::Default, "Default"),
            ]
        );
        assert!(Status::Range(2).is_success() && !Status::Range(4).is_success());
        assert_eq!(Status::Range(4).range_bounds(), Some((400, 499)));
    }

    #[test]
    fn a_range_outside_1xx_to_5xx_is_invalid() {
        let errors = crate::lower::tests::errors_of(
            "paths:\n  /a:\n    get:\n      responses:\n        '9XX': {description: odd}\n",
        );
        assert!(
            errors[0].starts_with("error[invalid]: spec.yaml#/paths/~1a/get/responses/9XX"),
            "{errors:?}"
        );
    }
}
